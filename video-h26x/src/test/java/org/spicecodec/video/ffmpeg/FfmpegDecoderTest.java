package org.spicecodec.video.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.spicecodec.video.ffmpeg.FfmpegTestFrames.cat;
import static org.spicecodec.video.ffmpeg.FfmpegTestFrames.crop;
import static org.spicecodec.video.ffmpeg.FfmpegTestFrames.psnr;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.video.EncodedFrame;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.core.video.VideoDecoder;
import org.spicecodec.video.FrameCompressor;
import org.spicecodec.video.VideoEncoderConfig;

/** The decoders on hostile input: garbage, truncation, bit flips, wrong sizes, bad arguments. */
class FfmpegDecoderTest {
    static final FfmpegBackend BACKEND = new FfmpegBackend();

    /** Two frames (key, inter) of 320x240. */
    static byte[][] stream(VideoCodecType codec) {
        VideoEncoderConfig c = VideoEncoderConfig.builder(codec).constantQp(codec == VideoCodecType.MJPEG ? 4 : 24).build();
        try (FrameCompressor enc = BACKEND.openEncoder(c)) {
            byte[][] frames = new byte[2][];
            EncodedFrame out = new EncodedFrame();
            for (int i = 0; i < 2; i++) {
                assertThat(enc.encode(crop(cat(), 4 * i, 2 * i, 320, 240), 0, 0, 320, 240, i, out)).isTrue();
                frames[i] = out.toByteArray();
            }
            return frames;
        }
    }

    /** Decodes; returns whether a picture came out. Anything but MalformedInputException fails the test. */
    static boolean tryDecode(VideoDecoder dec, byte[] data, SpiceBitmap out) {
        try {
            return dec.decodeFrame(data, 0, data.length, out);
        } catch (MalformedInputException e) {
            assertThat(e.offset()).isBetween(0L, (long) data.length);
            return false;
        }
    }

    @ParameterizedTest
    @EnumSource(VideoCodecType.class)
    void garbageNeverCrashesAndTheStreamRecoversAtTheNextKeyFrame(VideoCodecType codec) {
        byte[][] frames = stream(codec);
        SpiceBitmap out = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 320, 240);
        try (VideoDecoder dec = BACKEND.openDecoder(codec)) {
            Random rnd = new Random(codec.ordinal());
            for (int i = 0; i < 40; i++) {
                byte[] junk = new byte[1 + rnd.nextInt(i < 20 ? 64 : 20_000)];
                rnd.nextBytes(junk);
                if (i % 4 == 0 && junk.length > 4) { // make some of it look like Annex B
                    junk[0] = 0;
                    junk[1] = 0;
                    junk[2] = 1;
                }
                tryDecode(dec, junk, out);
            }
            for (int cut : new int[] {1, 5, 17, frames[0].length / 2, frames[0].length - 1}) {
                tryDecode(dec, Arrays.copyOf(frames[0], cut), out);
            }
            for (int i = 0; i < 30; i++) { // bit flips in the key frame
                byte[] hurt = frames[0].clone();
                int at = rnd.nextInt(hurt.length);
                hurt[at] ^= (byte) (1 << rnd.nextInt(8));
                tryDecode(dec, hurt, out);
            }
            // After all that, a key frame and its successor still decode faithfully.
            assertThat(dec.decodeFrame(frames[0], 0, frames[0].length, out)).isTrue();
            assertThat(psnr(crop(cat(), 0, 0, 320, 240), out)).isGreaterThan(33);
            assertThat(dec.decodeFrame(frames[1], 0, frames[1].length, out)).isTrue();
            assertThat(psnr(crop(cat(), 4, 2, 320, 240), out)).isGreaterThan(33);
        }
    }

    /**
     * Halfway into the first slice for H.264/H.265 (x264's sliced threads cut a frame into
     * slices, and a frame that simply lacks its last slices is concealed, not an error).
     */
    static int truncationPoint(VideoCodecType codec, byte[] f) {
        if (codec == VideoCodecType.H264 || codec == VideoCodecType.H265) {
            int first = -1;
            for (int i = 0; i + 3 < f.length; i++) {
                if (f[i] == 0 && f[i + 1] == 0 && f[i + 2] == 1) {
                    int t = codec == VideoCodecType.H264 ? f[i + 3] & 31 : (f[i + 3] >> 1) & 63;
                    boolean slice = codec == VideoCodecType.H264 ? t == 5 : t < 32;
                    if (first >= 0) {
                        return (first + i) / 2;
                    }
                    if (slice) {
                        first = i;
                    }
                }
            }
            return (first + f.length) / 2;
        }
        if (codec == VideoCodecType.VP8) { // inside the first partition
            int firstPartition = ((f[0] & 255) | (f[1] & 255) << 8 | (f[2] & 255) << 16) >>> 5;
            return 10 + firstPartition / 2;
        }
        // VP9: inside the uncompressed header. FFmpeg's vp9 decoder conceals truncated tile
        // data (a frame cut at a third decodes without an error), like the last slices above.
        return 8;
    }

    @ParameterizedTest
    @EnumSource(value = VideoCodecType.class, names = {"H264", "H265", "VP8", "VP9"})
    void truncatedKeyFrameIsMalformed(VideoCodecType codec) {
        byte[][] frames = stream(codec);
        SpiceBitmap out = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 320, 240);
        try (VideoDecoder dec = BACKEND.openDecoder(codec)) {
            byte[] cut = Arrays.copyOf(frames[0], truncationPoint(codec, frames[0]));
            assertThatThrownBy(() -> dec.decodeFrame(cut, 0, cut.length, out)).isInstanceOf(MalformedInputException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(VideoCodecType.class)
    void aPictureOfAnotherSizeThanTheStreamIsMalformed(VideoCodecType codec) {
        byte[][] frames = stream(codec);
        try (VideoDecoder dec = BACKEND.openDecoder(codec)) {
            SpiceBitmap small = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 300, 200);
            assertThatThrownBy(() -> dec.decodeFrame(frames[0], 0, frames[0].length, small))
                    .isInstanceOf(MalformedInputException.class).hasMessageContaining("320x240");
            SpiceBitmap big = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 640, 480);
            assertThatThrownBy(() -> dec.decodeFrame(frames[0], 0, frames[0].length, big))
                    .isInstanceOf(MalformedInputException.class);
            // 319x239 would be padded to 320x240 only for H.264/H.265: accepted there, cropped.
            SpiceBitmap odd = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 319, 239);
            if (codec == VideoCodecType.H264 || codec == VideoCodecType.H265) {
                assertThat(dec.decodeFrame(frames[0], 0, frames[0].length, odd)).isTrue();
            } else {
                assertThatThrownBy(() -> dec.decodeFrame(frames[0], 0, frames[0].length, odd))
                        .isInstanceOf(MalformedInputException.class);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = VideoCodecType.class, names = {"H264", "H265", "VP9"})
    void aStreamFarLargerThanTheBitmapIsRefusedBeforeFfmpegAllocatesIt(VideoCodecType codec) {
        SpiceBitmap big = FfmpegEncoderTest.wide(1280, 720);
        byte[] frame;
        try (FrameCompressor enc = BACKEND.openEncoder(VideoEncoderConfig.builder(codec).constantQp(40).build())) {
            EncodedFrame out = new EncodedFrame();
            assertThat(enc.encode(big, 0, 0, 1280, 720, 0, out)).isTrue();
            frame = out.toByteArray();
        }
        try (VideoDecoder dec = BACKEND.openDecoder(codec)) {
            SpiceBitmap tiny = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 64, 64);
            // FFmpeg's max_pixels (from the bitmap) stops the picture buffer; the error comes
            // from FFmpeg, not from the size check after decoding.
            assertThatThrownBy(() -> dec.decodeFrame(frame, 0, frame.length, tiny))
                    .isInstanceOf(MalformedInputException.class).hasMessageNotContaining("1280x720");
        }
    }

    @ParameterizedTest
    @EnumSource(value = VideoCodecType.class, names = {"H264", "VP8"})
    void badArgumentsAreRejected(VideoCodecType codec) {
        byte[][] frames = stream(codec);
        SpiceBitmap out = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 320, 240);
        try (VideoDecoder dec = BACKEND.openDecoder(codec)) {
            assertThat(dec.codecType()).isEqualTo(codec);
            byte[] f = frames[0];
            assertThatThrownBy(() -> dec.decodeFrame(null, 0, 1, out)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> dec.decodeFrame(f, 0, f.length, null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> dec.decodeFrame(f, 1, f.length, out)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> dec.decodeFrame(f, -1, 2, out)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> dec.decodeFrame(f, 0, Integer.MAX_VALUE, out)).isInstanceOf(IllegalArgumentException.class);
            SpiceBitmap rgb24 = SpiceBitmap.allocate(SpiceBitmapFormat.RGB24, 320, 240);
            assertThatThrownBy(() -> dec.decodeFrame(f, 0, f.length, rgb24)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> dec.decodeFrame(f, 0, 0, out)).isInstanceOf(MalformedInputException.class);
            // A frame inside a larger array, into a bottom-up bitmap with a padded stride:
            // rows land in memory order, the padding bytes stay untouched.
            byte[] wrapped = new byte[f.length + 10];
            System.arraycopy(f, 0, wrapped, 7, f.length);
            int stride = 320 * 4 + 16;
            byte[] pixels = new byte[stride * 240];
            Arrays.fill(pixels, (byte) 0x77);
            SpiceBitmap padded = SpiceBitmap.of(SpiceBitmapFormat.RGB32, 320, 240, stride, false, pixels, 0);
            assertThat(dec.decodeFrame(wrapped, 7, f.length, padded)).isTrue();
            assertThat(psnr(crop(cat(), 0, 0, 320, 240).data(), 0, 1280, pixels, 0, stride, 320, 240)).isGreaterThan(33);
            for (int y = 0; y < 240; y++) {
                for (int i = 1280; i < stride; i++) {
                    assertThat(pixels[y * stride + i]).isEqualTo((byte) 0x77);
                }
            }
            dec.close();
            assertThatThrownBy(() -> dec.decodeFrame(f, 0, f.length, out)).isInstanceOf(IllegalStateException.class);
        }
    }

    /** A decoder dropped without close() gives its codec context back once collected. */
    @org.junit.jupiter.api.Test
    void anUnclosedDecoderIsFreed() throws InterruptedException {
        int before = FfmpegVideoDecoder.Natives.LIVE_CONTEXTS.get();
        java.util.List<org.spicecodec.core.video.VideoDecoder> held = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(new FfmpegBackend().openDecoder(org.spicecodec.core.video.VideoCodecType.H264));
        }
        assertThat(FfmpegVideoDecoder.Natives.LIVE_CONTEXTS.get()).isEqualTo(before + 3);
        held.get(0).close();
        held.get(0).close();
        assertThat(FfmpegVideoDecoder.Natives.LIVE_CONTEXTS.get()).isEqualTo(before + 2);
        held.clear();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (FfmpegVideoDecoder.Natives.LIVE_CONTEXTS.get() > before && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertThat(FfmpegVideoDecoder.Natives.LIVE_CONTEXTS.get()).isEqualTo(before);
    }
}
