package org.spicecodec.core;

/**
 * Decompresses one encoded image into a caller-supplied {@link SpiceBitmap}.
 *
 * <p>As in a SPICE client, the caller knows the image's size from the image descriptor (or
 * from {@link #readInfo}) and provides the destination; the decoder checks that the stream
 * agrees. Implementations keep scratch state, so an instance is not thread-safe.
 */
public interface ImageDecoder {

    /** The SPICE image type this decoder reads. */
    SpiceImageType imageType();

    /**
     * Parses and validates the header of {@code in[offset, offset + length)}.
     *
     * @throws MalformedInputException if the header is truncated, invalid or over the limits
     */
    ImageInfo readInfo(byte[] in, int offset, int length);

    /** Whether an image whose header says {@code encoded} can be decoded into {@code target}. */
    boolean canDecode(SpiceBitmapFormat encoded, SpiceBitmapFormat target);

    /**
     * Decodes {@code in[offset, offset + length)} into {@code dst}, which must have the
     * stream's width and height and a {@linkplain #canDecode supported} format. Rows are
     * written in {@code dst}'s own row order. On failure the contents of {@code dst} are
     * undefined.
     *
     * @throws MalformedInputException if the stream is truncated, corrupt or disagrees with {@code dst}
     */
    void decode(byte[] in, int offset, int length, SpiceBitmap dst);
}
