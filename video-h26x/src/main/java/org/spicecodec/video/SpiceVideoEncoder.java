package org.spicecodec.video;

import java.lang.System.Logger.Level;
import java.util.Objects;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.video.EncodeStatus;
import org.spicecodec.core.video.EncodedFrame;
import org.spicecodec.core.video.MonotonicClock;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.core.video.VideoEncoder;
import org.spicecodec.core.video.VideoEncoderStats;
import org.spicecodec.core.video.VideoStreamCallbacks;

/**
 * A SPICE stream encoder: any backend's {@link FrameCompressor} under spice-server's GStreamer
 * rate control ({@link SpiceBitRateControl}, streams.md §5).
 *
 * <p>Per frame, as spice-server's {@code encode_frame}: a new size or pixel format restarts the
 * failure count (and the first one starts the rate control); after
 * {@value #MAX_CONSECUTIVE_ERRORS} consecutive compressor failures the encoder answers
 * UNSUPPORTED until the size or format changes (usually frames too small for the codec); then
 * the rate control may DROP the frame; the video bit rate is passed on when it changed; the
 * compressor writes into the caller's {@link EncodedFrame}; its size and encoding time (on the
 * injected clock) go back to the rate control.
 *
 * <p>UNSUPPORTED also answers: pixel formats other than RGB32, RGBA, RGB24 and RGB16 (as
 * spice-server's format map), formats the compressor rejects (until the size or format
 * changes), and every frame after the client's "cannot decode" report (0 frames, 0xFFFFFFFF
 * drops). spice-server destroys the client's encoder on that report, so that the stream's
 * frames go out as ordinary images; this encoder refuses all further frames to the same effect.
 *
 * <p>Not thread-safe. Nothing is allocated per frame.
 */
public final class SpiceVideoEncoder implements VideoEncoder {
    /** Failures after which frames of the same size and format are refused. */
    public static final int MAX_CONSECUTIVE_ERRORS = 3;

    private static final System.Logger LOG = System.getLogger("org.spicecodec.video");
    private static final long NS_PER_MS = 1_000_000L;

    private final FrameCompressor compressor;
    private final SpiceBitRateControl control;

    private int width;
    private int height;
    private SpiceBitmapFormat format;
    /** Consecutive failures; {@value #MAX_CONSECUTIVE_ERRORS} and more refuse frames. */
    private int errors;
    private boolean cannotDecode;
    private boolean closed;

    private boolean havePts;
    private int firstMmTime;
    private long lastPts;

    /**
     * Wraps a compressor. Bit-rate changes reach the compressor at once for H.264, H.265, VP8
     * and VP9 (x264enc and vpxenc take them while playing) and for MJPEG only beyond 5 %
     * (spice-server restarts avenc_mjpeg for them).
     *
     * @param startingBitRate spice-server's initial estimate, bit/s; 0 for 8 Mibit/s
     * @param callbacks       the stream's RTT, source fps and playback delay; {@code null} for
     *                        none (30 fps, no latency)
     */
    public SpiceVideoEncoder(FrameCompressor compressor, long startingBitRate, VideoStreamCallbacks callbacks,
                             MonotonicClock clock) {
        this.compressor = Objects.requireNonNull(compressor, "compressor");
        this.control = new SpiceBitRateControl(startingBitRate, callbacks, clock,
                compressor.codec() != VideoCodecType.MJPEG);
    }

    /**
     * Opens a compressor for {@code config} on the first backend of {@code backends} that can
     * encode its codec, under SPICE rate control.
     *
     * @throws BackendUnavailableException       if no backend can encode the codec
     * @throws UnsupportedConfigurationException if the chosen backend cannot honour the config
     */
    public static SpiceVideoEncoder open(VideoBackends backends, VideoEncoderConfig config, long startingBitRate,
                                         VideoStreamCallbacks callbacks, MonotonicClock clock) {
        Objects.requireNonNull(clock, "clock");
        if (startingBitRate < 0) {
            throw new IllegalArgumentException("starting bit rate " + startingBitRate + " < 0");
        }
        FrameCompressor c = backends.openEncoder(config);
        try {
            return new SpiceVideoEncoder(c, startingBitRate, callbacks, clock);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** The rate control, for inspection. */
    public SpiceBitRateControl rateControl() {
        return control;
    }

    /** The wrapped compressor's backend name. */
    public String backend() {
        return compressor.backend();
    }

    @Override
    public VideoCodecType codecType() {
        return compressor.codec();
    }

    @Override
    public EncodeStatus encodeFrame(int frameMmTime, SpiceBitmap bitmap, int srcLeft, int srcTop,
                                    int srcWidth, int srcHeight, EncodedFrame out) {
        if (closed) {
            throw new IllegalStateException("encoder closed");
        }
        Objects.requireNonNull(bitmap, "bitmap");
        Objects.requireNonNull(out, "out");
        if (srcLeft < 0 || srcTop < 0 || srcWidth < 1 || srcHeight < 1
                || (long) srcLeft + srcWidth > bitmap.width() || (long) srcTop + srcHeight > bitmap.height()) {
            throw new IllegalArgumentException("rectangle " + srcLeft + "," + srcTop + " " + srcWidth + "x"
                    + srcHeight + " is not inside the " + bitmap.width() + "x" + bitmap.height() + " bitmap");
        }
        if (cannotDecode) {
            return EncodeStatus.UNSUPPORTED;
        }
        SpiceBitmapFormat f = bitmap.format();
        if (srcWidth != width || srcHeight != height || f != format) {
            int bpp = encoderBitsPerPixel(f);
            if (bpp == 0) {
                return EncodeStatus.UNSUPPORTED;
            }
            width = srcWidth;
            height = srcHeight;
            format = f;
            errors = 0;
            control.setVideoFormat(frameMmTime, srcWidth, srcHeight, bpp);
        } else if (errors >= MAX_CONSECUTIVE_ERRORS) {
            if (errors == MAX_CONSECUTIVE_ERRORS) {
                LOG.log(Level.DEBUG, "{0} {1} cannot compress {2}x{3} {4} frames; refusing them until the size "
                        + "or format changes", compressor.backend(), compressor.codec(), width, height, format);
                errors++;
            }
            return EncodeStatus.UNSUPPORTED;
        }

        if (!control.admitFrame(frameMmTime)) {
            return EncodeStatus.DROP;
        }
        if (control.takeVideoBitRateChange()) {
            compressor.setBitRate(control.videoBitRate());
        }

        long pts = ptsNanos(frameMmTime);
        boolean written;
        control.startEncode();
        try {
            written = compressor.encode(bitmap, srcLeft, srcTop, srcWidth, srcHeight, pts, out);
        } catch (IllegalArgumentException e) {
            // The compressor cannot take this format (or size): refuse until it changes.
            LOG.log(Level.DEBUG, "{0} {1} rejects {2}x{3} {4}: {5}", compressor.backend(), compressor.codec(),
                    srcWidth, srcHeight, f, e.getMessage());
            errors = MAX_CONSECUTIVE_ERRORS + 1;
            return EncodeStatus.UNSUPPORTED;
        } catch (RuntimeException e) {
            errors++;
            LOG.log(Level.WARNING, "{0} {1} failed to encode a {2}x{3} frame ({4} in a row): {5}",
                    compressor.backend(), compressor.codec(), srcWidth, srcHeight, errors, e.toString());
            return EncodeStatus.UNSUPPORTED;
        }
        if (!written) {
            // Nothing came out for this input; the caller sends nothing, as for a drop.
            return EncodeStatus.DROP;
        }
        // streams.md §5.1 counts consecutive failures; spice-server itself only resets its
        // count on a size or format change.
        errors = 0;
        out.set(out.length(), out.keyFrame(), Integer.toUnsignedLong(frameMmTime), out.ptsNanos());
        control.frameEncoded(frameMmTime, out.length());
        return EncodeStatus.DONE;
    }

    @Override
    public void clientStreamReport(int numFrames, int numDrops, int startFrameMmTime, int endFrameMmTime,
                                   int endFrameDelay, int audioDelay) {
        if (VideoEncoder.isCannotDecodeReport(numFrames, numDrops)) {
            if (!cannotDecode) {
                LOG.log(Level.WARNING, "the client cannot decode this {0} stream; its frames must go as images",
                        compressor.codec());
            }
            cannotDecode = true;
            return;
        }
        if (cannotDecode) {
            return;
        }
        control.clientStreamReport(numFrames, numDrops, startFrameMmTime, endFrameMmTime, endFrameDelay,
                audioDelay);
    }

    /** Whether the client reported it cannot decode the stream; every frame is then UNSUPPORTED. */
    public boolean clientCannotDecode() {
        return cannotDecode;
    }

    @Override
    public void notifyServerFrameDrop() {
        control.notifyServerFrameDrop();
    }

    @Override
    public long getBitRate() {
        return control.effectiveBitRate();
    }

    @Override
    public VideoEncoderStats getStats() {
        return new VideoEncoderStats(control.startingBitRate(), control.effectiveBitRate(),
                control.averageQuality());
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            compressor.close();
        }
    }

    /** The raw input depth of spice-server's GStreamer format map; 0 for formats it cannot stream. */
    static int encoderBitsPerPixel(SpiceBitmapFormat f) {
        return switch (f) {
            case RGB32, RGBA -> 32;
            case RGB24 -> 24;
            case RGB16 -> 16;
            default -> 0;
        };
    }

    /**
     * Presentation time from the mm-time, ns since the stream's first frame, kept strictly
     * increasing (by 1 ms at least) because encoders reject non-monotonic timestamps.
     */
    private long ptsNanos(int frameMmTime) {
        if (!havePts) {
            havePts = true;
            firstMmTime = frameMmTime;
            lastPts = 0;
            return 0;
        }
        long pts = (long) (frameMmTime - firstMmTime) * NS_PER_MS;
        if (pts <= lastPts) {
            pts = lastPts + NS_PER_MS;
        }
        lastPts = pts;
        return pts;
    }
}
