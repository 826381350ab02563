package org.spicecodec.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spicecodec.audio.WavFile;

/** The audio part of a run, over a temporary corpus holding one generated WAV. */
class CorpusAudioRunTest {
    /**
     * Opus's segmental SNR on the generated clip below; measured 25.49 dB (spiceDefault, Concentus),
     * asserted ~3 dB lower so encoder tuning noise does not break the test.
     */
    static final double OPUS_SNR_FLOOR_DB = 22.5;

    @TempDir
    Path tmp;

    /** 1.5 s of 48 kHz stereo: two tones with a tremolo, a little noise, and a silent gap. */
    static WavFile generatedClip() {
        int rate = 48000;
        int frames = rate * 3 / 2;
        short[] s = new short[frames * 2];
        Random noise = new Random(7);
        for (int i = 0; i < frames; i++) {
            double t = (double) i / rate;
            double v = t > 0.6 && t < 0.8 ? 0 // silence: skipped by the segmental SNR
                    : (Math.sin(2 * Math.PI * 440 * t) + 0.4 * Math.sin(2 * Math.PI * 1250 * t))
                      * (0.7 + 0.3 * Math.sin(2 * Math.PI * 4 * t)) + 0.02 * noise.nextGaussian();
            s[2 * i] = (short) (8000 * v);
            s[2 * i + 1] = (short) (6000 * v);
        }
        return new WavFile(rate, 2, s);
    }

    @Test
    void audioRowsAreMeasuredPrintedAndWritten() throws IOException {
        Path root = tmp.resolve("corpus");
        Files.createDirectories(root.resolve("audio"));
        Files.createDirectories(root.resolve("video"));
        Files.write(root.resolve("audio/tones.wav"), generatedClip().toBytes());
        Files.write(root.resolve("video/clip.mkv"), new byte[16]); // listed, not run: video is off

        ByteArrayOutputStream text = new ByteArrayOutputStream();
        CorpusResult r = CorpusRunner.builder().minMeasureMillis(0).video(null).corpus(root).out(tmp.resolve("report"))
                .codecs(List.of(new PngCodec()))
                .build().run(new PrintStream(text, true, StandardCharsets.UTF_8));

        assertThat(r.ok()).isTrue();
        assertThat(r.measurements()).isEmpty();
        assertThat(r.audio()).extracting(CorpusAudioMeasurement::codec).containsExactly("Opus", "PCM");
        CorpusAudioMeasurement opus = r.audio().get(0);
        CorpusAudioMeasurement pcm = r.audio().get(1);
        System.out.printf("generated clip: Opus %.1f kbit/s, segSNR %.2f dB%n", opus.kbps(), opus.segSnrDb());
        for (CorpusAudioMeasurement m : r.audio()) {
            assertThat(m.path()).isEqualTo("audio/tones.wav");
            assertThat(m.seconds()).isEqualTo(1.5);
            assertThat(m.kbps()).isPositive();
            assertThat(m.encodeRealtime()).isPositive();
            assertThat(m.decodeRealtime()).isPositive();
        }
        assertThat(opus.kbps()).isBetween(20.0, 300.0);
        assertThat(opus.segSnrDb()).isGreaterThan(OPUS_SNR_FLOOR_DB).isFinite();
        // Raw PCM: 48000 x 2 channels x 16 bits, and bit-exact, reported as infinite SNR.
        assertThat(pcm.kbps()).isCloseTo(1536.0, org.assertj.core.data.Offset.offset(0.5));
        assertThat(pcm.segSnrDb()).isInfinite();

        List<String> csv = Files.readAllLines(r.audioCsv());
        assertThat(r.audioCsv()).isEqualTo(tmp.resolve("report/audio.csv"));
        assertThat(csv).hasSize(3);
        assertThat(csv.get(0)).startsWith("category,file,sample_rate,channels,seconds,codec,bytes,kbit_s,seg_snr_db");
        assertThat(csv.get(2).split(",", -1)).startsWith("audio", "tones.wav", "48000", "2", "1.500", "PCM",
                Long.toString(48000L * 3 / 2 * 4)); // 150 whole packets: PCM has no delay to flush
        String printed = text.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("Audio:", "segSNR", "tones.wav", "exact", "audio.csv",
                "Video: 1 clip(s) not run");
    }

    @Test
    void segmentalSnrAlignsSkipsSilenceAndReportsExactCopies() {
        short[] ref = generatedClip().samples();
        short[] delayed = new short[ref.length + 2 * 10];
        System.arraycopy(ref, 0, delayed, 2 * 10, ref.length);
        assertThat(CorpusAudio.segmentalSnr(ref, delayed, 2, 10, 480)).isInfinite();
        assertThat(CorpusAudio.segmentalSnr(ref, delayed, 2, 9, 480)).isFinite().isLessThan(30);
        // Halving the signal leaves an error as loud as the output: 20*log10(2) = 6.02 dB.
        short[] half = ref.clone();
        for (int i = 0; i < half.length; i++) {
            half[i] = (short) (ref[i] - ref[i] / 2);
        }
        assertThat(CorpusAudio.segmentalSnr(ref, half, 2, 0, 480)).isBetween(5.5, 6.5);
        assertThat(CorpusAudio.segmentalSnr(new short[9600], new short[9600], 2, 0, 480)).isInfinite();
        assertThat(CorpusAudio.segmentalSnr(new short[9600], new short[] {1}, 2, 0, 480)).isNaN();
    }
}
