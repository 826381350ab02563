package org.spicecodec.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spicecodec.core.SpiceBitmapFormat;

/** The library's codecs over the whole embedded corpus, timing kept to one run each: a real-content round-trip test. */
class EmbeddedCorpusRunTest {
    /**
     * JPEG at quality 85 over the embedded pictures. Measured, 4:2:0: with the FFmpeg engine
     * (JpegEngines.create()) mean 37.5 dB, lowest 30.5 dB (a 256-colour palette image, whose
     * sharp coloured edges 4:2:0 and the DCT smear), desktops 30.9 to 38.3 dB; with ImageIO
     * (JpegEncoder) mean 38.3 dB, lowest 30.7 dB. Floors asserted lower so encoder tuning noise
     * does not break the test.
     */
    static final double JPEG_MEAN_PSNR_FLOOR_DB = 30;
    static final double JPEG_MIN_PSNR_FLOOR_DB = 25;

    @TempDir
    Path tmp;

    @Test
    void theLibrarysCodecsRoundTripTheEmbeddedCorpus() throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        // PNG is only a yardstick, and the slowest; leave it out to keep the build quick. Video
        // has its own test (CorpusVideoRunTest).
        List<CorpusCodec> codecs = CorpusCodecs.defaults().stream().filter(c -> !(c instanceof PngCodec)).toList();
        CorpusResult r = CorpusRunner.builder().minMeasureMillis(0).video(null).out(tmp).codecs(codecs)
                .build().run(new PrintStream(text, true, StandardCharsets.UTF_8));
        String printed = text.toString(StandardCharsets.UTF_8);
        assertThat(r.failures()).as(printed).isEmpty();
        assertThat(r.audioFailures()).isEmpty();
        Corpus corpus = Corpus.embeddedDefault();
        int clips = corpus.audioItems().size();
        int images = corpus.items().size();
        // Each embedded clip is coded by Opus and by raw PCM.
        assertThat(r.audio()).hasSize(2 * clips);
        assertThat(r.measurements()).filteredOn(m -> m.codec().equals("QUIC")).hasSize(images)
                .allSatisfy(m -> assertThat(m.losslessOk()).isTrue());
        for (CorpusCodec c : codecs) {
            assertThat(r.measurements()).filteredOn(m -> m.codec().equals(c.name())).hasSize(images);
        }
        assertThat(printed).contains("Video: " + corpus.videoItems().size() + " clip(s) not run");
        assertThat(codecs).anyMatch(c -> c instanceof JpegCodec);
        checkJpeg(r, printed);
    }

    /** JPEG rows of the same run: PSNR instead of a lossless check, sizes against QUIC. */
    private void checkJpeg(CorpusResult r, String printed) throws IOException {
        assertThat(r.ok()).as(printed).isTrue();
        List<CorpusMeasurement> jpeg = r.measurements().stream().filter(m -> m.codec().equals("JPEG-q85")).toList();
        assertThat(jpeg).hasSize(Corpus.embeddedDefault().items().size());
        for (CorpusMeasurement m : jpeg) {
            System.out.printf(Locale.ROOT, "JPEG-q85 %-70s %6.3f bpp  %6.2f dB%n", m.path(), m.bitsPerPixel(), m.psnrDb());
        }
        assertThat(jpeg).allSatisfy(m -> {
            // No lossless check for a lossy codec: PSNR instead, and RGBA keeps its alpha exactly (JPEG_ALPHA).
            assertThat(m.losslessOk()).as(m.path()).isNull();
            assertThat(m.error()).as(m.path()).isNull();
            assertThat(m.psnrDb()).as(m.path()).isGreaterThanOrEqualTo(JPEG_MIN_PSNR_FLOOR_DB).isLessThan(100);
            assertThat(m.bitsPerPixel()).as(m.path()).isPositive();
        });
        assertThat(jpeg).anyMatch(m -> m.format() == SpiceBitmapFormat.RGBA);
        double mean = jpeg.stream().mapToDouble(CorpusMeasurement::psnrDb).average().orElseThrow();
        assertThat(mean).isGreaterThanOrEqualTo(JPEG_MEAN_PSNR_FLOOR_DB);

        // On photographs JPEG is what SPICE uses it for: several times smaller than lossless QUIC.
        long jpegPhoto = bytes(r, "JPEG-q85", "photo");
        long quicPhoto = bytes(r, "QUIC", "photo");
        assertThat((double) quicPhoto / jpegPhoto).isGreaterThan(3);

        CorpusSummary all = r.summaries().stream()
                .filter(s -> s.codec().equals("JPEG-q85") && s.category().equals(CorpusSummary.ALL)).findFirst().orElseThrow();
        assertThat(all.lossy()).isTrue();
        assertThat(all.meanPsnrDb()).isCloseTo(mean, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(printed).contains("Lossy: size and quality against QUIC", "x smaller", "lossy, PSNR",
                "JPEG-q85: JPEG at quality 85, ");

        List<String> csv = Files.readAllLines(r.csv());
        String[] row = csv.stream().filter(l -> l.contains(",JPEG-q85,")).findFirst().orElseThrow().split(",", -1);
        assertThat(row[11]).isEqualTo("n/a");
        assertThat(Double.parseDouble(row[13])).isGreaterThan(JPEG_MIN_PSNR_FLOOR_DB);
    }

    private static long bytes(CorpusResult r, String codec, String category) {
        return r.measurements().stream().filter(m -> m.codec().equals(codec) && m.category().equals(category))
                .mapToLong(CorpusMeasurement::encodedBytes).sum();
    }
}
