package org.spicecodec.audio;

/** One Opus encoder implementation; arguments are validated by {@link OpusAudioEncoder}. */
interface OpusEncoderBackend extends AutoCloseable {
    OpusEngine engine();

    /** Encoder delay in samples at the codec rate. */
    int lookahead();

    /**
     * Encodes one frame {@code pcm[off .. off + samplesPerFrame)} into at most {@code room}
     * bytes of {@code out[outOff ..]}; returns the packet length.
     */
    int encode(short[] pcm, int off, byte[] out, int outOff, int room);

    void reset();

    @Override
    void close();
}
