package org.spicecodec.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
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
import org.spicecodec.core.ImageLimits;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.lz4.Lz4Codec;
import org.spicecodec.lz4.Lz4ImageDecoder;
import org.spicecodec.lz4.Lz4ImageEncoder;
import org.spicecodec.lz4.VmcLz4;

/**
 * LZ4 through lz4-java, on its JNI binding ({@code impl=native}) and its pure-Java port
 * ({@code impl=java}):
 * <ul>
 * <li>{@code imageEncode}, {@code imageDecode}: the LZ4 image payload of the 1920x1080
 *     screenshot as RGB32 (one LZ4 block);</li>
 * <li>{@code vmcCompress}, {@code vmcDecompress}: the spicevmc framing ({@link VmcLz4}) on
 *     {@value #VMC_PAYLOADS} payloads of 64 KiB per operation, mixed data: slices of the raw
 *     screenshot (compressible) and of a PNG file (already compressed, so LZ4 cannot shrink
 *     them and they go as DATA).</li>
 * </ul>
 * MB/s = {@code bytes} score / 1e6, of uncompressed bytes. In {@code vmcDecompress} a payload
 * that went as DATA is copied to the output, as a receiver hands it on, so the mix is timed
 * both ways.
 *
 * <p>Allocation: none, except lz4-java's pure-Java compressor, which allocates its hash table
 * for every block (16 KiB per image or payload).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// Native access: on JDK 24+ loading the JNI library otherwise prints a warning (JDK 17 accepts the flag).
@Fork(value = 1, jvmArgsAppend = {"-Djava.awt.headless=true", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class Lz4Benchmark {
    /** Payload size of the spicevmc benchmarks: what spice-server reads from a device at once. */
    public static final int VMC_PAYLOAD = 64 * 1024;
    /** Payloads per vmc operation. */
    public static final int VMC_PAYLOADS = 8;
    /** How many of them are slices of a compressed file; the others are raw screenshot. */
    public static final int VMC_COMPRESSED_SLICES = 2;

    /** lz4-java's implementation: {@code native} (JNI, fails if it cannot load) or {@code java}. */
    @Param({"native", "java"})
    public String impl;

    private Lz4Codec codec;

    private SpiceBitmap source;
    private int rawBytes;
    private Lz4ImageEncoder imageEncoder;
    private Lz4ImageDecoder imageDecoder;
    private byte[] imageOut;
    private byte[] imageEncoded;
    private int imageEncodedLength;
    private SpiceBitmap imageDst;
    private byte[] imageDstData;
    private int probe;

    private VmcLz4 vmc;
    private byte[][] payloads;
    private byte[] vmcOut;
    private byte[][] bodies;
    /** Body length, or {@link VmcLz4#SEND_AS_DATA} for a payload that goes as DATA. */
    private int[] bodyLengths;
    private long vmcEncodedBytes;
    private byte[] vmcDst;


    @Setup(Level.Trial)
    public void setup() {
        // Lz4Codec.of fails rather than falling back, so impl=native never silently measures Java.
        codec = Lz4Codec.of(Lz4Codec.Impl.valueOf(impl.toUpperCase(Locale.ROOT)));

        source = BenchImages.rgb32("screenshot");
        int w = source.width();
        int h = source.height();
        rawBytes = source.stride() * h;
        imageEncoder = new Lz4ImageEncoder(codec);
        imageDecoder = new Lz4ImageDecoder(ImageLimits.DEFAULT, codec);
        imageOut = BenchImages.outputArray(imageEncoder.maxEncodedLength(SpiceBitmapFormat.RGB32, w, h));
        imageEncodedLength = imageEncoder.encode(source, imageOut, 0, imageOut.length);
        if (imageEncodedLength <= 0) {
            throw new IllegalStateException("LZ4 image encode returned " + imageEncodedLength);
        }
        imageEncoded = Arrays.copyOf(imageOut, imageEncodedLength);
        imageDst = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, w, h);
        imageDstData = imageDst.data();
        imageDecoder.decode(imageEncoded, 0, imageEncodedLength, imageDst);
        // LZ4 carries all four bytes of RGB32.
        BenchImages.checkSame(source.data(), imageDstData, true, "LZ4 image round trip (" + impl + ")");
        probe = imageDstData.length / 2;

        vmc = new VmcLz4(codec, VmcLz4.DEFAULT_MAX_UNCOMPRESSED_SIZE);
        payloads = mixedPayloads(source.data(), readResource(BenchImages.resourceFor("photo")));
        vmcOut = new byte[VmcLz4.maxBodyLength(VMC_PAYLOAD)];
        vmcDst = new byte[VMC_PAYLOAD];
        bodies = new byte[VMC_PAYLOADS][];
        bodyLengths = new int[VMC_PAYLOADS];
        vmcEncodedBytes = 0;
        for (int i = 0; i < VMC_PAYLOADS; i++) {
            int n = vmc.compress(payloads[i], 0, VMC_PAYLOAD, vmcOut, 0);
            bodyLengths[i] = n;
            if (n == VmcLz4.SEND_AS_DATA) {
                bodies[i] = payloads[i];
                vmcEncodedBytes += VMC_PAYLOAD;
            } else {
                bodies[i] = Arrays.copyOf(vmcOut, n);
                vmcEncodedBytes += n;
                int got = vmc.decompress(bodies[i], 0, n, vmcDst, 0);
                if (got != VMC_PAYLOAD) {
                    throw new IllegalStateException("VmcLz4 payload " + i + " decompressed to " + got + " bytes");
                }
                BenchImages.checkSame(payloads[i], vmcDst, true, "VmcLz4 round trip of payload " + i + " (" + impl + ")");
            }
        }
    }

    /**
     * {@value #VMC_PAYLOADS} slices of 64 KiB: the first {@value #VMC_COMPRESSED_SLICES} from
     * the middle of {@code compressed}, the others spread over {@code raw}.
     */
    static byte[][] mixedPayloads(byte[] raw, byte[] compressed) {
        byte[][] p = new byte[VMC_PAYLOADS][];
        int rawSlices = VMC_PAYLOADS - VMC_COMPRESSED_SLICES;
        for (int i = 0; i < VMC_PAYLOADS; i++) {
            if (i < VMC_COMPRESSED_SLICES) {
                // Skip the PNG header chunks: the slices are deflate data.
                int from = compressed.length / 4 + i * VMC_PAYLOAD;
                p[i] = Arrays.copyOfRange(compressed, from, from + VMC_PAYLOAD);
            } else {
                int k = i - VMC_COMPRESSED_SLICES;
                int from = (int) ((long) (raw.length - VMC_PAYLOAD) * k / Math.max(rawSlices - 1, 1));
                p[i] = Arrays.copyOfRange(raw, from, from + VMC_PAYLOAD);
            }
        }
        return p;
    }

    static byte[] readResource(String name) {
        try (InputStream in = Lz4Benchmark.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int imageEncodedLength() {
        return imageEncodedLength;
    }

    public long vmcEncodedBytes() {
        return vmcEncodedBytes;
    }

    /** Which implementation the setup got. */
    public Lz4Codec codec() {
        return codec;
    }

    @Benchmark
    public int imageEncode(ByteCounters counter) {
        int n = imageEncoder.encode(source, imageOut, 0, imageOut.length);
        counter.bytes += rawBytes;
        counter.encodedBytes += n;
        return n;
    }

    @Benchmark
    public byte imageDecode(ByteCounters counter) {
        imageDecoder.decode(imageEncoded, 0, imageEncodedLength, imageDst);
        counter.bytes += rawBytes;
        counter.encodedBytes += imageEncodedLength;
        return imageDstData[probe];
    }

    @Benchmark
    public long vmcCompress(ByteCounters counter) {
        long total = 0;
        for (int i = 0; i < VMC_PAYLOADS; i++) {
            int n = vmc.compress(payloads[i], 0, VMC_PAYLOAD, vmcOut, 0);
            total += n == VmcLz4.SEND_AS_DATA ? VMC_PAYLOAD : n;
        }
        counter.bytes += (long) VMC_PAYLOADS * VMC_PAYLOAD;
        counter.encodedBytes += total;
        return total;
    }

    @Benchmark
    public byte vmcDecompress(ByteCounters counter) {
        for (int i = 0; i < VMC_PAYLOADS; i++) {
            if (bodyLengths[i] == VmcLz4.SEND_AS_DATA) {
                System.arraycopy(bodies[i], 0, vmcDst, 0, VMC_PAYLOAD);
            } else {
                vmc.decompress(bodies[i], 0, bodyLengths[i], vmcDst, 0);
            }
        }
        counter.bytes += (long) VMC_PAYLOADS * VMC_PAYLOAD;
        counter.encodedBytes += vmcEncodedBytes;
        return vmcDst[VMC_PAYLOAD / 2];
    }
}
