package org.spicecodec.lz;

import static org.assertj.core.api.Assertions.fail;

import java.util.HexFormat;
import java.util.Random;

import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpiceChunks;
import org.spicecodec.core.SpicePalette;
import org.spicecodec.core.vectors.Vector;
import org.spicecodec.core.vectors.VectorSet;
import org.spicecodec.core.vectors.VendoredVectors;

/** Shared helpers of the LZ tests: the vendored vector set, layouts, expected decodes. */
final class LzTestSupport {
    private LzTestSupport() {
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

    /** The bitmap format of a decode target name ("RGB32", "XXXA", ...). */
    static SpiceBitmapFormat format(String typeName) {
        return typeName.equals("XXXA") ? SpiceBitmapFormat.RGBA : SpiceBitmapFormat.valueOf(typeName);
    }

    static int[] palette(Vector v) {
        return VendoredVectors.palette(v);
    }

    static SpicePalette spicePalette(Vector v) {
        int[] p = palette(v);
        return p == null ? null : new SpicePalette(1, p);
    }

    /** The vector's input split as the reference received it ({@code segments}), or one chunk. */
    static SpiceChunks segments(Vector v, byte[] in) {
        return VendoredVectors.chunks(in, v.stride(), v.segments());
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

    static int expand5(int c) {
        c &= 0x1F;
        return c << 3 | c >>> 2;
    }

    /**
     * The output the README's LZ rules give for decoding {@code src} (rows as stored, packed
     * stride) to {@code target}; palette images to RGB32 are {@code stride × ppb} pixels wide.
     */
    static byte[] expectedDecode(LzImageType type, int width, int height, byte[] src, int stride, int[] pal,
                                 SpiceBitmapFormat target) {
        if (type.isPalette()) {
            if (target != SpiceBitmapFormat.RGB32) {
                return java.util.Arrays.copyOf(src, stride * height);
            }
            int ppb = type.pixelsPerByte();
            int gw = stride * ppb;
            byte[] out = new byte[gw * 4 * height];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < gw; x++) {
                    int b = src[y * stride + x / ppb] & 0xFF;
                    int idx = switch (type) {
                        case PLT8 -> b;
                        case PLT4_LE -> (x & 1) == 0 ? b & 15 : b >>> 4;
                        case PLT4_BE -> (x & 1) == 0 ? b >>> 4 : b & 15;
                        case PLT1_LE -> (b >>> (x & 7)) & 1;
                        default -> (b >>> (7 - (x & 7))) & 1;
                    };
                    int e = type == LzImageType.PLT8 ? (idx < pal.length ? pal[idx] : 0)
                            : type == LzImageType.PLT1_LE || type == LzImageType.PLT1_BE ? pal[idx]
                            : pal[idx % pal.length];
                    int d = (y * gw + x) * 4;
                    out[d] = (byte) e;
                    out[d + 1] = (byte) (e >>> 8);
                    out[d + 2] = (byte) (e >>> 16);
                }
            }
            return out;
        }
        int n = width * height;
        int outBpp = target.bytesPerPixel();
        byte[] out = new byte[n * outBpp];
        for (int i = 0; i < n; i++) {
            int d = i * outBpp;
            switch (type) {
                case A8 -> {
                    if (outBpp == 1) {
                        out[d] = src[i];
                    } else {
                        out[d + 3] = src[i];
                    }
                }
                case RGB16 -> {
                    int v = (src[2 * i] & 0xFF) | (src[2 * i + 1] & 0xFF) << 8;
                    if (outBpp == 2) {
                        out[d] = (byte) v;
                        out[d + 1] = (byte) (v >>> 8);
                    } else {
                        out[d] = (byte) expand5(v);
                        out[d + 1] = (byte) expand5(v >>> 5);
                        out[d + 2] = (byte) expand5(v >>> 10);
                    }
                }
                case RGB24 -> {
                    System.arraycopy(src, 3 * i, out, d, 3);
                }
                case RGB32 -> System.arraycopy(src, 4 * i, out, d, 3);
                case RGBA -> System.arraycopy(src, 4 * i, out, d, 4);
                case XXXA -> out[d + 3] = src[4 * i + 3];
                default -> throw new IllegalArgumentException(type.toString());
            }
        }
        return out;
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
