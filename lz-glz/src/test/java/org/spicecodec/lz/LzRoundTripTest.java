package org.spicecodec.lz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spicecodec.lz.LzTestSupport.assertBytes;
import static org.spicecodec.lz.LzTestSupport.randomChunks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.spicecodec.core.ImageEncoder;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpiceChunks;
import org.spicecodec.core.SpicePalette;

/** Encode then decode random images of every type, size, content and chunk split. */
class LzRoundTripTest {

    private static final int[][] SIZES = {
        {1, 1}, {2, 1}, {3, 1}, {4, 1}, {5, 1}, {7, 1}, {1, 7}, {3, 3}, {9, 2}, {13, 5}, {31, 7}, {64, 64},
        {100, 3}, {333, 11}, {1000, 3}, {17, 90},
    };

    /** Content styles: noise, few colours, runs, repeated rows with noise, a long far repeat. */
    private static final String[] STYLES = {"noise", "few", "runs", "rows", "far"};

    static Stream<Arguments> cases() {
        List<Arguments> list = new ArrayList<>();
        for (LzImageType t : LzImageType.values()) {
            for (String style : STYLES) {
                list.add(Arguments.of(t, style));
            }
        }
        return list.stream();
    }

    static byte[] image(LzImageType t, int w, int h, int stride, String style, Random rnd) {
        byte[] data = new byte[stride * h];
        int bpp = t.isPalette() ? 1 : t.bitmapFormat().bytesPerPixel();
        int rowBytes = t.isPalette() ? stride : w * bpp;
        switch (style) {
            case "noise" -> rnd.nextBytes(data);
            case "few" -> {
                byte[][] colours = new byte[3][bpp];
                for (byte[] c : colours) {
                    rnd.nextBytes(c);
                }
                for (int p = 0; p + bpp <= data.length; p += bpp) {
                    System.arraycopy(colours[rnd.nextInt(3)], 0, data, p, bpp);
                }
            }
            case "runs" -> {
                byte[] c = new byte[bpp];
                for (int p = 0; p + bpp <= data.length; p += bpp) {
                    if (rnd.nextInt(40) == 0) {
                        rnd.nextBytes(c);
                    }
                    System.arraycopy(c, 0, data, p, bpp);
                }
            }
            case "rows" -> {
                byte[] row = new byte[rowBytes];
                rnd.nextBytes(row);
                for (int y = 0; y < h; y++) {
                    System.arraycopy(row, 0, data, y * stride, rowBytes);
                    if (rnd.nextBoolean()) {
                        data[y * stride + rnd.nextInt(rowBytes)] ^= (byte) 0x55;
                    }
                }
            }
            default -> {
                // The first half again after the second half's noise: references up to far distances.
                rnd.nextBytes(data);
                int half = data.length / 2;
                System.arraycopy(data, 0, data, half, Math.min(half / 3, data.length - half));
            }
        }
        if (t == LzImageType.RGB16 && rnd.nextBoolean()) {
            for (int p = 1; p < data.length; p += 2) {
                data[p] &= 0x7F;
            }
        }
        return data;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void roundTrips(LzImageType t, String style) {
        Random rnd = new Random(t.ordinal() * 31L + style.hashCode());
        LzEncoder enc = new LzEncoder();
        LzDecoder dec = new LzDecoder();
        for (int[] size : SIZES) {
            int w = size[0];
            int h = size[1];
            if (style.equals("far") && (long) w * h < 1000) {
                continue;
            }
            int stride = (int) t.tightStride(w);
            byte[] data = image(t, w, h, stride, style, rnd);
            SpiceBitmapFormat f = t == LzImageType.XXXA ? SpiceBitmapFormat.RGBA : t.bitmapFormat();
            boolean topDown = rnd.nextBoolean();
            SpiceBitmap one = SpiceBitmap.of(f, w, h, stride, topDown, data, 0);
            byte[] out = new byte[(int) LzEncoder.maxEncodedLength(t, w, h)];
            int n = enc.encode(t, one, out, 0, out.length);
            assertThat(n).isPositive();
            check(t, dec, out, n, data, w, h, stride, topDown, style + " " + w + "x" + h);

            // Random chunk splits give other but equally valid streams.
            for (int round = 0; round < 2; round++) {
                SpiceChunks chunks = randomChunks(data, 0, stride, h, rnd);
                SpiceBitmap split = SpiceBitmap.of(f, w, h, stride, topDown, chunks);
                int m = enc.encode(t, split, out, 0, out.length);
                assertThat(m).isPositive();
                check(t, dec, out, m, data, w, h, stride, topDown, style + " " + w + "x" + h + " in "
                        + chunks.count() + " chunks");
            }

            // A padded stride codes the same packed rows.
            int padded = stride + 3;
            byte[] wide = new byte[padded * h];
            rnd.nextBytes(wide);
            for (int y = 0; y < h; y++) {
                System.arraycopy(data, y * stride, wide, y * padded, stride);
            }
            int m = enc.encode(t, SpiceBitmap.of(f, w, h, padded, topDown, wide, 0), out, 0, out.length);
            byte[] again = Arrays.copyOf(out, m);
            n = enc.encode(t, one, out, 0, out.length);
            assertBytes(again, 0, m, Arrays.copyOf(out, n), style + " " + w + "x" + h + " padded stride");
        }
    }

    private static void check(LzImageType t, LzDecoder dec, byte[] enc, int n, byte[] data, int w, int h,
                              int stride, boolean topDown, String what) {
        int[] pal = new int[t == LzImageType.PLT8 ? 200 : t.isPalette() ? 3 : 0];
        for (int i = 0; i < pal.length; i++) {
            pal[i] = i * 0x010203 + 7;
        }
        SpicePalette sp = t.isPalette() ? new SpicePalette(9, pal) : null;
        for (SpiceBitmapFormat target : SpiceBitmapFormat.values()) {
            if (!t.decodesTo(target)) {
                continue;
            }
            SpiceBitmap out = dec.decode(enc, 0, n, target, sp);
            assertThat(out.topDown()).isEqualTo(topDown);
            byte[] expected = LzTestSupport.expectedDecode(t, w, h, data, stride, pal, target);
            if (t == LzImageType.RGB16 && target == SpiceBitmapFormat.RGB16) {
                // Bit 15 of a copied pixel comes from the reference pixel: compare without it.
                byte[] a = out.data().clone();
                for (int p = 1; p < a.length; p += 2) {
                    a[p] &= 0x7F;
                    expected[p] &= 0x7F;
                }
                assertBytes(a, expected, what + " -> " + target);
            } else {
                assertBytes(out.data(), expected, what + " -> " + target);
            }

            // Straight into a region of a larger array: nothing outside the image is written
            // (the decoder's 8-byte copies may run ahead, but only inside the image).
            int size = out.data().length;
            byte[] big = new byte[size + 40];
            Arrays.fill(big, (byte) 0x5A);
            SpiceBitmap inside = SpiceBitmap.of(target, out.width(), h, out.stride(), topDown, big, 17)
                    .withPalette(sp);
            dec.decode(enc, 0, n, inside);
            if (t != LzImageType.XXXA) {
                assertBytes(Arrays.copyOfRange(big, 17, 17 + size), out.data().clone(), what + " in a region");
            }
            for (int i = 0; i < big.length; i++) {
                if (i < 17 || i >= 17 + size) {
                    assertThat(big[i]).as("%s: byte %d outside the image", what, i).isEqualTo((byte) 0x5A);
                }
            }
        }
    }

    @Test
    void doesNotFitIsExactOnEveryLengthBelowTheNeed() {
        Random rnd = new Random(5);
        LzEncoder enc = new LzEncoder();
        for (LzImageType t : LzImageType.values()) {
            int w = 37;
            int h = 5;
            int stride = (int) t.tightStride(w);
            byte[] data = image(t, w, h, stride, "runs", rnd);
            SpiceBitmapFormat f = t == LzImageType.XXXA ? SpiceBitmapFormat.RGBA : t.bitmapFormat();
            SpiceBitmap src = SpiceBitmap.of(f, w, h, stride, true, data, 0);
            byte[] full = new byte[(int) LzEncoder.maxEncodedLength(t, w, h)];
            int need = enc.encode(t, src, full, 0, full.length);
            for (int room = 0; room <= need; room++) {
                byte[] out = new byte[room + 4];
                int r = enc.encode(t, src, out, 2, room);
                if (room < need) {
                    assertThat(r).as("%s in %d bytes", t, room).isEqualTo(ImageEncoder.DOES_NOT_FIT);
                } else {
                    assertBytes(out, 2, r, Arrays.copyOf(full, need), t + " in exactly " + need + " bytes");
                }
            }
        }
    }

    @Test
    void doesNotFitIsExactForLongTokensAndChunks() {
        Random rnd = new Random(11);
        LzEncoder enc = new LzEncoder();
        // A long run (hundreds of extension bytes), noise, and the same split into chunks.
        int w = 500;
        int h = 200;
        byte[] a8 = new byte[w * h];
        for (int i = 60_000; i < a8.length; i++) {
            a8[i] = (byte) rnd.nextInt(3);
        }
        SpiceBitmap one = SpiceBitmap.of(SpiceBitmapFormat.A8, w, h, a8);
        SpiceBitmap split = SpiceBitmap.of(SpiceBitmapFormat.A8, w, h, w, true, randomChunks(a8, 0, w, h, rnd));
        for (SpiceBitmap src : new SpiceBitmap[] {one, split}) {
            byte[] full = new byte[(int) LzEncoder.maxEncodedLength(LzImageType.A8, w, h)];
            int need = enc.encode(src, full, 0, full.length);
            for (int room : new int[] {0, 27, 28, 40, 60, 100, need / 2, need - 50, need - 2, need - 1, need, need + 1,
                need + 47, need + 48, need + 49}) {
                if (room < 0) {
                    continue;
                }
                byte[] out = new byte[room + 8];
                Arrays.fill(out, (byte) 0x33);
                int r = enc.encode(src, out, 4, room);
                if (room < need) {
                    assertThat(r).as("room %d of %d", room, need).isEqualTo(ImageEncoder.DOES_NOT_FIT);
                } else {
                    assertBytes(out, 4, r, Arrays.copyOf(full, need), "room " + room);
                }
                for (int i = 0; i < 4; i++) {
                    assertThat(out[i]).isEqualTo((byte) 0x33);
                    assertThat(out[room + 4 + i]).isEqualTo((byte) 0x33);
                }
            }
        }
    }

    @Test
    void longRunsUseExtensionBytesAndFarMatchesTheEscape() {
        // 100 000 equal pixels: one literal then one match of length far above 255 * 7.
        int w = 1000;
        int h = 100;
        byte[] data = new byte[w * h * 4];
        Arrays.fill(data, (byte) 9);
        LzEncoder enc = new LzEncoder();
        byte[] out = new byte[(int) LzEncoder.maxEncodedLength(LzImageType.RGB32, w, h)];
        int n = enc.encode(SpiceBitmap.of(SpiceBitmapFormat.RGB32, w, h, data), out, 0, out.length);
        assertThat(n).isLessThan(28 + 1000);
        SpiceBitmap back = new LzDecoder().decode(out, 0, n, SpiceBitmapFormat.RGB32, null);
        for (int i = 0; i < data.length; i++) {
            assertThat(back.data()[i]).isEqualTo((i & 3) == 3 ? (byte) 0 : (byte) 9);
        }

        // Noise repeated 20 000 pixels later: the second copy needs the far form (distance > 8191).
        byte[] a8 = new byte[40_000];
        new Random(3).nextBytes(a8);
        System.arraycopy(a8, 0, a8, 20_000, 20_000);
        byte[] o = new byte[(int) LzEncoder.maxEncodedLength(LzImageType.A8, 200, 200)];
        n = enc.encode(SpiceBitmap.of(SpiceBitmapFormat.A8, 200, 200, a8), o, 0, o.length);
        assertThat(n).isLessThan(28 + 20_000 + 20_000 / 32 + 200);
        assertBytes(new LzDecoder().decode(o, 0, n, null, null).data(), a8, "far A8");
    }
}
