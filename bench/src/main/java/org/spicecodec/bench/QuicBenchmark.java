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
import org.spicecodec.quic.QuicDecoder;
import org.spicecodec.quic.QuicEncoder;

/**
 * QUIC encode and decode of one 1920x1080 RGB32 picture per run.
 *
 * <p>The primary score is images per second; the {@code bytes} secondary score is raw
 * pixel bytes (width * height * 4) per second, so MB/s = bytes score / 1e6. The setup checks
 * that the picture round-trips, so a broken codec fails instead of being timed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Djava.awt.headless=true"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class QuicBenchmark {

    /** Which bundled picture: a desktop screenshot or a photograph. */
    @Param({"screenshot", "photo"})
    public String image;

    private QuicEncoder encoder;
    private QuicDecoder decoder;
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

        encoder = new QuicEncoder();
        decoder = new QuicDecoder();

        encodeOut = BenchImages.outputArray(encoder.maxEncodedLength(SpiceBitmapFormat.RGB32, w, h));
        encodedLength = encoder.encode(source, encodeOut, 0, encodeOut.length);
        if (encodedLength == ImageEncoder.DOES_NOT_FIT || encodedLength <= 0) {
            throw new IllegalStateException("QUIC encode of " + image + " returned " + encodedLength);
        }
        encoded = Arrays.copyOf(encodeOut, encodedLength);

        decodeDst = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, w, h);
        decodeData = decodeDst.data();
        decoder.decode(encoded, 0, encodedLength, decodeDst);
        BenchImages.checkSame(source.data(), decodeData, false, "QUIC round trip of " + image);
        probe = decodeData.length / 2;
    }

    /** Bytes of the encoded picture, for reports. */
    public int encodedLength() {
        return encodedLength;
    }

    /** Raw pixel bytes of the picture (width * height * 4). */
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
