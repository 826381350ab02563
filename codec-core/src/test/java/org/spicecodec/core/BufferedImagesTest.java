package org.spicecodec.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BufferedImagesTest {

    /** Random pixels in {@code format}, in a padded bottom-up or top-down layout. */
    private static SpiceBitmap randomBitmap(SpiceBitmapFormat format, int w, int h, boolean topDown, long seed) {
        Random rnd = new Random(seed);
        int stride = (int) format.minStride(w) + 3;
        byte[] data = new byte[stride * h];
        rnd.nextBytes(data);
        return SpiceBitmap.of(format, w, h, stride, topDown, data, 0);
    }

    /** The bytes of picture row y, pixel x, of a byte-per-channel format. */
    private static int pixelOffset(SpiceBitmap bm, int x, int y) {
        int stored = bm.topDown() ? y : bm.height() - 1 - y;
        return bm.offset() + stored * bm.stride() + x * bm.format().bytesPerPixel();
    }

    private static int u(byte b) {
        return b & 0xFF;
    }

    private static int expand5(int c) {
        c &= 0x1F;
        return c << 3 | c >>> 2;
    }

    @ParameterizedTest
    @EnumSource(value = SpiceBitmapFormat.class, names = {"RGB32", "RGBA", "RGB24", "RGB16", "GRAY8", "A8"})
    void renderingMatchesThePixelsAndRoundTrips(SpiceBitmapFormat f) {
        for (boolean topDown : new boolean[] {true, false}) {
            SpiceBitmap bm = randomBitmap(f, 13, 7, topDown, f.ordinal() * 2L + (topDown ? 1 : 0));
            BufferedImage img = BufferedImages.toBufferedImage(bm);
            assertThat(img.getWidth()).isEqualTo(13);
            assertThat(img.getHeight()).isEqualTo(7);
            boolean alpha = f == SpiceBitmapFormat.RGBA || f == SpiceBitmapFormat.A8;
            assertThat(img.getType()).isEqualTo(alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
            byte[] d = bm.data();
            for (int y = 0; y < 7; y++) {
                for (int x = 0; x < 13; x++) {
                    int p = pixelOffset(bm, x, y);
                    int expected = switch (f) {
                        case RGB32, RGB24 -> 0xFF000000 | u(d[p + 2]) << 16 | u(d[p + 1]) << 8 | u(d[p]);
                        case RGBA -> u(d[p + 3]) << 24 | u(d[p + 2]) << 16 | u(d[p + 1]) << 8 | u(d[p]);
                        case RGB16 -> {
                            int v = u(d[p]) | u(d[p + 1]) << 8;
                            yield 0xFF000000 | expand5(v >>> 10) << 16 | expand5(v >>> 5) << 8 | expand5(v);
                        }
                        case GRAY8 -> 0xFF000000 | u(d[p]) * 0x010101;
                        case A8 -> u(d[p]) << 24;
                        default -> throw new AssertionError(f);
                    };
                    assertThat(img.getRGB(x, y)).as("%s pixel (%d,%d) top-down %s", f, x, y, topDown)
                            .isEqualTo(expected);
                }
            }

            // Back to a bitmap: top-down, tight, the same pixels less the bits the format drops.
            SpiceBitmap back = BufferedImages.toBitmap(img, f);
            assertThat(back.format()).isEqualTo(f);
            assertThat(back.topDown()).isTrue();
            assertThat(back.stride()).isEqualTo(f.minStride(13));
            byte[] b = back.data();
            int bpp = f.bytesPerPixel();
            for (int y = 0; y < 7; y++) {
                for (int x = 0; x < 13; x++) {
                    int p = pixelOffset(bm, x, y);
                    int q = y * back.stride() + x * bpp;
                    for (int k = 0; k < bpp; k++) {
                        int want = u(d[p + k]);
                        if (f == SpiceBitmapFormat.RGB32 && k == 3) {
                            want = 0;
                        } else if (f == SpiceBitmapFormat.RGB16 && k == 1) {
                            want &= 0x7F;
                        }
                        assertThat(u(b[q + k])).as("%s byte %d of (%d,%d)", f, k, x, y).isEqualTo(want);
                    }
                }
            }
        }
    }

    @Test
    void colourImagesBecomeGrayByLuma() {
        BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0xFF0000);
        img.setRGB(1, 0, 0x00FF00);
        img.setRGB(2, 0, 0x808080);
        byte[] g = BufferedImages.toBitmap(img, SpiceBitmapFormat.GRAY8).data();
        assertThat(u(g[0])).isEqualTo(76);
        assertThat(u(g[1])).isEqualTo(150);
        assertThat(u(g[2])).isEqualTo(0x80);
    }

    @Test
    void opaqueImagesGiveOpaqueAlpha() {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0x123456);
        assertThat(BufferedImages.toBitmap(img, SpiceBitmapFormat.A8).data()).containsExactly(0xFF, 0xFF);
        assertThat(BufferedImages.toBitmap(img, SpiceBitmapFormat.RGBA).data())
                .containsExactly(0x56, 0x34, 0x12, 0xFF, 0, 0, 0, 0xFF);
        // R 0x12 >> 3 = 2, G 0x34 >> 3 = 6, B 0x56 >> 3 = 10: 2 << 10 | 6 << 5 | 10 = 0x08CA.
        assertThat(BufferedImages.toBitmap(img, SpiceBitmapFormat.RGB16).data()).containsExactly(0xCA, 0x08, 0, 0);
    }

    @Test
    void paletteFormatsAreNotConvertedFrom() {
        BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        for (SpiceBitmapFormat f : new SpiceBitmapFormat[] {SpiceBitmapFormat.PLT8, SpiceBitmapFormat.PLT4_LE,
            SpiceBitmapFormat.PLT1_BE}) {
            assertThatThrownBy(() -> BufferedImages.toBitmap(img, f)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static final int[] PAL = {0x102030, 0xA0B0C0, 0x00FF00, 0x0000FF, 0xFF0000, 0x123456, 0x654321,
        0xFFFFFF, 0x010203, 0x040506, 0x070809, 0x0A0B0C, 0x0D0E0F, 0x101112, 0x131415, 0x161718};

    private static int rgb(int ent) {
        return 0xFF000000 | ent;
    }

    @Test
    void plt8RendersThroughThePaletteWithUnknownIndicesBlack() {
        byte[] d = {0, 1, 2, (byte) 200, 5, 15, 7, 0};
        SpiceBitmap bm = SpiceBitmap.of(SpiceBitmapFormat.PLT8, 4, 2, d).withPalette(new SpicePalette(1, PAL));
        BufferedImage img = BufferedImages.toBufferedImage(bm);
        assertThat(img.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(img.getRGB(0, 0)).isEqualTo(rgb(PAL[0]));
        assertThat(img.getRGB(1, 0)).isEqualTo(rgb(PAL[1]));
        assertThat(img.getRGB(2, 0)).isEqualTo(rgb(PAL[2]));
        assertThat(img.getRGB(3, 0)).isEqualTo(0xFF000000);
        assertThat(img.getRGB(0, 1)).isEqualTo(rgb(PAL[5]));
        assertThat(img.getRGB(1, 1)).isEqualTo(rgb(PAL[15]));
        assertThat(img.getRGB(2, 1)).isEqualTo(rgb(PAL[7]));
    }

    @Test
    void plt4NibbleOrder() {
        // Row of 5 pixels: indices 1, 2, 3, 4, 5 (3 bytes, last low/high nibble unused).
        byte[] le = {0x21, 0x43, 0x05};
        byte[] be = {0x12, 0x34, 0x50};
        SpicePalette pal = new SpicePalette(1, PAL);
        BufferedImage a = BufferedImages.toBufferedImage(SpiceBitmap.of(SpiceBitmapFormat.PLT4_LE, 5, 1, le)
                .withPalette(pal));
        BufferedImage b = BufferedImages.toBufferedImage(SpiceBitmap.of(SpiceBitmapFormat.PLT4_BE, 5, 1, be)
                .withPalette(pal));
        for (int x = 0; x < 5; x++) {
            assertThat(a.getRGB(x, 0)).as("LE pixel %d", x).isEqualTo(rgb(PAL[x + 1]));
            assertThat(b.getRGB(x, 0)).as("BE pixel %d", x).isEqualTo(rgb(PAL[x + 1]));
        }
    }

    @Test
    void plt1BitOrderAndRowOrder() {
        // 10 pixels wide, 2 rows, bottom-up: stored row 0 is the picture's bottom row.
        // Picture top row: 1 0 0 0 0 0 0 1 | 1 0 ; bottom row: all 0 but pixel 9.
        byte[] leData = {0x00, 0x02, (byte) 0x81, 0x01};
        byte[] beData = {0x00, 0x40, (byte) 0x81, (byte) 0x80};
        SpicePalette pal = new SpicePalette(1, new int[] {0x000011, 0xEEEEEE});
        for (SpiceBitmapFormat f : new SpiceBitmapFormat[] {SpiceBitmapFormat.PLT1_LE, SpiceBitmapFormat.PLT1_BE}) {
            byte[] d = f == SpiceBitmapFormat.PLT1_LE ? leData : beData;
            SpiceBitmap bm = SpiceBitmap.of(f, 10, 2, 2, false, d, 0).withPalette(pal);
            BufferedImage img = BufferedImages.toBufferedImage(bm);
            for (int x = 0; x < 10; x++) {
                boolean top = x == 0 || x == 7 || x == 8;
                boolean bottom = x == 9;
                assertThat(img.getRGB(x, 0)).as("%s top pixel %d", f, x).isEqualTo(top ? 0xFFEEEEEE : 0xFF000011);
                assertThat(img.getRGB(x, 1)).as("%s bottom pixel %d", f, x)
                        .isEqualTo(bottom ? 0xFFEEEEEE : 0xFF000011);
            }
        }
    }

    @Test
    void aPaletteBitmapWithoutPaletteIsRefused() {
        SpiceBitmap bm = SpiceBitmap.of(SpiceBitmapFormat.PLT8, 2, 2, new byte[4]);
        assertThatThrownBy(() -> BufferedImages.toBufferedImage(bm)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void multiChunkBottomUpRendersInPictureOrder() {
        // GRAY8, 1 pixel wide, 4 rows in 3 chunks; stored values 10, 20, 30, 40 bottom-up.
        SpiceChunks chunks = SpiceChunks.builder().add(new byte[] {10, 20}, 0, 2).add(new byte[] {9, 30}, 1, 1)
                .add(new byte[] {40}, 0, 1).build();
        SpiceBitmap bm = SpiceBitmap.of(SpiceBitmapFormat.GRAY8, 1, 4, 1, false, chunks);
        BufferedImage img = BufferedImages.toBufferedImage(bm);
        assertThat(img.getRGB(0, 0)).isEqualTo(0xFF000000 | 40 * 0x010101);
        assertThat(img.getRGB(0, 1)).isEqualTo(0xFF000000 | 30 * 0x010101);
        assertThat(img.getRGB(0, 2)).isEqualTo(0xFF000000 | 20 * 0x010101);
        assertThat(img.getRGB(0, 3)).isEqualTo(0xFF000000 | 10 * 0x010101);
    }
}
