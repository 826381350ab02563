package org.spicecodec.mjpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.spicecodec.mjpeg.MjpegRateControl.EvalReason;
import org.spicecodec.mjpeg.MjpegRateControl.EvalType;

/**
 * Decision tests of the MJPEG rate control (streams.md §4), driven by a scripted clock,
 * scripted encoded sizes and scripted client reports. Every expected number is derived from
 * the spec by hand in the comments; "fps_q" is byte_rate / size[q] (integer division),
 * "tick i" is the frame offered i × period after creation.
 */
class MjpegRateControlTest {

    /** Sizes by quality id for the 25 fps scenarios: q6 (80) is 40000 bytes. */
    static final long[] SIZES_25 = {10000, 12000, 15000, 20000, 25000, 30000, 40000};
    /** Sizes for the 10 fps recovery scenario: q4 only slightly larger than q3. */
    static final long[] SIZES_10 = {10000, 12000, 15000, 20000, 21000, 30000, 40000};

    /**
     * 8 Mbit/s (byte_rate 1 000 000), source 25 fps, frames every 40 ms, RTT 20 ms (latency 10),
     * run through tick {@code lastTick} with no reports.
     */
    private static Ticker steady25(int lastTick) {
        Ticker t = new Ticker(new ScriptedStream(20, 25), 8_000_000, SIZES_25, 40);
        t.runTo(lastTick);
        return t;
    }

    @Test
    void newStreamStartsAtQuality50And5FpsInASetEvaluation() {
        Ticker t = new Ticker(new ScriptedStream(20, 25), 8_000_000, SIZES_25, 40);
        MjpegRateControl rc = t.rc;
        assertThat(rc.qualityId()).isEqualTo(3);
        assertThat(rc.quality()).isEqualTo(50);
        assertThat(rc.fps()).isEqualTo(5);
        assertThat(rc.adjustedFps()).isEqualTo(7.5); // 5 × the initial ratio 1.5
        assertThat(rc.byteRate()).isEqualTo(1_000_000);
        assertThat(rc.bitRate()).isEqualTo(8_000_000);
        assertThat(rc.isEvaluating()).isTrue();
        assertThat(rc.evalType()).isEqualTo(EvalType.SET);
        assertThat(rc.evalReason()).isEqualTo(EvalReason.RATE_CHANGE);
        assertThat(rc.isWarmingUp()).isTrue();
        assertThat(rc.averageQuality()).isZero();
        assertThat(rc.stats().startingBitRate()).isEqualTo(8_000_000);
    }

    @Test
    void setEvaluationClimbsTheLadderToTheBestQualityTheRateAllows() {
        Ticker t = new Ticker(new ScriptedStream(20, 25), 8_000_000, SIZES_25, 40);
        MjpegRateControl rc = t.rc;
        // tick 0: no size yet (last_enc_size 0): encoded at q3 (50), 20000 bytes.
        t.next();
        assertThat(t.lastEncodedQualityId).isEqualTo(3);
        // tick 1: size[3] = 20000 → fps_3 = 1e6/20000 = 50; best = (50, q3); 50 > 5 → try q4.
        t.next();
        assertThat(rc.encodedSizeByQuality(3)).isEqualTo(20000);
        assertThat(t.lastEncodedQualityId).isEqualTo(4);
        // tick 2: fps_4 = 40 ≥ src 25 and q4 > q3 → best = (40, q4); → q5.
        t.next();
        assertThat(t.lastEncodedQualityId).isEqualTo(5);
        // tick 3: fps_5 = 33 → best (33, q5); → q6.
        t.next();
        assertThat(t.lastEncodedQualityId).isEqualTo(6);
        assertThat(rc.isEvaluating()).isTrue();
        assertThat(t.stream.delayRequests()).isZero();
        // tick 4: fps_6 = 25 ≥ 25 → best (25, q6); q6 is the top → finish at max(6, 6) = q6,
        // fps = min(25, max_quality_fps 25) = 25; adjusted = 25 × 1.5 = 37.5;
        // playback delay = 2 × (40000 × 1000 / 1e6) + 10 = 90 ms.
        t.next();
        assertThat(rc.isEvaluating()).isFalse();
        assertThat(rc.qualityId()).isEqualTo(6);
        assertThat(rc.quality()).isEqualTo(80);
        assertThat(rc.fps()).isEqualTo(25);
        assertThat(rc.adjustedFps()).isEqualTo(37.5);
        assertThat(rc.baseEncSize()).isEqualTo(40000);
        assertThat(t.stream.lastDelay()).isEqualTo(90);
        assertThat(t.stream.delayRequests()).isEqualTo(1);
        // The frame that ends the search is the first counted for the new rate.
        assertThat(rc.changeStartMmTime()).isEqualTo(ScriptedStream.mm(160));
        assertThat(rc.numEncFrames()).isEqualTo(1);
        // Recent sizes: seeded with 40000, plus this frame.
        assertThat(rc.numRecentEncFrames()).isEqualTo(2);
        assertThat(rc.sumRecentEncSize()).isEqualTo(80000);
        // Stats: qualities 50, 60, 70, 80, 80.
        assertThat(rc.averageQuality()).isEqualTo(340 / 5.0);

        // Steady state: 1e9/37.5 = 26.7 ms < 40 ms, nothing is dropped. adjust_fps measures
        // first at tick 18 (passed 520 ms > 500 since tick 5): 14 frames (tick 4 is counted,
        // its reset cleared the start) → avg 26.92 > 25.5 → adjusted = 37.5 × 25 × 520 / 14000.
        t.runTo(17);
        assertThat(rc.adjustedFps()).isEqualTo(37.5);
        t.runTo(18);
        assertThat(rc.adjustedFps()).isCloseTo(37.5 * 25 * 520 / 14000, within(1e-9));
        // Later windows hold 13 frames in 520 ms: exactly 25 fps, no change.
        t.runTo(74);
        assertThat(rc.adjustedFps()).isCloseTo(37.5 * 25 * 520 / 14000, within(1e-9));
        assertThat(t.dropped).isZero();
        assertThat(t.done).isEqualTo(75);
        // Recent average 40000 → new_fps 25 = fps: no re-evaluation ever started.
        assertThat(rc.qualityId()).isEqualTo(6);
        assertThat(rc.fps()).isEqualTo(25);
    }

    @Test
    void degradingLinkLowersTheFrameRateThenTheQuality() {
        Ticker t = steady25(78);
        MjpegRateControl rc = t.rc;
        assertThat(rc.byteRate()).isEqualTo(1_000_000);
        // Tick 79 (3160 ms, past the 3 s warm-up): a negative report (delay −100 < −15).
        // Frames since the last change: ticks 4..79 = 76 × 40000 = 3 040 000 bytes over
        // 3000 ms → measured 1 013 333, capped at byte_rate 1e6; step = 3040000/76 = 40000
        // → byte_rate 960000; DOWNGRADE evaluation for RATE_CHANGE, bounds (q6, 25 fps).
        t.next();
        t.negativeReport();
        assertThat(rc.byteRate()).isEqualTo(960_000);
        assertThat(rc.isWarmingUp()).isFalse();
        assertThat(rc.isEvaluating()).isTrue();
        assertThat(rc.evalType()).isEqualTo(EvalType.DOWNGRADE);
        assertThat(rc.evalReason()).isEqualTo(EvalReason.RATE_CHANGE);
        assertThat(rc.evalMaxQualityId()).isEqualTo(6);
        assertThat(rc.evalMaxQualityFps()).isEqualTo(25);
        assertThat(rc.numEncFrames()).isZero();
        assertThat(rc.changeStartMmTime()).isZero();
        // Tick 80: size[6] = 40000 → fps_6 = 24 ≥ 10 and > 5 → q6 is the top: finish with
        // fps min(24, 25) = 24. The admitted/target ratio 34.82/25 carries over:
        // adjusted = 24 × 34.82/25 = 33.43. Delay: 2 × (40000000 / 960000 = 41) + 10 = 92.
        t.next();
        assertThat(rc.isEvaluating()).isFalse();
        assertThat(rc.qualityId()).isEqualTo(6);
        assertThat(rc.fps()).isEqualTo(24);
        double ratio = (37.5 * 25 * 520 / 14000) / 25;
        assertThat(rc.adjustedFps()).isCloseTo(24 * ratio, within(1e-9));
        assertThat(t.stream.lastDelay()).isEqualTo(92);

        // Reports every 5 ticks keep coming negative. Each finds 5 frames of 40000 in 160 ms
        // (measured 1.25e6, capped by byte_rate) and subtracts one frame: 40000. From fps 17
        // on, 1e9/(17 × ratio) = 42.2 ms > 40 drops every other frame; a window then has 3
        // frames (≤ 3 and ≤ fps), so step = byte_rate / fps = 40000 still. The k-th decrease
        // (tick 79 + 5(k−1)) leaves 1e6 − 40000k and fps 25 − k at q6, while fps_6 ≥ 10.
        for (int k = 2; k <= 15; k++) {
            t.runTo(79 + 5 * (k - 1));
            t.negativeReport();
            assertThat(rc.byteRate()).as("decrease %d", k).isEqualTo(1_000_000 - 40_000L * k);
            t.next();
            assertThat(rc.qualityId()).as("decrease %d", k).isEqualTo(6);
            assertThat(rc.fps()).as("decrease %d", k).isEqualTo(25 - k);
        }
        assertThat(t.dropped).isPositive();
        // Decrease 16 (tick 154): 400000 − 40000 = 360000. Tick 155: fps_6 = 9 < 10 above
        // the median → step down to q5 (not yet sampled): the search goes on.
        t.runTo(154);
        t.negativeReport();
        assertThat(rc.byteRate()).isEqualTo(360_000);
        t.next();
        assertThat(rc.isEvaluating()).isTrue();
        assertThat(rc.qualityId()).isEqualTo(5);
        assertThat(rc.encodedSizeByQuality(6)).isEqualTo(40000);
        assertThat(t.lastEncodedQualityId).isEqualTo(5);
        // Tick 156: fps_5 = 360000/30000 = 12 > 9 → best (12, q5); 12 > 5 and q5 + 1 was
        // sampled → finish at q5 with fps 12 (q5 is not the DOWNGRADE bound q6, no cap).
        // Delay: 2 × (30000000/360000 = 83) + 10 = 176.
        t.next();
        assertThat(rc.isEvaluating()).isFalse();
        assertThat(rc.qualityId()).isEqualTo(5);
        assertThat(rc.quality()).isEqualTo(70);
        assertThat(rc.fps()).isEqualTo(12);
        assertThat(t.stream.lastDelay()).isEqualTo(176);
        // Tick 159: only ticks 156 and 158 were admitted (16.7 fps admission vs 40 ms) →
        // 2 frames: step = 360000 / 12 = 30000 → 330000. Tick 160: fps_5 = 11 → finish at the
        // DOWNGRADE bound q5 with min(11, 12) = 11.
        t.runTo(159);
        assertThat(rc.numEncFrames()).isEqualTo(2);
        t.negativeReport();
        assertThat(rc.byteRate()).isEqualTo(330_000);
        t.next();
        assertThat(rc.qualityId()).isEqualTo(5);
        assertThat(rc.fps()).isEqualTo(11);
        assertThat(rc.bitRate()).isEqualTo(330_000 * 8);
    }

    @Test
    void warmUpIgnoresDecreasesDuringTheFirstThreeSeconds() {
        Ticker t = new Ticker(new ScriptedStream(20, 25), 8_000_000, SIZES_25, 40);
        MjpegRateControl rc = t.rc;
        t.runTo(9);
        // A good report first raises the remembered maximum video latency to 200.
        t.positiveReport(200);
        assertThat(rc.maxVideoLatency()).isEqualTo(200);
        // Negative reports every 200 ms up to 2960 ms: not stale (change_start_mm = mm(160)
        // ≤ end), so a decrease is requested, but within 3 s of creation it only zeroes the
        // client maxima and returns.
        for (int tick = 14; tick <= 74; tick += 5) {
            t.runTo(tick);
            t.negativeReport();
            assertThat(rc.byteRate()).as("tick %d", tick).isEqualTo(1_000_000);
            assertThat(rc.isWarmingUp()).isTrue();
        }
        assertThat(rc.maxVideoLatency()).isZero();
        assertThat(rc.isEvaluating()).isFalse();
        // Tick 75 is exactly 3000 ms after creation: not < 3 s, so the warm-up ends and the
        // decrease happens. Ticks 4..75: 72 frames, 2 880 000 bytes over 2840 ms → 1 014 084,
        // capped at 1e6; minus 40000.
        t.runTo(75);
        t.negativeReport();
        assertThat(rc.isWarmingUp()).isFalse();
        assertThat(rc.byteRate()).isEqualTo(960_000);
    }

    @Test
    void recoveringLinkRaisesTheRateAfterTheTimeoutAndUpgradesTheQuality() {
        // 1.6 Mbit/s = 200000 B/s, source 10 fps, a frame every 100 ms, client reports good
        // (+300 ms, no drops, no audio) at ticks 6, 11, 16, ... (start = mm four ticks earlier).
        ScriptedStream s = new ScriptedStream(20, 10);
        Ticker t = new Ticker(s, 1_600_000, SIZES_10, 100);
        MjpegRateControl rc = t.rc;
        // SET: tick 1: fps_3 = 10 → (q3 == median, but 10 is not < 10) → q4; tick 2:
        // fps_4 = 200000/21000 = 9 < 10 and < src → back to q3, sampled → finish (q3, 10).
        t.runTo(2);
        assertThat(rc.qualityId()).isEqualTo(3);
        assertThat(rc.fps()).isEqualTo(10);
        assertThat(rc.changeStartMmTime()).isEqualTo(ScriptedStream.mm(200));
        // Timeout: not (fps > 10 or fps ≥ src) and q > 3 → 2000 ms. The report at tick 21
        // starts at mm(1700): 1500 ms after the change → ignored.
        for (int tick = 6; tick <= 21; tick += 5) {
            t.runTo(tick);
            t.positiveReport(300);
            assertThat(rc.byteRate()).isEqualTo(200_000);
        }
        // Tick 26 starts at mm(2200): exactly 2000 → increase. Ticks 2..26: 25 frames of 20000
        // over 2400 ms → measured 208 333; + 20000 ≥ 200000 → min(208333, 200000) + 20000.
        t.runTo(26);
        t.positiveReport(300);
        assertThat(rc.byteRate()).isEqualTo(220_000);
        assertThat(rc.wasUpgraded()).isTrue();
        assertThat(rc.evalType()).isEqualTo(EvalType.UPGRADE);
        assertThat(rc.evalReason()).isEqualTo(EvalReason.RATE_CHANGE);
        assertThat(rc.evalMinQualityId()).isEqualTo(3);
        assertThat(rc.evalMinQualityFps()).isEqualTo(10);
        // Tick 27: fps_3 = 11 > 5 and ≥ 0.66 × 10 → try q4. Tick 28: fps_4 = 220000/21000 = 10
        // (≥ src: best (10, q4)), not < 10 → try q5. Tick 29: fps_5 = 7 < 10 → back to q4,
        // sampled → finish at q4, fps 10. Delay 2 × (21000000/220000 = 95) + 10 = 200.
        t.next();
        assertThat(t.lastEncodedQualityId).isEqualTo(4);
        t.next();
        assertThat(t.lastEncodedQualityId).isEqualTo(5);
        t.next();
        assertThat(rc.isEvaluating()).isFalse();
        assertThat(rc.qualityId()).isEqualTo(4);
        assertThat(rc.quality()).isEqualTo(60);
        assertThat(rc.fps()).isEqualTo(10);
        assertThat(s.lastDelay()).isEqualTo(200);
        assertThat(rc.changeStartMmTime()).isEqualTo(ScriptedStream.mm(2900));
        // At q4, fps 10 ≥ src: the strict 3000 ms timeout. Tick 61 (start mm(5700), 2800 ms)
        // is ignored, tick 66 (3300 ms) increases: ticks 29..66, 38 × 21000 = 798000 bytes over
        // 3700 ms → 215 675; + 21000 ≥ 220000 → min(215675, 220000) + 21000 = 236675.
        for (int tick = 31; tick <= 61; tick += 5) {
            t.runTo(tick);
            t.positiveReport(300);
            assertThat(rc.byteRate()).as("tick %d", tick).isEqualTo(220_000);
        }
        t.runTo(66);
        t.positiveReport(300);
        assertThat(rc.byteRate()).isEqualTo(236_675);
        // Tick 67: fps_4 = 11 → q5; tick 68: fps_5 = 7 → back to q4: fps 11 (at the UPGRADE
        // floor q4: max(11, 10)).
        t.runTo(68);
        assertThat(rc.qualityId()).isEqualTo(4);
        assertThat(rc.fps()).isEqualTo(11);
        assertThat(t.dropped).isZero();
    }

    @Test
    void simplerContentStartsASizeChangeUpgradeBoundedByTwoThirdsOfTheOldFps() {
        // 720 kbit/s = 90000 B/s, source 25 fps. q3 frames of 18000 (5 fps), q2 of 10000 (9).
        long[] sizes = {6000, 8000, 10000, 18000, 30000, 40000, 50000};
        Ticker t = new Ticker(new ScriptedStream(20, 25), 720_000, sizes, 40);
        MjpegRateControl rc = t.rc;
        // SET: tick 1: fps_3 = 5 (not > 5, < src) → q2; tick 2: fps_2 = 9 > best 5 → best
        // (9, q2); 9 > 5 and q3 was sampled → finish at (q2, 9).
        t.runTo(2);
        assertThat(rc.qualityId()).isEqualTo(2);
        assertThat(rc.fps()).isEqualTo(9);
        t.runTo(30);
        assertThat(rc.isEvaluating()).isFalse();
        // The picture gets simpler: q2 8000 (11 fps), q3 14000 (6 fps). Once the recent
        // average falls, new_fps > 9 → UPGRADE for SIZE_CHANGE with floor (q2, 9). q2 passes
        // (> 5, ≥ 0.66 × 9) → try q3; fps_3 = 6 > 5 and ≥ 0.66 × 9 = 5.94 → keep q3 (it is
        // the median and 6 < 10: finish there): (q3, 6). With a factor of 0.7 (6.3) q3 would
        // be refused and the search would end at (q2, 11).
        sizes[2] = 8000;
        sizes[3] = 14000;
        boolean upgraded = false;
        while (t.tick < 80 && !upgraded) {
            t.next();
            upgraded = rc.isEvaluating() && rc.evalType() == EvalType.UPGRADE;
        }
        assertThat(upgraded).isTrue();
        assertThat(rc.evalReason()).isEqualTo(EvalReason.SIZE_CHANGE);
        assertThat(rc.evalMinQualityId()).isEqualTo(2);
        assertThat(rc.evalMinQualityFps()).isEqualTo(9);
        assertThat(rc.qualityId()).isEqualTo(3);
        while (rc.isEvaluating() && t.tick < 200) {
            t.next();
        }
        assertThat(rc.qualityId()).isEqualTo(3);
        assertThat(rc.fps()).isEqualTo(6);
        assertThat(rc.byteRate()).isEqualTo(90_000); // a size change leaves the rate alone
    }

    @Test
    void anUpgradeNeverEndsBelowItsFloor() {
        // The 10 fps recovery run, but the frame before the increase is a complex one (q3:
        // 40000 bytes instead of 20000).
        Ticker t = new Ticker(new ScriptedStream(20, 10), 1_600_000, SIZES_10.clone(), 100);
        t.runTo(25);
        t.sizeByQualityId[3] = 40000;
        t.next();
        // Ticks 2..26: 24 × 20000 + 40000 = 520000 bytes over 2400 ms → 216 666; step
        // 520000 / 25 = 20800 → min(216666, 200000) + 20800 = 220800; UPGRADE, floor (q3, 10).
        t.positiveReport(300);
        assertThat(t.rc.byteRate()).isEqualTo(220_800);
        // Tick 27: size[3] = 40000 → fps_3 = 5: not > 5, below src → too low, but q3 is the
        // floor → finish at q3 with max(5, floor 10) = 10.
        t.next();
        assertThat(t.rc.isEvaluating()).isFalse();
        assertThat(t.rc.qualityId()).isEqualTo(3);
        assertThat(t.rc.fps()).isEqualTo(10);
    }

    @Test
    void equallyGoodQualitiesEndAtTheBestSampledOne() {
        // q3..q6 all 40000 bytes (a picture JPEG cannot shrink further): at 3.2 Mbit/s = 400000
        // B/s, SET samples q3..q6 at 10 fps each; ties go to the higher quality: (q6, 10).
        long[] sizes = {10000, 12000, 15000, 40000, 40000, 40000, 40000};
        Ticker t = new Ticker(new ScriptedStream(20, 25), 3_200_000, sizes, 40);
        t.runTo(4);
        assertThat(t.rc.qualityId()).isEqualTo(6);
        assertThat(t.rc.fps()).isEqualTo(10);
        t.runTo(80);
        // A decrease brings every quality below 10 fps. The DOWNGRADE steps 6 → 5 → 4 → 3
        // (each < 10 fps above the median), q3 passes (> 5): finish at max(q3, best) where the
        // best sampled is q6 (first with that fps; equal rates later are not "better" at a
        // lower quality): q6 again, at byte_rate / 40000 fps.
        t.negativeReport();
        long rate = t.rc.byteRate();
        assertThat(rate).isLessThan(400_000).isGreaterThanOrEqualTo(320_000);
        int[] sampled = new int[4];
        for (int i = 0; i < 4; i++) {
            t.next();
            sampled[i] = t.lastEncodedQualityId;
        }
        // The search samples q5, q4, q3 on the next three frames; the fourth is back at q6.
        assertThat(sampled).containsExactly(5, 4, 3, 6);
        assertThat(t.rc.isEvaluating()).isFalse();
        assertThat(t.rc.qualityId()).isEqualTo(6);
        assertThat(t.rc.fps()).isEqualTo((int) (rate / 40000));
    }

    @Test
    void cancellingAnUpgradeProbeForgetsTheProbedSize() {
        ScriptedStream s = new ScriptedStream(20, 10);
        Ticker t = new Ticker(s, 1_600_000, SIZES_10, 100);
        t.runTo(26);
        t.positiveReport(300); // the increase of the recovery test: 220000, UPGRADE from q3
        t.next(); // tick 27: fps_3 = 11 → probing q4 (this frame is a q4 frame)
        assertThat(t.rc.qualityId()).isEqualTo(4);
        // A negative report: change_start_mm is 0 but was_upgraded lets it through; the
        // decrease cancels the UPGRADE back to its floor (q3, 10), and as the quality changes
        // the last (q4) size is dropped. Then the warm-up (2.7 s) swallows the decrease itself.
        t.negativeReport();
        assertThat(t.rc.isEvaluating()).isFalse();
        assertThat(t.rc.qualityId()).isEqualTo(3);
        assertThat(t.rc.fps()).isEqualTo(10);
        assertThat(t.rc.lastEncSize()).isZero();
        assertThat(t.rc.byteRate()).isEqualTo(220_000);
        assertThat(t.rc.isWarmingUp()).isTrue();
    }

    @Test
    void positiveReportTimeoutIs2000Or3000MsOfMmTime() {
        // 25 fps at q6 (> median, fps > 10): strict 3000 ms since change_start_mm = mm(160).
        Ticker strict = steady25(90);
        int change = strict.rc.changeStartMmTime();
        assertThat(change).isEqualTo(ScriptedStream.mm(160));
        strict.rc.clientStreamReport(5, 0, change + 2999, change + 3100, 200, -1);
        assertThat(strict.rc.byteRate()).isEqualTo(1_000_000);
        assertThat(strict.rc.isEvaluating()).isFalse();
        strict.rc.clientStreamReport(5, 0, change + 3000, change + 3100, 200, -1);
        assertThat(strict.rc.isEvaluating()).isTrue();
        assertThat(strict.rc.evalType()).isEqualTo(EvalType.UPGRADE);
        // Ticks 4..90: 87 frames, 3 480 000 bytes over 3440 ms → 1 011 627; + 40000 → 1 040 000.
        assertThat(strict.rc.byteRate()).isEqualTo(1_040_000);

        // q3 at 10 fps with a 10 fps source: 2000 ms.
        Ticker lax = new Ticker(new ScriptedStream(20, 10), 1_600_000, SIZES_10, 100);
        lax.runTo(25);
        int c = lax.rc.changeStartMmTime();
        lax.rc.clientStreamReport(5, 0, c + 1999, c + 2100, 300, -1);
        assertThat(lax.rc.byteRate()).isEqualTo(200_000);
        // A report with drops is neither positive nor negative.
        lax.rc.clientStreamReport(5, 1, c + 2000, c + 2100, 300, -1);
        assertThat(lax.rc.byteRate()).isEqualTo(200_000);
        lax.rc.clientStreamReport(5, 0, c + 2000, c + 2100, 300, -1);
        // Ticks 2..25: 24 × 20000 over 2300 ms → 208 695 → 200000 + 20000.
        assertThat(lax.rc.byteRate()).isEqualTo(220_000);
    }

    @Test
    void oscillatingLinkGoesDownAndUpAndDownAgain() {
        Ticker t = steady25(79);
        MjpegRateControl rc = t.rc;
        // Down: as in the degrading test, tick 79 → 960000, tick 80 → (q6, 24 fps).
        t.negativeReport();
        assertThat(rc.byteRate()).isEqualTo(960_000);
        t.next();
        assertThat(rc.fps()).isEqualTo(24);
        double adjusted = 24 * (37.5 * 25 * 520 / 14000) / 25;
        assertThat(rc.adjustedFps()).isCloseTo(adjusted, within(1e-9));
        // Then good reports (+200 ms) every 5 ticks. adjust_fps measures every 13 ticks from
        // tick 81: at tick 94, 14 frames in 520 ms (26.92 fps > 24.5) → adjusted × 24 × 520 /
        // 14000; at ticks 107, 120, 133, 146, 159 13 frames (25 fps > 24.5) → × 24/25 each.
        double firstMeasured = adjusted * 24 * 520 / 14000;
        for (int tick = 84; tick <= 154; tick += 5) {
            t.runTo(tick);
            t.positiveReport(200);
            // Strict timeout 3000: start mm(40·tick − 160) − mm(3200) < 3000 until tick 159.
            assertThat(rc.byteRate()).as("tick %d", tick).isEqualTo(960_000);
            if (tick == 94) {
                assertThat(rc.adjustedFps()).isCloseTo(firstMeasured, within(1e-9));
            }
        }
        adjusted = firstMeasured;
        for (int i = 0; i < 4; i++) {
            adjusted = adjusted * 24 / 25; // ticks 107, 120, 133, 146
        }
        t.runTo(158);
        assertThat(rc.adjustedFps()).isCloseTo(adjusted, within(1e-9));
        assertThat(t.dropped).isZero();
        // Tick 159: the sixth measurement brings adjusted to 24.30 → 1e9/24.30 = 41.2 ms > 40:
        // the frame is dropped. Its report (start mm(6200), 3000 after mm(3200)) increases:
        // ticks 80..158, 79 × 40000 = 3 160 000 bytes over 3120 ms → 1 012 820;
        // min(1012820, 960000) + 40000 = 1 000 000; UPGRADE from (q6, 24).
        assertThat(t.next()).isFalse();
        adjusted = adjusted * 24 / 25;
        assertThat(rc.adjustedFps()).isCloseTo(adjusted, within(1e-9));
        t.positiveReport(200);
        assertThat(rc.byteRate()).isEqualTo(1_000_000);
        assertThat(rc.evalType()).isEqualTo(EvalType.UPGRADE);
        // Tick 160 (never dropped after a change): fps_6 = 25 → finish at q6 with
        // max(25, floor 24) and min(25, 25) = 25.
        assertThat(t.next()).isTrue();
        assertThat(rc.fps()).isEqualTo(25);
        assertThat(rc.adjustedFps()).isCloseTo(25 * adjusted / 24, within(1e-9));
        // Down again at tick 164: ticks 160..164, 5 frames in 160 ms → measured 1.25e6,
        // capped at 1e6, minus 40000.
        t.runTo(164);
        t.negativeReport();
        assertThat(rc.byteRate()).isEqualTo(960_000);
        t.next();
        assertThat(rc.fps()).isEqualTo(24);
        // adjusted = 24 × (25.31 / 25) = 24.30 again: 41.2 ms, so tick 166 is dropped.
        assertThat(t.next()).isFalse();
    }

    @Test
    void serverDropsAboveTenPercentDecreaseTheRate() {
        Ticker t = steady25(80);
        MjpegRateControl rc = t.rc;
        // Counters restart whenever an admitted frame finds ≥ min(fps 25, src 25) = 25
        // encoded: at ticks 29, 54, 79, 104, 129 (the first window began at tick 4).
        assertThat(rc.serverFramesEncoded()).isEqualTo(2); // ticks 79 and 80
        // 2 drops in the window closing at tick 104: 2 / (2 + 25) = 0.074 ≤ 0.1 → nothing.
        rc.notifyServerFrameDrop();
        rc.notifyServerFrameDrop();
        assertThat(rc.serverFramesDropped()).isEqualTo(2);
        t.runTo(104);
        assertThat(rc.byteRate()).isEqualTo(1_000_000);
        assertThat(rc.serverFramesDropped()).isZero();
        assertThat(rc.serverFramesEncoded()).isEqualTo(1);
        // 3 drops in the window closing at tick 129: 3 / 28 = 0.107 > 0.1 → decrease:
        // ticks 4..128, 125 × 40000 = 5e6 bytes over 4960 ms → 1 008 064, capped at 1e6,
        // minus 40000.
        for (int i = 0; i < 3; i++) {
            t.next();
            rc.notifyServerFrameDrop();
        }
        t.runTo(128);
        assertThat(rc.byteRate()).isEqualTo(1_000_000);
        t.runTo(129);
        assertThat(rc.byteRate()).isEqualTo(960_000);
        assertThat(rc.evalType()).isEqualTo(EvalType.DOWNGRADE);
        assertThat(rc.serverFramesDropped()).isZero();
        t.next();
        assertThat(rc.fps()).isEqualTo(24);
    }

    @Test
    void serverDropsDuringWarmUpDoNotDecrease() {
        Ticker t = steady25(27);
        // Window closes at tick 29 with 25 encoded; 10 drops → 10/35 > 0.1, but t = 1160 ms.
        for (int i = 0; i < 10; i++) {
            t.rc.notifyServerFrameDrop();
        }
        t.runTo(29);
        assertThat(t.rc.byteRate()).isEqualTo(1_000_000);
        assertThat(t.rc.isWarmingUp()).isTrue();
        assertThat(t.rc.serverFramesDropped()).isZero();
    }

    @Test
    void staleNegativeReportsAreIgnored() {
        Ticker t = steady25(79);
        MjpegRateControl rc = t.rc;
        t.negativeReport();
        assertThat(rc.byteRate()).isEqualTo(960_000);
        // During the DOWNGRADE evaluation of a rate change every report is ignored.
        t.negativeReport();
        assertThat(rc.byteRate()).isEqualTo(960_000);
        assertThat(rc.isEvaluating()).isTrue();
        t.next(); // tick 80 finishes it: change_start_mm = mm(3200)
        assertThat(rc.changeStartMmTime()).isEqualTo(ScriptedStream.mm(3200));
        // A report that ends before the change (change_start_mm > end) predates it.
        rc.clientStreamReport(5, 3, ScriptedStream.mm(3000), ScriptedStream.mm(3199), -100, -1);
        assertThat(rc.byteRate()).isEqualTo(960_000);
        assertThat(rc.isEvaluating()).isFalse();
        // end == change_start_mm is not stale. Only tick 80 was counted (1 ≤ 3, ≤ 24):
        // measured = byte_rate, step = 960000 / 24 = 40000.
        rc.clientStreamReport(5, 3, ScriptedStream.mm(3040), ScriptedStream.mm(3200), -100, -1);
        assertThat(rc.byteRate()).isEqualTo(920_000);
    }

    @Test
    void aNegativeReportRightAfterAnIncreaseIsNeverStale() {
        Ticker t = steady25(90);
        MjpegRateControl rc = t.rc;
        int change = rc.changeStartMmTime();
        rc.clientStreamReport(5, 0, change + 3000, change + 3100, 200, -1);
        assertThat(rc.byteRate()).isEqualTo(1_040_000); // as in the timeout test
        assertThat(rc.changeStartMmTime()).isZero();
        // change_start_mm is 0, but was_upgraded: the report counts. The decrease cancels the
        // UPGRADE search (back to its floor q6, 25 fps), and with no frame since the change
        // measured = 1 040 000, step = 1040000 / 25 = 41600 → 998400.
        rc.clientStreamReport(5, 2, change + 3000, change + 3100, -100, -1);
        assertThat(rc.byteRate()).isEqualTo(998_400);
        assertThat(rc.wasUpgraded()).isFalse();
        assertThat(rc.evalType()).isEqualTo(EvalType.DOWNGRADE);
        // The next frame: fps_6 = 998400/40000 = 24 → (q6, 24).
        t.next();
        assertThat(rc.qualityId()).isEqualTo(6);
        assertThat(rc.fps()).isEqualTo(24);
    }

    @Test
    void requiredDelayIsComparedWithTheClientDelayAsUnsigned32Bit() {
        // q3 at 10 fps (q ≠ 6): a delay below the requirement asks for a longer playback delay.
        ScriptedStream s = new ScriptedStream(20, 10);
        Ticker t = new Ticker(s, 1_600_000, SIZES_10, 100);
        t.runTo(10);
        MjpegRateControl rc = t.rc;
        int requests = s.delayRequests();
        // min_delay(recent avg 20000) = 2 × (20000 × 1000 / 200000 = 100) + 10 = 210.
        assertThat(rc.minPlaybackDelay(20000)).isEqualTo(210);
        // 150 < 210: requested (and "video delay small").
        rc.clientStreamReport(5, 0, ScriptedStream.mm(600), ScriptedStream.mm(1000), 150, -1);
        assertThat(s.delayRequests()).isEqualTo(requests + 1);
        assertThat(s.lastDelay()).isEqualTo(210);
        // −10: as signed it is below 210, but spice compares uint32 210 > 0xFFFFFFF6: false.
        // No request; −10 ≥ −15 is not negative by rule 4 either.
        rc.clientStreamReport(5, 0, ScriptedStream.mm(600), ScriptedStream.mm(1000), -10, -1);
        assertThat(s.delayRequests()).isEqualTo(requests + 1);
        // 0 is below 210 unsigned too: requested.
        rc.clientStreamReport(5, 0, ScriptedStream.mm(600), ScriptedStream.mm(1000), 0, -1);
        assertThat(s.delayRequests()).isEqualTo(requests + 2);
        assertThat(rc.byteRate()).isEqualTo(200_000); // all during warm-up or too early
    }

    @Test
    void atTheTopQualityAndFullRateNoDelayIsRequested() {
        Ticker t = steady25(20);
        int requests = t.stream.delayRequests();
        // q6 and fps 25 = min(src 25, 25): the rate cannot be estimated, no request even for
        // a delay (50) below min_delay(40000) = 90.
        t.rc.clientStreamReport(5, 0, ScriptedStream.mm(640), ScriptedStream.mm(800), 50, -1);
        assertThat(t.stream.delayRequests()).isEqualTo(requests);
    }

    @Test
    void aSourceAboveTheCapDoesNotMakeTheTopRateEstimable() {
        // Source 30 fps: the SET search still ends at (q6, 25) (fps_6 = 25 < 30, but ≥ 10 and
        // > 5, and q6 is the top). Then 25 < min(src 30, 25) is false: no delay request.
        ScriptedStream s = new ScriptedStream(20, 30);
        Ticker t = new Ticker(s, 8_000_000, SIZES_25, 40);
        t.runTo(20);
        assertThat(t.rc.qualityId()).isEqualTo(6);
        assertThat(t.rc.fps()).isEqualTo(25);
        int requests = s.delayRequests();
        t.rc.clientStreamReport(5, 0, ScriptedStream.mm(640), ScriptedStream.mm(800), 50, -1);
        assertThat(s.delayRequests()).isEqualTo(requests);
    }

    @Test
    void admissionIsNotRaisedWhenTheSourceIsTheLimit() {
        // 1.92 Mbit/s = 240000 B/s, source 10 fps (100 ms). SET: tick 1: fps_3 = 12 → q4;
        // tick 2: fps_4 = 11 ≥ src → best (11, q4) → q5; tick 3: fps_5 = 8 < 10 → back to q4:
        // (q4, 11), adjusted 16.5. adjust_fps at tick 10 (600 ms since tick 4; 7 frames,
        // counting tick 3): 11.67 > 11.5 → 16.5 × 11 × 600 / 7000. Later windows: 6 frames,
        // 10 fps < 10.5, but the source (10) is not faster than that: no raise.
        Ticker t = new Ticker(new ScriptedStream(20, 10), 1_920_000, SIZES_10, 100);
        t.runTo(3);
        assertThat(t.rc.qualityId()).isEqualTo(4);
        assertThat(t.rc.fps()).isEqualTo(11);
        t.runTo(9);
        assertThat(t.rc.adjustedFps()).isEqualTo(16.5);
        t.runTo(10);
        double adjusted = 16.5 * 11 * 600 / 7000;
        assertThat(t.rc.adjustedFps()).isCloseTo(adjusted, within(1e-9));
        t.runTo(40);
        assertThat(t.rc.adjustedFps()).isCloseTo(adjusted, within(1e-9));
        assertThat(t.dropped).isZero();
    }

    @Test
    void admissionIsRaisedAtMostToTwiceTheTarget() {
        Ticker t = steady25(4); // (q6, 25), adjusted 37.5
        MjpegRateControl rc = t.rc;
        // The source slows to a frame every 200 ms. At 960 ms (600 ms after the first frame
        // at 360 ms) 4 frames were counted (with tick 4's): 6.67 fps, far below 25 and below
        // the source's 25 → 37.5 × 25 / 6.67 = 140.6, capped at 2 × 25 = 50.
        for (long ms = 360; ms <= 960; ms += 200) {
            t.stream.atMs(ms);
            assertThat(rc.admitFrame(ScriptedStream.mm(ms))).isTrue();
            rc.frameEncoded(40000);
            if (ms < 960) {
                assertThat(rc.adjustedFps()).isEqualTo(37.5);
            }
        }
        assertThat(rc.adjustedFps()).isEqualTo(50.0);
    }

    @Test
    void aDecreaseNeverMoreThanHalvesTheRate() {
        // 8 kbit/s = 1000 B/s: every quality gives 0 fps. SET: q3 → q2 → q1 → q0 (0 fps,
        // nothing better sampled) → (q0, fps clamped to 1), adjusted 1.5.
        Ticker t = new Ticker(new ScriptedStream(20, 25), 8_000, SIZES_25, 40);
        t.runTo(4);
        assertThat(t.rc.qualityId()).isZero();
        assertThat(t.rc.fps()).isEqualTo(1);
        // At 1 fps one recent frame is enough (num_recent ≥ fps): every admitted frame finds
        // new_fps = 0 < 1, runs a one-step DOWNGRADE for SIZE_CHANGE that settles at once and
        // reseeds the recent sizes with one frame; the frame itself makes it 2.
        while (t.tick < 80) {
            if (t.next()) {
                assertThat(t.rc.numRecentEncFrames()).as("tick %d", t.tick).isEqualTo(2);
                assertThat(t.rc.isEvaluating()).isFalse();
            }
        }
        assertThat(t.rc.numEncFrames()).isGreaterThan(1);
        // measured = min(1000, sum / duration ≫ 1000) = 1000; step = average frame 10000 ≥ 1000
        // → step = 1000 / 2 → 500.
        t.negativeReport();
        assertThat(t.rc.byteRate()).isEqualTo(500);
    }

    @Test
    void anIncreaseKeepsTheRateWhenTheStreamUsesFarLess() {
        // 16 Mbit/s = 2e6 B/s: SET climbs to q6 (fps_6 = 50), capped at 25 fps.
        Ticker t = new Ticker(new ScriptedStream(20, 25), 16_000_000, SIZES_25, 40);
        t.runTo(90);
        assertThat(t.rc.fps()).isEqualTo(25);
        int change = t.rc.changeStartMmTime();
        // measured 1 011 627 (as at 8 Mbit/s) + 40000 < 2e6: the rate stays, only an UPGRADE
        // evaluation starts.
        t.rc.clientStreamReport(5, 0, change + 3000, change + 3100, 200, -1);
        assertThat(t.rc.byteRate()).isEqualTo(2_000_000);
        assertThat(t.rc.wasUpgraded()).isTrue();
        assertThat(t.rc.evalType()).isEqualTo(EvalType.UPGRADE);
    }

    @Test
    void audioLatencyFallingWhileVideoLagsIsNegative() {
        Ticker t = steady25(90);
        MjpegRateControl rc = t.rc;
        // Good report with audio 400 ms: max_audio_latency 400, max_video 200.
        // (start mm(3000) is 2840 ms after the change: too early for an increase.)
        rc.clientStreamReport(5, 0, ScriptedStream.mm(3000), ScriptedStream.mm(3600), 200, 400);
        assertThat(rc.maxAudioLatency()).isEqualTo(400);
        assertThat(rc.byteRate()).isEqualTo(1_000_000);
        // Audio fell to 100 < 0.5 × 400 and video 200 > 1.25 × 100 → negative → decrease
        // (ticks 4..90: 3 480 000 bytes / 3.44 s → capped 1e6, minus 40000).
        rc.clientStreamReport(5, 0, ScriptedStream.mm(3000), ScriptedStream.mm(3600), 200, 100);
        assertThat(rc.byteRate()).isEqualTo(960_000);
    }

    @Test
    void noAudioReportsRaiseTheAudioMaximumTo0xFFFFFFFF() {
        // audio_delay 0xFFFFFFFF (no playback) is still folded into max_audio_latency, so a
        // client that starts audio later (100 ms < 0.5 × 4294967295) with video 200 > 125
        // sends a negative report: faithful to spice.
        Ticker t = steady25(90);
        MjpegRateControl rc = t.rc;
        rc.clientStreamReport(5, 0, ScriptedStream.mm(3000), ScriptedStream.mm(3600), 200, -1);
        assertThat(rc.maxAudioLatency()).isEqualTo(-1);
        rc.clientStreamReport(5, 0, ScriptedStream.mm(3000), ScriptedStream.mm(3600), 200, 100);
        assertThat(rc.byteRate()).isEqualTo(960_000);
    }

    @Test
    void videoLatencyFarBelowItsMaximumIsNegative() {
        Ticker t = steady25(90);
        MjpegRateControl rc = t.rc;
        rc.clientStreamReport(5, 0, ScriptedStream.mm(3000), ScriptedStream.mm(3600), 400, -1);
        assertThat(rc.maxVideoLatency()).isEqualTo(400);
        // 99 < major = 0.5 × 0.5 × 400 = 100 → negative.
        rc.clientStreamReport(5, 0, ScriptedStream.mm(3000), ScriptedStream.mm(3600), 99, -1);
        assertThat(rc.byteRate()).isEqualTo(960_000);
        // The decrease zeroed the maxima.
        assertThat(rc.maxVideoLatency()).isZero();
    }

    @Test
    void minimumPlaybackDelay() {
        Ticker t = steady25(10);
        // byte_rate 1e6, latency RTT/2 = 10.
        assertThat(t.rc.minPlaybackDelay(0)).isEqualTo(10);
        assertThat(t.rc.minPlaybackDelay(40000)).isEqualTo(90);
        assertThat(t.rc.minPlaybackDelay(1999)).isEqualTo(2 * 1 + 10);
        // Capped at 5000: 10 MB at 1 MB/s would be 20 s.
        assertThat(t.rc.minPlaybackDelay(10_000_000)).isEqualTo(5000);
    }

    @Test
    void statsAndFailedFrames() {
        Ticker t = steady25(4);
        MjpegRateControl rc = t.rc;
        // Qualities 50, 60, 70, 80, 80.
        assertThat(rc.stats().averageQuality()).isEqualTo(68.0);
        assertThat(rc.stats().currentBitRate()).isEqualTo(8_000_000);
        assertThat(rc.stats().startingBitRate()).isEqualTo(8_000_000);
        // A failed frame counts in the stats (at 80) and forgets the last size.
        t.stream.atMs(200);
        assertThat(rc.admitFrame(ScriptedStream.mm(200))).isTrue();
        rc.frameFailed();
        assertThat(rc.lastEncSize()).isZero();
        assertThat(rc.framesForStats()).isEqualTo(6);
        assertThat(rc.averageQuality()).isEqualTo(420 / 6.0);
    }

    @Test
    void unsignedHelpers() {
        assertThat(MjpegRateControl.u64ToDouble(-1L)).isEqualTo(18446744073709551615.0);
        assertThat(MjpegRateControl.u64ToDouble(Long.MIN_VALUE)).isEqualTo(9223372036854775808.0);
        assertThat(MjpegRateControl.u64ToDouble(12345)).isEqualTo(12345.0);
        assertThat(MjpegRateControl.doubleToU64(1013333.9)).isEqualTo(1013333);
        assertThat(MjpegRateControl.doubleToU64(Double.POSITIVE_INFINITY)).isEqualTo(-1L);
        assertThat(MjpegRateControl.doubleToU64(Double.NaN)).isZero();
        assertThat(MjpegRateControl.doubleToU64(9223372036854775808.0 * 1.5)).isEqualTo(0xC000000000000000L);
    }

    @Test
    void qualityLadder() {
        int[] expected = {20, 30, 40, 50, 60, 70, 80};
        for (int i = 0; i < expected.length; i++) {
            assertThat(MjpegRateControl.qualitySample(i)).isEqualTo(expected[i]);
        }
        assertThat(MjpegRateControl.MJPEG_QUALITY_SAMPLE_NUM).isEqualTo(7);
    }
}
