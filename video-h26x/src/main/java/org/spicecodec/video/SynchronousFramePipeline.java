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

    @Override
    public void submit(SpiceBitmap bitmap, int srcLeft, int srcTop, int srcWidth, int srcHeight, long ptsNanos) {
        if (closed) {
            throw new IllegalStateException("pipeline closed");
        }
        boolean produced = compressor.encode(bitmap, srcLeft, srcTop, srcWidth, srcHeight, ptsNanos, out);
        sink.accept(ptsNanos, produced ? out : null);
    }

    @Override
    public void flush() {
        // Nothing is ever in flight.
    }

    @Override
    public void setBitRate(long bitsPerSecond) {
        compressor.setBitRate(bitsPerSecond);
    }

    @Override
    public void requestKeyFrame() {
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
