package org.spicecodec.video;

import java.util.Objects;
import org.spicecodec.core.video.MonotonicClock;
import org.spicecodec.core.video.VideoStreamCallbacks;

/**
 * The bit-rate control of spice-server's GStreamer encoder (streams.md §5.2–5.3), used here for
 * every stream encoder except the built-in MJPEG one (§4): a deterministic state machine fed with frame
 * mm-times, encoded sizes and encoding times, client reports and server drop notices.
 *
 * <p>It keeps two targets: {@link #bitRate()}, the network budget, and {@link #videoBitRate()},
 * what the encoder is told (usually 4/3 of the budget because encoders undershoot). A virtual
 * buffer (token bucket) of {@value #VBUFFER_SIZE_MS} ms at the budget absorbs bursts; once it
 * is empty {@link #admitFrame} drops frames until the debt is repaid. The budget itself follows
 * an AIMD scheme: client reports (video margin, drops, audio margin) and server drops cut or
 * decrement it, good conditions raise it by a step that narrows as the bracket
 * [{@link #minBitRate()}, {@link #maxBitRate()}] of the sustainable rate narrows, until the
 * rate settles (STABLE).
 *
 * <p>Arithmetic follows spice-server's C types so that decisions match: mm-times, margins,
 * frame counts and delays are {@code uint32}/{@code int32} bit patterns in Java {@code int}s,
 * compared unsigned where spice-server compares unsigned; bit rates are {@code uint64} in
 * {@code long}s; the factors 4/3, 0.1, 0.3 … are applied in {@code double} and truncated.
 * Behaviours of spice-server that follow from this are kept (for instance the 32-bit sum of a
 * report's period bit rate, or a report without audio pinning the maximum audio margin at
 * 0xFFFFFFFF). Deviations, each where spice-server's arithmetic would misbehave: a source
 * frame rate below 1 counts as 1 and a negative RTT as 0 (division by zero); the bit-rate cap
 * is computed in 64 bits (spice-server's 32-bit product wraps from about 3840×2160×32 bpp at
 * 30 fps); a decrement by a step not smaller than the budget gives {@link #MIN_BITRATE}
 * (spice-server's {@code bit_rate − step} wraps to a huge value, an "increase" to the cap, or
 * lands on 0, read as "default", 8 Mibit/s — either way a congested stream would speed up);
 * reports before the first frame are ignored.
 *
 * <p>Use: {@link #setVideoFormat} when the stream's size or pixel format changes (the first
 * call starts the control), {@link #admitFrame} for each frame, then either nothing (dropped)
 * or {@link #frameEncoded}. Push {@link #videoBitRate()} to the encoder whenever
 * {@link #takeVideoBitRateChange()} says it changed. Not thread-safe; allocation-free.
 */
public final class SpiceBitRateControl {

    // ---- streams.md §5.2 (spice-server gstreamer-encoder.c) ----

    /** Frame rate assumed when the stream gives none (SPICE_GST_DEFAULT_FPS). */
    public static final int DEFAULT_FPS = 30;
    /** Lowest budget and smallest AIMD step, bit/s (SPICE_GST_MIN_BITRATE). */
    public static final long MIN_BITRATE = 128 * 1024;
    /** Budget used for a starting bit rate of 0 (SPICE_GST_DEFAULT_BITRATE). */
    public static final long DEFAULT_BITRATE = 8 * 1024 * 1024;
    /** Virtual buffer size in ms of data at the budget (SPICE_GST_VBUFFER_SIZE). */
    public static final int VBUFFER_SIZE_MS = 300;
    /** Longest gap between encoded frames: at least 3 fps get out (SPICE_GST_MAX_PERIOD). */
    public static final long MAX_PERIOD_NS = 1_000_000_000L / 3;
    /** Margin over the network latency for jitter (SPICE_GST_LATENCY_MARGIN). */
    public static final double LATENCY_MARGIN = 0.1;
    /** Congestion cut divisor (SPICE_GST_BITRATE_CUT). */
    public static final int BITRATE_CUT = 2;
    /** Congestion reduce divisor (SPICE_GST_BITRATE_REDUCE). */
    public static final double BITRATE_REDUCE = 4.0 / 3.0;
    /** Largest AIMD step, bit/s (SPICE_GST_BITRATE_MAX_STEP). */
    public static final long BITRATE_MAX_STEP = 1024 * 1024;
    /**
     * When max / margin &lt; min the bracket is narrow enough; also the video target over the
     * budget (SPICE_GST_BITRATE_MARGIN = SPICE_GST_BITRATE_REDUCE).
     */
    public static final double BITRATE_MARGIN = BITRATE_REDUCE;
    /** Interval between increases, ms (SPICE_GST_BITRATE_UP_INTERVAL). */
    public static final int UP_INTERVAL_MS = 2 * 1000;
    /** Interval before probing upwards from STABLE with client reports, ms. */
    public static final int UP_CLIENT_STABLE_MS = 2 * 60 * 1000;
    /** Interval before probing upwards from STABLE without client reports, ms. */
    public static final int UP_SERVER_STABLE_MS = 4 * 3600 * 1000;
    /** A budget held at the maximum this long re-probes up to the cap, ms. */
    public static final int UP_RESET_MAX_MS = 30 * 1000;
    /** Video margin fractions of the maximum margin: good, average, bad. */
    public static final double VIDEO_MARGIN_GOOD = 0.75;
    public static final double VIDEO_MARGIN_AVERAGE = 0.5;
    public static final double VIDEO_MARGIN_BAD = 0.3;
    /** Margin drops (fractions of the maximum margin) that add 2 or 1 to the score. */
    public static final double VIDEO_DELTA_BAD = 0.2;
    public static final double VIDEO_DELTA_AVERAGE = 0.15;
    /** The audio is starving below this fraction of its maximum margin ... */
    public static final double AUDIO_MARGIN_BAD = 0.5;
    /** ... while the video margin exceeds the audio margin by this factor. */
    public static final double AUDIO_VIDEO_RATIO = 1.25;
    /** Changes of the video target below this fraction are not applied to non-dynamic encoders. */
    public static final double VIDEO_BITRATE_MARGIN = 0.05;
    /** The bit-rate cap assumes at least this compression ratio (width × height × bpp × fps / 10). */
    public static final int CAP_COMPRESSION_RATIO = 10;

    private static final long NS_PER_MS = 1_000_000L;
    private static final long NS_PER_S = 1_000_000_000L;

    /** Whether the budget was last decreased, increased or settled (SpiceGstBitRateStatus). */
    public enum Status { DECREASING, INCREASING, STABLE }

    private final long startingBitRate;
    private final VideoStreamCallbacks callbacks;
    private final MonotonicClock clock;
    private final boolean bitRateIsDynamic;
    private final FrameHistory history = new FrameHistory();

    // video characteristics
    private int width;
    private int height;
    private int bitsPerPixel;

    // encoder bit-rate control
    private long bitRate;
    private long videoBitRate;
    private boolean videoBitRateChanged;
    private int vbufferSize;
    private int vbufferFree;
    private int nextFrameMmTime;

    // network bit-rate control
    private int lastChange;
    private long maxBitRate;
    private long minBitRate;
    private Status status = Status.DECREASING;
    private long bitRateStep;
    private int increaseInterval;

    // client and server feedback
    private boolean hasClientReports;
    private int lastVideoMargin;
    private int maxVideoMargin;
    private int maxAudioMargin;
    private int serverDrops;

    private long encodeStart;

    /**
     * @param startingBitRate  spice-server's initial estimate for this stream, bit/s; 0 for
     *                         {@value #DEFAULT_BITRATE}
     * @param callbacks        RTT, source frame rate and playback-delay requests of the stream;
     *                         {@code null} as spice-server without callbacks: {@value #DEFAULT_FPS}
     *                         fps, no latency, no delay requests
     * @param clock            times the encoder (see {@link #startEncode()})
     * @param bitRateIsDynamic whether the encoder takes bit-rate changes while streaming; if
     *                         not, changes of the video target under
     *                         {@value #VIDEO_BITRATE_MARGIN} are not passed on, as
     *                         spice-server does for encoders it must restart (avenc_mjpeg)
     */
    public SpiceBitRateControl(long startingBitRate, VideoStreamCallbacks callbacks, MonotonicClock clock,
                               boolean bitRateIsDynamic) {
        if (startingBitRate < 0) {
            throw new IllegalArgumentException("starting bit rate " + startingBitRate + " < 0");
        }
        this.startingBitRate = startingBitRate;
        this.callbacks = callbacks;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.bitRateIsDynamic = bitRateIsDynamic;
    }

    // ---------------------------------------------------------------- inputs

    /**
     * The stream's frame size or pixel format changed (or this is its first frame). The first
     * call starts the control: bracket [{@link #MIN_BITRATE}, cap], status DECREASING, budget
     * = the starting bit rate, and an empty virtual buffer (slow start). Later calls only
     * change the cap's inputs; the budget carries over.
     *
     * @param bitsPerPixel 16, 24 or 32, as the encoder's raw input
     */
    public void setVideoFormat(int frameMmTime, int width, int height, int bitsPerPixel) {
        if (width < 1 || height < 1 || bitsPerPixel < 1) {
            throw new IllegalArgumentException("video format " + width + "x" + height + "x" + bitsPerPixel);
        }
        this.width = width;
        this.height = height;
        this.bitsPerPixel = bitsPerPixel;
        if (bitRate == 0) {
            history.setInitialMmTime(frameMmTime);
            maxBitRate = bitRateCap();
            minBitRate = MIN_BITRATE;
            status = Status.DECREASING;
            setBitRate(startingBitRate);
            vbufferFree = 0; // slow start: nothing may be sent before the budget accrues
        }
    }

    /** Whether the control has started ({@link #setVideoFormat} was called). */
    public boolean started() {
        return bitRate != 0;
    }

    /**
     * Decides whether the frame of this mm-time (uint32) may be encoded. {@code false} means
     * DROP: either server drops were reported since the last frame (the virtual buffer is
     * emptied, a zero-size frame recorded and the budget cut), or the frame comes before the
     * next allowed mm-time.
     */
    public boolean admitFrame(int frameMmTime) {
        requireStarted();
        if (handleServerDrops(frameMmTime)) {
            return false;
        }
        return Integer.compareUnsigned(frameMmTime, nextFrameMmTime) >= 0;
    }

    /** Marks the start of an encode on the clock; {@link #frameEncoded(int, int)} measures from here. */
    public void startEncode() {
        encodeStart = clock.nanoTime();
    }

    /** A frame admitted by {@link #admitFrame} was encoded into {@code size} bytes; timed since {@link #startEncode()}. */
    public void frameEncoded(int frameMmTime, int size) {
        frameEncoded(frameMmTime, size, clock.nanoTime() - encodeStart);
    }

    /**
     * A frame admitted by {@link #admitFrame} was encoded into {@code size} bytes (uint32) in
     * {@code encodeNanos}: records it, refills the virtual buffer for the mm-time elapsed since
     * the previous frame and takes the frame out, maybe raises the budget (no client reports),
     * and computes the next allowed mm-time.
     */
    public void frameEncoded(int frameMmTime, int size, long encodeNanos) {
        requireStarted();
        int previousMm = history.lastMmTime();
        history.add(frameMmTime, Math.max(0, encodeNanos), size);

        long refill = Long.divideUnsigned(bitRate * Integer.toUnsignedLong(frameMmTime - previousMm), 1000) / 8;
        vbufferFree = Math.min(vbufferFree + (int) refill, vbufferSize) - size;

        // Without client reports the server raises the budget on its own, every increase interval.
        if (!hasClientReports && serverDrops == 0
                && Integer.toUnsignedLong(frameMmTime - lastChange) >= increaseInterval) {
            increaseBitRate();
        }
        updateNextFrameMmTime();
    }

    /** A frame of this stream was replaced while still queued for the client (streams.md §2.7). */
    public void notifyServerFrameDrop() {
        serverDrops++;
    }

    /**
     * A client STREAM_REPORT (uint32 fields as int bit patterns; {@code videoMargin} is the
     * signed last_frame_delay, {@code audioMargin} 0xFFFFFFFF without audio). The cannot-decode
     * report (0 frames, 0xFFFFFFFF drops) never reaches spice-server's encoder, which is
     * destroyed instead; it is ignored here, the caller handles it.
     */
    public void clientStreamReport(int numFrames, int numDrops, int startFrameMmTime, int endFrameMmTime,
                                   int videoMargin, int audioMargin) {
        if (numFrames == 0 && numDrops == -1) {
            return;
        }
        if (!started()) {
            return; // a client reports frames it received: none were sent yet
        }
        hasClientReports = true;
        maxVideoMargin = Math.max(maxVideoMargin, videoMargin);
        if (Integer.compareUnsigned(audioMargin, maxAudioMargin) > 0) {
            maxAudioMargin = audioMargin; // unsigned: a report without audio pins it at 0xFFFFFFFF
        }
        int marginDelta = videoMargin - lastVideoMargin;
        lastVideoMargin = videoMargin;
        long periodBitRate = history.periodBitRate(startFrameMmTime, endFrameMmTime);

        if (status == Status.DECREASING && Integer.compareUnsigned(startFrameMmTime, lastChange) < 0) {
            return; // part of this report predates the last decrease: obsolete
        }

        // Even the largest frames normally arrive a bit over one frame period before display.
        int minMargin = (int) (long) ((1000 / sourceFps()) + networkLatencyMs() * LATENCY_MARGIN);

        int score;
        if (numDrops != 0) {
            score = 4;
        } else if (marginDelta >= 0) {
            score = 0; // bad, but improving
        } else if (videoMargin < u32(minMargin) * VIDEO_MARGIN_BAD
                || videoMargin < maxVideoMargin * VIDEO_MARGIN_BAD) {
            score = 3;
        } else if (Integer.compareUnsigned(videoMargin, minMargin) < 0
                || videoMargin < maxVideoMargin * VIDEO_MARGIN_AVERAGE) {
            score = 2;
        } else if (videoMargin < maxVideoMargin * VIDEO_MARGIN_GOOD) {
            score = 1;
        } else {
            score = 0;
        }
        // A fast falling margin makes it worse.
        if (marginDelta < -Math.abs(maxVideoMargin) * VIDEO_DELTA_BAD) {
            score += 2;
        } else if (marginDelta < -Math.abs(maxVideoMargin) * VIDEO_DELTA_AVERAGE) {
            score += 1;
        }

        if (score > 3) {
            setBitRate(cutBitRate());
        } else if (score == 3) {
            setBitRate(reducedBitRate());
        } else if (score == 2) {
            setBitRate(decrementedBitRate());
        } else if (u32(audioMargin) < u32(maxAudioMargin) * AUDIO_MARGIN_BAD
                && u32(audioMargin) * AUDIO_VIDEO_RATIO < videoMargin) {
            // The video may be starving the audio of bandwidth.
            setBitRate(decrementedBitRate());
        } else if (score == 1 && Long.compareUnsigned(periodBitRate, bitRate) <= 0
                && status == Status.INCREASING) {
            // Worse since the last increase, and not because of a transient peak.
            setBitRate(decrementedBitRate());
        } else if (score == 0
                && Integer.toUnsignedLong(history.lastMmTime() - lastChange) >= increaseInterval) {
            increaseBitRate();
        }
    }

    // ---------------------------------------------------------------- outputs

    /** The network budget, bit/s (0 before {@link #setVideoFormat}). */
    public long bitRate() {
        return bitRate;
    }

    /** The bit rate the encoder should aim at, bit/s. */
    public long videoBitRate() {
        return videoBitRate;
    }

    /** {@code true} once per change of {@link #videoBitRate()}; the caller then passes it to the encoder. */
    public boolean takeVideoBitRateChange() {
        boolean changed = videoBitRateChanged;
        videoBitRateChanged = false;
        return changed;
    }

    /**
     * spice-server's {@code get_bit_rate}: the effective rate over the statistics window,
     * from its first frame to the next allowed frame time, bit/s.
     */
    public long effectiveBitRate() {
        int nextMm = nextFrameMmTime != 0 ? nextFrameMmTime : history.lastMmTime() + 1000 / sourceFps();
        long elapsed = Integer.toUnsignedLong(nextMm - history.statFirstMmTime());
        return elapsed != 0 ? Long.divideUnsigned(history.statSizeSum() * 8 * 1000, elapsed) : 0;
    }

    /** The cap: {@code width × height × bpp × source fps / 10} bit/s (a 10:1 compression). */
    public long bitRateCap() {
        return (long) width * height * bitsPerPixel * sourceFps() / CAP_COMPRESSION_RATIO;
    }

    /**
     * The playback delay the client needs, ms: time to send the largest plus an average
     * frame at the budget, the one-way latency plus 10 %, and the average encoding time.
     */
    public int minPlaybackDelayMs() {
        long bytes = Integer.toUnsignedLong(history.maximumSize() + history.averageSize());
        int sendMs = (int) Long.divideUnsigned(8000L * bytes, bitRate);
        int netMs = (int) (long) (networkLatencyMs() * (1.0 + LATENCY_MARGIN));
        return sendMs + netMs + (int) Long.divideUnsigned(history.averageEncodeNanos(), NS_PER_MS);
    }

    public Status status() {
        return status;
    }

    public long minBitRate() {
        return minBitRate;
    }

    public long maxBitRate() {
        return maxBitRate;
    }

    public long bitRateStep() {
        return bitRateStep;
    }

    /** The next mm-time (uint32) at which a frame is admitted. */
    public int nextFrameMmTime() {
        return nextFrameMmTime;
    }

    /** Bytes of the virtual buffer. */
    public int vbufferSize() {
        return vbufferSize;
    }

    /** Free bytes of the virtual buffer; negative when frames went over budget. */
    public int vbufferFree() {
        return vbufferFree;
    }

    /** mm-time of the last budget change. */
    public int lastChangeMmTime() {
        return lastChange;
    }

    /** ms between increases: {@value #UP_INTERVAL_MS}, or the STABLE intervals. */
    public int increaseIntervalMs() {
        return increaseInterval;
    }

    public boolean hasClientReports() {
        return hasClientReports;
    }

    /** The video margin (last_frame_delay) of the last client report, ms. */
    public int lastVideoMargin() {
        return lastVideoMargin;
    }

    /** The largest video margin reported, ms (starts at 0). */
    public int maxVideoMargin() {
        return maxVideoMargin;
    }

    /** The largest audio margin reported (uint32; 0xFFFFFFFF once a report came without audio). */
    public int maxAudioMargin() {
        return maxAudioMargin;
    }

    /** Server drops reported since the last frame. */
    public int pendingServerDrops() {
        return serverDrops;
    }

    public long startingBitRate() {
        return startingBitRate;
    }

    /**
     * spice-server's quality proxy for the stats: {@code 100 − raw bit rate / effective bit
     * rate} (integer division), at least 0; 0 before any data.
     */
    public double averageQuality() {
        long effective = effectiveBitRate();
        if (effective == 0) {
            return 0;
        }
        long raw = (long) width * height * bitsPerPixel * sourceFps();
        double q = 100.0 - Long.divideUnsigned(raw, effective);
        return q < 0 ? 0 : q;
    }

    // ---------------------------------------------------------------- internals

    private void requireStarted() {
        if (!started()) {
            throw new IllegalStateException("setVideoFormat must come before the first frame");
        }
    }

    private int sourceFps() {
        if (callbacks == null) {
            return DEFAULT_FPS;
        }
        int fps = callbacks.sourceFps();
        return fps < 1 ? 1 : fps; // spice-server would divide by zero
    }

    /** One-way latency, assuming a symmetric network. */
    private long networkLatencyMs() {
        if (callbacks == null) {
            return 0;
        }
        int rtt = callbacks.roundTripMs();
        return rtt < 0 ? 0 : rtt / 2;
    }

    private static long u32(int v) {
        return Integer.toUnsignedLong(v);
    }

    /** uint64 to double, as C converts. */
    private static double u64(long v) {
        return v >= 0 ? (double) v : (double) (v >>> 1) * 2.0 + (v & 1);
    }

    /** One step down; never wraps below 0 (see the class comment), floored at MIN_BITRATE by set_bit_rate. */
    private long decrementedBitRate() {
        return Long.compareUnsigned(bitRate, bitRateStep) > 0 ? bitRate - bitRateStep : MIN_BITRATE;
    }

    /** Halve, floored at the bracket's low end unless already there. */
    private long cutBitRate() {
        long half = Long.divideUnsigned(bitRate, BITRATE_CUT);
        if (bitRate == minBitRate) {
            return half;
        }
        return Long.compareUnsigned(minBitRate, half) > 0 ? minBitRate : half;
    }

    /** Divide by 4/3 (in double, truncated), floored at the bracket's low end unless already there. */
    private long reducedBitRate() {
        double reduced = u64(bitRate) / BITRATE_REDUCE;
        if (bitRate == minBitRate) {
            return (long) reduced;
        }
        return u64(minBitRate) > reduced ? minBitRate : (long) reduced;
    }

    /** Sets the video target; package-private for tests of the 5 % rule. */
    void setVideoBitRate(long rate) {
        if (videoBitRate != rate && bitRateIsDynamic) {
            videoBitRate = rate;
            videoBitRateChanged = true;
        } else if (Math.abs(rate - videoBitRate) > u64(videoBitRate) * VIDEO_BITRATE_MARGIN) {
            videoBitRate = rate;
            videoBitRateChanged = true;
        }
    }

    /**
     * spice-server's {@code set_bit_rate}: the AIMD bookkeeping. The bracket
     * [min, max] holds the optimal rate: raising the budget after decreasing sets min to the
     * old budget, lowering it while not decreasing sets max just below the old budget. A new
     * bracket gives a new step, a tenth of its width within [MIN_BITRATE, BITRATE_MAX_STEP];
     * a bracket narrower than the margin settles the budget at min (STABLE).
     */
    private void setBitRate(long requested) {
        long rate = requested == 0 ? DEFAULT_BITRATE : requested;
        if (rate == bitRate) {
            return;
        }
        if (Long.compareUnsigned(rate, MIN_BITRATE) < 0) {
            rate = MIN_BITRATE;
        } else if (Long.compareUnsigned(rate, bitRate) > 0) {
            long cap = bitRateCap();
            rate = Long.compareUnsigned(rate, cap) < 0 ? rate : cap;
        }

        if (Long.compareUnsigned(rate, minBitRate) < 0) {
            minBitRate = rate;
            bitRateStep = 0;
        } else if (status == Status.DECREASING && Long.compareUnsigned(rate, bitRate) > 0) {
            minBitRate = bitRate;
            bitRateStep = 0;
        } else if (status != Status.DECREASING && Long.compareUnsigned(rate, bitRate) < 0) {
            maxBitRate = bitRate - MIN_BITRATE;
            bitRateStep = 0;
        }
        increaseInterval = UP_INTERVAL_MS;

        if (bitRateStep == 0) {
            long tenth = Long.divideUnsigned(maxBitRate - minBitRate, 10);
            long step = Long.compareUnsigned(tenth, BITRATE_MAX_STEP) < 0 ? tenth : BITRATE_MAX_STEP;
            bitRateStep = Math.max(MIN_BITRATE, step);
            status = Long.compareUnsigned(rate, bitRate) < 0 ? Status.DECREASING : Status.INCREASING;
            if (u64(maxBitRate) / BITRATE_MARGIN < u64(minBitRate)) {
                // Narrow enough: settle on the low end to keep a safety margin.
                rate = minBitRate;
                status = Status.STABLE;
                increaseInterval = hasClientReports ? UP_CLIENT_STABLE_MS : UP_SERVER_STABLE_MS;
                setVideoBitRate(rate);
            }
        }

        lastChange = history.lastMmTime();
        bitRate = rate;
        // Resize the virtual buffer without ever adding free space (no sudden bursts).
        int newSize = (int) (Long.divideUnsigned(rate * VBUFFER_SIZE_MS, 1000) / 8);
        if (newSize < vbufferSize && vbufferFree > 0) {
            vbufferFree = Math.max(0, vbufferFree + newSize - vbufferSize);
        }
        vbufferSize = newSize;
        updateNextFrameMmTime();

        history.restartStatistics();

        if (Long.compareUnsigned(rate, videoBitRate) > 0) {
            setVideoBitRate((long) (u64(rate) * BITRATE_MARGIN));
        }
    }

    /** Adds one step, up to max; only when the encoder actually uses the budget. */
    private void increaseBitRate() {
        if (Long.compareUnsigned(effectiveBitRate(), bitRate) < 0) {
            return; // the encoder does not use what it has: raising the limit is pointless
        }
        if (bitRate == maxBitRate
                && Integer.toUnsignedLong(history.lastMmTime() - lastChange) > UP_RESET_MAX_MS) {
            // The maximum held for a while: it was probably set too low; probe again.
            maxBitRate = bitRateCap();
            status = Status.INCREASING;
        }
        long up = bitRate + bitRateStep;
        setBitRate(Long.compareUnsigned(up, maxBitRate) < 0 ? up : maxBitRate);
    }

    /** Server drops since the last frame: the buffer is clearly full; drop this frame and lower the budget. */
    private boolean handleServerDrops(int frameMmTime) {
        if (serverDrops == 0) {
            return false;
        }
        vbufferFree = Math.min(vbufferFree, 0);
        // A zero-size frame so that the time spent dropping does not count as refill time.
        history.add(frameMmTime, 0, 0);
        if (Integer.compareUnsigned(serverDrops, sourceFps()) >= 0) {
            setBitRate(cutBitRate());
        } else {
            setBitRate(reducedBitRate());
        }
        serverDrops = 0;
        return true;
    }

    /**
     * The next allowed mm-time: with credit in the virtual buffer, after the average encoding
     * time (at most {@link #MAX_PERIOD_NS}); in debt, after enough source periods to repay it
     * plus half a period. A wait over {@link #MAX_PERIOD_NS} lowers the video target instead
     * and is capped. Longer gaps need a longer playback delay, so the client is told.
     */
    private void updateNextFrameMmTime() {
        long periodNs = NS_PER_S / sourceFps();
        long minDelayNs = history.averageEncodeNanos();
        minDelayNs = Long.compareUnsigned(minDelayNs, MAX_PERIOD_NS) < 0 ? minDelayNs : MAX_PERIOD_NS;
        int lastMm = history.lastMmTime();
        if (vbufferFree >= 0) {
            nextFrameMmTime = lastMm + (int) (minDelayNs / NS_PER_MS);
            return;
        }
        long debtNs = Long.divideUnsigned((long) (-vbufferFree * 8) * NS_PER_S, bitRate);
        int drops = (int) Long.divideUnsigned(debtNs + periodNs - 1, periodNs); // rounded up
        long delayNs = Integer.toUnsignedLong(drops) * periodNs + periodNs / 2;
        if (Long.compareUnsigned(delayNs, MAX_PERIOD_NS) > 0) {
            // Lower the encoder's target so that fewer frames need dropping.
            if (u64(videoBitRate) > u64(bitRate) * BITRATE_MARGIN) {
                setVideoBitRate((long) (u64(bitRate) * BITRATE_MARGIN));
            } else {
                setVideoBitRate(bitRate);
            }
            delayNs = MAX_PERIOD_NS;
        }
        nextFrameMmTime = lastMm + (int) (Math.max(delayNs, minDelayNs) / NS_PER_MS);
        if (callbacks != null) {
            callbacks.updateClientPlaybackDelay(minPlaybackDelayMs());
        }
    }
}
