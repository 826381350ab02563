package org.spicecodec.core.vectors;

/**
 * A file of a vector set as the manifest describes it.
 *
 * @param file   path relative to the set's directory, with '/' separators
 * @param size   byte count (uncompressed for {@code .raw.gz}); {@code null} where the manifest omits it
 * @param sha256 lowercase hex digest (of the uncompressed bytes for {@code .raw.gz})
 */
public record FileRef(String file, Long size, String sha256) {

    static FileRef from(Fields f, boolean sizeRequired) {
        Long size = sizeRequired ? Long.valueOf(f.longValue("size", 0, Integer.MAX_VALUE - 16))
                : f.optLong("size", 0, Integer.MAX_VALUE - 16);
        return new FileRef(f.string("file"), size, f.sha256("sha256"));
    }
}
