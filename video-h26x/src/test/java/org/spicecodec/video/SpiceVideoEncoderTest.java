package org.spicecodec.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.video.EncodeStatus;
import org.spicecodec.core.video.EncodedFrame;
import org.spicecodec.core.video.MonotonicClock;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.core.video.VideoDecoder;
import org.spicecodec.core.video.VideoEncoderStats;

/**
 * {@link SpiceVideoEncoder} around a scripted compressor (frame sizes are the rate control's
 * input), and end to end around FFmpeg's VP8. Setting as in {@link SpiceBitRateControlTest}:
 * 640×480 RGB32, 25 fps, RTT 20 ms, starting budget 8e6 bit/s, each encode 5 ms on the clock.
 */
class SpiceVideoEncoderTest {
    private static final long ENC = 5_000_000L;

    /** Writes {@code size} bytes (0, 1, 2, …) per frame; can fail, reject or produce nothing on request. */
    static final class ScriptedCompressor implements FrameCompressor {
        final VideoCodecType codec;
        final long[] clock;
        int[] sizes = {30_000};
        int failuresLeft;
        boolean reject;
        boolean produceNothing;
        int encodes;
        int bitRateCalls;
        long lastBitRate = -1;
        int lastSrcWidth;
        long lastPts = -1;
        boolean closed;

        ScriptedCompressor(VideoCodecType codec, long[] clock) {
            this.codec = codec;
            this.clock = clock;
        }

        @Override
        public VideoCodecType codec() {
            return codec;
        }

        @Override
        public String backend() {
            return "scripted";
        }

        @Override
        public boolean encode(SpiceBitmap bitmap, int srcLeft, int srcTop, int srcWidth, int srcHeight,
                              long ptsNanos, EncodedFrame out) {
            encodes++;
            clock[0] += ENC;
            lastSrcWidth = srcWidth;
            lastPts = ptsNanos;
            if (reject) {
                throw new IllegalArgumentException("scripted: format not taken");
            }
            if (failuresLeft > 0) {
                failuresLeft--;
                throw new IllegalStateException("scripted failure");
            }
            if (produceNothing) {
                return false;
            }
            int size = sizes[Math.min(encodes - 1, sizes.length - 1)];
            byte[] d = out.ensureCapacity(size);
            for (int i = 0; i < size; i++) {
                d[i] = (byte) i;
            }
            out.set(size, encodes == 1, 0, ptsNanos);
            return true;
        }

        @Override
        public void setBitRate(long bitsPerSecond) {
            bitRateCalls++;
            lastBitRate = bitsPerSecond;
        }

        @Override
        public void requestKeyFrame() {
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final long[] now = {0};
    private final MonotonicClock clock = () -> now[0];
    private SpiceBitRateControlTest.Stream stream;
    private ScriptedCompressor comp;
    private SpiceVideoEncoder enc;
    private final EncodedFrame out = new EncodedFrame(16);
    private final SpiceBitmap vga = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 640, 480);

    @BeforeEach
    void setUp() {
        stream = new SpiceBitRateControlTest.Stream();
        comp = new ScriptedCompressor(VideoCodecType.H264, now);
        enc = new SpiceVideoEncoder(comp, 8_000_000, stream, clock);
    }

    @Test
    void encodesAdmittedFramesAndDropsOverBudgetOnes() {
        comp.sizes = new int[] {100_000};
        assertEquals(VideoCodecType.H264, enc.codecType());
        assertEquals(EncodeStatus.DONE, enc.encodeFrame(1000, vga, out));
        // the video target, ⌊8e6·4/3⌋, reached the compressor before the first frame
        assertEquals(1, comp.bitRateCalls);
        assertEquals(10_666_666, comp.lastBitRate);
        assertEquals(100_000, out.length());
        assertEquals(1000, out.mmTime());
        assertEquals(0, out.ptsNanos());
        assertTrue(out.keyFrame());
        assertEquals(99, out.data()[99]);
        // slow start: 100 ms of debt → next frame at 1140 (see the control test); the 5 ms
        // encode measured on the clock gives the playback delay 150 + 11 + 2 = 163.
        assertEquals(163, stream.lastDelay);
        for (int mm = 1040; mm <= 1120; mm += 40) {
            assertEquals(EncodeStatus.DROP, enc.encodeFrame(mm, vga, out));
        }
        assertEquals(1, comp.encodes);
        assertEquals(EncodeStatus.DONE, enc.encodeFrame(1160, vga, out));
        assertEquals(160_000_000L, comp.lastPts);
        assertEquals(1160, out.mmTime());
        assertEquals(-40_000, enc.rateControl().vbufferFree());
        assertEquals(1, comp.bitRateCalls); // no change since
    }

    @Test
    void theStreamRectangleSetsTheFormat() {
        // 320×240 inside 640×480: cap 320·240·32·25/10 = 6,144,000 < 8e6
        assertEquals(EncodeStatus.DONE, enc.encodeFrame(1000, vga, 10, 20, 320, 240, out));
        assertEquals(320, comp.lastSrcWidth);
        assertEquals(6_144_000, enc.rateControl().bitRate());
        assertThrows(IllegalArgumentException.class, () -> enc.encodeFrame(1040, vga, 400, 0, 320, 240, out));
        assertThrows(IllegalArgumentException.class, () -> enc.encodeFrame(1040, vga, 0, 0, 0, 240, out));
        assertThrows(IllegalArgumentException.class, () -> enc.encodeFrame(1040, vga, -1, 0, 10, 10, out));
        assertEquals(1, comp.encodes);
    }

    @Test
    void threeConsecutiveFailuresRefuseUntilTheSizeChanges() {
        comp.failuresLeft = 3;
        // failed frames are not recorded, so each next frame is admitted and tried
        assertEquals(EncodeStatus.UNSUPPORTED, enc.encodeFrame(1000, vga, out));
        assertEquals(EncodeStatus.UNSUPPORTED, enc.encodeFrame(1040, vga, out));
        assertEquals(EncodeStatus.UNSUPPORTED, enc.encodeFrame(1080, vga, out));
        assertEquals(3, comp.encodes);
        // the 4th frame of the same size and format is refused without trying
        assertEquals(EncodeStatus.UNSUPPORTED, enc.encodeFrame(1120, vga, out));
        assertEquals(EncodeStatus.UNSUPPORTED, enc.encodeFrame(1160, vga, out));
        assertEquals(3, comp.encodes);
        // a new size resets the count
        SpiceBitmap small = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 320, 240);
        assertEquals(EncodeStatus.DONE, enc.encodeFrame(1200, small, out));
        assertEquals(4, comp.encodes);
        // the budget carried over from the start (no restart on a size change)
        assertEquals(8_000_000, enc.rateControl().bitRate());
    }

    @Test
    void failuresMustBeConsecutive() {
        comp.sizes = new int[] {1_000};
        comp.failuresLeft = 2;
        assertEquals(EncodeStatus.UNSUPPORTED, enc.encodeFrame(1000, vga, out));
        assertEquals(EncodeStatus.UNSUPPORTED, enc.encodeFrame(1040, vga, out));
        assertEquals(EncodeStatus.DONE, enc.encodeFrame(1080, vga, out));
        comp.failuresLeft = 2;
        assertEquals(EncodeStatus.UNSUPPORTED, enc.encodeFrame(1120, vga, out));
        assertEquals(EncodeStatus.UNSUPPORTED, enc.encodeFrame(1160, vga, out));
        assertEquals(EncodeStatus.DONE, enc.encodeFrame(1200, vga, out));
        assertEquals(6, comp.encodes);
    }

    @Test
    void unsupportedPixelFormats() {
        SpiceBitmap a8 = SpiceBitmap.allocate(SpiceBitmapFormat.A8, 64, 64);
        assertEquals(EncodeStatus.UNSUPPORTED, enc.encodeFrame(1000, a8, out));
        assertEquals(0, comp.encodes);
        assertFalse(enc.rateControl().started());
        // the compressor rejecting a format: refused until the format changes
        comp.reject = true;
        assertEquals(EncodeStatus.UNSUPPORTED, enc.encodeFrame(1000, vga, out));
        assertEquals(EncodeStatus.UNSUPPORTED, enc.encodeFrame(1040, vga, out));
        assertEquals(1, comp.encodes);
        comp.reject = false;
        SpiceBitmap bgr = SpiceBitmap.allocate(SpiceBitmapFormat.RGB24, 640, 480);
        assertEquals(EncodeStatus.DONE, enc.encodeFrame(1080, bgr, out));
        assertEquals(2, comp.encodes);
        // RGB24 feeds 24 bpp into the cap: 640·480·24·25/10
        assertEquals(18_432_000, enc.rateControl().bitRateCap());
    }

    @Test
    void cannotDecodeReportRefusesAllFurtherFrames() {
        assertEquals(EncodeStatus.DONE, enc.encodeFrame(1000, vga, out));
        enc.clientStreamReport(0, 0xFFFFFFFF, 0, 0, 0, 0);
        assertTrue(enc.clientCannotDecode());
        // not a drop report for the rate control: the budget is untouched
        assertEquals(8_000_000, enc.rateControl().bitRate());
        assertFalse(enc.rateControl().hasClientReports());
        assertEquals(EncodeStatus.UNSUPPORTED, enc.encodeFrame(1080, vga, out));
        SpiceBitmap small = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 320, 240);
        assertEquals(EncodeStatus.UNSUPPORTED, enc.encodeFrame(1120, small, out));
        assertEquals(1, comp.encodes);
        enc.clientStreamReport(5, 5, 1000, 1000, 10, -1); // ignored
        assertEquals(8_000_000, enc.rateControl().bitRate());
    }

    @Test
    void videoBitRateChangesReachTheCompressorBeforeTheNextFrame() {
        comp.sizes = new int[] {30_000, 2_400_000, 1_000};
        assertEquals(EncodeStatus.DONE, enc.encodeFrame(1000, vga, out));
        enc.clientStreamReport(5, 0, 1000, 1000, 200, -1); // client reports: no server increase
        assertEquals(EncodeStatus.DONE, enc.encodeFrame(3000, vga, out));
        assertEquals(2_400_000, out.length());
        // over 1/3 s of debt: the video target fell from 10,666,666 to the budget, 8e6, and
        // the next frame is due at 3333
        assertEquals(10_666_666, comp.lastBitRate);
        assertEquals(EncodeStatus.DROP, enc.encodeFrame(3320, vga, out));
        assertEquals(1, comp.bitRateCalls);
        assertEquals(EncodeStatus.DONE, enc.encodeFrame(3360, vga, out));
        assertEquals(2, comp.bitRateCalls);
        assertEquals(8_000_000, comp.lastBitRate);
    }

    @Test
    void serverDropDropsTheNextFrameAndReducesTheBudget() {
        assertEquals(EncodeStatus.DONE, enc.encodeFrame(1000, vga, out));
        assertEquals(EncodeStatus.DONE, enc.encodeFrame(1080, vga, out));
        enc.notifyServerFrameDrop();
        assertEquals(EncodeStatus.DROP, enc.encodeFrame(1120, vga, out));
        assertEquals(2, comp.encodes);
        assertEquals(6_000_000, enc.rateControl().bitRate());
        assertEquals(EncodeStatus.DONE, enc.encodeFrame(1160, vga, out));
    }

    @Test
    void statsAndBitRate() {
        assertEquals(EncodeStatus.DONE, enc.encodeFrame(1000, vga, out));
        assertEquals(EncodeStatus.DROP, enc.encodeFrame(1040, vga, out));
        assertEquals(EncodeStatus.DONE, enc.encodeFrame(1080, vga, out));
        // window {start, 1000, 1080} = 60,000 bytes up to the next slot 1083:
        // 60000·8000/83 = 5,783,132 bit/s; quality 100 − 245,760,000/5,783,132 = 100 − 42
        assertEquals(5_783_132, enc.getBitRate());
        VideoEncoderStats s = enc.getStats();
        assertEquals(8_000_000, s.startingBitRate());
        assertEquals(5_783_132, s.currentBitRate());
        assertEquals(58.0, s.averageQuality());
    }

    @Test
    void nothingOutIsADrop() {
        comp.produceNothing = true;
        assertEquals(EncodeStatus.DROP, enc.encodeFrame(1000, vga, out));
        assertEquals(EncodeStatus.DROP, enc.encodeFrame(1040, vga, out));
        assertEquals(2, comp.encodes);
        // nothing was recorded: the buffer is still at its start
        assertEquals(0, enc.rateControl().vbufferFree());
        assertEquals(40_000_000L, comp.lastPts);
    }

    @Test
    void mjpegIgnoresVideoTargetChangesUnderFivePercent() {
        // avenc_mjpeg must be restarted for a new bit rate: spice-server skips changes ≤ 5 %.
        SpiceBitRateControl c = new SpiceBitRateControl(8_000_000, stream, clock, false);
        c.setVideoFormat(1000, 640, 480, 32);
        assertTrue(c.takeVideoBitRateChange()); // 0 → 10,666,666
        c.setVideoBitRate(11_000_000);          // +3.1 %: kept at 10,666,666
        assertFalse(c.takeVideoBitRateChange());
        assertEquals(10_666_666, c.videoBitRate());
        c.setVideoBitRate(11_300_000);          // +5.9 %
        assertTrue(c.takeVideoBitRateChange());
        assertEquals(11_300_000, c.videoBitRate());
        // dynamic encoders (x264enc, vp8enc) take every change
        SpiceBitRateControl d = new SpiceBitRateControl(8_000_000, stream, clock, true);
        d.setVideoFormat(1000, 640, 480, 32);
        d.takeVideoBitRateChange();
        d.setVideoBitRate(10_666_667);
        assertTrue(d.takeVideoBitRateChange());
        // the encoder picks the mode from the codec
        ScriptedCompressor mjpeg = new ScriptedCompressor(VideoCodecType.MJPEG, now);
        try (SpiceVideoEncoder m = new SpiceVideoEncoder(mjpeg, 0, stream, clock)) {
            assertEquals(VideoCodecType.MJPEG, m.codecType());
            assertEquals(EncodeStatus.DONE, m.encodeFrame(1000, vga, out));
            assertEquals(11_184_810, mjpeg.lastBitRate); // ⌊8,388,608·4/3⌋ with the default start
            m.rateControl().setVideoBitRate(11_184_811);
            assertFalse(m.rateControl().takeVideoBitRateChange());
        }
        assertTrue(mjpeg.closed);
    }

    @Test
    void openUsesTheBackendsAndCloseClosesTheCompressor() {
        VideoBackend scripted = new VideoBackend() {
            @Override
            public String name() {
                return "scripted";
            }

            @Override
            public String unavailableReason(VideoCodecType codec) {
                return codec == VideoCodecType.VP8 ? null : "scripted has VP8 only";
            }

            @Override
            public String decoderUnavailableReason(VideoCodecType codec) {
                return "no decoder";
            }

            @Override
            public FrameCompressor openEncoder(VideoEncoderConfig config) {
                comp = new ScriptedCompressor(config.codec(), now);
                return comp;
            }

            @Override
            public VideoDecoder openDecoder(VideoCodecType codec) {
                throw new BackendUnavailableException("no decoder");
            }
        };
        SpiceVideoEncoder e = SpiceVideoEncoder.open(VideoBackends.of(scripted),
                VideoEncoderConfig.spice(VideoCodecType.VP8), 2_000_000, stream, clock);
        assertEquals(VideoCodecType.VP8, e.codecType());
        assertEquals("scripted", e.backend());
        assertEquals(EncodeStatus.DONE, e.encodeFrame(1000, vga, out));
        assertEquals(2_666_666, comp.lastBitRate);
        e.close();
        assertTrue(comp.closed);
        assertThrows(IllegalStateException.class, () -> e.encodeFrame(1040, vga, out));
        assertThrows(BackendUnavailableException.class, () -> SpiceVideoEncoder.open(VideoBackends.of(scripted),
                VideoEncoderConfig.spice(VideoCodecType.H264), 0, stream, clock));
    }

    @Test
    void steadyStateAllocatesNothing() {
        comp.sizes = new int[] {20_000};
        EncodedFrame o = new EncodedFrame(32 * 1024);
        byte[] before = o.data();
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        if (!(mx instanceof com.sun.management.ThreadMXBean sun) || !sun.isThreadAllocatedMemorySupported()) {
            return; // not measurable on this JVM
        }
        int mm = 1000;
        for (int i = 0; i < 2000; i++, mm += 40) { // warm up (JIT)
            enc.encodeFrame(mm, vga, o);
        }
        long tid = Thread.currentThread().getId();
        long a0 = sun.getThreadAllocatedBytes(tid);
        int done = 0;
        for (int i = 0; i < 1000; i++, mm += 40) {
            if (enc.encodeFrame(mm, vga, o) == EncodeStatus.DONE) {
                done++;
            }
        }
        long allocated = sun.getThreadAllocatedBytes(tid) - a0;
        assertEquals(1000, done); // 4 Mbit/s of frames under an 8 Mbit/s budget
        assertSame(before, o.data());
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes in 1000 frames");
    }

    /**
     * End to end through FFmpeg's VP8 (libvpx, in both FFmpeg builds): 320×240 at 25 fps, a
     * gradient with a moving block of noise, starting at 300 kbit/s without client reports.
     * The first (key) frame overdraws the empty virtual buffer, so slow start drops frames;
     * the encoder then uses its whole budget, so the server raises it every 2 s; what goes out
     * stays within the budget plus the buffer plus one frame; every frame sent decodes.
     */
    @Test
    void endToEndThroughFfmpegVp8() {
        VideoBackends ffmpeg = VideoBackends.withOrder("ffmpeg");
        String why = ffmpeg.backends().get(0).unavailableReason(VideoCodecType.VP8);
        assertNull(why, "FFmpeg VP8 must be available in this build: " + why);
        int w = 320;
        int h = 240;
        SpiceBitmap frame = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, w, h);
        SpiceBitmap decoded = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, w, h);
        long seed = 12345;
        int done = 0;
        int dropped = 0;
        long bytes = 0;
        int maxFrame = 0;
        long allowance = 0; // Σ budget × 40 ms, in bytes
        int maxVbuffer = 0;
        try (SpiceVideoEncoder e = SpiceVideoEncoder.open(ffmpeg, VideoEncoderConfig.spice(VideoCodecType.VP8),
                300_000, stream, clock);
             VideoDecoder dec = ffmpeg.openDecoder(VideoCodecType.VP8)) {
            EncodedFrame o = new EncodedFrame();
            byte[] px = frame.data();
            int firstSize = 0;
            int firstAdmittedAgain = -1;
            for (int i = 0; i < 100; i++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int p = (y * w + x) * 4;
                        px[p] = (byte) (x + i);
                        px[p + 1] = (byte) (y + 2 * i);
                        px[p + 2] = (byte) (x + y);
                    }
                }
                int bx = (5 * i) % (w - 64);
                for (int y = 60; y < 124; y++) { // the moving noise block
                    for (int x = bx; x < bx + 64; x++) {
                        seed = seed * 6364136223846793005L + 1442695040888963407L;
                        px[(y * w + x) * 4 + 1] = (byte) (seed >>> 56);
                    }
                }
                EncodeStatus st = e.encodeFrame(1000 + 40 * i, frame, o);
                if (e.rateControl().started()) {
                    allowance += e.rateControl().bitRate() * 40 / 8000;
                    maxVbuffer = Math.max(maxVbuffer, e.rateControl().vbufferSize());
                }
                if (st == EncodeStatus.DONE) {
                    if (done == 0) {
                        firstSize = o.length();
                    } else if (firstAdmittedAgain < 0) {
                        firstAdmittedAgain = i;
                    }
                    done++;
                    bytes += o.length();
                    maxFrame = Math.max(maxFrame, o.length());
                    if (done == 1) {
                        assertTrue(o.keyFrame(), "the first frame sent is a key frame");
                    }
                    assertTrue(dec.decodeFrame(o.data(), 0, o.length(), decoded), "frame " + i + " decodes");
                } else {
                    assertEquals(EncodeStatus.DROP, st, "frame " + i);
                    dropped++;
                }
            }
            // Slow start: the key frame's debt at 300 kbit/s takes ⌈size·8/300000 s / 40 ms⌉
            // periods (+ half a period) to repay; the frames in between are dropped.
            long debtNs = firstSize * 8L * 1_000_000_000L / 300_000;
            long periods = (debtNs + 40_000_000 - 1) / 40_000_000;
            long waitMs = Math.min(periods * 40 + 20, 333);
            assertEquals((int) ((waitMs + 39) / 40), firstAdmittedAgain,
                    "first frame " + firstSize + " bytes; frames until the debt is repaid are dropped");
            // No reports, no drops and a busy encoder: one server increase after 2 s by the
            // start-up step (6,144,000 cap − 0)/10 = 614,400.
            assertEquals(914_400, e.rateControl().bitRate());
            int change = e.rateControl().lastChangeMmTime();
            assertTrue(change >= 3000 && change <= 3333, "increase at " + change + ", 2 s after the start");
            assertTrue(e.getBitRate() > 0);
        }
        assertTrue(done >= 80, done + " sent, " + dropped + " dropped");
        // Token bucket: no more than the budget over the clip, plus the buffer, plus one frame.
        assertTrue(bytes <= allowance + maxVbuffer + maxFrame,
                bytes + " bytes sent, allowance " + allowance + " + " + maxVbuffer + " + " + maxFrame);
    }
}
