package org.spicecodec.core.vectors;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One encoding of one raw input: a {@code vectors[]} entry of the manifest, or an image of a
 * GLZ sequence (then {@code codec} is "glz" and {@code id} is the sequence id plus
 * "/NN").
 *
 * @param id             unique id, for example {@code quic/rgb24_xterm_bottom_up}
 * @param codec          "quic", "lz" or "glz"
 * @param imageType      type name, for example "RGB24"
 * @param imageTypeValue the C enum value of the type
 * @param topDown        for QUIC: whether the file holds the picture top row first
 * @param segments       rows per chunk as the encoder received them, or {@code null} for one chunk
 * @param palette        the palette, or {@code null}
 * @param tags           free-form tags; empty when absent
 * @param source         what the picture is; may be {@code null}
 * @param note           optional remark; may be {@code null}
 */
public record Vector(String id, String codec, String imageType, int imageTypeValue, int width, int height,
                     int stride, boolean topDown, List<Integer> segments, FileRef input, PaletteRef palette,
                     FileRef encoded, List<Decode> decodes, List<String> tags, String source, String note) {

    /** Parses the fields a vector and a GLZ image have in common. */
    static Vector from(Fields f, String id, String codec) {
        int width = f.intValue("width", 1, Integer.MAX_VALUE);
        int height = f.intValue("height", 1, Integer.MAX_VALUE);
        int stride = f.intValue("stride", 1, Integer.MAX_VALUE);
        FileRef input = FileRef.from(f.object("input"), true);
        if (input.size() != (long) stride * height) {
            throw f.invalid("input.size", input.size() + " is not stride * height = " + (long) stride * height);
        }
        List<Integer> segments = null;
        if (!f.isNull("segments")) {
            segments = f.ints("segments", 1, Integer.MAX_VALUE);
            long rows = 0;
            for (int s : segments) {
                rows += s;
            }
            if (rows != height) {
                throw f.invalid("segments", "add up to " + rows + " rows, the image has " + height);
            }
        }
        Fields pal = f.optObject("palette");
        List<Decode> decodes = new ArrayList<>();
        for (Fields d : f.objects("decodes")) {
            decodes.add(Decode.from(d));
        }
        List<String> tags = f.map.containsKey("tags") ? f.strings("tags") : List.of();
        return new Vector(id, codec, f.string("image_type"), f.intValue("image_type_value", 0, Integer.MAX_VALUE),
                width, height, stride, f.bool("top_down"), segments, input,
                pal == null ? null : PaletteRef.from(pal), FileRef.from(f.object("encoded"), true),
                Collections.unmodifiableList(decodes), tags, f.optString("source"), f.optString("note"));
    }

    public boolean hasTag(String tag) {
        return tags.contains(tag);
    }
}
