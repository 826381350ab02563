package org.spicecodec.mjpeg;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;

import javax.imageio.ImageIO;

import org.spicecodec.core.BufferedImages;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;

/** Corpus pictures and picture comparisons for the MJPEG tests (bitmaps are plain arrays). */
final class Pictures {
    private static final String CORPUS = "../corpus/src/main/resources/org/spicecodec/corpus/default/";
    static final String ASTRONAUT = CORPUS + "photo/skimage_astronaut_512x512.png";
    static final String COFFEE = CORPUS + "photo/skimage_coffee_600x400.png";

    private Pictures() {
    }

    static SpiceBitmap load(String path, SpiceBitmapFormat format) {
        try {
            BufferedImage img = ImageIO.read(new File(path));
            if (img == null) {
                throw new IllegalStateException("not an image: " + path);
            }
            return BufferedImages.toBitmap(img, format);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A tightly packed top-down copy of a rectangle (picture coordinates) of a top-down bitmap. */
    static SpiceBitmap crop(SpiceBitmap src, int left, int top, int w, int h) {
        int bpp = src.format().bytesPerPixel();
        byte[] d = new byte[w * h * bpp];
        for (int y = 0; y < h; y++) {
            System.arraycopy(src.data(), src.offset() + (top + y) * src.stride() + left * bpp, d, y * w * bpp, w * bpp);
        }
        return SpiceBitmap.of(src.format(), w, h, d);
    }

    /** The same rows stored the other way round (the flag flipped too): same picture. */
    static SpiceBitmap storedBottomUp(SpiceBitmap topDown) {
        int stride = topDown.stride();
        int h = topDown.height();
        byte[] d = new byte[stride * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(topDown.data(), topDown.offset() + y * stride, d, (h - 1 - y) * stride, stride);
        }
        return SpiceBitmap.of(topDown.format(), topDown.width(), h, stride, false, d, 0);
    }

    /** The picture upside down, top-down. */
    static SpiceBitmap flipped(SpiceBitmap topDown) {
        SpiceBitmap b = storedBottomUp(topDown);
        return SpiceBitmap.of(b.format(), b.width(), b.height(), b.stride(), true, b.data(), 0);
    }

    /**
     * PSNR over B, G, R of two RGB32/RGB24/RGBA bitmaps of the same size, compared in memory
     * order (row i of one with row i of the other).
     */
    static double psnrMemoryOrder(SpiceBitmap a, SpiceBitmap b) {
        int w = a.width();
        int h = a.height();
        int ba = a.format().bytesPerPixel();
        int bb = b.format().bytesPerPixel();
        double se = 0;
        for (int y = 0; y < h; y++) {
            int pa = a.offset() + y * a.stride();
            int pb = b.offset() + y * b.stride();
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    int d = (a.data()[pa + x * ba + c] & 0xFF) - (b.data()[pb + x * bb + c] & 0xFF);
                    se += d * d;
                }
            }
        }
        double mse = se / (3.0 * w * h);
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    }
}
