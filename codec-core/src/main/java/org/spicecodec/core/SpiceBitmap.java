package org.spicecodec.core;

import java.util.Objects;

/**
 * An uncompressed SPICE bitmap: format, size, stride, row order, optional palette, and the
 * rows themselves in one or more {@link SpiceChunks chunks}.
 *
 * <p>{@code topDown} says whether the first stored row is the top of the picture (SPICE's
 * {@code SPICE_BITMAP_FLAGS_TOP_DOWN}); bottom-up bitmaps store the bottom row first.
 *
 * <p>Ownership: a {@code SpiceBitmap} is an immutable view; it neither copies nor owns the
 * pixel arrays. It can be built once and reused for every frame that lands in the same
 * buffers, so a hot loop creates no objects.
 */
public final class SpiceBitmap {
    private final SpiceBitmapFormat format;
    private final int width;
    private final int height;
    private final int stride;
    private final boolean topDown;
    private final SpicePalette palette;
    private final SpiceChunks chunks;

    private SpiceBitmap(SpiceBitmapFormat format, int width, int height, int stride, boolean topDown,
                        SpicePalette palette, SpiceChunks chunks) {
        this.format = Objects.requireNonNull(format, "format");
        this.chunks = Objects.requireNonNull(chunks, "chunks");
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("size must be positive: " + width + "x" + height);
        }
        if (stride < format.minStride(width)) {
            throw new IllegalArgumentException("stride " + stride + " is below " + format.minStride(width)
                    + " for " + width + " pixels of " + format);
        }
        long rows = 0;
        for (int i = 0; i < chunks.count(); i++) {
            if (chunks.length(i) % stride != 0) {
                throw new IllegalArgumentException("chunk " + i + " of " + chunks.length(i)
                        + " bytes does not hold whole rows of stride " + stride);
            }
            rows += chunks.length(i) / stride;
        }
        if (rows < height) {
            throw new IllegalArgumentException("chunks hold " + rows + " rows, the bitmap needs " + height);
        }
        this.width = width;
        this.height = height;
        this.stride = stride;
        this.topDown = topDown;
        this.palette = palette;
    }

    /** A bitmap whose {@code height} rows start at {@code data[offset]}, {@code stride} bytes apart. */
    public static SpiceBitmap of(SpiceBitmapFormat format, int width, int height, int stride, boolean topDown,
                                 byte[] data, int offset) {
        long len = (long) stride * height;
        if (stride < 1 || len > data.length - (long) offset || offset < 0) {
            throw new IllegalArgumentException("array of " + data.length + " bytes from offset " + offset
                    + " cannot hold " + height + " rows of stride " + stride);
        }
        return new SpiceBitmap(format, width, height, stride, topDown, null, SpiceChunks.of(data, offset, (int) len));
    }

    /** A top-down bitmap with the tightest stride, in an array of exactly the right size. */
    public static SpiceBitmap of(SpiceBitmapFormat format, int width, int height, byte[] data) {
        return of(format, width, height, (int) format.minStride(width), true, data, 0);
    }

    /** A bitmap over chunks; every chunk must hold whole rows. */
    public static SpiceBitmap of(SpiceBitmapFormat format, int width, int height, int stride, boolean topDown,
                                 SpiceChunks chunks) {
        return new SpiceBitmap(format, width, height, stride, topDown, null, chunks);
    }

    /** A zero-filled top-down bitmap with the tightest stride. */
    public static SpiceBitmap allocate(SpiceBitmapFormat format, int width, int height) {
        long stride = format.minStride(width);
        if (stride * height > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(width + "x" + height + " " + format + " does not fit in one array");
        }
        return of(format, width, height, new byte[(int) (stride * height)]);
    }

    /** The same bitmap with a palette attached. */
    public SpiceBitmap withPalette(SpicePalette palette) {
        return new SpiceBitmap(format, width, height, stride, topDown, palette, chunks);
    }

    public SpiceBitmapFormat format() {
        return format;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int stride() {
        return stride;
    }

    public boolean topDown() {
        return topDown;
    }

    /** The palette, or {@code null}. */
    public SpicePalette palette() {
        return palette;
    }

    public SpiceChunks chunks() {
        return chunks;
    }

    /** True when all rows are in one chunk. */
    public boolean isContiguous() {
        return chunks.count() == 1;
    }

    /** The single backing array; only for {@linkplain #isContiguous() contiguous} bitmaps. */
    public byte[] data() {
        requireContiguous();
        return chunks.data(0);
    }

    /** Offset of the first stored row in {@link #data()}; only for contiguous bitmaps. */
    public int offset() {
        requireContiguous();
        return chunks.offset(0);
    }

    private void requireContiguous() {
        if (chunks.count() != 1) {
            throw new IllegalStateException("bitmap has " + chunks.count() + " chunks");
        }
    }

    @Override
    public String toString() {
        return "SpiceBitmap[" + format + " " + width + "x" + height + ", stride " + stride
                + (topDown ? ", top-down" : ", bottom-up") + ", " + chunks.count() + " chunk(s)]";
    }
}
