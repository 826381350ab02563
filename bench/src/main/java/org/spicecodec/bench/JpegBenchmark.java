package org.spicecodec.bench;

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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.video.EncodedFrame;
import org.spicecodec.jpeg.JpegDecoder;
import org.spicecodec.jpeg.JpegEngines;
import org.spicecodec.jpeg.JpegFrameEncoder;

/**
 * JPEG engines on one 1920x1080 RGB32 picture per run: encode (what every MJPEG frame and
 * JPEG image costs the server) and decode of that engine's JPEG with {@link JpegDecoder}
 * (the client side, ImageIO).
 *
 * <p>The primary score is frames per second; {@code bytes} is raw pixel bytes per second and
 * {@code encodedBytes} JPEG bytes per second (divide by the primary score for the frame size).
 * SPICE's MJPEG quality ladder is 20…80 and stills use 85: {@code -p quality=20,30,40,50,60,70,80,85}.
 * The setup decodes the engine's output and checks its PSNR, so a broken engine fails instead
 * of being timed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Djava.awt.headless=true"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class JpegBenchmark {

    /** The JPEG engine: FFmpeg's mjpeg encoder (JavaCPP) or the JDK's ImageIO writer. */
    @Param({"ffmpeg", "imageio"})
    public String engine;

    /** IJG quality. */
    @Param({"50", "85"})
    public int quality;

    /** Which bundled picture (see {@link BenchImages#resourceFor}). */
    @Param({"photo"})
    public String image;

    /** Lowest acceptable PSNR of a decoded frame; q20 on the photo measures about 30 dB. */
    private static final double FLOOR_DB = 25;

    private JpegFrameEncoder encoder;
    private final JpegDecoder decoder = new JpegDecoder();
    private final EncodedFrame out = new EncodedFrame(1 << 20);
    private SpiceBitmap source;
    private int rawBytes;
    private byte[] jpeg;
    private SpiceBitmap decodeDst;
    private byte[] decodeData;
    private int probe;

    @Setup(Level.Trial)
    public void setup() {
        source = BenchImages.rgb32(image);
        int w = source.width();
        int h = source.height();
        rawBytes = source.stride() * h;
        encoder = switch (engine) {
            case "ffmpeg" -> JpegEngines.ffmpeg();
            case "imageio" -> JpegEngines.imageIo();
            default -> throw new IllegalArgumentException("unknown engine " + engine);
        };
        int n = encoder.encode(source, 0, 0, w, h, quality, out);
        jpeg = out.toByteArray();
        decodeDst = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, w, h);
        decodeData = decodeDst.data();
        decoder.decode(jpeg, 0, n, decodeDst);
        double psnr = psnr(source.data(), decodeData);
        if (psnr < FLOOR_DB) {
            throw new IllegalStateException(engine + " q" + quality + " decodes at " + psnr + " dB");
        }
        probe = decodeData.length / 2;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        encoder.close();
    }

    @Benchmark
    public int encode(ByteCounters counter) {
        int n = encoder.encode(source, 0, 0, source.width(), source.height(), quality, out);
        counter.bytes += rawBytes;
        counter.encodedBytes += n;
        return n;
    }

    @Benchmark
    public byte decode(ByteCounters counter) {
        decoder.decode(jpeg, 0, jpeg.length, decodeDst);
        counter.bytes += rawBytes;
        counter.encodedBytes += jpeg.length;
        return decodeData[probe];
    }

    /** PSNR over B, G, R of two RGB32 arrays (byte 3 is padding). */
    private static double psnr(byte[] a, byte[] b) {
        double se = 0;
        for (int i = 0; i < a.length; i++) {
            if ((i & 3) != 3) {
                int d = (a[i] & 0xFF) - (b[i] & 0xFF);
                se += d * d;
            }
        }
        double mse = se / (a.length / 4 * 3.0);
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255 / mse);
    }
}
