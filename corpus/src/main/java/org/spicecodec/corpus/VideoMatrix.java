package org.spicecodec.corpus;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.spicecodec.core.video.VideoCodecType;

/**
 * What the video category runs: which codecs on which backends, which x264/x265 presets, which
 * constant-QP rate points, and how much of each clip.
 *
 * <p>{@link #quick()} keeps the default {@code spicecodec corpus} run short (a few seconds of
 * encoding per codec on the embedded excerpts); {@link #full()} is the whole matrix. The system
 * property {@value #PROPERTY} ({@code quick}, {@code full} or {@code off}) picks one for runs
 * that cannot pass a builder option, e.g.
 * {@code JAVA_TOOL_OPTIONS=-Dspicecodec.corpus.video=full ./spicecodec corpus}.
 *
 * @param name       shown in the report header ("quick", "full", ...)
 * @param codecs     the stream codecs, in report order
 * @param backends   backend names ("ffmpeg", "gstreamer", "jcodec"), in report order
 * @param presets    x264/x265 presets tried for H.264 and H.265 (other codecs have none)
 * @param qps        constant QPs per codec, on that codec's scale (H.26x 0–51, VPx 0–63, MJPEG 1–31)
 * @param bitRates   bits/s used instead of QPs on a backend that refuses constant QP for a codec
 * @param maxFrames  frames read from the start of each clip
 * @param maxClipBytes cap on each clip's decoded frames (4 bytes a pixel), so a long full-HD clip
 *                   of another corpus cannot exhaust the heap
 */
public record VideoMatrix(String name, List<VideoCodecType> codecs, List<String> backends, List<String> presets,
                          Map<VideoCodecType, List<Integer>> qps, List<Long> bitRates, int maxFrames,
                          long maxClipBytes) {

    /** The system property that selects the matrix of a default run. */
    public static final String PROPERTY = "spicecodec.corpus.video";

    private static final List<VideoCodecType> ALL_CODECS = List.of(VideoCodecType.H264, VideoCodecType.H265,
            VideoCodecType.VP8, VideoCodecType.VP9, VideoCodecType.MJPEG);
    private static final List<String> ALL_BACKENDS = List.of("ffmpeg", "gstreamer", "jcodec");

    public VideoMatrix {
        Objects.requireNonNull(name, "name");
        codecs = List.copyOf(codecs);
        backends = List.copyOf(backends);
        presets = List.copyOf(presets);
        EnumMap<VideoCodecType, List<Integer>> copy = new EnumMap<>(VideoCodecType.class);
        qps.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        qps = java.util.Collections.unmodifiableMap(copy);
        bitRates = List.copyOf(bitRates);
        if (maxFrames < 1 || maxClipBytes < 1) {
            throw new IllegalArgumentException("maxFrames and maxClipBytes must be positive");
        }
        for (VideoCodecType c : codecs) {
            if (qps.getOrDefault(c, List.of()).isEmpty()) {
                throw new IllegalArgumentException("no QPs given for " + c);
            }
        }
        for (long b : bitRates) {
            if (b <= 0) {
                throw new IllegalArgumentException("bit rates must be positive: " + b);
            }
        }
        if (presets.isEmpty()) {
            throw new IllegalArgumentException("at least one preset (x264/x265 need one)");
        }
    }

    /**
     * The default run: every codec and backend, x264/x265 at ultrafast (what spice-server uses)
     * and medium, three QPs, the first 20 frames of each clip.
     */
    public static VideoMatrix quick() {
        return new VideoMatrix("quick", ALL_CODECS, ALL_BACKENDS, List.of("ultrafast", "medium"),
                Map.of(VideoCodecType.H264, List.of(22, 30, 38),
                        VideoCodecType.H265, List.of(22, 30, 38),
                        VideoCodecType.VP8, List.of(16, 32, 48),
                        VideoCodecType.VP9, List.of(16, 32, 48),
                        VideoCodecType.MJPEG, List.of(3, 8, 20)),
                List.of(500_000L, 2_000_000L, 6_000_000L), 20, 256L << 20);
    }

    /** The whole matrix: four presets, four or five QPs, up to 250 frames of each clip. */
    public static VideoMatrix full() {
        return new VideoMatrix("full", ALL_CODECS, ALL_BACKENDS, List.of("ultrafast", "veryfast", "medium", "slow"),
                Map.of(VideoCodecType.H264, List.of(18, 22, 26, 32, 38),
                        VideoCodecType.H265, List.of(18, 22, 26, 32, 38),
                        VideoCodecType.VP8, List.of(8, 16, 24, 32, 48),
                        VideoCodecType.VP9, List.of(8, 16, 24, 32, 48),
                        VideoCodecType.MJPEG, List.of(2, 3, 5, 8, 20)),
                List.of(250_000L, 500_000L, 1_000_000L, 2_000_000L, 6_000_000L), 250, 1L << 30);
    }

    /**
     * The matrix named by {@value #PROPERTY}: {@code quick} (the default when unset), {@code full},
     * or {@code off} (null: no video category).
     *
     * @throws IllegalArgumentException for any other value
     */
    public static VideoMatrix fromSystemProperty() {
        return named(System.getProperty(PROPERTY, "quick"));
    }

    /** {@code quick}, {@code full}, or {@code off} (null). */
    public static VideoMatrix named(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "quick", "" -> quick();
            case "full" -> full();
            case "off", "none" -> null;
            default -> throw new IllegalArgumentException("video matrix must be quick, full or off, got '" + name + "'");
        };
    }

    /** Whether x264/x265 presets apply to this codec. */
    static boolean hasPresets(VideoCodecType codec) {
        return codec == VideoCodecType.H264 || codec == VideoCodecType.H265;
    }

    /** A copy with other codecs. */
    public VideoMatrix withCodecs(List<VideoCodecType> codecs) {
        return new VideoMatrix(name, codecs, backends, presets, qps, bitRates, maxFrames, maxClipBytes);
    }

    /** A copy with other backends. */
    public VideoMatrix withBackends(List<String> backends) {
        return new VideoMatrix(name, codecs, backends, presets, qps, bitRates, maxFrames, maxClipBytes);
    }

    /** A copy with other presets. */
    public VideoMatrix withPresets(List<String> presets) {
        return new VideoMatrix(name, codecs, backends, presets, qps, bitRates, maxFrames, maxClipBytes);
    }

    /** A copy with other QPs for one codec. */
    public VideoMatrix withQps(VideoCodecType codec, List<Integer> values) {
        EnumMap<VideoCodecType, List<Integer>> m = new EnumMap<>(qps);
        m.put(codec, values);
        return new VideoMatrix(name, codecs, backends, presets, m, bitRates, maxFrames, maxClipBytes);
    }

    /** A copy that reads at most this many frames of each clip. */
    public VideoMatrix withMaxFrames(int frames) {
        return new VideoMatrix(name, codecs, backends, presets, qps, bitRates, frames, maxClipBytes);
    }
}
