package org.spicecodec.corpus;

import java.awt.Color;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** Turns measurements into summaries, a text table, a CSV file and a chart. */
final class CorpusReport {
    static final String CSV_HEADER = "category,file,width,height,format,codec,raw_bytes,encoded_bytes,ratio,"
            + "encode_mb_s,decode_mb_s,lossless_ok,bits_per_pixel,psnr_db,error";

    private CorpusReport() {
    }

    /**
     * Totals per category and codec (categories in first-seen order, codecs in
     * {@code codecOrder}), then one {@link CorpusSummary#ALL} row per codec.
     */
    static List<CorpusSummary> summarize(List<CorpusMeasurement> ms, List<String> codecOrder) {
        Set<String> categories = new LinkedHashSet<>();
        ms.forEach(m -> categories.add(m.category()));
        List<CorpusSummary> out = new ArrayList<>();
        for (String cat : categories) {
            for (String codec : codecOrder) {
                CorpusSummary s = total(cat, codec, ms.stream()
                        .filter(m -> m.category().equals(cat) && m.codec().equals(codec)).toList());
                if (s != null) {
                    out.add(s);
                }
            }
        }
        for (String codec : codecOrder) {
            CorpusSummary s = total(CorpusSummary.ALL, codec, ms.stream().filter(m -> m.codec().equals(codec)).toList());
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private static CorpusSummary total(String category, String codec, List<CorpusMeasurement> ms) {
        if (ms.isEmpty()) {
            return null;
        }
        long raw = 0;
        long enc = 0;
        double encNs = 0;
        double decNs = 0;
        int failures = 0;
        int files = 0;
        double psnrSum = 0;
        int psnrFiles = 0;
        for (CorpusMeasurement m : ms) {
            if (m.ok() && !Double.isNaN(m.psnrDb())) {
                psnrSum += m.psnrDb();
                psnrFiles++;
            }
            if (!m.ok() && m.encodedBytes() == 0) {
                failures++;
                continue;
            }
            if (!m.ok()) {
                failures++;
            }
            // A mismatching round trip still has a size and speed worth showing; it is flagged.
            files++;
            raw += m.rawBytes();
            enc += m.encodedBytes();
            encNs += m.encodeNanos();
            decNs += m.decodeNanos();
        }
        return new CorpusSummary(category, codec, files, raw, enc, encNs, decNs, failures,
                psnrFiles == 0 ? Double.NaN : psnrSum / psnrFiles);
    }

    /** The summary table, fixed-width, for a terminal. */
    static void printTable(PrintStream out, List<CorpusSummary> summaries) {
        int catWidth = Math.max(8, summaries.stream().mapToInt(s -> s.category().length()).max().orElse(0));
        int codecWidth = Math.max(5, summaries.stream().mapToInt(s -> s.codec().length()).max().orElse(0));
        String head = "%-" + catWidth + "s  %-" + codecWidth + "s  %5s  %8s  %8s  %9s  %9s  %s%n";
        String row = "%-" + catWidth + "s  %-" + codecWidth + "s  %5d  %8.1f  %8.2f  %9.1f  %9.1f  %s%n";
        out.printf(Locale.ROOT, head, "category", "codec", "files", "raw MB", "ratio", "enc MB/s", "dec MB/s", "check");
        String previous = null;
        for (CorpusSummary s : summaries) {
            if (previous != null && !previous.equals(s.category())) {
                out.println();
            }
            previous = s.category();
            out.printf(Locale.ROOT, row, s.category(), s.codec(), s.files(), s.rawMB(), s.ratio(),
                    s.encodeMBps(), s.decodeMBps(), s.failures() != 0 ? "FAILED " + s.failures()
                            : s.lossy() ? String.format(Locale.ROOT, "lossy, PSNR %.2f dB", s.meanPsnrDb()) : "ok");
        }
        out.println("(ratio = raw bytes / encoded bytes, raw = width x height x 4; MB/s of raw bytes, MB = 10^6 bytes)");
    }

    /**
     * The lossy codecs against the lossless reference: per category and codec, bits per pixel,
     * the files' mean and lowest PSNR, and how many times smaller than {@code reference}'s
     * lossless output the lossy output is, over the files both coded. Prints nothing without a
     * lossy codec.
     */
    static void printLossyTable(PrintStream out, List<CorpusMeasurement> ms, List<CorpusCodec> codecs, String reference) {
        List<String> codecOrder = codecs.stream().map(CorpusCodec::name).toList();
        List<String> lossy = codecOrder.stream().filter(c -> ms.stream()
                .anyMatch(m -> m.codec().equals(c) && m.losslessOk() == null)).toList();
        if (lossy.isEmpty()) {
            return;
        }
        Set<String> categories = new LinkedHashSet<>();
        ms.forEach(m -> categories.add(m.category()));
        categories.add(CorpusSummary.ALL);
        Map<String, CorpusMeasurement> ref = new LinkedHashMap<>();
        ms.stream().filter(m -> m.codec().equals(reference) && m.ok()).forEach(m -> ref.put(m.path(), m));
        out.println();
        out.println("Lossy: size and quality against " + reference + " (lossless). bpp = encoded bits per pixel;"
                + " PSNR of B,G,R together");
        out.println("(dB; mean and lowest over the files); x smaller = " + reference
                + " bytes / lossy bytes over the files both coded.");
        codecs.stream().filter(c -> lossy.contains(c.name()) && !c.description().equals(c.name()))
                .forEach(c -> out.println(c.name() + ": " + c.description()));
        String head = "%-12s  %-9s  %5s  %10s  %6s  %9s  %9s  %10s  %9s%n";
        out.printf(Locale.ROOT, head, "category", "codec", "files", "bytes", "bpp", "PSNR mean", "PSNR min",
                reference + " bpp", "x smaller");
        for (String codec : lossy) {
            for (String cat : categories) {
                List<CorpusMeasurement> rows = ms.stream().filter(m -> m.codec().equals(codec) && m.ok()
                        && (cat.equals(CorpusSummary.ALL) || m.category().equals(cat))).toList();
                if (rows.isEmpty()) {
                    continue;
                }
                long bytes = rows.stream().mapToLong(CorpusMeasurement::encodedBytes).sum();
                long pixels = rows.stream().mapToLong(m -> (long) m.width() * m.height()).sum();
                double mean = rows.stream().mapToDouble(CorpusMeasurement::psnrDb).average().orElse(Double.NaN);
                double min = rows.stream().mapToDouble(CorpusMeasurement::psnrDb).min().orElse(Double.NaN);
                List<CorpusMeasurement> paired = rows.stream().filter(m -> ref.containsKey(m.path())).toList();
                long lossyPaired = paired.stream().mapToLong(CorpusMeasurement::encodedBytes).sum();
                long refPaired = paired.stream().mapToLong(m -> ref.get(m.path()).encodedBytes()).sum();
                long refPixels = paired.stream().mapToLong(m -> (long) m.width() * m.height()).sum();
                out.printf(Locale.ROOT, "%-12s  %-9s  %5d  %10d  %6.3f  %9.2f  %9.2f  %10s  %9s%n", cat, codec,
                        rows.size(), bytes, bytes * 8.0 / pixels, mean, min,
                        refPixels == 0 ? "n/a" : String.format(Locale.ROOT, "%.3f", refPaired * 8.0 / refPixels),
                        lossyPaired == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", (double) refPaired / lossyPaired));
            }
        }
    }

    static void writeCsv(Path file, List<CorpusMeasurement> ms) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(CSV_HEADER);
            w.write('\n');
            for (CorpusMeasurement m : ms) {
                w.write(String.join(",",
                        csv(m.category()), csv(m.file()), Integer.toString(m.width()), Integer.toString(m.height()),
                        m.format().name(), csv(m.codec()), Long.toString(m.rawBytes()), Long.toString(m.encodedBytes()),
                        String.format(Locale.ROOT, "%.4f", m.ratio()),
                        String.format(Locale.ROOT, "%.2f", m.encodeMBps()),
                        String.format(Locale.ROOT, "%.2f", m.decodeMBps()),
                        m.losslessOk() == null ? "n/a" : m.losslessOk().toString(),
                        String.format(Locale.ROOT, "%.4f", m.bitsPerPixel()),
                        Double.isNaN(m.psnrDb()) ? "" : String.format(Locale.ROOT, "%.3f", m.psnrDb()),
                        m.error() == null ? "" : csv(m.error())));
                w.write('\n');
            }
        }
    }

    /** RFC 4180 quoting, only where needed. */
    static String csv(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** Three bar charts side by side in one PNG: ratio, encode speed, decode speed, per category and codec. */
    static void writeChart(Path file, List<CorpusSummary> summaries, List<String> codecOrder) throws IOException {
        List<String> categories = new ArrayList<>();
        summaries.forEach(s -> {
            if (!categories.contains(s.category())) {
                categories.add(s.category());
            }
        });
        List<CategoryChart> charts = List.of(
                chart("Compression ratio (raw / encoded)", "ratio", categories, summaries, codecOrder,
                        CorpusSummary::ratio),
                chart("Encode speed", "MB/s of raw pixels", categories, summaries, codecOrder,
                        CorpusSummary::encodeMBps),
                chart("Decode speed", "MB/s of raw pixels", categories, summaries, codecOrder,
                        CorpusSummary::decodeMBps));
        BitmapEncoder.saveBitmap(charts, 1, charts.size(), file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static CategoryChart chart(String title, String yTitle, List<String> categories,
                                       List<CorpusSummary> summaries, List<String> codecOrder,
                                       java.util.function.ToDoubleFunction<CorpusSummary> value) {
        CategoryChart c = new CategoryChartBuilder().width(640).height(440).title(title)
                .xAxisTitle("category").yAxisTitle(yTitle).build();
        // Below the plot, in one row: with six codecs a legend inside would hide bars.
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setXAxisLabelRotation(20);
        c.getStyler().setAvailableSpaceFill(0.8);
        for (String codec : codecOrder) {
            Map<String, Double> byCategory = new LinkedHashMap<>();
            summaries.stream().filter(s -> s.codec().equals(codec))
                    .forEach(s -> byCategory.put(s.category(), value.applyAsDouble(s)));
            if (byCategory.isEmpty()) {
                continue;
            }
            // Every series needs every category; a codec that skipped one shows 0 there.
            List<Double> ys = categories.stream().map(cat -> byCategory.getOrDefault(cat, 0.0)).toList();
            c.addSeries(codec, categories, ys);
        }
        return c;
    }
}
