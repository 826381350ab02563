package org.spicecodec.video.jcodec;

import java.util.Objects;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.core.video.VideoDecoder;
import org.spicecodec.video.BackendUnavailableException;
import org.spicecodec.video.FrameCompressor;
import org.spicecodec.video.VideoBackend;
import org.spicecodec.video.VideoEncoderConfig;

/**
 * The pure-Java backend: JCodec 0.2.5's H.264 encoder and decoder. Slow (a few 1080p frames
 * per second) but needs no natives, so it is the last resort of {@link
 * org.spicecodec.video.VideoBackends}. See {@link JcodecH264Compressor} for what it can and
 * cannot be configured to do.
 */
public final class JcodecBackend implements VideoBackend {

    /** Instantiated by {@link org.spicecodec.video.VideoBackends#builtIn} through reflection. */
    public JcodecBackend() {
    }

    @Override
    public String name() {
        return "jcodec";
    }

    @Override
    public String unavailableReason(VideoCodecType codec) {
        Objects.requireNonNull(codec, "codec");
        return codec == VideoCodecType.H264 ? null
                : "JCodec encodes only H.264; use the FFmpeg or GStreamer backend for " + codec;
    }

    @Override
    public String decoderUnavailableReason(VideoCodecType codec) {
        Objects.requireNonNull(codec, "codec");
        return codec == VideoCodecType.H264 ? null
                : "the JCodec backend decodes only H.264; use the FFmpeg or GStreamer backend for " + codec;
    }

    /**
     * The configuration without the x264 options JCodec rejects (preset, tune, intra refresh,
     * sliced threads, slice and thread counts, profile), keeping codec, rate control, QPs, bit
     * rate, GOP and frame rate. For callers that fall back to JCodec on purpose, e.g. with
     * {@code VideoEncoderConfig.spice(H264)}; {@link #openEncoder} itself never drops options.
     */
    public static VideoEncoderConfig withoutX264Options(VideoEncoderConfig config) {
        return config.toBuilder().preset(null).tune(null).intraRefresh(false).slicedThreads(false)
                .slices(-1).threads(0).profile(null).build();
    }

    @Override
    public FrameCompressor openEncoder(VideoEncoderConfig config) {
        String reason = unavailableReason(config.codec());
        if (reason != null) {
            throw new BackendUnavailableException(reason);
        }
        return new JcodecH264Compressor(config);
    }

    @Override
    public VideoDecoder openDecoder(VideoCodecType codec) {
        String reason = decoderUnavailableReason(codec);
        if (reason != null) {
            throw new BackendUnavailableException(reason);
        }
        return new JcodecH264Decoder();
    }
}
