package org.spicecodec.video.gstreamer;

import java.util.Arrays;
import java.util.Locale;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.video.EncodedFrame;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.video.FrameCompressor;
import org.spicecodec.video.VideoEncoderConfig;

/**
 * A quick measurement, not a test: frames per second and per-frame latency (push to pulled
 * access unit) of the verbatim SPICE pipelines on 1920x1080 BGRx frames of panning photo
 * content, and the process CPU time per frame (which a loaded, shared machine distorts less
 * than wall-clock rates). Usage: {@code GstreamerThroughput [h264Frames] [h265Frames]}.
 */
public final class GstreamerThroughput {
    private GstreamerThroughput() {
    }

    public static void main(String[] args) {
        int h264Frames = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int h265Frames = args.length > 1 ? Integer.parseInt(args[1]) : 80;
        int w = 1920;
        int h = 1080;
        SpiceBitmap[] frames = new SpiceBitmap[16];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = Frames.frame(i * 4, w, h);
        }
        GstreamerBackend backend = new GstreamerBackend();
        run("SPICE_H264 (verbatim)", backend.openEncoder(VideoEncoderConfig.spice(VideoCodecType.H264),
                GstreamerPipelines.SPICE_H264), frames, h264Frames);
        run("spice(H264) config (I420)", backend.openEncoder(VideoEncoderConfig.spice(VideoCodecType.H264)),
                frames, h264Frames);
        run("SPICE_H265 (verbatim)", backend.openEncoder(VideoEncoderConfig.spice(VideoCodecType.H265),
                GstreamerPipelines.SPICE_H265), frames, h265Frames);
    }

    private static void run(String name, FrameCompressor enc, SpiceBitmap[] frames, int n) {
        EncodedFrame out = new EncodedFrame(4 << 20);
        long[] latency = new long[n];
        long bytes = 0;
        try (enc) {
            for (int i = 0; i < 5; i++) { // start-up and warm-up, not measured
                enc.encode(frames[i % frames.length], 0, 0, 1920, 1080, i * 33_333_333L, out);
            }
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                if (!enc.encode(frames[i % frames.length], 0, 0, 1920, 1080, (i + 5) * 33_333_333L, out)) {
                    throw new IllegalStateException("frame " + i + " dropped");
                }
                latency[i] = System.nanoTime() - t0;
                bytes += out.length();
            }
            long total = System.nanoTime() - start;
            double cpuMs = (os.getProcessCpuTime() - cpu0) / 1e6 / n;
            Arrays.sort(latency);
            System.out.printf(Locale.ROOT, "%-28s %4d frames: %6.1f fps, latency median %5.1f ms, p95 %5.1f ms,"
                    + " %6.0f kbit/s at 30 fps, process CPU %5.1f ms/frame%n", name, n, n * 1e9 / total,
                    latency[n / 2] / 1e6, latency[(int) (n * 0.95)] / 1e6, bytes * 8.0 * 30 / n / 1000, cpuMs);
        }
    }
}
