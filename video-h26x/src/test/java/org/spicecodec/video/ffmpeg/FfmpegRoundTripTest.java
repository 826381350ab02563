package org.spicecodec.video.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spicecodec.video.ffmpeg.FfmpegTestFrames.cat;
import static org.spicecodec.video.ffmpeg.FfmpegTestFrames.crop;
import static org.spicecodec.video.ffmpeg.FfmpegTestFrames.psnr;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.video.EncodedFrame;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.core.video.VideoDecoder;
import org.spicecodec.video.FrameCompressor;
import org.spicecodec.video.VideoEncoderConfig;

/** Encode → decode round trips on the GPL natives, with PSNR floors measured on the test picture. */
class FfmpegRoundTripTest {
    static final FfmpegBackend BACKEND = new FfmpegBackend();

    /** Frames of a camera pan over the cat: {@code w x h} windows moving 3 px right, 2 px down. */
    static List<SpiceBitmap> pan(int w, int h, int n) {
        List<SpiceBitmap> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            frames.add(crop(cat(), 3 * i, 2 * i, w, h));
        }
        return frames;
    }

    /** Encodes and decodes each frame; returns {minimum PSNR, total bytes}. Every frame must come out at once. */
    static double[] roundTrip(FrameCompressor enc, VideoDecoder dec, List<SpiceBitmap> frames) {
        EncodedFrame out = new EncodedFrame(1024);
        double min = 99;
        long bytes = 0;
        for (int i = 0; i < frames.size(); i++) {
            SpiceBitmap f = frames.get(i);
            assertThat(enc.encode(f, 0, 0, f.width(), f.height(), i * 33_333_333L, out))
                    .as("frame %d comes out at once", i).isTrue();
            assertThat(out.ptsNanos()).isEqualTo(i * 33_333_333L);
            if (i == 0) {
                assertThat(out.keyFrame()).as("first frame is a key frame").isTrue();
            }
            bytes += out.length();
            SpiceBitmap got = SpiceBitmap.allocate(org.spicecodec.core.SpiceBitmapFormat.RGB32, f.width(), f.height());
            assertThat(dec.decodeFrame(out.data(), 0, out.length(), got)).as("frame %d decodes", i).isTrue();
            min = Math.min(min, psnr(f, got));
        }
        return new double[] {min, bytes};
    }

    @ParameterizedTest(name = "{0} via {1} at QP {2}")
    @CsvSource({
        // codec, encoder, constant QP, PSNR floor (dB)
        "H264, libx264,     24, 36",
        "H264, libopenh264, 24, 35",
        "H265, libx265,     24, 36",
        "VP8,  libvpx,      10, 36",
        "VP9,  libvpx-vp9,  20, 34",
        "MJPEG, mjpeg,       3, 34",
    })
    void roundTripAtConstantQp(VideoCodecType codec, String encoderName, int qp, double floor) {
        FfmpegBackend backend = codec == VideoCodecType.H264 ? FfmpegBackend.withH264Encoder(encoderName) : BACKEND;
        assertThat(backend.encoderName(codec)).isEqualTo(encoderName);
        VideoEncoderConfig config = VideoEncoderConfig.builder(codec).constantQp(qp).build();
        try (FrameCompressor enc = backend.openEncoder(config); VideoDecoder dec = backend.openDecoder(codec)) {
            assertThat(enc.backend()).isEqualTo("ffmpeg");
            assertThat(enc.codec()).isEqualTo(codec);
            double[] r = roundTrip(enc, dec, pan(320, 240, 6));
            System.out.printf("%s %s qp %d: min PSNR %.2f dB, %d bytes%n", codec, encoderName, qp, r[0], (long) r[1]);
            assertThat(r[0]).isGreaterThan(floor);
        }
    }

    @ParameterizedTest(name = "spice() settings for {0}")
    @CsvSource({"H264, 33", "H265, 33", "VP8, 30", "VP9, 30", "MJPEG, 30"})
    void roundTripWithSpiceSettings(VideoCodecType codec, double floor) {
        try (FrameCompressor enc = BACKEND.openEncoder(VideoEncoderConfig.spice(codec));
             VideoDecoder dec = BACKEND.openDecoder(codec)) {
            double[] r = roundTrip(enc, dec, pan(320, 240, 6));
            System.out.printf("spice %s: min PSNR %.2f dB, %d bytes%n", codec, r[0], (long) r[1]);
            assertThat(r[0]).isGreaterThan(floor);
        }
    }

    @Test
    void x264QpSweepChangesSizeAndQualityMonotonically() {
        SpiceBitmap f = cat();
        long[] sizes = new long[3];
        double[] psnrs = new double[3];
        int[] qps = {20, 30, 40};
        for (int i = 0; i < 3; i++) {
            VideoEncoderConfig config = VideoEncoderConfig.builder(VideoCodecType.H264).constantQp(qps[i]).build();
            try (FrameCompressor enc = BACKEND.openEncoder(config); VideoDecoder dec = BACKEND.openDecoder(VideoCodecType.H264)) {
                double[] r = roundTrip(enc, dec, pan(400, 280, 3));
                sizes[i] = (long) r[1];
                psnrs[i] = r[0];
            }
            System.out.printf("x264 qp %d: %d bytes, %.2f dB%n", qps[i], sizes[i], psnrs[i]);
        }
        assertThat(sizes[0]).isGreaterThan(sizes[1] * 3 / 2);
        assertThat(sizes[1]).isGreaterThan(sizes[2] * 3 / 2);
        assertThat(psnrs[0]).isGreaterThan(psnrs[1] + 3);
        assertThat(psnrs[1]).isGreaterThan(psnrs[2] + 3);
    }
}
