package org.spicecodec.lz;

import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.spicecodec.core.ImageLimits;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpicePalette;

/**
 * Fuzz targets for {@link LzDecoder}: whatever the bytes, the only exception allowed out is
 * {@link MalformedInputException}; anything else (index errors, arithmetic errors, hangs,
 * out-of-memory) is a finding.
 *
 * <p>In a normal build ({@code mvn verify}) Jazzer runs these in regression mode: each method
 * gets the empty input plus the seed files under
 * {@code src/test/resources/org/spicecodec/lz/LzDecoderFuzzTestInputs/<method>/} (small valid
 * LZ streams: vendored vectors for {@code decodeArbitraryBytes}, the same streams with their
 * header folded into the 4-byte prefix described below for {@code decodeWithValidHeader}).
 * To fuzz for real, one target per run:
 *
 * <pre>
 * JAZZER_FUZZ=1 mvn -o -pl lz-glz test -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtest='LzDecoderFuzzTest#decodeWithValidHeader' -Djazzer.max_duration=3m
 * </pre>
 *
 * Jazzer keeps the corpus it grows in {@code lz-glz/.cifuzz-corpus/} (not to be committed) and
 * prints where it saved a crashing input; once the bug is fixed, put that file in the inputs
 * directory above so every build replays it.
 */
class LzDecoderFuzzTest {
    /** Small limits, so a fuzzed header cannot ask for gigabytes; the code paths are the same. */
    private static final ImageLimits LIMITS = new ImageLimits(1024, 1024, 1 << 18);

    /** 16 entries: enough for PLT1 and PLT4; PLT8 indexes past it decode as black. */
    private static final SpicePalette PALETTE = palette(16);

    private final LzDecoder decoder = new LzDecoder(LIMITS);

    private static SpicePalette palette(int n) {
        int[] e = new int[n];
        for (int i = 0; i < n; i++) {
            e[i] = 0x010203 * (i + 1);
        }
        return new SpicePalette(n, e);
    }

    /** Any bytes at all: the header reader, then the allocating decode to every target the type allows. */
    @FuzzTest(maxDuration = "5m")
    void decodeArbitraryBytes(byte[] data) {
        LzImageType type;
        try {
            type = decoder.readType(data, 0, data.length);
        } catch (MalformedInputException expected) {
            return;
        }
        for (SpiceBitmapFormat f : SpiceBitmapFormat.values()) {
            if (!type.decodesTo(f)) {
                continue;
            }
            try {
                decoder.decode(data, 0, data.length, f, PALETTE);
            } catch (MalformedInputException expected) {
                // the only acceptable failure
            }
        }
    }

    /**
     * A valid header built from the first 4 bytes, then arbitrary body bytes, so the fuzzer
     * spends its time in the token decoder rather than on the magic. Byte 0: the type (low 4
     * bits, modulo 11), the stream's row order (bit 4), the destination's row order (bit 5), a
     * padded destination stride (bit 6), the second allowed target instead of the type's own
     * format (bit 7). Bytes 1 and 2: width - 1 and height - 1 (up to 256). Byte 3: palette
     * size - 1 (low 7 bits) and, for palette types decoded to RGB32, a destination as wide as
     * the stream rows' padded width (bit 7).
     */
    @FuzzTest(maxDuration = "5m")
    void decodeWithValidHeader(byte[] data) {
        if (data.length < 4) {
            return;
        }
        LzImageType type = LzImageType.fromValue((data[0] & 0x0F) % 11 + 1);
        boolean streamTopDown = (data[0] & 0x10) != 0;
        boolean dstTopDown = streamTopDown ^ ((data[0] & 0x20) != 0);
        int pad = (data[0] & 0x40) != 0 ? 5 : 0;
        List<SpiceBitmapFormat> targets = new ArrayList<>();
        for (SpiceBitmapFormat f : SpiceBitmapFormat.values()) {
            if (type.decodesTo(f)) {
                targets.add(f);
            }
        }
        SpiceBitmapFormat target = targets.get(((data[0] & 0x80) != 0 ? 1 : 0) % targets.size());
        int width = (data[1] & 0xFF) + 1;
        int height = (data[2] & 0xFF) + 1;
        SpicePalette pal = palette((data[3] & 0x7F) + 1);
        int stride = (int) type.tightStride(width);

        byte[] stream = new byte[LzEncoder.HEADER_BYTES + data.length - 4];
        putBe(stream, 0, LzEncoder.MAGIC);
        putBe(stream, 4, LzEncoder.VERSION);
        putBe(stream, 8, type.value());
        putBe(stream, 12, width);
        putBe(stream, 16, height);
        putBe(stream, 20, stride);
        putBe(stream, 24, streamTopDown ? 1 : 0);
        System.arraycopy(data, 4, stream, LzEncoder.HEADER_BYTES, data.length - 4);

        int dstWidth = width;
        if (type.isPalette() && target == SpiceBitmapFormat.RGB32 && (data[3] & 0x80) != 0) {
            dstWidth = stride * type.pixelsPerByte();
        }
        int dstStride = (int) target.minStride(dstWidth) + pad;
        SpiceBitmap dst = SpiceBitmap.of(target, dstWidth, height, dstStride, dstTopDown,
                new byte[dstStride * height], 0).withPalette(pal);
        try {
            decoder.decode(stream, 0, stream.length, dst);
        } catch (MalformedInputException expected) {
            // the only acceptable failure
        }
    }

    private static void putBe(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
