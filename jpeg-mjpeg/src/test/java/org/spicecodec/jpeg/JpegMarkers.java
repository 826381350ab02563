package org.spicecodec.jpeg;

import java.util.ArrayList;
import java.util.List;

/** A test-side JPEG marker walker, independent of the decoder's parser. */
final class JpegMarkers {
    final List<Integer> markers = new ArrayList<>();
    final List<int[]> quantTables = new ArrayList<>();
    final List<Integer> samplingFactors = new ArrayList<>();
    boolean jfif;
    int precision;
    int width;
    int height;

    static JpegMarkers parse(byte[] j) {
        JpegMarkers m = new JpegMarkers();
        if ((j[0] & 0xFF) != 0xFF || (j[1] & 0xFF) != 0xD8) {
            throw new AssertionError("no SOI");
        }
        m.markers.add(0xD8);
        int p = 2;
        while (p < j.length) {
            if ((j[p] & 0xFF) != 0xFF) {
                throw new AssertionError("no marker at " + p);
            }
            int mk = j[p + 1] & 0xFF;
            m.markers.add(mk);
            if (mk == 0xD9) {
                if (p + 2 != j.length) {
                    throw new AssertionError("bytes after EOI");
                }
                break;
            }
            int len = u16(j, p + 2);
            int s = p + 4;
            switch (mk) {
                case 0xE0 -> m.jfif = new String(j, s, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("JFIF");
                case 0xDB -> {
                    for (int q = s; q < p + 2 + len; q += 65) {
                        if ((j[q] & 0xF0) != 0) {
                            throw new AssertionError("16-bit quantization table");
                        }
                        int[] t = new int[64];
                        for (int i = 0; i < 64; i++) {
                            t[i] = j[q + 1 + i] & 0xFF;
                        }
                        m.quantTables.add(t);
                    }
                }
                case 0xC0, 0xC1, 0xC2 -> {
                    m.precision = j[s] & 0xFF;
                    m.height = u16(j, s + 1);
                    m.width = u16(j, s + 3);
                    int nc = j[s + 5] & 0xFF;
                    for (int c = 0; c < nc; c++) {
                        m.samplingFactors.add(j[s + 6 + 3 * c + 1] & 0xFF);
                    }
                }
                default -> {
                }
            }
            p += 2 + len;
            if (mk == 0xDA) {
                // Skip entropy-coded data: up to the next marker that is not stuffing or RSTn.
                while (!((j[p] & 0xFF) == 0xFF && (j[p + 1] & 0xFF) != 0 && ((j[p + 1] & 0xFF) < 0xD0
                        || (j[p + 1] & 0xFF) > 0xD7))) {
                    p++;
                }
            }
        }
        return m;
    }

    private static int u16(byte[] b, int p) {
        return (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
    }
}
