package org.spicecodec.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;

class CorpusRunnerTest {
    @TempDir
    Path tmp;

    /** Two small generated images in two categories, plus files the runner must ignore. */
    private Path tinyCorpus() throws IOException {
        Path root = tmp.resolve("corpus");
        Files.createDirectories(root.resolve("desktop"));
        Files.createDirectories(root.resolve("synthetic-ui"));
        Files.createDirectories(root.resolve("video"));

        BufferedImage rgb = new BufferedImage(67, 41, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < rgb.getHeight(); y++) {
            for (int x = 0; x < rgb.getWidth(); x++) {
                // Text-like stripes plus a gradient: compressible, not trivial.
                rgb.setRGB(x, y, (y % 7 == 0 ? 0x202020 : 0xF0F0F0) ^ (x * 3 << 8));
            }
        }
        ImageIO.write(rgb, "png", root.resolve("desktop/stripes.png").toFile());

        BufferedImage argb = new BufferedImage(32, 24, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < argb.getHeight(); y++) {
            for (int x = 0; x < argb.getWidth(); x++) {
                argb.setRGB(x, y, ((x * 8) << 24) | (y * 10 << 16) | 0x3366);
            }
        }
        ImageIO.write(argb, "png", root.resolve("synthetic-ui/icon_rgba.png").toFile());

        Files.writeString(root.resolve("README.md"), "not an image");
        Files.writeString(root.resolve("desktop/notes.txt"), "not an image");
        Files.write(root.resolve("video/clip.mkv"), new byte[16]);
        return root;
    }

    private static CorpusRunner.Builder quick() {
        // Video off: the tiny corpus's clip.mkv is not a real clip (see CorpusVideoRunTest for video).
        return CorpusRunner.builder().minMeasureMillis(0).video(null);
    }

    @Test
    void pngRunWritesCsvRowsAndChart() throws IOException {
        Path out = tmp.resolve("report");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        CorpusResult r = quick().corpus(tinyCorpus()).out(out).codecs(List.of(new PngCodec()))
                .progress(new PrintStream(progress, true, StandardCharsets.UTF_8))
                .build().run(new PrintStream(text, true, StandardCharsets.UTF_8));

        assertThat(r.ok()).isTrue();
        assertThat(r.csv()).isEqualTo(out.resolve("results.csv"));
        List<String> lines = Files.readAllLines(r.csv());
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("category,file,width,height,format,codec,raw_bytes,encoded_bytes,ratio,"
                + "encode_mb_s,decode_mb_s,lossless_ok,bits_per_pixel,psnr_db,error");
        String[] desktop = lines.get(1).split(",", -1);
        assertThat(desktop).startsWith("desktop", "stripes.png", "67", "41", "RGB32", "PNG", Long.toString(67 * 41 * 4));
        String[] icon = lines.get(2).split(",", -1);
        assertThat(icon).startsWith("synthetic-ui", "icon_rgba.png", "32", "24", "RGBA", "PNG", Long.toString(32 * 24 * 4));
        for (String[] row : List.of(desktop, icon)) {
            assertThat(Long.parseLong(row[7])).isPositive();
            assertThat(Double.parseDouble(row[8])).isGreaterThan(0);
            assertThat(Double.parseDouble(row[9])).isGreaterThan(0);
            assertThat(Double.parseDouble(row[10])).isGreaterThan(0);
            assertThat(row[11]).isEqualTo("true");
            assertThat(Double.parseDouble(row[12])).isPositive();
            assertThat(row[13]).as("no PSNR for a lossless codec").isEmpty();
            assertThat(row[14]).isEmpty();
        }

        assertThat(r.chart()).isEqualTo(out.resolve("chart.png"));
        BufferedImage chart = ImageIO.read(r.chart().toFile());
        assertThat(chart).isNotNull();
        assertThat(chart.getWidth()).isGreaterThan(100);

        String printed = text.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("desktop", "synthetic-ui", "all", "PNG", "results.csv", "chart.png");
        assertThat(printed).contains("1 video clip(s)", "Video: 1 clip(s) not run (video matrix off");
        assertThat(printed).doesNotContain("Lossy:"); // no lossy codec ran
        assertThat(r.summaries()).extracting(CorpusSummary::category)
                .containsExactly("desktop", "synthetic-ui", CorpusSummary.ALL);
        assertThat(r.summaries()).allSatisfy(s -> assertThat(s.ratio()).isGreaterThan(0));
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("[2/2] done");
    }

    @Test
    void quicRoundTripIsLosslessOnTheTinyCorpus() throws IOException {
        CorpusResult r = quick().corpus(tinyCorpus()).out(tmp.resolve("report"))
                .codecs(List.of(ImageCodecAdapter.quic(), new PngCodec())).build().run(new PrintStream(new ByteArrayOutputStream()));
        List<CorpusMeasurement> quic = r.measurements().stream().filter(m -> m.codec().equals("QUIC")).toList();
        assertThat(quic).hasSize(2);
        assertThat(quic).allSatisfy(m -> {
            assertThat(m.error()).isNull();
            assertThat(m.losslessOk()).isTrue();
            assertThat(m.ratio()).isGreaterThan(0);
        });
    }

    @Test
    void aBrokenLosslessCodecIsReportedLoudly() throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        CorpusResult r = quick().corpus(tinyCorpus()).out(tmp.resolve("report")).codecs(List.of(new OffByOne()))
                .progress(new PrintStream(progress, true, StandardCharsets.UTF_8))
                .build().run(new PrintStream(text, true, StandardCharsets.UTF_8));
        assertThat(r.ok()).isFalse();
        assertThat(r.failures()).hasSize(2).allSatisfy(m -> {
            assertThat(m.losslessOk()).isFalse();
            assertThat(m.error()).startsWith("LOSSLESS MISMATCH").contains("first at (0,0)");
        });
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("LOSSLESS MISMATCH", "FAILED 1");
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("FAILED on desktop/stripes.png");
        assertThat(Files.readAllLines(r.csv()).get(1)).contains(",false,32.0000,,\"LOSSLESS MISMATCH");
    }

    @Test
    void aThrowingCodecIsRecordedNotFatal() throws IOException {
        CorpusCodec throwing = new OffByOne() {
            @Override
            public void decode(byte[] in, int length, SpiceBitmap dst) {
                throw new IllegalStateException("boom");
            }
        };
        CorpusResult r = quick().corpus(tinyCorpus()).out(tmp.resolve("report"))
                .codecs(List.of(throwing, new PngCodec())).build().run(new PrintStream(new ByteArrayOutputStream()));
        assertThat(r.failures()).hasSize(2).allSatisfy(m -> assertThat(m.error()).contains("decode threw", "boom"));
        assertThat(r.measurements()).filteredOn(m -> m.codec().equals("PNG")).allSatisfy(m -> assertThat(m.ok()).isTrue());
    }

    @Test
    void clearErrorsForBadCorpusDirectories() throws IOException {
        CorpusRunner.Builder b = quick().out(tmp.resolve("report")).codecs(List.of(new PngCodec()));
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());

        assertThatThrownBy(() -> b.corpus(tmp.resolve("missing")).build().run(sink))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");

        Path empty = Files.createDirectories(tmp.resolve("empty/desktop"));
        Files.writeString(empty.resolve("a.txt"), "x");
        assertThatThrownBy(() -> b.corpus(tmp.resolve("empty")).build().run(sink))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no .gif/.jpeg/.jpg/.png images (nor .wav audio, nor .mkv/.mp4/.webm video) found");

        Path loose = Files.createDirectories(tmp.resolve("loose"));
        ImageIO.write(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB), "png", loose.resolve("x.png").toFile());
        assertThatThrownBy(() -> b.corpus(loose).build().run(sink))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("category folders");

        Path file = Files.writeString(tmp.resolve("file.txt"), "x");
        assertThatThrownBy(() -> b.corpus(file).build().run(sink))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a directory");
    }

    @Test
    void unreadableImagesAreSkippedWithAWarning() throws IOException {
        Path root = tinyCorpus();
        Files.writeString(root.resolve("desktop/broken.png"), "not really a png");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        CorpusResult r = quick().corpus(root).out(tmp.resolve("report")).codecs(List.of(new PngCodec()))
                .build().run(new PrintStream(text, true, StandardCharsets.UTF_8));
        assertThat(r.unreadable()).singleElement().asString().startsWith("desktop/broken.png");
        assertThat(r.measurements()).hasSize(2);
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("could not be read", "broken.png");
    }

    @Test
    void compareIgnoresThePaddingByteOfRgb32() {
        SpiceBitmap a = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 3, 2);
        SpiceBitmap b = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 3, 2);
        b.data()[3] = 0x7F;
        assertThat(CorpusRunner.compare(a, b)).isNull();
        b.data()[4 * 4 + 2] = 1; // red of pixel (1,1)
        assertThat(CorpusRunner.compare(a, b)).startsWith("1 of 6 pixels differ").contains("first at (1,1)");

        SpiceBitmap c = SpiceBitmap.allocate(SpiceBitmapFormat.RGBA, 3, 2);
        SpiceBitmap d = SpiceBitmap.allocate(SpiceBitmapFormat.RGBA, 3, 2);
        d.data()[3] = 1; // alpha counts in RGBA
        assertThat(CorpusRunner.compare(c, d)).contains("first at (0,0)");
    }

    @Test
    void pngAdapterSignalsOutputThatDoesNotFit() {
        SpiceBitmap bm = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 16, 16);
        PngCodec png = new PngCodec();
        assertThat(png.encode(bm, new byte[10])).isEqualTo(org.spicecodec.core.ImageEncoder.DOES_NOT_FIT);
        byte[] buf = new byte[(int) png.maxEncodedLength(SpiceBitmapFormat.RGB32, 16, 16)];
        assertThat(png.encode(bm, buf)).isPositive();
    }

    /** A "lossless" codec that stores the raw pixels and gets the first byte wrong on decode. */
    private static class OffByOne implements CorpusCodec {
        @Override
        public String name() {
            return "BROKEN";
        }

        @Override
        public boolean isLossless() {
            return true;
        }

        @Override
        public boolean supports(SpiceBitmapFormat format) {
            return true;
        }

        @Override
        public long maxEncodedLength(SpiceBitmapFormat format, int width, int height) {
            return format.minStride(width) * height;
        }

        @Override
        public int encode(SpiceBitmap src, byte[] out) {
            System.arraycopy(src.data(), src.offset(), out, 0, src.data().length);
            return src.data().length;
        }

        @Override
        public void decode(byte[] in, int length, SpiceBitmap dst) {
            System.arraycopy(in, 0, dst.data(), 0, length);
            dst.data()[0]++;
        }
    }
}
