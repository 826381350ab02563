package org.spicecodec.core;

/**
 * Thrown by every spicecodec decoder and parser when its input is truncated, corrupt or
 * hostile. It is the only exception a decoder throws for bad <em>data</em>; bad
 * <em>arguments</em> (a null array, an output buffer that is too small) raise the usual
 * {@link IllegalArgumentException} or {@link NullPointerException}.
 *
 * <p>{@link #offset()} is the byte offset, relative to the start of the encoded stream that
 * was passed in, at which the problem was detected. For bit-oriented formats it is the byte
 * holding the offending bit.
 */
public class MalformedInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long offset;
    private final String reason;

    public MalformedInputException(long offset, String reason) {
        super("Malformed input at offset " + offset + ": " + reason);
        this.offset = offset;
        this.reason = reason;
    }

    /** Byte offset in the encoded stream where the problem was detected. */
    public long offset() {
        return offset;
    }

    /** What was wrong, without the offset. */
    public String reason() {
        return reason;
    }
}
