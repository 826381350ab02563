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
 * {@code chart.png}. WAV clips are then coded with SPICE's audio codecs (Opus, raw PCM) and
 * reported in a second table and {@code audio.csv}; see {@link CorpusAudio}.
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

    /** Pattern the decode target is filled with, so pixels a decoder never writes show up. */
    private static final byte POISON = (byte) 0xA5;

    private final Path corpusDir;
    private final Path out;
    private final PrintStream progress;
    private final Boolean interactive;
    private final List<CorpusCodec> codecs;
    private final long minMeasureNanos;

    private CorpusRunner(Builder b) {
        this.corpusDir = b.corpus;
        this.out = b.out;
        this.progress = b.progress;
        this.interactive = b.interactive;
        this.codecs = b.codecs != null ? List.copyOf(b.codecs) : CorpusCodecs.defaults();
        this.minMeasureNanos = b.minMeasureMillis * 1_000_000L;
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

        List<String> codecNames = codecs.stream().map(CorpusCodec::name).toList();
        List<CorpusSummary> summaries = CorpusReport.summarize(results, codecNames);
        Path csv = this.out.resolve(CSV_FILE);
        Path chart = this.out.resolve(CHART_FILE);

        out.println("Corpus: " + corpus.description() + " - " + items.size() + " image(s)"
                + (corpus.audioItems().isEmpty() ? "" : ", " + corpus.audioItems().size() + " audio clip(s)")
                + (corpus.ignoredCategories().isEmpty() ? ""
                   : "; ignored (no image or audio files): " + String.join(", ", corpus.ignoredCategories())));
        out.println();
        CorpusReport.printTable(out, summaries);
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
        out.println();
        out.println("Wrote " + csv.toAbsolutePath());
        if (chart != null) {
            out.println("Wrote " + chart.toAbsolutePath());
        }
        if (audioCsv != null) {
            out.println("Wrote " + audioCsv.toAbsolutePath());
        }
        CorpusResult result = new CorpusResult(results, summaries, unreadable, csv, chart, audio, audioCsv);
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
        out.flush();
        return result;
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
            String diff = codec.isLossless() ? compare(src, dst) : null;
            Boolean lossless = codec.isLossless() ? diff == null : null;
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

        private Builder() {
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
