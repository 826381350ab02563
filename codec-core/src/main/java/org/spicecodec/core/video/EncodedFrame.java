package org.spicecodec.core.video;

import java.util.Arrays;

/**
 * A caller-owned, reusable output holder for one encoded frame (a JPEG, an Annex B access
 * unit, or a raw VP8/VP9 frame).
 *
 * <p>Ownership: the caller creates one per stream and passes it to every
 * {@link VideoEncoder#encodeFrame} call. The encoder writes {@code data()[0, length())} and
 * may replace the array with a larger one when a frame does not fit, so read {@link #data()}
 * after each call. The bytes stay valid until the next call that writes into this holder.
 * Nothing is allocated once the array has grown to the largest frame.
 */
public final class EncodedFrame {
    private byte[] data;
    private int length;
    private boolean keyFrame;
    private long mmTime;
    private long ptsNanos;

    public EncodedFrame() {
        this(32 * 1024);
    }

    public EncodedFrame(int initialCapacity) {
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("capacity " + initialCapacity);
        }
        this.data = new byte[initialCapacity];
    }

    /** The backing array; the frame is {@code [0, length())}. */
    public byte[] data() {
        return data;
    }

    public int length() {
        return length;
    }

    /** Whether the frame can be decoded without earlier frames (always true for MJPEG). */
    public boolean keyFrame() {
        return keyFrame;
    }

    /** The mm-time passed with the input frame (the STREAM_DATA multi_media_time). */
    public long mmTime() {
        return mmTime;
    }

    /** The presentation time the encoder used, in ns from the stream's first frame. */
    public long ptsNanos() {
        return ptsNanos;
    }

    /** A copy of the frame's bytes (allocates; for tests and tools). */
    public byte[] toByteArray() {
        return Arrays.copyOf(data, length);
    }

    /**
     * For encoders: makes room for {@code capacity} bytes, keeping the bytes already written,
     * and returns the (possibly new) array. Growth at least doubles.
     */
    public byte[] ensureCapacity(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        if (capacity > data.length) {
            long grown = Math.max((long) capacity, 2L * data.length);
            data = Arrays.copyOf(data, (int) Math.min(grown, Integer.MAX_VALUE - 8));
            if (data.length < capacity) {
                throw new IllegalArgumentException("capacity " + capacity + " exceeds the array limit");
            }
        }
        return data;
    }

    /** For encoders: records the frame written into {@link #data()}. */
    public void set(int length, boolean keyFrame, long mmTime, long ptsNanos) {
        if (length < 0 || length > data.length) {
            throw new IllegalArgumentException("length " + length + " of " + data.length);
        }
        this.length = length;
        this.keyFrame = keyFrame;
        this.mmTime = mmTime;
        this.ptsNanos = ptsNanos;
    }

    /** Forgets the frame (length 0); keeps the array. */
    public void clear() {
        length = 0;
        keyFrame = false;
    }
}
