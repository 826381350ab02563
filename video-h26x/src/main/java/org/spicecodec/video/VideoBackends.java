package org.spicecodec.video;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.core.video.VideoDecoder;

/**
 * Backends in order of preference. Opening an encoder or decoder takes the first backend that
 * can serve the codec; each backend that cannot is reported once per reason on the
 * {@code org.spicecodec.video} logger (WARNING), and the next one is tried.
 *
 * <p>The default order is FFmpeg, GStreamer, JCodec; the system property
 * {@code spicecodec.video.backends} (for example {@code gstreamer,ffmpeg}) overrides it.
 */
public final class VideoBackends {
    /** The default preference order. */
    public static final List<String> DEFAULT_ORDER = List.of("ffmpeg", "gstreamer", "jcodec");
    /** The system property that overrides {@link #DEFAULT_ORDER}. */
    public static final String ORDER_PROPERTY = "spicecodec.video.backends";

    private static final System.Logger LOG = System.getLogger("org.spicecodec.video");
    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

    private final List<VideoBackend> backends;

    private VideoBackends(List<VideoBackend> backends) {
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("no video backends");
        }
        this.backends = List.copyOf(backends);
    }

    /** The order of {@link #ORDER_PROPERTY}, or {@link #DEFAULT_ORDER}. */
    public static VideoBackends defaults() {
        String prop = System.getProperty(ORDER_PROPERTY);
        if (prop == null || prop.isBlank()) {
            return withOrder(DEFAULT_ORDER);
        }
        List<String> names = new ArrayList<>();
        for (String s : prop.split(",")) {
            if (!s.isBlank()) {
                names.add(s.trim());
            }
        }
        return withOrder(names);
    }

    /** The built-in backends with these names ("ffmpeg", "gstreamer", "jcodec"), in this order. */
    public static VideoBackends withOrder(String... names) {
        return withOrder(List.of(names));
    }

    public static VideoBackends withOrder(List<String> names) {
        List<VideoBackend> list = new ArrayList<>();
        for (String n : names) {
            list.add(builtIn(n));
        }
        return new VideoBackends(list);
    }

    /** These backends, in this order (for custom backends). */
    public static VideoBackends of(VideoBackend... backends) {
        return new VideoBackends(List.of(backends));
    }

    /** The built-in backend of this name; one whose classes cannot load reports why when used. */
    public static VideoBackend builtIn(String name) {
        String n = Objects.requireNonNull(name, "name").toLowerCase(Locale.ROOT);
        String cls = switch (n) {
            case "ffmpeg" -> "org.spicecodec.video.ffmpeg.FfmpegBackend";
            case "gstreamer" -> "org.spicecodec.video.gstreamer.GstreamerBackend";
            case "jcodec" -> "org.spicecodec.video.jcodec.JcodecBackend";
            default -> throw new IllegalArgumentException("unknown video backend '" + name
                    + "'; known: " + DEFAULT_ORDER);
        };
        try {
            return (VideoBackend) Class.forName(cls).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return new Missing(n, "the " + n + " backend cannot load (" + e + ")");
        }
    }

    public List<VideoBackend> backends() {
        return backends;
    }

    /** The backend of this name in this list. */
    public VideoBackend backend(String name) {
        for (VideoBackend b : backends) {
            if (b.name().equalsIgnoreCase(name)) {
                return b;
            }
        }
        throw new IllegalArgumentException("no backend '" + name + "' in " + names());
    }

    /** The first backend that can encode {@code codec}. */
    public VideoBackend encoderBackend(VideoCodecType codec) {
        List<String> why = new ArrayList<>();
        for (VideoBackend b : backends) {
            String reason = b.unavailableReason(codec);
            if (reason == null) {
                return b;
            }
            report(b.name(), "encode " + codec, reason);
            why.add(b.name() + ": " + reason);
        }
        throw new BackendUnavailableException("no backend can encode " + codec + ": " + String.join("; ", why));
    }

    /** The first backend that can decode {@code codec}. */
    public VideoBackend decoderBackend(VideoCodecType codec) {
        List<String> why = new ArrayList<>();
        for (VideoBackend b : backends) {
            String reason = b.decoderUnavailableReason(codec);
            if (reason == null) {
                return b;
            }
            report(b.name(), "decode " + codec, reason);
            why.add(b.name() + ": " + reason);
        }
        throw new BackendUnavailableException("no backend can decode " + codec + ": " + String.join("; ", why));
    }

    /**
     * Opens an encoder on the first backend that can encode the configuration's codec and
     * accepts the configuration. A backend that rejects it (openh264 has no x264 presets, say)
     * is reported once and the next one is tried.
     *
     * @throws UnsupportedConfigurationException if every backend that can encode the codec
     *         rejects the configuration (the first rejection, with the others in its message)
     * @throws BackendUnavailableException if no backend can encode the codec at all
     */
    public FrameCompressor openEncoder(VideoEncoderConfig config) {
        VideoCodecType codec = config.codec();
        List<String> why = new ArrayList<>();
        UnsupportedConfigurationException firstRejection = null;
        for (VideoBackend b : backends) {
            String reason = b.unavailableReason(codec);
            if (reason != null) {
                report(b.name(), "encode " + codec, reason);
                why.add(b.name() + ": " + reason);
                continue;
            }
            try {
                return b.openEncoder(config);
            } catch (UnsupportedConfigurationException e) {
                report(b.name(), "honour " + config, e.getMessage());
                why.add(b.name() + ": " + e.getMessage());
                if (firstRejection == null) {
                    firstRejection = e;
                }
            }
        }
        if (firstRejection != null) {
            if (why.size() == 1) {
                throw firstRejection;
            }
            UnsupportedConfigurationException all = new UnsupportedConfigurationException(firstRejection.field(),
                    "no backend accepts " + config + ": " + String.join("; ", why));
            all.initCause(firstRejection);
            throw all;
        }
        throw new BackendUnavailableException("no backend can encode " + codec + ": " + String.join("; ", why));
    }

    /** Opens a decoder on the first backend that can decode the codec. */
    public VideoDecoder openDecoder(VideoCodecType codec) {
        return decoderBackend(codec).openDecoder(codec);
    }

    private List<String> names() {
        List<String> n = new ArrayList<>();
        for (VideoBackend b : backends) {
            n.add(b.name());
        }
        return Collections.unmodifiableList(n);
    }

    private static void report(String backend, String what, String reason) {
        if (REPORTED.add(backend + '\n' + what + '\n' + reason)) {
            LOG.log(Level.WARNING, "video backend {0} cannot {1}: {2}; trying the next backend",
                    backend, what, reason);
        }
    }

    /** A built-in backend whose classes are not on the class path. */
    private record Missing(String name, String reason) implements VideoBackend {
        @Override
        public String unavailableReason(VideoCodecType codec) {
            return reason;
        }

        @Override
        public String decoderUnavailableReason(VideoCodecType codec) {
            return reason;
        }

        @Override
        public FrameCompressor openEncoder(VideoEncoderConfig config) {
            throw new BackendUnavailableException(reason);
        }

        @Override
        public VideoDecoder openDecoder(VideoCodecType codec) {
            throw new BackendUnavailableException(reason);
        }
    }
}
