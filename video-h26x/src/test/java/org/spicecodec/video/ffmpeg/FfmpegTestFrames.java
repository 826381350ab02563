package org.spicecodec.video.ffmpeg;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import org.spicecodec.core.BufferedImages;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;

/** The test picture and pixel helpers shared by the FFmpeg backend tests. */
final class FfmpegTestFrames {
    /** skimage's chelsea.png, 451x300, CC0 (see MANIFEST.json beside it). */
    static final String CAT = "/org/spicecodec/video/ffmpeg/skimage_chelsea_cat_451x300.png";

    private static SpiceBitmap cat;

    private FfmpegTestFrames() {
    }

    /** The cat picture as a tight top-down RGB32 bitmap. */
    static synchronized SpiceBitmap cat() {
        if (cat == null) {
            try (InputStream in = FfmpegTestFrames.class.getResourceAsStream(CAT)) {
                BufferedImage img = ImageIO.read(in);
                cat = BufferedImages.toBitmap(img, SpiceBitmapFormat.RGB32);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cat;
    }

    /** A tight top-down RGB32 copy of {@code w x h} pixels of {@code src} from (x, y). */
    static SpiceBitmap crop(SpiceBitmap src, int x, int y, int w, int h) {
        byte[] out = new byte[w * h * 4];
        for (int r = 0; r < h; r++) {
            System.arraycopy(src.data(), src.offset() + (y + r) * src.stride() + x * 4, out, r * w * 4, w * 4);
        }
        return SpiceBitmap.of(SpiceBitmapFormat.RGB32, w, h, out);
    }

    /**
     * {@code src} (tight top-down RGB32) in {@code format} with {@code stride} bytes per row
     * (the gap filled with 0x5A) and the given row order; memory row i holds picture row i
     * when top-down, picture row h-1-i when bottom-up.
     */
    static SpiceBitmap convert(SpiceBitmap src, SpiceBitmapFormat format, int stride, boolean topDown) {
        int w = src.width();
        int h = src.height();
        byte[] out = new byte[stride * h];
        java.util.Arrays.fill(out, (byte) 0x5A);
        byte[] in = src.data();
        for (int y = 0; y < h; y++) {
            int mem = topDown ? y : h - 1 - y;
            for (int x = 0; x < w; x++) {
                int s = y * w * 4 + x * 4;
                int b = in[s] & 255, g = in[s + 1] & 255, r = in[s + 2] & 255;
                int d = mem * stride;
                switch (format) {
                    case RGB32, RGBA -> {
                        out[d + x * 4] = (byte) b;
                        out[d + x * 4 + 1] = (byte) g;
                        out[d + x * 4 + 2] = (byte) r;
                        out[d + x * 4 + 3] = (byte) (format == SpiceBitmapFormat.RGBA ? 255 : 0);
                    }
                    case RGB24 -> {
                        out[d + x * 3] = (byte) b;
                        out[d + x * 3 + 1] = (byte) g;
                        out[d + x * 3 + 2] = (byte) r;
                    }
                    case RGB16 -> {
                        int v = (r >> 3) << 10 | (g >> 3) << 5 | b >> 3;
                        out[d + x * 2] = (byte) v;
                        out[d + x * 2 + 1] = (byte) (v >> 8);
                    }
                    default -> throw new IllegalArgumentException(format.toString());
                }
            }
        }
        return SpiceBitmap.of(format, w, h, stride, topDown, out, 0);
    }

    /** PSNR in dB over B, G, R of two tight top-down RGB32 bitmaps of one size. */
    static double psnr(SpiceBitmap a, SpiceBitmap b) {
        if (a.width() != b.width() || a.height() != b.height()) {
            throw new IllegalArgumentException(a + " vs " + b);
        }
        return psnr(a.data(), a.offset(), a.stride(), b.data(), b.offset(), b.stride(), a.width(), a.height());
    }

    static double psnr(byte[] a, int aOff, int aStride, byte[] b, int bOff, int bStride, int w, int h) {
        double se = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    int d = (a[aOff + y * aStride + x * 4 + c] & 255) - (b[bOff + y * bStride + x * 4 + c] & 255);
                    se += d * d;
                }
            }
        }
        double mse = se / (3.0 * w * h);
        return mse == 0 ? 99 : 10 * Math.log10(255.0 * 255.0 / mse);
    }
}
