package org.spicecodec.audio;

import java.util.Objects;

/**
 * One audio DATA payload: its SPICE mm-time (milliseconds, {@code uint32}, wrapping) and the
 * payload bytes {@code data[offset .. offset + length)} (one Opus packet or one RAW frame).
 * The array is not copied.
 */
public record AudioPacket(long mmTime, byte[] data, int offset, int length) {
    public AudioPacket {
        if (mmTime < 0 || mmTime > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("mmTime is a uint32: " + mmTime);
        }
        Objects.requireNonNull(data, "data");
        Objects.checkFromIndexSize(offset, length, data.length);
    }

    public AudioPacket(long mmTime, byte[] data) {
        this(mmTime, data, 0, data.length);
    }

    /** A copy of the payload. */
    public byte[] payload() {
        return java.util.Arrays.copyOfRange(data, offset, offset + length);
    }

    /** mm-time advanced by {@code ms}, modulo 2^32. */
    public static long addMmTime(long mmTime, long ms) {
        return (mmTime + ms) & 0xFFFF_FFFFL;
    }

    /**
     * Serial-number comparison of two wrapping mm-times (RFC 1982 style): negative if
     * {@code a} is before {@code b}, valid while they are less than 2^31 ms apart.
     */
    public static int compareMmTime(long a, long b) {
        return Integer.signum((int) (a - b));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AudioPacket p && p.mmTime == mmTime
                && java.util.Arrays.equals(data, offset, offset + length, p.data, p.offset, p.offset + p.length);
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(mmTime);
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + data[i];
        }
        return h;
    }

    @Override
    public String toString() {
        return "AudioPacket[mmTime=" + mmTime + ", length=" + length + "]";
    }
}
