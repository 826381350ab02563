package org.spicecodec.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.spicecodec.audio.WavFile;

/** The embedded corpus: index, files and manifest agree, and the mix of content is as intended. */
class DefaultCorpusTest {
    private static final Path SOURCE_FOLDER = Path.of("src/main/resources/org/spicecodec/corpus/default");

    private static byte[] resource(String rel) throws IOException {
        try (InputStream in = Corpus.class.getResourceAsStream(Corpus.DEFAULT_FOLDER + rel)) {
            assertThat(in).as("resource %s", rel).isNotNull();
            return in.readAllBytes();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> manifestByPath() throws IOException {
        String json = new String(resource("MANIFEST.json"), StandardCharsets.UTF_8);
        Map<String, Object> root = (Map<String, Object>) MiniJson.parse(json);
        List<Map<String, Object>> files = (List<Map<String, Object>>) root.get("files");
        return files.stream().collect(Collectors.toMap(f -> (String) f.get("path"), f -> f));
    }

    @Test
    void indexListsOnlyExistingResourcesThatTheManifestDescribes() throws Exception {
        List<String> index = Corpus.defaultIndex();
        assertThat(index).isNotEmpty().doesNotHaveDuplicates();
        Map<String, Map<String, Object>> manifest = manifestByPath();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (String rel : index) {
            byte[] data = resource(rel);
            Map<String, Object> entry = manifest.get(rel);
            assertThat(entry).as("MANIFEST.json entry for %s", rel).isNotNull();
            assertThat(((Number) entry.get("bytes")).longValue()).as("bytes of %s", rel).isEqualTo(data.length);
            assertThat(entry.get("sha256")).as("sha256 of %s", rel)
                    .isEqualTo(HexFormat.of().formatHex(sha.digest(data)));
            assertThat(entry.get("category")).as("category of %s", rel).isEqualTo(rel.substring(0, rel.indexOf('/')));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> sources = (List<Map<String, Object>>) entry.get("sources");
            assertThat(sources).as("sources of %s", rel).isNotEmpty();
            assertThat(sources).as("licences of %s", rel)
                    .allSatisfy(s -> assertThat((String) s.get("license")).isNotBlank());
        }
        // The manifest describes the copied files and nothing else.
        assertThat(manifest.keySet()).containsExactlyInAnyOrderElementsOf(index);
    }

    @Test
    void everyEmbeddedImageAndClipIsIndexedAndTheCorpusStaysSmall() throws IOException {
        Set<String> onDisk;
        try (Stream<Path> s = Files.walk(SOURCE_FOLDER)) {
            onDisk = s.filter(Files::isRegularFile)
                    .map(p -> SOURCE_FOLDER.relativize(p).toString().replace('\\', '/'))
                    .filter(f -> Corpus.isImage(f) || Corpus.isAudio(f) || Corpus.isVideo(f))
                    .collect(Collectors.toSet());
        }
        assertThat(onDisk).containsExactlyInAnyOrderElementsOf(Corpus.defaultIndex());
        long total;
        try (Stream<Path> s = Files.walk(SOURCE_FOLDER)) {
            total = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        assertThat(total).isLessThanOrEqualTo(20L << 20);
        // The repository's data budget: the video excerpts stay within about 4 MB together.
        long video;
        try (Stream<Path> s = Files.walk(SOURCE_FOLDER.resolve("video"))) {
            video = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        assertThat(video).isPositive().isLessThanOrEqualTo(4_000_000L);
    }

    @Test
    void everyImageCategoryIsRepresentedWithTheIntendedKindsOfContent() throws IOException {
        Corpus corpus = Corpus.embeddedDefault();
        Map<String, Long> perCategory = corpus.items().stream()
                .collect(Collectors.groupingBy(CorpusItem::category, Collectors.counting()));
        assertThat(perCategory).containsOnlyKeys("desktop", "photo", "synthetic-ui");
        assertThat(perCategory.get("desktop")).isGreaterThanOrEqualTo(3);
        assertThat(perCategory.get("photo")).isGreaterThanOrEqualTo(3);
        assertThat(perCategory.get("synthetic-ui")).isGreaterThanOrEqualTo(3);

        List<String> names = corpus.items().stream().map(CorpusItem::path).toList();
        assertThat(names).anyMatch(n -> n.startsWith("desktop/") && n.contains("multiwindow"));
        assertThat(names).anyMatch(n -> n.startsWith("synthetic-ui/") && n.endsWith(".gif"));

        boolean rgba = false;
        boolean fullHdDesktop = false;
        for (CorpusItem item : corpus.items()) {
            BufferedImage img = item.load();
            assertThat(img).as(item.path()).isNotNull();
            rgba |= item.category().equals("synthetic-ui") && img.getColorModel().hasAlpha();
            fullHdDesktop |= item.category().equals("desktop") && img.getWidth() == 1920 && img.getHeight() == 1080;
        }
        assertThat(rgba).as("an RGBA synthetic-ui image").isTrue();
        assertThat(fullHdDesktop).as("a 1920x1080 desktop").isTrue();
    }

    @Test
    void theAudioCategoryHoldsShortSpeechMusicAndSystemSoundExcerpts() throws IOException {
        Corpus corpus = Corpus.embeddedDefault();
        List<String> names = corpus.audioItems().stream().map(CorpusAudioItem::path).toList();
        assertThat(names).hasSize(3).allMatch(n -> n.startsWith("audio/") && n.endsWith(".wav"));
        assertThat(names).anyMatch(n -> n.contains("speech")).anyMatch(n -> n.contains("music"))
                .anyMatch(n -> n.contains("ui_") || n.contains("sfx_") || n.contains("notification"));
        Map<String, Map<String, Object>> manifest = manifestByPath();
        for (CorpusAudioItem item : corpus.audioItems()) {
            WavFile wav = WavFile.read(item.load());
            assertThat(wav.sampleRate()).as(item.path()).isEqualTo(48000);
            assertThat(wav.channels()).as(item.path()).isEqualTo(2);
            // Cut to 3 s, and the manifest says so while keeping the original file's size and hash.
            assertThat(wav.frames()).as(item.path()).isEqualTo(3 * 48000);
            assertThat((String) manifest.get(item.path()).get("note"))
                    .contains("cut to the first 3 seconds", "original file has bytes");
            // Not all silence: the excerpt must give the codecs something to code.
            short max = 0;
            for (short v : wav.samples()) {
                max = (short) Math.max(max, Math.abs(v));
            }
            assertThat((int) max).as("peak of %s", item.path()).isGreaterThan(3000);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theVideoCategoryHoldsTwoShortLosslessExcerptsWithTheirCutDocumented() throws IOException {
        Corpus corpus = Corpus.embeddedDefault();
        List<String> names = corpus.videoItems().stream().map(CorpusVideoItem::path).toList();
        assertThat(names).hasSize(2).allMatch(n -> n.startsWith("video/") && n.endsWith(".mkv"));
        assertThat(names).anyMatch(n -> n.contains("terminal")).anyMatch(n -> n.contains("cup"));
        Map<String, Map<String, Object>> manifest = manifestByPath();
        for (String n : names) {
            Map<String, Object> e = manifest.get(n);
            Map<String, Object> excerpt = (Map<String, Object>) e.get("excerpt");
            assertThat(excerpt).as(n).containsKeys("source_path", "source_sha256", "start_frame", "frames",
                    "crop_x_y_w_h", "ffmpeg_command");
            assertThat((String) excerpt.get("ffmpeg_command")).startsWith("ffmpeg -i ").contains("-qp 0", "crop=");
            assertThat(((Number) excerpt.get("frames")).intValue()).isEqualTo(((Number) e.get("frames")).intValue());
            List<Number> crop = (List<Number>) excerpt.get("crop_x_y_w_h");
            assertThat(crop.get(2).intValue()).isEqualTo(((Number) e.get("width")).intValue());
            assertThat(crop.get(3).intValue()).isEqualTo(((Number) e.get("height")).intValue());
            assertThat((List<Object>) e.get("frame_md5_rgb24")).hasSize(((Number) e.get("frames")).intValue());
        }
    }
}
