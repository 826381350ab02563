package org.spicecodec.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spicecodec.core.MalformedInputException;

class OggOpusTest {

    @Test
    void crcIsTheNonReflectedPolynomialWithZeroInit() {
        // CRC-32/POSIX (cksum) uses the same register but XORs the result with 0xFFFFFFFF;
        // its check value for "123456789" is 0x765E7680, so Ogg's must be the complement.
        byte[] b = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(OggCrc.compute(b, 0, b.length)).isEqualTo(~0x765E7680);
    }

    @Test
    void fileStructureAndReadBack() {
        WavFile wav = AudioTestSupport.load(AudioTestSupport.MUSIC);
        AudioParameters p = AudioParameters.spiceDefault();
        // cut to a length that is not a multiple of 480 so end trimming is exercised
        short[] pcm = java.util.Arrays.copyOf(wav.samples(), 2 * 100_123);
        byte[] file = OggOpus.encode(pcm, p, 0x5350_4943);

        OggOpusReader.OggOpusFile f = OggOpusReader.read(file); // verifies every page CRC
        assertThat(f.version()).isEqualTo(1);
        assertThat(f.channels()).isEqualTo(2);
        assertThat(f.preSkip()).isEqualTo(312);
        assertThat(f.inputSampleRate()).isEqualTo(48000);
        assertThat(f.outputGain()).isZero();
        assertThat(f.mappingFamily()).isZero();
        assertThat(f.vendor()).isEqualTo(OggOpus.VENDOR);
        // the input plus the 312-sample lookahead, in 480-sample packets
        assertThat(f.audioPackets()).hasSize((100_123 + 312 + 479) / 480);

        var pages = f.pages();
        assertThat(pages.get(0).flags()).isEqualTo(0x02);
        assertThat(pages.get(0).granulePosition()).isZero();
        assertThat(pages.get(0).segments()).isEqualTo(1);
        assertThat(pages.get(1).granulePosition()).isZero();
        assertThat(pages.get(pages.size() - 1).flags() & 0x04).isEqualTo(0x04);
        long prev = 0;
        for (int i = 2; i < pages.size(); i++) {
            assertThat(pages.get(i).sequence()).isEqualTo(i);
            assertThat(pages.get(i).granulePosition()).isGreaterThan(prev);
            prev = pages.get(i).granulePosition();
        }
        // 50 packets of 480 samples per full page
        // granule = all samples decoded so far (pre-skip included, not added as an offset)
        assertThat(pages.get(2).granulePosition()).isEqualTo(50 * 480);
        assertThat(f.finalGranule()).isEqualTo(312 + 100_123);
        assertThat(f.samples48k()).isEqualTo(100_123);

        short[] decoded = OggOpus.decode(file);
        assertThat(decoded).hasSize(pcm.length);
        // pre-skip already removed: best alignment is now 0
        assertThat(AudioTestSupport.bestLag(pcm, decoded, 2, 50)).isZero();
        double snr = AudioTestSupport.segmentalSnr(pcm, decoded, 2, 0);
        System.out.printf("Ogg Opus read-back: segSNR %.2f dB%n", snr);
        assertThat(snr).isGreaterThan(17.5);
    }

    @Test
    void corruptPageIsMalformed() {
        byte[] file = OggOpus.encode(new short[9600], AudioParameters.spiceDefault(), 1);
        byte[] bad = file.clone();
        bad[bad.length - 3] ^= 0x40;
        assertThatThrownBy(() -> OggOpusReader.read(bad))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("CRC mismatch");
        assertThatThrownBy(() -> OggOpusReader.read(java.util.Arrays.copyOf(file, file.length - 1)))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("truncated");
        byte[] noCapture = file.clone();
        noCapture[0] = 'X';
        assertThatThrownBy(() -> OggOpusReader.read(noCapture))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("capture");
    }

    /** Found by reviewing the fuzz target: a 3-channel OpusHead used to escape as IllegalArgumentException. */
    @Test
    void moreThanTwoChannelsIsMalformedAtTheChannelCount() {
        byte[] file = OggOpus.encode(new short[9600], AudioParameters.spiceDefault(), 1);
        file[37] = 3; // OpusHead at 28 (one-segment first page), channel count at +9
        file[46] = 1; // mapping family 1
        AudioParsersFuzzTest.fixOggCrcs(file);
        assertThat(OggOpusReader.read(file).channels()).isEqualTo(3);
        assertThatThrownBy(() -> OggOpus.decode(file))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("3 channels")
                .extracting(e -> ((MalformedInputException) e).offset()).isEqualTo(37L);
    }

    @Test
    void badAudioPacketIsReportedAtItsFileOffset() {
        byte[] file = OggOpus.encode(new short[9600], AudioParameters.spiceDefault(), 1);
        OggOpusReader.OggOpusFile f = OggOpusReader.read(file);
        OggOpusReader.Page audio = f.pages().get(2); // first audio page; its first packet starts the body
        int first = (int) audio.offset() + 27 + audio.segments();
        file[first] = (byte) (file[first] | 3); // TOC code 3 ...
        file[first + 1] = 0; // ... with zero frames
        AudioParsersFuzzTest.fixOggCrcs(file);
        assertThatThrownBy(() -> OggOpus.decode(file))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("audio packet 0, byte 1")
                .extracting(e -> ((MalformedInputException) e).offset()).isEqualTo((long) first);
    }

    @Test
    void everyTruncationOrBitFlipIsMalformedOrAPagePrefix() {
        byte[] file = OggOpus.encode(new short[2 * 48000], AudioParameters.spiceDefault(), 3);
        int ok = 0;
        for (int len = 0; len < file.length; len++) {
            try {
                OggOpusReader.read(java.util.Arrays.copyOf(file, len));
                ok++; // a prefix that ends exactly on a page boundary after OpusTags is well-formed
            } catch (MalformedInputException e) {
                assertThat(e.offset()).isBetween(0L, (long) len);
            }
        }
        assertThat(ok).isLessThan(5);
        java.util.Random rnd = new java.util.Random(5);
        for (int i = 0; i < 2000; i++) {
            byte[] bad = file.clone();
            bad[rnd.nextInt(bad.length)] ^= (byte) (1 << rnd.nextInt(8));
            assertThatThrownBy(() -> OggOpusReader.read(bad)).isInstanceOf(MalformedInputException.class);
        }
    }

    @Test
    void ffmpegDecodesOurFile(@TempDir Path dir) throws Exception {
        String ffmpeg = null;
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, "ffmpeg"))) {
                ffmpeg = Path.of(d, "ffmpeg").toString();
                break;
            }
        }
        assumeTrue(ffmpeg != null, "ffmpeg is not installed on this machine: Ogg Opus interop with ffmpeg not checked");

        WavFile wav = AudioTestSupport.load(AudioTestSupport.SPEECH);
        Path opus = dir.resolve("x.opus");
        Files.write(opus, OggOpus.encode(wav.samples(), AudioParameters.spiceDefault(), 42));
        Process proc = new ProcessBuilder(ffmpeg, "-v", "error", "-i", opus.toString(), "-f", "s16le", "-ac", "2", "-ar", "48000", "-")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] raw = proc.getInputStream().readAllBytes();
        assertThat(proc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(proc.exitValue()).isZero();
        short[] decoded = new short[raw.length / 2];
        for (int i = 0; i < decoded.length; i++) {
            decoded[i] = (short) ((raw[2 * i] & 0xFF) | (raw[2 * i + 1] << 8));
        }
        // ffmpeg honours pre-skip and the end trim, so lengths match and no delay remains.
        assertThat(decoded.length).isEqualTo(wav.samples().length);
        int lag = AudioTestSupport.bestLag(wav.samples(), decoded, 2, 50);
        assertThat(lag).isZero();
        assertThat(AudioTestSupport.segmentalSnr(wav.samples(), decoded, 2, 0)).isGreaterThan(20.5);
    }
}
