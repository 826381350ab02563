package org.spicecodec.video;

import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.video.EncodedFrame;
import org.spicecodec.core.video.VideoCodecType;

/**
 * An encoder, like a {@link FrameCompressor}, that takes the next frame while it is still
 * encoding the previous one: frames go in with {@link #submit}, access units come out through a {@link Sink} on the
 * pipeline's encoding thread, in submission order.
 *
 * <p>Why: at zero latency the encoder needs the whole converted frame before it starts, so a
 * synchronous encoder spends each frame first converting, then encoding. A pipeline converts
 * frame N+1 on the caller's thread while frame N encodes on its own thread, which raises
 * throughput when frames arrive faster than one conversion plus one encode. When they arrive
 * slower (a 30 fps stream), nothing overlaps and an access unit comes out as soon as with
 * {@link FrameCompressor#encode}: the pipeline never waits for a later frame.
 *
 * <p>Ownership: {@link #submit} has read the bitmap when it returns; the caller may then reuse
 * or change it. The {@link EncodedFrame} given to the sink is the pipeline's own and valid only
 * during the call: copy what must outlive it.
 *
 * <p>Backpressure: at most two frames are in flight (one converted and waiting, one encoding);
 * {@link #submit} blocks until a slot is free. {@link FramePipeline#synchronous} gives the same
 * interface over any {@link FrameCompressor} without a thread (the sink is then called from
 * {@code submit}).
 *
 * <p>Threads: every method is called from one thread, the one that submits (a client's
 * key-frame request or bit-rate report arriving elsewhere is handed to it). The sink runs on
 * the encoding thread and must not call the pipeline back (that call throws
 * {@link IllegalStateException}: it would wait for itself). An exception from the sink or the
 * encoder ends the pipeline: the next call throws {@link IllegalStateException} with it as
 * the cause, and {@link #close()} reports it if no call did.
 */
public interface FramePipeline extends AutoCloseable {

    /** Receives the pipeline's output. */
    @FunctionalInterface
    interface Sink {
        /**
         * One submitted frame has been encoded.
         *
         * @param ptsNanos the frame's timestamp as submitted
         * @param frame    the access unit (with its key-frame flag and {@code ptsNanos}), or
         *                 {@code null} if the encoder produced nothing for this frame (a drop)
         */
        void accept(long ptsNanos, EncodedFrame frame);
    }

    VideoCodecType codec();

    /** The backend's name, as {@link FrameCompressor#backend()}. */
    String backend();

    /**
     * Converts the rectangle of {@code bitmap} and queues it for encoding; blocks while two
     * frames are in flight. Arguments are checked as by {@link FrameCompressor#encode}.
     *
     * @throws IllegalStateException if the pipeline is closed, or an earlier frame failed on
     *         the encoding thread (the cause is that failure; the pipeline then takes no more frames)
     */
    void submit(SpiceBitmap bitmap, int srcLeft, int srcTop, int srcWidth, int srcHeight, long ptsNanos);

    /** Waits until every submitted frame has reached the sink. */
    void flush();

    /** Changes the target bit rate from the next submitted frame on (VBR/CBR; ignored for QP modes). */
    void setBitRate(long bitsPerSecond);

    /** Makes the next submitted frame a key frame. */
    void requestKeyFrame();

    /** Flushes, stops the encoding thread and frees the encoder. */
    @Override
    void close();

    /**
     * The pipeline interface over any compressor, without overlap: {@link #submit} encodes at
     * once and calls the sink before it returns. Closing the pipeline closes the compressor.
     */
    static FramePipeline synchronous(FrameCompressor compressor, Sink sink) {
        return new SynchronousFramePipeline(compressor, sink);
    }
}
