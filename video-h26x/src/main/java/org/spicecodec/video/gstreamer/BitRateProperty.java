package org.spicecodec.video.gstreamer;

import com.sun.jna.Pointer;
import java.util.List;
import java.util.Locale;
import org.freedesktop.gstreamer.Element;

/**
 * The encoder element's bit-rate property as spice-server finds it (streams.md §5.1):
 * {@code bitrate} first, then {@code target-bitrate}; in kbit when its description says so;
 * its range; and whether it may change while PLAYING.
 */
record BitRateProperty(String name, boolean kbit, long min, long max, boolean mutableInPlaying) {

    /** The property of {@code encoder}, or null if it has neither. */
    static BitRateProperty of(Element encoder) {
        List<String> names = encoder.listPropertyNames();
        String name = names.contains("bitrate") ? "bitrate" : names.contains("target-bitrate") ? "target-bitrate" : null;
        if (name == null) {
            return null;
        }
        long instance = GstNative.address(encoder);
        Pointer p = new Pointer(instance);
        // G_OBJECT_GET_CLASS: the GTypeInstance's first field is its class.
        long pspec = GstNative.GObj.g_object_class_find_property(p.getLong(0), name);
        if (pspec == 0) {
            return null;
        }
        int flags = new Pointer(pspec).getInt(GstNative.PARAM_SPEC_FLAGS);
        String blurb = GstNative.GObj.g_param_spec_get_blurb(pspec);
        long min = ((Number) encoder.getPropertyMinimumValue(name)).longValue();
        long max = ((Number) encoder.getPropertyMaximumValue(name)).longValue();
        return new BitRateProperty(name, blurb != null && blurb.toLowerCase(Locale.ROOT).contains("kbit"),
                min, max, (flags & GstNative.PARAM_MUTABLE_PLAYING) != 0);
    }

    /** The property value for {@code bitsPerSecond}: kbit of 1024 bits if so, clamped. */
    long valueFor(long bitsPerSecond) {
        long v = kbit ? bitsPerSecond / 1024 : bitsPerSecond;
        return Math.max(min, Math.min(max, v));
    }
}
