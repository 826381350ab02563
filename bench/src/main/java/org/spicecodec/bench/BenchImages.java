package org.spicecodec.bench;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

import org.spicecodec.core.BufferedImages;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;

/** Pictures and checks shared by the benchmarks. */
final class BenchImages {
    private BenchImages() {
    }

    /** A bundled picture ({@code screenshot} or {@code photo}, see {@link #resourceFor}) as RGB32. */
    static SpiceBitmap rgb32(String image) {
        return BufferedImages.toBitmap(load(resourceFor(image)), SpiceBitmapFormat.RGB32);
    }

    static String resourceFor(String image) {
        return switch (image) {
            // Both come from the corpus module's embedded default corpus (its MANIFEST.json
            // gives their sources and licences).
            case "screenshot" -> "/org/spicecodec/corpus/default/desktop/desktop_geany_c_source_1920x1080.png";
            case "photo" -> "/org/spicecodec/corpus/default/photo/kde_milkyway_1920x1080.png";
            default -> throw new IllegalArgumentException("unknown image: " + image);
        };
    }

    static BufferedImage load(String name) {
        try (InputStream in = BenchImages.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            BufferedImage img = ImageIO.read(in);
            if (img == null) {
                throw new IllegalStateException("not a readable image: " + name);
            }
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    /**
     * {@code src} moved up by {@code rows} rows, the rows that leave at the top coming back at
     * the bottom: what a scrolled window shows, with nothing made up.
     */
    static SpiceBitmap scrolled(SpiceBitmap src, int rows) {
        int h = src.height();
        int stride = src.stride();
        int shift = Math.floorMod(rows, h);
        byte[] from = src.data();
        byte[] to = new byte[stride * h];
        System.arraycopy(from, shift * stride, to, 0, (h - shift) * stride);
        System.arraycopy(from, 0, to, (h - shift) * stride, shift * stride);
        return SpiceBitmap.of(src.format(), src.width(), h, stride, true, to, 0);
    }

    /**
     * Fails unless {@code actual} holds the pixels of {@code expected}: a benchmark of a codec
     * that does not round-trip would measure nothing useful. Byte 3 of RGB32 is padding that
     * the codecs need not carry, so it is skipped unless {@code withByte3}.
     */
    static void checkSame(byte[] expected, byte[] actual, boolean withByte3, String what) {
        if (expected.length != actual.length) {
            throw new IllegalStateException(what + ": " + actual.length + " bytes instead of " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            if ((withByte3 || (i & 3) != 3) && expected[i] != actual[i]) {
                throw new IllegalStateException(what + " differs at byte " + i + " (pixel " + (i >>> 2) + ")");
            }
        }
    }

    /** An output array of {@code max} bytes, refusing bounds that do not fit one array. */
    static byte[] outputArray(long max) {
        if (max > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("maxEncodedLength too large for one array: " + max);
        }
        return new byte[(int) max];
    }
}
