package org.spicecodec.core.video;

import org.spicecodec.core.SpiceBitmap;

/**
 * A SPICE stream encoder with its own rate control: the Java form of spice-server's
 * {@code VideoEncoder} (streams.md §3). One instance serves one stream for one client. The
 * stream detector drives MJPEG, H.264, H.265, VP8 and VP9 through this interface alone.
 *
 * <p>Not thread-safe: a stream's frames, reports and drop notices come from one thread, or
 * the caller serialises them.
 *
 * <p>Integer fields that are {@code uint32} on the wire (mm-times, frame counts) are passed as
 * Java {@code int} bit patterns and compared unsigned where SPICE does.
 */
public interface VideoEncoder extends AutoCloseable {

    /** The codec this encoder produces (STREAM_CREATE's codec_type). */
    VideoCodecType codecType();

    /**
     * Encodes one frame, or decides to drop it.
     *
     * @param frameMmTime the mm-time at which the client should show the frame (uint32)
     * @param bitmap      the source bitmap; its {@link SpiceBitmap#topDown()} gives the row order
     * @param srcLeft     the stream's rectangle inside the bitmap, in pixels
     * @param out         the caller's output holder, written only when the result is DONE
     * @return DONE with the frame in {@code out}, DROP if rate control skipped it, or
     *         UNSUPPORTED if this encoder cannot encode it
     */
    EncodeStatus encodeFrame(int frameMmTime, SpiceBitmap bitmap, int srcLeft, int srcTop,
                             int srcWidth, int srcHeight, EncodedFrame out);

    /** Encodes the whole bitmap. */
    default EncodeStatus encodeFrame(int frameMmTime, SpiceBitmap bitmap, EncodedFrame out) {
        return encodeFrame(frameMmTime, bitmap, 0, 0, bitmap.width(), bitmap.height(), out);
    }

    /**
     * A client STREAM_REPORT (streams.md §6.2–6.3). {@code numDrops == -1} (0xFFFFFFFF) with
     * {@code numFrames == 0} is the report that the client cannot decode the stream; the
     * stream should then stop using this encoder. {@code audioDelay == -1} (0xFFFFFFFF) means
     * no audio playback.
     */
    void clientStreamReport(int numFrames, int numDrops, int startFrameMmTime, int endFrameMmTime,
                            int endFrameDelay, int audioDelay);

    /** A frame from this encoder was replaced while still queued for sending (streams.md §2.7). */
    void notifyServerFrameDrop();

    /** The current bit-rate estimate in bits/s. */
    long getBitRate();

    /** Starting and current bit rate, average quality. */
    VideoEncoderStats getStats();

    /** Releases native resources; the encoder cannot be used afterwards. */
    @Override
    void close();

    /** {@code true} when {@code numFrames == 0 && numDrops == 0xFFFFFFFF}. */
    static boolean isCannotDecodeReport(int numFrames, int numDrops) {
        return numFrames == 0 && numDrops == -1;
    }
}
