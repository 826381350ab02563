package org.spicecodec.corpus;

import java.nio.file.Path;
import java.util.List;

/**
 * What a run measured and wrote.
 *
 * @param measurements one per image and codec, in run order
 * @param summaries    per category and codec, then one {@link CorpusSummary#ALL} row per codec
 * @param unreadable   corpus files that could not be read as images, with the reason
 * @param csv          the CSV written
 * @param chart        the chart written
 */
public record CorpusResult(List<CorpusMeasurement> measurements, List<CorpusSummary> summaries,
                           List<String> unreadable, Path csv, Path chart) {

    public CorpusResult {
        measurements = List.copyOf(measurements);
        summaries = List.copyOf(summaries);
        unreadable = List.copyOf(unreadable);
    }

    /** Measurements where a codec failed or a lossless round trip was not exact. */
    public List<CorpusMeasurement> failures() {
        return measurements.stream().filter(m -> !m.ok()).toList();
    }

    /** True when every codec ran and every lossless round trip was exact. */
    public boolean ok() {
        return failures().isEmpty();
    }
}
