package org.spicecodec.core.video;

import org.spicecodec.core.SpiceBitmap;

/**
 * Frame rows in memory order, as spice-server gives them to its stream encoders (streams.md
 * §2.9): a bottom-up bitmap is read as if it were top-down, so its stream comes out upside
 * down and goes without the TOP_DOWN flag; the client flips it.
 *
 * <p>An instance keeps the top-down view of the last bottom-up bitmap it was given, so a
 * stream that passes the same bitmap every frame allocates nothing. Not thread-safe.
 */
public final class MemoryOrder {
    private SpiceBitmap source;
    private SpiceBitmap view;

    /**
     * The first row in memory of a rectangle given in picture coordinates: {@code srcTop} for a
     * top-down bitmap, {@code height - (srcTop + srcHeight)} rows skipped for a bottom-up one.
     */
    public static int firstRow(SpiceBitmap bitmap, int srcTop, int srcHeight) {
        return bitmap.topDown() ? srcTop : bitmap.height() - srcTop - srcHeight;
    }

    /** {@code bitmap} itself if top-down, else a top-down view of the same rows in memory order. */
    public SpiceBitmap view(SpiceBitmap bitmap) {
        if (bitmap.topDown()) {
            return bitmap;
        }
        if (bitmap != source) {
            SpiceBitmap v = SpiceBitmap.of(bitmap.format(), bitmap.width(), bitmap.height(), bitmap.stride(), true,
                    bitmap.chunks());
            view = bitmap.palette() == null ? v : v.withPalette(bitmap.palette());
            source = bitmap;
        }
        return view;
    }
}
