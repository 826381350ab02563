package org.spicecodec.video.jcodec;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.video.EncodedFrame;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.core.video.VideoDecoder;
import org.spicecodec.video.FrameCompressor;
import org.spicecodec.video.VideoBackend;
import org.spicecodec.video.VideoEncoderConfig;
import org.spicecodec.video.ffmpeg.FfmpegBackend;

/** JCodec's H.264 through FFmpeg's decoder (the real natives), and FFmpeg's H.264 through JCodec's. */
class JcodecFfmpegInteropTest {
    private static final BufferedImage EARTH = JcodecTestFrames.earth();

    @Test
    void ffmpegDecodesJcodecStreams() {
        VideoBackend ffmpeg = new FfmpegBackend();
        assertThat(ffmpeg.decoderUnavailableReason(VideoCodecType.H264)).isNull();
        JcodecBackend jcodec = new JcodecBackend();
        for (int[] s : new int[][] {{320, 192}, {100, 62}, {101, 77}}) {
            int w = s[0];
            int h = s[1];
            try (FrameCompressor enc = jcodec.openEncoder(VideoEncoderConfig.builder(VideoCodecType.H264)
                    .constantQp(22).gopLength(6).build());
                 VideoDecoder ours = jcodec.openDecoder(VideoCodecType.H264);
                 VideoDecoder theirs = ffmpeg.openDecoder(VideoCodecType.H264)) {
                EncodedFrame out = new EncodedFrame();
                SpiceBitmap a = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, w, h);
                SpiceBitmap b = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, w, h);
                for (int i = 0; i < 8; i++) {
                    SpiceBitmap src = JcodecTestFrames.shifted(EARTH, w, h, 5 * i);
                    enc.encode(src, 0, 0, w, h, i, out);
                    assertThat(ours.decodeFrame(out.data(), 0, out.length(), a)).isTrue();
                    assertThat(theirs.decodeFrame(out.data(), 0, out.length(), b)).as("FFmpeg, frame %d", i).isTrue();
                    assertThat(JcodecTestFrames.psnr(src, b, w, h)).as("FFmpeg vs source, %dx%d frame %d", w, h, i)
                            .isGreaterThan(30);
                    // Both decoders reconstruct the same samples; only the colour conversion differs.
                    assertThat(JcodecTestFrames.psnr(a, b, w, h)).as("JCodec vs FFmpeg decoding, frame %d", i)
                            .isGreaterThan(40);
                }
            }
        }
    }

    @Test
    void jcodecDecodesFfmpegStreams() {
        jcodecDecodes(VideoEncoderConfig.builder(VideoCodecType.H264).constantQp(22).gopLength(6).build());
    }

    /** spice-server's x264 settings: VBR, ultrafast, zerolatency, sliced threads, intra refresh. */
    @Test
    void jcodecDecodesSpiceServerStyleStreams() {
        jcodecDecodes(VideoEncoderConfig.spice(VideoCodecType.H264));
    }

    private static void jcodecDecodes(VideoEncoderConfig config) {
        VideoBackend ffmpeg = new FfmpegBackend();
        assertThat(ffmpeg.unavailableReason(VideoCodecType.H264)).isNull();
        int w = 320;
        int h = 192;
        try (FrameCompressor enc = ffmpeg.openEncoder(config);
             VideoDecoder dec = new JcodecBackend().openDecoder(VideoCodecType.H264)) {
            EncodedFrame out = new EncodedFrame();
            SpiceBitmap a = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, w, h);
            int decoded = 0;
            for (int i = 0; i < 8; i++) {
                SpiceBitmap src = JcodecTestFrames.shifted(EARTH, w, h, 5 * i);
                if (!enc.encode(src, 0, 0, w, h, i, out)) {
                    continue;
                }
                assertThat(dec.decodeFrame(out.data(), 0, out.length(), a)).as("frame %d", i).isTrue();
                assertThat(JcodecTestFrames.psnr(src, a, w, h)).as("JCodec decoding %s's frame %d", enc.backend(), i)
                        .isGreaterThan(30);
                decoded++;
            }
            assertThat(decoded).isEqualTo(8);
        }
    }
}
