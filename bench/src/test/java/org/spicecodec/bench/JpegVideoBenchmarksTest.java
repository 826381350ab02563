package org.spicecodec.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Runs each benchmark's setup and a few calls, so a broken bench fails the build, not a JMH run. */
class JpegVideoBenchmarksTest {

    @ParameterizedTest
    @CsvSource({"ffmpeg, 85", "imageio, 50"})
    void jpegEncodesAndDecodesTheFrame(String engine, int quality) {
        JpegBenchmark b = new JpegBenchmark();
        b.engine = engine;
        b.quality = quality;
        b.image = "photo";
        b.setup();
        try {
            ByteCounters counter = new ByteCounters();
            counter.reset();
            int n = b.encode(counter);
            assertThat(n).isBetween(20_000, 1_000_000);
            b.decode(counter);
            assertThat(counter.bytes).isEqualTo(2L * 1920 * 1080 * 4);
        } finally {
            b.tearDown();
        }
    }

    @ParameterizedTest
    @CsvSource({"h264, ffmpeg", "h265, ffmpeg", "h264, gstreamer", "vp8, ffmpeg", "h264, ffmpeg-pipelined"})
    void videoEncodesOneAccessUnitPerFrame(String codec, String backend) {
        VideoBenchmark b = new VideoBenchmark();
        b.codec = codec;
        b.backend = backend;
        b.setup(); // fails unless every one of the 8 frames comes out at once
        try {
            b.fps();
            b.latency();
            if (backend.endsWith("-pipelined")) {
                assertThat(b.drain()).isEqualTo(2); // both frames reached the sink
            }
            assertThat(b.fps()).isPositive();
        } finally {
            b.tearDown();
        }
    }
}
