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
import org.spicecodec.core.video.EncodedFrame;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.video.FrameCompressor;
import org.spicecodec.video.FramePipeline;
import org.spicecodec.video.VideoEncoderConfig;
import org.spicecodec.video.ffmpeg.FfmpegBackend;
import org.spicecodec.video.gstreamer.GstreamerBackend;
import org.spicecodec.video.gstreamer.GstreamerPipelines;
import org.spicecodec.video.jcodec.JcodecBackend;

/**
 * Video encoding of 1920x1080 RGB32 frames, BGRx → I420 conversion included: the
 * {@code fps} method's score is frames per second, {@code latency} gives per-frame times
 * (p50/p95 in the SampleTime percentiles). {@code backend}: {@code ffmpeg} (the library's
 * default), {@code gstreamer} (spice-server's pipelines verbatim, as the issue quotes them)
 * and {@code jcodec} (pure Java, H.264 only).
 *
 * <p>The frames are the desktop screenshot scrolled by 0, 4, … 28 rows (as a scrolling
 * editor), cycled, so consecutive frames differ as in a real session. Settings are the ones
 * of the {@code ffmpeg} command-line baseline: preset ultrafast, tune zerolatency, the
 * encoder's default CRF (x264 23, x265 28).
 *
 * <p>libx264/libx265 are in FFmpeg's GPL natives only; the bench jar carries them (through
 * the corpus module, by explicit choice) and JavaCPP loads them first. Setup prints which
 * encoder runs.
 */
@State(Scope.Thread)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Djava.awt.headless=true"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 4, time = 4)
public class VideoBenchmark {
    private static final int FRAMES = 8;

    /** h264 and h265 by default; vp8, vp9 and mjpeg also work (ffmpeg, gstreamer). */
    @Param({"h264", "h265"})
    public String codec;

    /**
     * {@code ffmpeg}, {@code gstreamer}, {@code jcodec}: {@link FrameCompressor#encode}, one
     * frame in and its access unit out. {@code ffmpeg-pipelined}: FFmpeg's
     * {@link FramePipeline}, which converts the next frame while the previous one encodes.
     */
    @Param({"ffmpeg", "ffmpeg-pipelined", "gstreamer"})
    public String backend = "ffmpeg";

    /** "sync" or "pipelined", from {@link #backend}. */
    String mode = "sync";

    private FrameCompressor encoder;
    private FramePipeline pipeline;
    /** Pipelined mode: access units delivered, their bytes, and the nanoTime of the last one. */
    private volatile long delivered;
    private long deliveredBytes;
    private final long[] offeredAt = new long[1024];
    private final long[] latencies = new long[1 << 16];
    private int latencyCount;
    private final SpiceBitmap[] frames = new SpiceBitmap[FRAMES];
    private final EncodedFrame out = new EncodedFrame(1 << 20);
    private int next;
    private long pts;

    @Setup(Level.Trial)
    public void setup() {
        SpiceBitmap shot = BenchImages.rgb32("screenshot");
        for (int i = 0; i < FRAMES; i++) {
            frames[i] = BenchImages.scrolled(shot, 4 * i);
        }
        VideoCodecType type = VideoCodecType.valueOf(codec.toUpperCase(java.util.Locale.ROOT));
        mode = backend.endsWith("-pipelined") ? "pipelined" : "sync";
        switch (backend.replace("-pipelined", "")) {
            case "ffmpeg" -> {
                FfmpegBackend ff = new FfmpegBackend();
                System.out.println("FFmpeg natives: " + FfmpegBackend.nativesLicense() + "; encoder " + ff.encoderName(type));
                VideoEncoderConfig.Builder b = VideoEncoderConfig.builder(type);
                if (ff.encoderName(type).startsWith("libx26")) {
                    b.preset("ultrafast").tune("zerolatency");
                }
                config = b.build();
                backendObject = ff;
                encoder = ff.openEncoder(config);
            }
            case "gstreamer" -> {
                config = VideoEncoderConfig.builder(type).build();
                GstreamerBackend gst = new GstreamerBackend();
                backendObject = gst;
                encoder = gst.openEncoder(config, GstreamerPipelines.spice(type));
            }
            case "jcodec" -> {
                config = VideoEncoderConfig.builder(type).build();
                backendObject = new JcodecBackend();
                encoder = backendObject.openEncoder(config);
            }
            default -> throw new IllegalArgumentException("backend " + backend);
        }
        // A frame that does not come out at once would make the score meaningless.
        for (int i = 0; i < FRAMES; i++) {
            if (!encode()) {
                throw new IllegalStateException("frame " + i + " did not come out at once");
            }
        }
        if ("pipelined".equals(mode)) {
            if (!(backendObject instanceof FfmpegBackend)) {
                throw new IllegalArgumentException("only FFmpeg has a pipeline of its own, not " + backend);
            }
            // The same settings again, as a pipeline (the sync encoder above proved them).
            encoder.close();
            encoder = null;
            pipeline = backendObject.openPipeline(config, this::delivered);
        }
    }

    private VideoEncoderConfig config;
    private org.spicecodec.video.VideoBackend backendObject;

    private void delivered(long ptsNanos, EncodedFrame frame) {
        if (frame == null) {
            throw new IllegalStateException("frame " + ptsNanos + " did not come out");
        }
        long i = ptsNanos / 33_333_333L;
        if (latencyCount < latencies.length && offeredAt[(int) (i % offeredAt.length)] != 0) {
            latencies[latencyCount++] = System.nanoTime() - offeredAt[(int) (i % offeredAt.length)];
        }
        deliveredBytes += frame.length();
        delivered++;
    }

    private boolean encode() {
        SpiceBitmap f = frames[next];
        next = (next + 1) % FRAMES;
        pts += 33_333_333L;
        if (pipeline != null) {
            pipeline.submit(f, 0, 0, f.width(), f.height(), pts);
            return true;
        }
        return encoder.encode(f, 0, 0, f.width(), f.height(), pts, out);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    public long fps() {
        encode();
        return pipeline != null ? deliveredBytes : out.length();
    }

    /** Per-frame time; in pipelined mode the time of a submit, which overlaps the previous encode. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long latency() {
        encode();
        return pipeline != null ? deliveredBytes : out.length();
    }

    /** Waits for the pipeline (pipelined mode) and returns the frames delivered so far. */
    long drain() {
        if (pipeline != null) {
            pipeline.flush();
        }
        return delivered;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (encoder != null) {
            encoder.close();
        }
    }

    /**
     * Without JMH: {@code codec [frames [backend [fps]]]}. Encodes {@code frames} frames after
     * a warm-up, back to back, and prints wall fps and the process CPU time per frame (the
     * figure that compares with {@code ffmpeg -benchmark}'s utime+stime / frames); then, when
     * {@code fps} is given (30 for the question), offers the same number of frames
     * paced at that rate, as a stream would, and prints the median and 95th percentile of
     * the time from offering a frame to having its access unit (for {@code ffmpeg-pipelined},
     * until the sink has it).
     */
    public static void main(String[] args) throws InterruptedException {
        VideoBenchmark b = new VideoBenchmark();
        b.codec = args.length > 0 ? args[0] : "h264";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 240;
        b.backend = args.length > 2 ? args[2] : "ffmpeg";
        int paced = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        b.setup();
        for (int i = 0; i < 60; i++) {
            b.encode();
        }
        b.drain();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long bytes = 0;
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        long before = b.delivered;
        long bytesBefore = b.deliveredBytes;
        for (int i = 0; i < n; i++) {
            if (!b.encode()) {
                throw new IllegalStateException("frame " + i + " did not come out at once");
            }
            bytes += b.out.length();
        }
        if (b.pipeline != null) {
            b.pipeline.flush();
            if (b.delivered - before != n) {
                throw new IllegalStateException((b.delivered - before) + " of " + n + " frames came out");
            }
            bytes = b.deliveredBytes - bytesBefore;
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e6;
        System.out.printf("%s %s%s: %d frames 1920x1080, %.1f fps wall, %.2f ms CPU/frame (%.1f fps per CPU-second), %d bytes/frame%n",
                b.backend, b.codec, "", n, n / wall, cpu / n, n * 1000 / cpu, bytes / n);
        if (paced > 0) {
            long period = 1_000_000_000L / paced;
            long[] lat = new long[n];
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long due = start + i * period;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                long s0 = System.nanoTime();
                b.offeredAt[(int) ((b.pts + 33_333_333L) / 33_333_333L % b.offeredAt.length)] = s0;
                b.encode();
                lat[i] = System.nanoTime() - s0;
            }
            if (b.pipeline != null) {
                // From submit to the sink, measured in the sink.
                b.pipeline.flush();
                int m = Math.min(b.latencyCount, n);
                lat = java.util.Arrays.copyOfRange(b.latencies, b.latencyCount - m, b.latencyCount);
                n = m;
            }
            java.util.Arrays.sort(lat);
            System.out.printf("%s %s at %d fps: latency median %.1f ms, p95 %.1f ms, max %.1f ms%n", b.backend, b.codec,
                    paced, lat[n / 2] / 1e6, lat[(int) (n * 0.95)] / 1e6, lat[n - 1] / 1e6);
        }
        b.tearDown();
    }
}
