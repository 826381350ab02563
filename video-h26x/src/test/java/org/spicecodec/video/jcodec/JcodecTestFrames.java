package org.spicecodec.video.jcodec;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;

/** The real test picture (see src/test/resources/jcodec/MANIFEST.json) and picture metrics. */
final class JcodecTestFrames {
    static final String EARTH = "/jcodec/palette_tk86-doc_earth_320x200_253colors.gif";

    private JcodecTestFrames() {
    }

    static BufferedImage earth() {
        try (InputStream in = JcodecTestFrames.class.getResourceAsStream(EARTH)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + EARTH);
            }
            return ImageIO.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A {@code w x h} RGB32 top-down bitmap of the image, its content moved {@code shift}
     * pixels left and down (wrapping around), so successive shifts look like panning.
     */
    static SpiceBitmap shifted(BufferedImage img, int w, int h, int shift) {
        return convert(img, SpiceBitmapFormat.RGB32, w, h, shift, true);
    }

    /** As {@link #shifted}, in any RGB format and row order. */
    static SpiceBitmap convert(BufferedImage img, SpiceBitmapFormat f, int w, int h, int shift, boolean topDown) {
        int bpp = f.bytesPerPixel();
        int stride = (int) f.minStride(w) + 4;
        byte[] data = new byte[stride * h];
        for (int y = 0; y < h; y++) {
            int stored = topDown ? y : h - 1 - y;
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(Math.floorMod(x + shift, img.getWidth()), Math.floorMod(y - shift, img.getHeight()));
                int p = stored * stride + x * bpp;
                if (f == SpiceBitmapFormat.RGB16) {
                    int v = ((rgb >> 19) & 31) << 10 | ((rgb >> 11) & 31) << 5 | ((rgb >> 3) & 31);
                    data[p] = (byte) v;
                    data[p + 1] = (byte) (v >> 8);
                } else {
                    data[p] = (byte) rgb;
                    data[p + 1] = (byte) (rgb >> 8);
                    data[p + 2] = (byte) (rgb >> 16);
                    if (bpp == 4) {
                        data[p + 3] = (byte) 0x7F;
                    }
                }
            }
        }
        return SpiceBitmap.of(f, w, h, stride, topDown, data, 0);
    }

    /** R, G, B of picture pixel (x, y) of an RGB32/RGBA/RGB24/RGB16 bitmap (one chunk). */
    static int rgb(SpiceBitmap b, int x, int y) {
        int stored = b.topDown() ? y : b.height() - 1 - y;
        byte[] d = b.data();
        int p = b.offset() + stored * b.stride() + x * b.format().bytesPerPixel();
        if (b.format() == SpiceBitmapFormat.RGB16) {
            int v = (d[p] & 255) | (d[p + 1] & 255) << 8;
            int r = (v >> 10) & 31;
            int g = (v >> 5) & 31;
            int bl = v & 31;
            return ((r << 3) | (r >> 2)) << 16 | ((g << 3) | (g >> 2)) << 8 | ((bl << 3) | (bl >> 2));
        }
        return (d[p + 2] & 255) << 16 | (d[p + 1] & 255) << 8 | (d[p] & 255);
    }

    /** PSNR over R, G and B of the {@code w x h} top-left pixels. */
    static double psnr(SpiceBitmap a, SpiceBitmap b, int w, int h) {
        double se = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = rgb(a, x, y);
                int q = rgb(b, x, y);
                for (int s = 0; s < 24; s += 8) {
                    int d = ((p >> s) & 255) - ((q >> s) & 255);
                    se += d * d;
                }
            }
        }
        double mse = se / (3.0 * w * h);
        return mse == 0 ? 99 : 10 * Math.log10(255 * 255 / mse);
    }

    /** nal_unit_type of every NAL unit in an Annex B buffer, asserting 4-byte start codes. */
    static int[] nalTypes(byte[] d, int len) {
        int[] types = new int[len / 4 + 1];
        int n = 0;
        if (len < 5 || d[0] != 0 || d[1] != 0 || d[2] != 0 || d[3] != 1) {
            throw new AssertionError("access unit does not start with 00 00 00 01");
        }
        for (int i = 0; i + 3 < len; i++) {
            if (d[i] == 0 && d[i + 1] == 0 && d[i + 2] == 1) {
                types[n++] = d[i + 3] & 31;
                i += 2;
            }
        }
        return java.util.Arrays.copyOf(types, n);
    }
}
