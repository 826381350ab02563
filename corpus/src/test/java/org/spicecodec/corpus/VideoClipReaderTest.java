package org.spicecodec.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;

/** The embedded video excerpts, demuxed and decoded with FFmpeg through JavaCPP. */
class VideoClipReaderTest {
    @TempDir
    Path tmp;

    private static final long NO_CAP = 1L << 30;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> manifestEntry(String path) throws IOException {
        try (InputStream in = Corpus.class.getResourceAsStream(Corpus.DEFAULT_FOLDER + "MANIFEST.json")) {
            Map<String, Object> root = (Map<String, Object>) MiniJson.parse(new String(in.readAllBytes(),
                    StandardCharsets.UTF_8));
            return ((List<Map<String, Object>>) root.get("files")).stream()
                    .filter(f -> f.get("path").equals(path)).findFirst().orElseThrow();
        }
    }

    private Path copy(CorpusVideoItem item) throws IOException {
        CorpusVideoItem.Opened o = item.source().open();
        assertThat(o.temporary()).as("an embedded clip comes as a temporary file").isTrue();
        Path target = tmp.resolve(item.name());
        Files.move(o.file(), target);
        return target;
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyEmbeddedExcerptDecodesToItsFramesBitForBit() throws Exception {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        for (CorpusVideoItem item : Corpus.embeddedDefault().videoItems()) {
            Map<String, Object> e = manifestEntry(item.path());
            int frames = ((Number) e.get("frames")).intValue();
            VideoClip clip = VideoClipReader.read(copy(item), 1000, NO_CAP);
            assertThat(clip.frames()).as(item.path()).hasSize(frames);
            assertThat(clip.truncated()).isFalse();
            assertThat(clip.width()).isEqualTo(((Number) e.get("width")).intValue());
            assertThat(clip.height()).isEqualTo(((Number) e.get("height")).intValue());
            assertThat(clip.fps()).isEqualTo(((Number) e.get("fps")).doubleValue());
            // The excerpts are lossless: each frame's RGB bytes hash to the manifest's MD5, which
            // was taken from the source recording trimmed and cropped the same way.
            List<Object> expected = (List<Object>) e.get("frame_md5_rgb24");
            for (int i = 0; i < frames; i++) {
                String actual = HexFormat.of().formatHex(md5.digest(rgb24(clip.frames().get(i))));
                assertThat(actual).as("%s frame %d", item.path(), i).isEqualTo(expected.get(i));
            }
        }
    }

    @Test
    void theFrameAndMemoryLimitsStopReadingEarly() throws IOException {
        CorpusVideoItem item = Corpus.embeddedDefault().videoItems().get(0);
        Path file = copy(item);
        VideoClip five = VideoClipReader.read(file, 5, NO_CAP);
        assertThat(five.frames()).hasSize(5);
        assertThat(five.truncated()).isTrue();
        long frameBytes = 4L * five.width() * five.height();
        VideoClip capped = VideoClipReader.read(file, 1000, 3 * frameBytes + 1);
        assertThat(capped.frames()).hasSize(3);
        assertThat(capped.truncated()).isTrue();
        assertThatThrownBy(() -> VideoClipReader.read(file, 10, frameBytes - 1))
                .isInstanceOf(IOException.class).hasMessageContaining("exceeds the memory cap");
    }

    @Test
    void brokenFilesAreIoExceptionsNamingTheFile() throws IOException {
        Path junk = Files.write(tmp.resolve("junk.mkv"), new byte[16]);
        assertThatThrownBy(() -> VideoClipReader.read(junk, 10, NO_CAP))
                .isInstanceOf(IOException.class).hasMessageContaining("junk.mkv");
        assertThatThrownBy(() -> VideoClipReader.read(tmp.resolve("absent.mkv"), 10, NO_CAP))
                .isInstanceOf(IOException.class).hasMessageContaining("not a readable file");

        // A clip cut short: FFmpeg either decodes the frames that are complete or reports an
        // error; either way the reader returns whole frames or an IOException, nothing else.
        byte[] whole = Files.readAllBytes(copy(Corpus.embeddedDefault().videoItems().get(0)));
        for (int cut : new int[] {200, whole.length / 3, whole.length - 7}) {
            Path part = Files.write(tmp.resolve("cut" + cut + ".mkv"), java.util.Arrays.copyOf(whole, cut));
            try {
                VideoClip c = VideoClipReader.read(part, 1000, NO_CAP);
                assertThat(c.frames().size()).as("frames of a file cut at %d", cut).isBetween(1, 50);
            } catch (IOException expected) {
                assertThat(expected).hasMessageContaining(part.getFileName().toString());
            }
        }
    }

    /** The R, G, B bytes of an RGB32 (B, G, R, X) frame, as {@code ffmpeg -pix_fmt rgb24} gives them. */
    private static byte[] rgb24(SpiceBitmap f) {
        assertThat(f.format()).isEqualTo(SpiceBitmapFormat.RGB32);
        byte[] out = new byte[f.width() * f.height() * 3];
        byte[] d = f.data();
        int o = 0;
        for (int y = 0; y < f.height(); y++) {
            int p = f.offset() + y * f.stride();
            for (int x = 0; x < f.width(); x++, p += 4) {
                out[o++] = d[p + 2];
                out[o++] = d[p + 1];
                out[o++] = d[p];
            }
        }
        return out;
    }
}
