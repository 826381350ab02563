package org.spicecodec.video.jcodec;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import org.jcodec.codecs.h264.H264Decoder;
import org.jcodec.codecs.h264.io.model.Frame;
import org.jcodec.common.logging.LogLevel;
import org.jcodec.common.logging.Logger;
import org.jcodec.common.model.Rect;
import org.spicecodec.core.ImageLimits;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.core.video.VideoDecoder;
import org.spicecodec.video.I420Converter;

/**
 * H.264 STREAM_DATA payloads (Annex B access units) to BGRx with JCodec's pure-Java decoder.
 *
 * <p>Every access unit passes {@link H264Guard} first, which bounds what JCodec would
 * allocate or loop over and pins the picture size to the stream's; any exception JCodec still
 * throws on corrupt data becomes a {@link MalformedInputException}, and the decoder then
 * starts afresh (it needs the next SPS, PPS and IDR picture), so that the guard's view of the
 * parameter sets and JCodec's never drift apart.
 *
 * <p>JCodec decodes slices on a thread pool of its own when there are several; here it
 * decodes on the caller's thread, so that a failure leaves no task running into the buffers
 * and {@link #close()} leaves no threads behind.
 */
final class JcodecH264Decoder implements VideoDecoder {
    static {
        // JCodec prints a warning to stdout for each odd macroblock it meets ("IPCM macroblock
        // found", ...): a corrupt or hostile stream would flood the console. Its logger is
        // global; raise it to errors only, unless the application already chose a level.
        if (Logger.getLevel() == LogLevel.INFO) {
            Logger.setLevel(LogLevel.WARN);
        }
    }

    private final H264Guard guard = new H264Guard();
    private final List<ByteBuffer> nals = new ArrayList<>();
    private H264Decoder decoder;
    private int width;
    private int height;
    /** JCodec's picture planes, sized for the stream once; it decodes into them. */
    private byte[][] planes;
    /** A copy of the payload: JCodec removes emulation prevention bytes in place. */
    private byte[] scratch = new byte[0];
    private boolean closed;

    JcodecH264Decoder() {
    }

    @Override
    public VideoCodecType codecType() {
        return VideoCodecType.H264;
    }

    @Override
    public boolean decodeFrame(byte[] data, int offset, int length, SpiceBitmap out) {
        if (closed) {
            throw new IllegalStateException("decoder is closed");
        }
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(out, "out");
        if (offset < 0 || length < 0 || length > data.length - offset) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside " + data.length + " bytes");
        }
        if (out.format() != SpiceBitmapFormat.RGB32 && out.format() != SpiceBitmapFormat.RGBA) {
            throw new IllegalArgumentException("decoded frames go to RGB32 (or RGBA) bitmaps, not " + out.format());
        }
        if (out.width() > ImageLimits.DEFAULT.maxWidth() || out.height() > ImageLimits.DEFAULT.maxHeight()) {
            throw new IllegalArgumentException("stream size " + out.width() + "x" + out.height() + " exceeds "
                    + ImageLimits.DEFAULT);
        }
        if (decoder == null || out.width() != width || out.height() != height) {
            open(out.width(), out.height());
        }
        if (length == 0) {
            throw new MalformedInputException(0, "empty H.264 payload");
        }
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length + (scratch.length >> 1))];
        }
        System.arraycopy(data, offset, scratch, 0, length);
        Frame frame;
        try {
            guard.split(scratch, 0, length);
            boolean parameterSets = guard.hasParameterSets();
            nals.clear();
            for (int i = 0; i < guard.nalCount; i++) {
                int type = guard.nalType[i];
                parameterSets |= type == H264Guard.NAL_PPS;
                if (type == H264Guard.NAL_SLICE || type == H264Guard.NAL_IDR) {
                    if (!parameterSets) {
                        // A stream joined mid-way: no picture before the next key frame. Its
                        // parameter sets still go to JCodec, as they went to the guard.
                        continue;
                    }
                } else if (type != H264Guard.NAL_SPS && type != H264Guard.NAL_PPS) {
                    continue; // SEI, delimiters and the like: JCodec ignores them too
                }
                guard.check(scratch, 0, i);
                nals.add(ByteBuffer.wrap(scratch, guard.nalStart[i], guard.nalEnd[i] - guard.nalStart[i]).slice());
            }
            frame = nals.isEmpty() ? null : decoder.decodeFrameFromNals(nals, planes);
        } catch (MalformedInputException e) {
            open(width, height);
            throw e;
        } catch (RuntimeException e) {
            // JCodec's own checks and its failures on data it does not expect (index, null,
            // arithmetic errors) all end here.
            open(width, height);
            throw new MalformedInputException(0, "JCodec cannot decode the H.264 access unit: " + e);
        }
        if (frame == null) {
            return false; // parameter sets only, or slices without them
        }
        Rect crop = frame.getCrop();
        int cx = crop == null ? 0 : crop.getX();
        int cy = crop == null ? 0 : crop.getY();
        int cw = crop == null ? frame.getWidth() : crop.getWidth();
        int ch = crop == null ? frame.getHeight() : crop.getHeight();
        if (cw < width || ch < height || cx + width > frame.getWidth() || cy + height > frame.getHeight()
                || (cx & 1) != 0 || (cy & 1) != 0) {
            open(width, height);
            throw new MalformedInputException(0, "decoded picture " + cw + "x" + ch + " does not match the "
                    + width + "x" + height + " stream");
        }
        int ys = frame.getPlaneWidth(0);
        int cs = frame.getPlaneWidth(1);
        byte[][] p = frame.getData();
        I420Converter.i420ToBgrx(p[0], cy * ys + cx, ys, p[1], (cy >> 1) * cs + (cx >> 1), cs,
                p[2], (cy >> 1) * cs + (cx >> 1), cs, width, height, I420Converter.SIGNED_SAMPLES, out);
        return true;
    }

    /** A fresh JCodec decoder and guard for a stream of this size. */
    private void open(int w, int h) {
        shutdown(decoder);
        decoder = new H264Decoder();
        singleThreaded(decoder);
        guard.reset(w, h);
        if (planes == null || w != width || h != height) {
            int lw = ((w + 15) & ~15);
            int lh = ((h + 15) & ~15);
            planes = new byte[][] {new byte[lw * lh], new byte[lw * lh / 4], new byte[lw * lh / 4]};
        }
        width = w;
        height = h;
    }

    /**
     * Turns off JCodec 0.2.5's slice thread pool (private fields {@code threaded} and
     * {@code tp}: it has no API for this). If the fields are not there, JCodec keeps its threads,
     * which are daemons and only decode.
     */
    private static void singleThreaded(H264Decoder d) {
        try {
            Field threaded = H264Decoder.class.getDeclaredField("threaded");
            threaded.setAccessible(true);
            threaded.setBoolean(d, false);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return; // keep JCodec's threading
        }
        shutdown(d);
    }

    private static void shutdown(H264Decoder d) {
        if (d == null) {
            return;
        }
        try {
            Field tp = H264Decoder.class.getDeclaredField("tp");
            tp.setAccessible(true);
            Object pool = tp.get(d);
            if (pool instanceof ExecutorService es) {
                es.shutdownNow();
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // nothing to release
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            shutdown(decoder);
            decoder = null;
            planes = null;
        }
    }
}
