package org.spicecodec.corpus;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Objects;

/**
 * One picture of a corpus: its category (the corpus's first-level folder), its name within
 * the category, and how to load it. Loading is deferred so a run holds one image at a time.
 *
 * <p>A file usually gives one item; a video file could give one item per sampled frame, named
 * e.g. {@code "seq.mkv#0042"}.
 */
public record CorpusItem(String category, String name, Loader loader) {

    /** Loads the picture; called once per run. */
    @FunctionalInterface
    public interface Loader {
        BufferedImage load() throws IOException;
    }

    public CorpusItem {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(loader, "loader");
    }

    /** {@code category/name}, as shown in progress and messages. */
    public String path() {
        return category + "/" + name;
    }

    public BufferedImage load() throws IOException {
        return loader.load();
    }
}
