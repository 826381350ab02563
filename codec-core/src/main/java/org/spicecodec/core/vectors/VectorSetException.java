package org.spicecodec.core.vectors;

/**
 * A vector set that cannot be trusted: a manifest that breaks the format, or a file whose
 * size or digest disagrees with the manifest.
 */
public class VectorSetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public VectorSetException(String message) {
        super(message);
    }

    public VectorSetException(String message, Throwable cause) {
        super(message, cause);
    }
}
