package org.spicecodec.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpiceChunks;

class I420ConverterTest {

    private static final SpiceBitmapFormat[] FORMATS = {
        SpiceBitmapFormat.RGB32, SpiceBitmapFormat.RGBA, SpiceBitmapFormat.RGB24, SpiceBitmapFormat.RGB16};

    /** A random bitmap with padded rows, stored in the given order, optionally split into chunks. */
    private static SpiceBitmap randomBitmap(Random rnd, SpiceBitmapFormat f, int w, int h, boolean topDown,
                                            boolean chunked) {
        int stride = (int) f.minStride(w) + rnd.nextInt(9);
        byte[] data = new byte[7 + stride * h];
        rnd.nextBytes(data);
        if (!chunked || h < 3) {
            return SpiceBitmap.of(f, w, h, stride, topDown, data, 7);
        }
        int split = 1 + rnd.nextInt(h - 2);
        SpiceChunks chunks = SpiceChunks.builder()
                .add(data, 7, split * stride)
                .add(data, 7 + split * stride, (h - split) * stride)
                .build();
        return SpiceBitmap.of(f, w, h, stride, topDown, chunks);
    }

    /** B, G, R of picture pixel (x, y), read the slow, obvious way. */
    private static int[] bgr(SpiceBitmap b, int x, int y) {
        int stored = b.topDown() ? y : b.height() - 1 - y;
        SpiceChunks c = b.chunks();
        int i = 0;
        int row = stored;
        while (row >= c.length(i) / b.stride()) {
            row -= c.length(i) / b.stride();
            i++;
        }
        byte[] d = c.data(i);
        int p = c.offset(i) + row * b.stride() + x * b.format().bytesPerPixel();
        if (b.format() == SpiceBitmapFormat.RGB16) {
            int v = (d[p] & 255) | (d[p + 1] & 255) << 8;
            int r5 = (v >> 10) & 31;
            int g5 = (v >> 5) & 31;
            int b5 = v & 31;
            return new int[] {(b5 << 3) | (b5 >> 2), (g5 << 3) | (g5 >> 2), (r5 << 3) | (r5 >> 2)};
        }
        return new int[] {d[p] & 255, d[p + 1] & 255, d[p + 2] & 255};
    }

    private static void checkAgainstReference(SpiceBitmap b, int left, int top, int w, int h, int xor) {
        int cw = (w + 1) / 2;
        int ch = (h + 1) / 2;
        int yStride = w + 3;
        int cStride = cw + 1;
        byte[] y = new byte[5 + yStride * h];
        byte[] u = new byte[2 + cStride * ch];
        byte[] v = new byte[2 + cStride * ch];
        I420Converter.rgbToI420(b, left, top, w, h, y, 5, yStride, u, 2, cStride, v, 2, cStride, xor);
        for (int py = 0; py < h; py++) {
            for (int px = 0; px < w; px++) {
                int[] c = bgr(b, left + px, top + py);
                int expect = ((66 * c[2] + 129 * c[1] + 25 * c[0] + 128) >> 8) + 16;
                assertThat((y[5 + py * yStride + px] ^ xor) & 255).as("Y at %d,%d of %s", px, py, b).isEqualTo(expect);
            }
        }
        for (int cy = 0; cy < ch; cy++) {
            for (int cx = 0; cx < cw; cx++) {
                int sr = 0;
                int sg = 0;
                int sb = 0;
                for (int k = 0; k < 4; k++) {
                    int px = Math.min(2 * cx + (k & 1), w - 1);
                    int py = Math.min(2 * cy + (k >> 1), h - 1);
                    int[] c = bgr(b, left + px, top + py);
                    sb += c[0];
                    sg += c[1];
                    sr += c[2];
                }
                int r = (sr + 2) >> 2;
                int g = (sg + 2) >> 2;
                int bl = (sb + 2) >> 2;
                int eu = ((-38 * r - 74 * g + 112 * bl + 128) >> 8) + 128;
                int ev = ((112 * r - 94 * g - 18 * bl + 128) >> 8) + 128;
                assertThat((u[2 + cy * cStride + cx] ^ xor) & 255).as("U at %d,%d of %s", cx, cy, b).isEqualTo(eu);
                assertThat((v[2 + cy * cStride + cx] ^ xor) & 255).as("V at %d,%d of %s", cx, cy, b).isEqualTo(ev);
            }
        }
        // Padding bytes between rows are left alone.
        assertThat(y[0]).isZero();
        if (yStride > w && h > 1) {
            assertThat(y[5 + w]).isZero();
        }
    }

    @Test
    void matchesReferenceForEveryFormatRowOrderAndOddSize() {
        Random rnd = new Random(601);
        int[][] sizes = {{1, 1}, {1, 2}, {2, 1}, {3, 3}, {17, 9}, {33, 20}, {64, 31}, {7, 64}, {6, 5}, {10, 3}, {1922, 4}};
        for (SpiceBitmapFormat f : FORMATS) {
            for (boolean topDown : new boolean[] {true, false}) {
                for (boolean chunked : new boolean[] {false, true}) {
                    for (int[] s : sizes) {
                        SpiceBitmap b = randomBitmap(rnd, f, s[0], s[1], topDown, chunked);
                        checkAgainstReference(b, 0, 0, s[0], s[1], I420Converter.UNSIGNED_SAMPLES);
                    }
                }
            }
        }
    }

    @Test
    void cropsARectangleAndWritesSignedSamples() {
        Random rnd = new Random(7);
        for (SpiceBitmapFormat f : FORMATS) {
            for (boolean topDown : new boolean[] {true, false}) {
                SpiceBitmap b = randomBitmap(rnd, f, 41, 29, topDown, true);
                checkAgainstReference(b, 3, 5, 37, 23, I420Converter.UNSIGNED_SAMPLES);
                checkAgainstReference(b, 4, 1, 19, 28, I420Converter.SIGNED_SAMPLES);
            }
        }
    }

    @Test
    void knownColours() {
        // White, black, pure red in RGB32: the textbook limited-range values.
        byte[] px = {(byte) 255, (byte) 255, (byte) 255, 0, 0, 0, 0, 0, 0, 0, (byte) 255, 0};
        SpiceBitmap b = SpiceBitmap.of(SpiceBitmapFormat.RGB32, 3, 1, px);
        I420Frame f = I420Frame.allocate(3, 1);
        I420Converter.rgbToI420(b, 0, 0, f);
        assertThat(f.y[0] & 255).isEqualTo(235);
        assertThat(f.y[1] & 255).isEqualTo(16);
        assertThat(f.y[2] & 255).isEqualTo(82);
        assertThat(f.u[0] & 255).isEqualTo(128);
        assertThat(f.v[0] & 255).isEqualTo(128);
        assertThat(f.u[1] & 255).isEqualTo(90);
        assertThat(f.v[1] & 255).isEqualTo(240);
    }

    @Test
    void inverseMatchesReference() {
        Random rnd = new Random(42);
        for (int[] s : new int[][] {{1, 1}, {5, 3}, {16, 16}, {31, 17}}) {
            for (boolean topDown : new boolean[] {true, false}) {
                for (int xor : new int[] {I420Converter.UNSIGNED_SAMPLES, I420Converter.SIGNED_SAMPLES}) {
                    int w = s[0];
                    int h = s[1];
                    int cw = (w + 1) / 2;
                    int ch = (h + 1) / 2;
                    byte[] y = new byte[w * h];
                    byte[] u = new byte[cw * ch];
                    byte[] v = new byte[cw * ch];
                    rnd.nextBytes(y);
                    rnd.nextBytes(u);
                    rnd.nextBytes(v);
                    byte[] out = new byte[(w + 2) * 4 * (h + 1)];
                    SpiceBitmap dst = SpiceBitmap.of(SpiceBitmapFormat.RGB32, w + 2, h + 1, (w + 2) * 4, topDown, out, 0);
                    I420Converter.i420ToBgrx(y, 0, w, u, 0, cw, v, 0, cw, w, h, xor, dst);
                    for (int py = 0; py < h; py++) {
                        int stored = topDown ? py : h - py;
                        for (int px = 0; px < w; px++) {
                            int yy = ((y[py * w + px] ^ xor) & 255) - 16;
                            int cu = ((u[(py / 2) * cw + px / 2] ^ xor) & 255) - 128;
                            int cv = ((v[(py / 2) * cw + px / 2] ^ xor) & 255) - 128;
                            int r = clamp((298 * yy + 409 * cv + 128) >> 8);
                            int g = clamp((298 * yy - 100 * cu - 208 * cv + 128) >> 8);
                            int bl = clamp((298 * yy + 516 * cu + 128) >> 8);
                            int p = stored * (w + 2) * 4 + px * 4;
                            assertThat(new int[] {out[p] & 255, out[p + 1] & 255, out[p + 2] & 255, out[p + 3] & 255})
                                    .as("pixel %d,%d", px, py).containsExactly(bl, g, r, 255);
                        }
                        // The column beyond the picture is untouched.
                        assertThat(out[stored * (w + 2) * 4 + w * 4]).isZero();
                    }
                }
            }
        }
    }

    @Test
    void roundTripIsClose() {
        int w = 48;
        int h = 32;
        byte[] px = new byte[w * h * 4];
        // Smooth content: chroma subsampling barely loses anything.
        for (int yy = 0; yy < h; yy++) {
            for (int x = 0; x < w; x++) {
                int p = (yy * w + x) * 4;
                px[p] = (byte) (x * 5);
                px[p + 1] = (byte) (yy * 7);
                px[p + 2] = (byte) (100 + (x + yy) / 2);
            }
        }
        SpiceBitmap src = SpiceBitmap.of(SpiceBitmapFormat.RGB32, w, h, px);
        I420Frame f = I420Frame.allocate(w, h);
        I420Converter.rgbToI420(src, 0, 0, f);
        SpiceBitmap back = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, w, h);
        I420Converter.i420ToBgrx(f, back);
        int worst = 0;
        for (int i = 0; i < px.length; i++) {
            if ((i & 3) != 3) {
                worst = Math.max(worst, Math.abs((px[i] & 255) - (back.data()[i] & 255)));
            }
        }
        assertThat(worst).isLessThanOrEqualTo(8);
    }

    @Test
    void rejectsBadArgumentsBeforeWriting() {
        SpiceBitmap b = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 10, 6);
        byte[] y = new byte[60];
        byte[] c = new byte[15];
        Arrays.fill(y, (byte) 9);
        assertThatThrownBy(() -> I420Converter.rgbToI420(b, 1, 0, 10, 6, y, 0, 10, c, 0, 5, c.clone(), 0, 5, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside");
        assertThatThrownBy(() -> I420Converter.rgbToI420(b, 0, 0, 10, 6, y, 1, 10, c, 0, 5, c.clone(), 0, 5, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Y plane");
        assertThatThrownBy(() -> I420Converter.rgbToI420(b, 0, 0, 10, 6, y, 0, 9, c, 0, 5, c.clone(), 0, 5, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stride");
        assertThatThrownBy(() -> I420Converter.rgbToI420(b, 0, 0, 10, 6, y, 0, 10, c, 0, 5, new byte[14], 0, 5, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("V plane");
        assertThatThrownBy(() -> I420Converter.rgbToI420(b, 0, 0, 10, 6, y, 0, 10, c, -1, 5, c.clone(), 0, 5, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U plane");
        assertThatThrownBy(() -> I420Converter.rgbToI420(b, 0, 0, 0, 6, y, 0, 10, c, 0, 5, c.clone(), 0, 5, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> I420Converter.rgbToI420(b, 0, 0, 10, 6, y, 0, 10, c, 0, 5, c.clone(), 0, 5, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sampleXor");
        SpiceBitmap pal = SpiceBitmap.allocate(SpiceBitmapFormat.PLT8, 10, 6);
        assertThatThrownBy(() -> I420Converter.rgbToI420(pal, 0, 0, 10, 6, y, 0, 10, c, 0, 5, c.clone(), 0, 5, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PLT8");
        assertThat(y).containsOnly((byte) 9);

        SpiceBitmap small = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 9, 6);
        assertThatThrownBy(() -> I420Converter.i420ToBgrx(y, 0, 10, c, 0, 5, c, 0, 5, 10, 6, 0, small))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit");
        SpiceBitmap rgb24 = SpiceBitmap.allocate(SpiceBitmapFormat.RGB24, 10, 6);
        assertThatThrownBy(() -> I420Converter.i420ToBgrx(y, 0, 10, c, 0, 5, c, 0, 5, 10, 6, 0, rgb24))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RGB24");
        assertThatThrownBy(() -> I420Converter.i420ToBgrx(y, 0, 10, c, 0, 5, new byte[10], 0, 5, 10, 6, 0, b))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("V plane");
        assertThat(b.data()).containsOnly((byte) 0);
    }

    /**
     * Every row in its own array of exactly one tight row, so that a read past a row's last
     * pixel would leave the array: widths 1 to 9 cover every remainder of the 4- and 2-pixel
     * steps, in both row orders, signed and unsigned samples.
     */
    @Test
    void tightRowsThatEndTheirArraysAreReadExactly() {
        Random rnd = new Random(9);
        for (SpiceBitmapFormat f : FORMATS) {
            for (int w = 1; w <= 9; w++) {
                for (int h : new int[] {1, 2, 3}) {
                    int stride = (int) f.minStride(w);
                    SpiceChunks.Builder chunks = SpiceChunks.builder();
                    for (int r = 0; r < h; r++) {
                        byte[] row = new byte[stride];
                        rnd.nextBytes(row);
                        chunks.add(row, 0, stride);
                    }
                    SpiceBitmap b = SpiceBitmap.of(f, w, h, stride, rnd.nextBoolean(), chunks.build());
                    checkAgainstReference(b, 0, 0, w, h, w % 2 == 0 ? I420Converter.UNSIGNED_SAMPLES
                            : I420Converter.SIGNED_SAMPLES);
                }
            }
        }
    }

    /** The chroma tables against the formula, for the extreme sums and a million random ones. */
    @Test
    void chromaTablesEqualTheFormula() throws Exception {
        java.lang.reflect.Method uv = I420Converter.class.getDeclaredMethod("uv", int.class, int.class, int.class);
        uv.setAccessible(true);
        Random rnd = new Random(38);
        int[] edges = {0, 1, 2, 3, 509, 510, 511, 1018, 1019, 1020};
        for (int i = 0; i < 1_000_000 + edges.length * edges.length * edges.length; i++) {
            int sr;
            int sg;
            int sb;
            if (i < edges.length * edges.length * edges.length) {
                sr = edges[i % edges.length];
                sg = edges[i / edges.length % edges.length];
                sb = edges[i / (edges.length * edges.length)];
            } else {
                sr = rnd.nextInt(1021);
                sg = rnd.nextInt(1021);
                sb = rnd.nextInt(1021);
            }
            long c = (long) uv.invoke(null, sr, sg, sb);
            assertThat((int) c >>> 8).as("U of %d %d %d", sr, sg, sb).isEqualTo(I420Converter.cb(sr, sg, sb));
            assertThat((int) (c >>> 40)).as("V of %d %d %d", sr, sg, sb).isEqualTo(I420Converter.cr(sr, sg, sb));
        }
    }

    /** Pair by pair into row buffers gives the same samples as the whole-frame call. */
    @Test
    void pairsEqualTheWholeFrame() {
        Random rnd = new Random(420);
        for (SpiceBitmapFormat f : FORMATS) {
            for (int[] s : new int[][] {{13, 7}, {16, 8}, {1, 1}}) {
                int w = s[0];
                int h = s[1];
                SpiceBitmap b = randomBitmap(rnd, f, w + 2, h + 3, rnd.nextBoolean(), true);
                int cw = (w + 1) / 2;
                int ch = (h + 1) / 2;
                byte[] y = new byte[w * h];
                byte[] u = new byte[cw * ch];
                byte[] v = new byte[cw * ch];
                I420Converter.rgbToI420(b, 1, 2, w, h, y, 0, w, u, 0, cw, v, 0, cw, I420Converter.SIGNED_SAMPLES);
                byte[] rows = new byte[2 * w + 5];
                byte[] ur = new byte[cw + 1];
                byte[] vr = new byte[cw + 2];
                for (int j = 0; j < ch; j++) {
                    I420Converter.rgbToI420Pair(b, 1, 2, w, h, j, rows, 5, 5 + w, ur, 1, vr, 2, I420Converter.SIGNED_SAMPLES);
                    assertThat(Arrays.copyOfRange(rows, 5, 5 + w)).isEqualTo(Arrays.copyOfRange(y, 2 * j * w, 2 * j * w + w));
                    int second = Math.min(2 * j + 1, h - 1);
                    assertThat(Arrays.copyOfRange(rows, 5 + w, 5 + 2 * w))
                            .isEqualTo(Arrays.copyOfRange(y, second * w, second * w + w));
                    assertThat(Arrays.copyOfRange(ur, 1, 1 + cw)).isEqualTo(Arrays.copyOfRange(u, j * cw, j * cw + cw));
                    assertThat(Arrays.copyOfRange(vr, 2, 2 + cw)).isEqualTo(Arrays.copyOfRange(v, j * cw, j * cw + cw));
                }
                assertThatThrownBy(() -> I420Converter.rgbToI420Pair(b, 1, 2, w, h, ch, rows, 0, w, ur, 0, vr, 0, 0))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row pair");
                assertThatThrownBy(() -> I420Converter.rgbToI420Pair(b, 1, 2, w, h, 0, rows, 0, w + 6, ur, 0, vr, 0, 0))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Y plane");
                assertThatThrownBy(() -> I420Converter.rgbToI420Pair(b, 1, 2, w, h, 0, rows, 0, w, ur, 2, vr, 0, 0))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U plane");
            }
        }
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
