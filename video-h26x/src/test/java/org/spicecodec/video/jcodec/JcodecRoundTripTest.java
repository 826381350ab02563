package org.spicecodec.video.jcodec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.video.EncodedFrame;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.core.video.VideoDecoder;
import org.spicecodec.video.BackendUnavailableException;
import org.spicecodec.video.FrameCompressor;
import org.spicecodec.video.RateControlMode;
import org.spicecodec.video.UnsupportedConfigurationException;
import org.spicecodec.video.VideoEncoderConfig;

class JcodecRoundTripTest {
    private static final BufferedImage EARTH = JcodecTestFrames.earth();
    private final JcodecBackend backend = new JcodecBackend();

    private static VideoEncoderConfig cqp(int qp, int gop) {
        return VideoEncoderConfig.builder(VideoCodecType.H264).constantQp(qp).gopLength(gop).build();
    }

    @Test
    void panningRealPictureRoundTripsAboveThePsnrFloor() {
        int w = 320;
        int h = 192;
        try (FrameCompressor enc = backend.openEncoder(cqp(24, 8));
             VideoDecoder dec = backend.openDecoder(VideoCodecType.H264)) {
            assertThat(enc.codec()).isEqualTo(VideoCodecType.H264);
            assertThat(enc.backend()).isEqualTo("jcodec");
            EncodedFrame out = new EncodedFrame(16);
            SpiceBitmap decoded = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, w, h);
            int keySize = 0;
            long pSizes = 0;
            for (int i = 0; i < 10; i++) {
                SpiceBitmap src = JcodecTestFrames.shifted(EARTH, w, h, 3 * i);
                assertThat(enc.encode(src, 0, 0, w, h, i * 33_000_000L, out)).isTrue();
                assertThat(out.ptsNanos()).isEqualTo(i * 33_000_000L);
                assertThat(out.keyFrame()).as("frame %d", i).isEqualTo(i % 8 == 0);
                int[] types = JcodecTestFrames.nalTypes(out.data(), out.length());
                if (out.keyFrame()) {
                    assertThat(types).containsExactly(7, 8, 5);
                    keySize = out.length();
                } else {
                    assertThat(types).containsExactly(1);
                    pSizes += out.length();
                }
                assertThat(dec.decodeFrame(out.data(), 0, out.length(), decoded)).isTrue();
                double psnr = JcodecTestFrames.psnr(src, decoded, w, h);
                assertThat(psnr).as("PSNR of frame %d", i).isGreaterThan(30.0);
            }
            // Motion compensation pays: panning P frames are far smaller than the key frame.
            assertThat(pSizes / 8).isLessThan(keySize / 2);
        }
    }

    @Test
    void oddSizesCropAndEveryInputFormatAndRowOrder() {
        int[][] sizes = {{1, 1}, {33, 17}, {47, 30}, {16, 15}, {101, 77}};
        SpiceBitmapFormat[] formats = {SpiceBitmapFormat.RGB32, SpiceBitmapFormat.RGBA, SpiceBitmapFormat.RGB24,
            SpiceBitmapFormat.RGB16};
        int k = 0;
        for (int[] s : sizes) {
            for (boolean topDown : new boolean[] {true, false}) {
                SpiceBitmapFormat f = formats[k++ % formats.length];
                // A bigger bitmap, the stream's rectangle cropped from its middle.
                SpiceBitmap big = JcodecTestFrames.convert(EARTH, f, s[0] + 9, s[1] + 5, 40, topDown);
                try (FrameCompressor enc = backend.openEncoder(cqp(20, 30));
                     VideoDecoder dec = backend.openDecoder(VideoCodecType.H264)) {
                    EncodedFrame out = new EncodedFrame();
                    SpiceBitmap decoded = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, s[0], s[1]);
                    for (int i = 0; i < 2; i++) {
                        assertThat(enc.encode(big, 4, 3, s[0], s[1], i, out)).isTrue();
                        assertThat(dec.decodeFrame(out.data(), 0, out.length(), decoded)).isTrue();
                    }
                    // Memory order (streams.md §2.9): a bottom-up bitmap's rectangle comes out upside down.
                    SpiceBitmap expect = crop(big, 4, 3, s[0], s[1], !topDown);
                    assertThat(JcodecTestFrames.psnr(expect, decoded, s[0], s[1]))
                            .as("%s %dx%d %s", f, s[0], s[1], topDown ? "top-down" : "bottom-up")
                            .isGreaterThan(s[0] * s[1] < 4 ? 25.0 : 30.0);
                }
            }
        }
    }

    /** The rectangle as a top-down RGB32 bitmap, through the test's own pixel reader. */
    private static SpiceBitmap crop(SpiceBitmap b, int left, int top, int w, int h, boolean flipped) {
        SpiceBitmap r = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = JcodecTestFrames.rgb(b, left + x, flipped ? top + h - 1 - y : top + y);
                int p = (y * w + x) * 4;
                r.data()[p] = (byte) rgb;
                r.data()[p + 1] = (byte) (rgb >> 8);
                r.data()[p + 2] = (byte) (rgb >> 16);
            }
        }
        return r;
    }

    @Test
    void keyFramesFollowGopRequestsAndSizeChanges() {
        try (FrameCompressor enc = backend.openEncoder(cqp(30, 4))) {
            EncodedFrame out = new EncodedFrame();
            List<Boolean> keys = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                if (i == 6) {
                    enc.requestKeyFrame();
                }
                int w = i < 9 ? 64 : 48;
                enc.encode(JcodecTestFrames.shifted(EARTH, w, 32, i), 0, 0, w, 32, i, out);
                keys.add(out.keyFrame());
                assertThat(JcodecTestFrames.nalTypes(out.data(), out.length())[0]).isEqualTo(out.keyFrame() ? 7 : 1);
            }
            // GOP 4: 0, 4; requested at 6; the GOP restarts there (10 would be next); size change at 9.
            assertThat(keys).containsExactly(true, false, false, false, true, false, true, false, false, true, false);
        }
    }

    @Test
    void bitRateModesFollowTheTarget() {
        int w = 224;
        int h = 128;
        long[] rates = {150_000, 750_000};
        for (RateControlMode mode : new RateControlMode[] {RateControlMode.VBR, RateControlMode.CBR}) {
            for (long rate : rates) {
                VideoEncoderConfig c = VideoEncoderConfig.builder(VideoCodecType.H264).rateControl(mode).bitRate(rate)
                        .frameRate(30).gopLength(1000).build();
                assertThat(c.rateControl()).isEqualTo(mode);
                long bytes = 0;
                try (FrameCompressor enc = backend.openEncoder(c)) {
                    EncodedFrame out = new EncodedFrame();
                    for (int i = 0; i < 50; i++) {
                        enc.encode(JcodecTestFrames.shifted(EARTH, w, h, 2 * i), 0, 0, w, h, i, out);
                        if (i >= 15) {
                            bytes += out.length(); // after the controller has settled
                        }
                    }
                }
                double achieved = bytes * 8 * 30 / 35.0;
                System.out.printf("JCodec %s: target %d bit/s, achieved %.0f%n", mode, rate, achieved);
                assertThat(achieved).as("%s at %d bit/s", mode, rate).isBetween(rate * 0.7, rate * 1.3);
            }
        }
    }

    @Test
    void setBitRateMovesTheRateWhileStreaming() {
        VideoEncoderConfig c = VideoEncoderConfig.builder(VideoCodecType.H264).bitRate(1_000_000).frameRate(30)
                .gopLength(1000).build();
        try (FrameCompressor enc = backend.openEncoder(c)) {
            EncodedFrame out = new EncodedFrame();
            long[] bytes = new long[2];
            for (int i = 0; i < 80; i++) {
                if (i == 40) {
                    enc.setBitRate(200_000);
                }
                enc.encode(JcodecTestFrames.shifted(EARTH, 224, 128, 2 * i), 0, 0, 224, 128, i, out);
                if (i % 40 >= 20) {
                    bytes[i / 40] += out.length();
                }
            }
            assertThat(bytes[1] * 3).isLessThan(bytes[0]);
        }
    }

    @Test
    void rejectsWhatJcodecCannotDoNamingTheField() {
        VideoEncoderConfig.Builder base = VideoEncoderConfig.builder(VideoCodecType.H264).constantQp(26);
        assertField(base.toString(), VideoEncoderConfig.spice(VideoCodecType.H264), "preset");
        assertField("tune", VideoEncoderConfig.builder(VideoCodecType.H264).constantQp(26).tune("film").build(), "tune");
        assertField("ir", VideoEncoderConfig.builder(VideoCodecType.H264).constantQp(26).intraRefresh(true).build(),
                "intraRefresh");
        assertField("st", VideoEncoderConfig.builder(VideoCodecType.H264).constantQp(26).slicedThreads(true).build(),
                "slicedThreads");
        assertField("sl", VideoEncoderConfig.builder(VideoCodecType.H264).constantQp(26).slices(4).build(), "slices");
        assertField("th", VideoEncoderConfig.builder(VideoCodecType.H264).constantQp(26).threads(2).build(), "threads");
        assertField("pr", VideoEncoderConfig.builder(VideoCodecType.H264).constantQp(26).profile("high").build(),
                "profile");
        // SPICE's settings without the x264 options: VBR at 8 Mibit/s, QP 15..35.
        VideoEncoderConfig spice = JcodecBackend.withoutX264Options(VideoEncoderConfig.spice(VideoCodecType.H264));
        assertThat(spice.rateControl()).isEqualTo(RateControlMode.VBR);
        assertThat(spice.qpMin()).isEqualTo(15);
        assertThat(spice.preset()).isNull();
        try (FrameCompressor enc = backend.openEncoder(spice)) {
            EncodedFrame out = new EncodedFrame();
            assertThat(enc.encode(JcodecTestFrames.shifted(EARTH, 64, 32, 0), 0, 0, 64, 32, 0, out)).isTrue();
        }
        // What JCodec does anyway is accepted.
        backend.openEncoder(VideoEncoderConfig.builder(VideoCodecType.H264).constantQp(26).tune("zerolatency")
                .threads(1).slices(1).profile("constrained-baseline").build()).close();
        assertThatThrownBy(() -> backend.openEncoder(VideoEncoderConfig.spice(VideoCodecType.H265)))
                .isInstanceOf(BackendUnavailableException.class).hasMessageContaining("only H.264");
        assertThatThrownBy(() -> backend.openDecoder(VideoCodecType.VP8))
                .isInstanceOf(BackendUnavailableException.class).hasMessageContaining("VP8");
        assertThat(backend.unavailableReason(VideoCodecType.H264)).isNull();
        assertThat(backend.decoderUnavailableReason(VideoCodecType.H264)).isNull();
        assertThat(backend.unavailableReason(VideoCodecType.H265))
                .isEqualTo("JCodec encodes only H.264; use the FFmpeg or GStreamer backend for H265");
    }

    private void assertField(String what, VideoEncoderConfig c, String field) {
        assertThatThrownBy(() -> backend.openEncoder(c)).as(what)
                .isInstanceOfSatisfying(UnsupportedConfigurationException.class,
                        e -> assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void noiseAtLowQpOverflowingJcodecsSliceBufferIsCodedAtAHigherQp() {
        int w = 64;
        int h = 48;
        java.util.Random rnd = new java.util.Random(12);
        try (FrameCompressor enc = backend.openEncoder(cqp(0, 10));
             VideoDecoder dec = backend.openDecoder(VideoCodecType.H264)) {
            EncodedFrame out = new EncodedFrame();
            SpiceBitmap decoded = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, w, h);
            for (int i = 0; i < 4; i++) {
                SpiceBitmap noise = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, w, h);
                rnd.nextBytes(noise.data());
                assertThat(enc.encode(noise, 0, 0, w, h, i, out)).isTrue();
                // More than JCodec's w x h slice buffer could ever hold is impossible; it is full.
                assertThat(out.length()).isBetween(w * h / 2, w * h * 3 / 2);
                assertThat(dec.decodeFrame(out.data(), 0, out.length(), decoded)).isTrue();
                // Against the noise as 4:2:0 can carry it (chroma subsampling alone costs noise
                // most of its colour), the codec's own loss at the raised QP stays moderate.
                org.spicecodec.video.I420Frame yuv = org.spicecodec.video.I420Frame.allocate(w, h);
                org.spicecodec.video.I420Converter.rgbToI420(noise, 0, 0, yuv);
                SpiceBitmap carried = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, w, h);
                org.spicecodec.video.I420Converter.i420ToBgrx(yuv, carried);
                assertThat(JcodecTestFrames.psnr(carried, decoded, w, h)).as("frame %d", i).isGreaterThan(25);
            }
            // Ordinary content afterwards is coded at (close to) the configured QP again.
            for (int i = 0; i < 12; i++) {
                SpiceBitmap src = JcodecTestFrames.shifted(EARTH, w, h, i);
                enc.encode(src, 0, 0, w, h, 10 + i, out);
                assertThat(dec.decodeFrame(out.data(), 0, out.length(), decoded)).isTrue();
                if (i == 11) {
                    assertThat(JcodecTestFrames.psnr(src, decoded, w, h)).isGreaterThan(40);
                }
            }
        }
    }

    @Test
    void rejectsBadFramesBeforeEncoding() {
        try (FrameCompressor enc = backend.openEncoder(cqp(26, 10))) {
            EncodedFrame out = new EncodedFrame();
            SpiceBitmap pal = SpiceBitmap.allocate(SpiceBitmapFormat.PLT8, 16, 16);
            assertThatThrownBy(() -> enc.encode(pal, 0, 0, 16, 16, 0, out))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PLT8");
            SpiceBitmap b = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 16, 16);
            assertThatThrownBy(() -> enc.encode(b, 8, 0, 16, 16, 0, out))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside");
            assertThat(out.length()).isZero();
        }
    }
}
