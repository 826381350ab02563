package org.spicecodec.corpus;

import java.awt.Color;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.video.EncodedFrame;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.core.video.VideoDecoder;
import org.spicecodec.video.BackendUnavailableException;
import org.spicecodec.video.FrameCompressor;
import org.spicecodec.video.UnsupportedConfigurationException;
import org.spicecodec.video.VideoBackend;
import org.spicecodec.video.VideoBackends;
import org.spicecodec.video.VideoEncoderConfig;

/**
 * The video part of a corpus run: each clip coded as one SPICE stream by every codec on every
 * backend that can encode it ({@link FrameCompressor}, the raw encoder without SPICE's rate
 * control), with each x264/x265 preset, at constant QPs; then decoded ({@link VideoDecoder},
 * BGRx) and compared with the source frames.
 *
 * <p>Measured per row: the bit rate at the clip's frame rate, the mean PSNR over frames of the
 * decoded RGB against the source RGB (both the three colour channels together, and BT.601 luma
 * computed from them), and encode and decode speed (one run each, wall time; indicative only).
 * The RGB PSNR includes everything a SPICE client would see lose: the encoder's RGB-to-YUV
 * conversion, 4:2:0 chroma subsampling, the codec, and the decoder's conversion back.
 *
 * <p>Encoders are configured with the constant QP, the clip's frame rate, and for H.264/H.265
 * the preset with {@code tune=zerolatency} (no B-frames or look-ahead, as spice-server's x264
 * pipeline). When a backend refuses part of that configuration the run adapts and says so: no
 * preset or tune (run once without), or no constant QP (run at the matrix's bit rates instead).
 * A backend that cannot encode a codec here is skipped with its reason; neither is silent.
 */
final class CorpusVideo {
    static final String CSV_FILE = "video.csv";
    static final String CHART_FILE = "video.png";
    /** Per-frame PSNR of a picture identical to its source; keeps means finite. */
    static final double IDENTICAL_DB = 100;

    private final VideoMatrix matrix;
    private final Function<String, VideoBackend> backends;
    private final Set<String> skipped = new LinkedHashSet<>();
    private final Map<String, VideoBackend> byName = new LinkedHashMap<>();

    /** Uses the built-in backends ({@link VideoBackends#builtIn}). */
    CorpusVideo(VideoMatrix matrix) {
        this(matrix, VideoBackends::builtIn);
    }

    CorpusVideo(VideoMatrix matrix, Function<String, VideoBackend> backends) {
        this.matrix = matrix;
        this.backends = backends;
    }

    /** Why codecs, backends or settings were skipped or changed, one line each, in the order found. */
    List<String> skipped() {
        return List.copyOf(skipped);
    }

    /** The backend of this name, created once; null (with a printed reason) if it cannot be created. */
    private VideoBackend backend(String name, Progress bar) {
        if (byName.containsKey(name)) {
            return byName.get(name);
        }
        VideoBackend b;
        try {
            b = backends.apply(name);
        } catch (RuntimeException | LinkageError e) {
            note(bar, name + ": skipped, the backend cannot be created (" + e + ")");
            b = null;
        }
        byName.put(name, b);
        return b;
    }

    /** Null if {@code backend} can encode {@code codec} here, else why not. */
    private String encoderUnavailable(VideoBackend b, VideoCodecType codec) {
        try {
            return b.unavailableReason(codec);
        } catch (RuntimeException | LinkageError e) {
            return "availability check threw " + e;
        }
    }

    private String decoderUnavailable(VideoBackend b, VideoCodecType codec) {
        try {
            return b.decoderUnavailableReason(codec);
        } catch (RuntimeException | LinkageError e) {
            return "availability check threw " + e;
        }
    }

    /**
     * FFmpeg's decoder when it has one for {@code codec}, so that every encoder is measured
     * through the same decoder (GStreamer's videoconvert, for one, shifts levels by about 2 on
     * its way back to BGRx, which would count against GStreamer's encoder); else the encoding
     * backend's own, else the first backend's that decodes the codec.
     */
    private VideoBackend decoderFor(VideoBackend encoder, VideoCodecType codec, Progress bar) {
        VideoBackend reference = backend("ffmpeg", bar);
        if (reference != null && decoderUnavailable(reference, codec) == null) {
            return reference;
        }
        if (decoderUnavailable(encoder, codec) == null) {
            return encoder;
        }
        List<String> why = new ArrayList<>();
        for (String n : VideoBackends.DEFAULT_ORDER) {
            VideoBackend b = backend(n, bar);
            String reason = b == null ? "cannot be created" : decoderUnavailable(b, codec);
            if (reason == null) {
                note(bar, codec + "/" + encoder.name() + ": decoded with " + n + " ("
                        + encoder.name() + " cannot decode " + codec + ": " + decoderUnavailable(encoder, codec) + ")");
                return b;
            }
            why.add(n + ": " + reason);
        }
        note(bar, codec + "/" + encoder.name() + ": no backend can decode " + codec + ", so no PSNR ("
                + String.join("; ", why) + ")");
        return null;
    }

    /**
     * Codes one clip with the whole matrix. {@code bar} shows which configuration is running;
     * skip reasons go to {@code bar.message} the first time they occur.
     */
    List<CorpusVideoMeasurement> measure(CorpusVideoItem item, VideoClip clip, Progress bar, int clipIndex) {
        List<CorpusVideoMeasurement> rows = new ArrayList<>();
        for (VideoCodecType codec : matrix.codecs()) {
            for (String backendName : matrix.backends()) {
                VideoBackend b = backend(backendName, bar);
                if (b == null) {
                    continue;
                }
                String reason = encoderUnavailable(b, codec);
                if (reason != null) {
                    note(bar, codec + "/" + backendName + ": skipped, " + reason);
                    continue;
                }
                VideoBackend decoder = decoderFor(b, codec, bar);
                List<String> presets = VideoMatrix.hasPresets(codec) ? matrix.presets() : List.of("-");
                for (String preset : presets) {
                    Settings s = new Settings(codec, "-".equals(preset) ? null : preset,
                            VideoMatrix.hasPresets(codec) ? "zerolatency" : null, true);
                    boolean presetsIgnored = false;
                    List<Integer> points = matrix.qps().get(codec);
                    for (int i = 0; i < points.size(); i++) {
                        bar.update(clipIndex, item.path() + " " + codec + "/" + backendName
                                + ("-".equals(preset) ? "" : "/" + preset) + " "
                                + (s.qp ? "qp " + points.get(i) : points.get(i) + " kbit/s"));
                        Attempt a = measureOne(item, clip, b, decoder, s, s.qp ? points.get(i) : -1,
                                s.qp ? -1 : matrix.bitRates().get(Math.min(i, matrix.bitRates().size() - 1)), bar);
                        if (a.switchedToBitRate) {
                            // The backend takes no constant QP: the rate points are now bit rates.
                            points = matrix.bitRates().stream().map(x -> (int) (x / 1000)).toList();
                        }
                        if (a.row != null) {
                            rows.add(a.row);
                            if (!a.row.ok()) {
                                bar.message("!!! " + a.row.series() + " FAILED on " + item.path() + ": " + a.row.error());
                            }
                        }
                        if (a.giveUp) {
                            break;
                        }
                        presetsIgnored |= a.presetDropped;
                    }
                    if (presetsIgnored) {
                        break; // the backend ran without a preset: the other presets would repeat it
                    }
                }
            }
        }
        return rows;
    }

    private void note(Progress bar, String line) {
        if (skipped.add(line)) {
            bar.message("video: " + line);
        }
    }

    /** Encoder settings for one codec/backend/preset, adjusted as the backend refuses parts. */
    private static final class Settings {
        final VideoCodecType codec;
        String preset;
        String tune;
        boolean qp;

        Settings(VideoCodecType codec, String preset, String tune, boolean qp) {
            this.codec = codec;
            this.preset = preset;
            this.tune = tune;
            this.qp = qp;
        }

        VideoEncoderConfig config(int qpValue, long bitRate, int fps) {
            VideoEncoderConfig.Builder b = VideoEncoderConfig.builder(codec).frameRate(fps);
            if (qp) {
                b.constantQp(qpValue);
            } else {
                b.bitRate(bitRate);
            }
            if (preset != null) {
                b.preset(preset);
            }
            if (tune != null) {
                b.tune(tune);
            }
            return b.build();
        }
    }

    private static final class Attempt {
        CorpusVideoMeasurement row;
        boolean giveUp;
        boolean switchedToBitRate;
        boolean presetDropped;
    }

    /** Opens the encoder (adapting the settings if refused), encodes, decodes and compares. */
    private Attempt measureOne(CorpusVideoItem item, VideoClip clip, VideoBackend b, VideoBackend decoder,
                               Settings s, int qp, long bitRate, Progress bar) {
        Attempt a = new Attempt();
        int fps = (int) Math.max(1, Math.min(240, Math.round(clip.fps())));
        String label = s.codec + "/" + b.name() + (s.preset == null ? "" : "/" + s.preset);
        FrameCompressor enc = null;
        for (int tries = 0; enc == null; tries++) {
            VideoEncoderConfig cfg;
            try {
                cfg = s.config(s.qp ? qp : -1, s.qp ? 0 : bitRate, fps);
                enc = b.openEncoder(cfg);
            } catch (UnsupportedConfigurationException e) {
                String field = e.field();
                if (tries < 4 && "preset".equals(field) && s.preset != null) {
                    note(bar, label + ": preset refused (" + e.getMessage() + "); run without a preset");
                    s.preset = null;
                    a.presetDropped = true;
                } else if (tries < 4 && "tune".equals(field) && s.tune != null) {
                    note(bar, label + ": tune refused (" + e.getMessage() + "); run without tune");
                    s.tune = null;
                } else if (tries < 4 && s.qp && ("constantQp".equals(field) || "rateControl".equals(field))) {
                    note(bar, label + ": constant QP refused (" + e.getMessage() + "); measured at "
                            + matrix.bitRates().stream().map(x -> x / 1000 + "").toList() + " kbit/s instead");
                    s.qp = false;
                    a.switchedToBitRate = true;
                    bitRate = matrix.bitRates().get(0);
                } else {
                    note(bar, label + ": skipped, configuration refused: " + e.getMessage());
                    a.giveUp = true;
                    return a;
                }
            } catch (BackendUnavailableException e) {
                note(bar, label + ": skipped, " + e.getMessage());
                a.giveUp = true;
                return a;
            } catch (RuntimeException | LinkageError e) {
                a.row = failed(item, clip, b, decoder, s, qp, bitRate, "open encoder threw " + e);
                a.giveUp = true;
                return a;
            }
        }
        int n = clip.frames().size();
        int w = clip.width();
        int h = clip.height();
        byte[][] packets = new byte[n][];
        long[] pts = new long[n];
        int produced = 0;
        long bytes = 0;
        long encNs;
        String step = "encode";
        try {
            EncodedFrame out = new EncodedFrame(Math.max(64 * 1024, w * h));
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long ptsNanos = Math.round(i * 1e9 / clip.fps());
                if (enc.encode(clip.frames().get(i), 0, 0, w, h, ptsNanos, out)) {
                    packets[produced] = out.toByteArray();
                    pts[produced] = out.ptsNanos();
                    bytes += out.length();
                    produced++;
                }
            }
            encNs = Math.max(1, System.nanoTime() - t0);
        } catch (RuntimeException | LinkageError e) {
            a.row = failed(item, clip, b, decoder, s, qp, bitRate, step + " threw " + e);
            return a;
        } finally {
            try {
                enc.close();
            } catch (RuntimeException e) {
                note(bar, label + ": closing the encoder threw " + e);
            }
        }
        if (produced == 0) {
            a.row = failed(item, clip, b, decoder, s, qp, bitRate, "the encoder output no frame for " + n + " inputs");
            return a;
        }
        double kbps = bytes * 8.0 * clip.fps() / produced / 1000;
        int[] sourceIndex = displayOrder(pts, produced, clip.fps(), n);

        double psnrRgb = Double.NaN;
        double psnrY = Double.NaN;
        int decoded = 0;
        double decodeFps = 0;
        String decoderName = decoder == null ? "-" : decoder.name();
        if (decoder != null) {
            step = "decode";
            try (VideoDecoder dec = decoder.openDecoder(s.codec)) {
                SpiceBitmap pic = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, w, h);
                double sumRgb = 0;
                double sumY = 0;
                long decNs = 0;
                for (int i = 0; i < produced; i++) {
                    long t0 = System.nanoTime();
                    boolean got = dec.decodeFrame(packets[i], 0, packets[i].length, pic);
                    decNs += System.nanoTime() - t0;
                    if (got) {
                        // Pictures come out in display order; the held-back ones are the last.
                        double[] p = psnr(clip.frames().get(sourceIndex[decoded]), pic);
                        sumRgb += p[0];
                        sumY += p[1];
                        decoded++;
                    }
                }
                if (decoded == 0) {
                    a.row = failed(item, clip, b, decoder, s, qp, bitRate, "the " + decoderName
                            + " decoder output no picture for " + produced + " frames");
                    return a;
                }
                psnrRgb = sumRgb / decoded;
                psnrY = sumY / decoded;
                decodeFps = decoded * 1e9 / Math.max(1, decNs);
            } catch (RuntimeException | LinkageError e) {
                a.row = failed(item, clip, b, decoder, s, qp, bitRate, step + " (" + decoderName + ") threw " + e);
                return a;
            }
        }
        a.row = new CorpusVideoMeasurement(item.category(), item.name(), w, h, clip.fps(), n, s.codec.name(),
                b.name(), decoderName, s.preset == null ? "-" : s.preset, s.qp ? "qp" : "vbr",
                s.qp ? qp : (int) (bitRate / 1000), produced, decoded, bytes, kbps, psnrRgb, psnrY,
                produced * 1e9 / encNs, decodeFps, null);
        return a;
    }

    private static CorpusVideoMeasurement failed(CorpusVideoItem item, VideoClip clip, VideoBackend b,
                                                 VideoBackend decoder, Settings s, int qp, long bitRate, String why) {
        return new CorpusVideoMeasurement(item.category(), item.name(), clip.width(), clip.height(), clip.fps(),
                clip.frames().size(), s.codec.name(), b.name(), decoder == null ? "-" : decoder.name(),
                s.preset == null ? "-" : s.preset, s.qp ? "qp" : "vbr", s.qp ? qp : (int) (bitRate / 1000),
                0, 0, 0, 0, Double.NaN, Double.NaN, 0, 0, why);
    }

    /**
     * The source frame of each encoded frame, in display order: from the encoder's pts when
     * they name distinct input frames (as they should), else in output order.
     */
    static int[] displayOrder(long[] pts, int count, double fps, int frames) {
        int[] idx = new int[count];
        boolean[] seen = new boolean[frames];
        for (int i = 0; i < count; i++) {
            long k = Math.round(pts[i] * fps / 1e9);
            if (k < 0 || k >= frames || seen[(int) k]) {
                int[] fallback = new int[count];
                for (int j = 0; j < count; j++) {
                    fallback[j] = j;
                }
                return fallback;
            }
            seen[(int) k] = true;
            idx[i] = (int) k;
        }
        Arrays.sort(idx);
        return idx;
    }

    /**
     * {RGB PSNR, luma PSNR} in dB of {@code actual} against {@code expected}, both RGB32 of the
     * same size; the X byte is ignored. Identical pictures give {@link #IDENTICAL_DB}.
     */
    static double[] psnr(SpiceBitmap expected, SpiceBitmap actual) {
        if (expected.width() != actual.width() || expected.height() != actual.height()
                || expected.format() != SpiceBitmapFormat.RGB32 || actual.format() != SpiceBitmapFormat.RGB32) {
            throw new IllegalArgumentException(actual + " does not match " + expected);
        }
        byte[] a = expected.data();
        byte[] b = actual.data();
        int w = expected.width();
        double sse = 0;
        double sseY = 0;
        for (int y = 0; y < expected.height(); y++) {
            int pa = expected.offset() + y * expected.stride();
            int pb = actual.offset() + y * actual.stride();
            long rowSse = 0;
            for (int x = 0; x < w; x++, pa += 4, pb += 4) {
                int b0 = a[pa] & 0xFF;
                int g0 = a[pa + 1] & 0xFF;
                int r0 = a[pa + 2] & 0xFF;
                int db = b0 - (b[pb] & 0xFF);
                int dg = g0 - (b[pb + 1] & 0xFF);
                int dr = r0 - (b[pb + 2] & 0xFF);
                rowSse += db * db + dg * dg + dr * dr;
                double dy = 0.299 * dr + 0.587 * dg + 0.114 * db;
                sseY += dy * dy;
            }
            sse += rowSse;
        }
        double pixels = (double) w * expected.height();
        return new double[] {db(sse / (3 * pixels)), db(sseY / pixels)};
    }

    private static double db(double mse) {
        return mse <= 1e-12 ? IDENTICAL_DB : Math.min(IDENTICAL_DB, 10 * Math.log10(255.0 * 255.0 / mse));
    }

    static void printTable(PrintStream out, VideoMatrix matrix, List<CorpusVideoMeasurement> rows, List<String> skipped) {
        out.println();
        out.println("Video (" + matrix.name() + " matrix): each clip coded as one stream by each codec/backend/preset at constant QP");
        out.println("(x264/x265 with tune=zerolatency), decoded to BGRx and compared with the source. kbit/s = encoded bytes x 8 at");
        out.println("the clip's frame rate; PSNR-RGB = mean over frames of the PSNR of B,G,R together; PSNR-Y = the same for BT.601");
        out.println("luma of both; fps = frames coded per second of wall time (one run, indicative only).");
        String head = "%-10s %-24s %-9s %-9s %7s %9s %9s %8s %8s %8s %s%n";
        out.printf(Locale.ROOT, head, "codec", "backend/preset", "decoder", "rate", "frames", "kbit/s", "PSNR-RGB",
                "PSNR-Y", "enc fps", "dec fps", "");
        String clip = null;
        for (CorpusVideoMeasurement m : rows) {
            if (!m.path().equals(clip)) {
                clip = m.path();
                out.printf(Locale.ROOT, "%s (%dx%d, %d frames at %.4g fps)%n", clip, m.width(), m.height(), m.frames(), m.fps());
            }
            String bp = m.backend() + ("-".equals(m.preset()) ? "" : "/" + m.preset());
            if (!m.ok()) {
                out.printf(Locale.ROOT, "%-10s %-24s %-9s %-9s FAILED: %s%n", m.codec(), bp, m.decoderBackend(),
                        m.rateLabel(), m.error());
                continue;
            }
            out.printf(Locale.ROOT, "%-10s %-24s %-9s %-9s %7s %9.1f %9s %8s %8.1f %8.1f%n", m.codec(), bp,
                    m.decoderBackend(), m.rateLabel(), m.framesEncoded() + "/" + m.framesDecoded(), m.kbps(),
                    dbText(m.psnrRgbDb()), dbText(m.psnrYDb()), m.encodeFps(), m.decodeFps());
        }
        if (rows.isEmpty()) {
            out.println("(no video measured)");
        }
        out.println("(frames = encoded/decoded)");
        if (!skipped.isEmpty()) {
            out.println("Skipped or adapted (" + skipped.size() + "):");
            skipped.forEach(s -> out.println("  " + s));
        }
    }

    private static String dbText(double db) {
        return Double.isNaN(db) ? "n/a" : String.format(Locale.ROOT, "%.2f", db);
    }

    static void writeCsv(Path file, List<CorpusVideoMeasurement> rows) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("category,file,width,height,fps,frames,codec,backend,decoder,preset,rate_mode,rate_value,"
                    + "frames_encoded,frames_decoded,bytes,kbit_s,psnr_rgb_db,psnr_y_db,encode_fps,decode_fps,error\n");
            for (CorpusVideoMeasurement m : rows) {
                w.write(String.join(",", CorpusReport.csv(m.category()), CorpusReport.csv(m.name()),
                        Integer.toString(m.width()), Integer.toString(m.height()),
                        String.format(Locale.ROOT, "%.3f", m.fps()), Integer.toString(m.frames()), m.codec(),
                        m.backend(), m.decoderBackend(), CorpusReport.csv(m.preset()), m.rateMode(),
                        Integer.toString(m.rateValue()), Integer.toString(m.framesEncoded()),
                        Integer.toString(m.framesDecoded()), Long.toString(m.encodedBytes()),
                        String.format(Locale.ROOT, "%.3f", m.kbps()), csvDb(m.psnrRgbDb()), csvDb(m.psnrYDb()),
                        String.format(Locale.ROOT, "%.2f", m.encodeFps()),
                        String.format(Locale.ROOT, "%.2f", m.decodeFps()),
                        m.error() == null ? "" : CorpusReport.csv(m.error())));
                w.write('\n');
            }
        }
    }

    private static String csvDb(double db) {
        return Double.isNaN(db) ? "" : String.format(Locale.ROOT, "%.3f", db);
    }

    /**
     * One rate-distortion chart per clip, side by side: bit rate (log scale) against RGB PSNR,
     * one line per codec/backend/preset through its rate points. Returns false (and writes
     * nothing) when no row has both.
     */
    static boolean writeChart(Path file, List<CorpusVideoMeasurement> rows) throws IOException {
        Map<String, List<CorpusVideoMeasurement>> byClip = new LinkedHashMap<>();
        for (CorpusVideoMeasurement m : rows) {
            if (m.ok() && m.kbps() > 0 && Double.isFinite(m.psnrRgbDb())) {
                byClip.computeIfAbsent(m.path(), k -> new ArrayList<>()).add(m);
            }
        }
        if (byClip.isEmpty()) {
            return false;
        }
        List<XYChart> charts = new ArrayList<>();
        for (Map.Entry<String, List<CorpusVideoMeasurement>> e : byClip.entrySet()) {
            CorpusVideoMeasurement first = e.getValue().get(0);
            XYChart c = new XYChartBuilder().width(820).height(620)
                    .title(first.name() + String.format(Locale.ROOT, " (%dx%d, %d frames)", first.width(),
                            first.height(), first.frames()))
                    .xAxisTitle("bit rate, kbit/s (log)").yAxisTitle("PSNR-RGB, dB").build();
            c.getStyler().setXAxisLogarithmic(true);
            c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
            c.getStyler().setChartBackgroundColor(Color.WHITE);
            c.getStyler().setChartTitleFont(c.getStyler().getChartTitleFont().deriveFont(13f));
            Map<String, List<CorpusVideoMeasurement>> series = new LinkedHashMap<>();
            e.getValue().forEach(m -> series.computeIfAbsent(m.series(), k -> new ArrayList<>()).add(m));
            int k = 0;
            for (Map.Entry<String, List<CorpusVideoMeasurement>> s : series.entrySet()) {
                List<CorpusVideoMeasurement> pts = s.getValue().stream()
                        .sorted(Comparator.comparingDouble(CorpusVideoMeasurement::kbps)).toList();
                XYSeries xy = c.addSeries(s.getKey(), pts.stream().mapToDouble(CorpusVideoMeasurement::kbps).toArray(),
                        pts.stream().mapToDouble(CorpusVideoMeasurement::psnrRgbDb).toArray());
                // Presets of one codec/backend share a colour family only by chance; vary markers too.
                xy.setMarker(MARKERS[k++ % MARKERS.length]);
            }
            charts.add(c);
        }
        BitmapEncoder.saveBitmap(charts, 1, charts.size(), file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return true;
    }

    private static final org.knowm.xchart.style.markers.Marker[] MARKERS = {SeriesMarkers.CIRCLE,
        SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN,
        SeriesMarkers.CROSS};
}
