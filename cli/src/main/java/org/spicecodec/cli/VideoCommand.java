package org.spicecodec.cli;

import java.io.BufferedOutputStream;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.video.EncodedFrame;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.core.video.VideoDecoder;
import org.spicecodec.video.AnnexB;
import org.spicecodec.video.BackendUnavailableException;
import org.spicecodec.video.FramePipeline;
import org.spicecodec.video.Ivf;
import org.spicecodec.video.RateControlMode;
import org.spicecodec.video.SequenceParameterSet;
import org.spicecodec.video.UnsupportedConfigurationException;
import org.spicecodec.video.VideoBackend;
import org.spicecodec.video.VideoBackends;
import org.spicecodec.video.VideoEncoderConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "video",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Encodes frames to H.264, H.265, VP8, VP9 or MJPEG, and decodes such streams to PNG frames.",
        subcommands = {VideoCommand.Encode.class, VideoCommand.Decode.class})
final class VideoCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "say 'video encode' or 'video decode'");
    }

    static VideoCodecType codec(String name, CommandSpec spec) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "h264" -> VideoCodecType.H264;
            case "h265", "hevc" -> VideoCodecType.H265;
            case "vp8" -> VideoCodecType.VP8;
            case "vp9" -> VideoCodecType.VP9;
            case "mjpeg" -> VideoCodecType.MJPEG;
            default -> throw new ParameterException(spec.commandLine(), "unknown codec '" + name
                    + "' (h264, h265, vp8, vp9, mjpeg)");
        };
    }

    /** The container a file name asks for, checked against the codec. */
    static String container(Path out, VideoCodecType codec, CommandSpec spec) {
        String n = out.getFileName().toString().toLowerCase(Locale.ROOT);
        String kind = n.endsWith(".ivf") ? "ivf"
                : n.endsWith(".h264") || n.endsWith(".264") || n.endsWith(".h265") || n.endsWith(".265")
                        || n.endsWith(".hevc") ? "annexb"
                : n.endsWith(".mjpeg") || n.endsWith(".mjpg") ? "mjpeg" : null;
        String wanted = switch (codec) {
            case H264, H265 -> "annexb";
            case VP8, VP9 -> "ivf";
            case MJPEG -> "mjpeg";
        };
        if (kind == null || !kind.equals(wanted)) {
            String ext = switch (codec) {
                case H264 -> ".h264";
                case H265 -> ".h265";
                case VP8, VP9 -> ".ivf";
                case MJPEG -> ".mjpeg";
            };
            throw new ParameterException(spec.commandLine(), out + ": " + codec + " is written as " + ext);
        }
        return kind;
    }

    @Command(name = "encode",
            mixinStandardHelpOptions = true,
            versionProvider = VersionProvider.class,
            sortOptions = false,
            description = {
                "Encodes a folder of PNG frames, a .y4m file or a video file that FFmpeg decodes (.mkv, .mp4, ...). OUT is an Annex B file (.h264, .h265) or an IVF file"
                    + " (.ivf, for vp8 and vp9) or a raw MJPEG stream (.mjpeg): files the ffmpeg command line plays.",
                "Without --backend the first backend that can encode the codec is used (ffmpeg, gstreamer, jcodec),"
                    + " and the ones skipped are named on stderr."
            })
    static final class Encode implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--codec", required = true, paramLabel = "CODEC", description = "h264, h265, vp8, vp9 or mjpeg.")
        String codec;

        @Option(names = "--backend", paramLabel = "NAME", description = "ffmpeg, gstreamer or jcodec.")
        String backend;

        static final class Rate {
            @ArgGroup(exclusive = false)
            QpRange range;

            @Option(names = "--qp", paramLabel = "N", description = "Constant QP for every frame.")
            Integer qp;

            @Option(names = "--bitrate", paramLabel = "RATE", description = "Target bit rate (VBR), e.g. 2mbit, 800k.")
            String bitrate;
        }

        static final class QpRange {
            @Option(names = "--qp-min", required = true, paramLabel = "N", description = "Lowest QP.")
            int min;

            @Option(names = "--qp-max", required = true, paramLabel = "N", description = "Highest QP.")
            int max;
        }

        @ArgGroup(exclusive = true, multiplicity = "0..1")
        Rate rate;

        @Option(names = "--preset", paramLabel = "P", description = "Encoder preset, e.g. ultrafast, medium.")
        String preset;

        @Option(names = "--tune", paramLabel = "T", description = "Encoder tune, e.g. zerolatency.")
        String tune;

        @Option(names = "--gop", paramLabel = "N", description = "Frames between key frames.")
        Integer gop;

        @Option(names = "--intra-refresh", description = "Periodic intra refresh instead of key frames (x264).")
        boolean intraRefresh;

        @Option(names = "--fps", paramLabel = "N", description = "Frame rate of PNG frames (y4m and video files give their own). Default: 25.")
        Integer fps;

        @Option(names = "--frames", paramLabel = "N", description = "Encode at most N frames.")
        Integer maxFrames;

        @Option(names = {"-v", "--verbose"}, description = "Print every frame's size.")
        boolean verbose;

        @Parameters(index = "0", paramLabel = "IN", description = "A folder of PNG frames, a .y4m file, or a video file FFmpeg decodes (.mkv, .mp4, ...).")
        Path in;

        @Parameters(index = "1", paramLabel = "OUT", description = "The output file (.h264, .h265, .ivf, .mjpeg).")
        Path out;

        @Override
        public Integer call() throws Exception {
            VideoCodecType type = codec(codec, spec);
            String kind = container(out, type, spec);
            VideoEncoderConfig config;
            VideoBackends backends;
            try {
                backends = backend != null ? VideoBackends.withOrder(backend) : VideoBackends.defaults();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            PrintWriter err = spec.commandLine().getErr();
            PrintWriter stdout = spec.commandLine().getOut();
            try (FrameInput frames = FrameInput.open(in, fps)) {
                VideoEncoderConfig.Builder b = VideoEncoderConfig.builder(type).frameRate(frames.fps);
                if (rate != null && rate.qp != null) {
                    b.constantQp(rate.qp);
                } else if (rate != null && rate.range != null) {
                    b.qpRange(rate.range.min, rate.range.max);
                } else if (rate != null && rate.bitrate != null) {
                    try {
                        b.rateControl(RateControlMode.VBR).bitRate(BitRates.parse(rate.bitrate));
                    } catch (IllegalArgumentException e) {
                        throw new ParameterException(spec.commandLine(), e.getMessage());
                    }
                }
                if (preset != null) {
                    b.preset(preset);
                }
                if (tune != null) {
                    b.tune(tune);
                }
                if (gop != null) {
                    b.gopLength(gop);
                }
                b.intraRefresh(intraRefresh);
                try {
                    config = b.build();
                } catch (UnsupportedConfigurationException e) {
                    throw new ParameterException(spec.commandLine(), e.getMessage());
                }
                VideoBackend chosen;
                try {
                    chosen = backends.encoderBackend(type);
                } catch (BackendUnavailableException e) {
                    throw new CliException(e.getMessage());
                }
                long start = System.nanoTime();
                int n = 0;
                // Frames are read (PNG decoding, demuxing) on this thread while the previous one
                // encodes: the sink writes each access unit, in order, on the encoding thread.
                Written written = new Written();
                try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
                    if (kind.equals("ivf")) {
                        Ivf.writeHeader(os, type, frames.width, frames.height, frames.fps, 0);
                    }
                    try (FramePipeline enc = open(chosen, config, (pts, ef) -> written.write(os, kind, pts, ef,
                            verbose ? stdout : null, frames.fps))) {
                        SpiceBitmap f;
                        while ((maxFrames == null || n < maxFrames) && (f = frames.next()) != null) {
                            enc.submit(f, 0, 0, frames.width, frames.height, n * 1_000_000_000L / frames.fps);
                            n++;
                        }
                        enc.flush();
                    } catch (IllegalStateException e) {
                        if (e.getCause() instanceof java.io.UncheckedIOException io) {
                            throw io.getCause(); // writing the output failed
                        }
                        throw e;
                    }
                }
                long bytes = written.bytes;
                int keys = written.keys;
                double secs = (System.nanoTime() - start) / 1e9;
                double duration = (double) n / frames.fps;
                stdout.printf(Locale.ROOT, "%s: %d frames %dx%d, %s via %s, %d bytes (%s at %d fps), %d key frames,"
                        + " %.1f frames/s%n", out, n, frames.width, frames.height, type, chosen.name(), bytes,
                        BitRates.format(duration > 0 ? bytes * 8 / duration : 0), frames.fps, keys, n / secs);
                err.flush();
            }
            return SpicecodecCli.EXIT_OK;
        }

        private FramePipeline open(VideoBackend b, VideoEncoderConfig config, FramePipeline.Sink sink) {
            try {
                return b.openPipeline(config, sink);
            } catch (UnsupportedConfigurationException e) {
                throw new ParameterException(spec.commandLine(), b.name() + " cannot honour the settings: "
                        + e.getMessage());
            } catch (BackendUnavailableException e) {
                throw new CliException(e.getMessage());
            }
        }
    }

    /** What the encode sink has written (touched only on the pipeline's encoding thread until flush). */
    static final class Written {
        long bytes;
        int keys;

        void write(OutputStream os, String kind, long pts, EncodedFrame ef, PrintWriter verbose, int fps) {
            long index = Math.round(pts * (double) fps / 1e9);
            if (ef == null) {
                if (verbose != null) {
                    verbose.printf("frame %d: no output%n", index);
                }
                return;
            }
            try {
                if (kind.equals("ivf")) {
                    Ivf.writeFrame(os, ef.data(), 0, ef.length(), index);
                } else {
                    os.write(ef.data(), 0, ef.length());
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            bytes += ef.length();
            keys += ef.keyFrame() ? 1 : 0;
            if (verbose != null) {
                verbose.printf("frame %d: %d bytes%s%n", index, ef.length(), ef.keyFrame() ? " (key)" : "");
            }
        }
    }

    @Command(name = "decode",
            mixinStandardHelpOptions = true,
            versionProvider = VersionProvider.class,
            description = "Decodes an Annex B (.h264, .h265), IVF (.ivf) or MJPEG (.mjpeg) file into OUTDIR/NNNNN.png.")
    static final class Decode implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--backend", paramLabel = "NAME", description = "ffmpeg, gstreamer or jcodec.")
        String backend;

        @Parameters(index = "0", paramLabel = "IN")
        Path in;

        @Parameters(index = "1", paramLabel = "OUTDIR")
        Path outDir;

        @Override
        public Integer call() throws Exception {
            String n = in.getFileName().toString().toLowerCase(Locale.ROOT);
            byte[] data = Files.readAllBytes(in);
            VideoCodecType type;
            int width;
            int height;
            try {
                if (n.endsWith(".ivf")) {
                    type = Ivf.readHeader(data);
                    width = Ivf.width(data);
                    height = Ivf.height(data);
                } else if (n.endsWith(".mjpeg") || n.endsWith(".mjpg")) {
                    type = VideoCodecType.MJPEG;
                    int[] size = MjpegFiles.firstFrameSize(data);
                    width = size[0];
                    height = size[1];
                } else {
                    type = n.endsWith(".h265") || n.endsWith(".265") || n.endsWith(".hevc") ? VideoCodecType.H265
                            : VideoCodecType.H264;
                    SequenceParameterSet sps = SequenceParameterSet.find(type, data, 0, data.length);
                    if (sps == null) {
                        throw new CliException(in + ": no sequence parameter set: not an " + type
                                + " Annex B stream");
                    }
                    width = sps.width();
                    height = sps.height();
                }
            } catch (MalformedInputException e) {
                throw new CliException(in + ": malformed at offset " + e.offset() + ": " + e.reason());
            }
            VideoBackends backends;
            try {
                backends = backend != null ? VideoBackends.withOrder(backend) : VideoBackends.defaults();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            Files.createDirectories(outDir);
            SpiceBitmap frame = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, width, height);
            int count = 0;
            VideoBackend chosen;
            try {
                chosen = backends.decoderBackend(type);
            } catch (BackendUnavailableException e) {
                throw new CliException(e.getMessage());
            }
            try (VideoDecoder dec = chosen.openDecoder(type)) {
                int at = type == VideoCodecType.VP8 || type == VideoCodecType.VP9 ? Ivf.firstFrame(data) : 0;
                while (at < data.length) {
                    int start;
                    int end;
                    if (type == VideoCodecType.VP8 || type == VideoCodecType.VP9) {
                        int size = Ivf.frameSize(data, at);
                        start = at + Ivf.FRAME_HEADER;
                        end = start + size;
                    } else if (type == VideoCodecType.MJPEG) {
                        start = at;
                        end = MjpegFiles.frameEnd(data, at);
                    } else {
                        start = at;
                        end = AnnexB.accessUnitEnd(type, data, at, data.length);
                    }
                    if (dec.decodeFrame(data, start, end - start, frame)) {
                        Images.writePng(frame, outDir.resolve(String.format(Locale.ROOT, "%05d.png", count++)));
                    }
                    at = end;
                }
            } catch (MalformedInputException e) {
                throw new CliException(in + ": malformed at offset " + e.offset() + " (after " + count
                        + " frames): " + e.reason());
            } catch (BackendUnavailableException e) {
                throw new CliException(e.getMessage());
            }
            spec.commandLine().getOut().printf("%s: %s %dx%d via %s, %d frames -> %s%n", in, type, width, height,
                    chosen.name(), count, outDir);
            return SpicecodecCli.EXIT_OK;
        }
    }

}
