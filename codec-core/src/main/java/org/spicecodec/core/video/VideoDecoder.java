package org.spicecodec.core.video;

import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.SpiceBitmap;

/**
 * Decodes the frames of one SPICE stream, in order, into caller-provided bitmaps.
 *
 * <p>The stream size is known from STREAM_CREATE (or STREAM_DATA_SIZED), so the caller passes
 * a bitmap of that size; a frame of another size is malformed input. Not thread-safe.
 */
public interface VideoDecoder extends AutoCloseable {

    VideoCodecType codecType();

    /**
     * Decodes one STREAM_DATA payload.
     *
     * @param out an RGB32 (B, G, R, X) bitmap of the stream's size; written only when this
     *            returns {@code true}
     * @return {@code true} if a picture was written to {@code out}; {@code false} if the
     *         decoder needs more data first
     * @throws MalformedInputException if the payload is corrupt or does not match the stream
     */
    boolean decodeFrame(byte[] data, int offset, int length, SpiceBitmap out);

    @Override
    void close();
}
