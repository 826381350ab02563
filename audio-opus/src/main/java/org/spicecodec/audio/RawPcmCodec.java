package org.spicecodec.audio;

import java.util.Objects;
import org.spicecodec.core.MalformedInputException;

/**
 * SPICE's RAW mode: each DATA payload is one frame of S16 little-endian interleaved PCM,
 * {@code frameSize × channels × 2} bytes (1920 for 480 stereo frames, at any sample rate).
 */
public final class RawPcmCodec {
    private final int channels;
    private final int frameSize;

    public RawPcmCodec(int channels, int frameSize) {
        if (channels < 1 || channels > 2 || frameSize < 1) {
            throw new IllegalArgumentException("channels 1..2 and frameSize > 0 required");
        }
        this.channels = channels;
        this.frameSize = frameSize;
    }

    /** SPICE's RAW packets: stereo, 480 sample frames, 1920 bytes. */
    public static RawPcmCodec spiceDefault() {
        return new RawPcmCodec(2, AudioParameters.SPICE_FRAME_SIZE);
    }

    public int packetBytes() {
        return frameSize * channels * 2;
    }

    public int samplesPerPacket() {
        return frameSize * channels;
    }

    /** Writes one frame {@code pcm[off .. off + samplesPerPacket)}; returns {@link #packetBytes()}. */
    public int encode(short[] pcm, int off, byte[] out, int outOff) {
        Objects.checkFromIndexSize(off, samplesPerPacket(), pcm.length);
        Objects.checkFromIndexSize(outOff, packetBytes(), out.length);
        for (int i = 0; i < samplesPerPacket(); i++) {
            short s = pcm[off + i];
            out[outOff + 2 * i] = (byte) s;
            out[outOff + 2 * i + 1] = (byte) (s >> 8);
        }
        return packetBytes();
    }

    /**
     * Reads one packet; its length must be exactly {@link #packetBytes()} (what SPICE sends).
     *
     * @return samples per channel written
     */
    public int decode(byte[] packet, int off, int len, short[] out, int outOff) {
        Objects.checkFromIndexSize(off, len, packet.length);
        if (len != packetBytes()) {
            throw new MalformedInputException(Math.min(len, packetBytes()),
                    "RAW audio packet of " + len + " bytes, expected " + packetBytes());
        }
        Objects.checkFromIndexSize(outOff, samplesPerPacket(), out.length);
        for (int i = 0; i < samplesPerPacket(); i++) {
            out[outOff + i] = (short) ((packet[off + 2 * i] & 0xFF) | (packet[off + 2 * i + 1] << 8));
        }
        return frameSize;
    }
}
