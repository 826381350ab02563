package org.spicecodec.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Runs the setup and a few calls of each method of {@link AudioBenchmark}, so a broken bench fails the build. */
class AudioBenchmarkTest {
    @Test
    void setupRoundTripsAndMethodsCountAudioSeconds() {
        AudioBenchmark b = new AudioBenchmark();
        b.setup();
        assertThat(b.frames()).isEqualTo(AudioBenchmark.SECONDS * 100);
        assertThat(b.roundTripSnrDb()).isGreaterThan(AudioBenchmark.MIN_SNR_DB);
        // About 100 kbit/s: SPICE's automatic bit rate.
        double kbps = b.encodedBytes() * 8.0 / AudioBenchmark.SECONDS / 1000;
        assertThat(kbps).isBetween(60.0, 140.0);

        AudioBenchmark.Audio c = new AudioBenchmark.Audio();
        c.reset();
        // More calls than frames: both methods wrap around to the start of the signal.
        int calls = b.frames() + 5;
        for (int i = 0; i < calls; i++) {
            assertThat(b.encode(c)).isPositive();
            b.decode(c);
        }
        assertThat(c.audioSeconds).isCloseTo(2 * calls * 0.01, within(1e-9));
        assertThat(c.encodedBytes).isPositive();
    }

    @Test
    void signalIsDeterministic() {
        assertThat(AudioBenchmark.music(4800, 2, 1)).isEqualTo(AudioBenchmark.music(4800, 2, 1));
    }
}
