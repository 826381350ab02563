package org.spicecodec.audio;

/**
 * One Opus decoder implementation; arguments (and the packet's framing) are validated by
 * {@link OpusAudioDecoder}. Errors surface only as
 * {@link org.spicecodec.core.MalformedInputException}, after the state has been reset.
 */
interface OpusDecoderBackend extends AutoCloseable {
    OpusEngine engine();

    /**
     * Decodes {@code p[off .. off + len)} (or conceals when {@code p == null}; with
     * {@code fec}, recovers the frame before {@code p}) into {@code out[outOff ..]}; returns
     * samples per channel.
     */
    int decode(byte[] p, int off, int len, short[] out, int outOff, int maxFrames, boolean fec);

    void reset();

    @Override
    void close();
}
