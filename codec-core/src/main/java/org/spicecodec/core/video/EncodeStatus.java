package org.spicecodec.core.video;

/** The outcome of {@link VideoEncoder#encodeFrame}, as VIDEO_ENCODER_FRAME_* in spice-server. */
public enum EncodeStatus {
    /** The frame was encoded into the caller's {@link EncodedFrame}. */
    DONE,
    /** Rate control skipped this frame; the caller sends nothing for it. */
    DROP,
    /**
     * The encoder cannot take this frame (pixel format, size, or a backend failure); the
     * server then sends the frame as an ordinary image instead.
     */
    UNSUPPORTED
}
