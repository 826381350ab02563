package org.spicecodec.lz4;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.spicecodec.core.SpiceBitmapFormat;

/** Payloads and pixels for the LZ4 tests. */
final class Lz4TestData {
    private Lz4TestData() {
    }

    /** The implementations available here: Java always, native when it loads. */
    static List<Lz4Codec> codecs() {
        List<Lz4Codec> list = new ArrayList<>();
        list.add(Lz4Codec.of(Lz4Codec.Impl.JAVA));
        if (Lz4Codec.nativeAvailable()) {
            list.add(Lz4Codec.of(Lz4Codec.Impl.NATIVE));
        }
        return list;
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /**
     * Bulk data as a redirected USB disk or serial port might carry it: runs of zeros,
     * repeated text records and a few random bytes.
     */
    static byte[] realistic(int n, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[n];
        byte[][] words = {
            "GET /index.html HTTP/1.1\r\nHost: example.org\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
            "usbredir: bulk packet ep 0x81 status 0 len 512\n".getBytes(StandardCharsets.US_ASCII),
            "The quick brown fox jumps over the lazy dog. ".getBytes(StandardCharsets.US_ASCII),
        };
        int p = 0;
        while (p < n) {
            int kind = r.nextInt(10);
            int len;
            if (kind < 3) {
                len = Math.min(n - p, 1 + r.nextInt(600)); // zeros, as in empty sectors
            } else if (kind < 9) {
                byte[] w = words[r.nextInt(words.length)];
                len = Math.min(n - p, w.length);
                System.arraycopy(w, 0, b, p, len);
            } else {
                len = Math.min(n - p, 1 + r.nextInt(40));
                for (int i = 0; i < len; i++) {
                    b[p + i] = (byte) r.nextInt();
                }
            }
            p += len;
        }
        return b;
    }

    /** A desktop-like picture: gradients, flat areas and some noise, in {@code format}'s bytes. */
    static byte[] pixels(SpiceBitmapFormat format, int width, int height, int stride, long seed) {
        Random r = new Random(seed);
        int bpp = format.bytesPerPixel();
        byte[] d = new byte[stride * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int red;
                int green;
                int blue;
                if (y < height / 3) {
                    red = x * 255 / Math.max(1, width - 1);
                    green = y * 7;
                    blue = 128;
                } else if (x % 40 < 30) {
                    red = 230;
                    green = 230;
                    blue = 240;
                } else {
                    red = r.nextInt(256);
                    green = r.nextInt(256);
                    blue = r.nextInt(256);
                }
                int p = y * stride + x * bpp;
                switch (format) {
                    case RGB16 -> {
                        int v = ((red >> 3) << 10) | ((green >> 3) << 5) | (blue >> 3);
                        d[p] = (byte) v;
                        d[p + 1] = (byte) (v >> 8);
                    }
                    case RGB24 -> {
                        d[p] = (byte) blue;
                        d[p + 1] = (byte) green;
                        d[p + 2] = (byte) red;
                    }
                    case RGB32, RGBA -> {
                        d[p] = (byte) blue;
                        d[p + 1] = (byte) green;
                        d[p + 2] = (byte) red;
                        d[p + 3] = (byte) (format == SpiceBitmapFormat.RGBA ? x ^ y : 0);
                    }
                    default -> throw new AssertionError(format);
                }
            }
            for (int p = y * stride + width * bpp; p < (y + 1) * stride; p++) {
                d[p] = (byte) 0xEE; // padding: must not be encoded
            }
        }
        return d;
    }
}
