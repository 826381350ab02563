package org.spicecodec.audio;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.spicecodec.core.MalformedInputException;

/**
 * Fuzz targets for every parser and decoder of this module: the Ogg Opus reader and
 * {@link OggOpus#decode}, the Opus packet decoder on the default (Concentus) engine, RAW PCM,
 * the SPICE audio message bodies and the WAV reader. Whatever the bytes, the only exception
 * allowed out is {@link MalformedInputException}; anything else (index errors, Concentus'
 * internal exceptions, {@link IllegalArgumentException} from a parameter built out of a
 * header, hangs, out-of-memory) is a finding.
 *
 * <p>In a normal build ({@code mvn verify}) Jazzer runs these in regression mode: each method
 * gets the empty input plus the seed files under
 * {@code src/test/resources/org/spicecodec/audio/AudioParsersFuzzTestInputs/<method>/} (small
 * valid streams made by this module's encoders and writers), a few seconds in all. To fuzz
 * for real, one target per run:
 *
 * <pre>
 * JAZZER_FUZZ=1 mvn -pl audio-opus test -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtest='AudioParsersFuzzTest#decodeOpusPackets' -Djazzer.max_duration=10m
 * </pre>
 *
 * Jazzer keeps the corpus it grows in {@code audio-opus/.cifuzz-corpus/} (not to be committed)
 * and prints where it saved a crashing input; once the bug is fixed, put that file in the
 * inputs directory above so every build replays it.
 *
 * <p>The FFmpeg engine is optional and not fuzzed here: every decoder is created on
 * {@link OpusEngine#CONCENTUS}.
 */
class AudioParsersFuzzTest {

    /** Any bytes as an Ogg Opus file: the page/OpusHead/OpusTags reader, then the whole decode. */
    @FuzzTest(maxDuration = "5m")
    void readOggOpus(byte[] data) {
        try {
            OggOpusReader.read(data);
        } catch (MalformedInputException expected) {
            return;
        }
        try {
            OggOpus.decode(data);
        } catch (MalformedInputException expected) {
            // the only acceptable failure
        }
    }

    /**
     * Any bytes as an Ogg Opus file whose page CRCs are recomputed first, so the fuzzer gets
     * past the checksum into packet reassembly, OpusHead/OpusTags and the Opus decoder. Pages
     * are walked as the reader does; the CRC of each complete page is rewritten in place.
     */
    @FuzzTest(maxDuration = "5m")
    void decodeOggOpusWithValidCrcs(byte[] data) {
        byte[] file = data.clone();
        fixOggCrcs(file);
        try {
            OggOpus.decode(file);
        } catch (MalformedInputException expected) {
            // the only acceptable failure
        }
    }

    private static final int[] RATES = {48000, 24000, 16000, 12000, 8000};
    private static final int[] FRAME_MULTIPLES = {1, 2, 4, 8, 16, 24};

    /**
     * A stateful Opus decoder (Concentus) fed a sequence of packets. Byte 0 picks the
     * parameters: rate (bits 0-2, modulo 5), channels (bit 3), frame size (bits 4-6, modulo 6:
     * 2.5 to 60 ms) and FEC (bit 7); byte 1 bit 0 raises the packet limit from 480 to 1275
     * bytes. Then records: a control byte whose low 2 bits choose the call (0 decode to
     * shorts, 1 decode to bytes, 2 FEC recovery from the packet and then its decode, 3 lost
     * packet), a 2-byte little-endian length (11 bits, cut to what is left) and the packet.
     */
    @FuzzTest(maxDuration = "5m")
    void decodeOpusPackets(byte[] data) {
        if (data.length < 2) {
            return;
        }
        int cfg = data[0] & 0xFF;
        int rate = RATES[(cfg & 7) % RATES.length];
        int channels = (cfg >>> 3 & 1) + 1;
        int frameSize = rate / 400 * FRAME_MULTIPLES[(cfg >>> 4 & 7) % FRAME_MULTIPLES.length];
        AudioParameters p = AudioParameters.builder().sampleRate(rate).channels(channels).frameSize(frameSize)
                .fec((cfg & 0x80) != 0).maxPacketBytes((data[1] & 1) != 0 ? 1275 : 480).build();
        short[] pcm = new short[p.samplesPerFrame()];
        byte[] bytes = new byte[p.pcmBytesPerFrame()];
        try (OpusAudioDecoder dec = new OpusAudioDecoder(p, OpusEngine.CONCENTUS)) {
            int pos = 2;
            while (pos + 3 <= data.length) {
                int op = data[pos] & 3;
                int len = Math.min(((data[pos + 1] & 0xFF) | (data[pos + 2] & 0x07) << 8), data.length - pos - 3);
                int off = pos + 3;
                pos = off + len;
                try {
                    int n;
                    switch (op) {
                        case 0 -> n = dec.decode(data, off, len, pcm, 0);
                        case 1 -> n = dec.decode(data, off, len, bytes, 0) / 2 / channels;
                        case 2 -> {
                            n = dec.decodeFec(data, off, len, pcm, 0);
                            check(n, frameSize);
                            n = dec.decode(data, off, len, pcm, 0);
                        }
                        default -> n = dec.decodeLost(pcm, 0);
                    }
                    check(n, frameSize);
                } catch (MalformedInputException expected) {
                    // the only acceptable failure; the decoder stays usable
                }
            }
        }
    }

    private static void check(int samples, int frameSize) {
        if (samples < 0 || samples > frameSize) {
            throw new IllegalStateException("decoder returned " + samples + " samples for a " + frameSize + "-sample frame");
        }
    }

    /**
     * A RAW PCM packet: byte 0 picks channels (bit 0) and the frame size (bits 1-2: 480, 120,
     * 1, 960 samples); the rest is the packet, decoded from offset 1 of the input.
     */
    @FuzzTest(maxDuration = "5m")
    void decodeRawPcm(byte[] data) {
        if (data.length < 1) {
            return;
        }
        int channels = (data[0] & 1) + 1;
        int frameSize = new int[] {480, 120, 1, 960}[data[0] >>> 1 & 3];
        RawPcmCodec raw = new RawPcmCodec(channels, frameSize);
        short[] out = new short[raw.samplesPerPacket()];
        try {
            int n = raw.decode(data, 1, data.length - 1, out, 0);
            check(n, frameSize);
        } catch (MalformedInputException expected) {
            // the only acceptable failure
        }
    }

    /**
     * SPICE playback/record message bodies: the same bytes (from offset 1, so a parser that
     * ignores its offset shows up) through the DATA, START and MODE parsers; byte 0 is skipped.
     */
    @FuzzTest(maxDuration = "5m")
    void parseAudioMessages(byte[] data) {
        if (data.length < 1) {
            return;
        }
        int len = data.length - 1;
        try {
            AudioPacket pkt = SpiceAudioMessages.parseData(data, 1, len);
            if (pkt.length() != len - SpiceAudioMessages.DATA_HEADER_SIZE || pkt.offset() != 1 + SpiceAudioMessages.DATA_HEADER_SIZE) {
                throw new IllegalStateException("DATA payload misplaced: " + pkt);
            }
        } catch (MalformedInputException expected) {
            // the only acceptable failure
        }
        try {
            SpiceAudioMessages.parseStart(data, 1, len);
        } catch (MalformedInputException expected) {
            // the only acceptable failure
        }
        try {
            SpiceAudioMessages.parseMode(data, 1, len);
        } catch (MalformedInputException expected) {
            // the only acceptable failure
        }
    }

    /** Any bytes as a WAV file. */
    @FuzzTest(maxDuration = "5m")
    void readWav(byte[] data) {
        try {
            WavFile w = WavFile.read(data);
            if (w.samples().length % w.channels() != 0 || 2L * w.samples().length > data.length) {
                throw new IllegalStateException("implausible WAV result: " + w.channels() + " channels, " + w.samples().length + " samples");
            }
        } catch (MalformedInputException expected) {
            // the only acceptable failure
        }
    }

    /** Recomputes, in place, the CRC of every complete Ogg page from the start of {@code b}. */
    static void fixOggCrcs(byte[] b) {
        int pos = 0;
        while (b.length - pos >= 27) {
            int nseg = b[pos + 26] & 0xFF;
            if (b.length - pos < 27 + nseg) {
                return;
            }
            int len = 27 + nseg;
            for (int i = 0; i < nseg; i++) {
                len += b[pos + 27 + i] & 0xFF;
            }
            if (b.length - pos < len) {
                return;
            }
            b[pos + 22] = b[pos + 23] = b[pos + 24] = b[pos + 25] = 0;
            int crc = OggCrc.compute(b, pos, len);
            b[pos + 22] = (byte) crc;
            b[pos + 23] = (byte) (crc >>> 8);
            b[pos + 24] = (byte) (crc >>> 16);
            b[pos + 25] = (byte) (crc >>> 24);
            pos += len;
        }
    }
}
