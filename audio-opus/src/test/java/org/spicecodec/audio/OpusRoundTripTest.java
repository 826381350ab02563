package org.spicecodec.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpusRoundTripTest {

    /** Encodes a whole signal in SPICE packets and decodes it again; returns decoded PCM. */
    static short[] roundTrip(short[] pcm, AudioParameters p, int[] maxPacketOut, long[] totalBytesOut) {
        OpusAudioEncoder enc = new OpusAudioEncoder(p);
        OpusAudioDecoder dec = new OpusAudioDecoder(p);
        int spf = p.samplesPerFrame();
        int nFrames = pcm.length / spf;
        short[] out = new short[nFrames * spf];
        byte[] packet = new byte[p.maxPacketBytes()];
        for (int f = 0; f < nFrames; f++) {
            int len = enc.encode(pcm, f * spf, packet, 0);
            maxPacketOut[0] = Math.max(maxPacketOut[0], len);
            totalBytesOut[0] += len;
            int n = dec.decode(packet, 0, len, out, f * spf);
            assertThat(n).isEqualTo(p.frameSize());
        }
        return out;
    }

    /**
     * Quality floors: segmental SNR (see AudioTestSupport) after aligning by the measured codec
     * delay (the lag maximising cross-correlation, searched over 0..1000 frames). Floors are
     * about 3 dB below the values measured with Concentus 1.0.2 (see {@link Floors}).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        AudioTestSupport.SPEECH + ", FLOOR_SPEECH",
        AudioTestSupport.MUSIC + ", FLOOR_MUSIC",
        AudioTestSupport.SYSTEM_SOUND + ", FLOOR_SYSTEM",
    })
    void spiceProfileRoundTripKeepsSegmentalSnrAboveMeasuredFloor(String file, String floorName) {
        WavFile wav = AudioTestSupport.load(file);
        assertThat(wav.sampleRate()).isEqualTo(48000);
        assertThat(wav.channels()).isEqualTo(2);
        AudioParameters p = AudioParameters.spiceDefault();
        int[] maxPacket = {0};
        long[] total = {0};
        short[] decoded = roundTrip(wav.samples(), p, maxPacket, total);

        int lag = AudioTestSupport.bestLag(wav.samples(), decoded, 2, 1000);
        double snr = AudioTestSupport.segmentalSnr(wav.samples(), decoded, 2, lag);
        int packets = decoded.length / p.samplesPerFrame();
        double kbps = total[0] * 8.0 / (packets * 0.010) / 1000;
        System.out.printf("%s: best lag %d, segSNR %.2f dB, avg packet %.1f B, max %d B, %.1f kbit/s%n",
                file, lag, snr, (double) total[0] / packets, maxPacket[0], kbps);

        assertThat(maxPacket[0]).isLessThanOrEqualTo(AudioParameters.SPICE_MAX_PACKET_BYTES);
        // Opus delay at 48 kHz, AUDIO: 312 samples (2.5 ms + 4 ms); allow the measurement a little slack.
        assertThat(lag).isBetween(300, 330);
        assertThat(snr).isGreaterThanOrEqualTo(Floors.valueOf(floorName).db);
    }

    @org.junit.jupiter.api.Test
    void explicitBitrateIsHonouredWhileDefaultIsAutomatic() {
        WavFile wav = AudioTestSupport.load(AudioTestSupport.MUSIC);
        long[] autoBytes = {0};
        long[] explicitBytes = {0};
        roundTrip(wav.samples(), AudioParameters.spiceDefault(), new int[1], autoBytes);
        roundTrip(wav.samples(), AudioParameters.builder().bitrate(48000).build(), new int[1], explicitBytes);
        int packets = wav.samples().length / 960;
        double autoKbps = autoBytes[0] * 8.0 / packets / 10;
        double explicitKbps = explicitBytes[0] * 8.0 / packets / 10;
        // automatic rate for 48 kHz / 480 / stereo is 102 kbit/s (VBR, so only approximately)
        assertThat(autoKbps).isBetween(90.0, 115.0);
        assertThat(explicitKbps).isBetween(40.0, 56.0);
    }

    enum Floors {
        // Measured 2026-11-21 (Concentus 1.0.2, SPICE profile): speech 23.50, music 20.57,
        // system sound 23.28 dB segSNR, all at lag 312. Floors are ~3 dB lower.
        FLOOR_SPEECH(20.5), FLOOR_MUSIC(17.5), FLOOR_SYSTEM(20.0);

        final double db;

        Floors(double db) {
            this.db = db;
        }
    }

    static short[] copy(short[] s) {
        return Arrays.copyOf(s, s.length);
    }
}
