package org.spicecodec.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.spicecodec.core.ImageEncoder;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.lz.LzDecoder;
import org.spicecodec.lz.LzEncoder;

/**
 * LZ (LZ_RGB32) encode and decode of one 1920x1080 RGB32 picture per operation. Scores as in
 * {@link QuicBenchmark}: MB/s = {@code bytes} score / 1e6; {@code encodedBytes} is LZ stream.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Djava.awt.headless=true"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LzBenchmark {

    /** Which bundled picture; the default run uses the screenshot only (-p image=photo for the other). */
    @Param({"screenshot"})
    public String image;

    private LzEncoder encoder;
    private LzDecoder decoder;
    private SpiceBitmap source;
    private int rawBytes;

    private byte[] encodeOut;
    private byte[] encoded;
    private int encodedLength;

    private SpiceBitmap decodeDst;
    private byte[] decodeData;
    private int probe;


    @Setup(Level.Trial)
    public void setup() {
        source = BenchImages.rgb32(image);
        int w = source.width();
        int h = source.height();
        rawBytes = source.stride() * h;
        encoder = new LzEncoder();
        decoder = new LzDecoder();

        encodeOut = BenchImages.outputArray(encoder.maxEncodedLength(SpiceBitmapFormat.RGB32, w, h));
        encodedLength = encoder.encode(source, encodeOut, 0, encodeOut.length);
        if (encodedLength == ImageEncoder.DOES_NOT_FIT || encodedLength <= 0) {
            throw new IllegalStateException("LZ encode of " + image + " returned " + encodedLength);
        }
        encoded = Arrays.copyOf(encodeOut, encodedLength);

        decodeDst = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, w, h);
        decodeData = decodeDst.data();
        decoder.decode(encoded, 0, encodedLength, decodeDst);
        BenchImages.checkSame(source.data(), decodeData, false, "LZ round trip of " + image);
        probe = decodeData.length / 2;
    }

    public int encodedLength() {
        return encodedLength;
    }

    public int rawBytes() {
        return rawBytes;
    }

    @Benchmark
    public int encode(ByteCounters counter) {
        int n = encoder.encode(source, encodeOut, 0, encodeOut.length);
        counter.bytes += rawBytes;
        counter.encodedBytes += n;
        return n;
    }

    @Benchmark
    public byte decode(ByteCounters counter) {
        decoder.decode(encoded, 0, encodedLength, decodeDst);
        counter.bytes += rawBytes;
        counter.encodedBytes += encodedLength;
        return decodeData[probe];
    }
}
