package org.spicecodec.jpeg;

/**
 * A JPEG engine cannot run here (its natives do not load, or the library lacks the encoder).
 * The message says why; {@link JpegEngines#create()} falls back to ImageIO instead.
 */
public final class JpegEngineUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JpegEngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
