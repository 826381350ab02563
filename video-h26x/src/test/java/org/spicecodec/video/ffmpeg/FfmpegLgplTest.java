package org.spicecodec.video.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.core.video.VideoDecoder;
import org.spicecodec.video.BackendUnavailableException;
import org.spicecodec.video.FrameCompressor;
import org.spicecodec.video.VideoBackends;
import org.spicecodec.video.VideoEncoderConfig;

/**
 * The library as shipped, on the LGPL natives only (the surefire execution "lgpl" runs the
 * tests tagged so, with the GPL jar off the class path).
 */
@Tag("lgpl")
class FfmpegLgplTest {
    static final FfmpegBackend BACKEND = new FfmpegBackend();

    @Test
    void theLgplNativesAreLoaded() {
        assertThat(FfmpegBackend.nativesLicense()).startsWith("LGPL");
    }

    @Test
    void h264ComesFromOpenh264AndRoundTrips() {
        assertThat(BACKEND.unavailableReason(VideoCodecType.H264)).isNull();
        assertThat(BACKEND.encoderName(VideoCodecType.H264)).isEqualTo("libopenh264");
        VideoEncoderConfig config = VideoEncoderConfig.builder(VideoCodecType.H264).bitRate(2_000_000).build();
        try (FrameCompressor enc = BACKEND.openEncoder(config); VideoDecoder dec = BACKEND.openDecoder(VideoCodecType.H264)) {
            double[] r = FfmpegRoundTripTest.roundTrip(enc, dec, FfmpegRoundTripTest.pan(320, 240, 6));
            assertThat(r[0]).isGreaterThan(32);
        }
    }

    @Test
    void x264IsReportedAsGplOnly() {
        FfmpegBackend x264 = FfmpegBackend.withH264Encoder("libx264");
        assertThat(x264.unavailableReason(VideoCodecType.H264))
                .contains("libx264 is only in the GPL natives", "org.bytedeco:ffmpeg:8.0.1-1.5.13:linux-x86_64-gpl");
    }

    @Test
    void h265EncodingSaysWhatToAdd() {
        String why = BACKEND.unavailableReason(VideoCodecType.H265);
        assertThat(why).contains("libx265 is only in the GPL natives", "org.bytedeco:ffmpeg:8.0.1-1.5.13:linux-x86_64-gpl",
                "LGPL", "no H265 encoder");
        assertThatThrownBy(() -> BACKEND.openEncoder(VideoEncoderConfig.builder(VideoCodecType.H265).constantQp(30).build()))
                .isInstanceOf(BackendUnavailableException.class).hasMessage(why);
        assertThatThrownBy(() -> VideoBackends.withOrder("ffmpeg").encoderBackend(VideoCodecType.H265))
                .isInstanceOf(BackendUnavailableException.class).hasMessageContaining("linux-x86_64-gpl");
    }

    /**
     * On LGPL natives a server keeps spice-server's settings: OpenH264 has no x264 preset or
     * intra refresh, so the chooser passes H.264 to GStreamer's x264enc, and H.265 to x265enc.
     */
    @Test
    void spiceSettingsFallBackToGstreamer() {
        VideoBackends order = VideoBackends.withOrder("ffmpeg", "gstreamer", "jcodec");
        for (VideoCodecType c : new VideoCodecType[] {VideoCodecType.H264, VideoCodecType.H265}) {
            try (FrameCompressor enc = order.openEncoder(VideoEncoderConfig.spice(c));
                 VideoDecoder dec = BACKEND.openDecoder(c)) {
                assertThat(enc.backend()).as("%s", c).isEqualTo("gstreamer");
                double[] r = FfmpegRoundTripTest.roundTrip(enc, dec, FfmpegRoundTripTest.pan(320, 240, 4));
                assertThat(r[0]).as("%s PSNR through FFmpeg's LGPL decoder", c).isGreaterThan(30);
            }
        }
        // With FFmpeg alone the rejection is reported with the field at fault.
        assertThatThrownBy(() -> VideoBackends.withOrder("ffmpeg").openEncoder(VideoEncoderConfig.spice(VideoCodecType.H264)))
                .isInstanceOf(org.spicecodec.video.UnsupportedConfigurationException.class);
    }

    @Test
    void everyDecoderIsThere() {
        for (VideoCodecType c : VideoCodecType.values()) {
            assertThat(BACKEND.decoderUnavailableReason(c)).as("decode %s", c).isNull();
            BACKEND.openDecoder(c).close();
        }
        for (VideoCodecType c : new VideoCodecType[] {VideoCodecType.VP8, VideoCodecType.VP9, VideoCodecType.MJPEG}) {
            assertThat(BACKEND.unavailableReason(c)).as("encode %s", c).isNull();
        }
    }

    @Test
    void spiceH264SettingsNeedX264() {
        // spice-server's x264 settings (preset, intra refresh) have no openh264 equivalent.
        assertThatThrownBy(() -> BACKEND.openEncoder(VideoEncoderConfig.spice(VideoCodecType.H264)))
                .isInstanceOf(org.spicecodec.video.UnsupportedConfigurationException.class)
                .hasMessageContaining("preset").hasMessageContaining("linux-x86_64-gpl");
    }
}
