package org.spicecodec.cli;

/**
 * A failure to report to the user as one line, with the exit status to return. Commands throw
 * it instead of printing, so that every error leaves through the same handler.
 */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    CliException(String message) {
        this(message, SpicecodecCli.EXIT_FAILURE);
    }

    CliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
