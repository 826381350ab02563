package org.spicecodec.core;

/**
 * Bounds on image dimensions that a decoder checks against a header before it allocates
 * anything. A hostile header cannot make a decoder allocate more than these limits allow.
 *
 * <p>The defaults admit any screen SPICE can drive (a surface of up to 16384 x 16384) while
 * keeping a decoded 32-bit image below 1 GiB.
 */
public record ImageLimits(int maxWidth, int maxHeight, long maxPixels) {

    /** 16384 x 16384, and at most 2^28 pixels in all. */
    public static final ImageLimits DEFAULT = new ImageLimits(16384, 16384, 1L << 28);

    public ImageLimits {
        if (maxWidth < 1 || maxHeight < 1 || maxPixels < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /**
     * Throws {@link MalformedInputException} at {@code offset} unless
     * {@code 1 <= width <= maxWidth}, {@code 1 <= height <= maxHeight} and
     * {@code width * height <= maxPixels}. Width and height are taken as read from a header,
     * so negative values (an unsigned field above 2^31) are rejected too.
     */
    public void check(long width, long height, long offset) {
        check(width, height, offset, offset);
    }

    /**
     * As {@link #check(long, long, long)}, naming the offset of the field at fault: the
     * width's, or the height's when only the height is wrong.
     */
    public void check(long width, long height, long widthOffset, long heightOffset) {
        if (width < 1 || width > maxWidth) {
            throw new MalformedInputException(widthOffset, "image size " + width + "x" + height + ": width is outside 1.." + maxWidth);
        }
        if (height < 1 || height > maxHeight) {
            throw new MalformedInputException(heightOffset, "image size " + width + "x" + height + ": height is outside 1.." + maxHeight);
        }
        if (width * height > maxPixels) {
            throw new MalformedInputException(widthOffset, "image size " + width + "x" + height
                    + " exceeds the limit of " + maxPixels + " pixels");
        }
    }
}
