package org.spicecodec.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spicecodec.core.video.MonotonicClock;
import org.spicecodec.core.video.VideoStreamCallbacks;
import org.spicecodec.video.SpiceBitRateControl.Status;

/**
 * Exact decisions of the GStreamer rate control (streams.md §5.2–5.3), derived by hand from
 * spice-server's algorithm. Common setting unless said otherwise: 640×480 at 32 bpp, source
 * 25 fps (40 ms period), RTT 20 ms (latency 10 ms), starting budget 8,000,000 bit/s, stream
 * started at mm-time 1000, every frame encoded in 5 ms.
 *
 * <p>Start-up state: cap = 640·480·32·25/10 = 24,576,000; bracket [MIN, cap] then
 * set_bit_rate(8e6) while DECREASING and rising from 0 sets min = 0 (the old budget), step =
 * clamp((cap − 0)/10 = 2,457,600, MIN, MAX_STEP) = 1,048,576, status INCREASING; the
 * virtual buffer is 8e6·300/1000/8 = 300,000 bytes with 0 free; video = ⌊8e6·4/3⌋ = 10,666,666.
 */
class SpiceBitRateControlTest {
    private static final long ENC = 5_000_000L; // 5 ms per encode

    /** Scripted stream callbacks: RTT, fps, and the playback delays requested. */
    static final class Stream implements VideoStreamCallbacks {
        int rtt = 20;
        int fps = 25;
        int delayCalls;
        int lastDelay = -1;

        @Override
        public int roundTripMs() {
            return rtt;
        }

        @Override
        public int sourceFps() {
            return fps;
        }

        @Override
        public void updateClientPlaybackDelay(int delayMs) {
            delayCalls++;
            lastDelay = delayMs;
        }
    }

    private final long[] now = {0};
    private final MonotonicClock clock = () -> now[0];
    private Stream stream;

    @BeforeEach
    void setUp() {
        stream = new Stream();
    }

    private SpiceBitRateControl started(long startingBitRate) {
        SpiceBitRateControl c = new SpiceBitRateControl(startingBitRate, stream, clock, true);
        c.setVideoFormat(1000, 640, 480, 32);
        return c;
    }

    private static void encode(SpiceBitRateControl c, int mm, int size) {
        assertTrue(c.admitFrame(mm), "frame at " + mm + " should be admitted");
        c.frameEncoded(mm, size, ENC);
    }

    @Test
    void startUpState() {
        SpiceBitRateControl c = started(8_000_000);
        assertEquals(8_000_000, c.bitRate());
        assertEquals(24_576_000, c.bitRateCap());
        assertEquals(0, c.minBitRate());
        assertEquals(24_576_000, c.maxBitRate());
        assertEquals(1_048_576, c.bitRateStep());
        assertEquals(Status.INCREASING, c.status());
        assertEquals(300_000, c.vbufferSize());
        assertEquals(0, c.vbufferFree());
        assertEquals(10_666_666, c.videoBitRate());
        assertTrue(c.takeVideoBitRateChange());
        assertFalse(c.takeVideoBitRateChange());
        assertEquals(1000, c.nextFrameMmTime());
        assertEquals(1000, c.lastChangeMmTime());
        assertEquals(SpiceBitRateControl.UP_INTERVAL_MS, c.increaseIntervalMs());
        // starting bit rate 0 means DEFAULT_BITRATE, 8 Mibit/s
        assertEquals(8_388_608, started(0).bitRate());
        // below MIN_BITRATE is raised to it
        assertEquals(131_072, started(100_000).bitRate());
    }

    @Test
    void withoutCallbacksThirtyFpsAndNoLatency() {
        SpiceBitRateControl c = new SpiceBitRateControl(8_000_000, null, clock, true);
        c.setVideoFormat(1000, 640, 480, 32);
        assertEquals(29_491_200, c.bitRateCap()); // 640·480·32·30/10
        encode(c, 1000, 100_000);
        // 100,000,000 ns of debt in periods of 33,333,333 ns: 3 periods are 1 ns short, so 4 →
        // 4·33,333,333 + 16,666,666 = 149,999,998 ns → next 1149
        assertEquals(1149, c.nextFrameMmTime());
        // playback delay without the latency term: 150 + 0 + 2
        assertEquals(152, c.minPlaybackDelayMs());
    }

    @Test
    void framesBeforeTheFormatAreRejected() {
        SpiceBitRateControl c = new SpiceBitRateControl(0, stream, clock, true);
        assertThrows(IllegalStateException.class, () -> c.admitFrame(0));
        assertThrows(IllegalArgumentException.class, () -> c.setVideoFormat(0, 0, 10, 32));
        // a report before any frame cannot concern this stream's frames: ignored
        c.clientStreamReport(5, 5, 0, 0, 10, -1);
        assertFalse(c.hasClientReports());
        assertEquals(0, c.bitRate());
    }

    @Test
    void slowStartDropsEarlyFramesUntilTheBudgetAccrues() {
        SpiceBitRateControl c = started(8_000_000);
        // Frame 1000 is admitted (next = 1000), 100,000 bytes, timed on the clock: 5 ms.
        assertTrue(c.admitFrame(1000));
        now[0] = 7_000_000;
        c.startEncode();
        now[0] += ENC;
        c.frameEncoded(1000, 100_000);
        // free = min(0 + 0, 300000) − 100000 = −100,000: a debt of 100000·8/8e6 = 100 ms,
        // ⌈100/40⌉ = 3 periods, delay 3·40 + 20 = 140 ms → next = 1140.
        assertEquals(-100_000, c.vbufferFree());
        assertEquals(1140, c.nextFrameMmTime());
        // playback delay: (max 100000 + avg 100000/2) · 8000 / 8e6 = 150, + 10·1.1 = 11,
        // + average encode 5e6/2 ns = 2 ms → 163.
        assertEquals(1, stream.delayCalls);
        assertEquals(163, stream.lastDelay);
        assertFalse(c.admitFrame(1040));
        assertFalse(c.admitFrame(1080));
        assertFalse(c.admitFrame(1120));
        assertFalse(c.admitFrame(1139));
        // Frame 1160: refill 8e6·160/8000 = 160,000 → free = min(60000, 300000) − 100000 =
        // −40,000: 40 ms of debt, 1 period, 60 ms → next 1220.
        encode(c, 1160, 100_000);
        assertEquals(-40_000, c.vbufferFree());
        assertEquals(1220, c.nextFrameMmTime());
        // (100000 + ⌊200000/3⌋ = 166,666) · 8000 / 8e6 = 166, + 11 + ⌊10e6/3 ns⌋ = 3 ms → 180.
        assertEquals(180, stream.lastDelay);
        assertFalse(c.admitFrame(1200));
        assertTrue(c.admitFrame(1240));
        assertEquals(8_000_000, c.bitRate());
    }

    @Test
    void steadyStateUnderBudget() {
        SpiceBitRateControl c = started(8_000_000);
        // 30,000-byte frames every 40 ms = 6 Mbit/s, under the 8 Mbit/s budget.
        encode(c, 1000, 30_000);
        // free −30,000: 30 ms of debt → 1 period → 60 ms → next 1060, so 1040 is dropped.
        assertEquals(1060, c.nextFrameMmTime());
        assertFalse(c.admitFrame(1040));
        // 1080: refill 80,000 → free = 50000 − 30000 = 20,000 ≥ 0 → next = 1080 + ⌊10e6/3 ns⌋ = 1083.
        encode(c, 1080, 30_000);
        assertEquals(20_000, c.vbufferFree());
        assertEquals(1083, c.nextFrameMmTime());
        // Then each frame adds 40,000 − 30,000 = 10,000 until the buffer is full: never dropped.
        for (int mm = 1120; mm <= 3000; mm += 40) {
            encode(c, mm, 30_000);
        }
        // full buffer: min(free + 40000, 300000) − 30000
        assertEquals(270_000, c.vbufferFree());
        // At 3000 the server tries an increase (2 s since 1000) but the effective rate is
        // 21 frames (2200..3000) · 30000 · 8000 / (next 2965 − 2200) = 6,588,235 < 8e6: none.
        assertEquals(8_000_000, c.bitRate());
        assertEquals(1000, c.lastChangeMmTime());
        assertEquals(Status.INCREASING, c.status());
        // get_bit_rate: 630,000 · 8000 / (3005 − 2200) = 6,260,869.
        assertEquals(6_260_869, c.effectiveBitRate());
        assertEquals(1, stream.delayCalls); // only the start-up debt asked for more delay
        // the video target never moved from its start-up value
        assertTrue(c.takeVideoBitRateChange());
        assertFalse(c.takeVideoBitRateChange());
        assertEquals(10_666_666, c.videoBitRate());
    }

    @Test
    void serverIncreaseWhenTheEncoderUsesTheBudget() {
        SpiceBitRateControl c = started(8_000_000);
        encode(c, 1000, 30_000); // next = 1060
        // 2 s later a 2.4 MB frame: effective = (30000 + 2400000) · 8000 / (1060 − 1000) ≥ 8e6,
        // no client reports, no server drops → +1 step: 9,048,576.
        encode(c, 3000, 2_400_000);
        assertEquals(9_048_576, c.bitRate());
        assertEquals(3000, c.lastChangeMmTime());
        assertEquals(Status.INCREASING, c.status());
        // vbuffer 9048576·300/1000/8 = 339,321; free = 300000 − 2400000 = −2,100,000 → over
        // 1/3 s of debt: video target falls to the budget, next = 3000 + 333.
        assertEquals(339_321, c.vbufferSize());
        assertEquals(-2_100_000, c.vbufferFree());
        assertEquals(9_048_576, c.videoBitRate());
        assertEquals(3333, c.nextFrameMmTime());
    }

    @Test
    void serverDropsBelowSourceFpsReduceByFourThirds() {
        SpiceBitRateControl c = started(8_000_000);
        encode(c, 1000, 30_000);
        encode(c, 1080, 30_000); // free 20,000
        for (int i = 0; i < 3; i++) {
            c.notifyServerFrameDrop();
        }
        assertEquals(3, c.pendingServerDrops());
        // The next frame is dropped; free = min(20000, 0) = 0; 3 < 25 fps → 8e6 / (4/3) = 6e6.
        // Lowering while INCREASING: max = 8e6 − MIN = 7,868,928, step = 786,892, DECREASING.
        assertFalse(c.admitFrame(1120));
        assertEquals(0, c.pendingServerDrops());
        assertEquals(6_000_000, c.bitRate());
        assertEquals(7_868_928, c.maxBitRate());
        assertEquals(0, c.minBitRate());
        assertEquals(786_892, c.bitRateStep());
        assertEquals(Status.DECREASING, c.status());
        assertEquals(1120, c.lastChangeMmTime());
        assertEquals(225_000, c.vbufferSize());
        assertEquals(0, c.vbufferFree());
        // next = 1120 + average encode over {0, 5, 5, 0 ms} = 2 ms
        assertEquals(1122, c.nextFrameMmTime());
        assertTrue(c.admitFrame(1160));
        // a second notice while DECREASING keeps the bracket: 6e6 / (4/3) = 4.5e6
        c.notifyServerFrameDrop();
        assertFalse(c.admitFrame(1160));
        assertEquals(4_500_000, c.bitRate());
        assertEquals(786_892, c.bitRateStep());
        assertEquals(7_868_928, c.maxBitRate());
    }

    @Test
    void serverDropsAtSourceFpsCutInHalf() {
        SpiceBitRateControl c = started(8_000_000);
        encode(c, 1000, 30_000);
        stream.fps = 10; // the comparison uses the current source fps
        for (int i = 0; i < 10; i++) {
            c.notifyServerFrameDrop();
        }
        assertFalse(c.admitFrame(1100));
        assertEquals(4_000_000, c.bitRate());
        assertEquals(Status.DECREASING, c.status());
    }

    @Test
    void clientDropsCutAndStaleReportsAreIgnoredWhileDecreasing() {
        SpiceBitRateControl c = started(8_000_000);
        encode(c, 1000, 30_000);
        encode(c, 1080, 30_000);
        // drops → score 4 → cut: max(min 0, 8e6/2) = 4e6; bracket max 7,868,928, DECREASING.
        c.clientStreamReport(5, 1, 1000, 1080, 100, -1);
        assertTrue(c.hasClientReports());
        assertEquals(4_000_000, c.bitRate());
        assertEquals(Status.DECREASING, c.status());
        assertEquals(7_868_928, c.maxBitRate());
        assertEquals(1080, c.lastChangeMmTime());
        // Starts at 1000 < last change 1080: obsolete, ignored — but its margins still count.
        c.clientStreamReport(5, 5, 1000, 1080, 300, -1);
        assertEquals(4_000_000, c.bitRate());
        assertEquals(300, c.maxVideoMargin());
        assertEquals(300, c.lastVideoMargin());
        // A report starting at the change is current: cut again, max(0, 2e6), no new bracket.
        c.clientStreamReport(5, 1, 1080, 1080, 300, -1);
        assertEquals(2_000_000, c.bitRate());
        assertEquals(786_892, c.bitRateStep());
    }

    @Test
    void fallingMarginCutsReducesAndDecrements() {
        SpiceBitRateControl c = started(8_000_000);
        encode(c, 1000, 30_000);
        encode(c, 1080, 30_000);
        // min_margin = 1000/25 + 10·0.1 = 41.
        // 200: improving (Δ +200) → score 0; only 80 ms since the change: no increase.
        c.clientStreamReport(5, 0, 1000, 1080, 200, -1);
        assertEquals(8_000_000, c.bitRate());
        // 50: Δ −150; 50 < 0.3·200 → 3; Δ < −0.2·200 → +2 → 5 → cut to 4e6.
        c.clientStreamReport(5, 0, 1000, 1080, 50, -1);
        assertEquals(4_000_000, c.bitRate());
        assertEquals(Status.DECREASING, c.status());
        // 45: Δ −5; 45 < 60 → 3; Δ ≥ −30 → 3 → reduce: max(0, 4e6/(4/3)) = 3e6.
        c.clientStreamReport(5, 0, 1080, 1080, 45, -1);
        assertEquals(3_000_000, c.bitRate());
        // 90: improving → 0; nothing (0 ms since the change).
        c.clientStreamReport(5, 0, 1080, 1080, 90, -1);
        assertEquals(3_000_000, c.bitRate());
        // 80: Δ −10; 80 < 0.5·200 → 2 → decrement by the step: 3e6 − 786,892 = 2,213,108.
        c.clientStreamReport(5, 0, 1080, 1080, 80, -1);
        assertEquals(2_213_108, c.bitRate());
        assertEquals(Status.DECREASING, c.status());
    }

    @Test
    void degradedMarginWhileIncreasingDecrements() {
        SpiceBitRateControl c = started(8_000_000);
        encode(c, 1000, 30_000);
        encode(c, 1080, 30_000);
        c.clientStreamReport(5, 0, 1000, 1080, 200, -1); // max 200, score 0
        c.clientStreamReport(5, 0, 1000, 1080, 180, -1); // Δ −20 ≥ −30, 180 ≥ 150 → 0
        c.clientStreamReport(5, 0, 1000, 1080, 160, -1); // 0
        assertEquals(8_000_000, c.bitRate());
        // 140 < 0.75·200 → score 1, INCREASING, and the period 1000..1080 ran at
        // 30000·8000/80 = 3e6 ≤ 8e6 (its last frame is not counted) → decrement by
        // 1,048,576 = 6,951,424; a decrease while INCREASING: max = 7,868,928, DECREASING.
        c.clientStreamReport(5, 0, 1000, 1080, 140, -1);
        assertEquals(6_951_424, c.bitRate());
        assertEquals(7_868_928, c.maxBitRate());
        assertEquals(786_892, c.bitRateStep());
        assertEquals(Status.DECREASING, c.status());
        // Score 1 again, but now DECREASING: no change.
        c.clientStreamReport(5, 0, 1080, 1080, 135, -1);
        assertEquals(6_951_424, c.bitRate());
    }

    @Test
    void marginFallingByFifteenPercentAddsOne() {
        SpiceBitRateControl c = started(8_000_000);
        encode(c, 1000, 30_000);
        encode(c, 1080, 30_000);
        c.clientStreamReport(5, 0, 1000, 1080, 200, -1);
        // 165 ≥ 0.75·200 scores 0, but Δ −35 < −0.15·200 adds 1 → score 1 while INCREASING with
        // the period at 3e6 ≤ 8e6 → decrement to 6,951,424.
        c.clientStreamReport(5, 0, 1000, 1080, 165, -1);
        assertEquals(6_951_424, c.bitRate());
    }

    @Test
    void scoreOneIsIgnoredWhenThePeriodRanOverBudget() {
        SpiceBitRateControl c = started(8_000_000);
        encode(c, 1000, 30_000);
        for (int mm = 1080; mm <= 3000; mm += 40) { // as in steadyStateUnderBudget
            encode(c, mm, 30_000);
        }
        assertEquals(270_000, c.vbufferFree());
        // score 0, 2 s since the change, but the effective 6,260,869 < 8e6: no increase
        c.clientStreamReport(5, 0, 2960, 3000, 200, -1);
        assertEquals(8_000_000, c.bitRate());
        // A burst from the full buffer: 3040: free = 300000 − 200000 = 100,000 → next 3045;
        // 3080: 140000 − 200000 = −60,000 → 60 ms of debt → 2 periods → next 3180.
        encode(c, 3040, 200_000);
        encode(c, 3080, 200_000);
        assertEquals(3180, c.nextFrameMmTime());
        assertFalse(c.admitFrame(3160));
        encode(c, 3200, 30_000);
        // 165: Δ −35 → score 1, INCREASING, but 3040..3080 ran at 400,000·8000/(3200 − 3040)
        // = 20e6 > 8e6: a transient peak, no decrement.
        c.clientStreamReport(5, 0, 3040, 3080, 165, -1);
        assertEquals(8_000_000, c.bitRate());
        // 140: Δ −25, 140 < 150 → score 1 over 2960..3000: 60,000·8000/(3040 − 2960) = 6e6
        // ≤ 8e6 → decrement.
        c.clientStreamReport(5, 0, 2960, 3000, 140, -1);
        assertEquals(6_951_424, c.bitRate());
    }

    @Test
    void starvedAudioDecrements() {
        SpiceBitRateControl c = started(8_000_000);
        encode(c, 1000, 30_000);
        encode(c, 1080, 30_000);
        c.clientStreamReport(5, 0, 1000, 1080, 200, 400); // max audio 400
        assertEquals(8_000_000, c.bitRate());
        // audio 170 < 0.5·400 but 170·1.25 = 212.5 is not below the video margin 200: nothing.
        c.clientStreamReport(5, 0, 1000, 1080, 200, 170);
        assertEquals(8_000_000, c.bitRate());
        // audio 150: 150 < 200 and 187.5 < 200 → decrement: 8e6 − 1,048,576.
        c.clientStreamReport(5, 0, 1000, 1080, 200, 150);
        assertEquals(6_951_424, c.bitRate());
    }

    @Test
    void reportWithoutAudioPinsTheAudioMaximum() {
        SpiceBitRateControl c = started(8_000_000);
        encode(c, 1000, 30_000);
        // 0xFFFFFFFF (no audio) is the largest uint32: the maximum audio margin stays there,
        c.clientStreamReport(5, 0, 1000, 1000, 200, -1);
        assertEquals(-1, c.maxAudioMargin());
        assertEquals(8_000_000, c.bitRate());
        // so once audio plays with 100 ms, 100 < 0.5·4294967295 and 125 < 200 → decrement.
        c.clientStreamReport(5, 0, 1000, 1000, 200, 100);
        assertEquals(6_951_424, c.bitRate());
    }

    @Test
    void goodReportsIncreaseOnlyAfterTheInterval() {
        SpiceBitRateControl c = started(8_000_000);
        encode(c, 1000, 30_000);
        c.clientStreamReport(5, 0, 1000, 1000, 200, -1); // score 0, 0 ms since the change
        assertEquals(8_000_000, c.bitRate());
        // 2.4 MB at 3000 (with client reports the server does not raise the budget itself):
        // free = min(−30000 + 2,000,000, 300000) − 2,400,000 = −2,100,000 → over 1/3 s of
        // debt: video = 8e6 (10,666,666 is not above ⌊8e6·4/3⌋), next = 3000 + 333.
        encode(c, 3000, 2_400_000);
        assertEquals(8_000_000, c.bitRate());
        assertEquals(8_000_000, c.videoBitRate());
        assertEquals(3333, c.nextFrameMmTime());
        // playback delay: (2.4M + 2,430,000/3) · 8000 / 8e6 = 3210, + 11, + 3 → 3224
        assertEquals(3224, stream.lastDelay);
        // Effective: 2,430,000 · 8000 / (3333 − 1000) = 8,332,618 ≥ 8e6.
        assertEquals(8_332_618, c.effectiveBitRate());
        // Score 0 and 3000 − 1000 ≥ 2000 → increase by the step to 9,048,576.
        c.clientStreamReport(5, 0, 1000, 3000, 220, -1);
        assertEquals(9_048_576, c.bitRate());
        assertEquals(3000, c.lastChangeMmTime());
        assertEquals(Status.INCREASING, c.status());
        // still in debt: the video target is the budget
        assertEquals(9_048_576, c.videoBitRate());
        // A good report right after: not 2 s since the change, nothing.
        c.clientStreamReport(5, 0, 3000, 3000, 230, -1);
        assertEquals(9_048_576, c.bitRate());
    }

    @Test
    void bracketConvergesToStable() {
        SpiceBitRateControl c = started(8_000_000);
        encode(c, 1000, 30_000);
        // 1) client drops → cut to 4e6; bracket [0, 7,868,928], step 786,892, DECREASING.
        c.clientStreamReport(5, 1, 1000, 1000, 200, -1);
        assertEquals(4_000_000, c.bitRate());
        // debt 30000·8/4e6 = 60 ms → 2 periods → 100 ms → next 1100;
        // delay (30000 + 15000)·8000/4e6 = 90 + 11 + 2 = 103
        assertEquals(1100, c.nextFrameMmTime());
        assertEquals(103, stream.lastDelay);
        // 2) 1.2 MB at 3000: free = 150000 − 1,200,000 < 0 → video ⌊4e6·4/3⌋ = 5,333,333;
        // effective (30000 + 1,200,000)·8000/(3333 − 1000) = 4,217,745 ≥ 4e6.
        encode(c, 3000, 1_200_000);
        assertEquals(5_333_333, c.videoBitRate());
        assertEquals(4_217_745, c.effectiveBitRate());
        // 3) good report → increase while DECREASING: min = 4e6, step =
        // (7,868,928 − 4e6)/10 = 386,892, INCREASING; budget 4e6 + 786,892 = 4,786,892.
        c.clientStreamReport(5, 0, 1000, 3000, 220, -1);
        assertEquals(4_786_892, c.bitRate());
        assertEquals(4_000_000, c.minBitRate());
        assertEquals(7_868_928, c.maxBitRate());
        assertEquals(386_892, c.bitRateStep());
        assertEquals(Status.INCREASING, c.status());
        // 4) drops again → cut: max(min 4e6, 2,393,446) = 4e6; lowering while INCREASING:
        // max = 4,786,892 − 131,072 = 4,655,820; 4,655,820/(4/3) = 3,491,865 < 4e6 → STABLE
        // at min, next increase in UP_CLIENT_STABLE.
        c.clientStreamReport(5, 1, 3000, 3000, 200, -1);
        assertEquals(Status.STABLE, c.status());
        assertEquals(4_000_000, c.bitRate());
        assertEquals(4_000_000, c.minBitRate());
        assertEquals(4_655_820, c.maxBitRate());
        assertEquals(131_072, c.bitRateStep());
        assertEquals(SpiceBitRateControl.UP_CLIENT_STABLE_MS, c.increaseIntervalMs());
        assertEquals(4_000_000, c.videoBitRate());
        // 5) good reports 2 s later do not increase: STABLE waits 2 minutes.
        encode(c, 5000, 1_000);
        c.clientStreamReport(5, 0, 3000, 5000, 250, -1);
        assertEquals(4_000_000, c.bitRate());
        assertEquals(Status.STABLE, c.status());
    }

    @Test
    void maximumHeldThirtySecondsIsReprobed() {
        SpiceBitRateControl c = started(8_000_000);
        encode(c, 1000, 30_000);
        c.clientStreamReport(5, 1, 1000, 1000, 100, -1); // cut: 4e6, bracket [0, 7,868,928]
        assertEquals(4_000_000, c.bitRate());
        // Every 2 s a 3 MB frame (the effective rate, e.g. 6e6·8000/(2000 + 333), is far above
        // the budget) and a good report (margin rising): increase by one step each time. The
        // first, from DECREASING, sets min = 4e6 and step (7,868,928 − 4e6)/10 = 386,892.
        int margin = 100;
        long expected = 4_786_892;
        for (int k = 1; k <= 9; k++) {
            int mm = 1000 + 2000 * k;
            encode(c, mm, 3_000_000);
            c.clientStreamReport(5, 0, mm, mm, margin += 10, -1);
            assertEquals(Math.min(expected, 7_868_928), c.bitRate(), "increase " + k);
            expected += 386_892;
        }
        assertEquals(7_868_928, c.bitRate()); // 4,786,892 + 8 steps, capped at max
        assertEquals(19_000, c.lastChangeMmTime());
        // At max, 2 s later: max + step is capped back to max: no change.
        encode(c, 21_000, 3_000_000);
        c.clientStreamReport(5, 0, 21_000, 21_000, margin += 10, -1);
        assertEquals(7_868_928, c.bitRate());
        assertEquals(19_000, c.lastChangeMmTime());
        // Held over 30 s (49,040 − 19,000 = 30,040 ms): max goes back to the cap and the probe
        // resumes. Effective: (3e6 + 3e6 + 30e6)·8000/(49,373 − 19,000) = 9,482,098 ≥ budget.
        encode(c, 49_040, 30_000_000);
        c.clientStreamReport(5, 0, 49_040, 49_040, margin + 10, -1);
        assertEquals(24_576_000, c.maxBitRate());
        assertEquals(7_868_928 + 386_892, c.bitRate());
        assertEquals(Status.INCREASING, c.status());
    }

    @Test
    void serverOnlyBracketSettlesWithTheFourHourInterval() {
        SpiceBitRateControl c = started(8_000_000);
        encode(c, 1000, 30_000);
        // server reduce: 8e6 → 6e6; lowering while INCREASING: max = 7,868,928, DECREASING.
        // free stays −30,000: 40 ms of debt at 6e6 → 1 period → next = 1040 + 60 = 1100.
        c.notifyServerFrameDrop();
        assertFalse(c.admitFrame(1040));
        assertEquals(6_000_000, c.bitRate());
        assertEquals(1100, c.nextFrameMmTime());
        // 2 MB at 3040, 2 s after the change: effective 2e6·8000/(1100 − 1040) ≥ 6e6 → increase
        // to 6e6 + 786,892; rising while DECREASING: min = 6e6, step = (7,868,928 − 6e6)/10 =
        // 186,892; 7,868,928/(4/3) = 5,901,696 < min → STABLE at min = 6e6; no client reports,
        // so the next attempt is 4 h away; the video target follows the settled budget.
        encode(c, 3040, 2_000_000);
        assertEquals(Status.STABLE, c.status());
        assertEquals(6_000_000, c.bitRate());
        assertEquals(6_000_000, c.minBitRate());
        assertEquals(7_868_928, c.maxBitRate());
        assertEquals(186_892, c.bitRateStep());
        assertEquals(SpiceBitRateControl.UP_SERVER_STABLE_MS, c.increaseIntervalMs());
        assertEquals(6_000_000, c.videoBitRate());
        assertEquals(3040, c.lastChangeMmTime());
        // 2 s later another budget-busting frame: no increase (4 h interval).
        encode(c, 5040, 2_000_000);
        assertEquals(6_000_000, c.bitRate());
        assertEquals(3040, c.lastChangeMmTime());
    }

    @Test
    void bitRateCap() {
        // 160×120×32 bpp at 25 fps: cap = 160·120·32·25/10 = 1,536,000 < 8e6.
        SpiceBitRateControl c = new SpiceBitRateControl(8_000_000, stream, clock, true);
        c.setVideoFormat(1000, 160, 120, 32);
        assertEquals(1_536_000, c.bitRateCap());
        assertEquals(1_536_000, c.bitRate());
        assertEquals(1_536_000, c.maxBitRate());
        assertEquals(2_048_000, c.videoBitRate()); // ⌊1,536,000 · 4/3⌋
        // Increases stop at the cap: a budget-busting frame 2 s later asks for cap + step → cap,
        // which equals the budget: no change (last change stays 1000).
        encode(c, 1000, 10_000);
        encode(c, 3000, 1_000_000);
        assertEquals(1_536_000, c.bitRate());
        assertEquals(1000, c.lastChangeMmTime());
        // The cap follows the source frame rate: 10 fps → 614,400.
        stream.fps = 10;
        assertEquals(614_400, c.bitRateCap());
        // A size change keeps the running budget (no restart), but later increases use the new cap.
        c.setVideoFormat(3000, 320, 240, 32);
        assertEquals(1_536_000, c.bitRate());
        assertEquals(2_457_600, c.bitRateCap());
    }

    @Test
    void decrementNeverRaisesTheBudget() {
        // Deliberate deviation: spice-server's uint64 bit_rate − step would wrap here.
        SpiceBitRateControl c = started(131_072); // MIN_BITRATE, step 1,048,576 after start-up
        encode(c, 1000, 1_000);
        assertEquals(131_072, c.bitRate());
        assertEquals(1_048_576, c.bitRateStep());
        c.clientStreamReport(5, 0, 1000, 1000, 200, -1); // max margin 200, score 0
        // 80: Δ −120 → 2 + 2 = 4 → cut: 65,536 is raised to MIN, i.e. unchanged; while
        // INCREASING a "decrease" to the same value does not touch the bracket.
        c.clientStreamReport(5, 0, 1000, 1000, 80, -1);
        assertEquals(131_072, c.bitRate());
        assertEquals(Status.INCREASING, c.status());
        c.clientStreamReport(5, 0, 1000, 1000, 90, -1); // improving → 0
        // 85: Δ −5, 85 < 100 → score 2: 131,072 − 1,048,576 would wrap (spice-server then jumps
        // to the cap, 24,576,000); here it stays at MIN.
        c.clientStreamReport(5, 0, 1000, 1000, 85, -1);
        assertEquals(131_072, c.bitRate());
        assertEquals(Status.INCREASING, c.status());
    }

    @Test
    void periodBitRateFollowsSpiceServer() {
        FrameHistory h = new FrameHistory();
        h.add(100, 0, 1000);
        h.add(140, 0, 2000);
        h.add(180, 0, 3000);
        h.add(220, 0, 4000);
        // 140..180: ends at the next frame (220): (2000 + 3000)·8000/80 = 500,000
        assertEquals(500_000, h.periodBitRate(140, 180));
        // 180..220: 220 is the newest frame, its length unknown: 3000·8000/40 = 600,000
        assertEquals(600_000, h.periodBitRate(180, 220));
        assertEquals(0, h.periodBitRate(50, 220)); // not in the history
        // 32-bit arithmetic as in spice-server: 600000·8000 wraps to 505,032,704 → /100.
        FrameHistory w = new FrameHistory();
        w.add(100, 0, 600_000);
        w.add(200, 0, 0);
        assertEquals(5_050_327, w.periodBitRate(100, 200));
    }

    @Test
    void statisticsWindowSlides() {
        FrameHistory h = new FrameHistory();
        // the initial zero frame plus sizes 1..25: the window keeps the last 21 (5..25)
        for (int i = 1; i <= 25; i++) {
            h.add(i * 40, i * 1_000_000L, i);
        }
        assertEquals(21, h.statCount());
        assertEquals(315, h.statSizeSum());
        assertEquals(15, h.averageSize());
        assertEquals(25, h.maximumSize());
        assertEquals(15_000_000L, h.averageEncodeNanos());
        assertEquals(200, h.statFirstMmTime());
        h.restartStatistics();
        assertEquals(1, h.statCount());
        assertEquals(25, h.averageSize());
        // 70 more frames overwrite the 60-slot ring; the window still holds 21
        for (int i = 26; i <= 95; i++) {
            h.add(i * 40, 0, 7);
        }
        assertEquals(21, h.statCount());
        assertEquals(7, h.maximumSize());
        assertEquals(95 * 40, h.lastMmTime());
    }

    @Test
    void mmTimeWrapsAsUint32() {
        // Stream started 40 ms before the 32-bit mm-time wraps.
        SpiceBitRateControl c = new SpiceBitRateControl(8_000_000, stream, clock, true);
        int start = -40; // 0xFFFFFFD8
        c.setVideoFormat(start, 640, 480, 32);
        assertTrue(c.admitFrame(start));
        c.frameEncoded(start, 30_000, ENC); // next = start + 60 = 20 (wrapped)
        assertEquals(20, c.nextFrameMmTime());
        assertFalse(c.admitFrame(0));       // 0 < 20
        assertTrue(c.admitFrame(40));
        c.frameEncoded(40, 30_000, ENC);    // 80 ms of refill: free 20,000, as without the wrap
        assertEquals(20_000, c.vbufferFree());
    }
}
