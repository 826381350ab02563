package org.spicecodec.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.spicecodec.core.ImageDecoder;
import org.spicecodec.core.ImageEncoder;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;

/**
 * Encode and decode of one 1920x1080 RGB32 picture per operation through an
 * {@link ImageEncoder} and its {@link ImageDecoder}: the {@code encode} and {@code decode}
 * benchmarks of each subclass, which JMH lists under the subclass's name. A subclass declares
 * its {@code image} parameter (the values differ) and calls {@link #prepare} from its setup.
 *
 * <p>The primary score is images per second; the {@code bytes} secondary score is raw
 * pixel bytes (width * height * 4) per second, so MB/s = bytes score / 1e6, and
 * {@code encodedBytes} is the encoded stream. The setup checks that the picture round-trips,
 * so a broken codec fails instead of being timed.
 */
// JMH's class annotations are @Inherited: every subclass runs with these settings.
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Djava.awt.headless=true"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public abstract class ImageCodecBenchmark {

    private ImageEncoder encoder;
    private ImageDecoder decoder;
    SpiceBitmap source;
    private int rawBytes;

    byte[] encodeOut;
    private byte[] encoded;
    private int encodedLength;

    SpiceBitmap decodeDst;
    byte[] decodeData;
    private int probe;

    /**
     * Encodes {@code source}, the bundled picture {@code image}, once (the stream {@code decode}
     * decodes) and checks that it decodes back to the picture; {@code codec} and {@code image}
     * name them in failures.
     */
    final void prepare(String codec, String image, SpiceBitmap source, ImageEncoder encoder, ImageDecoder decoder) {
        this.source = source;
        this.encoder = encoder;
        this.decoder = decoder;
        int w = source.width();
        int h = source.height();
        rawBytes = source.stride() * h;

        encodeOut = BenchImages.outputArray(encoder.maxEncodedLength(SpiceBitmapFormat.RGB32, w, h));
        encodedLength = encoder.encode(source, encodeOut, 0, encodeOut.length);
        if (encodedLength == ImageEncoder.DOES_NOT_FIT || encodedLength <= 0) {
            throw new IllegalStateException(codec + " encode of " + image + " returned " + encodedLength);
        }
        encoded = Arrays.copyOf(encodeOut, encodedLength);

        decodeDst = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, w, h);
        decodeData = decodeDst.data();
        decoder.decode(encoded, 0, encodedLength, decodeDst);
        BenchImages.checkSame(source.data(), decodeData, false, codec + " round trip of " + image);
        probe = decodeData.length / 2;
    }

    /**
     * Called at the start of every {@code decode} operation, before the decoder runs; does
     * nothing by default. For a decoder with state that must not carry over (GLZ's window).
     */
    void beforeDecode() {
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
        beforeDecode();
        decoder.decode(encoded, 0, encodedLength, decodeDst);
        counter.bytes += rawBytes;
        counter.encodedBytes += encodedLength;
        return decodeData[probe];
    }
}
