package org.spicecodec.mjpeg;

import java.util.Objects;

import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.video.EncodeStatus;
import org.spicecodec.core.video.EncodedFrame;
import org.spicecodec.core.video.MemoryOrder;
import org.spicecodec.core.video.MonotonicClock;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.core.video.VideoEncoder;
import org.spicecodec.core.video.VideoEncoderStats;
import org.spicecodec.core.video.VideoStreamCallbacks;
import org.spicecodec.jpeg.JpegEngines;
import org.spicecodec.jpeg.JpegFrameEncoder;

/**
 * spice-server's built-in MJPEG stream encoder (streams.md §4): every admitted frame becomes
 * one complete baseline JPEG at the quality chosen by {@link MjpegRateControl}, which also
 * decides which frames to drop.
 *
 * <p><b>Frame path</b> ({@link #encodeFrame}), in spice's order: the rate control admits or
 * drops the frame (DROP), then the pixel format is checked (UNSUPPORTED for anything but
 * RGB32, RGBA, RGB24 and RGB16 — after the rate control ran, as in spice), then the JPEG engine
 * writes the frame into the caller's {@link EncodedFrame} ({@code keyFrame} always true,
 * {@code mmTime} the frame's mm-time as uint32, {@code ptsNanos} the clock since the first
 * encoded frame). An engine failure also gives UNSUPPORTED (the server then sends the frame as
 * an ordinary image); {@link #lastFailure()} keeps the cause.
 *
 * <p><b>Row order</b>: as spice-server, the frame's rows are encoded in memory order. A
 * bottom-up bitmap therefore gives an upside-down JPEG, which the client flips because the
 * stream's STREAM_CREATE lacks the TOP_DOWN flag. The source rectangle is in picture
 * coordinates (top row 0), so for a bottom-up bitmap its rows are memory rows
 * {@code height − srcTop − srcHeight … height − srcTop − 1}.
 *
 * <p><b>"Cannot decode" report</b>: a report with {@code numFrames == 0} and
 * {@code numDrops == 0xFFFFFFFF} means the client cannot decode the stream. spice-server then
 * destroys this client's encoder for the stream, so the remaining frames go out as ordinary
 * images. Here the encoder instead marks itself {@linkplain #isRefused() refused}: from then on
 * {@link #encodeFrame} returns UNSUPPORTED without touching the rate control, and later
 * reports and drop notices are ignored. The caller may also simply close it.
 *
 * <p><b>Allocation</b>: the rate control allocates nothing per frame and the caller's
 * {@link EncodedFrame} is reused; whether the JPEG step allocates depends on the engine
 * (the JDK's ImageIO writer does).
 *
 * <p>The encoder owns its engine and closes it in {@link #close()}. Not thread-safe.
 */
public final class MjpegEncoder implements VideoEncoder {
    private final MjpegRateControl rateControl;
    private final JpegFrameEncoder engine;

    private boolean refused;
    private boolean closed;
    private boolean started;
    private long firstFrameTime;
    private RuntimeException lastFailure;

    /** The engine writes rows top row first in picture order; this view makes that memory order. */
    private final MemoryOrder memoryOrder = new MemoryOrder();

    /**
     * @param startingBitRate the stream's share of the client's bit rate, bits/s (streams.md §2.8)
     * @param callbacks       RTT, source fps and playback delay requests of the stream
     * @param clock           the server's monotonic clock; all rate decisions read time from it
     * @param engine          the JPEG engine; owned (closed) by this encoder from now on
     */
    public MjpegEncoder(long startingBitRate, VideoStreamCallbacks callbacks, MonotonicClock clock,
                        JpegFrameEncoder engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.rateControl = new MjpegRateControl(startingBitRate, callbacks, clock);
    }

    /**
     * An encoder on the best JPEG engine available here ({@link JpegEngines#create()}: FFmpeg
     * when its natives load, else ImageIO, with the reason logged).
     */
    public MjpegEncoder(long startingBitRate, VideoStreamCallbacks callbacks, MonotonicClock clock) {
        // Arguments are checked before the engine (possibly native) is created.
        this(checked(startingBitRate, callbacks, clock), callbacks, clock, JpegEngines.create());
    }

    private static long checked(long startingBitRate, VideoStreamCallbacks callbacks, MonotonicClock clock) {
        Objects.requireNonNull(callbacks, "callbacks");
        Objects.requireNonNull(clock, "clock");
        if (startingBitRate < 0) {
            throw new IllegalArgumentException("starting bit rate " + startingBitRate);
        }
        return startingBitRate;
    }

    @Override
    public VideoCodecType codecType() {
        return VideoCodecType.MJPEG;
    }

    /** The rate control driving this encoder (read its state; do not feed it frames). */
    public MjpegRateControl rateControl() {
        return rateControl;
    }

    /** The JPEG engine's name. */
    public String engineName() {
        return engine.engine();
    }

    /** Whether the client reported it cannot decode this stream (see the class comment). */
    public boolean isRefused() {
        return refused;
    }

    /** Why the last UNSUPPORTED from the engine happened, or null. */
    public RuntimeException lastFailure() {
        return lastFailure;
    }

    /**
     * @throws IllegalArgumentException if the rectangle is empty or not inside the bitmap
     * @throws IllegalStateException    after {@link #close()}
     */
    @Override
    public EncodeStatus encodeFrame(int frameMmTime, SpiceBitmap bitmap, int srcLeft, int srcTop,
                                    int srcWidth, int srcHeight, EncodedFrame out) {
        requireOpen();
        Objects.requireNonNull(bitmap, "bitmap");
        Objects.requireNonNull(out, "out");
        // Checked before any state changes: a bad rectangle is a caller bug, not a frame to rate.
        if (srcWidth < 1 || srcHeight < 1 || srcLeft < 0 || srcTop < 0
                || (long) srcLeft + srcWidth > bitmap.width() || (long) srcTop + srcHeight > bitmap.height()) {
            throw new IllegalArgumentException("rectangle (" + srcLeft + ", " + srcTop + ") " + srcWidth + "x"
                    + srcHeight + " is not inside the " + bitmap.width() + "x" + bitmap.height() + " bitmap");
        }
        if (refused) {
            return EncodeStatus.UNSUPPORTED;
        }
        if (!rateControl.admitFrame(frameMmTime)) {
            return EncodeStatus.DROP;
        }
        if (!isSupported(bitmap.format())) {
            return EncodeStatus.UNSUPPORTED;
        }
        SpiceBitmap rows = memoryOrder.view(bitmap);
        int top = MemoryOrder.firstRow(bitmap, srcTop, srcHeight);
        int size;
        try {
            size = engine.encode(rows, srcLeft, top, srcWidth, srcHeight, rateControl.quality(), out);
        } catch (RuntimeException e) {
            lastFailure = e;
            rateControl.frameFailed();
            return EncodeStatus.UNSUPPORTED;
        }
        rateControl.frameEncoded(size);
        long now = rateControl.frameTimeNanos();
        if (!started) {
            started = true;
            firstFrameTime = now;
        }
        out.set(size, true, frameMmTime & 0xFFFF_FFFFL, now - firstFrameTime);
        return EncodeStatus.DONE;
    }

    /** The formats spice's MJPEG encoder takes (streams.md §4.1). */
    public static boolean isSupported(SpiceBitmapFormat format) {
        return format == SpiceBitmapFormat.RGB32 || format == SpiceBitmapFormat.RGBA
                || format == SpiceBitmapFormat.RGB24 || format == SpiceBitmapFormat.RGB16;
    }

    /**
     * A client report. The "cannot decode" report refuses the encoder (class comment); the
     * others go to the rate control (streams.md §4.9). Ignored once refused.
     */
    @Override
    public void clientStreamReport(int numFrames, int numDrops, int startFrameMmTime, int endFrameMmTime,
                                   int endFrameDelay, int audioDelay) {
        requireOpen();
        if (refused) {
            return;
        }
        if (VideoEncoder.isCannotDecodeReport(numFrames, numDrops)) {
            refused = true;
            return;
        }
        rateControl.clientStreamReport(numFrames, numDrops, startFrameMmTime, endFrameMmTime, endFrameDelay,
                audioDelay);
    }

    @Override
    public void notifyServerFrameDrop() {
        requireOpen();
        if (!refused) {
            rateControl.notifyServerFrameDrop();
        }
    }

    @Override
    public long getBitRate() {
        return rateControl.bitRate();
    }

    @Override
    public VideoEncoderStats getStats() {
        return rateControl.stats();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            engine.close();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("MJPEG encoder is closed");
        }
    }
}
