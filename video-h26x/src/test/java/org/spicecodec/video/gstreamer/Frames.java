package org.spicecodec.video.gstreamer;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;

/**
 * Real video frames for the GStreamer tests: a window panning across the corpus photo
 * {@code skimage_chelsea_cat_451x300.png} (CC0, see the README beside it), and PSNR.
 */
final class Frames {
    static final int SOURCE_WIDTH = 451;
    static final int SOURCE_HEIGHT = 300;
    /** The photo as B, G, R, X rows. */
    private static final byte[] BGRX = load();

    private Frames() {
    }

    private static byte[] load() {
        try (InputStream in = Frames.class.getResourceAsStream("/gstreamer/skimage_chelsea_cat_451x300.png")) {
            BufferedImage img = ImageIO.read(in);
            if (img.getWidth() != SOURCE_WIDTH || img.getHeight() != SOURCE_HEIGHT) {
                throw new IllegalStateException("unexpected test image size " + img.getWidth() + "x" + img.getHeight());
            }
            byte[] out = new byte[SOURCE_WIDTH * SOURCE_HEIGHT * 4];
            for (int y = 0; y < SOURCE_HEIGHT; y++) {
                for (int x = 0; x < SOURCE_WIDTH; x++) {
                    int rgb = img.getRGB(x, y);
                    int i = (y * SOURCE_WIDTH + x) * 4;
                    out[i] = (byte) rgb;
                    out[i + 1] = (byte) (rgb >> 8);
                    out[i + 2] = (byte) (rgb >> 16);
                    out[i + 3] = (byte) 0xff;
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Frame {@code n} of a {@code w x h} pan: the window moves 3 px right and 2 px down per
     * frame, bouncing at the photo's edges; sizes beyond the photo tile it.
     */
    static SpiceBitmap frame(int n, int w, int h) {
        byte[] px = new byte[w * h * 4];
        fill(n, w, h, px);
        return SpiceBitmap.of(SpiceBitmapFormat.RGB32, w, h, px);
    }

    /** Writes frame {@code n} into {@code px} (w*h*4 bytes, tight stride). */
    static void fill(int n, int w, int h, byte[] px) {
        int ox = bounce(3 * n, Math.max(1, SOURCE_WIDTH - Math.min(w, SOURCE_WIDTH)));
        int oy = bounce(2 * n, Math.max(1, SOURCE_HEIGHT - Math.min(h, SOURCE_HEIGHT)));
        for (int y = 0; y < h; y++) {
            int sy = (oy + y) % SOURCE_HEIGHT;
            for (int x = 0; x < w; ) {
                int sx = (ox + x) % SOURCE_WIDTH;
                int run = Math.min(w - x, SOURCE_WIDTH - sx);
                System.arraycopy(BGRX, (sy * SOURCE_WIDTH + sx) * 4, px, (y * w + x) * 4, run * 4);
                x += run;
            }
        }
    }

    private static int bounce(int v, int range) {
        int p = v % (2 * range);
        return p < range ? p : 2 * range - p;
    }

    /** PSNR over B, G and R of two RGB32 bitmaps of one size (X ignored). */
    static double psnr(SpiceBitmap a, SpiceBitmap b) {
        if (a.width() != b.width() || a.height() != b.height()) {
            throw new IllegalArgumentException(a + " vs " + b);
        }
        long se = 0;
        for (int y = 0; y < a.height(); y++) {
            int ra = a.offset() + row(a, y) * a.stride();
            int rb = b.offset() + row(b, y) * b.stride();
            for (int x = 0; x < a.width() * 4; x++) {
                if ((x & 3) == 3) {
                    continue;
                }
                int d = (a.data()[ra + x] & 0xff) - (b.data()[rb + x] & 0xff);
                se += (long) d * d;
            }
        }
        double mse = (double) se / (3.0 * a.width() * a.height());
        return mse == 0 ? 99 : 10 * Math.log10(255.0 * 255.0 / mse);
    }

    private static int row(SpiceBitmap b, int y) {
        return b.topDown() ? y : b.height() - 1 - y;
    }
}
