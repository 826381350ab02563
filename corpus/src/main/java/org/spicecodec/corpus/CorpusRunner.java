package org.spicecodec.corpus;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.spicecodec.audio.WavFile;
import org.spicecodec.core.BufferedImages;
import org.spicecodec.core.RowCursor;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;

/**
 * Runs every codec over a corpus of real pictures: encodes, decodes, checks lossless round
 * trips, times both directions, then prints a table and writes {@code results.csv} and
 * {@code chart.png}. Lossy codecs (JPEG at quality 85) are not checked for exactness: their PSNR
 * is measured and reported, with their size against QUIC's, in a table of their own. WAV clips
 * are then coded with SPICE's audio codecs (Opus, raw PCM) and reported in a second table and
 * {@code audio.csv}; see {@link CorpusAudio}. Video clips, last, are coded as streams by every
 * video codec, backend, preset and rate point of a {@link VideoMatrix} and reported in a table,
 * {@code video.csv} and the rate-distortion chart {@code video.png}; see {@link CorpusVideo}.
 *
 * <pre>{@code
 * CorpusResult r = CorpusRunner.builder()
 *         .corpus(null)                       // null: the embedded default corpus
 *         .out(Path.of("corpus-report"))
 *         .progress(System.err)
 *         .build()
 *         .run(System.out);
 * }</pre>
 *
 * <p>Timings are indicative (one warm-up, then repeats until the measurement lasts
 * {@linkplain Builder#minMeasureMillis long enough}); use the bench module for real benchmarks.
 * {@linkplain CorpusCodec#isSequential() Sequential} codecs (GLZ) run each category as one
 * sequence, in corpus order, and are timed on their single run of each image.
 */
public final class CorpusRunner {
    static {
        // Charts and ImageIO need no display; respect a caller who chose otherwise.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Default output folder, relative to the working directory. */
    public static final Path DEFAULT_OUT = Path.of("corpus-report");
    public static final String CSV_FILE = "results.csv";
    public static final String CHART_FILE = "chart.png";
    /** The audio table as CSV; written only when the corpus has WAV files. */
    public static final String AUDIO_CSV_FILE = CorpusAudio.CSV_FILE;
    /** The video table as CSV; written only when video clips were run. */
    public static final String VIDEO_CSV_FILE = CorpusVideo.CSV_FILE;
    /** Bit rate against PSNR per video codec/backend/preset. */
    public static final String VIDEO_CHART_FILE = CorpusVideo.CHART_FILE;
    /** The lossless codec the lossy ones are compared with. */
    static final String LOSSY_REFERENCE = "QUIC";

    /** Pattern the decode target is filled with, so pixels a decoder never writes show up. */
    private static final byte POISON = (byte) 0xA5;

    private final Path corpusDir;
    private final Path out;
    private final PrintStream progress;
    private final Boolean interactive;
    private final List<CorpusCodec> codecs;
    private final long minMeasureNanos;
    private final VideoMatrix video;

    private CorpusRunner(Builder b) {
        this.corpusDir = b.corpus;
        this.out = b.out;
        this.progress = b.progress;
        this.interactive = b.interactive;
        this.codecs = b.codecs != null ? List.copyOf(b.codecs) : CorpusCodecs.defaults();
        this.minMeasureNanos = b.minMeasureMillis * 1_000_000L;
        this.video = b.videoSet ? b.video : VideoMatrix.fromSystemProperty();
        if (codecs.isEmpty()) {
            throw new IllegalArgumentException("no codecs to run");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the corpus and writes the report. Messages about failures go to the progress stream
     * as they happen and are repeated at the end of {@code out}.
     *
     * @param out where the table and the paths written are printed
     * @return everything measured, and the files written
     * @throws IllegalArgumentException if the corpus directory is missing, unreadable or has no image
     * @throws IOException if the corpus cannot be read or the report cannot be written
     */
    public CorpusResult run(PrintStream out) throws IOException {
        Objects.requireNonNull(out, "out");
        Corpus corpus = corpusDir == null ? Corpus.embeddedDefault() : Corpus.fromDirectory(corpusDir);
        prepareOutDir();

        List<CorpusItem> items = corpus.items();
        boolean tty = interactive != null ? interactive : progress == System.err && System.console() != null;
        Progress bar = new Progress(progress, tty, items.size());
        List<CorpusMeasurement> results = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        if (minMeasureNanos > 0) {
            bar.update(0, "warming up");
            warmUp();
        }
        String category = null;
        for (int i = 0; i < items.size(); i++) {
            CorpusItem item = items.get(i);
            if (!item.category().equals(category)) {
                // Each category is one sequence for codecs that code images against earlier ones.
                category = item.category();
                codecs.stream().filter(CorpusCodec::isSequential).forEach(CorpusCodec::startSequence);
            }
            bar.update(i, item.path());
            BufferedImage img;
            try {
                img = item.load();
            } catch (IOException | RuntimeException e) {
                unreadable.add(item.path() + ": " + e.getMessage());
                bar.message("WARNING: skipped unreadable " + item.path() + ": " + e.getMessage());
                continue;
            }
            SpiceBitmapFormat format = img.getColorModel().hasAlpha() ? SpiceBitmapFormat.RGBA : SpiceBitmapFormat.RGB32;
            SpiceBitmap src = BufferedImages.toBitmap(img, format);
            img = null; // only the bitmap is needed from here on
            for (CorpusCodec codec : codecs) {
                if (!codec.supports(format)) {
                    continue;
                }
                bar.update(i, item.path() + " " + codec.name());
                CorpusMeasurement m = measure(item, src, codec);
                if (!m.ok()) {
                    bar.message("!!! " + codec.name() + " FAILED on " + item.path() + ": " + m.error());
                }
                results.add(m);
            }
        }
        bar.finish();
        List<CorpusAudioMeasurement> audio = runAudio(corpus.audioItems(), unreadable);
        List<String> videoSkipped = new ArrayList<>();
        long videoStart = System.nanoTime();
        List<CorpusVideoMeasurement> videoRows = runVideo(corpus.videoItems(), unreadable, videoSkipped);
        double videoSeconds = (System.nanoTime() - videoStart) / 1e9;

        List<String> codecNames = codecs.stream().map(CorpusCodec::name).toList();
        List<CorpusSummary> summaries = CorpusReport.summarize(results, codecNames);
        Path csv = this.out.resolve(CSV_FILE);
        Path chart = this.out.resolve(CHART_FILE);

        out.println("Corpus: " + corpus.description() + " - " + items.size() + " image(s)"
                + (corpus.audioItems().isEmpty() ? "" : ", " + corpus.audioItems().size() + " audio clip(s)")
                + (corpus.videoItems().isEmpty() ? "" : ", " + corpus.videoItems().size() + " video clip(s)")
                + (corpus.ignoredCategories().isEmpty() ? ""
                   : "; ignored (no image, audio or video files): " + String.join(", ", corpus.ignoredCategories())));
        out.println();
        CorpusReport.printTable(out, summaries);
        CorpusReport.printLossyTable(out, results, codecs, LOSSY_REFERENCE);
        CorpusReport.writeCsv(csv, results);
        if (summaries.isEmpty()) {
            out.println("No image could be measured; no chart written.");
            chart = null;
        } else {
            CorpusReport.writeChart(chart, summaries, codecNames);
        }
        Path audioCsv = null;
        if (!corpus.audioItems().isEmpty()) {
            CorpusAudio.printTable(out, audio);
            audioCsv = this.out.resolve(AUDIO_CSV_FILE);
            CorpusAudio.writeCsv(audioCsv, audio);
        }
        Path videoCsv = null;
        Path videoChart = null;
        if (!corpus.videoItems().isEmpty()) {
            if (video == null) {
                out.println();
                out.println("Video: " + corpus.videoItems().size() + " clip(s) not run (video matrix off; -D"
                        + VideoMatrix.PROPERTY + "=quick or =full runs them)");
            } else {
                CorpusVideo.printTable(out, video, videoRows, videoSkipped);
                out.printf(Locale.ROOT, "(video took %.1f s)%n", videoSeconds);
                videoCsv = this.out.resolve(VIDEO_CSV_FILE);
                CorpusVideo.writeCsv(videoCsv, videoRows);
                videoChart = this.out.resolve(VIDEO_CHART_FILE);
                if (!CorpusVideo.writeChart(videoChart, videoRows)) {
                    out.println("No video row has a bit rate and a PSNR; no video chart written.");
                    videoChart = null;
                }
            }
        }
        out.println();
        out.println("Wrote " + csv.toAbsolutePath());
        if (chart != null) {
            out.println("Wrote " + chart.toAbsolutePath());
        }
        if (audioCsv != null) {
            out.println("Wrote " + audioCsv.toAbsolutePath());
        }
        if (videoCsv != null) {
            out.println("Wrote " + videoCsv.toAbsolutePath());
        }
        if (videoChart != null) {
            out.println("Wrote " + videoChart.toAbsolutePath());
        }
        CorpusResult result = new CorpusResult(results, summaries, unreadable, csv, chart, audio, audioCsv,
                videoRows, videoSkipped, videoCsv, videoChart);
        if (!unreadable.isEmpty()) {
            out.println();
            out.println("WARNING: " + unreadable.size() + " file(s) could not be read:");
            unreadable.forEach(u -> out.println("  " + u));
        }
        List<CorpusMeasurement> failures = result.failures();
        if (!failures.isEmpty()) {
            out.println();
            out.println("!!! " + failures.size() + " CODEC FAILURE(S) / LOSSLESS MISMATCH(ES):");
            failures.forEach(f -> out.println("!!!   " + f.codec() + " " + f.path() + " (" + f.format() + " "
                    + f.width() + "x" + f.height() + "): " + f.error()));
        }
        List<CorpusAudioMeasurement> audioFailures = result.audioFailures();
        if (!audioFailures.isEmpty()) {
            out.println();
            out.println("!!! " + audioFailures.size() + " AUDIO CODEC FAILURE(S):");
            audioFailures.forEach(f -> out.println("!!!   " + f.codec() + " " + f.path() + ": " + f.error()));
        }
        List<CorpusVideoMeasurement> videoFailures = result.videoFailures();
        if (!videoFailures.isEmpty()) {
            out.println();
            out.println("!!! " + videoFailures.size() + " VIDEO CODEC FAILURE(S):");
            videoFailures.forEach(f -> out.println("!!!   " + f.series() + " " + f.rateLabel() + " " + f.path() + ": "
                    + f.error()));
        }
        out.flush();
        return result;
    }

    /**
     * Codes each video clip with the video matrix, after the images and audio so their timings
     * are unaffected. A clip FFmpeg cannot read is listed as unreadable; if FFmpeg's natives
     * cannot load at all, the video category is skipped with that reason.
     */
    private List<CorpusVideoMeasurement> runVideo(List<CorpusVideoItem> clips, List<String> unreadable,
                                                  List<String> skipped) {
        List<CorpusVideoMeasurement> rows = new ArrayList<>();
        if (clips.isEmpty() || video == null) {
            return rows;
        }
        boolean tty = interactive != null ? interactive : progress == System.err && System.console() != null;
        Progress bar = new Progress(progress, tty, clips.size());
        CorpusVideo runner = new CorpusVideo(video);
        for (int i = 0; i < clips.size(); i++) {
            CorpusVideoItem item = clips.get(i);
            bar.update(i, item.path() + " reading");
            VideoClip clip;
            CorpusVideoItem.Opened opened = null;
            try {
                opened = item.source().open();
                clip = VideoClipReader.read(opened.file(), video.maxFrames(), video.maxClipBytes());
            } catch (IOException | RuntimeException e) {
                unreadable.add(item.path() + ": " + e.getMessage());
                bar.message("WARNING: skipped unreadable " + item.path() + ": " + e.getMessage());
                continue;
            } catch (LinkageError e) {
                String why = "video category skipped: the video classes or FFmpeg's natives did not load (" + e + ")";
                skipped.add(why);
                bar.message("WARNING: " + why);
                break;
            } finally {
                deleteTemporary(opened, bar);
            }
            if (clip.truncated()) {
                bar.message("video: " + item.path() + ": the first " + clip.frames().size()
                        + " frames are coded (" + video.name() + " matrix limit)");
            }
            rows.addAll(runner.measure(item, clip, bar, i));
        }
        bar.finish();
        runner.skipped().stream().filter(s -> !skipped.contains(s)).forEach(skipped::add);
        return rows;
    }

    private static void deleteTemporary(CorpusVideoItem.Opened opened, Progress bar) {
        if (opened != null && opened.temporary()) {
            try {
                Files.deleteIfExists(opened.file());
            } catch (IOException e) {
                bar.message("WARNING: cannot delete temporary file " + opened.file() + ": " + e);
            }
        }
    }

    /**
     * Codes each WAV clip with the audio codecs (after a short warm-up). Runs after the images,
     * with its own progress bar, so the image timings are unaffected.
     */
    private List<CorpusAudioMeasurement> runAudio(List<CorpusAudioItem> clips, List<String> unreadable) {
        List<CorpusAudioMeasurement> rows = new ArrayList<>();
        if (clips.isEmpty()) {
            return rows;
        }
        boolean tty = interactive != null ? interactive : progress == System.err && System.console() != null;
        Progress bar = new Progress(progress, tty, clips.size());
        if (minMeasureNanos > 0) {
            bar.update(0, "warming up audio");
            // Opus (Concentus) takes a while to be JIT-compiled: one pass left the first clips
            // timed at a third of their warm speed, so warm up for about ten timing periods.
            WavFile clip = CorpusAudio.warmUpClip();
            CorpusAudioItem dummy = new CorpusAudioItem("warm-up", "generated", () -> null);
            long start = System.nanoTime();
            do {
                CorpusAudio.measure(dummy, clip, minMeasureNanos);
            } while (System.nanoTime() - start < 10 * minMeasureNanos);
        }
        for (int i = 0; i < clips.size(); i++) {
            CorpusAudioItem clip = clips.get(i);
            bar.update(i, clip.path());
            WavFile wav;
            try {
                wav = WavFile.read(clip.load());
            } catch (IOException | RuntimeException e) {
                unreadable.add(clip.path() + ": " + e.getMessage());
                bar.message("WARNING: skipped unreadable " + clip.path() + ": " + e.getMessage());
                continue;
            }
            for (CorpusAudioMeasurement m : CorpusAudio.measure(clip, wav, minMeasureNanos)) {
                if (!m.ok()) {
                    bar.message("!!! " + m.codec() + " FAILED on " + m.path() + ": " + m.error());
                }
                rows.add(m);
            }
        }
        bar.finish();
        return rows;
    }

    private void prepareOutDir() throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("output path exists and is not a directory: " + out);
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new IOException("cannot create output directory " + out + ": " + e, e);
        }
        if (!Files.isWritable(out)) {
            throw new IOException("output directory is not writable: " + out);
        }
    }

    /**
     * Runs each codec a little on a generated image so that the first corpus files are not
     * timed with cold, interpreted code.
     */
    private void warmUp() {
        CorpusItem dummy = new CorpusItem("warm-up", "generated", () -> null);
        for (SpiceBitmapFormat f : List.of(SpiceBitmapFormat.RGB32, SpiceBitmapFormat.RGBA)) {
            SpiceBitmap src = warmUpImage(f, 0);
            for (CorpusCodec codec : codecs) {
                if (codec.supports(f) && !codec.isSequential()) {
                    measure(dummy, src, codec);
                }
            }
        }
        // A sequential codec runs each image once, so the loop above would leave it cold; give it
        // a scrolling sequence of its own for about as long as the others were timed.
        for (CorpusCodec codec : codecs) {
            if (!codec.isSequential()) {
                continue;
            }
            for (SpiceBitmapFormat f : List.of(SpiceBitmapFormat.RGB32, SpiceBitmapFormat.RGBA)) {
                if (!codec.supports(f)) {
                    continue;
                }
                codec.startSequence();
                long start = System.nanoTime();
                for (int frame = 0; frame < 200 && System.nanoTime() - start < 2 * minMeasureNanos; frame++) {
                    measure(dummy, warmUpImage(f, frame), codec);
                }
            }
            codec.startSequence();
        }
    }

    /** A 256x256 picture with some structure and some noise, scrolled by {@code shift} rows. */
    private static SpiceBitmap warmUpImage(SpiceBitmapFormat f, int shift) {
        SpiceBitmap src = SpiceBitmap.allocate(f, 256, 256);
        byte[] d = src.data();
        int offset = shift * 8 * src.stride();
        for (int i = 0; i < d.length; i++) {
            int j = i + offset;
            d[i] = (byte) ((j * 7) ^ (j >>> 10));
        }
        return src;
    }

    /**
     * Encodes, decodes and verifies once, then times each direction. Codec exceptions become
     * errors. A sequential codec is run exactly once each way, and those runs are the timings.
     */
    private CorpusMeasurement measure(CorpusItem item, SpiceBitmap src, CorpusCodec codec) {
        if (codec.isSequential()) {
            return measureOnce(item, src, codec);
        }
        int w = src.width();
        int h = src.height();
        long raw = 4L * w * h;
        Boolean lossless = codec.isLossless() ? Boolean.TRUE : null;
        long encodedBytes = 0;
        double encNs = 0;
        double decNs = 0;
        String step = "encode";
        try {
            long max = codec.maxEncodedLength(src.format(), w, h);
            if (max > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("encoded size bound " + max + " does not fit an array");
            }
            byte[] buf = new byte[(int) max];
            int len = codec.encode(src, buf); // also the warm-up
            if (len < 0) {
                throw new IllegalStateException("output did not fit in maxEncodedLength = " + max + " bytes");
            }
            encodedBytes = len;
            int[] lastLen = {len};
            encNs = time(() -> lastLen[0] = codec.encode(src, buf));
            if (lastLen[0] != len) {
                throw new IllegalStateException("encoding the same image twice gave " + len + " then "
                        + lastLen[0] + " bytes");
            }

            step = "decode";
            SpiceBitmap dst = SpiceBitmap.allocate(src.format(), w, h);
            Arrays.fill(dst.data(), POISON);
            codec.decode(buf, len, dst); // also the warm-up
            if (codec.isLossless()) {
                String diff = compare(src, dst);
                if (diff != null) {
                    lossless = Boolean.FALSE;
                    decNs = time(() -> codec.decode(buf, len, dst));
                    return new CorpusMeasurement(item.category(), item.name(), w, h, src.format(), codec.name(),
                            raw, encodedBytes, encNs, decNs, lossless, "LOSSLESS MISMATCH: " + diff);
                }
            }
            decNs = time(() -> codec.decode(buf, len, dst));
            if (!codec.isLossless()) {
                return lossyResult(item, src, dst, codec, raw, encodedBytes, encNs, decNs);
            }
            return new CorpusMeasurement(item.category(), item.name(), w, h, src.format(), codec.name(),
                    raw, encodedBytes, encNs, decNs, lossless, null);
        } catch (RuntimeException e) {
            String why = step + " threw " + e.getClass().getSimpleName() + ": " + e.getMessage();
            return new CorpusMeasurement(item.category(), item.name(), w, h, src.format(), codec.name(),
                    raw, 0, 0, 0, codec.isLossless() ? Boolean.FALSE : null, why);
        }
    }

    /**
     * {@link #measure} for a sequential codec: one encode and one decode, each timed, because a
     * second encode of the same image would be coded against the first. After a failure the
     * codec starts a new sequence so that its encoder and decoder state agree again.
     */
    private CorpusMeasurement measureOnce(CorpusItem item, SpiceBitmap src, CorpusCodec codec) {
        int w = src.width();
        int h = src.height();
        long raw = 4L * w * h;
        String step = "encode";
        try {
            long max = codec.maxEncodedLength(src.format(), w, h);
            if (max > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("encoded size bound " + max + " does not fit an array");
            }
            byte[] buf = new byte[(int) max];
            SpiceBitmap dst = SpiceBitmap.allocate(src.format(), w, h);
            Arrays.fill(dst.data(), POISON);
            long t0 = System.nanoTime();
            int len = codec.encode(src, buf);
            long t1 = System.nanoTime();
            if (len < 0) {
                throw new IllegalStateException("output did not fit in maxEncodedLength = " + max + " bytes");
            }
            step = "decode";
            codec.decode(buf, len, dst);
            long t2 = System.nanoTime();
            if (!codec.isLossless()) {
                return lossyResult(item, src, dst, codec, raw, len, Math.max(t1 - t0, 1), Math.max(t2 - t1, 1));
            }
            String diff = compare(src, dst);
            Boolean lossless = diff == null;
            if (diff != null) {
                codec.startSequence();
            }
            return new CorpusMeasurement(item.category(), item.name(), w, h, src.format(), codec.name(),
                    raw, len, Math.max(t1 - t0, 1), Math.max(t2 - t1, 1), lossless,
                    diff == null ? null : "LOSSLESS MISMATCH: " + diff);
        } catch (RuntimeException e) {
            codec.startSequence();
            String why = step + " threw " + e.getClass().getSimpleName() + ": " + e.getMessage();
            return new CorpusMeasurement(item.category(), item.name(), w, h, src.format(), codec.name(),
                    raw, 0, 0, 0, codec.isLossless() ? Boolean.FALSE : null, why);
        }
    }

    /**
     * A lossy codec's row: its colour PSNR, and a failure if it changed the alpha channel (SPICE
     * codes alpha losslessly even beside lossy colour, as JPEG_ALPHA does).
     */
    private static CorpusMeasurement lossyResult(CorpusItem item, SpiceBitmap src, SpiceBitmap dst, CorpusCodec codec,
                                                 long raw, long encodedBytes, double encNs, double decNs) {
        String alpha = src.format() == SpiceBitmapFormat.RGBA ? compareAlpha(src, dst) : null;
        return new CorpusMeasurement(item.category(), item.name(), src.width(), src.height(), src.format(),
                codec.name(), raw, encodedBytes, encNs, decNs, null, colourPsnr(src, dst),
                alpha == null ? null : "ALPHA CHANGED: " + alpha);
    }

    /**
     * PSNR in dB of the B, G and R bytes of {@code actual} against {@code expected} (8-bit, peak
     * 255, the three channels pooled), {@link CorpusVideo#IDENTICAL_DB} if they are equal.
     */
    static double colourPsnr(SpiceBitmap expected, SpiceBitmap actual) {
        int bpp = expected.format().bytesPerPixel();
        int w = expected.width();
        RowCursor a = new RowCursor();
        RowCursor b = new RowCursor();
        a.reset(expected, true);
        b.reset(actual, true);
        double sse = 0;
        while (a.next() && b.next()) {
            long row = 0;
            for (int x = 0; x < w; x++) {
                int pa = a.offset + x * bpp;
                int pb = b.offset + x * bpp;
                for (int k = 0; k < 3; k++) {
                    int d = (a.array[pa + k] & 0xFF) - (b.array[pb + k] & 0xFF);
                    row += d * d;
                }
            }
            sse += row;
        }
        double mse = sse / (3.0 * w * expected.height());
        return mse == 0 ? CorpusVideo.IDENTICAL_DB : Math.min(CorpusVideo.IDENTICAL_DB, 10 * Math.log10(255.0 * 255.0 / mse));
    }

    /** Null if the alpha bytes of two RGBA bitmaps agree, else where they first differ. */
    private static String compareAlpha(SpiceBitmap expected, SpiceBitmap actual) {
        int w = expected.width();
        RowCursor a = new RowCursor();
        RowCursor b = new RowCursor();
        a.reset(expected, true);
        b.reset(actual, true);
        long bad = 0;
        String first = null;
        for (int y = 0; a.next() && b.next(); y++) {
            for (int x = 0; x < w; x++) {
                int ea = a.array[a.offset + x * 4 + 3] & 0xFF;
                int ga = b.array[b.offset + x * 4 + 3] & 0xFF;
                if (ea != ga) {
                    if (first == null) {
                        first = "(" + x + "," + y + "): expected alpha " + ea + ", got " + ga;
                    }
                    bad++;
                }
            }
        }
        return bad == 0 ? null : bad + " pixels differ, first at " + first;
    }

    /** Mean nanoseconds per run of {@code op}, repeated until at least the minimum time has passed. */
    private double time(Runnable op) {
        int n = 0;
        long start = System.nanoTime();
        long elapsed;
        do {
            op.run();
            n++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < minMeasureNanos);
        return (double) elapsed / n;
    }

    /**
     * Null if {@code actual} holds the same pixels as {@code expected}, else a description of the
     * difference. The padding byte of RGB32 is not coded by lossless codecs, so it is not compared.
     */
    static String compare(SpiceBitmap expected, SpiceBitmap actual) {
        SpiceBitmapFormat f = expected.format();
        int bpp = f.bytesPerPixel();
        int compared = f == SpiceBitmapFormat.RGB32 ? 3 : bpp;
        int w = expected.width();
        RowCursor a = new RowCursor();
        RowCursor b = new RowCursor();
        a.reset(expected, true);
        b.reset(actual, true);
        long bad = 0;
        String first = null;
        for (int y = 0; a.next() && b.next(); y++) {
            for (int x = 0; x < w; x++) {
                int pa = a.offset + x * bpp;
                int pb = b.offset + x * bpp;
                for (int k = 0; k < compared; k++) {
                    if (a.array[pa + k] != b.array[pb + k]) {
                        if (first == null) {
                            first = "(" + x + "," + y + "): expected " + hex(a.array, pa, compared)
                                    + ", got " + hex(b.array, pb, compared);
                        }
                        bad++;
                        break;
                    }
                }
            }
        }
        if (bad == 0) {
            return null;
        }
        return String.format(Locale.ROOT, "%d of %d pixels differ (%.3f%%), first at %s", bad, (long) w * expected.height(),
                100.0 * bad / ((long) w * expected.height()), first);
    }

    /** Pixel bytes as stored (B, G, R[, A]). */
    private static String hex(byte[] d, int p, int n) {
        StringBuilder sb = new StringBuilder("BGRA".substring(0, n)).append('=');
        for (int k = 0; k < n; k++) {
            sb.append(String.format("%02x", d[p + k] & 0xFF));
        }
        return sb.toString();
    }

    /** Configures a {@link CorpusRunner}. */
    public static final class Builder {
        private Path corpus;
        private Path out = DEFAULT_OUT;
        private PrintStream progress;
        private Boolean interactive;
        private List<CorpusCodec> codecs;
        private long minMeasureMillis = 100;
        private VideoMatrix video;
        private boolean videoSet;

        private Builder() {
        }

        /**
         * What the video category runs, or {@code null} to leave video clips out. Default: the
         * matrix named by the system property {@value VideoMatrix#PROPERTY}, else
         * {@link VideoMatrix#quick()}.
         */
        public Builder video(VideoMatrix matrix) {
            this.video = matrix;
            this.videoSet = true;
            return this;
        }

        /** A directory laid out like the research corpus, or {@code null} (the default) for the embedded corpus. */
        public Builder corpus(Path dir) {
            this.corpus = dir;
            return this;
        }

        /** Where {@code results.csv} and {@code chart.png} go; created if missing. Default {@code ./corpus-report}. */
        public Builder out(Path dir) {
            this.out = Objects.requireNonNull(dir, "out");
            return this;
        }

        /** Stream for the progress display and failure messages, typically {@code System.err}; null (default) for none. */
        public Builder progress(PrintStream ps) {
            this.progress = ps;
            return this;
        }

        /**
         * Forces the progress display to rewrite one line ({@code true}) or print plain lines
         * ({@code false}). By default it rewrites one line only when the stream is
         * {@code System.err} and {@link System#console()} is not null.
         */
        public Builder interactiveProgress(boolean interactive) {
            this.interactive = interactive;
            return this;
        }

        /** The codecs to compare, in report order; default {@link CorpusCodecs#defaults()}. */
        public Builder codecs(List<? extends CorpusCodec> codecs) {
            this.codecs = List.copyOf(codecs);
            return this;
        }

        /** Each timing repeats its operation until this many milliseconds have passed; default 100. 0 times a single run. */
        public Builder minMeasureMillis(long millis) {
            if (millis < 0) {
                throw new IllegalArgumentException("minMeasureMillis must be >= 0: " + millis);
            }
            this.minMeasureMillis = millis;
            return this;
        }

        public CorpusRunner build() {
            return new CorpusRunner(this);
        }
    }
}
