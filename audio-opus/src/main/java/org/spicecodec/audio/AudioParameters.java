package org.spicecodec.audio;

import java.util.Objects;

/**
 * Immutable codec parameters. {@link #spiceDefault()} is exactly SPICE's Opus profile
 * (spice-common {@code snd_codec.c}): 48 kHz, stereo, 480-sample frames, application AUDIO,
 * and no other encoder settings, i.e. libopus's automatic bit rate (102 kbit/s for this
 * profile), its default complexity, VBR, no FEC, no DTX; packets of at most 480 bytes.
 */
public final class AudioParameters {
    /** Marker for "let the encoder choose the bit rate" (what SPICE does). */
    public static final int BITRATE_AUTO = -1;
    /**
     * libopus's default complexity, the value SPICE ends up with since it never sets one:
     * {@code opus_encoder_init} sets {@code silk_mode.complexity = 9} (not 10, the maximum).
     * Concentus has the same default.
     */
    public static final int DEFAULT_COMPLEXITY = 9;
    /** {@code SND_CODEC_MAX_FRAME_SIZE} / {@code SND_CODEC_OPUS_FRAME_SIZE}. */
    public static final int SPICE_FRAME_SIZE = 480;
    /** {@code SND_CODEC_MAX_COMPRESSED_BYTES}. */
    public static final int SPICE_MAX_PACKET_BYTES = 480;
    /** {@code SND_CODEC_OPUS_PLAYBACK_FREQ}. */
    public static final int SPICE_SAMPLE_RATE = 48000;

    /** Opus encoder application; SPICE uses AUDIO. */
    public enum Application { AUDIO, VOIP, RESTRICTED_LOWDELAY }

    private final int sampleRate;
    private final int channels;
    private final int frameSize;
    private final Application application;
    private final int bitrate;
    private final int complexity;
    private final boolean fec;
    private final int packetLossPercent;
    private final int maxPacketBytes;

    private AudioParameters(Builder b) {
        this.sampleRate = b.sampleRate;
        this.channels = b.channels;
        this.frameSize = b.frameSize;
        this.application = b.application;
        this.bitrate = b.bitrate;
        this.complexity = b.complexity;
        this.fec = b.fec;
        this.packetLossPercent = b.packetLossPercent;
        this.maxPacketBytes = b.maxPacketBytes;
    }

    /** SPICE's profile: 48 kHz stereo, 480-frame packets, AUDIO, auto bit rate, no FEC. */
    public static AudioParameters spiceDefault() {
        return builder().build();
    }

    /**
     * SPICE's profile at another Opus-capable rate (as set by {@code spice_server_set_playback_rate}).
     * SPICE keeps 480-sample frames at every rate: 20 ms at 24 kHz, 40 ms at 12 kHz, 60 ms at
     * 8 kHz. At 16 kHz that would be 30 ms, which is not an Opus frame duration (libopus
     * rejects it, so the reference cannot actually encode Opus at 16 kHz); this method refuses
     * 16000 for that reason — pick a legal frame size with the builder instead.
     */
    public static AudioParameters spiceAt(int sampleRate) {
        if (sampleRate == 16000) {
            throw new IllegalArgumentException("SPICE's 480-sample frame is 30 ms at 16 kHz, not a legal Opus frame "
                    + "duration; use builder().sampleRate(16000).frameSize(320 or 160 ...)");
        }
        return builder().sampleRate(sampleRate).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.sampleRate = sampleRate;
        b.channels = channels;
        b.frameSize = frameSize;
        b.application = application;
        b.bitrate = bitrate;
        b.complexity = complexity;
        b.fec = fec;
        b.packetLossPercent = packetLossPercent;
        b.maxPacketBytes = maxPacketBytes;
        return b;
    }

    public static boolean isOpusRate(int rate) {
        return rate == 48000 || rate == 24000 || rate == 16000 || rate == 12000 || rate == 8000;
    }

    /** Opus frame durations 2.5, 5, 10, 20, 40, 60 ms at {@code rate}. */
    public static boolean isOpusFrameSize(int rate, int frameSize) {
        int per2500us = rate / 400;
        for (int mult : new int[] {1, 2, 4, 8, 16, 24}) {
            if (frameSize == per2500us * mult) {
                return true;
            }
        }
        return false;
    }

    public int sampleRate() { return sampleRate; }
    public int channels() { return channels; }
    /** Samples per channel in one packet. */
    public int frameSize() { return frameSize; }
    public Application application() { return application; }
    /** Bits per second, or {@link #BITRATE_AUTO}. */
    public int bitrate() { return bitrate; }
    public int complexity() { return complexity; }
    /** Whether the encoder adds in-band FEC and the decoder uses it to recover a lost packet. */
    public boolean fec() { return fec; }
    /** Expected loss for the encoder (only used with FEC; 0 = default). */
    public int packetLossPercent() { return packetLossPercent; }
    public int maxPacketBytes() { return maxPacketBytes; }
    /** Interleaved samples in one frame. */
    public int samplesPerFrame() { return frameSize * channels; }
    /** Bytes of S16 PCM in one frame (1920 for SPICE's profile). */
    public int pcmBytesPerFrame() { return frameSize * channels * 2; }
    /** Duration of one frame in 48 kHz samples (Ogg granule units). */
    public int frameSize48k() { return (int) ((long) frameSize * 48000 / sampleRate); }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AudioParameters p)) {
            return false;
        }
        return sampleRate == p.sampleRate && channels == p.channels && frameSize == p.frameSize
                && application == p.application && bitrate == p.bitrate && complexity == p.complexity
                && fec == p.fec && packetLossPercent == p.packetLossPercent && maxPacketBytes == p.maxPacketBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(sampleRate, channels, frameSize, application, bitrate, complexity, fec,
                packetLossPercent, maxPacketBytes);
    }

    @Override
    public String toString() {
        return "AudioParameters[" + sampleRate + " Hz, " + channels + " ch, frame " + frameSize + ", " + application
                + ", bitrate " + (bitrate == BITRATE_AUTO ? "auto" : bitrate) + ", complexity " + complexity
                + ", fec " + fec + ", max " + maxPacketBytes + " B]";
    }

    public static final class Builder {
        private int sampleRate = SPICE_SAMPLE_RATE;
        private int channels = 2;
        private int frameSize = SPICE_FRAME_SIZE;
        private Application application = Application.AUDIO;
        private int bitrate = BITRATE_AUTO;
        private int complexity = DEFAULT_COMPLEXITY;
        private boolean fec;
        private int packetLossPercent;
        private int maxPacketBytes = SPICE_MAX_PACKET_BYTES;

        private Builder() {
        }

        public Builder sampleRate(int v) { sampleRate = v; return this; }
        public Builder channels(int v) { channels = v; return this; }
        public Builder frameSize(int v) { frameSize = v; return this; }
        public Builder application(Application v) { application = Objects.requireNonNull(v); return this; }
        /** Bits per second (500..512000) or {@link #BITRATE_AUTO}. */
        public Builder bitrate(int v) { bitrate = v; return this; }
        public Builder complexity(int v) { complexity = v; return this; }
        public Builder fec(boolean v) { fec = v; return this; }
        public Builder packetLossPercent(int v) { packetLossPercent = v; return this; }
        /** Upper bound of an encoded packet (1..1275, Opus's single-frame maximum). */
        public Builder maxPacketBytes(int v) { maxPacketBytes = v; return this; }

        public AudioParameters build() {
            if (!isOpusRate(sampleRate)) {
                throw new IllegalArgumentException("sample rate " + sampleRate + " is not Opus-capable (48000, 24000, 16000, 12000, 8000)");
            }
            if (channels != 1 && channels != 2) {
                throw new IllegalArgumentException("channels must be 1 or 2 (SPICE uses 2): " + channels);
            }
            if (!isOpusFrameSize(sampleRate, frameSize)) {
                throw new IllegalArgumentException("frame size " + frameSize + " is not an Opus frame size (2.5..60 ms) at " + sampleRate + " Hz");
            }
            if (bitrate != BITRATE_AUTO && (bitrate < 500 || bitrate > 512000)) {
                throw new IllegalArgumentException("bitrate must be 500..512000 or BITRATE_AUTO: " + bitrate);
            }
            if (complexity < 0 || complexity > 10) {
                throw new IllegalArgumentException("complexity must be 0..10: " + complexity);
            }
            if (packetLossPercent < 0 || packetLossPercent > 100) {
                throw new IllegalArgumentException("packetLossPercent must be 0..100: " + packetLossPercent);
            }
            if (maxPacketBytes < 1 || maxPacketBytes > 1275) {
                throw new IllegalArgumentException("maxPacketBytes must be 1..1275: " + maxPacketBytes);
            }
            return new AudioParameters(this);
        }
    }
}
