package org.spicecodec.quic;

import static org.assertj.core.api.Assertions.fail;

import java.util.HexFormat;
import java.util.Random;

import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpiceChunks;
import org.spicecodec.core.vectors.Vector;
import org.spicecodec.core.vectors.VectorSet;
import org.spicecodec.core.vectors.VendoredVectors;

/** Shared helpers of the QUIC tests: the vendored vector set, layouts, expected decodes. */
final class QuicTestSupport {
    private QuicTestSupport() {
    }

    /** The vector set vendored in the repository. */
    static VectorSet vectorSet() {
        return VendoredVectors.set();
    }

    static Vector vector(String id) {
        return VendoredVectors.vector(id);
    }

    static byte[] encoded(String id) {
        return VendoredVectors.encoded(id);
    }

    static byte[] input(Vector v) {
        return VendoredVectors.input(v);
    }

    /** The bitmap format of a manifest type name ("GRAY", "RGB16", ...). */
    static SpiceBitmapFormat format(String typeName) {
        return typeName.equals("GRAY") ? SpiceBitmapFormat.GRAY8 : SpiceBitmapFormat.valueOf(typeName);
    }

    static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replaceAll("\\s+", ""));
    }

    /** Fails with the first differing index instead of dumping megabytes of array. */
    static void assertBytes(byte[] actual, int actualOff, int actualLen, byte[] expected, String what) {
        if (actualLen != expected.length) {
            fail("%s: %d bytes, expected %d", what, actualLen, expected.length);
        }
        int i = java.util.Arrays.mismatch(actual, actualOff, actualOff + actualLen, expected, 0, expected.length);
        if (i >= 0) {
            fail("%s: first difference at byte %d of %d: 0x%02x, expected 0x%02x", what, i, expected.length,
                    actual[actualOff + i] & 0xFF, expected[i] & 0xFF);
        }
    }

    static void assertBytes(byte[] actual, byte[] expected, String what) {
        assertBytes(actual, 0, actual.length, expected, what);
    }

    /**
     * The tight top-down image a QUIC decoder must produce from {@code src}, stored with
     * {@code stride} and the given row order, decoding to {@code target}: the rules of the
     * vector set's README (X byte 0, bit 15 cleared, 5 to 8 bit expansion).
     */
    static byte[] expectedDecode(SpiceBitmapFormat srcFormat, int width, int height, byte[] src, int srcOff,
                                 int stride, boolean topDown, SpiceBitmapFormat target) {
        int outBpp = target.bytesPerPixel();
        int inBpp = srcFormat.bytesPerPixel();
        byte[] out = new byte[width * height * outBpp];
        for (int y = 0; y < height; y++) {
            int s = srcOff + (topDown ? y : height - 1 - y) * stride;
            int d = y * width * outBpp;
            for (int x = 0; x < width; x++, s += inBpp, d += outBpp) {
                int b;
                int g;
                int r;
                int a = 0;
                if (srcFormat == SpiceBitmapFormat.GRAY8) {
                    out[d] = src[s];
                    continue;
                } else if (srcFormat == SpiceBitmapFormat.RGB16) {
                    int v = (src[s] & 0xFF) | (src[s + 1] & 0xFF) << 8;
                    if (target == SpiceBitmapFormat.RGB16) {
                        v &= 0x7FFF;
                        out[d] = (byte) v;
                        out[d + 1] = (byte) (v >>> 8);
                        continue;
                    }
                    b = expand5(v);
                    g = expand5(v >>> 5);
                    r = expand5(v >>> 10);
                } else {
                    b = src[s] & 0xFF;
                    g = src[s + 1] & 0xFF;
                    r = src[s + 2] & 0xFF;
                    if (srcFormat == SpiceBitmapFormat.RGBA) {
                        a = src[s + 3] & 0xFF;
                    }
                }
                out[d] = (byte) b;
                out[d + 1] = (byte) g;
                out[d + 2] = (byte) r;
                if (outBpp == 4) {
                    out[d + 3] = (byte) a;
                }
            }
        }
        return out;
    }

    static int expand5(int c) {
        c &= 0x1F;
        return c << 3 | c >>> 2;
    }

    /**
     * Copies {@code rows} rows of {@code stride} bytes into chunks of random row counts (some
     * empty), each in its own array at a random offset with random bytes around it.
     */
    static SpiceChunks randomChunks(byte[] data, int dataOff, int stride, int rows, Random rnd) {
        SpiceChunks.Builder b = SpiceChunks.builder();
        int row = 0;
        int pieces = 0;
        while (row < rows || pieces == 0) {
            int n = rnd.nextInt(8) == 0 ? 0 : 1 + rnd.nextInt(Math.max(1, Math.min(rows - row, rows / 3 + 1)));
            n = Math.min(n, rows - row);
            int lead = rnd.nextInt(9);
            byte[] arr = new byte[lead + n * stride + rnd.nextInt(9)];
            rnd.nextBytes(arr);
            System.arraycopy(data, dataOff + row * stride, arr, lead, n * stride);
            b.add(arr, lead, n * stride);
            row += n;
            pieces++;
        }
        return b.build();
    }

    /** Concatenates the rows held by {@code chunks}, in storage order. */
    static byte[] gather(SpiceChunks chunks) {
        byte[] out = new byte[Math.toIntExact(chunks.totalLength())];
        int p = 0;
        for (int i = 0; i < chunks.count(); i++) {
            System.arraycopy(chunks.data(i), chunks.offset(i), out, p, chunks.length(i));
            p += chunks.length(i);
        }
        return out;
    }
}
