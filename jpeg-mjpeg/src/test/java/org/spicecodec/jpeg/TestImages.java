package org.spicecodec.jpeg;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

import javax.imageio.ImageIO;

import org.spicecodec.core.BufferedImages;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;

/** Corpus images and picture comparisons for the JPEG tests. */
final class TestImages {
    private static final String CORPUS = "../corpus/src/main/resources/org/spicecodec/corpus/default/";
    static final String ASTRONAUT = CORPUS + "photo/skimage_astronaut_512x512.png";
    static final String ICON = CORPUS + "synthetic-ui/icon_adwaita_input-gaming_512x512_rgba.png";

    private TestImages() {
    }

    static BufferedImage load(String path) {
        try {
            BufferedImage img = ImageIO.read(new File(path));
            if (img == null) {
                throw new IllegalStateException("not an image: " + path);
            }
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SpiceBitmap bitmap(String path, SpiceBitmapFormat format) {
        return BufferedImages.toBitmap(load(path), format);
    }

    /** The same picture stored bottom row first, with {@code pad} extra bytes per row. */
    static SpiceBitmap bottomUp(SpiceBitmap topDown, int pad) {
        int stride = topDown.stride() + pad;
        int h = topDown.height();
        byte[] d = new byte[stride * h];
        Arrays.fill(d, (byte) 0x5A);
        for (int y = 0; y < h; y++) {
            System.arraycopy(topDown.data(), topDown.offset() + y * topDown.stride(), d, (h - 1 - y) * stride,
                    topDown.stride());
        }
        return SpiceBitmap.of(topDown.format(), topDown.width(), h, stride, false, d, 0);
    }

    /** PSNR in dB over the R, G and B channels of two pictures (picture order). */
    static double psnrRgb(SpiceBitmap a, SpiceBitmap b) {
        int[] pa = argb(a);
        int[] pb = argb(b);
        double se = 0;
        for (int i = 0; i < pa.length; i++) {
            for (int sh = 0; sh <= 16; sh += 8) {
                int d = ((pa[i] >>> sh) & 0xFF) - ((pb[i] >>> sh) & 0xFF);
                se += d * d;
            }
        }
        double mse = se / (3.0 * pa.length);
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    }

    /** The alpha bytes in picture order. */
    static byte[] alpha(SpiceBitmap rgba) {
        int[] p = argb(rgba);
        byte[] a = new byte[p.length];
        for (int i = 0; i < p.length; i++) {
            a[i] = (byte) (p[i] >>> 24);
        }
        return a;
    }

    static int[] argb(SpiceBitmap bm) {
        BufferedImage img = BufferedImages.toBufferedImage(bm);
        return img.getRGB(0, 0, bm.width(), bm.height(), null, 0, bm.width());
    }

    /** A top-left crop, top-down and tightly packed. */
    static SpiceBitmap crop(SpiceBitmap src, int w, int h) {
        SpiceBitmapFormat f = src.format();
        int bpp = f.bytesPerPixel();
        byte[] d = new byte[w * h * bpp];
        for (int y = 0; y < h; y++) {
            System.arraycopy(src.data(), src.offset() + y * src.stride(), d, y * w * bpp, w * bpp);
        }
        return SpiceBitmap.of(f, w, h, d);
    }
}
