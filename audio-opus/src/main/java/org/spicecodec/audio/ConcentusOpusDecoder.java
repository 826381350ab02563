package org.spicecodec.audio;

import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusException;
import org.spicecodec.core.MalformedInputException;

/** {@link OpusEngine#CONCENTUS} decoder. */
final class ConcentusOpusDecoder implements OpusDecoderBackend {
    private final OpusDecoder decoder;

    ConcentusOpusDecoder(AudioParameters params) {
        try {
            decoder = new OpusDecoder(params.sampleRate(), params.channels());
        } catch (OpusException e) {
            throw new IllegalStateException("cannot create Opus decoder for " + params + ": " + e.getMessage(), e);
        }
    }

    @Override
    public OpusEngine engine() {
        return OpusEngine.CONCENTUS;
    }

    @Override
    public int decode(byte[] p, int off, int len, short[] out, int outOff, int maxFrames, boolean fec) {
        try {
            return decoder.decode(p, off, len, out, outOff, maxFrames, fec);
        } catch (OpusException e) {
            decoder.resetState();
            throw new MalformedInputException(0, "Opus decoder rejected the packet: " + e.getMessage());
        } catch (RuntimeException e) {
            // Concentus is a port of C code: corrupt input can surface as index errors.
            decoder.resetState();
            throw new MalformedInputException(0, "Opus packet could not be decoded (" + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public void reset() {
        decoder.resetState();
    }

    @Override
    public void close() {
        // Nothing native to free.
    }
}
