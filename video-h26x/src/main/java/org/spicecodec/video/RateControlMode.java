package org.spicecodec.video;

/** How an encoder spends bits. */
public enum RateControlMode {
    /** Every frame at {@link VideoEncoderConfig#constantQp()}. */
    CONSTANT_QP,
    /** The encoder picks QPs inside [{@code qpMin}, {@code qpMax}] at its own quality target (x264's CRF). */
    QP_RANGE,
    /** Average bit rate {@link VideoEncoderConfig#bitRate()}, QPs still bounded by the range. */
    VBR,
    /** Constant bit rate with a short VBV buffer, as SPICE's VPx pipelines use. */
    CBR
}
