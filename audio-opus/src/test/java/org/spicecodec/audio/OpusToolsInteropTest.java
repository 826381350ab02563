package org.spicecodec.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with Xiph's opus-tools (libopus's own command-line encoder and decoder, Debian
 * package {@code opus-tools}): opusdec plays our Ogg Opus files, and we read opusenc's.
 */
class OpusToolsInteropTest {

    private static String tool(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
                return Path.of(d, name).toString();
            }
        }
        assumeTrue(false, name + " (opus-tools) is not installed on this machine: interop not checked");
        return null;
    }

    private static void run(String... cmd) throws Exception {
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes());
        assertThat(proc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(proc.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
    }

    @Test
    void opusdecDecodesOurFile(@TempDir Path dir) throws Exception {
        String opusdec = tool("opusdec");
        WavFile wav = AudioTestSupport.load(AudioTestSupport.MUSIC);
        Path opus = dir.resolve("x.opus");
        Path back = dir.resolve("x.wav");
        Files.write(opus, OggOpus.encode(wav.samples(), AudioParameters.spiceDefault(), 7));
        run(opusdec, "--quiet", "--no-dither", "--rate", "48000", opus.toString(), back.toString());
        WavFile decoded = WavFile.read(Files.readAllBytes(back));
        assertThat(decoded.sampleRate()).isEqualTo(48000);
        assertThat(decoded.channels()).isEqualTo(2);
        // opusdec applies the pre-skip and the final granule's end trim.
        assertThat(decoded.samples().length).isEqualTo(wav.samples().length);
        assertThat(AudioTestSupport.bestLag(wav.samples(), decoded.samples(), 2, 50)).isZero();
        double snr = AudioTestSupport.segmentalSnr(wav.samples(), decoded.samples(), 2, 0);
        System.out.printf("opusdec of our Ogg Opus: segSNR %.2f dB%n", snr);
        assertThat(snr).isGreaterThanOrEqualTo(OpusRoundTripTest.Floors.FLOOR_MUSIC.db);
    }

    @Test
    void weDecodeOpusencFiles(@TempDir Path dir) throws Exception {
        String opusenc = tool("opusenc");
        WavFile wav = AudioTestSupport.load(AudioTestSupport.SPEECH);
        Path in = dir.resolve("in.wav");
        Path opus = dir.resolve("in.opus");
        Files.write(in, wav.toBytes());
        // opusenc's defaults: 20 ms frames, VBR, 96 kbit/s for stereo, complexity 10.
        run(opusenc, "--quiet", in.toString(), opus.toString());
        short[] decoded = OggOpus.decode(Files.readAllBytes(opus));
        assertThat(decoded.length).isEqualTo(wav.samples().length);
        assertThat(AudioTestSupport.bestLag(wav.samples(), decoded, 2, 50)).isZero();
        double snr = AudioTestSupport.segmentalSnr(wav.samples(), decoded, 2, 0);
        System.out.printf("our decode of opusenc's Ogg Opus: segSNR %.2f dB%n", snr);
        assertThat(snr).isGreaterThanOrEqualTo(OpusRoundTripTest.Floors.FLOOR_SPEECH.db);
    }
}
