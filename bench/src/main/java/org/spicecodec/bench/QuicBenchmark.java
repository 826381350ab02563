package org.spicecodec.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.spicecodec.quic.QuicDecoder;
import org.spicecodec.quic.QuicEncoder;

/**
 * QUIC encode and decode of one 1920x1080 RGB32 picture per run; scores and checks as in
 * {@link ImageCodecBenchmark}.
 */
public class QuicBenchmark extends ImageCodecBenchmark {

    /** Which bundled picture: a desktop screenshot or a photograph. */
    @Param({"screenshot", "photo"})
    public String image;

    @Setup(Level.Trial)
    public void setup() {
        prepare("QUIC", image, BenchImages.rgb32(image), new QuicEncoder(), new QuicDecoder());
    }
}
