package org.spicecodec.audio;

import java.util.Objects;
import org.spicecodec.core.MalformedInputException;

/**
 * Opus decoder for SPICE's profile, on an {@link OpusEngine} (Concentus by default). Mirrors spice-common:
 * {@code opus_decode(packet, out, max_frames = frameSize, decode_fec = 0)}.
 *
 * <p><b>Ordering contract.</b> The decoder is stateful and has no jitter buffer: packets
 * must be given in mm-time order, one call per packet, exactly as SPICE delivers them over
 * its (reliable, ordered) TCP channel. A caller that receives packets out of order must
 * reorder them first (e.g. by {@link AudioPacket#compareMmTime}); a packet that never
 * arrives is reported with {@link #decodeLost} (packet-loss concealment) or, when the next
 * packet is already at hand and FEC is enabled, with {@link #decodeFec}.
 *
 * <p>Bad packets raise only {@link MalformedInputException}; the engine's own exceptions
 * never escape, and the decoder state is reset after such an error. The
 * {@link OpusEngine#FFMPEG} engine cannot conceal: {@link #decodeLost} and {@link #decodeFec}
 * throw {@link UnsupportedOperationException} there. {@link #close()} frees native state.
 * Not thread-safe.
 */
public final class OpusAudioDecoder implements AutoCloseable {
    private final AudioParameters params;
    private final OpusDecoderBackend backend;
    private final short[] scratch;

    /** A decoder on {@link OpusEngine#configured()}. */
    public OpusAudioDecoder(AudioParameters params) {
        this(params, OpusEngine.configured());
    }

    /**
     * A decoder on {@code engine}; when that is {@link OpusEngine#FFMPEG} and FFmpeg cannot
     * serve these parameters here, on Concentus (logged; see {@link #engine()}).
     */
    public OpusAudioDecoder(AudioParameters params, OpusEngine engine) {
        this.params = Objects.requireNonNull(params, "params");
        backend = OpusEngines.decoder(params, Objects.requireNonNull(engine, "engine"));
        scratch = new short[params.samplesPerFrame()];
    }

    /** The engine this decoder actually runs on. */
    public OpusEngine engine() {
        return backend.engine();
    }

    public AudioParameters parameters() {
        return params;
    }

    /**
     * Decodes one packet into {@code out[outOff ..]} (room for {@code frameSize × channels}
     * samples is required). A {@code null} packet means "lost" and produces concealment.
     *
     * @return samples per channel written (at most {@code frameSize})
     */
    public int decode(byte[] packet, int off, int len, short[] out, int outOff) {
        Objects.requireNonNull(out, "out");
        Objects.checkFromIndexSize(outOff, params.samplesPerFrame(), out.length);
        if (packet == null) {
            return conceal(out, outOff);
        }
        Objects.checkFromIndexSize(off, len, packet.length);
        int frames = OpusPackets.validate(packet, off, len, params.maxPacketBytes(), params.sampleRate());
        if (frames > params.frameSize()) {
            throw new MalformedInputException(0, "packet holds " + frames + " samples per channel, more than the "
                    + params.frameSize() + "-sample frame");
        }
        return run(packet, off, len, out, outOff, params.frameSize(), false);
    }

    /** Decodes a whole packet array. */
    public int decode(byte[] packet, short[] out, int outOff) {
        return packet == null ? decodeLost(out, outOff) : decode(packet, 0, packet.length, out, outOff);
    }

    /** Decodes one packet into S16 little-endian interleaved bytes; returns bytes written. */
    public int decode(byte[] packet, int off, int len, byte[] out, int outOff) {
        Objects.requireNonNull(out, "out");
        Objects.checkFromIndexSize(outOff, params.pcmBytesPerFrame(), out.length);
        int n = decode(packet, off, len, scratch, 0);
        int samples = n * params.channels();
        for (int i = 0; i < samples; i++) {
            out[outOff + 2 * i] = (byte) scratch[i];
            out[outOff + 2 * i + 1] = (byte) (scratch[i] >> 8);
        }
        return samples * 2;
    }

    /**
     * Packet-loss concealment for one missing frame; returns {@code frameSize}. Corrupt packets
     * decoded earlier can leave Concentus in a state its concealment cannot handle (fuzzing found
     * one); that raises {@link MalformedInputException} at offset 0 and resets the decoder, so
     * the next call starts afresh.
     */
    public int decodeLost(short[] out, int outOff) {
        Objects.requireNonNull(out, "out");
        Objects.checkFromIndexSize(outOff, params.samplesPerFrame(), out.length);
        return conceal(out, outOff);
    }

    /**
     * Recovers the frame lost just before {@code nextPacket}. If FEC is enabled in the
     * parameters this decodes the in-band FEC data of {@code nextPacket}
     * ({@code decode_fec = 1}); libopus/Concentus fall back to concealment when that packet
     * carries none. With FEC disabled (SPICE's default) this is plain concealment. Either way
     * the caller must then decode {@code nextPacket} normally.
     */
    public int decodeFec(byte[] nextPacket, int off, int len, short[] out, int outOff) {
        Objects.requireNonNull(out, "out");
        Objects.checkFromIndexSize(outOff, params.samplesPerFrame(), out.length);
        if (!params.fec() || nextPacket == null) {
            return conceal(out, outOff);
        }
        Objects.checkFromIndexSize(off, len, nextPacket.length);
        OpusPackets.validate(nextPacket, off, len, params.maxPacketBytes(), params.sampleRate());
        // FEC must ask for exactly the lost frame's duration.
        return run(nextPacket, off, len, out, outOff, params.frameSize(), true);
    }

    /** Resets to the freshly created state (new stream, START with the same rate). */
    public void reset() {
        backend.reset();
    }

    /** Frees native state (FFmpeg engine); the decoder cannot be used afterwards. Idempotent. */
    @Override
    public void close() {
        backend.close();
    }

    private int conceal(short[] out, int outOff) {
        return run(null, 0, 0, out, outOff, params.frameSize(), false);
    }

    private int run(byte[] p, int off, int len, short[] out, int outOff, int maxFrames, boolean fec) {
        return backend.decode(p, off, len, out, outOff, maxFrames, fec);
    }
}
