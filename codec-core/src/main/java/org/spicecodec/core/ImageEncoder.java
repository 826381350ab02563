package org.spicecodec.core;

/**
 * Compresses one {@link SpiceBitmap} into a caller-supplied array.
 *
 * <p>Implementations keep scratch state between calls, so an instance is not thread-safe;
 * use one per thread. After the first image of a given width, encoding allocates nothing.
 */
public interface ImageEncoder {

    /** Returned by {@link #encode} when the output does not fit in the space given. */
    int DOES_NOT_FIT = -1;

    /** The SPICE image type this encoder produces. */
    SpiceImageType imageType();

    /** Whether {@link #encode} accepts bitmaps of this format. */
    boolean supports(SpiceBitmapFormat format);

    /** An upper bound on the encoded size of any image of this format and size. */
    long maxEncodedLength(SpiceBitmapFormat format, int width, int height);

    /**
     * Encodes {@code src} into {@code out[outOffset, outOffset + maxLength)}.
     *
     * @return the number of bytes written, or {@link #DOES_NOT_FIT} if the encoding would need
     *         more than {@code maxLength} bytes (the contents of {@code out} are then undefined).
     *         SPICE servers use this to fall back to another codec, or to raw bitmaps.
     * @throws IllegalArgumentException if the format is not supported
     */
    int encode(SpiceBitmap src, byte[] out, int outOffset, int maxLength);
}
