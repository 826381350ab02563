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
 * @param chart        the chart written, or null when no image was measured
 * @param audio        one per audio clip and audio codec, in run order
 * @param audioCsv     the audio CSV written, or null when the corpus has no audio
 * @param video        one per video clip, codec, backend, preset and rate point, in run order
 * @param videoSkipped why codecs, backends or settings of the video matrix were skipped or adapted
 * @param videoCsv     the video CSV written, or null when no clip was run
 * @param videoChart   the rate-distortion chart written, or null when no row had a bit rate and PSNR
 */
public record CorpusResult(List<CorpusMeasurement> measurements, List<CorpusSummary> summaries,
                           List<String> unreadable, Path csv, Path chart,
                           List<CorpusAudioMeasurement> audio, Path audioCsv,
                           List<CorpusVideoMeasurement> video, List<String> videoSkipped, Path videoCsv,
                           Path videoChart) {

    public CorpusResult {
        measurements = List.copyOf(measurements);
        summaries = List.copyOf(summaries);
        unreadable = List.copyOf(unreadable);
        audio = List.copyOf(audio);
        video = List.copyOf(video);
        videoSkipped = List.copyOf(videoSkipped);
    }

    /** A result without video. */
    public CorpusResult(List<CorpusMeasurement> measurements, List<CorpusSummary> summaries,
                        List<String> unreadable, Path csv, Path chart,
                        List<CorpusAudioMeasurement> audio, Path audioCsv) {
        this(measurements, summaries, unreadable, csv, chart, audio, audioCsv, List.of(), List.of(), null, null);
    }

    /** A result without audio. */
    public CorpusResult(List<CorpusMeasurement> measurements, List<CorpusSummary> summaries,
                        List<String> unreadable, Path csv, Path chart) {
        this(measurements, summaries, unreadable, csv, chart, List.of(), null);
    }

    /** Audio measurements where a codec failed. */
    public List<CorpusAudioMeasurement> audioFailures() {
        return audio.stream().filter(m -> !m.ok()).toList();
    }

    /** Video rows where encoding or decoding failed (skipped configurations are not failures). */
    public List<CorpusVideoMeasurement> videoFailures() {
        return video.stream().filter(m -> !m.ok()).toList();
    }

    /** Measurements where a codec failed or a lossless round trip was not exact. */
    public List<CorpusMeasurement> failures() {
        return measurements.stream().filter(m -> !m.ok()).toList();
    }

    /** True when every codec (image, audio, video) ran and every lossless round trip was exact. */
    public boolean ok() {
        return failures().isEmpty() && audioFailures().isEmpty() && videoFailures().isEmpty();
    }
}
