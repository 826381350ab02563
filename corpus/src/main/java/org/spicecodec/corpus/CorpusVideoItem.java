package org.spicecodec.corpus;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One video file of a corpus (Matroska, MP4, WebM, ... anything FFmpeg demuxes): its category
 * folder, its name within the category, and how to get it as a file. Kept apart from
 * {@link CorpusItem}: the image codecs never see video frames; the video category codes each
 * clip as a sequence through SPICE's stream codecs.
 */
public record CorpusVideoItem(String category, String name, Source source) {

    /** Gives the clip as a file FFmpeg can open. */
    @FunctionalInterface
    public interface Source {
        /**
         * The file to read, and whether the caller must delete it afterwards (an embedded clip is
         * copied to a temporary file, since FFmpeg reads files, not class-path resources).
         */
        Opened open() throws IOException;
    }

    /** A file to read; {@code temporary} files are deleted by whoever opened them. */
    public record Opened(Path file, boolean temporary) {
    }

    public CorpusVideoItem {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
    }

    /** {@code category/name}, as shown in progress and messages. */
    public String path() {
        return category + "/" + name;
    }
}
