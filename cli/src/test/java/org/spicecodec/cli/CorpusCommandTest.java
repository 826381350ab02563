package org.spicecodec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spicecodec.cli.CliTestSupport.run;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spicecodec.cli.CliTestSupport.Run;

class CorpusCommandTest {
    @TempDir
    Path tmp;

    @Test
    void runsASmallCorpusAndWritesTheReport() throws Exception {
        Path corpus = tmp.resolve("corpus");
        Files.createDirectories(corpus.resolve("desktop"));
        BufferedImage img = new BufferedImage(16, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 16; x++) {
                img.setRGB(x, y, x * 0x100F03 + y * 0x000710);
            }
        }
        ImageIO.write(img, "png", corpus.resolve("desktop/gradient.png").toFile());
        Path out = tmp.resolve("report");

        Run r = run("corpus", "--corpus", corpus, "--out", out, "--min-time", 0);
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("QUIC");
        assertThat(out.resolve("results.csv")).isRegularFile();
        assertThat(out.resolve("chart.png")).isRegularFile();
    }

    @Test
    void aMissingCorpusIsOneLine() {
        Run r = run("corpus", "--corpus", tmp.resolve("absent"), "--out", tmp.resolve("report"));
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("spicecodec corpus: ").contains("absent")
                .doesNotContain("Exception");
    }
}
