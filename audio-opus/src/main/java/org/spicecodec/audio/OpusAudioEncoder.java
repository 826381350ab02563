package org.spicecodec.audio;

import java.util.Objects;

/**
 * Opus encoder for SPICE's profile. Each call encodes exactly one frame
 * ({@link AudioParameters#frameSize()} samples per channel, 480 for SPICE) into one raw Opus
 * packet, as carried by one playback/record DATA message.
 *
 * <p>With {@link AudioParameters#spiceDefault()} only the application is set, like
 * spice-common: bit rate, VBR, DTX and FEC keep the encoder's defaults. Complexity is set only
 * when it differs from {@link AudioParameters#DEFAULT_COMPLEXITY}.
 *
 * <p>Runs on an {@link OpusEngine}: Concentus (pure Java, the default) or libopus through
 * FFmpeg. {@link #close()} frees the native state of the FFmpeg engine (a cleaner frees it
 * too if forgotten, later). Not thread-safe.
 */
public final class OpusAudioEncoder implements AutoCloseable {
    private final AudioParameters params;
    private final OpusEncoderBackend backend;
    private final short[] scratch;

    /** An encoder on {@link OpusEngine#configured()}. */
    public OpusAudioEncoder(AudioParameters params) {
        this(params, OpusEngine.configured());
    }

    /**
     * An encoder on {@code engine}; when that is {@link OpusEngine#FFMPEG} and FFmpeg cannot
     * serve these parameters here, on Concentus (logged; see {@link #engine()}).
     */
    public OpusAudioEncoder(AudioParameters params, OpusEngine engine) {
        this.params = Objects.requireNonNull(params, "params");
        backend = OpusEngines.encoder(params, Objects.requireNonNull(engine, "engine"));
        scratch = new short[params.samplesPerFrame()];
    }

    /** The engine this encoder actually runs on. */
    public OpusEngine engine() {
        return backend.engine();
    }

    public AudioParameters parameters() {
        return params;
    }

    /**
     * Encoder delay in samples at the codec rate (312 at 48 kHz with AUDIO); this is the Ogg
     * Opus pre-skip (after scaling to 48 kHz).
     */
    public int lookahead() {
        return backend.lookahead();
    }

    /** Pre-skip for an Ogg Opus header: the lookahead in 48 kHz samples. */
    public int preSkip48k() {
        return (int) ((long) lookahead() * 48000 / params.sampleRate());
    }

    /**
     * Encodes one frame of interleaved samples {@code pcm[off .. off + samplesPerFrame)} into
     * {@code out[outOff ..]}, writing at most {@code min(maxPacketBytes, out.length - outOff)}
     * bytes.
     *
     * @return the packet length in bytes
     */
    public int encode(short[] pcm, int off, byte[] out, int outOff) {
        Objects.checkFromIndexSize(off, params.samplesPerFrame(), pcm.length);
        int room = checkOut(out, outOff);
        return backend.encode(pcm, off, out, outOff, room);
    }

    /**
     * Encodes one frame of S16 little-endian interleaved PCM ({@link AudioParameters#pcmBytesPerFrame()}
     * bytes, 1920 for SPICE; the reference rejects any other size).
     */
    public int encode(byte[] pcm, int off, int len, byte[] out, int outOff) {
        if (len != params.pcmBytesPerFrame()) {
            throw new IllegalArgumentException("invalid encode size " + len + ", expected " + params.pcmBytesPerFrame());
        }
        Objects.checkFromIndexSize(off, len, pcm.length);
        for (int i = 0; i < scratch.length; i++) {
            int p = off + 2 * i;
            scratch[i] = (short) ((pcm[p] & 0xFF) | (pcm[p + 1] << 8));
        }
        return encode(scratch, 0, out, outOff);
    }

    /** Convenience: encodes one frame into a new array of exactly the packet's length. */
    public byte[] encode(short[] pcm, int off) {
        byte[] buf = new byte[params.maxPacketBytes()];
        int n = encode(pcm, off, buf, 0);
        return java.util.Arrays.copyOf(buf, n);
    }

    /** Resets the encoder to its freshly created state (e.g. after a STOP). */
    public void reset() {
        backend.reset();
    }

    /** Frees native state (FFmpeg engine); the encoder cannot be used afterwards. Idempotent. */
    @Override
    public void close() {
        backend.close();
    }

    private int checkOut(byte[] out, int outOff) {
        Objects.requireNonNull(out, "out");
        if (outOff < 0 || outOff > out.length) {
            throw new IndexOutOfBoundsException("outOff " + outOff);
        }
        int room = Math.min(params.maxPacketBytes(), out.length - outOff);
        if (room < 1) {
            throw new IllegalArgumentException("no room in output buffer");
        }
        return room;
    }
}
