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
            + "encode_mb_s,decode_mb_s,lossless_ok,error";

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
        for (CorpusMeasurement m : ms) {
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
        return new CorpusSummary(category, codec, files, raw, enc, encNs, decNs, failures);
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
                    s.encodeMBps(), s.decodeMBps(), s.failures() == 0 ? "ok" : "FAILED " + s.failures());
        }
        out.println("(ratio = raw bytes / encoded bytes, raw = width x height x 4; MB/s of raw bytes, MB = 10^6 bytes)");
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
