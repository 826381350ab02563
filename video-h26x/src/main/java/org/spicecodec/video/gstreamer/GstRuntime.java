package org.spicecodec.video.gstreamer;

import java.util.Map;
import org.freedesktop.gstreamer.ElementFactory;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Version;

/**
 * GStreamer initialised once per JVM, and the checks that say why it cannot serve a codec.
 *
 * <p>{@code Gst.init} runs in the static initialiser of a holder class, so the first caller
 * initialises it and every other thread waits for that result (the JVM's class initialisation
 * lock makes this thread-safe without further locking). A failure is remembered as a reason,
 * never retried, and never thrown at class-loading time.
 */
final class GstRuntime {
    /** Debian 12 packages providing the elements this backend uses, for the error message. */
    private static final Map<String, String> DEBIAN_PACKAGES = Map.ofEntries(
            Map.entry("appsrc", "gstreamer1.0-plugins-base"),
            Map.entry("appsink", "gstreamer1.0-plugins-base"),
            Map.entry("videoconvert", "gstreamer1.0-plugins-base"),
            Map.entry("capsfilter", "libgstreamer1.0-0"),
            Map.entry("decodebin", "gstreamer1.0-plugins-base"),
            Map.entry("x264enc", "gstreamer1.0-plugins-ugly"),
            Map.entry("x265enc", "gstreamer1.0-plugins-bad"),
            Map.entry("h264parse", "gstreamer1.0-plugins-bad"),
            Map.entry("h265parse", "gstreamer1.0-plugins-bad"),
            Map.entry("avdec_h264", "gstreamer1.0-libav"),
            Map.entry("avdec_h265", "gstreamer1.0-libav"),
            Map.entry("avenc_mjpeg", "gstreamer1.0-libav"),
            Map.entry("avdec_mjpeg", "gstreamer1.0-libav"),
            Map.entry("jpegdec", "gstreamer1.0-plugins-good"),
            Map.entry("vp8enc", "gstreamer1.0-plugins-good"),
            Map.entry("vp9enc", "gstreamer1.0-plugins-good"),
            Map.entry("vp8dec", "gstreamer1.0-plugins-good"),
            Map.entry("vp9dec", "gstreamer1.0-plugins-good"));

    /** The oldest GStreamer whose appsink has try-pull-sample (1.10); Debian 12 has 1.22. */
    private static final Version REQUIRED = new Version(1, 10);

    private GstRuntime() {
    }

    private static final class Holder {
        static final String FAILURE = initialise();

        private static String initialise() {
            if (!GstNative.lp64()) {
                return "the GStreamer backend needs a 64-bit JVM (its per-frame calls assume LP64 struct layouts)";
            }
            try {
                if (!Gst.isInitialized()) {
                    Gst.init(REQUIRED, "spicecodec");
                }
                return null;
            } catch (RuntimeException | LinkageError e) {
                // JNA throws UnsatisfiedLinkError when libgstreamer-1.0 is absent; gst1-java-core
                // throws GstException when the installed version is too old.
                return "GStreamer cannot initialise (" + e.getMessage() + "); install libgstreamer1.0-0 >= "
                        + REQUIRED + " and the plugin packages gstreamer1.0-plugins-base, -good, -bad, -ugly"
                        + " and gstreamer1.0-libav";
            }
        }
    }

    /** {@code null} once GStreamer is initialised, else why it could not be. */
    static String initFailure() {
        return Holder.FAILURE;
    }

    /** Initialises GStreamer or throws {@link org.spicecodec.video.BackendUnavailableException}. */
    static void require() {
        String why = initFailure();
        if (why != null) {
            throw new org.spicecodec.video.BackendUnavailableException(why);
        }
    }

    /**
     * {@code null} if GStreamer is initialised and every element exists, else the reason for
     * the first missing one, naming the Debian package that provides it.
     */
    static String missing(String... elements) {
        String why = initFailure();
        if (why != null) {
            return why;
        }
        for (String e : elements) {
            ElementFactory f;
            try {
                f = ElementFactory.find(e);
            } catch (IllegalArgumentException notFound) {
                // gst1-java-core throws where gst_element_factory_find returns NULL.
                f = null;
            }
            if (f == null) {
                return missingMessage(e);
            }
            f.dispose();
        }
        return null;
    }

    /** "GStreamer plugin x264enc (Debian package gstreamer1.0-plugins-ugly) is missing". */
    static String missingMessage(String element) {
        String pkg = DEBIAN_PACKAGES.get(element);
        return "GStreamer plugin " + element
                + (pkg != null ? " (Debian package " + pkg + ")" : " (no installed plugin provides this element)")
                + " is missing";
    }
}
