package org.spicecodec.video;

import java.util.Objects;
import org.spicecodec.core.video.VideoCodecType;

/**
 * One typed configuration for every video backend. Immutable; build with {@link #builder}.
 *
 * <p>Backends map it onto their own options (x264/x265 parameters, FFmpeg AVOptions,
 * GStreamer element properties) and throw {@link UnsupportedConfigurationException} for a
 * combination they cannot honour, naming the field. Values that are "unset" ({@code -1},
 * {@code null}) leave the backend's default.
 *
 * <p>{@link #spice(VideoCodecType)} gives the settings of spice-server's GStreamer pipelines
 * (streams.md §5.1): for H.264 QP 15–35, ultrafast, zerolatency, sliced threads, intra refresh.
 */
public final class VideoEncoderConfig {
    private final VideoCodecType codec;
    private final RateControlMode rateControl;
    private final int qpMin;
    private final int qpMax;
    private final int constantQp;
    private final long bitRate;
    private final String preset;
    private final String tune;
    private final boolean intraRefresh;
    private final int gopLength;
    private final int threads;
    private final int slices;
    private final boolean slicedThreads;
    private final String profile;
    private final int frameRate;

    private VideoEncoderConfig(Builder b) {
        this.codec = b.codec;
        this.rateControl = b.rateControl;
        this.qpMin = b.qpMin;
        this.qpMax = b.qpMax;
        this.constantQp = b.constantQp;
        this.bitRate = b.bitRate;
        this.preset = b.preset;
        this.tune = b.tune;
        this.intraRefresh = b.intraRefresh;
        this.gopLength = b.gopLength;
        this.threads = b.threads;
        this.slices = b.slices;
        this.slicedThreads = b.slicedThreads;
        this.profile = b.profile;
        this.frameRate = b.frameRate;
    }

    public static Builder builder(VideoCodecType codec) {
        return new Builder(codec);
    }

    /** spice-server's settings for this codec (streams.md §5.1), at its 8 Mibit/s default start. */
    public static VideoEncoderConfig spice(VideoCodecType codec) {
        Builder b = builder(codec).frameRate(30);
        switch (codec) {
            case H264 -> b.rateControl(RateControlMode.VBR).bitRate(8L * 1024 * 1024).qpRange(15, 35)
                    .preset("ultrafast").tune("zerolatency").slicedThreads(true).intraRefresh(true);
            case H265 -> b.rateControl(RateControlMode.VBR).bitRate(8L * 1024 * 1024)
                    .preset("ultrafast").tune("zerolatency").profile("main");
            case VP8, VP9 -> b.rateControl(RateControlMode.CBR).bitRate(8L * 1024 * 1024).qpRange(10, 63);
            case MJPEG -> b.rateControl(RateControlMode.VBR).bitRate(8L * 1024 * 1024);
            default -> throw new IllegalArgumentException(codec.toString());
        }
        return b.build();
    }

    public Builder toBuilder() {
        Builder b = new Builder(codec);
        b.rateControl = rateControl;
        b.qpMin = qpMin;
        b.qpMax = qpMax;
        b.constantQp = constantQp;
        b.bitRate = bitRate;
        b.preset = preset;
        b.tune = tune;
        b.intraRefresh = intraRefresh;
        b.gopLength = gopLength;
        b.threads = threads;
        b.slices = slices;
        b.slicedThreads = slicedThreads;
        b.profile = profile;
        b.frameRate = frameRate;
        return b;
    }

    public VideoCodecType codec() {
        return codec;
    }

    public RateControlMode rateControl() {
        return rateControl;
    }

    /** Lowest QP the encoder may use, or -1 for the backend's default. */
    public int qpMin() {
        return qpMin;
    }

    /** Highest QP the encoder may use, or -1 for the backend's default. */
    public int qpMax() {
        return qpMax;
    }

    /** The QP of every frame in {@link RateControlMode#CONSTANT_QP}, else -1. */
    public int constantQp() {
        return constantQp;
    }

    /** Target bits/s for VBR and CBR (SPICE's rate control changes it while streaming), else 0. */
    public long bitRate() {
        return bitRate;
    }

    /** x264/x265 preset name ("ultrafast" … "placebo"), or null. */
    public String preset() {
        return preset;
    }

    /** x264/x265 tune ("zerolatency", "film", …), or null. */
    public String tune() {
        return tune;
    }

    /** Periodic intra refresh instead of key frames (x264 {@code intra-refresh}). */
    public boolean intraRefresh() {
        return intraRefresh;
    }

    /** Frames between key frames, or -1 for the backend's default. */
    public int gopLength() {
        return gopLength;
    }

    /** Encoder threads; 0 lets the backend choose from the cores. */
    public int threads() {
        return threads;
    }

    /** Slices per frame, or -1 for the backend's default. */
    public int slices() {
        return slices;
    }

    /** Slice-based threading (x264 {@code sliced-threads}), which adds no frame of latency. */
    public boolean slicedThreads() {
        return slicedThreads;
    }

    /** Codec profile ("baseline", "main", "high", …), or null. */
    public String profile() {
        return profile;
    }

    /** Nominal input frame rate, for time bases and rate control. */
    public int frameRate() {
        return frameRate;
    }

    @Override
    public String toString() {
        return "VideoEncoderConfig{" + codec + ", " + rateControl
                + (constantQp >= 0 ? ", qp=" + constantQp : "")
                + (qpMin >= 0 || qpMax >= 0 ? ", qp " + qpMin + ".." + qpMax : "")
                + (bitRate > 0 ? ", " + bitRate + " bit/s" : "")
                + (preset != null ? ", preset=" + preset : "")
                + (tune != null ? ", tune=" + tune : "")
                + (intraRefresh ? ", intra-refresh" : "")
                + (gopLength >= 0 ? ", gop=" + gopLength : "")
                + ", threads=" + threads
                + (slices >= 0 ? ", slices=" + slices : "")
                + (slicedThreads ? ", sliced-threads" : "")
                + (profile != null ? ", profile=" + profile : "")
                + ", " + frameRate + " fps}";
    }

    public static final class Builder {
        private final VideoCodecType codec;
        private RateControlMode rateControl = RateControlMode.QP_RANGE;
        private int qpMin = -1;
        private int qpMax = -1;
        private int constantQp = -1;
        private long bitRate;
        private String preset;
        private String tune;
        private boolean intraRefresh;
        private int gopLength = -1;
        private int threads;
        private int slices = -1;
        private boolean slicedThreads;
        private String profile;
        private int frameRate = 30;

        private Builder(VideoCodecType codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
        }

        public Builder rateControl(RateControlMode mode) {
            this.rateControl = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** Bounds the QP; switches the mode to QP_RANGE unless a bit rate mode is already chosen. */
        public Builder qpRange(int min, int max) {
            this.qpMin = min;
            this.qpMax = max;
            return this;
        }

        /** Every frame at this QP; switches the mode to CONSTANT_QP. */
        public Builder constantQp(int qp) {
            this.constantQp = qp;
            this.rateControl = RateControlMode.CONSTANT_QP;
            return this;
        }

        /** Target bits/s; switches QP_RANGE or CONSTANT_QP to VBR. */
        public Builder bitRate(long bitsPerSecond) {
            this.bitRate = bitsPerSecond;
            if (rateControl == RateControlMode.QP_RANGE || rateControl == RateControlMode.CONSTANT_QP) {
                rateControl = RateControlMode.VBR;
                constantQp = -1;
            }
            return this;
        }

        public Builder preset(String preset) {
            this.preset = preset;
            return this;
        }

        public Builder tune(String tune) {
            this.tune = tune;
            return this;
        }

        public Builder intraRefresh(boolean on) {
            this.intraRefresh = on;
            return this;
        }

        public Builder gopLength(int frames) {
            this.gopLength = frames;
            return this;
        }

        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder slices(int slices) {
            this.slices = slices;
            return this;
        }

        public Builder slicedThreads(boolean on) {
            this.slicedThreads = on;
            return this;
        }

        public Builder profile(String profile) {
            this.profile = profile;
            return this;
        }

        public Builder frameRate(int fps) {
            this.frameRate = fps;
            return this;
        }

        /** Checks what holds for every backend; backends check the rest when they open. */
        public VideoEncoderConfig build() {
            int maxQp = switch (codec) {
                case H264, H265 -> 51;
                case VP8, VP9 -> 63;
                case MJPEG -> 31;
            };
            if (qpMin < -1 || qpMin > maxQp || qpMax < -1 || qpMax > maxQp) {
                throw new UnsupportedConfigurationException("qpRange", "QP must be 0.." + maxQp + " for " + codec
                        + ", got " + qpMin + ".." + qpMax);
            }
            if (qpMin >= 0 && qpMax >= 0 && qpMin > qpMax) {
                throw new UnsupportedConfigurationException("qpRange", "qpMin " + qpMin + " > qpMax " + qpMax);
            }
            switch (rateControl) {
                case CONSTANT_QP -> {
                    if (constantQp < 0 || constantQp > maxQp) {
                        throw new UnsupportedConfigurationException("constantQp",
                                "CONSTANT_QP needs a QP in 0.." + maxQp + " for " + codec + ", got " + constantQp);
                    }
                    if (bitRate > 0) {
                        throw new UnsupportedConfigurationException("bitRate", "CONSTANT_QP takes no bit rate");
                    }
                }
                case VBR, CBR -> {
                    if (bitRate <= 0) {
                        throw new UnsupportedConfigurationException("bitRate", rateControl + " needs a bit rate > 0");
                    }
                }
                case QP_RANGE -> {
                    if (bitRate > 0) {
                        throw new UnsupportedConfigurationException("bitRate", "QP_RANGE takes no bit rate; use VBR");
                    }
                }
            }
            if (threads < 0 || threads > 64) {
                throw new UnsupportedConfigurationException("threads", "threads must be 0 (auto)..64, got " + threads);
            }
            if (slices < -1 || slices == 0 || slices > 64) {
                throw new UnsupportedConfigurationException("slices", "slices must be 1..64 or -1, got " + slices);
            }
            if (gopLength < -1 || gopLength == 0) {
                throw new UnsupportedConfigurationException("gopLength", "gopLength must be >= 1 or -1, got " + gopLength);
            }
            if (frameRate < 1 || frameRate > 240) {
                throw new UnsupportedConfigurationException("frameRate", "frameRate must be 1..240, got " + frameRate);
            }
            return new VideoEncoderConfig(this);
        }
    }
}
