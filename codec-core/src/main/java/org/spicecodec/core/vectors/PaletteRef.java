package org.spicecodec.core.vectors;

/**
 * The palette of a PLT vector: {@code numEnts} uint32 LE entries of {@code 0x00RRGGBB}.
 *
 * @param file    path relative to the set's directory
 * @param numEnts number of entries, 1 to 256
 * @param sha256  digest of the file
 */
public record PaletteRef(String file, int numEnts, String sha256) {

    static PaletteRef from(Fields f) {
        return new PaletteRef(f.string("file"), f.intValue("num_ents", 1, 256), f.sha256("sha256"));
    }
}
