package org.spicecodec.core.vectors;

/** Malformed JSON, with the position where the parser gave up. */
public final class JsonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int offset;
    private final int line;
    private final int column;

    public JsonException(int offset, int line, int column, String reason) {
        super("malformed JSON at line " + line + ", column " + column + " (offset " + offset + "): " + reason);
        this.offset = offset;
        this.line = line;
        this.column = column;
    }

    /** Character offset in the document (0-based). */
    public int offset() {
        return offset;
    }

    /** 1-based line. */
    public int line() {
        return line;
    }

    /** 1-based column, in characters. */
    public int column() {
        return column;
    }
}
