package org.spicecodec.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs the benchmark's setup and one call of each method, so a broken bench fails the build, not a JMH run. */
class QuicBenchmarkTest {

    @ParameterizedTest
    @ValueSource(strings = {"screenshot", "photo"})
    void setupRoundTripsAndMethodsCountBytes(String image) {
        QuicBenchmark b = new QuicBenchmark();
        b.image = image;
        b.setup();
        assertThat(b.rawBytes()).isEqualTo(1920 * 1080 * 4);

        ByteCounters counter = new ByteCounters();
        counter.reset();
        assertThat(b.encode(counter)).isEqualTo(b.encodedLength());
        b.decode(counter);
        assertThat(counter.bytes).isEqualTo(2L * 1920 * 1080 * 4);
        assertThat(counter.encodedBytes).isEqualTo(2L * b.encodedLength());
    }
}
