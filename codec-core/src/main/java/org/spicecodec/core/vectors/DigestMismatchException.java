package org.spicecodec.core.vectors;

/** A file of a vector set whose size or sha256 is not the one the manifest lists. */
public final class DigestMismatchException extends VectorSetException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final String property;
    private final String expected;
    private final String actual;

    /**
     * @param file     the file, relative to the set's directory
     * @param property what differs: "size" or "sha256"
     */
    public DigestMismatchException(String file, String property, String expected, String actual) {
        super(file + ": " + property + " mismatch: manifest says " + expected + ", file has " + actual);
        this.file = file;
        this.property = property;
        this.expected = expected;
        this.actual = actual;
    }

    public String file() {
        return file;
    }

    /** "size" or "sha256". */
    public String property() {
        return property;
    }

    public String expected() {
        return expected;
    }

    public String actual() {
        return actual;
    }
}
