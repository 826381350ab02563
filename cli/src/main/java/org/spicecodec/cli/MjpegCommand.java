package org.spicecodec.cli;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.video.StreamSimulation;
import org.spicecodec.jpeg.JpegEngines;
import org.spicecodec.mjpeg.MjpegEncoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "mjpeg",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {
            "Streams a frame sequence as SPICE's MJPEG over a simulated link and writes what reached the client.",
            "The frames (PNG files in a folder, a .y4m file, or a video file such as .mkv) are offered at their rate; spice-server's MJPEG rate"
                + " control picks quality and frame rate from the frame sizes, server-side drops and the client's"
                + " stream reports, which a simulated client (spice-gtk's report window) sends back over a link"
                + " of --bandwidth with --rtt. Frames still queued when the next one is ready are replaced"
                + " (server drops); frames that reach the client after their mm-time are late.",
            "Prints, per second of the stream, the rate control's quality and fps and the bit rate sent. OUT is"
                + " a raw MJPEG stream (JPEGs back to back; 'ffplay -f mjpeg OUT' plays it)."
        })
final class MjpegCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--bandwidth", paramLabel = "RATE", defaultValue = "10mbit",
            description = "The link's rate, e.g. 2mbit, 800k. Default: ${DEFAULT-VALUE}.")
    String bandwidth;

    @Option(names = "--rtt", paramLabel = "MS", defaultValue = "20",
            description = "Round-trip time in ms. Default: ${DEFAULT-VALUE}.")
    int rttMs;

    @Option(names = "--start-bitrate", paramLabel = "RATE",
            description = "The encoder's starting bit rate. Default: 80% of --bandwidth (spice-server gives"
                    + " streams RED_STREAM_CHANNEL_CAPACITY = 0.8 of the measured link).")
    String startBitRate;

    @Option(names = "--fps", paramLabel = "N",
            description = "Source frame rate for PNG frames (a y4m file gives its own). Default: 25.")
    Integer fps;

    @Option(names = "--loop", paramLabel = "N", defaultValue = "1",
            description = "Offer the sequence N times (a longer stream from a short clip). Default: 1.")
    int loop;

    @Parameters(index = "0", paramLabel = "IN", description = "A folder of PNG frames, a .y4m file, or a video file FFmpeg decodes (.mkv, .mp4, ...).")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "The MJPEG stream the client received (.mjpeg).")
    Path out;

    @Override
    public Integer call() throws Exception {
        long link;
        long start;
        try {
            link = BitRates.parse(bandwidth);
            start = startBitRate != null ? BitRates.parse(startBitRate) : Math.round(link * 0.8);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (rttMs < 0 || rttMs > 10_000) {
            throw new ParameterException(spec.commandLine(), "--rtt must be 0 to 10000 ms, got " + rttMs);
        }
        if (loop < 1 || loop > 1000) {
            throw new ParameterException(spec.commandLine(), "--loop must be 1 to 1000, got " + loop);
        }
        // The whole clip is held in memory so that it can be looped; the tool is for short clips.
        List<SpiceBitmap> frames = new ArrayList<>();
        int sourceFps;
        try (FrameInput input = FrameInput.open(in, fps)) {
            sourceFps = input.fps;
            SpiceBitmap f;
            while ((f = input.next()) != null) {
                SpiceBitmap copy = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, input.width, input.height);
                System.arraycopy(f.data(), f.offset(), copy.data(), copy.offset(), input.width * 4 * input.height);
                frames.add(copy);
                if ((long) frames.size() * input.width * input.height * 4 > (1L << 30)) {
                    throw new CliException(in + ": more than 1 GiB of frames; use a shorter clip");
                }
            }
        }
        if (frames.isEmpty()) {
            throw new CliException(in + ": no frames");
        }
        PrintWriter o = spec.commandLine().getOut();
        MjpegEncoder[] encoder = new MjpegEncoder[1];
        StreamSimulation sim = new StreamSimulation(link, rttMs, sourceFps);
        StreamSimulation.Result r;
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
            r = sim.run(frames.size() * loop, i -> frames.get(i % frames.size()),
                    (cb, clock) -> encoder[0] = new MjpegEncoder(start, cb, clock, JpegEngines.create()),
                    () -> encoder[0].rateControl().quality(),
                    () -> encoder[0].rateControl().fps(),
                    (mm, data, len, late) -> {
                        try {
                            os.write(data, 0, len);
                        } catch (java.io.IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        }
        o.printf(Locale.ROOT, "%s: %d frames %dx%d at %d fps over %s, RTT %d ms, start %s, JPEG engine %s%n", in,
                frames.size() * loop, frames.get(0).width(), frames.get(0).height(), sourceFps,
                BitRates.format(link), rttMs, BitRates.format(start), encoder[0].engineName());
        o.printf("%6s %7s %5s %7s %8s %5s %7s %4s %14s %14s %8s%n", "second", "offered", "sent", "dropped", "replaced",
                "late", "quality", "fps", "sent bit/s", "estimate", "latency");
        for (StreamSimulation.Second s : r.seconds()) {
            o.printf(Locale.ROOT, "%6d %7d %5d %7d %8d %5d %7.0f %4d %14s %14s %6d ms%n", s.second(), s.offered(),
                    s.encoded() - s.serverDrops(), s.encoderDrops(), s.serverDrops(), s.late(), s.quality(),
                    s.targetFps(), BitRates.format(s.bitRate()), BitRates.format(s.encoderBitRate()),
                    s.latencyMs());
        }
        o.printf(Locale.ROOT, "total: %d offered, %d encoded, %d dropped by rate control, %d replaced in the queue,"
                + " %d delivered (%d late), %d client reports; %d bytes -> %s%n", r.offered(), r.encoded(),
                r.encoderDrops(), r.serverDrops(), r.delivered(), r.late(), r.reports(), r.bytesSent(), out);
        if (r.unsupported()) {
            o.println("the encoder stopped: the frames are not in a format MJPEG takes, or the client refused it");
        }
        return SpicecodecCli.EXIT_OK;
    }
}
