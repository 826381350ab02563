package org.spicecodec.quic;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.spicecodec.core.ImageLimits;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;

/**
 * Fuzz targets for {@link QuicDecoder}: whatever the bytes, the only exception allowed out is
 * {@link MalformedInputException}; anything else (index errors, arithmetic errors, hangs,
 * out-of-memory) is a finding.
 *
 * <p>In a normal build ({@code mvn verify}) Jazzer runs these in regression mode: each method
 * gets the empty input plus the seed files under
 * {@code src/test/resources/org/spicecodec/quic/QuicDecoderFuzzTestInputs/<method>/} (small
 * valid streams from the vendored vectors), a few seconds in all, most of it Jazzer's start-up.
 * To fuzz for real, one target per run (JDK 17 and 25 both work):
 *
 * <pre>
 * JAZZER_FUZZ=1 mvn -pl codec-core,quic-image -am test -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtest='QuicDecoderFuzzTest#decodeWithValidHeader' -Djazzer.max_duration=10m
 * </pre>
 *
 * (or {@code #decodeArbitraryBytes}). Without {@code -Djazzer.max_duration} a run stops after the
 * annotation's {@code maxDuration}, or at the first finding. Jazzer keeps the corpus it grows in
 * {@code quic-image/.cifuzz-corpus/} (not to be committed) and prints where it saved a crashing
 * input; once the bug is fixed, put that file in the inputs directory above so every build
 * replays it.
 */
class QuicDecoderFuzzTest {
    /** Small limits, so a fuzzed header cannot ask for gigabytes; the code paths are the same. */
    private static final ImageLimits LIMITS = new ImageLimits(1024, 1024, 1 << 18);

    private final QuicDecoder decoder = new QuicDecoder(LIMITS);

    /** Any bytes at all, through both the header reader and the allocating decode. */
    @FuzzTest(maxDuration = "5m")
    void decodeArbitraryBytes(byte[] data) {
        try {
            decoder.readInfo(data, 0, data.length);
        } catch (MalformedInputException expected) {
            return;
        }
        try {
            decoder.decode(data, 0, data.length, (SpiceBitmapFormat) null);
        } catch (MalformedInputException expected) {
            // the only acceptable failure
        }
    }

    private static final SpiceBitmapFormat[][] TARGETS = {
        {SpiceBitmapFormat.GRAY8},
        {SpiceBitmapFormat.RGB16, SpiceBitmapFormat.RGB32},
        {SpiceBitmapFormat.RGB24, SpiceBitmapFormat.RGB32},
        {SpiceBitmapFormat.RGB32, SpiceBitmapFormat.RGB24},
        {SpiceBitmapFormat.RGBA},
    };

    /**
     * A valid header built from the first 4 bytes, then arbitrary body bytes, so the fuzzer
     * spends its time in the pixel decoder rather than on the magic. Byte 0 picks the type
     * (low 3 bits), the target (bit 3) and the destination's row order (bit 4); bytes 1 and 2
     * are width - 1 and height - 1 (up to 256); byte 3 is ignored; the rest is the body, cut
     * to whole words.
     */
    @FuzzTest(maxDuration = "5m")
    void decodeWithValidHeader(byte[] data) {
        if (data.length < 4) {
            return;
        }
        QuicImageType type = QuicImageType.values()[(data[0] & 7) % 5];
        SpiceBitmapFormat[] targets = TARGETS[type.ordinal()];
        SpiceBitmapFormat target = targets[(data[0] >>> 3 & 1) % targets.length];
        boolean topDown = (data[0] & 0x10) == 0;
        int width = (data[1] & 0xFF) + 1;
        int height = (data[2] & 0xFF) + 1;
        int body = (data.length - 4) & ~3;
        byte[] stream = new byte[20 + body];
        putLe(stream, 0, 0x43495551);
        putLe(stream, 8, type.value());
        putLe(stream, 12, width);
        putLe(stream, 16, height);
        System.arraycopy(data, 4, stream, 20, body);
        int stride = (int) target.minStride(width) + 3;
        SpiceBitmap dst = SpiceBitmap.of(target, width, height, stride, topDown, new byte[stride * height], 0);
        try {
            decoder.decode(stream, 0, stream.length, dst);
        } catch (MalformedInputException expected) {
            // the only acceptable failure
        }
    }

    private static void putLe(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }
}
