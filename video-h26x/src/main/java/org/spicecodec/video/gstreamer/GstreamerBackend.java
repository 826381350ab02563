package org.spicecodec.video.gstreamer;

import java.util.Objects;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.core.video.VideoDecoder;
import org.spicecodec.video.BackendUnavailableException;
import org.spicecodec.video.FrameCompressor;
import org.spicecodec.video.UnsupportedConfigurationException;
import org.spicecodec.video.VideoBackend;
import org.spicecodec.video.VideoEncoderConfig;

/**
 * The GStreamer backend: Debian's GStreamer 1.x through gst1-java-core and JNA.
 *
 * <p>{@link #openEncoder(VideoEncoderConfig)} builds a pipeline from the configuration;
 * {@link #openEncoder(VideoEncoderConfig, String)} runs any description from
 * {@code appsrc ... name=src} to {@code appsink name=sink}, for example spice-server's own
 * ({@link GstreamerPipelines#SPICE_H264}, {@link GstreamerPipelines#SPICE_H265}, ...). With a
 * user description the configuration gives only the codec and the frame rate; the elements'
 * properties are the description's. Decoders take H.264 and H.265.
 *
 * <p>Constructing the backend does nothing native: GStreamer is initialised (once per JVM)
 * by the first availability check or open. Without libgstreamer, or without a plugin, the
 * checks return the reason and opening throws {@link BackendUnavailableException} with it.
 */
public final class GstreamerBackend implements VideoBackend {

    /** Public no-arg constructor for {@code VideoBackends}' reflection. */
    public GstreamerBackend() {
    }

    @Override
    public String name() {
        return "gstreamer";
    }

    @Override
    public String unavailableReason(VideoCodecType codec) {
        Objects.requireNonNull(codec, "codec");
        return GstRuntime.missing(GstreamerPipelines.encoderElements(codec));
    }

    @Override
    public String decoderUnavailableReason(VideoCodecType codec) {
        Objects.requireNonNull(codec, "codec");
        if (codec != VideoCodecType.H264 && codec != VideoCodecType.H265) {
            return "the GStreamer backend decodes H.264 and H.265 only, not " + codec;
        }
        return GstRuntime.missing(GstreamerPipelines.decoderElements(codec));
    }

    /**
     * Opens an encoder whose pipeline is built from {@code config}.
     *
     * @throws BackendUnavailableException       if GStreamer or the codec's plugin is missing
     * @throws UnsupportedConfigurationException if the elements cannot honour the configuration
     */
    @Override
    public FrameCompressor openEncoder(VideoEncoderConfig config) {
        Objects.requireNonNull(config, "config");
        GstreamerPipelines.check(config);
        requireAvailable(unavailableReason(config.codec()));
        return new GstreamerFrameCompressor(config, null);
    }

    /**
     * Opens an encoder running {@code pipelineDescription}, which must contain
     * {@code appsrc name=src} and {@code appsink name=sink}; the element named {@code encoder},
     * if any, gets SPICE's bit-rate changes. The description is parsed now, so syntax errors
     * and missing plugins surface here rather than on the first frame.
     *
     * @throws UnsupportedConfigurationException for a description GStreamer cannot parse or
     *         without the two app elements (field "pipeline")
     * @throws BackendUnavailableException       if GStreamer or an element's plugin is missing
     */
    public GstreamerFrameCompressor openEncoder(VideoEncoderConfig config, String pipelineDescription) {
        Objects.requireNonNull(config, "config");
        GstreamerPipelines.checkDescription(pipelineDescription);
        requireAvailable(GstRuntime.initFailure());
        // Parse once to report errors at open; frames start their own copy with the right caps.
        AppPipeline.parse(pipelineDescription).close();
        return new GstreamerFrameCompressor(config, pipelineDescription);
    }

    /** Opens a decoder on {@link GstreamerPipelines#decoder}. */
    @Override
    public VideoDecoder openDecoder(VideoCodecType codec) {
        requireAvailable(decoderUnavailableReason(codec));
        return new GstreamerDecoder(codec, GstreamerPipelines.decoder(codec));
    }

    /**
     * Opens a decoder on a user description from {@code appsrc name=src} to an
     * {@code appsink name=sink} that receives BGRx, such as
     * {@link GstreamerPipelines#H264_DECODEBIN}.
     */
    public GstreamerDecoder openDecoder(VideoCodecType codec, String pipelineDescription) {
        Objects.requireNonNull(codec, "codec");
        if (codec != VideoCodecType.H264 && codec != VideoCodecType.H265) {
            throw new UnsupportedConfigurationException("codec", "the GStreamer backend decodes H.264 and H.265 only, not "
                    + codec);
        }
        GstreamerPipelines.checkDescription(pipelineDescription);
        requireAvailable(GstRuntime.initFailure());
        return new GstreamerDecoder(codec, pipelineDescription);
    }

    private static void requireAvailable(String reason) {
        if (reason != null) {
            throw new BackendUnavailableException("GStreamer backend: " + reason);
        }
    }
}
