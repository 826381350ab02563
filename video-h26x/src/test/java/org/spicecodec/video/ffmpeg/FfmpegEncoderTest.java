package org.spicecodec.video.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.spicecodec.video.ffmpeg.FfmpegTestFrames.cat;
import static org.spicecodec.video.ffmpeg.FfmpegTestFrames.convert;
import static org.spicecodec.video.ffmpeg.FfmpegTestFrames.crop;
import static org.spicecodec.video.ffmpeg.FfmpegTestFrames.psnr;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpiceChunks;
import org.spicecodec.core.video.EncodedFrame;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.core.video.VideoDecoder;
import org.spicecodec.video.FrameCompressor;
import org.spicecodec.video.RateControlMode;
import org.spicecodec.video.UnsupportedConfigurationException;
import org.spicecodec.video.VideoEncoderConfig;

/** Input handling, bitstream shape, configuration mapping and argument checks of the encoder (GPL natives). */
class FfmpegEncoderTest {
    static final FfmpegBackend BACKEND = new FfmpegBackend();

    static FrameCompressor open(VideoCodecType codec, int qp) {
        return BACKEND.openEncoder(VideoEncoderConfig.builder(codec).constantQp(qp).build());
    }

    /** Encodes {@code in}'s whole area once and decodes it into a fresh top-down RGB32 bitmap of that size. */
    static SpiceBitmap encodeDecode(VideoCodecType codec, int qp, SpiceBitmap in) {
        try (FrameCompressor enc = open(codec, qp); VideoDecoder dec = BACKEND.openDecoder(codec)) {
            EncodedFrame out = new EncodedFrame(16);
            assertThat(enc.encode(in, 0, 0, in.width(), in.height(), 0, out)).isTrue();
            SpiceBitmap got = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, in.width(), in.height());
            assertThat(dec.decodeFrame(out.data(), 0, out.length(), got)).isTrue();
            return got;
        }
    }

    @ParameterizedTest(name = "{0} at {1}x{2}")
    @CsvSource({"H264, 451, 299", "H265, 451, 299", "H264, 641, 1", "VP8, 451, 299", "VP9, 451, 299", "MJPEG, 451, 299",
                "H264, 2, 2", "VP8, 1, 1"})
    void oddSizesRoundTripAtTheirOwnSize(VideoCodecType codec, int w, int h) {
        SpiceBitmap src = w <= cat().width() ? crop(cat(), 0, 0, w, h) : wide(w, h);
        SpiceBitmap got = encodeDecode(codec, codec == VideoCodecType.MJPEG ? 2 : 18, src);
        assertThat(got.width()).isEqualTo(w);
        double p = psnr(src, got);
        System.out.printf("%s %dx%d: %.2f dB%n", codec, w, h, p);
        assertThat(p).isGreaterThan(w * h < 16 ? 30 : 35);
        // The padding column/row must not leak in: the last column alone is still faithful.
        if (w > 1) {
            assertThat(psnr(src.data(), (w - 1) * 4, src.stride(), got.data(), (w - 1) * 4, got.stride(), 1, h)).isGreaterThan(28);
        }
    }

    /** A picture wider than the cat: the cat tiled. */
    static SpiceBitmap wide(int w, int h) {
        SpiceBitmap c = cat();
        byte[] out = new byte[w * h * 4];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                System.arraycopy(c.data(), y % c.height() * c.stride() + x % c.width() * 4, out, (y * w + x) * 4, 4);
            }
        }
        return SpiceBitmap.of(SpiceBitmapFormat.RGB32, w, h, out);
    }

    @ParameterizedTest(name = "{0}, stride +{1}, top-down {2}")
    @CsvSource({"RGB32, 12, true", "RGB32, 0, false", "RGBA, 4, false", "RGB24, 1, true", "RGB24, 7, false",
                "RGB16, 2, true", "RGB16, 0, false"})
    void everyInputFormatStrideAndRowOrder(SpiceBitmapFormat format, int extraStride, boolean topDown) {
        SpiceBitmap ref = crop(cat(), 40, 30, 320, 240);
        if (format == SpiceBitmapFormat.RGB16) {
            ref = quantize555(ref);
        }
        int stride = (int) format.minStride(ref.width()) + extraStride;
        SpiceBitmap in = convert(ref, format, stride, topDown);
        SpiceBitmap got = encodeDecode(VideoCodecType.H264, 16, in);
        // Rows are encoded in memory order: a bottom-up bitmap comes out upside down, as
        // spice-server sends it (the client flips streams without the TOP_DOWN flag).
        SpiceBitmap expected = topDown ? ref : flip(ref);
        // RGB16 is compared with its 5-bit values expanded one way; swscale expands them its own way.
        assertThat(psnr(expected, got)).isGreaterThan(format == SpiceBitmapFormat.RGB16 ? 33 : 38);
        if (!topDown) {
            assertThat(psnr(ref, got)).isLessThan(20);
        }
    }

    @Test
    void cropRectangleOfABottomUpChunkedBitmap() {
        SpiceBitmap ref = cat();
        int stride = ref.width() * 4 + 8;
        SpiceBitmap bottomUp = convert(ref, SpiceBitmapFormat.RGB32, stride, false);
        // Split the rows over three chunks of 100 rows.
        byte[] all = bottomUp.data();
        byte[][] parts = new byte[3][];
        for (int i = 0; i < 3; i++) {
            parts[i] = java.util.Arrays.copyOfRange(all, i * 100 * stride, (i + 1) * 100 * stride);
        }
        SpiceBitmap chunked = SpiceBitmap.of(SpiceBitmapFormat.RGB32, ref.width(), ref.height(), stride, false,
                SpiceChunks.of(parts));
        // Picture rectangle (50, 60) 200x150: bottom-up, it starts at memory row 300-60-150 = 90.
        try (FrameCompressor enc = open(VideoCodecType.VP8, 4); VideoDecoder dec = BACKEND.openDecoder(VideoCodecType.VP8)) {
            EncodedFrame out = new EncodedFrame();
            assertThat(enc.encode(chunked, 50, 60, 200, 150, 0, out)).isTrue();
            SpiceBitmap got = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 200, 150);
            assertThat(dec.decodeFrame(out.data(), 0, out.length(), got)).isTrue();
            SpiceBitmap expected = flip(crop(ref, 50, 60, 200, 150));
            assertThat(psnr(expected, got)).isGreaterThan(36);
        }
    }

    static SpiceBitmap flip(SpiceBitmap b) {
        byte[] out = new byte[b.stride() * b.height()];
        for (int y = 0; y < b.height(); y++) {
            System.arraycopy(b.data(), b.offset() + y * b.stride(), out, (b.height() - 1 - y) * b.stride(), b.stride());
        }
        return SpiceBitmap.of(b.format(), b.width(), b.height(), b.stride(), true, out, 0);
    }

    /** RGB32 with each channel cut to 5 bits and expanded as swscale expands x1r5g5b5. */
    static SpiceBitmap quantize555(SpiceBitmap b) {
        byte[] out = b.data().clone();
        for (int i = 0; i < out.length; i++) {
            if ((i & 3) != 3) {
                int v = (out[i] & 255) >> 3;
                out[i] = (byte) (v << 3 | v >> 2);
            }
        }
        return SpiceBitmap.of(SpiceBitmapFormat.RGB32, b.width(), b.height(), out);
    }

    /** NAL unit types of an Annex B access unit, in order. */
    static List<Integer> nalTypes(byte[] d, int len, boolean hevc) {
        List<Integer> types = new ArrayList<>();
        for (int i = 0; i + 3 < len; i++) {
            if (d[i] == 0 && d[i + 1] == 0 && d[i + 2] == 1) {
                int h = d[i + 3] & 255;
                types.add(hevc ? (h >> 1) & 63 : h & 31);
                i += 3;
            }
        }
        return types;
    }

    @Test
    void x264AccessUnitsAreAnnexBWithAudAndKeyFramesWhereAsked() {
        VideoEncoderConfig config = VideoEncoderConfig.builder(VideoCodecType.H264).constantQp(26).gopLength(4).build();
        try (FrameCompressor enc = BACKEND.openEncoder(config)) {
            EncodedFrame out = new EncodedFrame();
            List<Boolean> keys = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                if (i == 6) {
                    enc.requestKeyFrame();
                }
                SpiceBitmap f = crop(cat(), i, i, 256, 192);
                assertThat(enc.encode(f, 0, 0, 256, 192, i, out)).isTrue();
                byte[] d = out.data();
                // Every access unit opens with a 4-byte start code and an AUD (type 9).
                assertThat(new byte[] {d[0], d[1], d[2], d[3], (byte) (d[4] & 31)}).containsExactly(0, 0, 0, 1, 9);
                List<Integer> types = nalTypes(d, out.length(), false);
                keys.add(out.keyFrame());
                if (out.keyFrame()) {
                    assertThat(types).contains(7, 8, 5); // SPS, PPS, IDR slice
                } else {
                    assertThat(types).contains(1).doesNotContain(5, 7);
                }
            }
            // gop 4: key frames at 0 and 4; frame 6 by request.
            assertThat(keys).containsExactly(true, false, false, false, true, false, true);
        }
    }

    @Test
    void x264SlicesAreHonoured() {
        VideoEncoderConfig config = VideoEncoderConfig.builder(VideoCodecType.H264).constantQp(26).slices(4).threads(1).build();
        try (FrameCompressor enc = BACKEND.openEncoder(config)) {
            EncodedFrame out = new EncodedFrame();
            assertThat(enc.encode(crop(cat(), 0, 0, 256, 192), 0, 0, 256, 192, 0, out)).isTrue();
            assertThat(nalTypes(out.data(), out.length(), false).stream().filter(t -> t == 5).count()).isEqualTo(4);
        }
    }

    @Test
    void x264IntraRefreshSendsOneKeyFrame() {
        VideoEncoderConfig config = VideoEncoderConfig.spice(VideoCodecType.H264).toBuilder().gopLength(5).build();
        try (FrameCompressor enc = BACKEND.openEncoder(config)) {
            EncodedFrame out = new EncodedFrame();
            int keys = 0;
            for (int i = 0; i < 12; i++) {
                assertThat(enc.encode(crop(cat(), i, 0, 256, 192), 0, 0, 256, 192, i, out)).isTrue();
                keys += out.keyFrame() ? 1 : 0;
                assertThat(nalTypes(out.data(), out.length(), false)).doesNotContain(i == 0 ? -1 : 5);
            }
            assertThat(keys).isEqualTo(1);
        }
    }

    @Test
    void h265AccessUnitsCarryParameterSetsOnKeyFrames() {
        try (FrameCompressor enc = open(VideoCodecType.H265, 30)) {
            EncodedFrame out = new EncodedFrame();
            for (int i = 0; i < 3; i++) {
                if (i == 2) {
                    enc.requestKeyFrame();
                }
                assertThat(enc.encode(crop(cat(), i, i, 256, 192), 0, 0, 256, 192, i, out)).isTrue();
                assertThat(out.data()[0] == 0 && out.data()[1] == 0 && (out.data()[2] == 1 || out.data()[3] == 1)).isTrue();
                List<Integer> types = nalTypes(out.data(), out.length(), true);
                assertThat(out.keyFrame()).isEqualTo(i != 1);
                if (out.keyFrame()) {
                    assertThat(types).contains(32, 33, 34); // VPS, SPS, PPS
                    assertThat(types).containsAnyOf(19, 20, 21); // IDR or CRA (x265 open GOP)
                }
            }
        }
    }

    @Test
    void vpxFramesAreRawWithTheFrameTypeInTheHeader() {
        for (VideoCodecType codec : new VideoCodecType[] {VideoCodecType.VP8, VideoCodecType.VP9}) {
            try (FrameCompressor enc = open(codec, 20)) {
                EncodedFrame out = new EncodedFrame();
                for (int i = 0; i < 3; i++) {
                    if (i == 2) {
                        enc.requestKeyFrame();
                    }
                    assertThat(enc.encode(crop(cat(), i, i, 256, 192), 0, 0, 256, 192, i, out)).isTrue();
                    int b0 = out.data()[0] & 255;
                    // VP8: bit 0 of the frame tag is 0 for key frames. VP9 (profile 0):
                    // frame marker 2, profile 0, show_existing 0, then frame_type 0 = key.
                    boolean keyInHeader = codec == VideoCodecType.VP8 ? (b0 & 1) == 0 : (b0 >> 6) == 2 && (b0 & 0x04) == 0;
                    assertThat(out.keyFrame()).as("%s frame %d", codec, i).isEqualTo(i != 1).isEqualTo(keyInHeader);
                    if (codec == VideoCodecType.VP8 && out.keyFrame()) {
                        // Key frame start code 9d 01 2a, then the size.
                        assertThat(new byte[] {out.data()[3], out.data()[4], out.data()[5]}).containsExactly(0x9d, 0x01, 0x2a);
                    }
                }
            }
        }
    }

    @Test
    void x264BitRateChangesWhileStreaming() {
        VideoEncoderConfig config = VideoEncoderConfig.builder(VideoCodecType.H264).bitRate(4_000_000).preset("ultrafast").build();
        try (FrameCompressor enc = BACKEND.openEncoder(config)) {
            EncodedFrame out = new EncodedFrame();
            long high = 0;
            long low = 0;
            for (int i = 0; i < 40; i++) {
                if (i == 20) {
                    enc.setBitRate(150_000);
                }
                assertThat(enc.encode(crop(cat(), i, i / 2, 320, 240), 0, 0, 320, 240, i, out)).isTrue();
                assertThat(out.keyFrame()).as("no key frame for a rate change").isEqualTo(i == 0);
                if (i >= 5 && i < 20) {
                    high += out.length();
                } else if (i >= 30) {
                    low += out.length();
                }
            }
            // 15 frames at 4 Mbit/s vs 10 at 150 kbit/s.
            assertThat(high / 15).isGreaterThan(4 * (low / 10));
        }
    }

    @Test
    void vp8BitRateChangeReopensWithAKeyFrame() {
        VideoEncoderConfig config = VideoEncoderConfig.builder(VideoCodecType.VP8).rateControl(RateControlMode.CBR)
                .bitRate(4_000_000).build();
        try (FrameCompressor enc = BACKEND.openEncoder(config)) {
            EncodedFrame out = new EncodedFrame();
            long high = 0;
            long low = 0;
            for (int i = 0; i < 40; i++) {
                if (i == 20) {
                    enc.setBitRate(150_000);
                }
                assertThat(enc.encode(crop(cat(), i, i / 2, 320, 240), 0, 0, 320, 240, i, out)).isTrue();
                assertThat(out.keyFrame()).isEqualTo(i == 0 || i == 20);
                if (i >= 5 && i < 20) {
                    high += out.length();
                } else if (i >= 30) {
                    low += out.length();
                }
            }
            assertThat(high / 15).isGreaterThan(4 * (low / 10));
        }
    }

    @Test
    void sizeChangeReopensWithAKeyFrame() {
        try (FrameCompressor enc = open(VideoCodecType.H264, 26); VideoDecoder dec = BACKEND.openDecoder(VideoCodecType.H264)) {
            EncodedFrame out = new EncodedFrame();
            int[][] sizes = {{320, 240}, {320, 240}, {200, 100}, {200, 100}};
            for (int i = 0; i < sizes.length; i++) {
                int w = sizes[i][0];
                int h = sizes[i][1];
                assertThat(enc.encode(cat(), 10, 10, w, h, i, out)).isTrue();
                assertThat(out.keyFrame()).isEqualTo(i % 2 == 0);
                SpiceBitmap got = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, w, h);
                assertThat(dec.decodeFrame(out.data(), 0, out.length(), got)).isTrue();
                assertThat(psnr(crop(cat(), 10, 10, w, h), got)).isGreaterThan(35);
            }
        }
    }

    @Test
    void steadyStateAllocatesNothingPerFrame() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SpiceBitmap a = crop(cat(), 0, 0, 320, 240);
        SpiceBitmap b = crop(cat(), 5, 3, 320, 240);
        try (FrameCompressor enc = open(VideoCodecType.H264, 30); VideoDecoder dec = BACKEND.openDecoder(VideoCodecType.H264)) {
            EncodedFrame out = new EncodedFrame(256 * 1024);
            SpiceBitmap got = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 320, 240);
            for (int i = 0; i < 200; i++) { // warm up (JIT) and grow every buffer
                enc.encode(i % 2 == 0 ? a : b, 0, 0, 320, 240, i, out);
                dec.decodeFrame(out.data(), 0, out.length(), got);
            }
            long tid = Thread.currentThread().getId();
            long before = mx.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 100; i++) {
                enc.encode(i % 2 == 0 ? a : b, 0, 0, 320, 240, i, out);
                dec.decodeFrame(out.data(), 0, out.length(), got);
            }
            long perFrame = (mx.getThreadAllocatedBytes(tid) - before) / 100;
            assertThat(perFrame).as("bytes allocated per encoded+decoded frame").isLessThan(64);
        }
    }

    @Test
    void badArgumentsAreRejectedBeforeNativeCode() {
        try (FrameCompressor enc = open(VideoCodecType.H264, 26)) {
            SpiceBitmap f = crop(cat(), 0, 0, 64, 64);
            EncodedFrame out = new EncodedFrame();
            assertThatThrownBy(() -> enc.encode(null, 0, 0, 1, 1, 0, out)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> enc.encode(f, 0, 0, 1, 1, 0, null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> enc.encode(f, 1, 0, 64, 64, 0, out)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> enc.encode(f, 0, 0, 0, 64, 0, out)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> enc.encode(f, -1, 0, 10, 10, 0, out)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> enc.encode(f, 0, Integer.MAX_VALUE, 10, 10, 0, out)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> enc.encode(f, 60, 0, Integer.MAX_VALUE, 10, 0, out)).isInstanceOf(IllegalArgumentException.class);
            SpiceBitmap a8 = SpiceBitmap.allocate(SpiceBitmapFormat.A8, 16, 16);
            assertThatThrownBy(() -> enc.encode(a8, 0, 0, 16, 16, 0, out))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("A8");
            assertThatThrownBy(() -> enc.setBitRate(0)).isInstanceOf(IllegalArgumentException.class);
            // Still works after the rejections.
            assertThat(enc.encode(f, 0, 0, 64, 64, 0, out)).isTrue();
            enc.close();
            assertThatThrownBy(() -> enc.encode(f, 0, 0, 64, 64, 0, out)).isInstanceOf(IllegalStateException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "openh264 preset, preset",
        "openh264 intra refresh, intraRefresh",
        "x264 10-bit profile, profile",
        "x264 unknown preset, preset",
        "x264 unknown tune, tune",
        "x265 sliced threads, slicedThreads",
        "x265 two tunes, tune",
        "vp8 preset, preset",
        "vp8 intra refresh, intraRefresh",
        "vp9 3 tiles, slices",
        "vp9 profile 2, profile",
        "mjpeg qp range, qpRange",
        "mjpeg qp 0, constantQp",
        "mjpeg tune, tune",
    })
    void configurationsABackendCannotHonourNameTheField(String what, String field) {
        VideoEncoderConfig c = switch (what) {
            case "openh264 preset" -> VideoEncoderConfig.builder(VideoCodecType.H264).preset("ultrafast").build();
            case "openh264 intra refresh" -> VideoEncoderConfig.builder(VideoCodecType.H264).intraRefresh(true).build();
            case "x264 10-bit profile" -> VideoEncoderConfig.builder(VideoCodecType.H264).profile("high10").build();
            case "x264 unknown preset" -> VideoEncoderConfig.builder(VideoCodecType.H264).preset("warp").build();
            case "x264 unknown tune" -> VideoEncoderConfig.builder(VideoCodecType.H264).tune("cartoon").build();
            case "x265 sliced threads" -> VideoEncoderConfig.builder(VideoCodecType.H265).slicedThreads(true).build();
            case "x265 two tunes" -> VideoEncoderConfig.builder(VideoCodecType.H265).tune("psnr,zerolatency").build();
            case "vp8 preset" -> VideoEncoderConfig.builder(VideoCodecType.VP8).preset("ultrafast").build();
            case "vp8 intra refresh" -> VideoEncoderConfig.builder(VideoCodecType.VP8).intraRefresh(true).build();
            case "vp9 3 tiles" -> VideoEncoderConfig.builder(VideoCodecType.VP9).slices(3).build();
            case "vp9 profile 2" -> VideoEncoderConfig.builder(VideoCodecType.VP9).profile("2").build();
            case "mjpeg qp range" -> VideoEncoderConfig.builder(VideoCodecType.MJPEG).qpRange(2, 20).build();
            case "mjpeg qp 0" -> VideoEncoderConfig.builder(VideoCodecType.MJPEG).constantQp(0).build();
            case "mjpeg tune" -> VideoEncoderConfig.builder(VideoCodecType.MJPEG).tune("film").constantQp(5).build();
            default -> throw new IllegalArgumentException(what);
        };
        FfmpegBackend backend = what.startsWith("openh264") ? FfmpegBackend.withH264Encoder("libopenh264") : BACKEND;
        assertThatThrownBy(() -> backend.openEncoder(c).close())
                .isInstanceOf(UnsupportedConfigurationException.class)
                .satisfies(e -> assertThat(((UnsupportedConfigurationException) e).field()).isEqualTo(field));
    }

    @Test
    void gplNativesAreLoadedAndChosenForH264() {
        assertThat(FfmpegBackend.nativesLicense()).startsWith("GPL");
        assertThat(BACKEND.encoderName(VideoCodecType.H264)).isEqualTo("libx264");
        for (VideoCodecType c : VideoCodecType.values()) {
            assertThat(BACKEND.unavailableReason(c)).as("encode %s", c).isNull();
            assertThat(BACKEND.decoderUnavailableReason(c)).as("decode %s", c).isNull();
        }
        assertThat(org.spicecodec.video.VideoBackends.defaults().encoderBackend(VideoCodecType.H265).name()).isEqualTo("ffmpeg");
    }
}
