package org.spicecodec.audio;

import java.util.Objects;
import org.spicecodec.core.MalformedInputException;

/**
 * Bodies of SPICE audio messages (after the SPICE message header), little-endian as in
 * spice.proto: playback/record DATA {@code uint32 time; data[]}, playback START
 * {@code uint32 channels; uint16 format; uint32 frequency; uint32 time} and MODE
 * {@code uint32 time; uint16 mode; data[]}.
 */
public final class SpiceAudioMessages {
    /** Playback START body size. */
    public static final int START_SIZE = 14;
    /** Bytes before the DATA payload. */
    public static final int DATA_HEADER_SIZE = 4;
    /** MODE body size without its (unused) trailing data. */
    public static final int MODE_SIZE = 6;

    private SpiceAudioMessages() {
    }

    /** Parsed playback START. */
    public record Start(int channels, SpiceAudioFormat format, long frequency, long mmTime) {
    }

    /** Parsed MODE. */
    public record Mode(long mmTime, SpiceAudioMode mode) {
    }

    /** Writes a DATA body; returns bytes written. */
    public static int writeData(AudioPacket packet, byte[] out, int off) {
        Objects.checkFromIndexSize(off, DATA_HEADER_SIZE + packet.length(), out.length);
        putU32(out, off, packet.mmTime());
        System.arraycopy(packet.data(), packet.offset(), out, off + DATA_HEADER_SIZE, packet.length());
        return DATA_HEADER_SIZE + packet.length();
    }

    public static byte[] writeData(AudioPacket packet) {
        byte[] b = new byte[DATA_HEADER_SIZE + packet.length()];
        writeData(packet, b, 0);
        return b;
    }

    /**
     * Parses a DATA body {@code body[off .. off + len)}; the payload is the rest of the message
     * (not copied). An empty payload is allowed by the wire format; decoders reject it.
     */
    public static AudioPacket parseData(byte[] body, int off, int len) {
        Objects.checkFromIndexSize(off, len, body.length);
        if (len < DATA_HEADER_SIZE) {
            throw new MalformedInputException(len, "audio DATA body of " + len + " bytes is shorter than its 4-byte time");
        }
        return new AudioPacket(getU32(body, off), body, off + DATA_HEADER_SIZE, len - DATA_HEADER_SIZE);
    }

    public static byte[] writeStart(Start s) {
        byte[] b = new byte[START_SIZE];
        putU32(b, 0, s.channels());
        putU16(b, 4, s.format().wireValue());
        putU32(b, 6, s.frequency());
        putU32(b, 10, s.mmTime());
        return b;
    }

    /** Parses a playback START body; it must be exactly 14 bytes. */
    public static Start parseStart(byte[] body, int off, int len) {
        Objects.checkFromIndexSize(off, len, body.length);
        if (len != START_SIZE) {
            throw new MalformedInputException(Math.min(len, START_SIZE), "playback START body must be 14 bytes, got " + len);
        }
        long channels = getU32(body, off);
        if (channels != 2 && channels != 1) {
            throw new MalformedInputException(0, "unsupported channel count " + channels + " (SPICE sends 2)");
        }
        SpiceAudioFormat fmt = SpiceAudioFormat.fromWire(getU16(body, off + 4), 4);
        long freq = getU32(body, off + 6);
        if (freq == 0 || freq > 768000) {
            throw new MalformedInputException(6, "implausible sample rate " + freq);
        }
        return new Start((int) channels, fmt, freq, getU32(body, off + 10));
    }

    public static byte[] writeMode(Mode m) {
        byte[] b = new byte[MODE_SIZE];
        putU32(b, 0, m.mmTime());
        putU16(b, 4, m.mode().wireValue());
        return b;
    }

    /**
     * Parses a MODE body (trailing data ignored, as SPICE does). Unknown modes are malformed;
     * CELT_0_5_1 is returned as such — check {@link SpiceAudioMode#isSupported()} or use
     * {@link SpiceAudioMode#requireSupported}.
     */
    public static Mode parseMode(byte[] body, int off, int len) {
        Objects.checkFromIndexSize(off, len, body.length);
        if (len < MODE_SIZE) {
            throw new MalformedInputException(len, "audio MODE body of " + len + " bytes is shorter than 6");
        }
        return new Mode(getU32(body, off), SpiceAudioMode.fromWire(getU16(body, off + 4), 4));
    }

    static long getU32(byte[] b, int o) {
        return (b[o] & 0xFFL) | (b[o + 1] & 0xFFL) << 8 | (b[o + 2] & 0xFFL) << 16 | (b[o + 3] & 0xFFL) << 24;
    }

    static int getU16(byte[] b, int o) {
        return (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8;
    }

    static void putU32(byte[] b, int o, long v) {
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("not a uint32: " + v);
        }
        b[o] = (byte) v;
        b[o + 1] = (byte) (v >> 8);
        b[o + 2] = (byte) (v >> 16);
        b[o + 3] = (byte) (v >> 24);
    }

    static void putU16(byte[] b, int o, int v) {
        b[o] = (byte) v;
        b[o + 1] = (byte) (v >> 8);
    }
}
