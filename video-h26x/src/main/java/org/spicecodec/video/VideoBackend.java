package org.spicecodec.video;

import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.core.video.VideoDecoder;

/**
 * A source of video encoders and decoders: FFmpeg, GStreamer or JCodec. {@link VideoBackends}
 * tries them in a configurable order.
 */
public interface VideoBackend {

    /** "ffmpeg", "gstreamer" or "jcodec". */
    String name();

    /**
     * Whether this backend can encode the codec here: {@code null} if it can, otherwise the
     * reason in one line (natives that did not load, a missing GStreamer plugin, a GPL-only
     * encoder on LGPL natives), including what to install.
     */
    String unavailableReason(VideoCodecType codec);

    /** Like {@link #unavailableReason}, for decoding. */
    String decoderUnavailableReason(VideoCodecType codec);

    /**
     * Opens an encoder.
     *
     * @throws BackendUnavailableException       if {@link #unavailableReason} is non-null
     * @throws UnsupportedConfigurationException if the backend cannot honour the configuration
     */
    FrameCompressor openEncoder(VideoEncoderConfig config);

    /**
     * Opens an encoder as a {@link FramePipeline}. Backends that can overlap one frame's
     * conversion with the previous frame's encoding do (FFmpeg); the default encodes each
     * frame inside {@code submit}, through {@link FramePipeline#synchronous}.
     */
    default FramePipeline openPipeline(VideoEncoderConfig config, FramePipeline.Sink sink) {
        java.util.Objects.requireNonNull(sink, "sink");
        return FramePipeline.synchronous(openEncoder(config), sink);
    }

    /** Opens a decoder; frames come out as BGRx. */
    VideoDecoder openDecoder(VideoCodecType codec);
}
