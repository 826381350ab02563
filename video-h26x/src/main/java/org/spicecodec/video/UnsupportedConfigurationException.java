package org.spicecodec.video;

/** A configuration that a backend (or every backend) cannot honour; names the field at fault. */
public class UnsupportedConfigurationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public UnsupportedConfigurationException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The configuration field (builder method) that cannot be honoured. */
    public String field() {
        return field;
    }
}
