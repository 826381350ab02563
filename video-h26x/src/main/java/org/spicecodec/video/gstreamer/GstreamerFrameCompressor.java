package org.spicecodec.video.gstreamer;

import com.sun.jna.Pointer;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.freedesktop.gstreamer.Caps;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpiceChunks;
import org.spicecodec.core.video.EncodedFrame;
import org.spicecodec.core.video.MemoryOrder;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.video.FrameCompressor;
import org.spicecodec.video.RateControlMode;
import org.spicecodec.video.UnsupportedConfigurationException;
import org.spicecodec.video.VideoEncoderConfig;

/**
 * spice-server's GStreamer encoder (streams.md §5.1): frames are pushed into
 * {@code appsrc name=src} and the compressed buffer pulled synchronously from
 * {@code appsink name=sink}, one output per input.
 *
 * <p>The pipeline is either built from the {@link VideoEncoderConfig} (see
 * {@link GstreamerPipelines#forConfig}) or given by the user; it is (re)started on the first
 * frame, on a change of frame size or format (new appsrc caps), and when a bit rate that the
 * encoder cannot take while PLAYING changes by more than 5 %. After 3 consecutive failures
 * for one size and format the encoder refuses that input, as spice-server does, until the
 * size or format changes.
 *
 * <p>Input rows go into pooled GStreamer buffers with GStreamer's default stride, the row
 * size rounded up to 4 bytes (streams.md §5.1), cropped to the stream rectangle, in memory order
 * (bottom-up bitmaps come out upside down, as in spice-server; see {@link FrameCompressor}). Once the pipeline runs, a frame allocates nothing on the Java heap except
 * when {@link EncodedFrame} must grow. Not thread-safe.
 */
public final class GstreamerFrameCompressor implements FrameCompressor {
    private static final System.Logger LOG = System.getLogger("org.spicecodec.video.gstreamer");
    /** The first frame after a start includes the encoder's own initialisation. */
    static final long FIRST_FRAME_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    static final long FRAME_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** spice-server gives up on a size/format after this many consecutive failures. */
    static final int MAX_FAILURES = 3;
    /** SPICE_GST_VIDEO_BITRATE_MARGIN: restart for a new bit rate only beyond 5 %. */
    static final double BITRATE_MARGIN = 0.05;
    /** Largest frame side accepted, as ImageLimits.DEFAULT for decoders. */
    static final int MAX_SIDE = 16384;

    private final VideoEncoderConfig config;
    private final String userDescription;

    private AppPipeline pipe;
    private SpiceBitmapFormat format;
    private int width;
    private int height;
    private int bytesPerPixel;
    private int stride;
    private boolean restart;
    private int failures;
    private String lastFailure;
    private boolean keyFrameRequested;
    private boolean firstFrame;
    private long ptsShift;

    /** The bit rate the caller asked for in bit/s, or 0 if setBitRate was never called. */
    private long requestedBitRate;
    private BitRateProperty rateProperty;
    /** The property value the running encoder has, or -1 if unknown. */
    private long appliedValue = -1;

    GstreamerFrameCompressor(VideoEncoderConfig config, String userDescription) {
        this.config = Objects.requireNonNull(config, "config");
        this.userDescription = userDescription;
    }

    @Override
    public VideoCodecType codec() {
        return config.codec();
    }

    @Override
    public String backend() {
        return "gstreamer";
    }

    /** The pipeline description in use (or that the next frame will use). */
    public String pipelineDescription() {
        if (pipe != null) {
            return pipe.description();
        }
        return userDescription != null ? userDescription
                : GstreamerPipelines.forConfig(config, Math.max(width, 2), Math.max(height, 2));
    }

    @Override
    public boolean encode(SpiceBitmap bitmap, int srcLeft, int srcTop, int srcWidth, int srcHeight,
                          long ptsNanos, EncodedFrame out) {
        Objects.requireNonNull(bitmap, "bitmap");
        Objects.requireNonNull(out, "out");
        checkRectangle(bitmap, srcLeft, srcTop, srcWidth, srcHeight);
        String gstFormat = gstFormat(bitmap.format());
        if (bitmap.format() != format || srcWidth != width || srcHeight != height) {
            // New caps: spice-server reconfigures the pipeline and forgets earlier failures.
            stop();
            format = bitmap.format();
            width = srcWidth;
            height = srcHeight;
            bytesPerPixel = format.bytesPerPixel();
            stride = (srcWidth * bytesPerPixel + 3) & ~3;
            failures = 0;
        }
        if (failures >= MAX_FAILURES) {
            throw new UnsupportedConfigurationException("pipeline", "GStreamer failed " + failures
                    + " times in a row for " + width + "x" + height + " " + gstFormat + " (" + lastFailure
                    + "); change the frame size or format, or the pipeline");
        }
        if (restart) {
            stop();
        }
        if (pipe == null && !start(gstFormat)) {
            return false;
        }
        if (keyFrameRequested) {
            keyFrameRequested = false;
            if (!firstFrame) {
                pipe.forceKeyUnit();
            }
        }
        long buffer = pipe.acquireAndMap();
        if (buffer == 0) {
            return fail("no buffer from the pool" + errorSuffix());
        }
        copyRows(bitmap, srcLeft, srcTop, pipe.mappedData());
        int flow = pipe.unmapAndPush(buffer, ptsNanos, 1_000_000_000L / config.frameRate());
        if (flow != GstNative.FLOW_OK) {
            return fail("appsrc refused the frame (GstFlowReturn " + flow + ")" + errorSuffix());
        }
        long sample = pipe.pull(firstFrame ? FIRST_FRAME_TIMEOUT_NANOS : FRAME_TIMEOUT_NANOS);
        if (sample == 0) {
            String e = pipe.error();
            return fail(e != null ? e : "no output within "
                    + TimeUnit.NANOSECONDS.toMillis(firstFrame ? FIRST_FRAME_TIMEOUT_NANOS : FRAME_TIMEOUT_NANOS)
                    + " ms (the pipeline must give one output per input)");
        }
        try {
            long outBuffer = pipe.mapSample(sample);
            if (outBuffer == 0) {
                return fail("the encoder's sample has no readable buffer");
            }
            try {
                long size = pipe.mappedSize();
                if (size > Integer.MAX_VALUE - 16) {
                    return fail("the encoder produced " + size + " bytes");
                }
                byte[] dst = out.ensureCapacity((int) size);
                pipe.mappedData().read(0, dst, 0, (int) size);
                // x264enc and x265enc shift their output by 1000 hours (room for negative DTS);
                // measure the shift on the first frame and report times on the caller's scale.
                long pts = pipe.pts(outBuffer);
                if (firstFrame) {
                    ptsShift = pts == GstNative.CLOCK_TIME_NONE ? 0 : pts - ptsNanos;
                }
                out.set((int) size, !AppPipeline.isDeltaUnit(outBuffer), out.mmTime(),
                        pts == GstNative.CLOCK_TIME_NONE ? ptsNanos : pts - ptsShift);
            } finally {
                pipe.unmap(outBuffer);
            }
        } finally {
            AppPipeline.release(sample);
        }
        firstFrame = false;
        failures = 0;
        return true;
    }

    private String errorSuffix() {
        String e = pipe != null ? pipe.error() : null;
        return e != null ? ": " + e : "";
    }

    private static void checkRectangle(SpiceBitmap b, int left, int top, int w, int h) {
        if (w < 1 || h < 1 || w > MAX_SIDE || h > MAX_SIDE || (long) w * h > (1L << 28)) {
            throw new IllegalArgumentException("frame size " + w + "x" + h + " is outside 1.." + MAX_SIDE
                    + " per side or above 2^28 pixels");
        }
        if (left < 0 || top < 0 || (long) left + w > b.width() || (long) top + h > b.height()) {
            throw new IllegalArgumentException("rectangle " + left + "," + top + " " + w + "x" + h
                    + " is outside the " + b.width() + "x" + b.height() + " bitmap");
        }
    }

    /** appsrc's format for a SPICE bitmap format (streams.md §5.1); others are unsupported. */
    static String gstFormat(SpiceBitmapFormat f) {
        return switch (f) {
            case RGB32 -> "BGRx";
            case RGBA -> "BGRA";
            case RGB24 -> "BGR";
            case RGB16 -> "RGB15";
            default -> throw new IllegalArgumentException("the GStreamer encoder takes RGB32, RGBA, RGB24 and RGB16"
                    + " bitmaps, not " + f);
        };
    }

    private boolean start(String gstFormat) {
        String description = userDescription != null ? userDescription
                : GstreamerPipelines.forConfig(config, width, height);
        AppPipeline p = AppPipeline.parse(description);
        try {
            String caps = "video/x-raw,format=" + gstFormat + ",width=" + width + ",height=" + height
                    + ",framerate=" + config.frameRate() + "/1,pixel-aspect-ratio=1/1";
            p.setSourceCaps(caps);
            // The stream must be what SPICE sends: Annex B access units for H.264/H.265 (a
            // caps filter could otherwise let x264enc negotiate avc), the codec of the config.
            p.sink.setCaps(new Caps(sinkCaps(config.codec())));
            p.createPool(caps, stride * height);
            if (config.codec() == VideoCodecType.MJPEG) {
                // spice-server runs MJPEG without a pipeline clock to work around a GStreamer bug.
                p.pipeline.useClock(null);
            }
            rateProperty = p.encoder != null ? BitRateProperty.of(p.encoder) : null;
            appliedValue = -1;
            if (rateProperty != null) {
                if (requestedBitRate > 0) {
                    p.setEncoderProperty(rateProperty.name(), rateProperty.valueFor(requestedBitRate));
                }
                appliedValue = ((Number) p.encoder.get(rateProperty.name())).longValue();
            }
            p.play();
        } catch (RuntimeException e) {
            p.close();
            return fail(e.getMessage());
        }
        pipe = p;
        restart = false;
        firstFrame = true;
        return true;
    }

    /** What appsink accepts for the codec. */
    static String sinkCaps(VideoCodecType codec) {
        return switch (codec) {
            case H264 -> "video/x-h264,stream-format=byte-stream,alignment=au";
            case H265 -> "video/x-h265,stream-format=byte-stream,alignment=au";
            case VP8 -> "video/x-vp8";
            case VP9 -> "video/x-vp9";
            case MJPEG -> "image/jpeg";
        };
    }

    private void stop() {
        if (pipe != null) {
            pipe.close();
            pipe = null;
        }
        restart = false;
    }

    /** Records a failure, drops the pipeline (the next frame restarts it) and the frame. */
    private boolean fail(String reason) {
        stop();
        failures++;
        lastFailure = reason;
        LOG.log(Level.WARNING, "GStreamer encoder failed ({0} of {1} for {2}x{3}): {4}",
                failures, MAX_FAILURES, width, height, reason);
        if (failures >= MAX_FAILURES) {
            throw new UnsupportedConfigurationException("pipeline", "GStreamer failed " + failures
                    + " times in a row for " + width + "x" + height + " " + gstFormat(format) + ": " + reason);
        }
        return false;
    }

    /** Copies the rectangle's rows in memory order into the mapped buffer at {@link #stride}. */
    private void copyRows(SpiceBitmap b, int left, int top, Pointer dst) {
        SpiceChunks chunks = b.chunks();
        int srcStride = b.stride();
        int rowBytes = width * bytesPerPixel;
        int xOffset = left * bytesPerPixel;
        int chunk = 0;
        int chunkFirstRow = 0;
        int chunkRows = chunks.length(0) / srcStride;
        // Memory order (streams.md §2.9): a bottom-up bitmap skips height - bottom rows.
        int first = MemoryOrder.firstRow(b, top, height);
        for (int y = 0; y < height; y++) {
            int stored = first + y;
            if (stored < chunkFirstRow) {
                chunk = 0;
                chunkFirstRow = 0;
                chunkRows = chunks.length(0) / srcStride;
            }
            while (stored >= chunkFirstRow + chunkRows) {
                chunkFirstRow += chunkRows;
                chunk++;
                chunkRows = chunks.length(chunk) / srcStride;
            }
            int offset = chunks.offset(chunk) + (stored - chunkFirstRow) * srcStride + xOffset;
            dst.write((long) y * stride, chunks.data(chunk), offset, rowBytes);
        }
    }

    /**
     * Sets the target bit rate as spice-server does (streams.md §5.1): on the element
     * {@code encoder}'s {@code bitrate} property, else {@code target-bitrate}; divided by 1024
     * if the property counts kbit; clamped to its range; immediately when the property can
     * change while PLAYING, otherwise by restarting the pipeline, and only for changes above
     * 5 %. Ignored for the QP modes of built pipelines and for pipelines without such a property.
     */
    @Override
    public void setBitRate(long bitsPerSecond) {
        if (bitsPerSecond <= 0) {
            throw new IllegalArgumentException("bit rate must be positive, got " + bitsPerSecond);
        }
        if (userDescription == null && (config.rateControl() == RateControlMode.CONSTANT_QP
                || config.rateControl() == RateControlMode.QP_RANGE)) {
            return;
        }
        requestedBitRate = bitsPerSecond;
        if (pipe == null || rateProperty == null) {
            return;
        }
        long value = rateProperty.valueFor(bitsPerSecond);
        if (value == appliedValue) {
            return;
        }
        if (rateProperty.mutableInPlaying()) {
            pipe.setEncoderProperty(rateProperty.name(), value);
            appliedValue = value;
        } else if (appliedValue < 0 || Math.abs(value - appliedValue) > appliedValue * BITRATE_MARGIN) {
            restart = true;
        }
    }

    /** The encoder's bit-rate property value now in use, or -1 (for tests and diagnostics). */
    public long appliedBitRateValue() {
        return pipe != null && rateProperty != null ? ((Number) pipe.encoder.get(rateProperty.name())).longValue() : -1;
    }

    /** Whether the next frame restarts the pipeline (a pending bit-rate change). */
    boolean restartPending() {
        return restart;
    }

    @Override
    public void requestKeyFrame() {
        keyFrameRequested = true;
    }

    @Override
    public void close() {
        stop();
    }
}
