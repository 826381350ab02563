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
            throw failed(p, "Opus decoder rejected the packet: " + e.getMessage(), e);
        } catch (RuntimeException | AssertionError e) {
            // Concentus is a port of C code: corrupt input can surface as index errors, and its
            // celt_assert/silk_assert checks (Inlines.OpusAssert) are always on and throw
            // AssertionError, even without -ea, where libopus compiles them out. Fuzzing hit one
            // (celt_ilog2 of 0 in the concealment's autocorrelation) after corrupt packets.
            throw failed(p, "Opus packet could not be decoded (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
    }

    /** Resets the state and reports a failure at the packet's start (offset 0, its TOC byte). */
    private MalformedInputException failed(byte[] p, String reason, Throwable cause) {
        decoder.resetState();
        MalformedInputException m = new MalformedInputException(0, p == null
                ? "packet-loss concealment failed on a decoder state left by corrupt earlier packets (" + reason + ")"
                : reason);
        m.initCause(cause);
        return m;
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
