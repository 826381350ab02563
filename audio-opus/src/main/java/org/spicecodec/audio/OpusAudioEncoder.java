package org.spicecodec.audio;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import java.util.Objects;

/**
 * Opus encoder for SPICE's profile, on Concentus (a pure-Java port of libopus). Each call
 * encodes exactly one frame ({@link AudioParameters#frameSize()} samples per channel, 480 for
 * SPICE) into one raw Opus packet, as carried by one playback/record DATA message.
 *
 * <p>With {@link AudioParameters#spiceDefault()} only the application is set, like
 * spice-common: bit rate, VBR, DTX and FEC keep the encoder's defaults. Complexity is set only
 * when it differs from {@link AudioParameters#DEFAULT_COMPLEXITY}. Not thread-safe.
 */
public final class OpusAudioEncoder {
    private final AudioParameters params;
    private final OpusEncoder encoder;
    private final short[] scratch;

    public OpusAudioEncoder(AudioParameters params) {
        this.params = Objects.requireNonNull(params, "params");
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
        scratch = new short[params.samplesPerFrame()];
    }

    private static OpusApplication toConcentus(AudioParameters.Application a) {
        return switch (a) {
            case AUDIO -> OpusApplication.OPUS_APPLICATION_AUDIO;
            case VOIP -> OpusApplication.OPUS_APPLICATION_VOIP;
            case RESTRICTED_LOWDELAY -> OpusApplication.OPUS_APPLICATION_RESTRICTED_LOWDELAY;
        };
    }

    public AudioParameters parameters() {
        return params;
    }

    /**
     * Encoder delay in samples at the codec rate (312 at 48 kHz with AUDIO); this is the Ogg
     * Opus pre-skip (after scaling to 48 kHz).
     */
    public int lookahead() {
        return encoder.getLookahead();
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
        try {
            return encoder.encode(pcm, off, params.frameSize(), out, outOff, room);
        } catch (OpusException e) {
            throw new IllegalStateException("Opus encoding failed: " + e.getMessage(), e);
        }
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
        encoder.resetState();
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
