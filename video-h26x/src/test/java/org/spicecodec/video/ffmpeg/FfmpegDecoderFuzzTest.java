package org.spicecodec.video.ffmpeg;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpiceChunks;
import org.spicecodec.core.video.EncodedFrame;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.core.video.VideoDecoder;
import org.spicecodec.video.FrameCompressor;
import org.spicecodec.video.VideoEncoderConfig;

/**
 * Fuzz target for {@link FfmpegVideoDecoder} (FFmpeg's native h264, hevc, vp8, vp9 and mjpeg
 * decoders behind our wrapper): whatever the bytes, the only exception allowed out is
 * {@link MalformedInputException}; {@code decodeFrame} returning {@code false} is fine. A
 * native crash kills the forked JVM ("The forked VM terminated").
 *
 * <p>Input layout: byte 0 picks the stream, the rest is up to {@value #MAX_PAYLOADS}
 * STREAM_DATA payloads, each a 2-byte big-endian length and that many bytes (cut short at the
 * end of the input), decoded in order by one decoder, so that state across frames is
 * exercised (a key frame then damaged deltas, a size change mid-stream). Byte 0: bits 0-2 the
 * codec ({@link #CODECS}, modulo 5), bits 3-4 the bitmap size ({@link #SIZES}), bit 5
 * bottom-up rows, bit 6 a padded stride, bit 7 the rows split over two chunks. The bitmap
 * sits between guard bytes; the row padding and the guards must survive every call.
 *
 * <p>Afterwards the same decoder must still decode a valid key frame of the bitmap's size:
 * a damaged payload may fail its own call, never poison the decoder for what follows.
 *
 * <p>In a normal build Jazzer replays the seeds under
 * {@code src/test/resources/org/spicecodec/video/ffmpeg/FfmpegDecoderFuzzTestInputs/decodeStream/}
 * (3-frame streams per codec from this module's encoders at QP 30, made by
 * {@link #seed}: 64x48, 65x49, 320x240, bottom-up/padded/chunked, and a 32x24 key frame
 * followed by a 64x48 stream). To fuzz for real (optionally one codec per run: the
 * {@code ffmpegFuzz.codec} property overrides bits 0-2):
 *
 * <pre>
 * JAZZER_FUZZ=1 mvn -o -pl video-h26x test -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtest='FfmpegDecoderFuzzTest#decodeStream' -Djazzer.max_duration=3m -DffmpegFuzz.codec=VP9
 * </pre>
 */
class FfmpegDecoderFuzzTest {
    static final VideoCodecType[] CODECS = {
        VideoCodecType.H264, VideoCodecType.H265, VideoCodecType.VP8, VideoCodecType.VP9, VideoCodecType.MJPEG,
    };
    static final int[][] SIZES = {{64, 48}, {65, 49}, {320, 240}, {32, 24}};
    static final int MAX_PAYLOADS = 4;
    static final int QP = 30;
    private static final int GUARD = 16;
    private static final byte FILL = 0x5A;

    private static final FfmpegBackend BACKEND = new FfmpegBackend();
    private static final VideoCodecType FORCED = forcedCodec();
    private static final Map<String, byte[]> KEY_FRAMES = new HashMap<>();

    private static VideoCodecType forcedCodec() {
        String s = System.getProperty("ffmpegFuzz.codec", "");
        return s.isEmpty() ? null : VideoCodecType.valueOf(s);
    }

    @FuzzTest(maxDuration = "5m")
    void decodeStream(byte[] data) {
        if (data.length == 0) {
            return;
        }
        int ctl = data[0] & 255;
        VideoCodecType codec = FORCED != null ? FORCED : CODECS[(ctl & 7) % CODECS.length];
        int[] size = SIZES[(ctl >> 3) & 3];
        Target t = new Target(size[0], size[1], (ctl & 0x20) == 0, (ctl & 0x40) != 0, (ctl & 0x80) != 0);
        try (VideoDecoder dec = BACKEND.openDecoder(codec)) {
            int at = 1;
            for (int n = 0; n < MAX_PAYLOADS && data.length - at >= 2; n++) {
                int len = Math.min((data[at] & 255) << 8 | data[at + 1] & 255, data.length - at - 2);
                at += 2;
                try {
                    dec.decodeFrame(data, at, len, t.bitmap);
                } catch (MalformedInputException e) {
                    if (e.offset() < 0 || e.offset() > len) {
                        throw new AssertionError("offset " + e.offset() + " outside the " + len + "-byte payload", e);
                    }
                }
                t.checkGuards();
                at += len;
            }
            byte[] key = keyFrame(codec, size[0], size[1]);
            boolean wrote;
            try {
                wrote = dec.decodeFrame(key, 0, key.length, t.bitmap);
            } catch (MalformedInputException e) {
                throw new AssertionError(codec + " decoder poisoned: a valid " + size[0] + "x" + size[1]
                        + " key frame after the fuzzed payloads fails", e);
            }
            if (!wrote) {
                throw new AssertionError(codec + " decoder poisoned: a valid key frame after the fuzzed payloads gave no picture");
            }
            t.checkGuards();
        }
    }

    /** An RGB32 bitmap in one or two chunks, each between guard bytes, rows maybe padded. */
    static final class Target {
        final SpiceBitmap bitmap;
        final byte[][] arrays;
        final int rowBytes;
        final int stride;

        Target(int w, int h, boolean topDown, boolean padded, boolean chunked) {
            rowBytes = w * 4;
            stride = rowBytes + (padded ? 20 : 0);
            int[] rows = chunked ? new int[] {h / 3, h - h / 3} : new int[] {h};
            arrays = new byte[rows.length][];
            SpiceChunks.Builder b = SpiceChunks.builder();
            for (int i = 0; i < rows.length; i++) {
                arrays[i] = new byte[GUARD + rows[i] * stride + GUARD];
                Arrays.fill(arrays[i], FILL);
                b.add(arrays[i], GUARD, rows[i] * stride);
            }
            bitmap = SpiceBitmap.of(SpiceBitmapFormat.RGB32, w, h, stride, topDown, b.build());
        }

        void checkGuards() {
            for (byte[] a : arrays) {
                int rows = (a.length - 2 * GUARD) / stride;
                for (int i = 0; i < GUARD; i++) {
                    if (a[i] != FILL || a[a.length - 1 - i] != FILL) {
                        throw new AssertionError("guard byte overwritten");
                    }
                }
                for (int r = 0; r < rows; r++) {
                    for (int i = GUARD + r * stride + rowBytes; i < GUARD + (r + 1) * stride; i++) {
                        if (a[i] != FILL) {
                            throw new AssertionError("row padding overwritten in row " + r);
                        }
                    }
                }
            }
        }
    }

    /** A valid key frame of {@code w x h} from this module's encoder, made once. */
    static synchronized byte[] keyFrame(VideoCodecType codec, int w, int h) {
        return KEY_FRAMES.computeIfAbsent(codec + " " + w + "x" + h, k -> encode(codec, w, h, 1, 0)[0]);
    }

    /** {@code n} frames of {@code w x h} (the first a key frame) of the cat picture, panning. */
    static byte[][] encode(VideoCodecType codec, int w, int h, int n, int pan) {
        VideoEncoderConfig c = VideoEncoderConfig.builder(codec).constantQp(QP).build();
        SpiceBitmap cat = FfmpegTestFrames.cat();
        try (FrameCompressor enc = BACKEND.openEncoder(c)) {
            byte[][] frames = new byte[n][];
            EncodedFrame out = new EncodedFrame();
            for (int i = 0; i < n; i++) {
                SpiceBitmap src = FfmpegTestFrames.crop(cat, (cat.width() - w) / 4 + pan * i, (cat.height() - h) / 4 + pan * i / 2, w, h);
                if (!enc.encode(src, 0, 0, w, h, i * 40_000_000L, out)) {
                    throw new IllegalStateException(codec + " encoder produced no frame " + i);
                }
                frames[i] = out.toByteArray();
            }
            return frames;
        }
    }

    /** A seed: control byte {@code ctl}, then the payloads, each length-prefixed. */
    static byte[] seed(int ctl, byte[]... payloads) {
        int n = 1;
        for (byte[] p : payloads) {
            n += 2 + p.length;
        }
        byte[] s = new byte[n];
        s[0] = (byte) ctl;
        int at = 1;
        for (byte[] p : payloads) {
            if (p.length > 0xFFFF) {
                throw new IllegalArgumentException("payload of " + p.length + " bytes");
            }
            s[at++] = (byte) (p.length >> 8);
            s[at++] = (byte) p.length;
            System.arraycopy(p, 0, s, at, p.length);
            at += p.length;
        }
        return s;
    }
}
