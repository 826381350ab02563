package org.spicecodec.video;

/**
 * The encoded-frame history of {@link SpiceBitRateControl}: a ring of the last
 * {@value #HISTORY_SIZE} frames (mm-time, size, encoding time) plus the running sums of the
 * statistics window, the newest {@value #STATISTICS_COUNT} frames at most (spice-server's
 * {@code SPICE_GST_HISTORY_SIZE} and {@code SPICE_GST_FRAME_STATISTICS_COUNT}).
 *
 * <p>mm-times and sizes are {@code uint32} values held in {@code int}s. Preallocated arrays
 * only: adding a frame allocates nothing.
 *
 * <p>Like spice-server's, a fresh history is not empty: slot 0 is a frame of size 0 (its
 * mm-time is set when the stream starts), and it is the first frame of the window.
 */
final class FrameHistory {
    /** Frames kept; must be at least {@link #STATISTICS_COUNT}. */
    static final int HISTORY_SIZE = 60;
    /**
     * Frames in the statistics window: enough for I and P frames to average out, few enough
     * to follow the current situation.
     */
    static final int STATISTICS_COUNT = 21;

    private final int[] mmTime = new int[HISTORY_SIZE];
    private final int[] size = new int[HISTORY_SIZE];
    private final long[] durationNanos = new long[HISTORY_SIZE];

    /** Oldest and newest recorded slots. */
    private int first;
    private int last;
    /** Oldest slot of the statistics window; the window ends at {@link #last}. */
    private int statFirst;
    private long statDurationSum;
    private long statSizeSum;

    /** Sets the mm-time of the initial (zero-size) frame, when the stream starts. */
    void setInitialMmTime(int mm) {
        mmTime[0] = mm;
    }

    int lastMmTime() {
        return mmTime[last];
    }

    int statFirstMmTime() {
        return mmTime[statFirst];
    }

    /** Frames in the statistics window (1..{@value #STATISTICS_COUNT}). */
    int statCount() {
        return last - statFirst + (last < statFirst ? HISTORY_SIZE : 0) + 1;
    }

    /** Sum of the window's frame sizes in bytes. */
    long statSizeSum() {
        return statSizeSum;
    }

    /** Average encoding time over the window, ns. */
    long averageEncodeNanos() {
        return Long.divideUnsigned(statDurationSum, statCount());
    }

    /** Average frame size over the window, bytes (uint32). */
    int averageSize() {
        return (int) Long.divideUnsigned(statSizeSum, statCount());
    }

    /** Largest frame of the window, bytes (uint32); at most 21 slots are scanned. */
    int maximumSize() {
        int max = 0;
        int i = last;
        while (true) {
            if (Integer.compareUnsigned(size[i], max) > 0) {
                max = size[i];
            }
            if (i == statFirst) {
                return max;
            }
            i = (i == 0 ? HISTORY_SIZE : i) - 1;
        }
    }

    /** Records a frame; the window slides once it holds {@value #STATISTICS_COUNT} frames. */
    void add(int mm, long encodeNanos, int bytes) {
        if (statCount() == STATISTICS_COUNT) {
            statDurationSum -= durationNanos[statFirst];
            statSizeSum -= Integer.toUnsignedLong(size[statFirst]);
            statFirst = (statFirst + 1) % HISTORY_SIZE;
        }
        statDurationSum += encodeNanos;
        statSizeSum += Integer.toUnsignedLong(bytes);
        last = (last + 1) % HISTORY_SIZE;
        if (last == first) {
            first = (first + 1) % HISTORY_SIZE;
        }
        mmTime[last] = mm;
        durationNanos[last] = encodeNanos;
        size[last] = bytes;
    }

    /** After a bit-rate change older frames no longer describe the situation: the window restarts at the newest frame. */
    void restartStatistics() {
        statFirst = last;
        statDurationSum = durationNanos[last];
        statSizeSum = Integer.toUnsignedLong(size[last]);
    }

    /**
     * The bit rate of the frames {@code from}..{@code to} (mm-times of the first and last
     * frame of a client report), or 0 when the period is not in the history.
     *
     * <p>The period's last frame counts only when a newer frame tells how long it lasted;
     * otherwise the period ends at {@code to}'s mm-time and its size is left out. spice-server
     * does this sum in 32 bits ({@code (bytes − 1) × 8 × 1000} wraps beyond ~512 KiB); the same
     * arithmetic is kept here so that decisions match.
     */
    long periodBitRate(int from, int to) {
        int sum = 0;          // bytes + 1 once the period's end was found, 0 before
        int endMm = 0;        // mm-time at which the period ends
        int i = last;
        while (true) {
            int mm = mmTime[i];
            if (mm == to) {
                if (endMm == 0) {
                    sum = 1;
                    endMm = to;
                } else {
                    sum = size[i] + 1;
                }
            } else if (mm == from) {
                sum += size[i];
                int elapsed = endMm - from;
                if (elapsed == 0) {
                    return 0; // duplicate mm-times; spice-server would divide by zero here
                }
                return Integer.toUnsignedLong(Integer.divideUnsigned((sum - 1) * 8 * 1000, elapsed));
            } else if (sum != 0) {
                sum += size[i];
            } else {
                endMm = mm;
            }
            if (i == first) {
                return 0;
            }
            i = (i == 0 ? HISTORY_SIZE : i) - 1;
        }
    }
}
