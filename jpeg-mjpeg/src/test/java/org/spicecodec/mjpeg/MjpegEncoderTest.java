package org.spicecodec.mjpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpicePalette;
import org.spicecodec.core.video.EncodeStatus;
import org.spicecodec.core.video.EncodedFrame;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.core.video.VideoEncoder;
import org.spicecodec.jpeg.JpegEngines;
import org.spicecodec.jpeg.JpegFrameEncoder;

/**
 * {@link MjpegEncoder} end to end: real JPEG frames of a corpus photo, a clock moving 40 ms per
 * frame (a 25 fps source), decoded again by {@link MjpegDecoder}.
 */
class MjpegEncoderTest {
    private static final int LEFT = 96;
    private static final int TOP = 128;
    private static final int W = 320;
    private static final int H = 240;

    private final SpiceBitmap picture = Pictures.load(Pictures.ASTRONAUT, SpiceBitmapFormat.RGB32);
    private final SpiceBitmap expected = Pictures.crop(picture, LEFT, TOP, W, H);

    /** What one run of 50 frames produced. */
    private record Run(List<EncodeStatus> statuses, List<Integer> qualities, double minPsnr, MjpegEncoder encoder) {
        long count(EncodeStatus s) {
            return statuses.stream().filter(x -> x == s).count();
        }
    }

    private Run run50(long startingBitRate, JpegFrameEncoder engine, ScriptedStream stream) {
        MjpegEncoder enc = new MjpegEncoder(startingBitRate, stream, stream, engine);
        MjpegDecoder dec = new MjpegDecoder();
        SpiceBitmap out = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, W, H);
        EncodedFrame frame = new EncodedFrame();
        List<EncodeStatus> statuses = new ArrayList<>();
        List<Integer> qualities = new ArrayList<>();
        double minPsnr = Double.POSITIVE_INFINITY;
        double sum = 0;
        for (int i = 0; i < 50; i++) {
            stream.atMs(40L * i);
            EncodeStatus st = enc.encodeFrame(ScriptedStream.mm(40L * i), picture, LEFT, TOP, W, H, frame);
            statuses.add(st);
            if (st == EncodeStatus.DONE) {
                assertThat(frame.keyFrame()).isTrue();
                assertThat(frame.mmTime()).isEqualTo(ScriptedStream.mm(40L * i));
                assertThat(frame.ptsNanos()).isEqualTo(40_000_000L * i);
                // The stats sum the quality of every encoded frame: the difference is this one's.
                double total = enc.getStats().averageQuality() * enc.rateControl().framesForStats();
                qualities.add((int) Math.round(total - sum));
                sum = total;
                assertThat(dec.decodeFrame(frame.data(), 0, frame.length(), out)).isTrue();
                minPsnr = Math.min(minPsnr, Pictures.psnrMemoryOrder(expected, out));
            }
        }
        dec.close();
        return new Run(statuses, qualities, minPsnr, enc);
    }

    /** Sizes of this frame at the seven qualities, as the engine makes them. */
    private long[] sizesByQualityId(JpegFrameEncoder engine) {
        long[] sizes = new long[7];
        EncodedFrame probe = new EncodedFrame();
        for (int q = 0; q < 7; q++) {
            sizes[q] = engine.encode(picture, LEFT, TOP, W, H, MjpegRateControl.qualitySample(q), probe);
        }
        return sizes;
    }

    @Test
    void constrainedLinkSettlesAtQuality80And12FpsAndDropsEveryOtherFrame() {
        ImageIoTestEngine engine = new ImageIoTestEngine();
        long[] s = sizesByQualityId(engine);
        // Sizes grow with quality (the search assumes it).
        assertThat(s[3]).isLessThan(s[4]);
        assertThat(s[4]).isLessThan(s[5]);
        assertThat(s[5]).isLessThan(s[6]);
        engine.frames = 0;
        // byte_rate = floor(12.5 × s6): fps_6 = 12, fps_3..5 ≥ 12.
        long byteRate = s[6] * 25 / 2;
        ScriptedStream stream = new ScriptedStream(20, 25);
        Run r = run50(byteRate * 8, engine, stream);
        // SET search: q3 (fps ≥ 12, not < 10) → q4 → q5 → q6 (each fps ≥ 10 and > 5) →
        // q6 at 12 fps: top, finish at max(6, best) = 6 with min(12, 25) = 12; adjusted 18.
        // Frames 0..4 are never dropped (last_frame_time is not advanced while a rate-change
        // search runs). Then 1e9/18 = 55.6 ms: every other 40 ms frame. adjust_fps measures at
        // frame 18 (7 frames in 520 ms, counting frame 4: 13.46 > 12.5 → 18 × 12/13.46 =
        // 16.05), 31 (7 frames: 14.30) and 44 (6 frames: 11.54 + 0.5 < 12 → 14.88): the
        // interval stays in (40, 80] ms, so frames 6, 8, …, 48 pass and 5, 7, …, 49 drop.
        List<EncodeStatus> want = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            want.add(i <= 4 || i % 2 == 0 ? EncodeStatus.DONE : EncodeStatus.DROP);
        }
        assertThat(r.statuses()).isEqualTo(want);
        assertThat(r.count(EncodeStatus.DONE)).isEqualTo(27);
        assertThat(r.count(EncodeStatus.DROP)).isEqualTo(23);
        assertThat(engine.frames).isEqualTo(27);
        assertThat(r.qualities().subList(0, 6)).containsExactly(50, 60, 70, 80, 80, 80);
        assertThat(r.qualities().subList(3, r.qualities().size())).containsOnly(80);
        MjpegRateControl rc = r.encoder().rateControl();
        assertThat(rc.qualityId()).isEqualTo(6);
        assertThat(rc.fps()).isEqualTo(12);
        // Delay request: 2 × (s6 × 1000 / floor(12.5 s6) = 80) + RTT/2 = 170.
        assertThat(stream.lastDelay()).isEqualTo(170);
        assertThat(r.encoder().getBitRate()).isEqualTo(byteRate * 8);
        // Quality 50 and up on this crop: at least 30 dB (measured 31.1 dB at quality 50).
        assertThat(r.minPsnr()).isGreaterThan(30.0);
    }

    @Test
    void generousLinkSendsEveryFrameAtQuality80() {
        ImageIoTestEngine engine = new ImageIoTestEngine();
        // 100 Mbit/s: 12.5 MB/s, every quality allows ≥ 25 fps: the search climbs to q6 and
        // stops at the top with min(fps_6, 25) = 25; adjusted 37.5 (26.7 ms), later 34.8 —
        // all 40 ms frames pass. new_fps > 25 but fps 25 = src and q6 is the top: no search.
        Run r = run50(100_000_000, engine, new ScriptedStream(20, 25));
        assertThat(r.count(EncodeStatus.DONE)).isEqualTo(50);
        assertThat(r.count(EncodeStatus.DROP)).isZero();
        assertThat(r.qualities().subList(0, 5)).containsExactly(50, 60, 70, 80, 80);
        assertThat(r.qualities().subList(4, 50)).containsOnly(80);
        assertThat(r.encoder().rateControl().fps()).isEqualTo(25);
        assertThat(r.minPsnr()).isGreaterThan(30.0);
        assertThat(r.encoder().getStats().averageQuality()).isEqualTo((50 + 60 + 70 + 80 * 47) / 50.0);
    }

    @Test
    void moduleEnginesGiveTheSameDecisions() {
        // The same constrained run through the module's engines (ImageIO, and FFmpeg when its
        // natives load): decisions depend on sizes only through the derivation above.
        for (JpegFrameEncoder engine : new JpegFrameEncoder[] {JpegEngines.imageIo(), JpegEngines.create()}) {
            long[] s = sizesByQualityId(engine);
            assertThat(s[3]).as(engine.engine()).isLessThan(s[4]);
            assertThat(s[5]).as(engine.engine()).isLessThan(s[6]);
            Run r = run50(s[6] * 25 / 2 * 8, engine, new ScriptedStream(20, 25));
            assertThat(r.count(EncodeStatus.DONE)).as(engine.engine()).isEqualTo(27);
            assertThat(r.count(EncodeStatus.DROP)).as(engine.engine()).isEqualTo(23);
            assertThat(r.minPsnr()).as(engine.engine()).isGreaterThan(30.0);
            r.encoder().close();
        }
    }

    @Test
    void defaultEngineEncodes() {
        ScriptedStream stream = new ScriptedStream(20, 25);
        try (MjpegEncoder enc = new MjpegEncoder(8_000_000, stream, stream)) {
            assertThat(enc.engineName()).isIn("ffmpeg", "imageio");
            EncodedFrame frame = new EncodedFrame();
            assertThat(enc.encodeFrame(ScriptedStream.mm(0), picture, LEFT, TOP, W, H, frame))
                    .isEqualTo(EncodeStatus.DONE);
            SpiceBitmap out = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, W, H);
            new MjpegDecoder().decodeFrame(frame.data(), 0, frame.length(), out);
            assertThat(Pictures.psnrMemoryOrder(expected, out)).isGreaterThan(30.0);
        }
        assertThatThrownBy(() -> new MjpegEncoder(-8, stream, stream)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bottomUpBitmapsAreEncodedInMemoryOrder() {
        // A bottom-up bitmap of the same picture: spice feeds rows as stored, so the JPEG is
        // upside down and the client (no TOP_DOWN flag) flips it back.
        SpiceBitmap bottomUp = Pictures.storedBottomUp(picture);
        ScriptedStream stream = new ScriptedStream(20, 25);
        MjpegEncoder enc = new MjpegEncoder(100_000_000, stream, stream, new ImageIoTestEngine());
        EncodedFrame frame = new EncodedFrame();
        assertThat(enc.encodeFrame(ScriptedStream.mm(0), bottomUp, LEFT, TOP, W, H, frame))
                .isEqualTo(EncodeStatus.DONE);
        MjpegDecoder dec = new MjpegDecoder();
        // Decoded into a bottom-up destination: the picture's crop, right way up.
        SpiceBitmap outUp = Pictures.storedBottomUp(SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, W, H));
        dec.decodeFrame(frame.data(), 0, frame.length(), outUp);
        assertThat(Pictures.psnrMemoryOrder(Pictures.storedBottomUp(expected), outUp)).isGreaterThan(30.0);
        // Decoded into a top-down destination: the crop upside down.
        SpiceBitmap outDown = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, W, H);
        dec.decodeFrame(frame.data(), 0, frame.length(), outDown);
        assertThat(Pictures.psnrMemoryOrder(Pictures.flipped(expected), outDown)).isGreaterThan(30.0);
        assertThat(Pictures.psnrMemoryOrder(expected, outDown)).isLessThan(20.0);
    }

    @Test
    void rgb24AndRgb16AreEncoded() {
        for (SpiceBitmapFormat f : new SpiceBitmapFormat[] {SpiceBitmapFormat.RGB24, SpiceBitmapFormat.RGB16,
                SpiceBitmapFormat.RGBA}) {
            SpiceBitmap src = Pictures.load(Pictures.COFFEE, f);
            ScriptedStream stream = new ScriptedStream(20, 25);
            MjpegEncoder enc = new MjpegEncoder(100_000_000, stream, stream, new ImageIoTestEngine());
            EncodedFrame frame = new EncodedFrame(16);
            assertThat(enc.encodeFrame(ScriptedStream.mm(0), src, frame)).as(f + " " + enc.lastFailure())
                    .isEqualTo(EncodeStatus.DONE);
            SpiceBitmap out = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, src.width(), src.height());
            new MjpegDecoder().decodeFrame(frame.data(), 0, frame.length(), out);
            SpiceBitmap ref = Pictures.load(Pictures.COFFEE, SpiceBitmapFormat.RGB32);
            // RGB16 loses 3 bits per channel before JPEG: a lower floor.
            assertThat(Pictures.psnrMemoryOrder(ref, out)).as(f.toString())
                    .isGreaterThan(f == SpiceBitmapFormat.RGB16 ? 26.0 : 30.0);
        }
    }

    @Test
    void otherFormatsAreUnsupportedAfterTheRateDecision() {
        byte[] idx = new byte[64 * 64];
        SpiceBitmap plt8 = SpiceBitmap.of(SpiceBitmapFormat.PLT8, 64, 64, idx)
                .withPalette(new SpicePalette(1, new int[] {0xFF0000, 0x00FF00}));
        ScriptedStream stream = new ScriptedStream(20, 25);
        ImageIoTestEngine engine = new ImageIoTestEngine();
        MjpegEncoder enc = new MjpegEncoder(8_000_000, stream, stream, engine);
        EncodedFrame frame = new EncodedFrame();
        assertThat(enc.encodeFrame(ScriptedStream.mm(0), plt8, frame)).isEqualTo(EncodeStatus.UNSUPPORTED);
        assertThat(engine.frames).isZero();
        // Not counted in the stats, but the rate control did run (as spice checks the format
        // after it): the adjusted-fps clock started at this frame.
        assertThat(enc.getStats().averageQuality()).isZero();
        assertThat(enc.rateControl().frameTimeNanos()).isEqualTo(ScriptedStream.T0);
        assertThat(frame.length()).isZero();
        assertThat(MjpegEncoder.isSupported(SpiceBitmapFormat.A8)).isFalse();
        assertThat(MjpegEncoder.isSupported(SpiceBitmapFormat.RGB16)).isTrue();
    }

    @Test
    void cannotDecodeReportRefusesTheEncoder() {
        ScriptedStream stream = new ScriptedStream(20, 25);
        ImageIoTestEngine engine = new ImageIoTestEngine();
        MjpegEncoder enc = new MjpegEncoder(8_000_000, stream, stream, engine);
        EncodedFrame frame = new EncodedFrame();
        for (int i = 0; i < 3; i++) {
            stream.atMs(40L * i);
            assertThat(enc.encodeFrame(ScriptedStream.mm(40L * i), picture, LEFT, TOP, W, H, frame))
                    .isEqualTo(EncodeStatus.DONE);
        }
        // An ordinary report with no frames is not the special one.
        enc.clientStreamReport(0, 0, 0, 0, 0, 0);
        assertThat(enc.isRefused()).isFalse();
        long framesBefore = enc.rateControl().framesForStats();
        long bitRate = enc.getBitRate();
        // spice-gtk: num_frames 0, num_drops 0xFFFFFFFF, the other fields 0.
        assertThat(VideoEncoder.isCannotDecodeReport(0, -1)).isTrue();
        enc.clientStreamReport(0, -1, 0, 0, 0, 0);
        assertThat(enc.isRefused()).isTrue();
        for (int i = 3; i < 10; i++) {
            stream.atMs(40L * i);
            assertThat(enc.encodeFrame(ScriptedStream.mm(40L * i), picture, LEFT, TOP, W, H, frame))
                    .isEqualTo(EncodeStatus.UNSUPPORTED);
        }
        enc.notifyServerFrameDrop();
        enc.clientStreamReport(5, 0, ScriptedStream.mm(0), ScriptedStream.mm(200), -100, -1);
        assertThat(engine.frames).isEqualTo(3);
        assertThat(enc.rateControl().framesForStats()).isEqualTo(framesBefore);
        assertThat(enc.rateControl().serverFramesDropped()).isZero();
        assertThat(enc.getBitRate()).isEqualTo(bitRate);
    }

    @Test
    void engineFailureIsUnsupportedAndForgetsTheSize() {
        ScriptedStream stream = new ScriptedStream(20, 25);
        ImageIoTestEngine engine = new ImageIoTestEngine();
        MjpegEncoder enc = new MjpegEncoder(8_000_000, stream, stream, engine);
        EncodedFrame frame = new EncodedFrame();
        assertThat(enc.encodeFrame(ScriptedStream.mm(0), picture, LEFT, TOP, W, H, frame))
                .isEqualTo(EncodeStatus.DONE);
        assertThat(enc.rateControl().lastEncSize()).isEqualTo(frame.length());
        engine.failNext = new UncheckedIOException(new java.io.IOException("disk on fire"));
        stream.atMs(40);
        assertThat(enc.encodeFrame(ScriptedStream.mm(40), picture, LEFT, TOP, W, H, frame))
                .isEqualTo(EncodeStatus.UNSUPPORTED);
        assertThat(enc.lastFailure()).hasMessageContaining("disk on fire");
        assertThat(enc.rateControl().lastEncSize()).isZero();
        assertThat(enc.rateControl().framesForStats()).isEqualTo(2);
    }

    @Test
    void badArgumentsAndLifecycle() {
        ScriptedStream stream = new ScriptedStream(20, 25);
        ImageIoTestEngine engine = new ImageIoTestEngine();
        MjpegEncoder enc = new MjpegEncoder(8_000_000, stream, stream, engine);
        EncodedFrame frame = new EncodedFrame();
        assertThat(enc.codecType()).isEqualTo(VideoCodecType.MJPEG);
        assertThat(enc.engineName()).isEqualTo("imageio-test");
        assertThatThrownBy(() -> enc.encodeFrame(0, picture, 500, 0, 20, 20, frame))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> enc.encodeFrame(0, picture, 0, -1, 20, 20, frame))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> enc.encodeFrame(0, picture, 0, 0, 0, 20, frame))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> enc.encodeFrame(0, picture, Integer.MAX_VALUE, 0, 20, 20, frame))
                .isInstanceOf(IllegalArgumentException.class);
        // Rejected before the rate control saw anything.
        assertThat(enc.rateControl().frameTimeNanos()).isZero();
        assertThatThrownBy(() -> new MjpegEncoder(-1, stream, stream, engine))
                .isInstanceOf(IllegalArgumentException.class);
        enc.close();
        assertThat(engine.closed).isTrue();
        assertThatThrownBy(() -> enc.encodeFrame(0, picture, frame)).isInstanceOf(IllegalStateException.class);
        enc.close(); // idempotent
    }

    @Test
    void dropLeavesTheOutputAlone() {
        ScriptedStream stream = new ScriptedStream(20, 25);
        MjpegEncoder enc = new MjpegEncoder(100_000_000, stream, stream, new ImageIoTestEngine());
        EncodedFrame frame = new EncodedFrame();
        for (int i = 0; i <= 4; i++) { // the SET search: q3..q6
            stream.atMs(40L * i);
            enc.encodeFrame(ScriptedStream.mm(40L * i), picture, LEFT, TOP, W, H, frame);
        }
        byte[] before = frame.toByteArray();
        // 10 ms later: 1e9/37.5 = 26.7 ms has not passed.
        stream.atMs(170);
        assertThat(enc.encodeFrame(ScriptedStream.mm(170), picture, LEFT, TOP, W, H, frame))
                .isEqualTo(EncodeStatus.DROP);
        assertThat(frame.toByteArray()).isEqualTo(before);
        assertThat(frame.mmTime()).isEqualTo(ScriptedStream.mm(160));
    }
}
