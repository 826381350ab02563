package org.spicecodec.mjpeg;

import java.util.Arrays;
import java.util.Objects;

import org.spicecodec.core.video.MonotonicClock;
import org.spicecodec.core.video.VideoEncoderStats;
import org.spicecodec.core.video.VideoStreamCallbacks;

/**
 * The rate control of spice-server's built-in MJPEG encoder (streams.md §4), as a pure state
 * machine: it never encodes anything itself, it decides. Given the same clock readings,
 * encoded sizes, callbacks and client reports it takes the same decisions as spice-server
 * (quality id, frame rate, byte rate, evaluation steps, playback delay requests).
 *
 * <p>Per frame the encoder calls {@link #admitFrame(int)} (DROP when it returns false), then
 * encodes at {@link #quality()} and reports the JPEG's size with {@link #frameEncoded(long)}
 * (or {@link #frameFailed()}). Client reports, server-side drops and bit-rate queries may come
 * in between.
 *
 * <p>Numbers keep their C widths: spice's {@code uint32_t} fields (mm-times, frame counters,
 * frame rates from byte-rate divisions) are handled as unsigned 32-bit values and its
 * {@code uint64_t} times and sizes as unsigned 64-bit values, so wrap-around and the
 * signed/unsigned comparisons of the original are kept. In particular
 * {@link #clientStreamReport} compares the required playback delay with the client's
 * {@code end_frame_delay} as unsigned 32-bit numbers: a negative delay is a huge unsigned value
 * and never counts as "too small" (streams.md §4.9 rule 2). The value 0 of a time or mm-time
 * means "unset", as in spice, so clocks should not return exactly 0.
 *
 * <p>The per-frame, report and drop methods allocate nothing. Not thread-safe.
 */
public final class MjpegRateControl {

    /** Highest frame rate the rate control will aim for. */
    public static final int MJPEG_MAX_FPS = 25;
    /** Lowest frame rate the rate control will aim for. */
    public static final int MJPEG_MIN_FPS = 1;
    /** Number of JPEG qualities the search moves between. */
    public static final int MJPEG_QUALITY_SAMPLE_NUM = 7;
    /** Above the median quality, a quality is kept only if it allows this frame rate. */
    public static final int MJPEG_IMPROVE_QUALITY_FPS_STRICT_TH = 10;
    /** At or below the median quality, the lower bar for trying a better quality. */
    public static final int MJPEG_IMPROVE_QUALITY_FPS_PERMISSIVE_TH = 5;
    /** Frames averaged for the recent encoded size. */
    public static final int MJPEG_AVERAGE_SIZE_WINDOW = 3;
    /** Frames needed since the last bit-rate change before the rate is measured. */
    public static final int MJPEG_BIT_RATE_EVAL_MIN_NUM_FRAMES = 3;
    /** Server drops are evaluated every this many times fps encoded frames. */
    public static final int MJPEG_SERVER_STATUS_EVAL_FPS_INTERVAL = 1;
    /** Share of frames dropped in the server's pipe above which the bit rate is decreased. */
    public static final double MJPEG_SERVER_STATUS_DOWNGRADE_DROP_FACTOR_TH = 0.1;
    /** Mm-time (ms) since the last bit-rate change before a positive report may raise it. */
    public static final int MJPEG_CLIENT_POSITIVE_REPORT_TIMEOUT = 2000;
    /** As {@link #MJPEG_CLIENT_POSITIVE_REPORT_TIMEOUT}, when the stream already runs well. */
    public static final int MJPEG_CLIENT_POSITIVE_REPORT_STRICT_TIMEOUT = 3000;
    /** Shortest window (ms) over which the admitted frame rate is measured. */
    public static final int MJPEG_ADJUST_FPS_TIMEOUT = 500;
    /** Cap of the playback delay requested from the client, ms. */
    public static final int MJPEG_MAX_CLIENT_PLAYBACK_DELAY = 5000;
    /** Decreases are ignored for this long (ns) after creation, while the stream settles. */
    public static final long MJPEG_WARMUP_TIME = 3_000_000_000L;
    /** Initial size of spice's output buffer (it doubles as needed). */
    public static final int MJPEG_INITIAL_BUFFER_SIZE = 32 * 1024;
    /** A latency below this share of its recent maximum counts as a decrease. */
    public static final double MJPEG_PLAYBACK_LATENCY_DECREASE_FACTOR = 0.5;
    /** Video latency above this multiple of a shrinking audio latency is a negative report. */
    public static final double MJPEG_VIDEO_VS_AUDIO_LATENCY_FACTOR = 1.25;
    /** A last-frame delay below this (ms) is a negative report. */
    public static final int MJPEG_VIDEO_DELAY_TH = -15;

    private static final int[] MJPEG_QUALITY_SAMPLES = {20, 30, 40, 50, 60, 70, 80};
    /** The median quality id (MJPEG_QUALITY_SAMPLE_NUM / 2): where a new stream starts. */
    private static final int MEDIAN_QUALITY_ID = MJPEG_QUALITY_SAMPLE_NUM / 2;
    private static final int TOP_QUALITY_ID = MJPEG_QUALITY_SAMPLE_NUM - 1;
    /** The fps a new stream starts with before its first evaluation. */
    private static final int INITIAL_FPS = 5;
    /** Used for the admitted-rate ratio when there is no adjusted rate yet. */
    private static final double INITIAL_ADJUSTED_FPS_RATIO = 1.5;
    private static final long NSEC_PER_SEC = 1_000_000_000L;
    private static final long NSEC_PER_MILLISEC = 1_000_000L;
    private static final int MSEC_PER_SEC = 1000;
    private static final long U32 = 0xFFFF_FFFFL;

    /** What an evaluation is for; the numbering of spice's MJPEG_QUALITY_EVAL_TYPE_*. */
    public enum EvalType {
        /** The initial search of a new stream (also the "no evaluation" value after a reset). */
        SET,
        /** Search upwards, never below the current quality/fps. */
        UPGRADE,
        /** Search downwards, never above the current quality/fps. */
        DOWNGRADE
    }

    /** Why an evaluation runs; the numbering of spice's MJPEG_QUALITY_EVAL_REASON_*. */
    public enum EvalReason {
        /** The recent frame sizes changed (value 0: also what a reset leaves behind). */
        SIZE_CHANGE,
        /** The byte rate changed (or the stream is new). */
        RATE_CHANGE
    }

    private final VideoStreamCallbacks callbacks;
    private final MonotonicClock clock;
    private final long startingBitRate;

    // --- rate ---
    private long byteRate;
    private int qualityId;
    private int fps;
    private double adjustedFps;
    private long adjustedFpsStartTime;
    private long adjustedFpsNumFrames;
    private long baseEncSize;
    private long lastEncSize;
    private long sumRecentEncSize;
    private long numRecentEncFrames;
    private long warmupStartTime;

    // --- quality evaluation ---
    private boolean evaluating;
    private EvalType evalType = EvalType.SET;
    private EvalReason evalReason = EvalReason.SIZE_CHANGE;
    private final long[] encodedSizeByQuality = new long[MJPEG_QUALITY_SAMPLE_NUM];
    private int minQualityId;
    private int minQualityFps;
    private int maxQualityId;
    private int maxQualityFps;
    private int maxSampledFps;
    private int maxSampledFpsQualityId;

    // --- since the last bit-rate change ---
    private long changeStartTime;
    private long lastFrameTime;
    private int changeStartMmTime;
    private boolean wasUpgraded;
    private long numEncFrames;
    private long sumEncSize;

    // --- server pipe and client latencies ---
    private long numFramesEncoded;
    private long numFramesDropped;
    private int maxVideoLatency;
    private long maxAudioLatency;

    // --- statistics and diagnostics ---
    private long statFrames;
    private long statQualitySum;
    private long frameTime;

    /**
     * A new stream's rate control: quality 50 at 5 fps, then an initial (SET) evaluation, and
     * {@value #MJPEG_WARMUP_TIME} ns of warm-up from now.
     *
     * @param startingBitRate the stream's bit-rate share in bits/s (streams.md §2.8)
     */
    public MjpegRateControl(long startingBitRate, VideoStreamCallbacks callbacks, MonotonicClock clock) {
        if (startingBitRate < 0) {
            throw new IllegalArgumentException("starting bit rate " + startingBitRate);
        }
        this.callbacks = Objects.requireNonNull(callbacks, "callbacks");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.startingBitRate = startingBitRate;
        this.byteRate = startingBitRate / 8;
        resetQuality(MEDIAN_QUALITY_ID, INITIAL_FPS, 0);
        evaluating = true;
        evalType = EvalType.SET;
        evalReason = EvalReason.RATE_CHANGE;
        warmupStartTime = clock.nanoTime();
    }

    // ------------------------------------------------------------------ per frame

    /**
     * Steps 1–4 of streams.md §4.4 for a frame offered now: refreshes the admitted frame rate,
     * drops the frame if it comes too soon after the previous one, and otherwise updates the
     * quality/fps (which may advance an evaluation) and the bit-rate bookkeeping.
     *
     * @param frameMmTime the frame's mm-time (uint32)
     * @return false for DROP; true when the frame is to be encoded at {@link #quality()}
     */
    public boolean admitFrame(int frameMmTime) {
        long now = clock.nanoTime();
        frameTime = now;
        if (adjustedFpsStartTime == 0) {
            adjustedFpsStartTime = now;
        }
        adjustFps(now);
        // last_frame_time is 0 after a bit-rate change, so the first frame after it is never dropped.
        if (u64ToDouble(now - lastFrameTime) < NSEC_PER_SEC / adjustedFps) {
            return false;
        }
        adjustParamsToBitRate();
        // During a RATE_CHANGE evaluation these frames do not count for the new rate.
        if (!evaluating || evalReason == EvalReason.SIZE_CHANGE) {
            if (changeStartTime == 0) {
                changeStartTime = now;
                changeStartMmTime = frameMmTime;
            }
            lastFrameTime = now;
        }
        return true;
    }

    /** Step 6 of streams.md §4.4: the admitted frame was encoded into {@code size} bytes. */
    public void frameEncoded(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("size " + size);
        }
        countForStats();
        lastEncSize = size;
        numFramesEncoded = (numFramesEncoded + 1) & U32;
        if (evaluating && evalReason == EvalReason.RATE_CHANGE) {
            return;
        }
        if (!evaluating) {
            if (numRecentEncFrames >= MJPEG_AVERAGE_SIZE_WINDOW) {
                numRecentEncFrames = 0;
                sumRecentEncSize = 0;
            }
            sumRecentEncSize += size;
            numRecentEncFrames = (numRecentEncFrames + 1) & U32;
            adjustedFpsNumFrames++;
        }
        sumEncSize += size;
        numEncFrames = (numEncFrames + 1) & U32;
    }

    /**
     * The admitted frame could not be encoded (the engine failed). As spice when libjpeg
     * cannot write a scanline: the frame counts in the statistics, its size is forgotten
     * ({@code last_enc_size = 0}) and nothing else changes.
     */
    public void frameFailed() {
        countForStats();
        lastEncSize = 0;
    }

    private void countForStats() {
        statFrames++;
        statQualitySum += MJPEG_QUALITY_SAMPLES[qualityId];
    }

    // ------------------------------------------------------------------ §4.5 adjust_fps

    /**
     * Measures the rate frames were actually admitted at over at least 500 ms and scales the
     * admission rate so that the average approaches the target {@code fps}.
     */
    private void adjustFps(long now) {
        if (evaluating) {
            return;
        }
        long passedMs = Long.divideUnsigned(now - adjustedFpsStartTime, NSEC_PER_MILLISEC);
        if (Long.compareUnsigned(passedMs, MJPEG_ADJUST_FPS_TIMEOUT) <= 0
                || u64ToDouble(passedMs) <= MSEC_PER_SEC / adjustedFps) {
            return;
        }
        double avgFps = u64ToDouble(adjustedFpsNumFrames) * MSEC_PER_SEC / u64ToDouble(passedMs);
        double ratio = avgFps / fps;
        if (avgFps + 0.5 < fps && sourceFps() > avgFps) {
            // Too few frames got through: admit more often, but never above twice the target.
            double raised = avgFps != 0 ? adjustedFps / ratio : adjustedFps * 2;
            adjustedFps = Math.min(fps * 2.0, raised);
        } else if (fps + 0.5 < avgFps) {
            adjustedFps = Math.max(fps, adjustedFps / ratio);
        }
        adjustedFpsStartTime = now;
        adjustedFpsNumFrames = 0;
    }

    // ------------------------------------------------------------------ §4.6

    /**
     * Runs before each admitted frame: feeds the last size to a running evaluation, or starts
     * one when the recent average frame size no longer fits the target fps at the byte rate.
     */
    private void adjustParamsToBitRate() {
        if (lastEncSize == 0) {
            return;
        }
        if (evaluating) {
            encodedSizeByQuality[qualityId] = lastEncSize;
            evalQuality();
            return;
        }
        if (numRecentEncFrames == 0) {
            return;
        }
        long avgSize = 0;
        if (numRecentEncFrames >= MJPEG_AVERAGE_SIZE_WINDOW || numRecentEncFrames >= fps) {
            avgSize = Long.divideUnsigned(sumRecentEncSize, numRecentEncFrames);
            long newFps = maxFps(avgSize, byteRate);
            long srcFps = sourceFps();
            if (newFps > fps && (fps < srcFps || qualityId < TOP_QUALITY_ID)) {
                // Frames got cheaper: look for a better quality, keeping at least this one.
                startUpgrade(EvalReason.SIZE_CHANGE, qualityId, fps);
            } else if (newFps < fps && newFps < srcFps) {
                startDowngrade(EvalReason.SIZE_CHANGE, qualityId, fps);
            }
        }
        if (evaluating) {
            encodedSizeByQuality[qualityId] = avgSize;
            evalQuality();
        } else {
            processServerDrops();
        }
    }

    // ------------------------------------------------------------------ §4.7 eval_quality

    /**
     * One step of the quality search, using the size recorded for the current quality: either
     * moves to a neighbouring quality (the next frame samples it) or settles quality and fps.
     * Compression ratio is assumed to fall monotonically with quality.
     */
    private void evalQuality() {
        long size = encodedSizeByQuality[qualityId];
        if (size == 0) {
            return;
        }
        long srcFps = sourceFps();
        long qFps = maxFps(size, byteRate);
        long bestFps = maxSampledFps & U32; // spice compares its int with a uint32: unsigned
        if (qFps > bestFps || ((qFps == bestFps || qFps >= srcFps) && qualityId > maxSampledFpsQualityId)) {
            maxSampledFps = (int) qFps;
            maxSampledFpsQualityId = qualityId;
        }
        boolean settle;
        if (qualityId > MEDIAN_QUALITY_ID && qFps < MJPEG_IMPROVE_QUALITY_FPS_STRICT_TH && qFps < srcFps) {
            // Above the median, a fluent picture matters more than quality: step down. If the
            // lower quality was already sampled it passed the thresholds, so take it.
            qualityId--;
            settle = isEvaluated(qualityId);
        } else if ((qFps > MJPEG_IMPROVE_QUALITY_FPS_PERMISSIVE_TH && qFps >= 0.66 * minQualityFps)
                || qFps >= srcFps) {
            if (qualityId == TOP_QUALITY_ID || qualityId >= maxQualityId || isEvaluated(qualityId + 1)) {
                settle = true;
            } else if (qualityId == MEDIAN_QUALITY_ID && qFps < MJPEG_IMPROVE_QUALITY_FPS_STRICT_TH
                    && qFps < srcFps) {
                settle = true;
            } else {
                qualityId++;
                settle = false;
            }
        } else if (qualityId == 0 || qualityId <= minQualityId) {
            settle = true; // frame rate very low, but no lower quality may be tried
        } else {
            qualityId--;
            settle = isEvaluated(qualityId);
        }
        if (settle) {
            completeEvaluation();
        }
    }

    private boolean isEvaluated(int id) {
        return encodedSizeByQuality[id] != 0;
    }

    /** The end of a search: the chosen quality, the fps its size allows within the bounds. */
    private void completeEvaluation() {
        // A better quality with a better rate may have been sampled if monotonicity failed.
        int finalId = maxSampledFps != 0 ? Math.max(qualityId, maxSampledFpsQualityId) : qualityId;
        long finalSize = encodedSizeByQuality[finalId];
        long finalFps = maxFps(finalSize, byteRate);
        if (finalId == minQualityId) {
            finalFps = Math.max(finalFps, minQualityFps & U32);
        }
        if (finalId == maxQualityId) {
            finalFps = Math.min(finalFps, maxQualityFps & U32);
        }
        resetQuality(finalId, finalFps, finalSize);
        sumRecentEncSize = finalSize;
        numRecentEncFrames = 1;
        callbacks.updateClientPlaybackDelay((int) minPlaybackDelay(finalSize));
    }

    /** {@code get_max_fps}: frames per second {@code size}-byte frames allow (uint32). */
    private static long maxFps(long size, long bytesPerSec) {
        return size != 0 ? Long.divideUnsigned(bytesPerSec, size) & U32 : MJPEG_MAX_FPS;
    }

    /** Leaves evaluation mode and sets quality, target fps and the admission rate. */
    private void resetQuality(int newQualityId, long newFps, long encSize) {
        evaluating = false;
        if (qualityId != newQualityId) {
            lastEncSize = 0; // a size measured at another quality says nothing about this one
        }
        if (evalReason == EvalReason.RATE_CHANGE) {
            numFramesEncoded = 0;
            numFramesDropped = 0;
        }
        qualityId = newQualityId;
        clearEvaluation();
        double ratio = adjustedFps != 0 ? adjustedFps / fps : INITIAL_ADJUSTED_FPS_RATIO;
        fps = (int) Math.min(MJPEG_MAX_FPS, Math.max(MJPEG_MIN_FPS, newFps));
        adjustedFps = fps * ratio;
        adjustedFpsStartTime = 0;
        adjustedFpsNumFrames = 0;
        baseEncSize = encSize;
        sumRecentEncSize = 0;
        numRecentEncFrames = 0;
    }

    /** The zeroed evaluation record of spice, with the upper bounds set to the maxima. */
    private void clearEvaluation() {
        evalType = EvalType.SET;
        evalReason = EvalReason.SIZE_CHANGE;
        Arrays.fill(encodedSizeByQuality, 0);
        minQualityId = 0;
        minQualityFps = 0;
        maxQualityId = TOP_QUALITY_ID;
        maxQualityFps = MJPEG_MAX_FPS;
        maxSampledFps = 0;
        maxSampledFpsQualityId = 0;
    }

    private void startUpgrade(EvalReason reason, int lowestQualityId, int lowestFps) {
        evaluating = true;
        evalType = EvalType.UPGRADE;
        evalReason = reason;
        minQualityId = lowestQualityId;
        minQualityFps = lowestFps;
    }

    private void startDowngrade(EvalReason reason, int highestQualityId, int highestFps) {
        evaluating = true;
        evalType = EvalType.DOWNGRADE;
        evalReason = reason;
        maxQualityId = highestQualityId;
        maxQualityFps = highestFps;
    }

    /** {@code quality_eval_stop}: cancels a running search, falling back to its safe bound. */
    private void cancelEvaluation() {
        if (!evaluating) {
            return;
        }
        switch (evalType) {
            case UPGRADE -> resetQuality(minQualityId, minQualityFps & U32, 0);
            case DOWNGRADE -> resetQuality(maxQualityId, maxQualityFps & U32, 0);
            case SET -> resetQuality(MEDIAN_QUALITY_ID, MJPEG_MAX_FPS / 2, 0);
            default -> throw new AssertionError(evalType);
        }
    }

    // ------------------------------------------------------------------ §4.8 bit-rate changes

    /** The bit rate is too high: lower it by one average frame per second, then search down. */
    private void decreaseBitRate() {
        cancelEvaluation();
        maxVideoLatency = 0;
        maxAudioLatency = 0;
        if (warmupStartTime != 0) {
            // Early drops come from the lossless frames sent before the stream, not the rate.
            if (Long.compareUnsigned(clock.nanoTime() - warmupStartTime, MJPEG_WARMUP_TIME) < 0) {
                return;
            }
            warmupStartTime = 0;
        }
        long measured;
        long step;
        if (hasRateSamples()) {
            measured = measuredByteRate();
            step = Long.divideUnsigned(sumEncSize, numEncFrames);
        } else {
            measured = byteRate;
            step = Long.divideUnsigned(byteRate, fps);
        }
        measured = Long.compareUnsigned(byteRate, measured) < 0 ? byteRate : measured;
        if (Long.compareUnsigned(step, measured) >= 0) {
            step = measured >>> 1;
        }
        byteRate = measured - step;
        resetBitRateInfo(false);
        startDowngrade(EvalReason.RATE_CHANGE, qualityId, fps);
    }

    /** The link keeps up: raise the bit rate by one average frame per second, then search up. */
    private void increaseBitRate() {
        if (!hasRateSamples()) {
            return; // not enough frames since the last change to measure anything
        }
        long measured = measuredByteRate();
        long step = Long.divideUnsigned(sumEncSize, numEncFrames);
        cancelEvaluation();
        // If even the measured rate plus a frame stays below the current rate, the stream is
        // not using its budget: keep the rate, only re-evaluate.
        if (Long.compareUnsigned(measured + step, byteRate) >= 0) {
            byteRate = (Long.compareUnsigned(measured, byteRate) < 0 ? measured : byteRate) + step;
        }
        resetBitRateInfo(true);
        startUpgrade(EvalReason.RATE_CHANGE, qualityId, fps);
    }

    private boolean hasRateSamples() {
        return numEncFrames > MJPEG_BIT_RATE_EVAL_MIN_NUM_FRAMES || numEncFrames > fps;
    }

    /** Bytes per second encoded between the first and the last frame since the last change. */
    private long measuredByteRate() {
        double seconds = u64ToDouble(lastFrameTime - changeStartTime) / NSEC_PER_SEC;
        return doubleToU64(u64ToDouble(sumEncSize) / seconds);
    }

    private void resetBitRateInfo(boolean upgraded) {
        changeStartTime = 0;
        changeStartMmTime = 0;
        lastFrameTime = 0;
        numEncFrames = 0;
        sumEncSize = 0;
        wasUpgraded = upgraded;
    }

    // ------------------------------------------------------------------ §4.9 client reports

    /**
     * A client STREAM_REPORT (streams.md §4.9). Every field is the raw wire value: uint32s as
     * Java int bit patterns, {@code endFrameDelay} signed, {@code audioDelay} 0xFFFFFFFF (-1)
     * when the client plays no audio.
     *
     * <p>This is spice's {@code client_stream_report} alone. The "cannot decode" report
     * ({@code numFrames == 0, numDrops == 0xFFFFFFFF}) never reaches it in spice-server, which
     * destroys the encoder first; {@link MjpegEncoder} intercepts it the same way.
     */
    public void clientStreamReport(int numFrames, int numDrops, int startFrameMmTime, int endFrameMmTime,
                                   int endFrameDelay, int audioDelay) {
        if (evaluating && evalType == EvalType.DOWNGRADE && evalReason == EvalReason.RATE_CHANGE) {
            return; // the reports still describe the rate being replaced
        }
        long avgSize = numRecentEncFrames != 0 ? Long.divideUnsigned(sumRecentEncSize, numRecentEncFrames) : 0;
        long needed = minPlaybackDelay(avgSize);
        boolean videoDelaySmall = false;
        // Unsigned on purpose (spice compares uint32 with int32): a negative delay is never "smaller".
        if (needed > (endFrameDelay & U32)) {
            // At the top quality and full rate the real bit rate and delay cannot be estimated.
            if (qualityId != TOP_QUALITY_ID || fps < Math.min(sourceFps(), MJPEG_MAX_FPS) || endFrameDelay < 0) {
                videoDelaySmall = true;
                callbacks.updateClientPlaybackDelay((int) needed);
            }
        }
        double audio = u64ToDouble(audioDelay & U32);
        if (endFrameDelay > 0 && audio < MJPEG_PLAYBACK_LATENCY_DECREASE_FACTOR * maxAudioLatency
                && endFrameDelay > MJPEG_VIDEO_VS_AUDIO_LATENCY_FACTOR * audio) {
            // Audio latency fell while the video stays well behind it: slow the video down.
            negativeReport(endFrameMmTime);
            return;
        }
        if (endFrameDelay < MJPEG_VIDEO_DELAY_TH) {
            negativeReport(endFrameMmTime);
            return;
        }
        maxVideoLatency = Math.max(endFrameDelay, maxVideoLatency);
        maxAudioLatency = Math.max(audioDelay & U32, maxAudioLatency);
        double medium = maxVideoLatency * MJPEG_PLAYBACK_LATENCY_DECREASE_FACTOR;
        double major = medium * MJPEG_PLAYBACK_LATENCY_DECREASE_FACTOR;
        // A latency well below its maximum since the last decrease suggests the rate is too high.
        if ((endFrameDelay < medium && videoDelaySmall) || endFrameDelay < major) {
            negativeReport(endFrameMmTime);
        } else if (numDrops == 0) {
            positiveReport(startFrameMmTime);
        }
    }

    private void negativeReport(int endFrameMmTime) {
        // A report about frames sent before the last decrease says nothing about the new rate.
        if ((Integer.compareUnsigned(changeStartMmTime, endFrameMmTime) > 0 || changeStartMmTime == 0)
                && !wasUpgraded) {
            return;
        }
        decreaseBitRate();
    }

    private void positiveReport(int startFrameMmTime) {
        if (evaluating && evalReason == EvalReason.RATE_CHANGE) {
            return;
        }
        int timeout = (fps > MJPEG_IMPROVE_QUALITY_FPS_STRICT_TH || fps >= sourceFps())
                && qualityId > MEDIAN_QUALITY_ID
                ? MJPEG_CLIENT_POSITIVE_REPORT_STRICT_TIMEOUT : MJPEG_CLIENT_POSITIVE_REPORT_TIMEOUT;
        // uint32 difference read back as a signed int, as spice does.
        int stable = startFrameMmTime - changeStartMmTime;
        if (changeStartMmTime == 0 || stable < timeout) {
            return; // the current setting has not been watched long enough
        }
        increaseBitRate();
    }

    /**
     * {@code get_min_required_playback_delay}: twice the time one {@code frameSize}-byte frame
     * takes at the byte rate plus half the RTT, capped at 5 s; half the RTT alone if the size
     * or the rate is 0 (uint32 ms).
     */
    public long minPlaybackDelay(long frameSize) {
        long latency = latencyMs();
        if (frameSize == 0 || byteRate == 0) {
            return latency;
        }
        long oneFrame = Long.divideUnsigned(frameSize * MSEC_PER_SEC, byteRate) & U32;
        return Math.min((oneFrame * 2 + latency) & U32, MJPEG_MAX_CLIENT_PLAYBACK_DELAY);
    }

    // ------------------------------------------------------------------ §4.10 server drops

    /** A frame of this stream was replaced while still queued (streams.md §2.7). */
    public void notifyServerFrameDrop() {
        numFramesDropped = (numFramesDropped + 1) & U32;
        processServerDrops();
    }

    /** Once about a second of frames was encoded, decreases the rate if over 10 % were dropped. */
    private void processServerDrops() {
        long window = Math.min(fps, sourceFps()) * MJPEG_SERVER_STATUS_EVAL_FPS_INTERVAL & U32;
        if (numFramesEncoded < window) {
            return;
        }
        long total = (numFramesDropped + numFramesEncoded) & U32;
        double dropFactor = (double) numFramesDropped / total;
        if (dropFactor > MJPEG_SERVER_STATUS_DOWNGRADE_DROP_FACTOR_TH) {
            decreaseBitRate();
        }
        numFramesEncoded = 0;
        numFramesDropped = 0;
    }

    // ------------------------------------------------------------------ callbacks and numbers

    private long sourceFps() {
        return callbacks.sourceFps() & U32;
    }

    /** Half the round trip, ms (uint32). */
    private long latencyMs() {
        return (callbacks.roundTripMs() & U32) / 2;
    }

    /** A uint64 held in a long, as a double (the C conversion). */
    static double u64ToDouble(long v) {
        double d = (double) (v >>> 1 | (v & 1));
        return v >= 0 ? (double) v : d * 2;
    }

    /**
     * A double to uint64 as C truncates it. C leaves NaN and values outside the range
     * undefined; here they saturate (NaN to 0), which only happens for a zero-length
     * measuring interval, where the result is then capped by the byte rate anyway.
     */
    static long doubleToU64(double d) {
        if (!(d > 0)) {
            return 0;
        }
        if (d >= 18446744073709551616.0) {
            return -1L;
        }
        if (d < 9223372036854775808.0) {
            return (long) d;
        }
        return (long) (d - 9223372036854775808.0) + Long.MIN_VALUE;
    }

    // ------------------------------------------------------------------ getters

    /** The JPEG quality (IJG scale) of the quality id {@code id}, 0–6: 20, 30 … 80. */
    public static int qualitySample(int id) {
        return MJPEG_QUALITY_SAMPLES[id];
    }

    /** Index into the quality ladder, 0–6, of the quality the next admitted frame uses. */
    public int qualityId() {
        return qualityId;
    }

    /** The JPEG quality for the next admitted frame. */
    public int quality() {
        return MJPEG_QUALITY_SAMPLES[qualityId];
    }

    /** The target frame rate, 1–25. */
    public int fps() {
        return fps;
    }

    /** The admission rate: frames closer than 1/adjustedFps s to the previous one are dropped. */
    public double adjustedFps() {
        return adjustedFps;
    }

    /** The estimated available rate, bytes/s. */
    public long byteRate() {
        return byteRate;
    }

    /** {@code byte_rate × 8}, bits/s. */
    public long bitRate() {
        return byteRate * 8;
    }

    public long startingBitRate() {
        return startingBitRate;
    }

    /** Whether a quality search is running (frames sample the quality under test). */
    public boolean isEvaluating() {
        return evaluating;
    }

    /** The running (or, when not evaluating, the cleared: SET) evaluation's type. */
    public EvalType evalType() {
        return evalType;
    }

    /** The running (or, when not evaluating, the cleared: SIZE_CHANGE) evaluation's reason. */
    public EvalReason evalReason() {
        return evalReason;
    }

    /** Size recorded for quality id {@code id} in the running evaluation, 0 if not sampled. */
    public long encodedSizeByQuality(int id) {
        return encodedSizeByQuality[id];
    }

    public int evalMinQualityId() {
        return minQualityId;
    }

    public int evalMinQualityFps() {
        return minQualityFps;
    }

    public int evalMaxQualityId() {
        return maxQualityId;
    }

    public int evalMaxQualityFps() {
        return maxQualityFps;
    }

    /** Size of the last encoded frame; 0 after a quality change or a failed frame. */
    public long lastEncSize() {
        return lastEncSize;
    }

    /** The frame size the current quality/fps were chosen for (0 after a cancelled search). */
    public long baseEncSize() {
        return baseEncSize;
    }

    public long sumRecentEncSize() {
        return sumRecentEncSize;
    }

    public int numRecentEncFrames() {
        return (int) numRecentEncFrames;
    }

    /** Mm-time of the first frame counted since the last bit-rate change (uint32), 0 if none. */
    public int changeStartMmTime() {
        return changeStartMmTime;
    }

    public long changeStartTimeNanos() {
        return changeStartTime;
    }

    public long lastFrameTimeNanos() {
        return lastFrameTime;
    }

    /** Frames counted since the last bit-rate change (uint32). */
    public int numEncFrames() {
        return (int) numEncFrames;
    }

    public long sumEncSize() {
        return sumEncSize;
    }

    /** Whether the last bit-rate change was an increase. */
    public boolean wasUpgraded() {
        return wasUpgraded;
    }

    /** Frames encoded since the server-drop counters were last reset (uint32). */
    public int serverFramesEncoded() {
        return (int) numFramesEncoded;
    }

    /** Frames dropped in the server's pipe since the counters were last reset (uint32). */
    public int serverFramesDropped() {
        return (int) numFramesDropped;
    }

    public int maxVideoLatency() {
        return maxVideoLatency;
    }

    /** The largest audio delay seen (uint32). */
    public int maxAudioLatency() {
        return (int) maxAudioLatency;
    }

    /** Whether the 3 s warm-up has not yet been ended by a decrease request after it. */
    public boolean isWarmingUp() {
        return warmupStartTime != 0;
    }

    /** The clock reading of the last {@link #admitFrame} call. */
    public long frameTimeNanos() {
        return frameTime;
    }

    /** Frames counted for the statistics (admitted and sent to the engine). */
    public long framesForStats() {
        return statFrames;
    }

    /** Average JPEG quality of the frames so far; 0 before the first. */
    public double averageQuality() {
        return statFrames == 0 ? 0 : (double) statQualitySum / statFrames;
    }

    /** Starting bit rate, current bit rate and average quality (allocates one record). */
    public VideoEncoderStats stats() {
        return new VideoEncoderStats(startingBitRate, bitRate(), averageQuality());
    }
}
