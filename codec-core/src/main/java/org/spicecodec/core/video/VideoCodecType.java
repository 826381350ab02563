package org.spicecodec.core.video;

/** SPICE's stream codec types, with their protocol values (SPICE_VIDEO_CODEC_TYPE_*). */
public enum VideoCodecType {
    MJPEG(1),
    VP8(2),
    H264(3),
    VP9(4),
    /** Defined by the protocol and decoded by spice-gtk; spice-server itself never produces it. */
    H265(5);

    private final int value;

    VideoCodecType(int value) {
        this.value = value;
    }

    /** The value sent in STREAM_CREATE's codec_type. */
    public int value() {
        return value;
    }

    /** The codec with this protocol value. */
    public static VideoCodecType fromValue(int value) {
        for (VideoCodecType t : values()) {
            if (t.value == value) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown SPICE video codec type " + value);
    }
}
