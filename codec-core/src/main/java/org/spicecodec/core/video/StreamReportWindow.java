package org.spicecodec.core.video;

/**
 * The client side of SPICE's adaptive streaming (streams.md §6.3, spice-gtk): counts the
 * frames of one stream as they arrive and says when a STREAM_REPORT is due.
 *
 * <p>A frame is a drop when it arrives late, that is when its margin (its mm-time minus the
 * client's mm-time at arrival) is negative. A report is due after {@link #maxWindowSize}
 * frames, when a frame arrives {@link #timeoutMs} or more after the window's first frame, or
 * after 3 drops in a row. The window then restarts. Allocation-free; not thread-safe.
 */
public final class StreamReportWindow {
    /** RED_STREAM_CLIENT_REPORT_WINDOW: the max_window_size of STREAM_ACTIVATE_REPORT. */
    public static final int DEFAULT_MAX_WINDOW_SIZE = 5;
    /** RED_STREAM_CLIENT_REPORT_TIMEOUT, in ms. */
    public static final int DEFAULT_TIMEOUT_MS = 1000;
    /** Consecutive late frames that force a report. */
    public static final int MAX_CONSECUTIVE_DROPS = 3;
    /** audio_delay when the client plays no audio. */
    public static final int NO_AUDIO = -1;

    private final int maxWindowSize;
    private final int timeoutMs;

    private int numFrames;
    private int numDrops;
    private int consecutiveDrops;
    private int startFrameMmTime;
    private long startLocalMs;

    // The report that became due with the last frame.
    private int reportFrames;
    private int reportDrops;
    private int reportStart;
    private int reportEnd;
    private int reportDelay;

    public StreamReportWindow() {
        this(DEFAULT_MAX_WINDOW_SIZE, DEFAULT_TIMEOUT_MS);
    }

    /** The window of a STREAM_ACTIVATE_REPORT message. */
    public StreamReportWindow(int maxWindowSize, int timeoutMs) {
        if (maxWindowSize < 1 || timeoutMs < 1) {
            throw new IllegalArgumentException("window " + maxWindowSize + " frames, " + timeoutMs + " ms");
        }
        this.maxWindowSize = maxWindowSize;
        this.timeoutMs = timeoutMs;
    }

    public int maxWindowSize() {
        return maxWindowSize;
    }

    public int timeoutMs() {
        return timeoutMs;
    }

    /** Restarts the window, as STREAM_ACTIVATE_REPORT does. */
    public void reset() {
        numFrames = 0;
        numDrops = 0;
        consecutiveDrops = 0;
    }

    /**
     * Counts a frame that arrived.
     *
     * @param frameMmTime    the frame's multi_media_time (uint32)
     * @param clientMmTimeMs the client's mm-time at arrival (uint32)
     * @param localTimeMs    the client's monotonic clock in ms, for the window timeout
     * @return {@code true} if a report is due now; read it with the {@code report*} getters
     */
    public boolean frameArrived(int frameMmTime, int clientMmTimeMs, long localTimeMs) {
        int margin = frameMmTime - clientMmTimeMs;
        if (numFrames == 0) {
            startFrameMmTime = frameMmTime;
            startLocalMs = localTimeMs;
        }
        numFrames++;
        if (margin < 0) {
            numDrops++;
            consecutiveDrops++;
        } else {
            consecutiveDrops = 0;
        }
        boolean due = numFrames >= maxWindowSize
                || localTimeMs - startLocalMs >= timeoutMs
                || consecutiveDrops >= MAX_CONSECUTIVE_DROPS;
        if (due) {
            reportFrames = numFrames;
            reportDrops = numDrops;
            reportStart = startFrameMmTime;
            reportEnd = frameMmTime;
            reportDelay = margin;
            reset();
        }
        return due;
    }

    /** num_frames of the due report. */
    public int reportFrames() {
        return reportFrames;
    }

    /** num_drops of the due report. */
    public int reportDrops() {
        return reportDrops;
    }

    /** start_frame_mm_time of the due report. */
    public int reportStartMmTime() {
        return reportStart;
    }

    /** end_frame_mm_time of the due report. */
    public int reportEndMmTime() {
        return reportEnd;
    }

    /** last_frame_delay of the due report: the last frame's margin in ms (signed). */
    public int reportLastFrameDelay() {
        return reportDelay;
    }

    /** Hands the due report to an encoder, as the server does on STREAM_REPORT. */
    public void deliverTo(VideoEncoder encoder, int audioDelay) {
        encoder.clientStreamReport(reportFrames, reportDrops, reportStart, reportEnd, reportDelay, audioDelay);
    }
}
