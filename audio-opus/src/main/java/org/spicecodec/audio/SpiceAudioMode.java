package org.spicecodec.audio;

import org.spicecodec.core.MalformedInputException;

/** SPICE audio data mode ({@code SPICE_AUDIO_DATA_MODE_*}, a {@code uint16} on the wire). */
public enum SpiceAudioMode {
    /** 480-frame packets of S16 interleaved PCM (1920 bytes for stereo). */
    RAW(1),
    /**
     * CELT 0.5.1: deprecated in the protocol and removed from spice-common in March 2020; no
     * Java CELT 0.5.1 codec exists. It is only named here so that it can be refused clearly.
     */
    CELT_0_5_1(2),
    /** One Opus packet (RFC 6716) per DATA message. */
    OPUS(3);

    /** Message used when a peer asks for CELT 0.5.1. */
    public static final String CELT_REFUSED =
            "SPICE audio mode CELT_0_5_1 (2) is not supported: CELT 0.5.1 was removed from SPICE in 2020 "
                    + "and its bit stream is incompatible with Opus; do not advertise the CELT capability and "
                    + "fall back to RAW when the peer lacks Opus";

    private final int wireValue;

    SpiceAudioMode(int wireValue) {
        this.wireValue = wireValue;
    }

    public int wireValue() {
        return wireValue;
    }

    /** Whether this library can encode/decode the mode (RAW and OPUS). */
    public boolean isSupported() {
        return this != CELT_0_5_1;
    }

    /** Maps a wire value; unknown values (including INVALID 0) are malformed input. */
    public static SpiceAudioMode fromWire(int value, long offset) {
        for (SpiceAudioMode m : values()) {
            if (m.wireValue == value) {
                return m;
            }
        }
        throw new MalformedInputException(offset, "unknown SPICE audio data mode " + value);
    }

    /**
     * Like {@link #fromWire} but also refuses CELT 0.5.1 with {@link #CELT_REFUSED}: use it when
     * a MODE message selects the codec.
     */
    public static SpiceAudioMode requireSupported(int value, long offset) {
        SpiceAudioMode m = fromWire(value, offset);
        if (!m.isSupported()) {
            throw new UnsupportedOperationException(CELT_REFUSED);
        }
        return m;
    }
}
