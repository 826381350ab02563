package org.spicecodec.core.vectors;

/**
 * One reference decoder output of a vector: what decoding {@code encoded} to {@code toType}
 * must give.
 *
 * @param toType                target type name, for example "RGB32"
 * @param rowOrder              "top_down" (QUIC) or "as_input" (LZ, GLZ)
 * @param stride                output bytes per row
 * @param size                  output size in bytes
 * @param sha256                digest of the output
 * @param equalsInput           whether the output is byte-identical to the input file
 * @param matchesDocumentedRule true, or {@code null} where no rule is claimed
 * @param file                  the stored output ({@code decoded/*.raw.gz}), or {@code null}
 */
public record Decode(String toType, String rowOrder, int stride, long size, String sha256, boolean equalsInput,
                     Boolean matchesDocumentedRule, String file) {

    static Decode from(Fields f) {
        return new Decode(f.string("to_type"), f.string("row_order"), f.intValue("stride", 1, Integer.MAX_VALUE),
                f.longValue("size", 0, Integer.MAX_VALUE - 16), f.sha256("sha256"), f.bool("equals_input"),
                f.optBool("matches_documented_rule"), f.optString("file"));
    }

    /** The stored output as a file reference, or {@code null} when none is stored. */
    public FileRef fileRef() {
        return file == null ? null : new FileRef(file, size, sha256);
    }
}
