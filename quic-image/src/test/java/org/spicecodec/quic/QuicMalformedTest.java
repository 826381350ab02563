package org.spicecodec.quic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.spicecodec.quic.QuicTestSupport.assertBytes;
import static org.spicecodec.quic.QuicTestSupport.encoded;
import static org.spicecodec.quic.QuicTestSupport.vector;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.spicecodec.core.ImageInfo;
import org.spicecodec.core.ImageLimits;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.vectors.Vector;

/** Truncated, corrupted and hostile QUIC streams: only {@link MalformedInputException} may escape. */
class QuicMalformedTest {

    /** Small real streams of every type, from the vendored reference vectors. */
    static Stream<String> realStreams() {
        return Stream.of("quic/rgb24_7x5", "quic/rgb32_checker1", "quic/rgba_5x3", "quic/rgba_transparent",
                "quic/rgb16_top_bit_set", "quic/gray_noise", "quic/rgb32_tall", "quic/rgba_icon_small_bottom_up");
    }

    private static SpiceBitmapFormat formatOf(Vector v) {
        return QuicImageType.fromValue(v.imageTypeValue()).bitmapFormat();
    }

    /** Asserts the exception locates its problem inside the stream and says where. */
    private static void assertWellFormed(MalformedInputException e, int length) {
        assertThat(e.offset()).as("offset of: %s", e.getMessage()).isBetween(0L, (long) length);
        assertThat(e.getMessage()).contains("offset " + e.offset());
        assertThat(e.reason()).isNotBlank();
    }

    private static MalformedInputException assertMalformed(Runnable decode, int length) {
        MalformedInputException e = catchThrowableOfType(MalformedInputException.class, decode::run);
        assertThat(e).as("expected MalformedInputException").isNotNull();
        assertThat(e).isExactlyInstanceOf(MalformedInputException.class);
        assertWellFormed(e, length);
        return e;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("realStreams")
    void everyTruncationFailsCleanlyOrDecodesIdentically(String id) {
        Vector v = vector(id);
        byte[] full = encoded(id);
        SpiceBitmapFormat f = formatOf(v);
        QuicDecoder dec = new QuicDecoder();
        byte[] reference = dec.decode(full, 0, full.length, f).data();
        SpiceBitmap dst = SpiceBitmap.allocate(f, v.width(), v.height());
        // The same stream inside a larger array: bytes past the given length are garbage the
        // decoder must not look at.
        byte[] embedded = new byte[full.length + 64];
        Arrays.fill(embedded, (byte) 0xFF);
        int base = 16;
        System.arraycopy(full, 0, embedded, base, full.length);
        int successes = 0;
        for (int len = 0; len < full.length; len++) {
            final int n = len;
            boolean ok;
            try {
                dec.decode(full, 0, n, dst);
                ok = true;
            } catch (MalformedInputException e) {
                assertThat(e).isExactlyInstanceOf(MalformedInputException.class);
                assertWellFormed(e, n);
                ok = false;
            }
            if (ok) {
                // Only the flush may go missing: what was cut is zero padding and the zero word.
                for (int i = n; i < full.length; i++) {
                    assertThat(full[i]).as("%s decoded when cut to %d bytes, yet byte %d is not zero", id, n, i)
                            .isZero();
                }
                assertBytes(dst.data(), reference, id + " cut to " + n);
                successes++;
            }
            // With garbage (and the real continuation) after the cut, the outcome is the same.
            boolean okEmbedded;
            try {
                dec.decode(embedded, base, n, dst);
                okEmbedded = true;
            } catch (MalformedInputException e) {
                assertWellFormed(e, n);
                okEmbedded = false;
            }
            assertThat(okEmbedded).as("%s cut to %d inside a larger array", id, n).isEqualTo(ok);
            if (okEmbedded) {
                assertBytes(dst.data(), reference, id + " cut to " + n + " embedded");
            }
            if (!ok) {
                // The allocating API must agree.
                assertMalformed(() -> dec.decode(full, 0, n, f), n);
            }
        }
        // Lengths must be whole words and the last data word holds at least one data bit, so
        // cutting the final zero word is the only cut that can be legitimate.
        assertThat(successes).isLessThanOrEqualTo(1);
    }

    @Test
    void theFullStreamWithTrailingDataStillDecodes() {
        byte[] full = encoded("quic/rgba_5x3");
        byte[] reference = new QuicDecoder().decode(full, 0, full.length, SpiceBitmapFormat.RGBA).data();
        byte[] longer = Arrays.copyOf(full, full.length + 8);
        Arrays.fill(longer, full.length, longer.length, (byte) 0xEE);
        // Data after the flush word is not checked (quic.md §9).
        assertBytes(new QuicDecoder().decode(longer, 0, longer.length, SpiceBitmapFormat.RGBA).data(), reference,
                "with trailing words");
        // But a length that is not whole words is refused.
        assertMalformed(() -> new QuicDecoder().decode(longer, 0, full.length + 1, SpiceBitmapFormat.RGBA),
                full.length + 1);
        assertMalformed(() -> new QuicDecoder().decode(longer, 0, full.length + 7, SpiceBitmapFormat.RGBA),
                full.length + 7);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("realStreams")
    void randomBitFlipsNeverEscapeAsAnythingElse(String id) {
        Vector v = vector(id);
        byte[] full = encoded(id);
        SpiceBitmapFormat f = formatOf(v);
        // Small limits: a flipped size bit must not make this loop allocate gigabytes.
        QuicDecoder limited = new QuicDecoder(new ImageLimits(4096, 4096, 1 << 20));
        QuicDecoder dec = new QuicDecoder();
        SpiceBitmap dst = SpiceBitmap.allocate(f, v.width(), v.height());
        Random rnd = new Random(id.hashCode() * 31L + 7);
        int[] outcome = new int[2];
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            byte[] mutated = new byte[full.length];
            for (int round = 0; round < 2500; round++) {
                System.arraycopy(full, 0, mutated, 0, full.length);
                int flips = 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 40 : 3);
                // Mostly the body; sometimes the header too.
                int from = rnd.nextInt(8) == 0 ? 0 : 20;
                for (int k = 0; k < flips; k++) {
                    int bit = from * 8 + rnd.nextInt((full.length - from) * 8);
                    mutated[bit >>> 3] ^= (byte) (1 << (bit & 7));
                }
                try {
                    if (from == 0) {
                        limited.decode(mutated, 0, mutated.length, (SpiceBitmapFormat) null);
                    } else {
                        dec.decode(mutated, 0, mutated.length, dst);
                    }
                    outcome[0]++;
                } catch (MalformedInputException e) {
                    assertThat(e).isExactlyInstanceOf(MalformedInputException.class);
                    assertWellFormed(e, mutated.length);
                    outcome[1]++;
                }
            }
        });
        // Both outcomes should be exercised by this many corruptions of a real stream.
        assertThat(outcome[1]).as("failures among %d", outcome[0] + outcome[1]).isPositive();
    }

    @Test
    void randomGarbageBodiesNeverEscapeAsAnythingElse() {
        Random rnd = new Random(42);
        QuicDecoder dec = new QuicDecoder();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int round = 0; round < 3000; round++) {
                QuicImageType t = QuicImageType.values()[rnd.nextInt(5)];
                int w = 1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 300);
                int h = 1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 60);
                byte[] body = new byte[rnd.nextInt(200) * 4];
                // Biased bytes: long zero or one runs reach escapes and long run codes.
                int bias = rnd.nextInt(3);
                for (int i = 0; i < body.length; i++) {
                    body[i] = switch (bias) {
                        case 0 -> (byte) rnd.nextInt();
                        case 1 -> (byte) (rnd.nextInt(8) == 0 ? rnd.nextInt() : 0);
                        default -> (byte) (rnd.nextInt(8) == 0 ? rnd.nextInt() : 0xFF);
                    };
                }
                byte[] stream = withHeader(t.value(), w, h, body);
                SpiceBitmapFormat target = t == QuicImageType.RGB16 && rnd.nextBoolean() ? SpiceBitmapFormat.RGB32
                        : t.bitmapFormat();
                try {
                    dec.decode(stream, 0, stream.length, SpiceBitmap.allocate(target, w, h));
                } catch (MalformedInputException e) {
                    assertThat(e).isExactlyInstanceOf(MalformedInputException.class);
                    assertWellFormed(e, stream.length);
                }
            }
        });
    }

    // ---- headers ------------------------------------------------------------------------

    static byte[] withHeader(int type, int width, int height, byte[] body) {
        byte[] s = new byte[20 + body.length];
        putLe(s, 0, 0x43495551);
        putLe(s, 4, 0);
        putLe(s, 8, type);
        putLe(s, 12, width);
        putLe(s, 16, height);
        System.arraycopy(body, 0, s, 20, body.length);
        return s;
    }

    static void putLe(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Decodes through the allocating API and asserts it failed in the header, having allocated almost nothing. */
    private static MalformedInputException assertRejectedBeforeAllocating(QuicDecoder dec, byte[] stream) {
        MalformedInputException e = assertRejectedCheaply(dec, stream);
        assertThat(e.offset()).as("header field offset: %s", e.getMessage()).isLessThan(20L);
        // readInfo rejects it the same way.
        assertMalformed(() -> dec.readInfo(stream, 0, stream.length), stream.length);
        return e;
    }

    /** Decodes through the allocating API and asserts it failed having allocated almost nothing. */
    private static MalformedInputException assertRejectedCheaply(QuicDecoder dec, byte[] stream) {
        long before = allocatedBytes();
        MalformedInputException e = assertMalformed(() -> dec.decode(stream, 0, stream.length,
                (SpiceBitmapFormat) null), stream.length);
        long used = allocatedBytes() - before;
        assertThat(used).as("bytes allocated before rejecting: %s", e.getMessage()).isLessThan(256 * 1024L);
        return e;
    }

    static Stream<Arguments> absurdSizes() {
        return Stream.of(
                Arguments.of(0, 1), Arguments.of(1, 0), Arguments.of(0, 0), Arguments.of(-1, 1), Arguments.of(1, -1),
                Arguments.of(Integer.MIN_VALUE, 1), Arguments.of(1, Integer.MIN_VALUE),
                Arguments.of(Integer.MAX_VALUE, 1), Arguments.of(1, Integer.MAX_VALUE),
                Arguments.of(Integer.MAX_VALUE, Integer.MAX_VALUE), Arguments.of(70000, 70000),
                Arguments.of(16385, 1), Arguments.of(1, 16385), Arguments.of(16384, 16385),
                Arguments.of(-2, -2), Arguments.of(0x10000, 0x10000));
    }

    @ParameterizedTest(name = "{0}x{1}")
    @MethodSource("absurdSizes")
    void absurdDimensionsAreRejectedBeforeAllocating(int w, int h) {
        for (QuicImageType t : QuicImageType.values()) {
            assertRejectedBeforeAllocating(new QuicDecoder(), withHeader(t.value(), w, h, new byte[0]));
            // With a body too, and through the bitmap API with a 1x1 destination.
            byte[] s = withHeader(t.value(), w, h, new byte[64]);
            assertRejectedBeforeAllocating(new QuicDecoder(), s);
            assertMalformed(() -> new QuicDecoder().decode(s, 0, s.length, SpiceBitmap.allocate(t.bitmapFormat(), 1,
                    1)), s.length);
        }
    }

    /**
     * A header within the default limits but a stream far too short for it. Today the
     * allocating decode allocates the whole destination (1 GiB for 16384 x 16384 RGBA) before
     * it notices the missing data, so on a small heap the caller gets an OutOfMemoryError
     * instead of a MalformedInputException. Every pixel of row 0 and the first three pixels of
     * every later row are coded normally, at least one bit per channel, which gives a cheap
     * lower bound on the stream length to check before allocating.
     */
    @Test
    void aShortStreamWithAHugeHeaderIsRejectedBeforeAllocating() {
        assertRejectedCheaply(new QuicDecoder(), withHeader(QuicImageType.RGBA.value(), 16384, 16384, new byte[0]));
        assertRejectedCheaply(new QuicDecoder(), withHeader(QuicImageType.RGB32.value(), 8192, 8192,
                new byte[1024]));
    }

    @Test
    void customLimitsAreEnforced() {
        QuicDecoder dec = new QuicDecoder(new ImageLimits(64, 32, 1000));
        int rgb32 = QuicImageType.RGB32.value();
        assertRejectedBeforeAllocating(dec, withHeader(rgb32, 65, 1, new byte[0]));
        assertRejectedBeforeAllocating(dec, withHeader(rgb32, 1, 33, new byte[0]));
        assertRejectedBeforeAllocating(dec, withHeader(rgb32, 64, 32, new byte[0]));
        assertRejectedBeforeAllocating(dec, withHeader(rgb32, 40, 26, new byte[0]));
        // 40 x 25 = 1000 pixels is within the limits: the header is accepted, the data is missing.
        byte[] ok = withHeader(rgb32, 40, 25, new byte[0]);
        ImageInfo info = dec.readInfo(ok, 0, ok.length);
        assertThat(info.width()).isEqualTo(40);
        assertThat(info.height()).isEqualTo(25);
        assertThat(info.format()).isEqualTo(SpiceBitmapFormat.RGB32);
        assertThat(info.topDown()).isTrue();
        MalformedInputException e = assertMalformed(() -> dec.decode(ok, 0, ok.length, (SpiceBitmapFormat) null),
                ok.length);
        assertThat(e.offset()).isEqualTo(20L);

        // A real vector over the limits is refused whatever its data.
        byte[] real = encoded("quic/rgb32_checker1");
        assertMalformed(() -> dec.decode(real, 0, real.length, SpiceBitmapFormat.RGB32), real.length);
        assertThat(new QuicDecoder(new ImageLimits(64, 64, 4096)).decode(real, 0, real.length,
                SpiceBitmapFormat.RGB32).width()).isEqualTo(64);
    }

    @Test
    void quicOwnPixelLimitAppliesEvenWithGenerousLimits() {
        // 2^29 pixels is over the reference's 2^29 - 1 even when the caller allows more.
        QuicDecoder dec = new QuicDecoder(new ImageLimits(1 << 20, 1 << 20, 1L << 40));
        assertRejectedBeforeAllocating(dec, withHeader(QuicImageType.GRAY.value(), 1 << 15, 1 << 14, new byte[0]));
        assertRejectedBeforeAllocating(dec, withHeader(QuicImageType.RGBA.value(), 1 << 20, 1 << 20, new byte[0]));
    }

    @Test
    void badMagicVersionAndType() {
        byte[] good = encoded("quic/rgb24_7x5");
        QuicDecoder dec = new QuicDecoder();
        for (int i = 0; i < 4; i++) {
            byte[] s = good.clone();
            s[i] ^= 0x20;
            assertThat(assertMalformed(() -> dec.decode(s, 0, s.length, SpiceBitmapFormat.RGB24), s.length).offset())
                    .isZero();
        }
        for (int version : new int[] {1, 0x00010000, 0x00000100, 0xFFFFFFFF, 0x80000000}) {
            byte[] s = good.clone();
            putLe(s, 4, version);
            assertThat(assertMalformed(() -> dec.decode(s, 0, s.length, SpiceBitmapFormat.RGB24), s.length).offset())
                    .isEqualTo(4L);
        }
        for (int type : new int[] {0, 6, 7, 0xFFFFFFFF, 0x80000003, 0x00000103, 0x03000000}) {
            byte[] s = good.clone();
            putLe(s, 8, type);
            MalformedInputException e = assertMalformed(() -> dec.decode(s, 0, s.length, (SpiceBitmapFormat) null),
                    s.length);
            assertThat(e.offset()).isEqualTo(8L);
            assertMalformed(() -> dec.readInfo(s, 0, s.length), s.length);
            assertMalformed(() -> dec.decode(s, 0, s.length, SpiceBitmap.allocate(SpiceBitmapFormat.RGB24, 7, 5)),
                    s.length);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 4, 16, 19})
    void shortInputsAreMalformed(int length) {
        byte[] good = encoded("quic/rgb24_7x5");
        assertMalformed(() -> new QuicDecoder().decode(good, 0, length, SpiceBitmapFormat.RGB24), length);
        assertMalformed(() -> new QuicDecoder().readInfo(good, 0, length), length);
        assertMalformed(() -> new QuicDecoder().decode(new byte[length], 0, length, SpiceBitmapFormat.RGB24), length);
    }

    static Stream<Arguments> unsupportedConversions() {
        return Stream.of(
                Arguments.of("quic/rgba_5x3", SpiceBitmapFormat.RGB32),
                Arguments.of("quic/rgba_5x3", SpiceBitmapFormat.RGB24),
                Arguments.of("quic/rgb24_7x5", SpiceBitmapFormat.RGBA),
                Arguments.of("quic/rgb24_7x5", SpiceBitmapFormat.RGB16),
                Arguments.of("quic/rgb24_7x5", SpiceBitmapFormat.GRAY8),
                Arguments.of("quic/rgb32_checker1", SpiceBitmapFormat.RGBA),
                Arguments.of("quic/rgb16_3x1", SpiceBitmapFormat.RGB24),
                Arguments.of("quic/rgb16_3x1", SpiceBitmapFormat.RGBA),
                Arguments.of("quic/gray_1x1", SpiceBitmapFormat.RGB32),
                Arguments.of("quic/gray_1x1", SpiceBitmapFormat.A8),
                Arguments.of("quic/gray_1x1", SpiceBitmapFormat.PLT8),
                Arguments.of("quic/rgb32_checker1", SpiceBitmapFormat.A8));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("unsupportedConversions")
    void unsupportedConversionsAreMalformed(String id, SpiceBitmapFormat target) {
        Vector v = vector(id);
        byte[] s = encoded(id);
        QuicDecoder dec = new QuicDecoder();
        assertMalformed(() -> dec.decode(s, 0, s.length, target), s.length);
        SpiceBitmap dst = SpiceBitmap.allocate(target, v.width(), v.height());
        assertMalformed(() -> dec.decode(s, 0, s.length, dst), s.length);
        QuicImageType t = QuicImageType.fromValue(v.imageTypeValue());
        assertThat(dec.canDecode(t.bitmapFormat(), target)).isFalse();
        assertThat(dec.canDecode(t.bitmapFormat(), t.bitmapFormat())).isTrue();
    }

    @Test
    void destinationOfTheWrongSizeIsMalformed() {
        byte[] s = encoded("quic/rgb24_7x5");
        QuicDecoder dec = new QuicDecoder();
        for (int[] wh : new int[][] {{8, 5}, {6, 5}, {7, 4}, {7, 6}, {5, 7}, {1, 1}}) {
            SpiceBitmap dst = SpiceBitmap.allocate(SpiceBitmapFormat.RGB24, wh[0], wh[1]);
            assertMalformed(() -> dec.decode(s, 0, s.length, dst), s.length);
        }
        // And the decoder is fine afterwards.
        assertThat(dec.decode(s, 0, s.length, SpiceBitmapFormat.RGB24).width()).isEqualTo(7);
    }

    @Test
    void offsetsAreRelativeToTheStreamStart() {
        byte[] full = encoded("quic/rgb32_checker1");
        int cut = full.length / 2 & ~3;
        MalformedInputException direct = assertMalformed(
                () -> new QuicDecoder().decode(full, 0, cut, SpiceBitmapFormat.RGB32), cut);
        byte[] embedded = new byte[full.length + 1000];
        System.arraycopy(full, 0, embedded, 777, full.length);
        MalformedInputException shifted = assertMalformed(
                () -> new QuicDecoder().decode(embedded, 777, cut, SpiceBitmapFormat.RGB32), cut);
        assertThat(shifted.offset()).isEqualTo(direct.offset());

        byte[] badType = embedded.clone();
        putLe(badType, 777 + 8, 9);
        assertThat(assertMalformed(() -> new QuicDecoder().decode(badType, 777, full.length, SpiceBitmapFormat.RGB32),
                full.length).offset()).isEqualTo(8L);
    }

    @Test
    void badArgumentsAreNotMalformedInput() {
        byte[] s = encoded("quic/rgb24_7x5");
        QuicDecoder dec = new QuicDecoder();
        assertThatThrownBy(() -> dec.decode(s, 0, s.length + 4, SpiceBitmapFormat.RGB24))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> dec.decode(s, -4, s.length, SpiceBitmapFormat.RGB24))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> dec.decode(null, 0, 0, SpiceBitmapFormat.RGB24))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void aRunLongerThanItsSegmentIsMalformed() {
        // A flat 4x2 GRAY image: row 1 codes pixels 0..2, then a run at column 3 of length 1,
        // MELCODE "10" in the initial state, which are the last data bits of the stream.
        byte[] src = {5, 5, 5, 5, 5, 5, 5, 5};
        byte[] out = new byte[64];
        int n = new QuicEncoder().encode(QuicImageType.GRAY, 4, 2, src, 0, 4, true, out, 0, out.length);
        byte[] good = Arrays.copyOf(out, n);
        assertThat(new QuicDecoder().decode(good, 0, n, SpiceBitmapFormat.GRAY8).data()).isEqualTo(src);
        int last = -1;
        for (int i = 0; i < (n - 4) * 8; i++) {
            if (bit(good, i)) {
                last = i;
            }
        }
        assertThat(last).isGreaterThan(160);
        // "11" then a zero bit: a run of 2 where only 1 pixel is left in the segment.
        byte[] bad = good.clone();
        flip(bad, last + 1);
        MalformedInputException e = assertMalformed(
                () -> new QuicDecoder().decode(bad, 0, bad.length, SpiceBitmapFormat.GRAY8), bad.length);
        assertThat(e.offset()).isBetween(20L, (long) n - 4);
        assertThat(e.reason()).containsIgnoringCase("run");
    }

    /** Bit {@code i} of a QUIC stream: MSB first within 32-bit little-endian words. */
    private static boolean bit(byte[] s, int i) {
        int inWord = 31 - (i & 31);
        return (s[(i >>> 5) * 4 + (inWord >>> 3)] >>> (inWord & 7) & 1) != 0;
    }

    private static void flip(byte[] s, int i) {
        int inWord = 31 - (i & 31);
        s[(i >>> 5) * 4 + (inWord >>> 3)] ^= (byte) (1 << (inWord & 7));
    }
}
