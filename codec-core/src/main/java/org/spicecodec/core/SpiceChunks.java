package org.spicecodec.core;

import java.util.Objects;

/**
 * The rows of a bitmap as the guest delivered them: one or more byte ranges, in file order,
 * like {@code SpiceChunks} in spice-server. Each chunk holds whole rows.
 *
 * <p>Ownership: the chunk list is immutable, but the byte arrays are the caller's and are not
 * copied. Encoders only read them; decoders write decoded rows into them.
 */
public final class SpiceChunks {
    private final byte[][] data;
    private final int[] offset;
    private final int[] length;
    private final long totalLength;

    private SpiceChunks(byte[][] data, int[] offset, int[] length) {
        this.data = data;
        this.offset = offset;
        this.length = length;
        long total = 0;
        for (int len : length) {
            total += len;
        }
        this.totalLength = total;
    }

    /** One chunk covering {@code data[offset, offset + length)}. */
    public static SpiceChunks of(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        return new SpiceChunks(new byte[][] {data}, new int[] {offset}, new int[] {length});
    }

    /** One chunk covering the whole array. */
    public static SpiceChunks of(byte[] data) {
        return of(data, 0, data.length);
    }

    /** Several whole arrays, one chunk each, in order. */
    public static SpiceChunks of(byte[]... chunks) {
        Builder b = builder();
        for (byte[] c : chunks) {
            b.add(c, 0, c.length);
        }
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int count() {
        return data.length;
    }

    public byte[] data(int i) {
        return data[i];
    }

    public int offset(int i) {
        return offset[i];
    }

    public int length(int i) {
        return length[i];
    }

    public long totalLength() {
        return totalLength;
    }

    /** Collects chunks in order. */
    public static final class Builder {
        private byte[][] data = new byte[4][];
        private int[] offset = new int[4];
        private int[] length = new int[4];
        private int n;

        private Builder() {
        }

        public Builder add(byte[] chunk, int off, int len) {
            Objects.checkFromIndexSize(off, len, chunk.length);
            if (n == data.length) {
                data = java.util.Arrays.copyOf(data, n * 2);
                offset = java.util.Arrays.copyOf(offset, n * 2);
                length = java.util.Arrays.copyOf(length, n * 2);
            }
            data[n] = chunk;
            offset[n] = off;
            length[n] = len;
            n++;
            return this;
        }

        public SpiceChunks build() {
            if (n == 0) {
                throw new IllegalStateException("no chunks");
            }
            return new SpiceChunks(java.util.Arrays.copyOf(data, n), java.util.Arrays.copyOf(offset, n),
                    java.util.Arrays.copyOf(length, n));
        }
    }
}
