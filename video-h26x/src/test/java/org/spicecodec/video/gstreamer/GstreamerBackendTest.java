package org.spicecodec.video.gstreamer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.video.EncodedFrame;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.video.BackendUnavailableException;
import org.spicecodec.video.FrameCompressor;
import org.spicecodec.video.RateControlMode;
import org.spicecodec.video.UnsupportedConfigurationException;
import org.spicecodec.core.video.VideoDecoder;
import org.spicecodec.video.VideoBackend;
import org.spicecodec.video.VideoBackends;
import org.spicecodec.video.VideoEncoderConfig;

/** The GStreamer backend against Debian's real GStreamer 1.22 plugins. */
class GstreamerBackendTest {
    private static final long FRAME_NS = 33_333_333L;
    private static final GstreamerBackend BACKEND = new GstreamerBackend();

    @BeforeAll
    static void gstreamerIsInstalled() {
        // CI installs the plugins (.ci/run); a machine without them must say so, not skip.
        assertNull(BACKEND.unavailableReason(VideoCodecType.H264));
        assertNull(BACKEND.unavailableReason(VideoCodecType.H265));
        assertNull(BACKEND.decoderUnavailableReason(VideoCodecType.H264));
        assertNull(BACKEND.decoderUnavailableReason(VideoCodecType.H265));
    }

    /** Encodes {@code n} panning frames; returns the access units. */
    private static List<EncodedFrame> encode(FrameCompressor enc, int n, int w, int h) {
        List<EncodedFrame> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            EncodedFrame f = new EncodedFrame(1024);
            assertTrue(enc.encode(Frames.frame(i, w, h), 0, 0, w, h, i * FRAME_NS, f), "frame " + i);
            assertTrue(f.length() > 0);
            assertEquals(i * FRAME_NS, f.ptsNanos(), 2, "pts of frame " + i);
            out.add(f);
        }
        return out;
    }

    /** Decodes every unit; each must give a picture at least {@code floor} dB from its source. */
    private static void decodeAll(String decoder, VideoCodecType codec, List<EncodedFrame> units, int w, int h,
                                  double floor) {
        try (GstreamerDecoder dec = BACKEND.openDecoder(codec, decoder)) {
            SpiceBitmap pic = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, w, h);
            for (int i = 0; i < units.size(); i++) {
                EncodedFrame f = units.get(i);
                assertTrue(dec.decodeFrame(f.data(), 0, f.length(), pic), "picture " + i);
                double psnr = Frames.psnr(Frames.frame(i, w, h), pic);
                assertTrue(psnr >= floor, decoder + " frame " + i + ": " + psnr + " dB < " + floor);
            }
        }
    }

    private static int nalType(byte[] au, int len, boolean hevc, int which) {
        int seen = 0;
        for (int i = 0; i + 3 < len; i++) {
            if (au[i] == 0 && au[i + 1] == 0 && au[i + 2] == 1) {
                if (seen++ == which) {
                    return hevc ? (au[i + 3] & 0x7e) >> 1 : au[i + 3] & 0x1f;
                }
            }
        }
        return -1;
    }

    /** profile_idc of the first H.264 SPS. */
    private static int h264Profile(EncodedFrame f) {
        byte[] b = f.data();
        for (int i = 0; i + 4 < f.length(); i++) {
            if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1 && (b[i + 3] & 0x1f) == 7) {
                return b[i + 4] & 0xff;
            }
        }
        return -1;
    }

    @Test
    void spiceH264PipelineVerbatimDecodesWithBothGstreamerDecoders() {
        List<EncodedFrame> units;
        try (GstreamerFrameCompressor enc = BACKEND.openEncoder(VideoEncoderConfig.spice(VideoCodecType.H264),
                GstreamerPipelines.SPICE_H264)) {
            assertEquals(GstreamerPipelines.SPICE_H264, enc.pipelineDescription());
            units = encode(enc, 12, 176, 144);
        }
        // Intra refresh: one key frame, then refresh waves inside P frames.
        assertTrue(units.get(0).keyFrame());
        for (int i = 1; i < units.size(); i++) {
            assertFalse(units.get(i).keyFrame(), "frame " + i);
        }
        // x264enc's aud defaults to true: every access unit starts with a delimiter (type 9).
        assertEquals(9, nalType(units.get(0).data(), units.get(0).length(), false, 0));
        // On GStreamer 1.22 videoconvert hands x264enc Y444 for this pipeline: High 4:4:4.
        assertEquals(244, h264Profile(units.get(0)));
        decodeAll(GstreamerPipelines.H264_DECODER, VideoCodecType.H264, units, 176, 144, 30);
        decodeAll(GstreamerPipelines.H264_DECODEBIN, VideoCodecType.H264, units, 176, 144, 30);
    }

    @Test
    void spiceH265PipelineVerbatimDecodesWithBothGstreamerDecoders() {
        List<EncodedFrame> units;
        try (FrameCompressor enc = BACKEND.openEncoder(VideoEncoderConfig.spice(VideoCodecType.H265),
                GstreamerPipelines.SPICE_H265)) {
            units = encode(enc, 8, 192, 128);
        }
        assertTrue(units.get(0).keyFrame());
        assertFalse(units.get(1).keyFrame());
        // The first access unit opens with a VPS (type 32).
        assertEquals(32, nalType(units.get(0).data(), units.get(0).length(), true, 0));
        decodeAll(GstreamerPipelines.H265_DECODER, VideoCodecType.H265, units, 192, 128, 30);
        decodeAll(GstreamerPipelines.H265_DECODEBIN, VideoCodecType.H265, units, 192, 128, 30);
    }

    @Test
    void userPipelineRunsAsGiven() {
        String user = "appsrc name=src is-live=true format=time ! videoconvert ! video/x-raw,format=I420"
                + " ! x264enc name=encoder tune=zerolatency speed-preset=superfast key-int-max=4 bframes=0"
                + " byte-stream=true ! video/x-h264,profile=main ! appsink name=sink";
        List<EncodedFrame> units;
        try (GstreamerFrameCompressor enc = BACKEND.openEncoder(VideoEncoderConfig.spice(VideoCodecType.H264), user)) {
            units = encode(enc, 9, 160, 96);
        }
        for (int i = 0; i < units.size(); i++) {
            assertEquals(i % 4 == 0, units.get(i).keyFrame(), "key frame flag of frame " + i);
        }
        assertEquals(77, h264Profile(units.get(0)));
        decodeAll(GstreamerPipelines.H264_DECODER, VideoCodecType.H264, units, 160, 96, 32);
    }

    @Test
    void configuredPipelineIsFourTwoZeroAndHonoursTheGop() {
        VideoEncoderConfig c = VideoEncoderConfig.builder(VideoCodecType.H264).constantQp(22).preset("ultrafast")
                .tune("zerolatency").gopLength(5).profile("baseline").build();
        List<EncodedFrame> units;
        try (FrameCompressor enc = BACKEND.openEncoder(c)) {
            assertEquals("gstreamer", enc.backend());
            units = encode(enc, 11, 128, 96);
        }
        for (int i = 0; i < units.size(); i++) {
            assertEquals(i % 5 == 0, units.get(i).keyFrame(), "key frame flag of frame " + i);
        }
        assertEquals(66, h264Profile(units.get(0)));
        decodeAll(GstreamerPipelines.H264_DECODER, VideoCodecType.H264, units, 128, 96, 34);
    }

    @Test
    void requestedKeyFrameIsTheNextFrame() {
        for (VideoEncoderConfig c : new VideoEncoderConfig[] {
            VideoEncoderConfig.builder(VideoCodecType.H264).preset("ultrafast").tune("zerolatency").build(),
            VideoEncoderConfig.builder(VideoCodecType.H265).preset("ultrafast").tune("zerolatency").build()}) {
            try (FrameCompressor enc = BACKEND.openEncoder(c)) {
                EncodedFrame f = new EncodedFrame();
                for (int i = 0; i < 6; i++) {
                    if (i == 3) {
                        enc.requestKeyFrame();
                    }
                    assertTrue(enc.encode(Frames.frame(i, 96, 64), 0, 0, 96, 64, i * FRAME_NS, f));
                    assertEquals(i == 0 || i == 3, f.keyFrame(), c.codec() + " frame " + i);
                }
            }
        }
    }

    @Test
    void oddSizesUseFourFourFourAndDecodeExactly() {
        for (VideoCodecType codec : new VideoCodecType[] {VideoCodecType.H264, VideoCodecType.H265}) {
            VideoEncoderConfig c = VideoEncoderConfig.builder(codec).preset("ultrafast").tune("zerolatency").build();
            List<EncodedFrame> units;
            try (GstreamerFrameCompressor enc = (GstreamerFrameCompressor) BACKEND.openEncoder(c)) {
                units = encode(enc, 4, 75, 51);
                assertTrue(enc.pipelineDescription().contains("format=Y444"));
            }
            decodeAll(GstreamerPipelines.decoder(codec), codec, units, 75, 51, 32);
        }
        // The verbatim SPICE H.264 pipeline takes odd sizes as they are.
        List<EncodedFrame> units;
        try (FrameCompressor enc = BACKEND.openEncoder(VideoEncoderConfig.spice(VideoCodecType.H264),
                GstreamerPipelines.SPICE_H264)) {
            units = encode(enc, 3, 33, 17);
        }
        decodeAll(GstreamerPipelines.H264_DECODER, VideoCodecType.H264, units, 33, 17, 30);
    }

    @Test
    void verbatimH265RefusesOddSizesAfterThreeFailures() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (FrameCompressor enc = BACKEND.openEncoder(VideoEncoderConfig.spice(VideoCodecType.H265),
                    GstreamerPipelines.SPICE_H265)) {
                EncodedFrame f = new EncodedFrame();
                // I420 + Main cannot hold 75x51: x265 refuses; spice-server's 3 strikes apply.
                assertFalse(enc.encode(Frames.frame(0, 75, 51), 0, 0, 75, 51, 0, f));
                assertFalse(enc.encode(Frames.frame(1, 75, 51), 0, 0, 75, 51, FRAME_NS, f));
                UnsupportedConfigurationException e = assertThrows(UnsupportedConfigurationException.class,
                        () -> enc.encode(Frames.frame(2, 75, 51), 0, 0, 75, 51, 2 * FRAME_NS, f));
                assertTrue(e.getMessage().contains("75x51") && e.getMessage().contains("3 times"), e.getMessage());
                // A new size clears the strikes.
                assertTrue(enc.encode(Frames.frame(3, 76, 52), 0, 0, 76, 52, 3 * FRAME_NS, f));
                assertTrue(f.keyFrame());
            }
        });
    }

    @Test
    void sizeChangeReconfiguresWithAKeyFrame() {
        try (FrameCompressor enc = BACKEND.openEncoder(VideoEncoderConfig.spice(VideoCodecType.H264))) {
            EncodedFrame f = new EncodedFrame();
            assertTrue(enc.encode(Frames.frame(0, 64, 48), 0, 0, 64, 48, 0, f));
            assertTrue(enc.encode(Frames.frame(1, 64, 48), 0, 0, 64, 48, FRAME_NS, f));
            assertFalse(f.keyFrame());
            assertTrue(enc.encode(Frames.frame(2, 96, 64), 0, 0, 96, 64, 2 * FRAME_NS, f));
            assertTrue(f.keyFrame());
            try (GstreamerDecoder dec = BACKEND.openDecoder(VideoCodecType.H264, GstreamerPipelines.H264_DECODER)) {
                SpiceBitmap pic = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 96, 64);
                assertTrue(dec.decodeFrame(f.data(), 0, f.length(), pic));
                assertTrue(Frames.psnr(Frames.frame(2, 96, 64), pic) > 30);
            }
        }
    }

    /**
     * RGB24, RGB16 and RGBA sources, bottom-up with padded strides, cropped from a larger bitmap.
     * Rows go in memory order (streams.md §2.9), so the picture comes out upside down.
     */
    @Test
    void everySpiceInputFormatIsCroppedInMemoryOrder() {
        int bw = 140;
        int bh = 100;
        int left = 9;
        int top = 13;
        int w = 112;
        int h = 80;
        SpiceBitmap ref = Frames.frame(5, bw, bh);
        for (SpiceBitmapFormat fmt : new SpiceBitmapFormat[] {SpiceBitmapFormat.RGB24, SpiceBitmapFormat.RGB16,
            SpiceBitmapFormat.RGBA, SpiceBitmapFormat.RGB32}) {
            int bpp = fmt.bytesPerPixel();
            int stride = bw * bpp + 6;
            byte[] px = new byte[stride * bh];
            byte[] expect = new byte[w * h * 4];
            for (int y = 0; y < bh; y++) {
                int stored = bh - 1 - y; // bottom-up
                for (int x = 0; x < bw; x++) {
                    int s = (y * bw + x) * 4;
                    int b = ref.data()[s] & 0xff;
                    int g = ref.data()[s + 1] & 0xff;
                    int r = ref.data()[s + 2] & 0xff;
                    int d = stored * stride + x * bpp;
                    if (fmt == SpiceBitmapFormat.RGB16) {
                        int v = (r >> 3) << 10 | (g >> 3) << 5 | (b >> 3);
                        px[d] = (byte) v;
                        px[d + 1] = (byte) (v >> 8);
                        b = (b >> 3) << 3 | b >> 5;
                        g = (g >> 3) << 3 | g >> 5;
                        r = (r >> 3) << 3 | r >> 5;
                    } else {
                        px[d] = (byte) b;
                        px[d + 1] = (byte) g;
                        px[d + 2] = (byte) r;
                        if (bpp == 4) {
                            px[d + 3] = (byte) 0xff;
                        }
                    }
                    if (x >= left && x < left + w && y >= top && y < top + h) {
                        int e = ((h - 1 - (y - top)) * w + (x - left)) * 4;
                        expect[e] = (byte) b;
                        expect[e + 1] = (byte) g;
                        expect[e + 2] = (byte) r;
                    }
                }
            }
            SpiceBitmap src = SpiceBitmap.of(fmt, bw, bh, stride, false, px, 0);
            EncodedFrame f = new EncodedFrame();
            try (FrameCompressor enc = BACKEND.openEncoder(VideoEncoderConfig.builder(VideoCodecType.H264)
                    .constantQp(18).preset("ultrafast").tune("zerolatency").build());
                 GstreamerDecoder dec = BACKEND.openDecoder(VideoCodecType.H264, GstreamerPipelines.H264_DECODER)) {
                assertTrue(enc.encode(src, left, top, w, h, 0, f));
                SpiceBitmap pic = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, w, h);
                assertTrue(dec.decodeFrame(f.data(), 0, f.length(), pic));
                double psnr = Frames.psnr(SpiceBitmap.of(SpiceBitmapFormat.RGB32, w, h, expect), pic);
                // RGB16 loses 3 bits per channel before coding.
                assertTrue(psnr > (fmt == SpiceBitmapFormat.RGB16 ? 33 : 36), fmt + ": " + psnr + " dB");
            }
        }
        try (FrameCompressor enc = BACKEND.openEncoder(VideoEncoderConfig.spice(VideoCodecType.H264))) {
            EncodedFrame f = new EncodedFrame();
            SpiceBitmap plt = SpiceBitmap.allocate(SpiceBitmapFormat.PLT8, 16, 16);
            assertThrows(IllegalArgumentException.class, () -> enc.encode(plt, 0, 0, 16, 16, 0, f));
            SpiceBitmap rgb = Frames.frame(0, 32, 32);
            assertThrows(IllegalArgumentException.class, () -> enc.encode(rgb, 1, 0, 32, 32, 0, f));
            assertThrows(IllegalArgumentException.class, () -> enc.encode(rgb, 0, 0, 0, 32, 0, f));
        }
    }

    @Test
    void bitRateFollowsSpiceServerPropertyHandling() {
        // x264enc: "bitrate" in kbit/s, changeable while PLAYING: applied at once, divided by 1024.
        try (GstreamerFrameCompressor enc = (GstreamerFrameCompressor) BACKEND.openEncoder(
                VideoEncoderConfig.spice(VideoCodecType.H264))) {
            EncodedFrame f = new EncodedFrame();
            assertTrue(enc.encode(Frames.frame(0, 64, 48), 0, 0, 64, 48, 0, f));
            assertEquals(8192, enc.appliedBitRateValue());
            enc.setBitRate(4_000_000);
            assertEquals(3906, enc.appliedBitRateValue());
            assertFalse(enc.restartPending());
            enc.setBitRate(100); // clamped to the property's minimum of 1 kbit/s
            assertEquals(1, enc.appliedBitRateValue());
            assertTrue(enc.encode(Frames.frame(1, 64, 48), 0, 0, 64, 48, FRAME_NS, f));
            assertFalse(f.keyFrame());
        }
        // vp8enc: "target-bitrate" in bit/s, not changeable while PLAYING: restart beyond 5 % only.
        try (GstreamerFrameCompressor enc = (GstreamerFrameCompressor) BACKEND.openEncoder(
                VideoEncoderConfig.spice(VideoCodecType.VP8))) {
            EncodedFrame f = new EncodedFrame();
            assertTrue(enc.encode(Frames.frame(0, 64, 48), 0, 0, 64, 48, 0, f));
            assertTrue(f.keyFrame());
            // vp8enc keeps whole kbit/s (of 1000 bits) of the 8 Mibit/s it was built with.
            assertEquals(8388000, enc.appliedBitRateValue());
            enc.setBitRate(8L * 1024 * 1024 * 104 / 100);
            assertFalse(enc.restartPending());
            assertTrue(enc.encode(Frames.frame(1, 64, 48), 0, 0, 64, 48, FRAME_NS, f));
            assertFalse(f.keyFrame());
            enc.setBitRate(2_000_000);
            assertTrue(enc.restartPending());
            assertEquals(8388000, enc.appliedBitRateValue());
            assertTrue(enc.encode(Frames.frame(2, 64, 48), 0, 0, 64, 48, 2 * FRAME_NS, f));
            assertFalse(enc.restartPending());
            assertEquals(2_000_000, enc.appliedBitRateValue());
            assertTrue(f.keyFrame()); // a restarted encoder begins with a key frame
        }
        // QP modes of built pipelines ignore bit rates.
        try (GstreamerFrameCompressor enc = (GstreamerFrameCompressor) BACKEND.openEncoder(
                VideoEncoderConfig.builder(VideoCodecType.H264).constantQp(30).build())) {
            EncodedFrame f = new EncodedFrame();
            assertTrue(enc.encode(Frames.frame(0, 64, 48), 0, 0, 64, 48, 0, f));
            enc.setBitRate(1_000_000);
            assertEquals(2048, enc.appliedBitRateValue()); // x264enc's default, untouched
        }
    }

    @Test
    void badPipelineStringsAreRefusedAtOpen() {
        VideoEncoderConfig c = VideoEncoderConfig.spice(VideoCodecType.H264);
        UnsupportedConfigurationException syntax = assertThrows(UnsupportedConfigurationException.class,
                () -> BACKEND.openEncoder(c, "appsrc name=src ! ! appsink name=sink"));
        assertEquals("pipeline", syntax.field());
        UnsupportedConfigurationException property = assertThrows(UnsupportedConfigurationException.class,
                () -> BACKEND.openEncoder(c, "appsrc name=src ! videoconvert ! x264enc no-such-property=1"
                        + " ! appsink name=sink"));
        assertTrue(property.getMessage().contains("no-such-property"), property.getMessage());
        // Passes the text check, but the element named sink is a fakesink.
        UnsupportedConfigurationException wrongType = assertThrows(UnsupportedConfigurationException.class,
                () -> BACKEND.openEncoder(c, "appsrc name=src ! queue ! appsink name=x fakesink name=sink"));
        assertTrue(wrongType.getMessage().contains("its element 'sink' is a fakesink, not an appsink"),
                wrongType.getMessage());
        assertThrows(UnsupportedConfigurationException.class, () -> BACKEND.openEncoder(c, null));
    }

    @Test
    void missingPluginGivesTheClearReason() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> BACKEND.openEncoder(VideoEncoderConfig.spice(VideoCodecType.H264),
                        "appsrc name=src ! videoconvert ! spicenosuchenc name=encoder ! appsink name=sink"));
        assertTrue(e.getMessage().contains("GStreamer plugin spicenosuchenc (no installed plugin provides this element)"
                + " is missing"), e.getMessage());
        assertEquals("GStreamer plugin x264enc (Debian package gstreamer1.0-plugins-ugly) is missing",
                GstRuntime.missingMessage("x264enc"));
        assertEquals("GStreamer plugin x265enc (Debian package gstreamer1.0-plugins-bad) is missing",
                GstRuntime.missingMessage("x265enc"));
        assertEquals("GStreamer plugin avdec_h264 (Debian package gstreamer1.0-libav) is missing",
                GstRuntime.missingMessage("avdec_h264"));
        assertEquals("GStreamer plugin spicenosuchdec (no installed plugin provides this element) is missing",
                GstRuntime.missing("appsrc", "spicenosuchdec", "x264enc"));
        assertNull(GstRuntime.missing("appsrc", "x264enc", "x265enc", "avdec_h264", "h265parse", "videoconvert"));
        assertNotNull(BACKEND.decoderUnavailableReason(VideoCodecType.VP8));
        // The chooser finds the backend by reflection and uses it.
        assertEquals("gstreamer", VideoBackends.withOrder("gstreamer").encoderBackend(VideoCodecType.H264).name());
    }

    @Test
    void corruptInputRaisesMalformedInputQuickly() {
        List<EncodedFrame> units;
        try (FrameCompressor enc = BACKEND.openEncoder(VideoEncoderConfig.spice(VideoCodecType.H264))) {
            units = encode(enc, 3, 96, 64);
        }
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try (GstreamerDecoder dec = BACKEND.openDecoder(VideoCodecType.H264, GstreamerPipelines.H264_DECODER)) {
                SpiceBitmap pic = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 96, 64);
                byte[] garbage = new byte[500];
                new java.util.Random(7).nextBytes(garbage);
                garbage[0] = 0x40;
                MalformedInputException g = assertThrows(MalformedInputException.class,
                        () -> dec.decodeFrame(garbage, 0, garbage.length, pic));
                assertEquals(0, g.offset());
                byte[] key = units.get(0).toByteArray();
                // A NAL header with forbidden_zero_bit set, at a known offset.
                byte[] forbidden = key.clone();
                int second = indexOfStartCode(forbidden, 4) + 3;
                forbidden[second] |= (byte) 0x80;
                MalformedInputException fb = assertThrows(MalformedInputException.class,
                        () -> dec.decodeFrame(forbidden, 0, forbidden.length, pic));
                assertEquals(garbage.length + second, fb.offset());
                assertThrows(MalformedInputException.class, () -> dec.decodeFrame(key, 0, 0, pic));
                // The wrong stream size is malformed too.
                SpiceBitmap small = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 80, 64);
                MalformedInputException size = assertThrows(MalformedInputException.class,
                        () -> dec.decodeFrame(key, 0, key.length, small));
                assertTrue(size.getMessage().contains("96x64"), size.getMessage());
                // The decoder recovers at the next key frame.
                assertTrue(dec.decodeFrame(key, 0, key.length, pic));
                assertTrue(Frames.psnr(Frames.frame(0, 96, 64), pic) > 30);
                byte[] p1 = units.get(1).toByteArray();
                assertTrue(dec.decodeFrame(p1, 0, p1.length, pic));
                // Parameter sets without a slice: no picture, and no waiting for one.
                int slice = indexOfNal(key, 5);
                long t0 = System.nanoTime();
                assertFalse(dec.decodeFrame(key, 0, slice, pic));
                assertTrue(System.nanoTime() - t0 < 1_000_000_000L);
            }
        });
        assertThrows(IllegalArgumentException.class, () -> {
            try (GstreamerDecoder dec = BACKEND.openDecoder(VideoCodecType.H264, GstreamerPipelines.H264_DECODER)) {
                dec.decodeFrame(new byte[4], 2, 3, SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 8, 8));
            }
        });
    }

    private static int indexOfStartCode(byte[] b, int from) {
        for (int i = from; i + 2 < b.length; i++) {
            if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1) {
                return i;
            }
        }
        throw new AssertionError("no start code after " + from);
    }

    /** Offset of the start code (3 or 4 bytes) of the first NAL of this type. */
    private static int indexOfNal(byte[] b, int type) {
        for (int i = 0; i + 3 < b.length; i++) {
            if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1 && (b[i + 3] & 0x1f) == type) {
                return i > 0 && b[i - 1] == 0 ? i - 1 : i;
            }
        }
        throw new AssertionError("no NAL of type " + type);
    }

    @Test
    void steadyStateFramesAllocateNothingOnTheCallerThread() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int w = 160;
        int h = 120;
        SpiceBitmap[] in = new SpiceBitmap[4];
        for (int i = 0; i < in.length; i++) {
            in[i] = Frames.frame(i * 3, w, h);
        }
        EncodedFrame f = new EncodedFrame(256 * 1024);
        SpiceBitmap pic = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, w, h);
        try (FrameCompressor enc = BACKEND.openEncoder(VideoEncoderConfig.spice(VideoCodecType.H264),
                GstreamerPipelines.SPICE_H264);
             GstreamerDecoder dec = BACKEND.openDecoder(VideoCodecType.H264, GstreamerPipelines.H264_DECODER)) {
            for (int i = 0; i < 5; i++) { // warm-up: pipeline start, JIT, pools
                enc.encode(in[i % 4], 0, 0, w, h, i * FRAME_NS, f);
                dec.decodeFrame(f.data(), 0, f.length(), pic);
            }
            // Three windows of 10 frames: one-off allocations (class loading, JIT deoptimisation)
            // cannot hit all three; anything allocated per frame would.
            long least = Long.MAX_VALUE;
            for (int window = 0; window < 3; window++) {
                long before = mx.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 10; i++) {
                    int n = 5 + window * 10 + i;
                    assertTrue(enc.encode(in[n % 4], 0, 0, w, h, n * FRAME_NS, f));
                    assertTrue(dec.decodeFrame(f.data(), 0, f.length(), pic));
                }
                least = Math.min(least, mx.getCurrentThreadAllocatedBytes() - before);
            }
            long perFrame = least / 10;
            assertEquals(0, perFrame, "bytes allocated per encoded and decoded frame");
        }
    }

    @Test
    void rateControlModesProduceDecodableStreams() {
        for (VideoEncoderConfig c : new VideoEncoderConfig[] {
            VideoEncoderConfig.builder(VideoCodecType.H264).qpRange(18, 30).preset("ultrafast").build(),
            VideoEncoderConfig.builder(VideoCodecType.H264).rateControl(RateControlMode.CBR).bitRate(1_000_000)
                    .preset("ultrafast").tune("zerolatency").build(),
            VideoEncoderConfig.builder(VideoCodecType.H265).constantQp(24).preset("ultrafast").tune("zerolatency")
                    .build(),
            VideoEncoderConfig.spice(VideoCodecType.H265)}) {
            List<EncodedFrame> units;
            try (FrameCompressor enc = BACKEND.openEncoder(c)) {
                units = encode(enc, 3, 128, 96);
            }
            decodeAll(GstreamerPipelines.decoder(c.codec()), c.codec(), units, 128, 96, 28);
        }
    }

    @Test
    void encodedBytesAreDeterministicForOnePipeline() {
        VideoEncoderConfig c = VideoEncoderConfig.builder(VideoCodecType.H264).constantQp(26).preset("ultrafast")
                .tune("zerolatency").threads(1).build();
        byte[][] a = new byte[3][];
        byte[][] b = new byte[3][];
        for (byte[][] run : new byte[][][] {a, b}) {
            try (FrameCompressor enc = BACKEND.openEncoder(c)) {
                List<EncodedFrame> units = encode(enc, 3, 64, 48);
                for (int i = 0; i < 3; i++) {
                    run[i] = units.get(i).toByteArray();
                }
            }
        }
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(a[i], b[i], "frame " + i);
        }
        assertFalse(Arrays.equals(a[0], a[1]));
    }

    /** GStreamer's H.264 decodes with the FFmpeg backend, and FFmpeg's with GStreamer. */
    @Test
    void crossDecodesWithTheFfmpegBackend() {
        VideoBackend ffmpeg = VideoBackends.builtIn("ffmpeg");
        assertNull(ffmpeg.decoderUnavailableReason(VideoCodecType.H264));
        assertNull(ffmpeg.unavailableReason(VideoCodecType.H264));
        int w = 176;
        int h = 144;
        List<EncodedFrame> gst;
        try (FrameCompressor enc = BACKEND.openEncoder(VideoEncoderConfig.spice(VideoCodecType.H264))) {
            gst = encode(enc, 6, w, h);
        }
        try (VideoDecoder dec = ffmpeg.openDecoder(VideoCodecType.H264)) {
            SpiceBitmap pic = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, w, h);
            for (int i = 0; i < gst.size(); i++) {
                EncodedFrame f = gst.get(i);
                assertTrue(dec.decodeFrame(f.data(), 0, f.length(), pic), "FFmpeg picture " + i);
                double psnr = Frames.psnr(Frames.frame(i, w, h), pic);
                assertTrue(psnr > 32, "FFmpeg decoding GStreamer frame " + i + ": " + psnr + " dB");
            }
        }
        List<EncodedFrame> ff;
        try (FrameCompressor enc = ffmpeg.openEncoder(VideoEncoderConfig.spice(VideoCodecType.H264))) {
            assertEquals("ffmpeg", enc.backend());
            ff = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                EncodedFrame f = new EncodedFrame();
                if (enc.encode(Frames.frame(i, w, h), 0, 0, w, h, i * FRAME_NS, f)) {
                    ff.add(f);
                }
            }
        }
        assertTrue(ff.size() >= 4, "FFmpeg produced " + ff.size() + " of 6 frames");
        try (GstreamerDecoder dec = BACKEND.openDecoder(VideoCodecType.H264, GstreamerPipelines.H264_DECODER)) {
            SpiceBitmap pic = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, w, h);
            int decoded = 0;
            for (EncodedFrame f : ff) {
                if (dec.decodeFrame(f.data(), 0, f.length(), pic)) {
                    decoded++;
                    int n = (int) Math.round(f.ptsNanos() / (double) FRAME_NS);
                    double psnr = Frames.psnr(Frames.frame(n, w, h), pic);
                    assertTrue(psnr > 30, "GStreamer decoding FFmpeg frame " + n + ": " + psnr + " dB");
                }
            }
            assertEquals(ff.size(), decoded);
        }
    }

    /**
     * Without libgstreamer (forced in a child JVM: Debian ships only the versioned soname,
     * which JNA then looks for in an empty directory), every check gives the reason and
     * opening throws it; nothing crashes.
     */
    @Test
    void missingGstreamerLibraryGivesTheReason() throws Exception {
        Process p = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djna.platform.library.path=/nonexistent", "-cp", System.getProperty("java.class.path"),
                PrintAvailability.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        String reason = "GStreamer cannot initialise (Could not load library: gstreamer); install libgstreamer1.0-0";
        assertTrue(out.contains("encode H264: " + reason), out);
        assertTrue(out.contains("decode H265: " + reason), out);
        assertTrue(out.contains("open: " + BackendUnavailableException.class.getName() + ": GStreamer backend: "
                + reason), out);
    }

    /** spice-server's VP8, VP9 and MJPEG pipelines, verbatim, give their codecs' frames. */
    @Test
    void otherSpicePipelinesEncode() {
        for (VideoCodecType codec : new VideoCodecType[] {VideoCodecType.VP8, VideoCodecType.VP9, VideoCodecType.MJPEG}) {
            try (GstreamerFrameCompressor enc = BACKEND.openEncoder(VideoEncoderConfig.spice(codec),
                    GstreamerPipelines.spice(codec))) {
                EncodedFrame f = new EncodedFrame();
                for (int i = 0; i < 3; i++) {
                    assertTrue(enc.encode(Frames.frame(i, 96, 64), 0, 0, 96, 64, i * FRAME_NS, f), codec + " " + i);
                    byte[] b = f.data();
                    switch (codec) {
                        case VP8 -> {
                            // Frame tag bit 0 is 0 for key frames, which carry the start code 9d 01 2a.
                            assertEquals(i == 0, (b[0] & 1) == 0);
                            assertEquals(i == 0, f.keyFrame());
                            if (i == 0) {
                                assertArrayEquals(new byte[] {(byte) 0x9d, 0x01, 0x2a}, Arrays.copyOfRange(b, 3, 6));
                            }
                        }
                        case VP9 -> {
                            assertEquals(2, (b[0] & 0xff) >> 6); // frame_marker
                            assertEquals(i == 0, f.keyFrame());
                        }
                        default -> {
                            assertEquals(0xd8ff, (b[0] & 0xff) | (b[1] & 0xff) << 8); // SOI
                            assertEquals(0xd9ff, (b[f.length() - 2] & 0xff) | (b[f.length() - 1] & 0xff) << 8);
                            assertTrue(f.keyFrame());
                        }
                    }
                }
            }
        }
    }

    /**
     * Mean RGB PSNR of {@code enc}'s panning frames {@code skip..n-1} decoded by {@code dec}; adds
     * their bytes to {@code bytes[0]}.
     */
    private static double psnrThrough(FrameCompressor enc, VideoDecoder dec, int n, int skip, int w, int h,
                                      long[] bytes) {
        SpiceBitmap pic = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, w, h);
        EncodedFrame f = new EncodedFrame(64 * 1024);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            SpiceBitmap src = Frames.frame(i, w, h);
            assertTrue(enc.encode(src, 0, 0, w, h, i * FRAME_NS, f), "frame " + i);
            byte[] unit = f.toByteArray();
            assertTrue(dec.decodeFrame(unit, 0, unit.length, pic), "picture " + i);
            if (i >= skip) {
                bytes[0] += f.length();
                sum += Frames.psnr(src, pic);
            }
        }
        return sum / (n - skip);
    }

    /**
     * A built H.264 pipeline codes BT.601 limited range at HD sizes too, as FFmpeg's encoder does,
     * so FFmpeg's decoder (swscale, BT.601) shows its pictures as well as FFmpeg's own. Without
     * the pinned colorimetry videoconvert switches to BT.709 above 576 lines: 4 dB lost at
     * 1280x720, 3.8 dB here.
     */
    @Test
    void hdPicturesKeepTheirColoursInAnotherDecoder() {
        VideoBackend ffmpeg = VideoBackends.builtIn("ffmpeg");
        assertNull(ffmpeg.decoderUnavailableReason(VideoCodecType.H264));
        int w = 256;
        int h = 608; // above 576 lines: GStreamer's HD defaults
        VideoEncoderConfig c = VideoEncoderConfig.builder(VideoCodecType.H264).constantQp(22).preset("ultrafast").build();
        long[] bytes = new long[1];
        double gst;
        double reference;
        try (FrameCompressor enc = BACKEND.openEncoder(c); VideoDecoder dec = ffmpeg.openDecoder(VideoCodecType.H264)) {
            gst = psnrThrough(enc, dec, 3, 0, w, h, bytes);
        }
        try (FrameCompressor enc = ffmpeg.openEncoder(c); VideoDecoder dec = ffmpeg.openDecoder(VideoCodecType.H264)) {
            reference = psnrThrough(enc, dec, 3, 0, w, h, new long[1]);
        }
        // Measured: 37.8 dB through FFmpeg's encoder, 37.3 through GStreamer's (34.0 with BT.709).
        assertTrue(gst > reference - 1.5, "GStreamer-encoded " + gst + " dB vs FFmpeg-encoded " + reference + " dB");
    }

    /**
     * MJPEG's constant QP is the qscale of every frame, not only of the first: with avenc_mjpeg's
     * pass=quant alone frames 1..3 here took 23114 bytes at qscale 3, 8 and 20 alike (qscale 2);
     * now 16889, 8216 and 4693 bytes at 37.2, 32.8 and 29.3 dB.
     */
    @Test
    void mjpegConstantQpSetsTheSizeOfEveryFrame() {
        VideoBackend ffmpeg = VideoBackends.builtIn("ffmpeg");
        assertNull(ffmpeg.decoderUnavailableReason(VideoCodecType.MJPEG));
        int w = 192;
        int h = 128;
        long[][] bytes = new long[3][1];
        double[] psnr = new double[3];
        int[] qps = {3, 8, 20};
        for (int k = 0; k < qps.length; k++) {
            try (FrameCompressor enc = BACKEND.openEncoder(VideoEncoderConfig.builder(VideoCodecType.MJPEG)
                    .constantQp(qps[k]).build()); VideoDecoder dec = ffmpeg.openDecoder(VideoCodecType.MJPEG)) {
                // Frames after the first are the ones pass=quant alone left at qscale 2.
                psnr[k] = psnrThrough(enc, dec, 4, 1, w, h, bytes[k]);
            }
        }
        assertTrue(bytes[0][0] > 1.5 * bytes[1][0] && bytes[1][0] > 1.5 * bytes[2][0],
                "MJPEG bytes at qscale 3, 8, 20: " + Arrays.deepToString(bytes));
        assertTrue(psnr[0] > psnr[1] + 2 && psnr[1] > psnr[2] + 2, "MJPEG PSNR: " + Arrays.toString(psnr));
    }
}
