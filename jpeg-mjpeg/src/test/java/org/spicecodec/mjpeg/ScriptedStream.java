package org.spicecodec.mjpeg;

import org.spicecodec.core.video.MonotonicClock;
import org.spicecodec.core.video.VideoStreamCallbacks;

/**
 * A scripted clock and stream for rate-control tests: time moves only when the test says so,
 * RTT and source fps are fixed, and playback delay requests are counted and the last one kept
 * (recording allocates nothing).
 */
final class ScriptedStream implements MonotonicClock, VideoStreamCallbacks {
    /** Creation time: far from 0, which the rate control treats as "unset". */
    static final long T0 = 10_000_000_000L;
    /** Mm-time at T0. */
    static final int MM0 = 100_000;

    long now = T0;
    int roundTripMs;
    int sourceFps;
    private int numDelays;
    private int lastDelay = -1;

    ScriptedStream(int roundTripMs, int sourceFps) {
        this.roundTripMs = roundTripMs;
        this.sourceFps = sourceFps;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    /** Sets the clock to {@code ms} after T0. */
    void atMs(long ms) {
        now = T0 + ms * 1_000_000L;
    }

    /** The mm-time {@code ms} after T0. */
    static int mm(long ms) {
        return (int) (MM0 + ms);
    }

    @Override
    public int roundTripMs() {
        return roundTripMs;
    }

    @Override
    public int sourceFps() {
        return sourceFps;
    }

    @Override
    public void updateClientPlaybackDelay(int delayMs) {
        numDelays++;
        lastDelay = delayMs;
    }

    int delayRequests() {
        return numDelays;
    }

    /** The last requested playback delay, or -1 if none. */
    int lastDelay() {
        return lastDelay;
    }
}
