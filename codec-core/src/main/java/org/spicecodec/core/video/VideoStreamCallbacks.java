package org.spicecodec.core.video;

/**
 * What a stream tells its encoder (the callbacks of spice-server's {@code VideoEncoderRateControlCbs}).
 * Implementations are called from the encoding thread and must be cheap.
 */
public interface VideoStreamCallbacks {

    /** The channel's round-trip time in ms (spice-server falls back to the main channel's net test). */
    int roundTripMs();

    /** The stream's measured input frame rate ({@code input_fps}). */
    int sourceFps();

    /** The encoder asks the client to delay playback by this many ms (mm-time latency). */
    void updateClientPlaybackDelay(int delayMs);

    /** Constant RTT and source fps; playback delay requests are ignored. */
    static VideoStreamCallbacks fixed(int roundTripMs, int sourceFps) {
        return new VideoStreamCallbacks() {
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
            }
        };
    }
}
