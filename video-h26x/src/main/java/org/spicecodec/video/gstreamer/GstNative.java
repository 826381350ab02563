package org.spicecodec.video.gstreamer;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * JNA direct mappings of the few GStreamer C functions on the per-frame path.
 *
 * <p>gst1-java-core wraps every native object it returns in a new Java object and calls C
 * through JNA interface proxies, which allocate on every call. The per-frame path (acquire,
 * map, push, pull, unref) therefore goes through these direct mappings instead: pointers are
 * plain {@code long}s, so a call allocates nothing on the Java heap. Everything else (parsing
 * pipelines, properties, states, the bus) stays with gst1-java-core.
 *
 * <p>Registered only after {@code Gst.init} succeeded (the nested classes load lazily), so a
 * machine without GStreamer never touches these libraries.
 */
final class GstNative {
    /** GST_FLOW_OK. */
    static final int FLOW_OK = 0;
    /** GST_MAP_READ / GST_MAP_WRITE. */
    static final int MAP_READ = 1;
    static final int MAP_WRITE = 2;
    /** GST_BUFFER_FLAG_DELTA_UNIT: GST_MINI_OBJECT_FLAG_LAST (1 << 4) << 9. */
    static final int BUFFER_FLAG_DELTA_UNIT = 1 << 13;
    /** GST_CLOCK_TIME_NONE. */
    static final long CLOCK_TIME_NONE = -1L;
    /** GST_PARAM_MUTABLE_PLAYING: 1 << (G_PARAM_USER_SHIFT (8) + 4). */
    static final int PARAM_MUTABLE_PLAYING = 1 << 12;

    /** sizeof(GstMapInfo) on LP64: memory, flags, data, size, maxsize, user_data[4], _gst_reserved[4]. */
    static final int MAP_INFO_SIZE = 104;
    /** offsetof(GstMapInfo, data) and offsetof(GstMapInfo, size). */
    static final int MAP_INFO_DATA = 16;
    static final int MAP_INFO_SIZE_FIELD = 24;
    /**
     * offsetof(GstBuffer, pts) and offsetof(GstBuffer, duration) on LP64: GstMiniObject is 64
     * bytes, then the pool pointer, pts, dts, duration. GStreamer has no function for these
     * fields (GST_BUFFER_PTS is a macro); the layout has been ABI-stable since 1.0.
     */
    static final int BUFFER_PTS = 72;
    static final int BUFFER_DURATION = 88;
    /** offsetof(GParamSpec, flags) on LP64. */
    static final int PARAM_SPEC_FLAGS = 16;

    private GstNative() {
    }

    static NativeLibrary library(String name, String soname) {
        try {
            return NativeLibrary.getInstance(name);
        } catch (UnsatisfiedLinkError e) {
            // Debian ships only the versioned soname unless the -dev package is installed.
            return NativeLibrary.getInstance(soname);
        }
    }

    /** Whether this JVM has 64-bit pointers; the struct offsets above assume LP64. */
    static boolean lp64() {
        return Native.POINTER_SIZE == 8 && Native.LONG_SIZE == 8;
    }

    /** libgstreamer-1.0. */
    static final class Core {
        static {
            Native.register(Core.class, library("gstreamer-1.0", "libgstreamer-1.0.so.0"));
        }

        private Core() {
        }

        static native long gst_buffer_pool_new();

        static native long gst_buffer_pool_get_config(long pool);

        static native void gst_buffer_pool_config_set_params(long config, long caps, int size, int min, int max);

        static native boolean gst_buffer_pool_set_config(long pool, long config);

        static native boolean gst_buffer_pool_set_active(long pool, boolean active);

        /** {@code out} is the address of a {@code GstBuffer*}; params may be 0. */
        static native int gst_buffer_pool_acquire_buffer(long pool, long out, long params);

        static native long gst_buffer_new_allocate(long allocator, long size, long params);

        static native boolean gst_buffer_map(long buffer, long info, int flags);

        static native void gst_buffer_unmap(long buffer, long info);

        static native long gst_buffer_get_size(long buffer);

        static native boolean gst_buffer_has_flags(long buffer, int flags);

        static native long gst_sample_get_buffer(long sample);

        static native long gst_sample_get_caps(long sample);

        static native long gst_caps_get_structure(long caps, int index);

        /** {@code field} and {@code value} are native addresses (a C string, an int). */
        static native boolean gst_structure_get_int(long structure, long field, long value);

        static native void gst_mini_object_unref(long object);

        static native long gst_caps_from_string(String caps);

        static native boolean gst_element_send_event(long element, long event);

        static native void gst_object_unref(long object);

        /** {@code error} and {@code debug} are addresses of a {@code GError*} and a {@code gchar*}. */
        static native void gst_message_parse_error(long message, long error, long debug);

        static native void gst_message_parse_warning(long message, long error, long debug);

        /** A new (floating) element, or 0; {@code error} is the address of a {@code GError*}. */
        static native long gst_parse_launch(String description, long error);
    }

    /** What {@code gst_parse_launch} gave: an element (or 0) and the error's code and text (or null). */
    record ParseResult(long element, int errorCode, String errorText) {
    }

    /** {@code gst_parse_launch}, reading and freeing its GError here (see {@link #parseErrorText}). */
    static ParseResult parseLaunch(String description) {
        com.sun.jna.Memory out = new com.sun.jna.Memory(8);
        out.clear();
        long element = Core.gst_parse_launch(description, Pointer.nativeValue(out));
        long error = out.getLong(0);
        if (error == 0) {
            return new ParseResult(element, 0, null);
        }
        Pointer e = new Pointer(error);
        int code = e.getInt(4);
        long msg = e.getLong(GERROR_MESSAGE);
        String text = msg != 0 ? new Pointer(msg).getString(0, "UTF-8") : "(no message)";
        GLib.g_error_free(error);
        return new ParseResult(element, code, text);
    }

    /** libglib-2.0: freeing what the message parsers hand out. */
    static final class GLib {
        static {
            Native.register(GLib.class, library("glib-2.0", "libglib-2.0.so.0"));
        }

        private GLib() {
        }

        static native void g_error_free(long error);

        static native void g_free(long memory);
    }

    /** offsetof(GError, message) on LP64: GQuark domain, gint code, then the string pointer. */
    static final int GERROR_MESSAGE = 8;

    /**
     * The text of an ERROR or WARNING message, read and freed here. gst1-java-core's
     * {@code GErrorMessage.getMessage()} and {@code Gst.parseLaunch} free their GError through a
     * JNA structure argument: JNA first writes the structure back, with the message string
     * copied into JNA-owned memory, so g_error_free frees JNA's copy, which JNA frees again
     * later, and it reads the freed structure after the call. That double free corrupted
     * glib's heap and crashed the JVM now and then (reproducible with
     * {@code MALLOC_CHECK_=3 G_SLICE=always-malloc}).
     */
    static String parseErrorText(long message, boolean warning) {
        com.sun.jna.Memory out = new com.sun.jna.Memory(16);
        out.clear();
        if (warning) {
            Core.gst_message_parse_warning(message, Pointer.nativeValue(out), Pointer.nativeValue(out) + 8);
        } else {
            Core.gst_message_parse_error(message, Pointer.nativeValue(out), Pointer.nativeValue(out) + 8);
        }
        long error = out.getLong(0);
        long debug = out.getLong(8);
        String text = "(no message)";
        if (error != 0) {
            long msg = new Pointer(error).getLong(GERROR_MESSAGE);
            if (msg != 0) {
                text = new Pointer(msg).getString(0, "UTF-8");
            }
            GLib.g_error_free(error);
        }
        if (debug != 0) {
            GLib.g_free(debug);
        }
        return text;
    }

    /** libgstapp-1.0. */
    static final class App {
        static {
            Native.register(App.class, library("gstapp-1.0", "libgstapp-1.0.so.0"));
        }

        private App() {
        }

        /** Takes ownership of {@code buffer}. */
        static native int gst_app_src_push_buffer(long appsrc, long buffer);

        /** A sample, or 0 after {@code timeout} ns (or at EOS). */
        static native long gst_app_sink_try_pull_sample(long appsink, long timeout);
    }

    /** libgstvideo-1.0. */
    static final class Video {
        static {
            Native.register(Video.class, library("gstvideo-1.0", "libgstvideo-1.0.so.0"));
        }

        private Video() {
        }

        static native long gst_video_event_new_upstream_force_key_unit(long runningTime, boolean allHeaders, int count);
    }

    /** libgobject-2.0: property metadata for SPICE's bit-rate handling. */
    static final class GObj {
        static {
            Native.register(GObj.class, library("gobject-2.0", "libgobject-2.0.so.0"));
        }

        private GObj() {
        }

        /** {@code klass} is G_OBJECT_GET_CLASS(object), the first pointer of the instance. */
        static native long g_object_class_find_property(long klass, String name);

        static native String g_param_spec_get_blurb(long pspec);
    }

    /** The native address of a gst1-java-core object. */
    static long address(org.freedesktop.gstreamer.glib.NativeObject object) {
        return Pointer.nativeValue(org.freedesktop.gstreamer.glib.Natives.getRawPointer(object));
    }
}
