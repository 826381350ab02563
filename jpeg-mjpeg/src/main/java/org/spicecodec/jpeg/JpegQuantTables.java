package org.spicecodec.jpeg;

/**
 * The quantization tables libjpeg's {@code jpeg_set_quality(q, TRUE)} installs, which is what
 * spice-server's JPEG image and MJPEG encoders send: the example tables of ITU T.81 Annex K
 * (K.1 luminance, K.2 chrominance) scaled by the IJG quality, then clamped to 1–255 (baseline).
 *
 * <p>Tables here are in natural (row-major) order; a DQT segment carries them in zigzag order.
 */
public final class JpegQuantTables {
    /** T.81 Table K.1, natural order. */
    private static final int[] ANNEX_K_LUMA = {
        16, 11, 10, 16, 24, 40, 51, 61,
        12, 12, 14, 19, 26, 58, 60, 55,
        14, 13, 16, 24, 40, 57, 69, 56,
        14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77,
        24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101,
        72, 92, 95, 98, 112, 100, 103, 99,
    };
    /** T.81 Table K.2, natural order. */
    private static final int[] ANNEX_K_CHROMA = {
        17, 18, 24, 47, 99, 99, 99, 99,
        18, 21, 26, 66, 99, 99, 99, 99,
        24, 26, 56, 99, 99, 99, 99, 99,
        47, 66, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99,
    };

    /** Zigzag position i → natural index (T.81 Figure A.6). */
    static final int[] ZIGZAG_TO_NATURAL = {
        0, 1, 8, 16, 9, 2, 3, 10,
        17, 24, 32, 25, 18, 11, 4, 5,
        12, 19, 26, 33, 40, 48, 41, 34,
        27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36,
        29, 22, 15, 23, 30, 37, 44, 51,
        58, 59, 52, 45, 38, 31, 39, 46,
        53, 60, 61, 54, 47, 55, 62, 63,
    };

    private JpegQuantTables() {
    }

    /** libjpeg's {@code jpeg_quality_scaling}: percentage applied to the Annex K tables. */
    public static int scale(int quality) {
        requireQuality(quality);
        return quality < 50 ? 5000 / quality : 200 - 2 * quality;
    }

    /** The luminance table at {@code quality}, natural order. */
    public static int[] luma(int quality) {
        return scaled(ANNEX_K_LUMA, quality);
    }

    /** The chrominance table at {@code quality}, natural order. */
    public static int[] chroma(int quality) {
        return scaled(ANNEX_K_CHROMA, quality);
    }

    /** A table given in zigzag order (as in a DQT segment) put back in natural order. */
    public static int[] naturalFromZigzag(int[] zigzag) {
        if (zigzag.length != 64) {
            throw new IllegalArgumentException("a quantization table has 64 entries, not " + zigzag.length);
        }
        int[] n = new int[64];
        for (int i = 0; i < 64; i++) {
            n[ZIGZAG_TO_NATURAL[i]] = zigzag[i];
        }
        return n;
    }

    static void requireQuality(int quality) {
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("quality must be 1..100: " + quality);
        }
    }

    private static int[] scaled(int[] basic, int quality) {
        int s = scale(quality);
        int[] t = new int[64];
        for (int i = 0; i < 64; i++) {
            // As jpeg_add_quant_table: rounded, at least 1, and at most 255 for baseline.
            t[i] = Math.max(1, Math.min(255, (basic[i] * s + 50) / 100));
        }
        return t;
    }
}
