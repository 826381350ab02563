package org.spicecodec.video.gstreamer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.video.RateControlMode;
import org.spicecodec.video.UnsupportedConfigurationException;
import org.spicecodec.video.VideoEncoderConfig;

/** Pipeline descriptions: the verbatim SPICE ones and the mapping of VideoEncoderConfig. */
class GstreamerPipelinesTest {

    @Test
    void spicePipelinesAreVerbatim() {
        assertEquals("appsrc is-live=true format=time do-timestamp=true name=src ! videoconvert ! x264enc name=encoder"
                + " byte-stream=true qp-min=15 qp-max=35 tune=4 sliced-threads=true speed-preset=ultrafast"
                + " intra-refresh=true ! appsink name=sink", GstreamerPipelines.spice(VideoCodecType.H264));
        assertEquals("appsrc is-live=true format=time do-timestamp=true name=src ! videoconvert !"
                + " video/x-raw,format=I420 ! x265enc name=encoder tune=4 speed-preset=ultrafast !"
                + " video/x-h265,stream-format=byte-stream,alignment=au,profile=main ! appsink name=sink",
                GstreamerPipelines.spice(VideoCodecType.H265));
        assertEquals("appsrc is-live=true format=time do-timestamp=true name=src ! videoconvert ! x264enc name=encoder"
                + " byte-stream=true aud=true qp-min=15 qp-max=35 tune=4 sliced-threads=true speed-preset=ultrafast"
                + " intra-refresh=true ! appsink name=sink", GstreamerPipelines.SPICE_SERVER_H264);
        assertEquals("appsrc is-live=true format=time do-timestamp=true name=src ! videoconvert ! vp8enc name=encoder"
                + " end-usage=cbr min-quantizer=10 error-resilient=default lag-in-frames=0 deadline=1 cpu-used=4"
                + " ! appsink name=sink", GstreamerPipelines.spice(VideoCodecType.VP8));
        assertEquals(GstreamerPipelines.SPICE_VP8.replace("vp8enc", "vp9enc"), GstreamerPipelines.spice(VideoCodecType.VP9));
        assertEquals("appsrc is-live=true format=time do-timestamp=true name=src ! videoconvert ! avenc_mjpeg"
                + " name=encoder ! appsink name=sink", GstreamerPipelines.spice(VideoCodecType.MJPEG));
    }

    @Test
    void spiceConfigMapsOntoX264Properties() {
        // 8 Mibit/s is 8192 kbit of 1024 bits, as spice-server divides.
        assertEquals(GstreamerPipelines.SPICE_SOURCE + "video/x-raw,format=I420,colorimetry=bt601 ! x264enc name=encoder byte-stream=true"
                + " pass=cbr bitrate=8192 qp-min=15 qp-max=35 speed-preset=ultrafast tune=zerolatency"
                + " intra-refresh=true sliced-threads=true ! video/x-h264,stream-format=byte-stream,alignment=au"
                + " ! appsink name=sink",
                GstreamerPipelines.forConfig(VideoEncoderConfig.spice(VideoCodecType.H264), 640, 480));
        // Odd sizes cannot be 4:2:0, so the same configuration takes 4:4:4 there.
        assertTrue(GstreamerPipelines.forConfig(VideoEncoderConfig.spice(VideoCodecType.H264), 641, 480)
                .contains("video/x-raw,format=Y444,colorimetry=bt601 ! x264enc"));
    }

    @Test
    void everyConfigFieldReachesItsProperty() {
        VideoEncoderConfig c = VideoEncoderConfig.builder(VideoCodecType.H264).constantQp(27).preset("Fast")
                .tune("zerolatency,fastdecode,film").gopLength(60).threads(2).slices(4).profile("main").build();
        assertEquals(GstreamerPipelines.SPICE_SOURCE + "video/x-raw,format=I420,colorimetry=bt601 ! x264enc name=encoder byte-stream=true"
                + " pass=quant quantizer=27 speed-preset=fast tune=zerolatency+fastdecode psy-tune=film key-int-max=60"
                + " threads=2 option-string=slices=4 ! video/x-h264,stream-format=byte-stream,alignment=au,profile=main"
                + " ! appsink name=sink", GstreamerPipelines.forConfig(c, 320, 240));

        VideoEncoderConfig cbr = VideoEncoderConfig.builder(VideoCodecType.H265).rateControl(RateControlMode.CBR)
                .bitRate(2_048_000).qpRange(20, 40).preset("ultrafast").tune("zerolatency").intraRefresh(true)
                .gopLength(30).threads(3).profile("main").build();
        assertEquals(GstreamerPipelines.SPICE_SOURCE + "video/x-raw,format=I420,colorimetry=bt601 ! x265enc name=encoder bitrate=2000"
                + " speed-preset=ultrafast tune=zerolatency key-int-max=30"
                + " option-string=vbv-maxrate=2000:vbv-bufsize=600:qpmin=20:qpmax=40:intra-refresh=1:pools=3"
                + " ! video/x-h265,stream-format=byte-stream,alignment=au,profile=main ! appsink name=sink",
                GstreamerPipelines.forConfig(cbr, 320, 240));

        // VPx bit rates are in bit/s.
        assertEquals(GstreamerPipelines.SPICE_SOURCE + "video/x-raw,format=I420,colorimetry=bt601 ! vp8enc name=encoder"
                + " error-resilient=default lag-in-frames=0 deadline=1 cpu-used=4 end-usage=cbr target-bitrate=8388608"
                + " min-quantizer=10 max-quantizer=63 ! appsink name=sink",
                GstreamerPipelines.forConfig(VideoEncoderConfig.spice(VideoCodecType.VP8), 320, 240));

        // MJPEG's constant QP is the qscale, pinned with qmin = qmax (pass=quant alone holds for
        // the first frame only); quantizer itself stops at 30.
        assertEquals(GstreamerPipelines.SPICE_SOURCE + "avenc_mjpeg name=encoder pass=quant quantizer=8 qmin=8 qmax=8"
                + " ! appsink name=sink", GstreamerPipelines.forConfig(VideoEncoderConfig.builder(VideoCodecType.MJPEG)
                .constantQp(8).build(), 320, 240));
        assertTrue(GstreamerPipelines.forConfig(VideoEncoderConfig.builder(VideoCodecType.MJPEG).constantQp(31).build(),
                320, 240).contains("pass=quant quantizer=30 qmin=31 qmax=31 !"));
    }

    /** The same RGB-to-YUV matrix at every size: HD must not switch to BT.709 (see COLORIMETRY). */
    @Test
    void builtH26xAndVpxPipelinesPinBt601AtEverySize() {
        for (VideoCodecType codec : new VideoCodecType[] {VideoCodecType.H264, VideoCodecType.H265,
                VideoCodecType.VP8, VideoCodecType.VP9}) {
            for (int[] size : new int[][] {{320, 240}, {1280, 720}, {1920, 1080}, {641, 481}}) {
                String p = GstreamerPipelines.forConfig(VideoEncoderConfig.builder(codec).constantQp(30).build(),
                        size[0], size[1]);
                assertTrue(p.matches(".*videoconvert ! video/x-raw,format=(I420|Y444),colorimetry=bt601 ! .*"), p);
            }
            // spice-server's own pipelines stay verbatim.
            assertTrue(!GstreamerPipelines.spice(codec).contains("colorimetry"), codec.toString());
        }
    }


    @Test
    void whatTheElementsCannotHonourIsRefusedByField() {
        assertField("tune", () -> GstreamerPipelines.check(VideoEncoderConfig.builder(VideoCodecType.H264)
                .tune("movie").build()));
        assertField("preset", () -> GstreamerPipelines.check(VideoEncoderConfig.builder(VideoCodecType.H264)
                .preset("ludicrous").build()));
        assertField("profile", () -> GstreamerPipelines.check(VideoEncoderConfig.builder(VideoCodecType.H264)
                .profile("high-10").build()));
        assertField("slicedThreads", () -> GstreamerPipelines.check(VideoEncoderConfig.builder(VideoCodecType.H265)
                .slicedThreads(true).build()));
        assertField("tune", () -> GstreamerPipelines.check(VideoEncoderConfig.builder(VideoCodecType.H265)
                .tune("film").build()));
        assertField("preset", () -> GstreamerPipelines.check(VideoEncoderConfig.builder(VideoCodecType.VP8)
                .preset("ultrafast").build()));
        assertField("intraRefresh", () -> GstreamerPipelines.check(VideoEncoderConfig.builder(VideoCodecType.VP9)
                .intraRefresh(true).build()));
        assertField("constantQp", () -> GstreamerPipelines.check(VideoEncoderConfig.builder(VideoCodecType.H264)
                .constantQp(51).build()));
        assertField("constantQp", () -> GstreamerPipelines.check(VideoEncoderConfig.builder(VideoCodecType.MJPEG)
                .constantQp(32).build()));
        assertField("constantQp", () -> GstreamerPipelines.check(VideoEncoderConfig.builder(VideoCodecType.MJPEG)
                .constantQp(0).build()));
        assertField("qpRange", () -> GstreamerPipelines.check(VideoEncoderConfig.builder(VideoCodecType.MJPEG)
                .qpRange(2, 20).build()));
        // A 4:2:0 profile and an odd frame size cannot meet.
        VideoEncoderConfig main = VideoEncoderConfig.builder(VideoCodecType.H264).profile("main").build();
        GstreamerPipelines.check(main);
        assertField("profile", () -> GstreamerPipelines.forConfig(main, 33, 32));
    }

    @Test
    void userDescriptionsNeedTheAppElements() {
        assertEquals("pipeline", assertThrows(UnsupportedConfigurationException.class,
                () -> GstreamerPipelines.checkDescription("  ")).field());
        UnsupportedConfigurationException noSrc = assertThrows(UnsupportedConfigurationException.class,
                () -> GstreamerPipelines.checkDescription("videotestsrc name=src ! x264enc ! appsink name=sink"));
        assertTrue(noSrc.getMessage().contains("'appsrc name=src'"), noSrc.getMessage());
        UnsupportedConfigurationException noSink = assertThrows(UnsupportedConfigurationException.class,
                () -> GstreamerPipelines.checkDescription("appsrc name=src ! x264enc ! fakesink name=sink"));
        assertTrue(noSink.getMessage().contains("'appsink name=sink'"), noSink.getMessage());
        assertThrows(UnsupportedConfigurationException.class,
                () -> GstreamerPipelines.checkDescription("appsrc name=src ! appsink name=sink\0"));
        assertThrows(UnsupportedConfigurationException.class,
                () -> GstreamerPipelines.checkDescription("appsrc name=src ! appsink name=sink "
                        + "x".repeat(GstreamerPipelines.MAX_DESCRIPTION)));
        GstreamerPipelines.checkDescription("appsrc name=\"src\" is-live=true ! videoconvert ! x264enc ! appsink name=sink");
    }

    private static void assertField(String field, Runnable r) {
        UnsupportedConfigurationException e = assertThrows(UnsupportedConfigurationException.class, r::run);
        assertEquals(field, e.field(), e.getMessage());
    }
}
