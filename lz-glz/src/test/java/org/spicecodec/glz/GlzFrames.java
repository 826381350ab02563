package org.spicecodec.glz;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpicePalette;

/** Synthetic desktop-like frames that scroll, so consecutive images share rows. */
final class GlzFrames {
    private GlzFrames() {
    }

    static int bytesPerRow(SpiceBitmapFormat f, int width) {
        return (int) f.minStride(width);
    }

    /** A "virtual document" of rows; frame k shows rows [k*scroll, k*scroll + height). */
    static byte[] document(Random rnd, SpiceBitmapFormat f, int width, int rows) {
        int stride = bytesPerRow(f, width);
        byte[] doc = new byte[stride * rows];
        byte[] line = new byte[stride];
        for (int r = 0; r < rows; r++) {
            int kind = rnd.nextInt(4);
            if (kind == 0 && r > 0) {
                // repeat an earlier row (text documents repeat a lot)
                int src = rnd.nextInt(r);
                System.arraycopy(doc, src * stride, doc, r * stride, stride);
                continue;
            }
            if (kind == 1) {
                // flat background
                byte v = (byte) rnd.nextInt(4);
                java.util.Arrays.fill(line, v);
            } else {
                // "text": runs of a few values
                int i = 0;
                while (i < stride) {
                    int run = 1 + rnd.nextInt(12);
                    byte v = (byte) (rnd.nextInt(3) == 0 ? rnd.nextInt(256) : rnd.nextInt(3));
                    for (int j = 0; j < run && i < stride; j++) {
                        line[i++] = v;
                    }
                }
            }
            System.arraycopy(line, 0, doc, r * stride, stride);
        }
        // clear padding bits so palette rows are clean (the decoder keeps them anyway)
        return doc;
    }

    /** A fresh array holding frame {@code k}. */
    static byte[] frame(byte[] doc, SpiceBitmapFormat f, int width, int height, int first) {
        int stride = bytesPerRow(f, width);
        byte[] out = new byte[stride * height];
        System.arraycopy(doc, first * stride, out, 0, out.length);
        return out;
    }

    /** Random chunking of {@code height} rows, or null for one chunk. */
    static List<Integer> segments(Random rnd, int height) {
        if (rnd.nextBoolean()) {
            return null;
        }
        List<Integer> s = new ArrayList<>();
        int left = height;
        while (left > 0) {
            int n = Math.min(left, 1 + rnd.nextInt(Math.max(1, height / 2)));
            s.add(n);
            left -= n;
        }
        return s;
    }

    static SpicePalette palette(Random rnd, SpiceBitmapFormat f) {
        int n = f.maxPaletteEntries();
        int[] ents = new int[n];
        for (int i = 0; i < n; i++) {
            ents[i] = rnd.nextInt() & 0xFFFFFF;
        }
        return new SpicePalette(7, ents);
    }

    /** What the GLZ decoder must produce for a bitmap: 4-byte pixels in stream order. */
    static byte[] expected(SpiceBitmap b, byte[] data, SpicePalette pal) {
        SpiceBitmapFormat f = b.format();
        int h = b.height();
        int stride = b.stride();
        if (f.isPalette()) {
            int ppb = 8 / f.bitsPerPixel();
            int rowPx = stride * ppb;
            byte[] out = new byte[rowPx * h * 4];
            int o = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < rowPx; x++) {
                    int v = data[y * stride + x / ppb] & 0xFF;
                    int idx;
                    switch (f) {
                        case PLT1_LE -> idx = (v >> (x % 8)) & 1;
                        case PLT1_BE -> idx = (v >> (7 - x % 8)) & 1;
                        case PLT4_LE -> idx = ((x & 1) == 0 ? v & 15 : v >> 4) % pal.size();
                        case PLT4_BE -> idx = ((x & 1) == 0 ? v >> 4 : v & 15) % pal.size();
                        default -> idx = v;
                    }
                    int e = pal.get(idx);
                    out[o++] = (byte) e;
                    out[o++] = (byte) (e >> 8);
                    out[o++] = (byte) (e >> 16);
                    out[o++] = 0;
                }
            }
            return out;
        }
        int w = b.width();
        byte[] out = new byte[w * h * 4];
        int bpp = f.bytesPerPixel();
        for (int i = 0; i < w * h; i++) {
            int s = i * bpp;
            int o = i * 4;
            if (f == SpiceBitmapFormat.RGB16) {
                int v = (data[s] & 0xFF) | (data[s + 1] & 0xFF) << 8;
                out[o] = (byte) expand5(v);
                out[o + 1] = (byte) expand5(v >> 5);
                out[o + 2] = (byte) expand5(v >> 10);
            } else {
                out[o] = data[s];
                out[o + 1] = data[s + 1];
                out[o + 2] = data[s + 2];
                if (f == SpiceBitmapFormat.RGBA) {
                    out[o + 3] = data[s + 3];
                }
            }
        }
        return out;
    }

    private static int expand5(int v) {
        v &= 31;
        return (v << 3) | (v >> 2);
    }
}
