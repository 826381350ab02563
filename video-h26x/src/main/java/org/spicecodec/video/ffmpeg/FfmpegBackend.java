package org.spicecodec.video.ffmpeg;

import java.util.Objects;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.core.video.VideoDecoder;
import org.spicecodec.video.BackendUnavailableException;
import org.spicecodec.video.FrameCompressor;
import org.spicecodec.video.FramePipeline;
import org.spicecodec.video.VideoBackend;
import org.spicecodec.video.VideoEncoderConfig;

/**
 * The default video backend: FFmpeg through JavaCPP ({@code org.bytedeco:ffmpeg}).
 *
 * <p>Encoders: H.264 with libx264 when the GPL natives ({@code linux-x86_64-gpl}) are loaded,
 * otherwise libopenh264 from the LGPL natives; H.265 with libx265 (GPL natives only); VP8 and
 * VP9 with libvpx; MJPEG with FFmpeg's mjpeg. Decoders: FFmpeg's h264, hevc, vp8, vp9 and
 * mjpeg, present in both builds. Which natives load when both jars are present is explained
 * in {@link FfmpegNatives} (the GPL ones).
 */
public final class FfmpegBackend implements VideoBackend {
    private final String h264Encoder;

    /** H.264 from libx264 when the natives have it, else libopenh264. */
    public FfmpegBackend() {
        this.h264Encoder = null;
    }

    private FfmpegBackend(String h264Encoder) {
        this.h264Encoder = h264Encoder;
    }

    /**
     * A backend that encodes H.264 with this FFmpeg encoder: {@code "libx264"} or
     * {@code "libopenh264"} (for example to stay on the LGPL encoder with GPL natives loaded).
     */
    public static FfmpegBackend withH264Encoder(String name) {
        FfmpegEncoder e = FfmpegEncoder.byName(Objects.requireNonNull(name, "name"));
        if (e.codec != VideoCodecType.H264) {
            throw new IllegalArgumentException(name + " is not an H.264 encoder");
        }
        return new FfmpegBackend(name);
    }

    @Override
    public String name() {
        return "ffmpeg";
    }

    /** The FFmpeg encoder this backend uses for {@code codec} (whether or not it is present). */
    public String encoderName(VideoCodecType codec) {
        return encoderFor(codec).ffmpegName;
    }

    /** Which natives are loaded: FFmpeg's licence line ("GPL version 2 or later", "LGPL version 3 or later"). */
    public static String nativesLicense() {
        return FfmpegNatives.license();
    }

    FfmpegEncoder encoderFor(VideoCodecType codec) {
        return switch (Objects.requireNonNull(codec, "codec")) {
            case H264 -> {
                if (h264Encoder != null) {
                    yield FfmpegEncoder.byName(h264Encoder);
                }
                yield FfmpegNatives.hasEncoder("libx264") ? FfmpegEncoder.X264 : FfmpegEncoder.OPENH264;
            }
            case H265 -> FfmpegEncoder.X265;
            case VP8 -> FfmpegEncoder.VP8;
            case VP9 -> FfmpegEncoder.VP9;
            case MJPEG -> FfmpegEncoder.MJPEG;
        };
    }

    @Override
    public String unavailableReason(VideoCodecType codec) {
        String load = FfmpegNatives.loadError();
        if (load != null) {
            return load;
        }
        FfmpegEncoder e = encoderFor(codec);
        if (FfmpegNatives.hasEncoder(e.ffmpegName)) {
            return null;
        }
        if (e.gpl) {
            return e.ffmpegName + " is only in the GPL natives and the loaded FFmpeg is \"" + FfmpegNatives.license()
                    + "\": " + FfmpegNatives.GPL_HINT
                    + (codec == VideoCodecType.H264 ? "" : "; the LGPL natives have no " + codec + " encoder");
        }
        return "the loaded FFmpeg natives (" + FfmpegNatives.license() + ") have no " + e.ffmpegName + " encoder";
    }

    @Override
    public String decoderUnavailableReason(VideoCodecType codec) {
        String load = FfmpegNatives.loadError();
        if (load != null) {
            return load;
        }
        String d = FfmpegNatives.decoderName(Objects.requireNonNull(codec, "codec"));
        return FfmpegNatives.hasDecoder(d) ? null : "the loaded FFmpeg natives have no " + d + " decoder";
    }

    @Override
    public FrameCompressor openEncoder(VideoEncoderConfig config) {
        Objects.requireNonNull(config, "config");
        String why = unavailableReason(config.codec());
        if (why != null) {
            throw new BackendUnavailableException(why);
        }
        return new FfmpegFrameCompressor(config, encoderFor(config.codec()));
    }

    /** A pipeline that converts the next frame while the previous one encodes (see {@link FramePipeline}). */
    @Override
    public FramePipeline openPipeline(VideoEncoderConfig config, FramePipeline.Sink sink) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(sink, "sink");
        String why = unavailableReason(config.codec());
        if (why != null) {
            throw new BackendUnavailableException(why);
        }
        return new FfmpegFramePipeline(config, encoderFor(config.codec()), sink);
    }

    @Override
    public VideoDecoder openDecoder(VideoCodecType codec) {
        String why = decoderUnavailableReason(codec);
        if (why != null) {
            throw new BackendUnavailableException(why);
        }
        return new FfmpegVideoDecoder(codec);
    }
}
