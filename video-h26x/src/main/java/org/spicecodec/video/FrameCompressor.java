package org.spicecodec.video;

import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.video.EncodedFrame;
import org.spicecodec.core.video.VideoCodecType;

/**
 * A backend's raw encoder, without SPICE rate control: one frame in, one access unit out.
 * {@link SpiceVideoEncoder} puts SPICE's bit-rate control (streams.md §5) on top of it.
 *
 * <p>Input: RGB32 (BGRx), RGBA (BGRA), RGB24 (BGR) or RGB16 bitmaps of any size, including
 * odd sizes, and any stride; the rectangle is cropped from the bitmap.
 *
 * <p>Rows are encoded in <em>memory order</em>, as spice-server gives them to its encoders
 * (streams.md §2.9): a bottom-up bitmap comes out upside down, and the stream goes without
 * the TOP_DOWN flag so that the client flips it. The rectangle is in picture coordinates
 * ({@code srcTop} counts from the top row); for a bottom-up bitmap the encoder skips
 * {@code height - (srcTop + srcHeight)} rows at the start of memory. Implementations
 * check sizes, strides and lengths before anything reaches native code. A size change
 * reopens the encoder (the next frame is a key frame). Not thread-safe.
 */
public interface FrameCompressor extends AutoCloseable {

    VideoCodecType codec();

    /** The backend's name: "ffmpeg", "gstreamer" or "jcodec". */
    String backend();

    /**
     * Encodes one frame into {@code out} (Annex B for H.264/H.265, a raw frame for VP8/VP9,
     * a JPEG for MJPEG) with {@code ptsNanos} and the key-frame flag set.
     *
     * @return {@code true} if a frame was written; {@code false} if the encoder produced
     *         nothing for this input (the caller then treats it as dropped)
     * @throws IllegalArgumentException for a bitmap format this backend cannot take
     */
    boolean encode(SpiceBitmap bitmap, int srcLeft, int srcTop, int srcWidth, int srcHeight,
                   long ptsNanos, EncodedFrame out);

    /** Changes the target bit rate of VBR/CBR encoders while streaming; ignored for QP modes. */
    void setBitRate(long bitsPerSecond);

    /** Makes the next frame a key frame (or starts an intra-refresh cycle). */
    void requestKeyFrame();

    @Override
    void close();
}
