package org.spicecodec.audio;

import org.spicecodec.core.MalformedInputException;

/** SPICE audio sample format ({@code SPICE_AUDIO_FMT_*}, a {@code uint16} on the wire). */
public enum SpiceAudioFormat {
    /** Signed 16-bit little-endian, channels interleaved. The only format SPICE defines. */
    S16(1);

    private final int wireValue;

    SpiceAudioFormat(int wireValue) {
        this.wireValue = wireValue;
    }

    public int wireValue() {
        return wireValue;
    }

    public static SpiceAudioFormat fromWire(int value, long offset) {
        if (value == 1) {
            return S16;
        }
        throw new MalformedInputException(offset, "unknown SPICE audio format " + value + " (only S16 = 1 exists)");
    }
}
