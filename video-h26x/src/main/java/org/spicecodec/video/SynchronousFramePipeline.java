package org.spicecodec.video;

import java.util.Objects;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.video.EncodedFrame;
import org.spicecodec.core.video.VideoCodecType;

/** {@link FramePipeline#synchronous}: each frame encoded and delivered inside {@code submit}. */
final class SynchronousFramePipeline implements FramePipeline {
    private final FrameCompressor compressor;
    private final Sink sink;
    private final EncodedFrame out = new EncodedFrame();
    private boolean closed;
    private RuntimeException sinkFailure;
    private boolean inSink;

    SynchronousFramePipeline(FrameCompressor compressor, Sink sink) {
        this.compressor = Objects.requireNonNull(compressor, "compressor");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    @Override
    public VideoCodecType codec() {
        return compressor.codec();
    }

    @Override
    public String backend() {
        return compressor.backend();
    }

    /**
     * Encodes and delivers at once. Encoder exceptions (a bad rectangle, say) come straight
     * through and leave the pipeline usable; an exception from the sink ends it, as in a
     * threaded pipeline, but is thrown here first since the sink ran here.
     */
    @Override
    public void submit(SpiceBitmap bitmap, int srcLeft, int srcTop, int srcWidth, int srcHeight, long ptsNanos) {
        checkUsable();
        boolean produced = compressor.encode(bitmap, srcLeft, srcTop, srcWidth, srcHeight, ptsNanos, out);
        inSink = true;
        try {
            sink.accept(ptsNanos, produced ? out : null);
        } catch (RuntimeException e) {
            sinkFailure = e;
            throw e;
        } finally {
            inSink = false;
        }
    }

    private void checkUsable() {
        if (inSink) {
            throw new IllegalStateException("the sink must not call the pipeline back");
        }
        if (closed) {
            throw new IllegalStateException("pipeline closed");
        }
        if (sinkFailure != null) {
            throw new IllegalStateException("an earlier frame's sink failed: " + sinkFailure, sinkFailure);
        }
    }

    @Override
    public void flush() {
        checkUsable(); // nothing is ever in flight
    }

    @Override
    public void setBitRate(long bitsPerSecond) {
        checkUsable();
        compressor.setBitRate(bitsPerSecond);
    }

    @Override
    public void requestKeyFrame() {
        checkUsable();
        compressor.requestKeyFrame();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            compressor.close();
        }
    }
}
