package org.spicecodec.quic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.spicecodec.quic.QuicTestSupport.assertBytes;
import static org.spicecodec.quic.QuicTestSupport.expectedDecode;

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
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;

/** Encode then decode synthetic images of every type, shape, stride and row order. */
class QuicRoundTripTest {

    enum Content { NOISE, FLAT, GRADIENT, RUNS }

    /**
     * Shapes around the edges of the format: fewer than 3 columns (no runs), the 2048-pixel
     * wait-mask steps inside one row (2049, 4097, 6200 wide), exactly 2048, and images long
     * enough for the wait-mask index to reach its maximum 6 (more than 6 * 2048 pixels).
     */
    static final int[][] SHAPES = {
        {1, 1}, {2, 2}, {3, 1}, {1, 3}, {2, 9}, {4, 4}, {17, 5}, {2048, 2}, {2049, 2}, {4097, 2}, {4000, 3},
        {3, 4000}, {6200, 3}, {130, 130},
    };

    /** One synthetic image in the layout the encoder reads. */
    record Image(QuicImageType type, int width, int height, int stride, boolean topDown, byte[] data, String name) {
        @Override
        public String toString() {
            return name;
        }

        SpiceBitmapFormat format() {
            return type.bitmapFormat();
        }
    }

    static Image image(QuicImageType t, int w, int h, Content content, boolean padded, boolean topDown, long seed) {
        Random rnd = new Random(seed);
        int bpp = t.bitmapFormat().bytesPerPixel();
        int stride = w * bpp + (padded ? 1 + rnd.nextInt(7) : 0);
        byte[] data = new byte[stride * h];
        // Padding, X bytes and bit 15 start random: the codec must ignore them.
        rnd.nextBytes(data);
        int[] pixel = new int[w];
        int[] previous = null;
        int flat = rnd.nextInt();
        for (int y = 0; y < h; y++) {
            boolean repeatRow = content == Content.RUNS && previous != null && rnd.nextInt(3) == 0;
            if (repeatRow) {
                pixel = previous.clone();
            } else {
                int x = 0;
                while (x < w) {
                    int v = switch (content) {
                        case NOISE -> rnd.nextInt();
                        case FLAT -> flat;
                        case GRADIENT -> gradient(x, y, w, h);
                        case RUNS -> rnd.nextInt(4) == 0 ? flat : rnd.nextInt();
                    };
                    int len = content == Content.RUNS ? 1 + rnd.nextInt(rnd.nextBoolean() ? 4 : 200) : 1;
                    for (int k = 0; k < len && x < w; k++, x++) {
                        pixel[x] = v;
                    }
                }
            }
            previous = pixel.clone();
            int stored = topDown ? y : h - 1 - y;
            int p = stored * stride;
            for (int x = 0; x < w; x++, p += bpp) {
                int v = pixel[x];
                switch (t) {
                    case GRAY -> data[p] = (byte) v;
                    case RGB16 -> {
                        // Keep the random bit 15 already in the buffer.
                        data[p] = (byte) v;
                        data[p + 1] = (byte) (data[p + 1] & 0x80 | (v >>> 8) & 0x7F);
                    }
                    case RGB24 -> {
                        data[p] = (byte) v;
                        data[p + 1] = (byte) (v >>> 8);
                        data[p + 2] = (byte) (v >>> 16);
                    }
                    case RGB32 -> {
                        data[p] = (byte) v;
                        data[p + 1] = (byte) (v >>> 8);
                        data[p + 2] = (byte) (v >>> 16);
                    }
                    case RGBA -> {
                        data[p] = (byte) v;
                        data[p + 1] = (byte) (v >>> 8);
                        data[p + 2] = (byte) (v >>> 16);
                        data[p + 3] = (byte) (v >>> 24);
                    }
                }
            }
        }
        String name = String.format("%s %dx%d %s stride %d %s", t, w, h, content, stride,
                topDown ? "top-down" : "bottom-up");
        return new Image(t, w, h, stride, topDown, data, name);
    }

    /** Smooth ramps per channel (bytes B, G, R, A from low to high). */
    private static int gradient(int x, int y, int w, int h) {
        int b = x * 255 / Math.max(1, w - 1);
        int g = y * 255 / Math.max(1, h - 1);
        int r = (x + y) & 0xFF;
        int a = 255 - b;
        return b | g << 8 | r << 16 | a << 24;
    }

    static Stream<Image> images() {
        List<Image> list = new ArrayList<>();
        long seed = 1;
        for (QuicImageType t : QuicImageType.values()) {
            for (int[] s : SHAPES) {
                for (Content c : Content.values()) {
                    // Alternate the layout so every shape meets padded/tight and both row orders.
                    boolean padded = (seed & 1) == 0;
                    boolean topDown = (seed & 2) == 0;
                    list.add(image(t, s[0], s[1], c, padded, topDown, seed));
                    seed++;
                }
                list.add(image(t, s[0], s[1], Content.NOISE, (seed & 1) != 0, (seed & 2) != 0, seed));
                seed++;
            }
        }
        return list.stream();
    }

    static byte[] encode(QuicEncoder enc, Image im) {
        byte[] out = new byte[(int) QuicEncoder.maxEncodedLength(im.type(), im.width(), im.height())];
        int n = enc.encode(im.type(), im.width(), im.height(), im.data(), 0, im.stride(), im.topDown(), out, 0,
                out.length);
        assertThat(n).as("encoded length of %s", im).isPositive();
        assertThat(n % 4).isZero();
        return Arrays.copyOf(out, n);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void decodeReproducesThePixels(Image im) {
        byte[] stream = encode(new QuicEncoder(), im);
        assertThat(stream).startsWith(0x51, 0x55, 0x49, 0x43, 0, 0, 0, 0, im.type().value(), 0, 0, 0);
        assertThat(Arrays.copyOfRange(stream, stream.length - 4, stream.length)).containsOnly(0);

        QuicDecoder dec = new QuicDecoder();
        SpiceBitmap top = dec.decode(stream, 0, stream.length, im.format());
        assertBytes(top.data(), expectedDecode(im.format(), im.width(), im.height(), im.data(), 0, im.stride(),
                im.topDown(), im.format()), im + " decoded top-down");

        // The bitmap API reads the same bytes.
        SpiceBitmap src = SpiceBitmap.of(im.format(), im.width(), im.height(), im.stride(), im.topDown(), im.data(), 0);
        byte[] out = new byte[stream.length + 8];
        int n = new QuicEncoder().encode(src, out, 4, stream.length + 4);
        assertBytes(out, 4, n, stream, im + " via SpiceBitmap");

        // Decoding into a bitmap laid out like the source gives the source back, less the
        // bits QUIC does not carry; padding is left alone.
        byte[] back = new byte[im.data().length];
        Arrays.fill(back, (byte) 0x77);
        dec.decode(stream, 0, stream.length, SpiceBitmap.of(im.format(), im.width(), im.height(), im.stride(),
                im.topDown(), back, 0));
        int rowBytes = im.width() * im.format().bytesPerPixel();
        for (int r = 0; r < im.height(); r++) {
            for (int i = 0; i < im.stride(); i++) {
                int p = r * im.stride() + i;
                byte want;
                if (i >= rowBytes) {
                    want = 0x77;
                } else if (im.type() == QuicImageType.RGB32 && i % 4 == 3) {
                    want = 0;
                } else if (im.type() == QuicImageType.RGB16 && i % 2 == 1) {
                    want = (byte) (im.data()[p] & 0x7F);
                } else {
                    want = im.data()[p];
                }
                if (back[p] != want) {
                    throw new AssertionError(im + ": stored byte " + i + " of row " + r + " is "
                            + (back[p] & 0xFF) + ", expected " + (want & 0xFF));
                }
            }
        }
    }

    static Stream<Arguments> conversions() {
        List<Arguments> list = new ArrayList<>();
        long seed = 1000;
        QuicImageType[][] pairs = {
            {QuicImageType.RGB24, QuicImageType.RGB32}, {QuicImageType.RGB32, QuicImageType.RGB24},
            {QuicImageType.RGB16, QuicImageType.RGB32},
        };
        for (QuicImageType[] pair : pairs) {
            for (int[] s : new int[][] {{1, 1}, {3, 1}, {17, 5}, {2049, 2}, {3, 400}}) {
                for (Content c : Content.values()) {
                    list.add(Arguments.of(image(pair[0], s[0], s[1], c, (seed & 1) == 0, (seed & 2) == 0, seed),
                            pair[1].bitmapFormat()));
                    seed++;
                }
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("conversions")
    void crossTypeDecodes(Image im, SpiceBitmapFormat target) {
        byte[] stream = encode(new QuicEncoder(), im);
        SpiceBitmap out = new QuicDecoder().decode(stream, 0, stream.length, target);
        byte[] expected = expectedDecode(im.format(), im.width(), im.height(), im.data(), 0, im.stride(),
                im.topDown(), target);
        assertBytes(out.data(), expected, im + " -> " + target);
        if (im.type() == QuicImageType.RGB16) {
            // Spot-check the expansion independently of the helper: c -> (c << 3) | (c >> 2).
            int p = im.topDown() ? 0 : (im.height() - 1) * im.stride();
            int v = (im.data()[p] & 0xFF) | (im.data()[p + 1] & 0x7F) << 8;
            int blue = v & 0x1F;
            assertThat(out.data()[0] & 0xFF).isEqualTo(blue << 3 | blue >> 2);
            assertThat(out.data()[3]).isZero();
        }
    }

    @Test
    void rgb24AndRgb32StreamsDifferOnlyInTheTypeWord() {
        Image rgb32 = image(QuicImageType.RGB32, 33, 7, Content.NOISE, true, true, 5);
        byte[] packed = expectedDecode(rgb32.format(), 33, 7, rgb32.data(), 0, rgb32.stride(), true,
                SpiceBitmapFormat.RGB24);
        QuicEncoder enc = new QuicEncoder();
        byte[] s32 = encode(enc, rgb32);
        byte[] s24 = encode(enc, new Image(QuicImageType.RGB24, 33, 7, 99, true, packed, "rgb24"));
        assertThat(s24).hasSameSizeAs(s32);
        assertThat(s32[8]).isEqualTo((byte) 4);
        assertThat(s24[8]).isEqualTo((byte) 3);
        s24[8] = 4;
        assertThat(s24).isEqualTo(s32);
    }

    /** Big, then small, then big again: reused instances must behave like fresh ones. */
    @Test
    void reusedEncoderAndDecoderMatchFreshInstances() {
        List<Image> seq = List.of(
                image(QuicImageType.RGBA, 4097, 3, Content.RUNS, true, false, 11),
                image(QuicImageType.RGB24, 3, 5, Content.NOISE, false, true, 12),
                image(QuicImageType.GRAY, 17, 5, Content.RUNS, true, true, 13),
                image(QuicImageType.RGB16, 4000, 3, Content.GRADIENT, false, false, 14),
                image(QuicImageType.RGB32, 1, 1, Content.NOISE, true, true, 15),
                image(QuicImageType.RGBA, 2, 9, Content.RUNS, false, true, 16),
                image(QuicImageType.RGB32, 6200, 3, Content.RUNS, true, true, 17),
                image(QuicImageType.GRAY, 130, 130, Content.NOISE, false, false, 18),
                image(QuicImageType.RGB16, 5, 5, Content.FLAT, true, true, 19),
                image(QuicImageType.RGBA, 4097, 3, Content.RUNS, true, false, 11));
        QuicEncoder reusedEnc = new QuicEncoder();
        QuicDecoder reusedDec = new QuicDecoder();
        for (Image im : seq) {
            byte[] fresh = encode(new QuicEncoder(), im);
            byte[] reused = encode(reusedEnc, im);
            assertBytes(reused, fresh, im + " reused encoder");
            byte[] a = new QuicDecoder().decode(fresh, 0, fresh.length, im.format()).data();
            byte[] b = reusedDec.decode(fresh, 0, fresh.length, im.format()).data();
            assertBytes(b, a, im + " reused decoder");
            assertBytes(a, expectedDecode(im.format(), im.width(), im.height(), im.data(), 0, im.stride(),
                    im.topDown(), im.format()), im + " decoded");
        }
        // A failed decode must not poison the next one either.
        Image last = seq.get(seq.size() - 1);
        byte[] good = encode(reusedEnc, last);
        byte[] cut = Arrays.copyOf(good, good.length / 2 & ~3);
        assertThatThrownBy(() -> reusedDec.decode(cut, 0, cut.length, last.format()))
                .isExactlyInstanceOf(MalformedInputException.class);
        assertBytes(reusedDec.decode(good, 0, good.length, last.format()).data(),
                new QuicDecoder().decode(good, 0, good.length, last.format()).data(), "decode after a failure");
        // Likewise an encode that ran out of room.
        assertThat(reusedEnc.encode(last.type(), last.width(), last.height(), last.data(), 0, last.stride(),
                last.topDown(), new byte[64], 0, 64)).isEqualTo(ImageEncoder.DOES_NOT_FIT);
        assertBytes(encode(reusedEnc, last), good, "encode after DOES_NOT_FIT");
    }

    static Stream<Image> fitImages() {
        return Stream.of(
                image(QuicImageType.RGB32, 1, 1, Content.NOISE, false, true, 21),
                image(QuicImageType.GRAY, 3, 1, Content.NOISE, false, true, 22),
                image(QuicImageType.RGB16, 17, 5, Content.RUNS, true, false, 23),
                image(QuicImageType.RGBA, 17, 5, Content.NOISE, true, true, 24),
                image(QuicImageType.RGB24, 40, 9, Content.GRADIENT, false, true, 25),
                image(QuicImageType.RGB32, 2049, 2, Content.NOISE, true, true, 26),
                image(QuicImageType.RGBA, 4000, 3, Content.RUNS, false, false, 27),
                image(QuicImageType.RGB32, 3, 4000, Content.FLAT, false, true, 28));
    }

    private static final byte SENTINEL = (byte) 0xC3;

    /** Encodes into out[off, off + max) of an array otherwise full of sentinels. */
    private static int encodeBounded(QuicEncoder enc, Image im, byte[] out, int off, int max) {
        Arrays.fill(out, SENTINEL);
        return enc.encode(im.type(), im.width(), im.height(), im.data(), 0, im.stride(), im.topDown(), out, off, max);
    }

    private static void assertOnlyWroteInside(byte[] out, int off, int max, String what) {
        for (int i = 0; i < out.length; i++) {
            if ((i < off || i >= off + max) && out[i] != SENTINEL) {
                throw new AssertionError(what + ": wrote byte " + i + " outside [" + off + ", " + (off + max) + ")");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fitImages")
    void maxLengthIsRespectedExactly(Image im) {
        QuicEncoder enc = new QuicEncoder();
        byte[] stream = encode(enc, im);
        int n = stream.length;
        int off = 11;
        byte[] out = new byte[n + 40];

        int got = encodeBounded(enc, im, out, off, n);
        assertThat(got).as("exact fit").isEqualTo(n);
        assertBytes(out, off, n, stream, im + " exact fit");
        assertOnlyWroteInside(out, off, n, im + " exact fit");

        // Slack that is not a whole word changes nothing.
        got = encodeBounded(enc, im, out, off, n + 3);
        assertThat(got).isEqualTo(n);
        assertBytes(out, off, n, stream, im + " n + 3");

        // Every shortfall, down to nothing, for small images; a sample for the larger ones.
        List<Integer> shortMax = new ArrayList<>();
        if (n <= 4096) {
            for (int m = n - 1; m >= 0; m--) {
                shortMax.add(m);
            }
        } else {
            for (int m : new int[] {n - 1, n - 2, n - 3, n - 4, n - 5, n - 8, n - 9, n / 2 + 1, n / 2, 24, 21, 20,
                19, 4, 0}) {
                shortMax.add(m);
            }
        }
        for (int m : shortMax) {
            got = encodeBounded(enc, im, out, off, m);
            assertThat(got).as("%s with maxLength %d of %d", im, m, n).isEqualTo(ImageEncoder.DOES_NOT_FIT);
            assertOnlyWroteInside(out, off, m, im + " maxLength " + m);
        }

        // An array that ends exactly at off + maxLength: any write past it would throw.
        byte[] tight = new byte[off + n - 4];
        assertThat(enc.encode(im.type(), im.width(), im.height(), im.data(), 0, im.stride(), im.topDown(), tight, off,
                n - 4)).isEqualTo(ImageEncoder.DOES_NOT_FIT);
        byte[] exact = new byte[off + n];
        assertThat(enc.encode(im.type(), im.width(), im.height(), im.data(), 0, im.stride(), im.topDown(), exact, off,
                n)).isEqualTo(n);
        assertBytes(exact, off, n, stream, im + " exact array");

        // And the encoder still works normally afterwards.
        assertBytes(encode(enc, im), stream, im + " after DOES_NOT_FIT");
    }

    @Test
    void maxEncodedLengthIsAnUpperBoundForNoise() {
        for (QuicImageType t : QuicImageType.values()) {
            Image im = image(t, 61, 13, Content.NOISE, true, true, 31 + t.ordinal());
            byte[] stream = encode(new QuicEncoder(), im);
            assertThat((long) stream.length).isLessThanOrEqualTo(QuicEncoder.maxEncodedLength(t, 61, 13));
            assertThat(new QuicEncoder().maxEncodedLength(t.bitmapFormat(), 61, 13))
                    .isEqualTo(QuicEncoder.maxEncodedLength(t, 61, 13));
        }
    }

    @Test
    void encoderArgumentChecks() {
        QuicEncoder enc = new QuicEncoder();
        byte[] out = new byte[1000];
        assertThatThrownBy(() -> enc.encode(
                SpiceBitmap.allocate(SpiceBitmapFormat.A8, 4, 4), out, 0, out.length))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> enc.encode(QuicImageType.RGB32, 4, 4, new byte[64],
                0, 15, true, out, 0, out.length)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> enc.encode(QuicImageType.RGB32, 0, 4, new byte[64],
                0, 16, true, out, 0, out.length)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> enc.encode(QuicImageType.RGB32, 4, 4, new byte[63],
                0, 16, true, out, 0, out.length)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(enc.supports(SpiceBitmapFormat.RGBA)).isTrue();
        assertThat(enc.supports(SpiceBitmapFormat.GRAY8)).isTrue();
        assertThat(enc.supports(SpiceBitmapFormat.PLT8)).isFalse();
        assertThat(enc.supports(SpiceBitmapFormat.A8)).isFalse();
    }
}
