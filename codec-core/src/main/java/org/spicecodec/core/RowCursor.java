package org.spicecodec.core;

/**
 * Walks the rows of a {@link SpiceBitmap} without allocating: after each {@link #next()},
 * {@link #array} and {@link #offset} locate the row. Codecs keep one cursor and
 * {@linkplain #reset reset} it per image.
 *
 * <p>In <em>picture order</em> the top row comes first whatever the storage order (what QUIC
 * needs); in <em>storage order</em> rows come as stored (what LZ and GLZ need).
 */
public final class RowCursor {
    /** The array holding the current row. */
    public byte[] array;
    /** Offset of the current row's first byte in {@link #array}. */
    public int offset;

    private SpiceChunks chunks;
    private int stride;
    private int remaining;
    private boolean backwards;
    private int chunk;
    private int rowInChunk;
    private int rowsInChunk;

    private byte[] single;
    private int singleNext;

    /**
     * Positions the cursor before the first of {@code height} rows held in one array, the
     * first stored row at {@code offset}. With {@code backwards}, rows are visited from the
     * last stored one to the first (picture order of a bottom-up bitmap).
     */
    public void reset(byte[] data, int offset, int stride, int height, boolean backwards) {
        this.single = data;
        this.stride = backwards ? -stride : stride;
        this.singleNext = backwards ? offset + (height - 1) * stride : offset;
        this.remaining = height;
        this.array = data;
    }

    /** Positions the cursor before the first row, in picture or storage order. */
    public void reset(SpiceBitmap bitmap, boolean pictureOrder) {
        this.single = null;
        this.chunks = bitmap.chunks();
        this.stride = bitmap.stride();
        this.remaining = bitmap.height();
        this.backwards = pictureOrder && !bitmap.topDown();
        if (backwards) {
            // The last stored row of the bitmap: find the chunk that holds row height-1.
            int row = bitmap.height() - 1;
            int c = 0;
            while (row >= chunks.length(c) / stride) {
                row -= chunks.length(c) / stride;
                c++;
            }
            chunk = c;
            rowInChunk = row + 1;
        } else {
            chunk = 0;
            rowInChunk = -1;
            rowsInChunk = chunks.length(0) / stride;
        }
    }

    /** Moves to the next row; returns false when all rows have been visited. */
    public boolean next() {
        if (remaining == 0) {
            return false;
        }
        remaining--;
        if (single != null) {
            offset = singleNext;
            singleNext += stride;
            return true;
        }
        if (backwards) {
            while (--rowInChunk < 0) {
                chunk--;
                rowInChunk = chunks.length(chunk) / stride;
            }
        } else {
            while (++rowInChunk >= rowsInChunk) {
                chunk++;
                rowInChunk = -1;
                rowsInChunk = chunks.length(chunk) / stride;
            }
        }
        array = chunks.data(chunk);
        offset = chunks.offset(chunk) + rowInChunk * stride;
        return true;
    }
}
