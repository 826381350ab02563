package org.spicecodec.glz;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.spicecodec.core.ImageLimits;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpicePalette;

/**
 * Fuzz targets for {@link GlzDecoder} and its {@link GlzDecoderWindow}: whatever the bytes, the
 * only exception allowed out is {@link MalformedInputException}; anything else (index errors,
 * arithmetic errors, hangs, out-of-memory) is a finding.
 *
 * <p>Each input gets a fresh, small window ({@value #WINDOW_PIXELS} pixels) with a wait of
 * {@value #WAIT_MILLIS} ms: the targets are single-threaded, so an image that is missing never
 * arrives, and a reference to it must fail fast (as a timeout) rather than stall the fuzzer.
 *
 * <p>In a normal build ({@code mvn verify}) Jazzer runs these in regression mode: each method
 * gets the empty input plus the seed files under
 * {@code src/test/resources/org/spicecodec/glz/GlzDecoderFuzzTestInputs/<method>/} (small
 * sequences of valid images from {@link GlzEncoder}, in the layouts described below, and the
 * first image of each, deflated, for {@code decodeZlib}). To fuzz
 * for real, one target per run:
 *
 * <pre>
 * JAZZER_FUZZ=1 mvn -o -pl lz-glz test -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtest='GlzDecoderFuzzTest#decodeImageSequence' -Djazzer.max_duration=3m
 * </pre>
 *
 * Jazzer keeps the corpus it grows in {@code lz-glz/.cifuzz-corpus/} (not to be committed) and
 * prints where it saved a crashing input; once the bug is fixed, put that file in the inputs
 * directory above so every build replays it.
 */
class GlzDecoderFuzzTest {
    static final int WINDOW_PIXELS = 1 << 16;
    static final int WAIT_MILLIS = 1;
    /** Small limits, so a fuzzed header cannot ask for gigabytes; the code paths are the same. */
    private static final ImageLimits LIMITS = new ImageLimits(1024, 1024, WINDOW_PIXELS);
    private static final SpicePalette PALETTE = palette(16);

    private static SpicePalette palette(int n) {
        int[] e = new int[n];
        for (int i = 0; i < n; i++) {
            e[i] = 0x030507 * (i + 1);
        }
        return new SpicePalette(n, e);
    }

    /**
     * A sequence of GLZ streams decoded in order through one decoder and one window, so
     * references to earlier images, the release rule and the pixel-array pool are all
     * exercised. Each stream is preceded by a 2-byte little-endian word: its length (low 15
     * bits; the last stream takes what is left if the input is shorter) and, in bit 15, the
     * path: the allocation-free decode into a bitmap (set) or the allocating decode (clear).
     * Byte 0 of the input, before the first word, is the palette size - 1 (low 7 bits).
     */
    @FuzzTest(maxDuration = "5m")
    void decodeImageSequence(byte[] data) {
        if (data.length < 1) {
            return;
        }
        GlzDecoderWindow window = new GlzDecoderWindow(WINDOW_PIXELS, WAIT_MILLIS);
        GlzDecoder decoder = new GlzDecoder(window, LIMITS);
        SpicePalette pal = palette((data[0] & 0x7F) + 1);
        int p = 1;
        while (data.length - p >= 2) {
            int word = (data[p] & 0xFF) | (data[p + 1] & 0xFF) << 8;
            p += 2;
            int len = Math.min(word & 0x7FFF, data.length - p);
            boolean intoBitmap = (word & 0x8000) != 0;
            try {
                if (intoBitmap) {
                    decodeIntoBitmap(decoder, data, p, len, pal);
                } else {
                    decoder.decode(data, p, len, pal);
                }
            } catch (MalformedInputException expected) {
                // the only acceptable failure; the next stream still goes through the same window
            }
            p += len;
        }
    }

    private static void decodeIntoBitmap(GlzDecoder decoder, byte[] data, int off, int len, SpicePalette pal) {
        GlzDecoder.Header h = decoder.readHeader(data, off, len);
        SpiceBitmapFormat target = h.format() == SpiceBitmapFormat.RGBA ? SpiceBitmapFormat.RGBA
                : SpiceBitmapFormat.RGB32;
        // padded, and in the other row order when the image is bottom-up
        int stride = h.width() * 4 + 4;
        SpiceBitmap dst = SpiceBitmap.of(target, h.width(), h.height(), stride, true,
                new byte[stride * h.height()], 0).withPalette(pal);
        decoder.decode(data, off, len, dst);
    }

    /**
     * A valid header built from the first 4 bytes, then arbitrary body bytes, so the fuzzer
     * spends its time in the token decoder rather than on the magic. A first image (id 0,
     * 16x16 RGB32, decoded from a fixed stream of literals) is put in the window first, so
     * cross-image references can succeed.
     * Byte 0: the type (low 4 bits, modulo 9, plus 1), the row order (bit 4), the bitmap path
     * (bit 5); bytes 1 and 2: width - 1 and height - 1 (up to 256); byte 3: the image id (low
     * 2 bits, 1 to 4, so id 0's reference image may be 1 to 4 images back) and win_head_dist
     * (bits 2 to 4, capped at the id).
     */
    @FuzzTest(maxDuration = "5m")
    void decodeWithValidHeader(byte[] data) {
        if (data.length < 4) {
            return;
        }
        GlzDecoderWindow window = new GlzDecoderWindow(WINDOW_PIXELS, WAIT_MILLIS);
        GlzDecoder decoder = new GlzDecoder(window, LIMITS);
        decoder.decode(REFERENCE_IMAGE, 0, REFERENCE_IMAGE.length);

        int type = (data[0] & 0x0F) % 9 + 1;
        boolean topDown = (data[0] & 0x10) != 0;
        boolean intoBitmap = (data[0] & 0x20) != 0;
        int width = (data[1] & 0xFF) + 1;
        int height = (data[2] & 0xFF) + 1;
        long id = (data[3] & 3) + 1;
        long dist = Math.min((data[3] >>> 2) & 7, id);
        int ppb = GlzFormat.ppb(type);
        int stride = GlzFormat.isPalette(type) ? (width + ppb - 1) / ppb : width * GlzFormat.bytesPerUnit(type);

        byte[] stream = new byte[GlzFormat.HEADER_SIZE + data.length - 4];
        putBe(stream, 0, GlzFormat.MAGIC);
        putBe(stream, 4, GlzFormat.VERSION);
        stream[8] = (byte) ((topDown ? 0x10 : 0) | type);
        putBe(stream, 9, width);
        putBe(stream, 13, height);
        putBe(stream, 17, stride);
        putBe(stream, 21, 0);
        putBe(stream, 25, (int) id);
        putBe(stream, 29, (int) dist);
        System.arraycopy(data, 4, stream, GlzFormat.HEADER_SIZE, data.length - 4);
        try {
            if (intoBitmap) {
                decodeIntoBitmap(decoder, stream, 0, stream.length, PALETTE);
            } else {
                decoder.decode(stream, 0, stream.length, PALETTE);
            }
        } catch (MalformedInputException expected) {
            // the only acceptable failure
        }
    }

    /**
     * A ZLIB_GLZ_RGB payload through {@link GlzDecoder#decodeZlib}: bytes 0 and 1 are
     * {@code glz_data_size} (little-endian), the rest is the zlib stream. The size and the
     * inflated header are checked before the GLZ buffer is allocated.
     */
    @FuzzTest(maxDuration = "5m")
    void decodeZlib(byte[] data) {
        if (data.length < 2) {
            return;
        }
        int glzDataSize = (data[0] & 0xFF) | (data[1] & 0xFF) << 8;
        GlzDecoder decoder = new GlzDecoder(new GlzDecoderWindow(WINDOW_PIXELS, WAIT_MILLIS), LIMITS);
        try {
            decoder.decodeZlib(data, 2, data.length - 2, glzDataSize);
        } catch (MalformedInputException expected) {
            // the only acceptable failure
        }
    }

    /** Image 0: 16x16 RGB32, win_head_dist 0, of 256 literal pixels (8 runs of 32). */
    private static final byte[] REFERENCE_IMAGE = referenceImage();

    private static byte[] referenceImage() {
        int n = 16 * 16;
        byte[] b = new byte[GlzFormat.HEADER_SIZE + n / 32 + 3 * n];
        putBe(b, 0, GlzFormat.MAGIC);
        putBe(b, 4, GlzFormat.VERSION);
        b[8] = (byte) (0x10 | GlzFormat.RGB32);
        putBe(b, 9, 16);
        putBe(b, 13, 16);
        putBe(b, 17, 64);
        int p = GlzFormat.HEADER_SIZE;
        for (int i = 0; i < n; i++) {
            if (i % 32 == 0) {
                b[p++] = 31;
            }
            b[p++] = (byte) i;
            b[p++] = (byte) (i * 7);
            b[p++] = (byte) (255 - i);
        }
        return b;
    }

    private static void putBe(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
