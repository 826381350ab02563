package org.spicecodec.video.ffmpeg;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.spicecodec.core.video.VideoCodecType;

/**
 * Loads the FFmpeg natives once and says which encoders they have.
 *
 * <p>Which natives: {@code org.bytedeco:ffmpeg:linux-x86_64} is LGPL and has libopenh264,
 * libvpx and mjpeg but neither libx264 nor libx265; {@code linux-x86_64-gpl} adds both. The
 * two jars keep their libraries in different folders ({@code linux-x86_64} and
 * {@code linux-x86_64-gpl}), and JavaCPP's FFmpeg presets try the "-gpl" platform extension
 * before the plain one, so when both jars are on the class path the GPL natives load,
 * whatever the class-path order. The system property
 * {@code org.bytedeco.javacpp.platform.extension} (empty to force the LGPL ones) overrides
 * that; removing the gpl jar is the sure way to ship LGPL only.
 *
 * <p>FFmpeg's log goes to stderr. It is set to {@code AV_LOG_FATAL} because decoding corrupt
 * frames (which this library reports as {@code MalformedInputException}) would otherwise
 * print a line per error; the system property {@code spicecodec.ffmpeg.logLevel} (an
 * {@code AV_LOG_*} number, e.g. 16 for errors, 32 for info) changes it.
 */
final class FfmpegNatives {
    static final String VERSION = "8.0.1-1.5.13";
    static final String GPL_HINT = "add org.bytedeco:ffmpeg:" + VERSION + ":linux-x86_64-gpl (GPL-2.0+; "
            + "see the README's Licences section) to the class path";

    /** libavcodec's FF_THREAD_SLICE, which the JavaCPP presets do not map. */
    static final int FF_THREAD_SLICE = 2;
    /** libavutil's AV_FRAME_FLAG_CORRUPT (1 << 0), which the JavaCPP presets do not map. */
    static final int AV_FRAME_FLAG_CORRUPT = 1;

    /** Null when the natives loaded, else why not. */
    private static final String LOAD_ERROR = load();

    private FfmpegNatives() {
    }

    private static String load() {
        try {
            Loader.load(avutil.class);
            Loader.load(avcodec.class);
            Loader.load(swscale.class);
            avutil.av_log_set_level(Integer.getInteger("spicecodec.ffmpeg.logLevel", avutil.AV_LOG_FATAL));
            return null;
        } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError, ExceptionInInitializerError
            return "the FFmpeg natives did not load (" + t + "); add org.bytedeco:ffmpeg:" + VERSION
                    + ":linux-x86_64 (LGPL) or :linux-x86_64-gpl for " + Loader.getPlatform();
        }
    }

    /** Null if the natives loaded, else the reason. */
    static String loadError() {
        return LOAD_ERROR;
    }

    static void requireLoaded() {
        if (LOAD_ERROR != null) {
            throw new org.spicecodec.video.BackendUnavailableException(LOAD_ERROR);
        }
    }

    static boolean hasEncoder(String name) {
        if (LOAD_ERROR != null) {
            return false;
        }
        AVCodec c = avcodec_find_encoder_by_name(name);
        return c != null && !c.isNull();
    }

    static boolean hasDecoder(String name) {
        if (LOAD_ERROR != null) {
            return false;
        }
        AVCodec c = avcodec_find_decoder_by_name(name);
        return c != null && !c.isNull();
    }

    /** "GPL version 2 or later" or "LGPL version 3 or later": which natives were loaded. */
    static String license() {
        if (LOAD_ERROR != null) {
            return "not loaded";
        }
        BytePointer p = avcodec.avcodec_license();
        return p == null ? "unknown" : p.getString();
    }

    /** The FFmpeg decoder for a SPICE codec. */
    static String decoderName(VideoCodecType codec) {
        return switch (codec) {
            case H264 -> "h264";
            case H265 -> "hevc";
            case VP8 -> "vp8";
            case VP9 -> "vp9";
            case MJPEG -> "mjpeg";
        };
    }

    /** An AVERROR as text, for messages (allocates: error paths only). */
    static String error(int err) {
        BytePointer buf = new BytePointer(256);
        try {
            buf.fill(0);
            avutil.av_strerror(err, buf, 255);
            byte[] b = new byte[256];
            buf.get(b);
            int n = 0;
            while (n < b.length && b[n] != 0) {
                n++;
            }
            return new String(b, 0, n, java.nio.charset.StandardCharsets.UTF_8) + " (" + err + ")";
        } finally {
            buf.close();
        }
    }
}
