package org.spicecodec.video;

/**
 * A backend cannot run here: its natives did not load, a GStreamer plugin is missing, or it
 * has no encoder for the codec. The message says which, and what to install.
 */
public class BackendUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BackendUnavailableException(String message) {
        super(message);
    }

    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
