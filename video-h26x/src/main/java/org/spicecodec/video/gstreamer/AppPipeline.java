package org.spicecodec.video.gstreamer;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.freedesktop.gstreamer.BusSyncReply;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.glib.Natives;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.StateChangeReturn;
import org.freedesktop.gstreamer.elements.AppSink;
import org.freedesktop.gstreamer.elements.AppSrc;
import org.freedesktop.gstreamer.message.Message;
import org.freedesktop.gstreamer.message.MessageType;
import org.spicecodec.video.BackendUnavailableException;
import org.spicecodec.video.UnsupportedConfigurationException;

/**
 * One parsed {@code appsrc name=src ! ... ! appsink name=sink} pipeline driven synchronously:
 * push one buffer, pull one sample, with bounded waits.
 *
 * <p>Errors that elements post on the bus are caught by a bus sync handler on the posting
 * (streaming) thread and remembered; the pulling thread sees them within one wait slice, so a
 * failing pipeline never blocks a caller for longer than the slice. The per-frame methods use
 * {@link GstNative}'s direct mappings and reuse one map-info block, one out-pointer and two
 * {@link Pointer} views, so they allocate nothing on the Java heap. Not thread-safe.
 */
final class AppPipeline implements AutoCloseable {
    /** How long one try-pull-sample waits before the error flag is looked at again. */
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Bound on state changes (PLAYING, NULL). */
    private static final long STATE_TIMEOUT_SECONDS = 10;
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");
    /** GST_PARSE_ERROR_NO_SUCH_ELEMENT. */
    private static final int PARSE_NO_SUCH_ELEMENT = 1;

    private static final Memory WIDTH = cString("width");
    private static final Memory HEIGHT = cString("height");

    final Pipeline pipeline;
    final AppSrc src;
    final AppSink sink;
    /** The element named "encoder", or null. */
    final Element encoder;
    private final long srcPtr;
    private final long sinkPtr;
    private final String description;

    private volatile String error;
    private volatile String warning;
    private final Memory mapInfo = new Memory(GstNative.MAP_INFO_SIZE);
    private final Memory outPtr = new Memory(8);
    private final Pointer data = new Pointer(0);
    private final Pointer object = new Pointer(0);
    private long pool;
    private boolean closed;

    private AppPipeline(String description, Pipeline pipeline, AppSrc src, AppSink sink, Element encoder) {
        this.description = description;
        this.pipeline = pipeline;
        this.src = src;
        this.sink = sink;
        this.encoder = encoder;
        this.srcPtr = GstNative.address(src);
        this.sinkPtr = GstNative.address(sink);
        // Elements report failures on the bus; remember the first error, drop everything else
        // (DROP also keeps gst1-java-core from dispatching each message on its executor).
        pipeline.getBus().setSyncHandler(this::onMessage);
        // A synchronous encoder pulls as fast as it pushes; appsink must not wait on the clock.
        sink.set("sync", false);
    }

    private BusSyncReply onMessage(Message message) {
        if (message.getType() == MessageType.ERROR && error == null) {
            String text = GstNative.parseErrorText(GstNative.address(message), false);
            String from = message.getSource() != null ? message.getSource().getName() : "pipeline";
            error = from + ": " + text;
        } else if (message.getType() == MessageType.WARNING && warning == null) {
            String text = GstNative.parseErrorText(GstNative.address(message), true);
            String from = message.getSource() != null ? message.getSource().getName() : "pipeline";
            warning = from + ": " + text;
        }
        return BusSyncReply.DROP;
    }

    /**
     * Parses a description and finds its appsrc {@code src}, appsink {@code sink} and the
     * optional element {@code encoder}.
     *
     * @throws UnsupportedConfigurationException for syntax errors, unknown properties, or a
     *         pipeline without the two app elements
     * @throws BackendUnavailableException       for an element no installed plugin provides
     */
    static AppPipeline parse(String description) {
        GstreamerPipelines.checkDescription(description);
        GstRuntime.require();
        // Not Gst.parseLaunch: its error path hands a JNA-written string to g_error_free and
        // frees it again later (see GstNative.parseErrorText), which corrupted the heap.
        GstNative.ParseResult r = GstNative.parseLaunch(description);
        Element parsed = r.element() == 0 ? null
                : Natives.callerOwnsReturn(new Pointer(r.element()), Element.class);
        if (r.errorText() != null) {
            if (parsed != null) {
                parsed.dispose();
            }
            if (r.errorCode() == PARSE_NO_SUCH_ELEMENT) {
                Matcher m = QUOTED.matcher(r.errorText());
                String element = m.find() ? m.group(1) : r.errorText();
                throw new BackendUnavailableException(GstRuntime.missingMessage(element) + " (pipeline '"
                        + description + "')");
            }
            throw new UnsupportedConfigurationException("pipeline", "GStreamer cannot parse '" + description
                    + "': " + r.errorText());
        }
        if (!(parsed instanceof Pipeline p)) {
            if (parsed != null) {
                parsed.dispose();
            }
            throw new UnsupportedConfigurationException("pipeline", "'" + description
                    + "' is a single element, not an appsrc ! ... ! appsink pipeline");
        }
        Element s = p.getElementByName("src");
        Element k = p.getElementByName("sink");
        if (!(s instanceof AppSrc appSrc) || !(k instanceof AppSink appSink)) {
            String why = !(s instanceof AppSrc) ? "its element 'src' is " + describe(s) + ", not an appsrc"
                    : "its element 'sink' is " + describe(k) + ", not an appsink";
            p.dispose();
            throw new UnsupportedConfigurationException("pipeline", "'" + description + "': " + why);
        }
        return new AppPipeline(description, p, appSrc, appSink, p.getElementByName("encoder"));
    }

    private static Memory cString(String s) {
        Memory m = new Memory(s.length() + 1);
        m.setString(0, s, "US-ASCII");
        return m;
    }

    private static String describe(Element e) {
        return e == null ? "missing" : "a " + e.getFactory().getName();
    }

    String description() {
        return description;
    }

    /** The first error an element posted, or null. */
    String error() {
        return error;
    }

    /** The first warning an element posted since {@link #clearWarning}, or null. */
    String warning() {
        return warning;
    }

    void clearWarning() {
        warning = null;
    }

    void setSourceCaps(String caps) {
        src.setCaps(new Caps(caps));
    }

    /**
     * Gives appsrc's buffers a pool of {@code size}-byte buffers for {@code caps}, so frames
     * reuse native memory instead of allocating (and page-faulting) a new buffer each time.
     */
    void createPool(String caps, int size) {
        long p = GstNative.Core.gst_buffer_pool_new();
        long config = GstNative.Core.gst_buffer_pool_get_config(p);
        long c = GstNative.Core.gst_caps_from_string(caps);
        GstNative.Core.gst_buffer_pool_config_set_params(config, c, size, 2, 0);
        GstNative.Core.gst_mini_object_unref(c);
        if (!GstNative.Core.gst_buffer_pool_set_config(p, config) || !GstNative.Core.gst_buffer_pool_set_active(p, true)) {
            GstNative.Core.gst_object_unref(p);
            throw new IllegalStateException("GStreamer cannot set up a pool of " + size + "-byte buffers for " + caps);
        }
        pool = p;
    }

    /** Sets the pipeline PLAYING; throws with the bus error when an element refuses. */
    void play() {
        StateChangeReturn r = pipeline.play();
        if (r == StateChangeReturn.FAILURE) {
            throw new IllegalStateException("GStreamer pipeline '" + description + "' cannot start: "
                    + (error != null ? error : "state change to PLAYING failed"));
        }
        // Live sources return NO_PREROLL; others complete asynchronously on the first buffer,
        // and a failure then shows up on the bus, which pull() watches.
    }

    /** Sets a property on the element named "encoder" (which must exist). */
    void setEncoderProperty(String name, Object value) {
        encoder.set(name, value);
    }

    /**
     * A writable buffer of the pool mapped for writing; {@link #mappedData()} is its memory.
     * Returns 0 if the pool is flushing.
     */
    long acquireAndMap() {
        if (GstNative.Core.gst_buffer_pool_acquire_buffer(pool, Pointer.nativeValue(outPtr), 0) != GstNative.FLOW_OK) {
            return 0;
        }
        long buffer = outPtr.getLong(0);
        if (!GstNative.Core.gst_buffer_map(buffer, Pointer.nativeValue(mapInfo), GstNative.MAP_WRITE)) {
            GstNative.Core.gst_mini_object_unref(buffer);
            return 0;
        }
        Pointer.nativeValue(data, mapInfo.getLong(GstNative.MAP_INFO_DATA));
        return buffer;
    }

    /** A new buffer of {@code size} bytes mapped for writing (decoder input). */
    long allocateAndMap(int size) {
        long buffer = GstNative.Core.gst_buffer_new_allocate(0, size, 0);
        if (buffer == 0) {
            throw new OutOfMemoryError("GStreamer cannot allocate a " + size + "-byte buffer");
        }
        if (!GstNative.Core.gst_buffer_map(buffer, Pointer.nativeValue(mapInfo), GstNative.MAP_WRITE)) {
            GstNative.Core.gst_mini_object_unref(buffer);
            throw new IllegalStateException("GStreamer cannot map a new buffer");
        }
        Pointer.nativeValue(data, mapInfo.getLong(GstNative.MAP_INFO_DATA));
        return buffer;
    }

    /** The memory of the buffer mapped last. */
    Pointer mappedData() {
        return data;
    }

    /** Unmaps, stamps and pushes (appsrc takes the buffer); returns the GstFlowReturn. */
    int unmapAndPush(long buffer, long pts, long duration) {
        GstNative.Core.gst_buffer_unmap(buffer, Pointer.nativeValue(mapInfo));
        Pointer.nativeValue(object, buffer);
        object.setLong(GstNative.BUFFER_PTS, pts);
        object.setLong(GstNative.BUFFER_DURATION, duration);
        return GstNative.App.gst_app_src_push_buffer(srcPtr, buffer);
    }

    /**
     * Waits up to {@code timeoutNanos} for a sample; returns 0 on timeout or as soon as an
     * element has posted an error.
     */
    long pull(long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            long sample = GstNative.App.gst_app_sink_try_pull_sample(sinkPtr, SLICE_NANOS);
            if (sample != 0) {
                return sample;
            }
            if (error != null || System.nanoTime() - deadline >= 0) {
                return 0;
            }
        }
    }

    /** Whether a sample is waiting, without blocking. */
    long poll() {
        return GstNative.App.gst_app_sink_try_pull_sample(sinkPtr, 0);
    }

    /**
     * Maps the sample's buffer for reading; {@link #mappedData()} is its memory. Returns the
     * buffer (owned by the sample) and its size via {@link #mappedSize()}, or 0 if it has none.
     */
    long mapSample(long sample) {
        long buffer = GstNative.Core.gst_sample_get_buffer(sample);
        if (buffer == 0 || !GstNative.Core.gst_buffer_map(buffer, Pointer.nativeValue(mapInfo), GstNative.MAP_READ)) {
            return 0;
        }
        Pointer.nativeValue(data, mapInfo.getLong(GstNative.MAP_INFO_DATA));
        return buffer;
    }

    /**
     * The {@code width} or {@code height} of the sample's caps, or -1 if it has none. The
     * field names live in native memory made once, so the lookup allocates nothing.
     */
    long capsInt(long sample, boolean height) {
        long caps = GstNative.Core.gst_sample_get_caps(sample);
        if (caps == 0) {
            return -1;
        }
        long structure = GstNative.Core.gst_caps_get_structure(caps, 0);
        Memory field = height ? HEIGHT : WIDTH;
        if (structure == 0 || !GstNative.Core.gst_structure_get_int(structure, Pointer.nativeValue(field),
                Pointer.nativeValue(outPtr))) {
            return -1;
        }
        return outPtr.getInt(0);
    }

    long mappedSize() {
        return mapInfo.getLong(GstNative.MAP_INFO_SIZE_FIELD);
    }

    void unmap(long buffer) {
        GstNative.Core.gst_buffer_unmap(buffer, Pointer.nativeValue(mapInfo));
    }

    static boolean isDeltaUnit(long buffer) {
        return GstNative.Core.gst_buffer_has_flags(buffer, GstNative.BUFFER_FLAG_DELTA_UNIT);
    }

    long pts(long buffer) {
        Pointer.nativeValue(object, buffer);
        return object.getLong(GstNative.BUFFER_PTS);
    }

    static void release(long miniObject) {
        GstNative.Core.gst_mini_object_unref(miniObject);
    }

    /** Asks the encoder upstream of appsink for a key frame (GstForceKeyUnit). */
    boolean forceKeyUnit() {
        long event = GstNative.Video.gst_video_event_new_upstream_force_key_unit(GstNative.CLOCK_TIME_NONE, true, 0);
        return GstNative.Core.gst_element_send_event(sinkPtr, event);
    }

    /** Stops the pipeline and frees it; safe to call twice. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        pipeline.setState(State.NULL);
        pipeline.getState(TimeUnit.SECONDS.toNanos(STATE_TIMEOUT_SECONDS));
        if (pool != 0) {
            GstNative.Core.gst_buffer_pool_set_active(pool, false);
            GstNative.Core.gst_object_unref(pool);
            pool = 0;
        }
        if (encoder != null) {
            encoder.dispose();
        }
        src.dispose();
        sink.dispose();
        pipeline.getBus().clearSyncHandler();
        pipeline.dispose();
    }
}
