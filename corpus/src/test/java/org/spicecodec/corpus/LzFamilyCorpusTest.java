package org.spicecodec.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;

/** The LZ, GLZ, zlib-GLZ and LZ4 adapters, and how the runner drives sequential codecs. */
class LzFamilyCorpusTest {
    @TempDir
    Path tmp;

    /**
     * Category "scroll": three frames of one text-like picture, each moved up by 6 rows, so a
     * codec with memory can copy most of frames 2 and 3. Category "icons": one RGBA picture.
     */
    private Path scrollCorpus() throws IOException {
        Path root = tmp.resolve("corpus");
        Files.createDirectories(root.resolve("scroll"));
        Files.createDirectories(root.resolve("icons"));
        int w = 160;
        int h = 120;
        for (int f = 0; f < 3; f++) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h; y++) {
                int row = y + 6 * f;
                for (int x = 0; x < w; x++) {
                    // Pseudo-random "glyphs": little repetition inside a frame.
                    int v = (row * 73 + x * 151) * 0x9E3779B1;
                    img.setRGB(x, y, (v >>> 8) & 0xFFFFFF);
                }
            }
            ImageIO.write(img, "png", root.resolve("scroll/frame" + f + ".png").toFile());
        }
        BufferedImage argb = new BufferedImage(40, 30, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < argb.getHeight(); y++) {
            for (int x = 0; x < argb.getWidth(); x++) {
                argb.setRGB(x, y, ((x * 6) << 24) | (y * 8 << 16) | 0x3366);
            }
        }
        ImageIO.write(argb, "png", root.resolve("icons/icon_rgba.png").toFile());
        return root;
    }

    private CorpusResult run(Path corpus, List<CorpusCodec> codecs) throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        CorpusResult r = CorpusRunner.builder().minMeasureMillis(0).video(null).corpus(corpus).out(tmp.resolve("report"))
                .codecs(codecs).build().run(new PrintStream(text, true, StandardCharsets.UTF_8));
        assertThat(r.failures()).as(text.toString(StandardCharsets.UTF_8)).isEmpty();
        return r;
    }

    private static List<CorpusMeasurement> of(CorpusResult r, String codec, String category) {
        return r.measurements().stream().filter(m -> m.codec().equals(codec) && m.category().equals(category)).toList();
    }

    @Test
    void defaultsHoldTheLzFamilyBeforePng() {
        assertThat(CorpusCodecs.defaults()).extracting(CorpusCodec::name)
                .containsExactly("QUIC", "LZ", "GLZ", "zlib-GLZ", "LZ4", "JPEG-q85", "PNG");
        assertThat(CorpusCodecs.defaults()).filteredOn(CorpusCodec::isSequential).extracting(CorpusCodec::name)
                .containsExactly("GLZ", "zlib-GLZ");
    }

    @Test
    void everyAdapterRoundTripsRgb32AndRgba() throws IOException {
        List<CorpusCodec> codecs = List.of(ImageCodecAdapter.lz(), GlzCodec.glz(), GlzCodec.zlibGlz(),
                ImageCodecAdapter.lz4());
        CorpusResult r = run(scrollCorpus(), codecs);
        for (CorpusCodec c : codecs) {
            assertThat(of(r, c.name(), "scroll")).hasSize(3).allSatisfy(m -> {
                assertThat(m.format()).isEqualTo(SpiceBitmapFormat.RGB32);
                assertThat(m.losslessOk()).isTrue();
            });
            assertThat(of(r, c.name(), "icons")).singleElement().satisfies(m -> {
                assertThat(m.format()).isEqualTo(SpiceBitmapFormat.RGBA);
                assertThat(m.losslessOk()).isTrue();
            });
        }
    }

    @Test
    void glzCopiesFromEarlierImagesOfTheCategoryAndLzDoesNot() throws IOException {
        CorpusResult r = run(scrollCorpus(), List.of(ImageCodecAdapter.lz(), GlzCodec.glz(), GlzCodec.zlibGlz()));
        List<CorpusMeasurement> lz = of(r, "LZ", "scroll");
        List<CorpusMeasurement> glz = of(r, "GLZ", "scroll");
        // Frame 0 has nothing to copy from; frames 1 and 2 are mostly frame 0 moved up.
        assertThat(glz.get(0).encodedBytes()).isGreaterThan(lz.get(0).encodedBytes() / 2);
        for (int f = 1; f < 3; f++) {
            assertThat(glz.get(f).encodedBytes()).isLessThan(lz.get(f).encodedBytes() / 5);
        }
        assertThat(of(r, "zlib-GLZ", "scroll")).allSatisfy(m -> assertThat(m.losslessOk()).isTrue());
    }

    @Test
    void sequentialCodecsRunEachImageOnceInOrderAndRestartPerCategory() throws IOException {
        Recording rec = new Recording();
        run(scrollCorpus(), List.of(rec));
        // Categories in corpus order (sorted): icons, then scroll.
        assertThat(rec.calls).containsExactly(
                "start", "encode", "decode",
                "start", "encode", "decode", "encode", "decode", "encode", "decode");
    }

    @Test
    void aSequentialCodecIsRestartedAfterAFailure() throws IOException {
        Recording rec = new Recording();
        rec.failOnEncode = 2; // the second image of the scroll category
        CorpusResult r = CorpusRunner.builder().minMeasureMillis(0).video(null).corpus(scrollCorpus()).out(tmp.resolve("report"))
                .codecs(List.of(rec)).build().run(new PrintStream(new ByteArrayOutputStream()));
        assertThat(r.failures()).singleElement().satisfies(m -> assertThat(m.error()).contains("encode threw"));
        assertThat(rec.calls).containsExactly(
                "start", "encode", "decode",
                "start", "encode", "decode", "encode", "start", "encode", "decode");
    }

    /** A sequential lossless codec storing raw pixels, recording how the runner calls it. */
    private static final class Recording implements CorpusCodec {
        final List<String> calls = new ArrayList<>();
        int encodes;
        int failOnEncode = -1;

        @Override
        public String name() {
            return "REC";
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
            calls.add("encode");
            if (++encodes == failOnEncode + 1) {
                throw new IllegalStateException("boom");
            }
            System.arraycopy(src.data(), src.offset(), out, 0, out.length);
            return out.length;
        }

        @Override
        public void decode(byte[] in, int length, SpiceBitmap dst) {
            calls.add("decode");
            System.arraycopy(in, 0, dst.data(), 0, length);
        }

        @Override
        public boolean isSequential() {
            return true;
        }

        @Override
        public void startSequence() {
            calls.add("start");
        }
    }
}
