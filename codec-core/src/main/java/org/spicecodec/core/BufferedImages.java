package org.spicecodec.core;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/** Converts between {@link BufferedImage} and {@link SpiceBitmap}. */
public final class BufferedImages {
    private BufferedImages() {
    }

    /**
     * Copies {@code image} into a new top-down bitmap of {@code format}. Colour formats take
     * the sRGB colour of each pixel; {@link SpiceBitmapFormat#RGBA} keeps alpha,
     * {@link SpiceBitmapFormat#A8} keeps only alpha, and {@link SpiceBitmapFormat#GRAY8} takes
     * the stored samples of gray images (ITU-R BT.601 luma of colour ones). Palette formats are
     * not supported here.
     */
    public static SpiceBitmap toBitmap(BufferedImage image, SpiceBitmapFormat format) {
        if (format.isPalette()) {
            throw new IllegalArgumentException("palette formats need a palette: " + format);
        }
        int w = image.getWidth();
        int h = image.getHeight();
        SpiceBitmap bm = SpiceBitmap.allocate(format, w, h);
        byte[] d = bm.data();
        int stride = bm.stride();
        int[] row = new int[w];
        // Java's gray images are in a linear colour space, so getRGB would brighten them: their
        // stored samples are taken as they are (16-bit ones keep the high byte, 1, 2 and 4-bit
        // ones stretch to 0..255), as gray in every channel.
        Raster raster = image.getRaster();
        ColorModel cm = image.getColorModel();
        boolean gray = raster.getNumBands() == 1 && !(cm instanceof IndexColorModel)
                && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
        int bits = raster.getSampleModel().getSampleSize(0);
        for (int y = 0; y < h; y++) {
            if (gray) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    int v = bits >= 8 ? row[x] >>> (bits - 8) : row[x] * 255 / ((1 << bits) - 1);
                    row[x] = 0xFF000000 | v * 0x010101;
                }
            } else {
                image.getRGB(0, y, w, 1, row, 0, w);
            }
            int p = y * stride;
            for (int x = 0; x < w; x++) {
                int argb = row[x];
                int r = (argb >>> 16) & 0xFF;
                int g = (argb >>> 8) & 0xFF;
                int b = argb & 0xFF;
                switch (format) {
                    case RGB32, RGBA -> {
                        d[p++] = (byte) b;
                        d[p++] = (byte) g;
                        d[p++] = (byte) r;
                        d[p++] = format == SpiceBitmapFormat.RGBA ? (byte) (argb >>> 24) : 0;
                    }
                    case RGB24 -> {
                        d[p++] = (byte) b;
                        d[p++] = (byte) g;
                        d[p++] = (byte) r;
                    }
                    case RGB16 -> {
                        int v = ((r >>> 3) << 10) | ((g >>> 3) << 5) | (b >>> 3);
                        d[p++] = (byte) v;
                        d[p++] = (byte) (v >>> 8);
                    }
                    case A8 -> d[p++] = (byte) (argb >>> 24);
                    case GRAY8 -> d[p++] = (byte) (r == g && g == b ? g : (299 * r + 587 * g + 114 * b + 500) / 1000);
                    default -> throw new AssertionError(format);
                }
            }
        }
        return bm;
    }

    /**
     * Renders {@code bitmap} as a {@link BufferedImage} (TYPE_INT_ARGB for RGBA and A8,
     * TYPE_INT_RGB otherwise), the top of the picture at the top whatever the storage order.
     * RGB16 components expand 5 to 8 bits as SPICE does: {@code (c << 3) | (c >> 2)}.
     * Palette formats need a palette; indices past its end render as black.
     */
    public static BufferedImage toBufferedImage(SpiceBitmap bitmap) {
        SpiceBitmapFormat f = bitmap.format();
        int w = bitmap.width();
        int h = bitmap.height();
        boolean alpha = f == SpiceBitmapFormat.RGBA || f == SpiceBitmapFormat.A8;
        BufferedImage img = new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        SpicePalette pal = bitmap.palette();
        if (f.isPalette() && pal == null) {
            throw new IllegalArgumentException(f + " bitmap has no palette");
        }
        int[] row = new int[w];
        RowCursor rows = new RowCursor();
        rows.reset(bitmap, true);
        for (int y = 0; rows.next(); y++) {
            byte[] d = rows.array;
            int p = rows.offset;
            for (int x = 0; x < w; x++) {
                row[x] = switch (f) {
                    case RGB32 -> 0xFF000000 | rgb(d, p + 4 * x);
                    case RGBA -> ((d[p + 4 * x + 3] & 0xFF) << 24) | rgb(d, p + 4 * x);
                    case RGB24 -> 0xFF000000 | rgb(d, p + 3 * x);
                    case RGB16 -> {
                        int v = (d[p + 2 * x] & 0xFF) | ((d[p + 2 * x + 1] & 0xFF) << 8);
                        yield 0xFF000000 | (expand5(v >>> 10) << 16) | (expand5(v >>> 5) << 8) | expand5(v);
                    }
                    case A8 -> (d[p + x] & 0xFF) << 24;
                    case GRAY8 -> 0xFF000000 | (d[p + x] & 0xFF) * 0x010101;
                    case PLT8 -> paletteColor(pal, d[p + x] & 0xFF);
                    case PLT4_LE -> paletteColor(pal, (d[p + (x >> 1)] >>> ((x & 1) * 4)) & 0xF);
                    case PLT4_BE -> paletteColor(pal, (d[p + (x >> 1)] >>> ((~x & 1) * 4)) & 0xF);
                    case PLT1_LE -> paletteColor(pal, (d[p + (x >> 3)] >>> (x & 7)) & 1);
                    case PLT1_BE -> paletteColor(pal, (d[p + (x >> 3)] >>> (7 - (x & 7))) & 1);
                };
            }
            img.setRGB(0, y, w, 1, row, 0, w);
        }
        return img;
    }

    private static int rgb(byte[] d, int p) {
        return ((d[p + 2] & 0xFF) << 16) | ((d[p + 1] & 0xFF) << 8) | (d[p] & 0xFF);
    }

    private static int expand5(int c) {
        c &= 0x1F;
        return (c << 3) | (c >>> 2);
    }

    private static int paletteColor(SpicePalette pal, int index) {
        return 0xFF000000 | (index < pal.size() ? pal.get(index) & 0xFFFFFF : 0);
    }
}
