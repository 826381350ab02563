package org.spicecodec.mjpeg;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.spicecodec.core.ImageInfo;
import org.spicecodec.core.ImageLimits;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.jpeg.JpegDecoder;

/**
 * Fuzz target for {@link MjpegDecoder}: whatever the STREAM_DATA payload, the only exception
 * allowed out of {@link MjpegDecoder#decodeFrame} is {@link MalformedInputException}; anything
 * else (index errors, ImageIO's exceptions leaking, hangs, out-of-memory) is a finding.
 *
 * <p>In a normal build ({@code mvn verify}) Jazzer runs it in regression mode on the empty input
 * plus the seed files under
 * {@code src/test/resources/org/spicecodec/mjpeg/MjpegDecoderFuzzTestInputs/decodeFrame/} (a
 * control byte, then a small frame from this module's encoders: ImageIO and FFmpeg). To fuzz for
 * real:
 *
 * <pre>
 * JAZZER_FUZZ=1 mvn -pl jpeg-mjpeg test -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtest='MjpegDecoderFuzzTest#decodeFrame' -Djazzer.max_duration=10m
 * </pre>
 *
 * Jazzer keeps the corpus it grows in {@code jpeg-mjpeg/.cifuzz-corpus/} (not to be committed)
 * and prints where it saved a crashing input; once the bug is fixed, put that file in the inputs
 * directory above so every build replays it.
 */
class MjpegDecoderFuzzTest {
    /** Small limits, so a fuzzed frame header cannot ask for gigabytes; the code paths are the same. */
    private static final ImageLimits LIMITS = new ImageLimits(1024, 1024, 1 << 18);

    /** One decoder for the whole run, as a stream keeps one across frames. */
    private final MjpegDecoder decoder = new MjpegDecoder(LIMITS);
    private final JpegDecoder probe = new JpegDecoder(LIMITS);

    /**
     * Byte 0 is a control byte, the rest the payload, decoded in place (at offset 1 of the
     * input, as inside a message). Bit 0 of byte 0: a bottom-up destination (the stream's
     * storage order); bit 1: a destination of a fixed 16x16 instead of the frame header's size
     * (a frame that does not match its stream); bits 2-3: row padding of 0, 4, 12 or 64 bytes.
     */
    @FuzzTest(maxDuration = "5m")
    void decodeFrame(byte[] data) {
        if (data.length < 1) {
            return;
        }
        int ctl = data[0] & 0xFF;
        int len = data.length - 1;
        int w = 16;
        int h = 16;
        if ((ctl & 2) == 0) {
            try {
                ImageInfo info = probe.readInfo(data, 1, len);
                w = info.width();
                h = info.height();
            } catch (MalformedInputException e) {
                // keep 16x16: the decoder must refuse the payload as well
            }
        }
        int stride = w * 4 + new int[] {0, 4, 12, 64}[ctl >>> 2 & 3];
        SpiceBitmap out = SpiceBitmap.of(SpiceBitmapFormat.RGB32, w, h, stride, (ctl & 1) == 0,
                new byte[stride * h], 0);
        try {
            decoder.decodeFrame(data, 1, len, out);
        } catch (MalformedInputException expected) {
            // the only acceptable failure
        }
    }
}
