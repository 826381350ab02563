package org.spicecodec.jpeg;

import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.video.EncodedFrame;

/**
 * A JPEG engine: encodes a rectangle of a bitmap as one baseline JFIF JPEG (8-bit, Huffman,
 * YCbCr 4:2:0, tables in every frame) at an IJG quality (1–100, the scale of libjpeg's
 * {@code jpeg_set_quality}). Rows always come out top-down, whatever the bitmap's order.
 *
 * <p>Used for SPICE's JPEG images and for every MJPEG stream frame. Input formats: RGB32,
 * RGBA (alpha ignored), RGB24, RGB16. Buffer ownership as {@link EncodedFrame}: the encoder
 * grows the caller's holder as needed and writes the frame at offset 0. Instances keep
 * scratch state and are not thread-safe.
 */
public interface JpegFrameEncoder extends AutoCloseable {

    /** The engine's name ("ffmpeg", "imageio", …). */
    String engine();

    /**
     * Encodes {@code src[left, top, width, height]} at {@code quality} into {@code out}.
     *
     * @return the JPEG's length in bytes ({@code out.length()} is set to it as well)
     * @throws IllegalArgumentException for an unsupported format or a rectangle outside the bitmap
     */
    int encode(SpiceBitmap src, int left, int top, int width, int height, int quality, EncodedFrame out);

    @Override
    void close();
}
