package org.spicecodec.corpus;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * The pictures, audio clips and video clips a run goes over: the corpus embedded in this module, or a directory laid out
 * like the research corpus ({@code DIR/<category>/...}).
 */
public final class Corpus {
    /** Where the embedded corpus lives, relative to this class. */
    static final String DEFAULT_FOLDER = "default/";
    /** Lists the embedded files: a jar cannot be listed reliably, so the list is written down. */
    static final String DEFAULT_INDEX = DEFAULT_FOLDER + "INDEX.txt";

    /** File extensions read as still images (lower case, no dot). */
    public static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "gif", "jpg", "jpeg");
    /** File extensions read as audio clips (16-bit PCM WAV). */
    public static final Set<String> AUDIO_EXTENSIONS = Set.of("wav");
    /** File extensions read as video clips (demuxed and decoded by FFmpeg). */
    public static final Set<String> VIDEO_EXTENSIONS = Set.of("mkv", "mp4", "webm");

    private final String description;
    private final List<CorpusItem> items;
    private final List<CorpusAudioItem> audioItems;
    private final List<CorpusVideoItem> videoItems;
    private final List<String> ignoredCategories;

    private Corpus(String description, List<CorpusItem> items, List<CorpusAudioItem> audioItems,
                   List<CorpusVideoItem> videoItems, List<String> ignoredCategories) {
        this.description = description;
        this.items = List.copyOf(items);
        this.audioItems = List.copyOf(audioItems);
        this.videoItems = List.copyOf(videoItems);
        this.ignoredCategories = List.copyOf(ignoredCategories);
    }

    /** Where the pictures come from, for the report header. */
    public String description() {
        return description;
    }

    /** The pictures, sorted by category then name. */
    public List<CorpusItem> items() {
        return items;
    }

    /** The audio clips (WAV files), sorted by category then name; measured apart from the pictures. */
    public List<CorpusAudioItem> audioItems() {
        return audioItems;
    }

    /** The video clips, sorted by category then name; coded as streams apart from the pictures. */
    public List<CorpusVideoItem> videoItems() {
        return videoItems;
    }

    /** Category folders that held no file this runner can use. */
    public List<String> ignoredCategories() {
        return ignoredCategories;
    }

    /** The corpus embedded in this module, as listed by {@code default/INDEX.txt}. */
    public static Corpus embeddedDefault() throws IOException {
        List<CorpusItem> items = new ArrayList<>();
        List<CorpusAudioItem> audio = new ArrayList<>();
        List<CorpusVideoItem> video = new ArrayList<>();
        for (String rel : defaultIndex()) {
            int slash = rel.indexOf('/');
            String category = rel.substring(0, slash);
            String name = rel.substring(slash + 1);
            String resource = DEFAULT_FOLDER + rel;
            items.addAll(itemsFor(category, name, () -> readImage(resource)));
            if (isAudio(name)) {
                audio.add(new CorpusAudioItem(category, name, () -> readResource(resource)));
            }
            if (isVideo(name)) {
                video.add(new CorpusVideoItem(category, name, () -> resourceToTempFile(resource, name)));
            }
        }
        items.sort(ORDER);
        audio.sort(AUDIO_ORDER);
        video.sort(VIDEO_ORDER);
        return new Corpus("embedded default corpus", items, audio, video, List.of());
    }

    /** The paths listed in the embedded index, relative to its folder, in index order. */
    static List<String> defaultIndex() throws IOException {
        InputStream in = Corpus.class.getResourceAsStream(DEFAULT_INDEX);
        if (in == null) {
            throw new IOException("embedded corpus index " + DEFAULT_INDEX + " is missing from the classpath");
        }
        List<String> paths = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.indexOf('/') <= 0) {
                    throw new IOException(DEFAULT_INDEX + ": entry has no category folder: " + line);
                }
                paths.add(line);
            }
        }
        return paths;
    }

    /**
     * Every usable file under {@code dir}'s first-level folders; the folder is the category.
     * Files directly in {@code dir}, hidden files and files of other kinds are ignored.
     *
     * @throws IllegalArgumentException if {@code dir} is not a readable directory or holds neither image nor WAV
     * @throws IOException if walking the directory fails
     */
    public static Corpus fromDirectory(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            throw new IllegalArgumentException("corpus directory does not exist: " + dir);
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("corpus path is not a directory: " + dir);
        }
        if (!Files.isReadable(dir)) {
            throw new IllegalArgumentException("corpus directory is not readable: " + dir);
        }
        List<CorpusItem> items = new ArrayList<>();
        List<CorpusAudioItem> audio = new ArrayList<>();
        List<CorpusVideoItem> video = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        int looseImages = 0;
        List<Path> top;
        try (Stream<Path> s = Files.list(dir)) {
            top = s.sorted().toList();
        }
        for (Path p : top) {
            String name = p.getFileName().toString();
            if (name.startsWith(".")) {
                continue;
            }
            if (!Files.isDirectory(p)) {
                looseImages += isImage(name) ? 1 : 0;
                continue;
            }
            List<Path> files;
            try (Stream<Path> s = Files.walk(p)) {
                files = s.filter(Files::isRegularFile)
                        .filter(f -> !p.relativize(f).toString().startsWith(".")
                                && !f.getFileName().toString().startsWith("."))
                        .sorted().toList();
            }
            int before = items.size() + audio.size() + video.size();
            for (Path f : files) {
                String rel = p.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "/");
                items.addAll(itemsFor(name, rel, () -> readImage(f)));
                if (isAudio(rel)) {
                    audio.add(new CorpusAudioItem(name, rel, () -> Files.readAllBytes(f)));
                }
                if (isVideo(rel)) {
                    video.add(new CorpusVideoItem(name, rel, () -> new CorpusVideoItem.Opened(f, false)));
                }
            }
            if (items.size() + audio.size() + video.size() == before) {
                ignored.add(name);
            }
        }
        if (items.isEmpty() && audio.isEmpty() && video.isEmpty()) {
            String hint = looseImages > 0
                    ? " (" + looseImages + " image(s) lie directly in it; put them in category folders such as "
                      + dir.resolve("desktop") + ")"
                    : " (expected category folders such as " + dir.resolve("desktop") + ")";
            throw new IllegalArgumentException("no ." + String.join("/.", sortedExtensions())
                    + " images (nor .wav audio, nor ." + String.join("/.", VIDEO_EXTENSIONS.stream().sorted().toList())
                    + " video) found under " + dir + hint);
        }
        items.sort(ORDER);
        audio.sort(AUDIO_ORDER);
        video.sort(VIDEO_ORDER);
        return new Corpus(dir.toString(), items, audio, video, ignored);
    }

    /**
     * The picture items one corpus file yields: one for a still image, none for other kinds
     * (audio and video clips are listed apart, see {@link #audioItems()} and {@link #videoItems()}).
     */
    private static List<CorpusItem> itemsFor(String category, String name, CorpusItem.Loader loader) {
        if (isImage(name)) {
            return List.of(new CorpusItem(category, name, loader));
        }
        return List.of();
    }

    static boolean isImage(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot >= 0 && IMAGE_EXTENSIONS.contains(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    static boolean isVideo(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot >= 0 && VIDEO_EXTENSIONS.contains(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** FFmpeg opens files, not class-path resources: copy an embedded clip to a temporary file. */
    private static CorpusVideoItem.Opened resourceToTempFile(String resource, String name) throws IOException {
        String suffix = name.substring(name.lastIndexOf('.'));
        Path tmp = Files.createTempFile("spicecodec-corpus-", suffix);
        try (InputStream in = Corpus.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("embedded corpus file is missing: " + resource);
            }
            Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return new CorpusVideoItem.Opened(tmp, true);
    }

    static boolean isAudio(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot >= 0 && AUDIO_EXTENSIONS.contains(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static byte[] readResource(String resource) throws IOException {
        try (InputStream in = Corpus.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("embedded corpus file is missing: " + resource);
            }
            return in.readAllBytes();
        }
    }

    private static List<String> sortedExtensions() {
        return IMAGE_EXTENSIONS.stream().sorted().toList();
    }

    private static BufferedImage readImage(Path file) throws IOException {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot read image " + file + ": " + e.getMessage(), e);
        }
        if (img == null) {
            throw new IOException("cannot read image " + file + ": no ImageIO reader recognises it");
        }
        return img;
    }

    private static BufferedImage readImage(String resource) throws IOException {
        try (InputStream in = Corpus.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("embedded corpus file is missing: " + resource);
            }
            // A memory-cached stream: ImageIO.read(InputStream) may spill to temporary files.
            BufferedImage img = ImageIO.read(new MemoryCacheImageInputStream(in));
            if (img == null) {
                throw new IOException("cannot read embedded image " + resource);
            }
            return img;
        }
    }

    private static final Comparator<CorpusItem> ORDER =
            Comparator.comparing(CorpusItem::category).thenComparing(CorpusItem::name);
    private static final Comparator<CorpusAudioItem> AUDIO_ORDER =
            Comparator.comparing(CorpusAudioItem::category).thenComparing(CorpusAudioItem::name);
    private static final Comparator<CorpusVideoItem> VIDEO_ORDER =
            Comparator.comparing(CorpusVideoItem::category).thenComparing(CorpusVideoItem::name);
}
