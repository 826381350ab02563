package org.spicecodec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spicecodec.cli.CliTestSupport.run;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spicecodec.audio.WavFile;
import org.spicecodec.cli.CliTestSupport.Run;

/** encode and decode with --codec opus (WAV <-> Ogg Opus). */
class OpusCommandsTest {
    /** 0.73 s: not a whole number of 10 ms frames, so the trimming of the last frame is exercised. */
    private static final int FRAMES = 35_040;

    @TempDir
    Path tmp;

    /**
     * A deterministic music-like stereo signal (a chord with a decaying envelope, different
     * in each channel), synthesised rather than copied so the test carries no audio file.
     */
    static short[] chord(int frames, int channels) {
        short[] s = new short[frames * channels];
        double[] freqs = {220.0, 277.18, 329.63, 440.0};
        for (int i = 0; i < frames; i++) {
            double t = i / 48000.0;
            double env = 0.3 + 0.7 * Math.exp(-3.0 * (t % 0.25) / 0.25);
            for (int c = 0; c < channels; c++) {
                double v = 0;
                for (int k = 0; k < freqs.length; k++) {
                    v += Math.sin(2 * Math.PI * freqs[k] * (1 + 0.003 * c) * t + k) / (k + 1);
                }
                s[i * channels + c] = (short) Math.round(6000 * env * v);
            }
        }
        return s;
    }

    private Path wav(String name, int rate, int channels, int frames) throws Exception {
        Path p = tmp.resolve(name);
        Files.write(p, new WavFile(rate, channels, chord(frames, channels)).toBytes());
        return p;
    }

    /** Signal-to-noise ratio of {@code got} against {@code ref} in dB. */
    static double snrDb(short[] ref, short[] got) {
        double sig = 0;
        double err = 0;
        for (int i = 0; i < ref.length; i++) {
            sig += (double) ref[i] * ref[i];
            double d = ref[i] - got[i];
            err += d * d;
        }
        return 10 * Math.log10(sig / Math.max(err, 1e-9));
    }

    @Test
    void wavRoundTripsThroughOggOpus() throws Exception {
        Path in = wav("in.wav", 48000, 2, FRAMES);
        Path ogg = tmp.resolve("out.opus");
        Path back = tmp.resolve("back.wav");

        Run enc = run("encode", "--codec", "opus", "-v", in, ogg);
        assertThat(enc.status()).as(enc.err()).isZero();
        assertThat(enc.out()).contains("Ogg Opus");
        byte[] o = Files.readAllBytes(ogg);
        assertThat(new String(o, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("OggS");
        // The identification header follows the first page header (27 bytes + 1 lacing value).
        assertThat(new String(o, 28, 8, StandardCharsets.US_ASCII)).isEqualTo("OpusHead");

        Run dec = run("decode", "--codec", "opus", ogg, back);
        assertThat(dec.status()).as(dec.err()).isZero();
        WavFile w = WavFile.read(Files.readAllBytes(back));
        assertThat(w.sampleRate()).isEqualTo(48000);
        assertThat(w.channels()).isEqualTo(2);
        assertThat(w.frames()).isEqualTo(FRAMES);
        double snr = snrDb(chord(FRAMES, 2), w.samples());
        System.out.printf("opus CLI round trip SNR %.2f dB%n", snr);
        assertThat(snr).isGreaterThan(SNR_FLOOR_DB);
    }

    /** Measured 25.6 dB (Concentus, automatic bit rate, plain waveform SNR); ~3 dB of margin. */
    private static final double SNR_FLOOR_DB = 22.5;

    @Test
    void encodeIsReproducible() throws Exception {
        Path in = wav("in.wav", 48000, 2, 4800);
        assertThat(run("encode", "--codec", "opus", in, tmp.resolve("a.opus")).status()).isZero();
        assertThat(run("encode", "--codec", "opus", in, tmp.resolve("b.opus")).status()).isZero();
        assertThat(Arrays.equals(Files.readAllBytes(tmp.resolve("a.opus")), Files.readAllBytes(tmp.resolve("b.opus"))))
                .isTrue();
    }

    @Test
    void wrongRateOrChannelsIsAUsageError() throws Exception {
        for (Path in : new Path[] {wav("44k.wav", 44100, 2, 4410), wav("mono.wav", 48000, 1, 4800)}) {
            Run r = run("encode", "--codec", "opus", in, tmp.resolve("x.opus"));
            assertThat(r.status()).isEqualTo(2);
            assertThat(r.err()).contains("48000 Hz, stereo").doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(tmp.resolve("x.opus")).doesNotExist();
        }
    }

    @Test
    void notAWavFails() throws Exception {
        Path in = tmp.resolve("noise.wav");
        Files.write(in, "this is not a RIFF file".getBytes(StandardCharsets.US_ASCII));
        Run r = run("encode", "--codec", "opus", in, tmp.resolve("x.opus"));
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err().lines().count()).isEqualTo(1);
        assertThat(r.err()).contains("noise.wav: not a 16-bit PCM WAV file").contains("RIFF").doesNotContain("\tat ");
    }

    @Test
    void notAnOggOpusFileFails() throws Exception {
        Path in = wav("in.wav", 48000, 2, 4800);
        Run r = run("decode", "--codec", "opus", in, tmp.resolve("x.wav"));
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err().lines().count()).isEqualTo(1);
        assertThat(r.err()).contains("not a valid Ogg Opus file").doesNotContain("\tat ");
        assertThat(tmp.resolve("x.wav")).doesNotExist();
    }

    @Test
    void pixelOptionsDoNotApply() throws Exception {
        Path in = wav("in.wav", 48000, 2, 4800);
        Run r = run("encode", "--codec", "opus", "--type", "RGB32", in, tmp.resolve("x.opus"));
        assertThat(r.status()).isEqualTo(2);
        Run d = run("decode", "--codec", "opus", "--to-type", "RGB32", in, tmp.resolve("x.wav"));
        assertThat(d.status()).isEqualTo(2);
    }
}
