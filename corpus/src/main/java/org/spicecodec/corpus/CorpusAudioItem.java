package org.spicecodec.corpus;

import java.io.IOException;
import java.util.Objects;

/**
 * One audio clip of a corpus (a 16-bit PCM WAV file): its category folder, its name within the
 * category, and how to read its bytes. Kept apart from {@link CorpusItem}, whose loader yields a
 * picture, so the image codecs never see audio.
 */
public record CorpusAudioItem(String category, String name, Loader loader) {

    /** Reads the WAV file's bytes; called once per run. */
    @FunctionalInterface
    public interface Loader {
        byte[] load() throws IOException;
    }

    public CorpusAudioItem {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(loader, "loader");
    }

    /** {@code category/name}, as shown in progress and messages. */
    public String path() {
        return category + "/" + name;
    }

    public byte[] load() throws IOException {
        return loader.load();
    }
}
