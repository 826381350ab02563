package org.spicecodec.audio;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;

/** {@link OpusEngine#CONCENTUS} encoder. */
final class ConcentusOpusEncoder implements OpusEncoderBackend {
    private final OpusEncoder encoder;
    private final int frameSize;

    ConcentusOpusEncoder(AudioParameters params) {
        frameSize = params.frameSize();
        try {
            encoder = new OpusEncoder(params.sampleRate(), params.channels(), toConcentus(params.application()));
        } catch (OpusException e) {
            throw new IllegalStateException("cannot create Opus encoder for " + params + ": " + e.getMessage(), e);
        }
        // Like spice-common, leave the bit rate alone unless asked: the encoder's default is
        // OPUS_AUTO (60 * Fs / frameSize + Fs * channels = 102 kbit/s for SPICE's profile).
        if (params.bitrate() != AudioParameters.BITRATE_AUTO) {
            encoder.setBitrate(params.bitrate());
        }
        if (encoder.getComplexity() != params.complexity()) {
            encoder.setComplexity(params.complexity());
        }
        if (params.fec()) {
            encoder.setUseInbandFEC(true);
            // In-band FEC is only emitted when the encoder expects loss.
            encoder.setPacketLossPercent(params.packetLossPercent() > 0 ? params.packetLossPercent() : 10);
        }
    }

    private static OpusApplication toConcentus(AudioParameters.Application a) {
        return switch (a) {
            case AUDIO -> OpusApplication.OPUS_APPLICATION_AUDIO;
            case VOIP -> OpusApplication.OPUS_APPLICATION_VOIP;
            case RESTRICTED_LOWDELAY -> OpusApplication.OPUS_APPLICATION_RESTRICTED_LOWDELAY;
        };
    }

    @Override
    public OpusEngine engine() {
        return OpusEngine.CONCENTUS;
    }

    @Override
    public int lookahead() {
        return encoder.getLookahead();
    }

    @Override
    public int encode(short[] pcm, int off, byte[] out, int outOff, int room) {
        try {
            return encoder.encode(pcm, off, frameSize, out, outOff, room);
        } catch (OpusException e) {
            throw new IllegalStateException("Opus encoding failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void reset() {
        encoder.resetState();
    }

    @Override
    public void close() {
        // Nothing native to free.
    }
}
