package org.spicecodec.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.spicecodec.lz.LzDecoder;
import org.spicecodec.lz.LzEncoder;

/**
 * LZ (LZ_RGB32) encode and decode of one 1920x1080 RGB32 picture per operation. Scores as in
 * {@link ImageCodecBenchmark}: MB/s = {@code bytes} score / 1e6; {@code encodedBytes} is LZ stream.
 */
public class LzBenchmark extends ImageCodecBenchmark {

    /** Which bundled picture; the default run uses the screenshot only (-p image=photo for the other). */
    @Param({"screenshot"})
    public String image;

    @Setup(Level.Trial)
    public void setup() {
        prepare("LZ", image, BenchImages.rgb32(image), new LzEncoder(), new LzDecoder());
    }
}
