package org.spicecodec.video.ffmpeg;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_QSCALE;
import static org.bytedeco.ffmpeg.global.avutil.AV_OPT_SEARCH_CHILDREN;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.FF_QP2LAMBDA;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_opt_set;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.spicecodec.video.RateControlMode;
import org.spicecodec.video.UnsupportedConfigurationException;
import org.spicecodec.video.VideoEncoderConfig;

/**
 * How a {@link VideoEncoderConfig} becomes FFmpeg options for each encoder.
 *
 * <p>Every encoder is set up for one frame in, one frame out: no B-frames, no lookahead
 * (x264/x265 tune {@code zerolatency}, always added), slice threads only for x264 (its frame
 * threads would hold frames back; FFmpeg's libx264 wrapper decides sliced threads from
 * {@code thread_type}, not from the tune), {@code lag-in-frames=0} and
 * {@code deadline=realtime} for libvpx. {@code thread_count} is the configuration's
 * {@code threads}, 0 (the default) meaning automatic.
 *
 * <table>
 * <caption>Rate control</caption>
 * <tr><th>mode</th><th>x264 / x265</th><th>openh264</th><th>libvpx</th><th>mjpeg</th></tr>
 * <tr><td>CONSTANT_QP</td><td>{@code qp}</td><td>qmin = qmax = QP</td><td>qmin = qmax = QP</td>
 *     <td>fixed qscale (QP 1..31)</td></tr>
 * <tr><td>QP_RANGE</td><td>CRF 23 (x265: 28), QP bounded</td><td>rc_mode quality</td>
 *     <td>constant quality 31, QP bounded</td><td>rejected: no quality target of its own</td></tr>
 * <tr><td>VBR</td><td>ABR with a 600 ms VBV at the bit rate (spice-server's x264enc)</td>
 *     <td>rc_mode bitrate</td><td>VBR</td><td>mpegvideo rate control</td></tr>
 * <tr><td>CBR</td><td>ABR with a 250 ms VBV</td><td>rc_mode bitrate</td>
 *     <td>CBR (min = max rate), 500 ms buffer</td><td>as VBR, max rate = bit rate</td></tr>
 * </table>
 */
final class FfmpegEncoderSettings {
    static final Set<String> X26X_PRESETS = Set.of("ultrafast", "superfast", "veryfast", "faster", "fast",
            "medium", "slow", "slower", "veryslow", "placebo");
    static final Set<String> X264_TUNES = Set.of("film", "animation", "grain", "stillimage", "psnr", "ssim",
            "fastdecode", "zerolatency");
    static final Set<String> X265_TUNES = Set.of("psnr", "ssim", "grain", "fastdecode", "zerolatency", "animation");
    /** 8-bit 4:2:0 profiles; the others need input this backend does not produce. */
    static final Set<String> X264_PROFILES = Set.of("baseline", "main", "high");
    static final Set<String> X265_PROFILES = Set.of("main", "main-intra");
    static final Set<String> OPENH264_PROFILES = Set.of("constrained_baseline", "baseline", "main", "high");

    private FfmpegEncoderSettings() {
    }

    /** Rejects what {@code enc} cannot honour, naming the configuration field. */
    static void validate(VideoEncoderConfig c, FfmpegEncoder enc) {
        if (c.codec() != enc.codec) {
            throw new IllegalArgumentException(enc.ffmpegName + " encodes " + enc.codec + ", not " + c.codec());
        }
        String who = enc.ffmpegName;
        switch (enc) {
            case X264, X265 -> {
                if (c.preset() != null && !X26X_PRESETS.contains(c.preset())) {
                    throw unsupported("preset", who + " presets are " + X26X_PRESETS + ", got '" + c.preset() + "'");
                }
                Set<String> tunes = enc == FfmpegEncoder.X264 ? X264_TUNES : X265_TUNES;
                if (c.tune() != null) {
                    for (String t : c.tune().split(",")) {
                        if (!tunes.contains(t)) {
                            throw unsupported("tune", who + " tunes are " + tunes + ", got '" + c.tune() + "'");
                        }
                    }
                    if (enc == FfmpegEncoder.X265 && c.tune().contains(",")) {
                        throw unsupported("tune", "libx265 takes a single tune, got '" + c.tune() + "'");
                    }
                }
                Set<String> profiles = enc == FfmpegEncoder.X264 ? X264_PROFILES : X265_PROFILES;
                if (c.profile() != null && !profiles.contains(c.profile())) {
                    throw unsupported("profile", who + " with 8-bit 4:2:0 input takes profiles " + profiles
                            + ", got '" + c.profile() + "'");
                }
                if (enc == FfmpegEncoder.X265 && c.slicedThreads()) {
                    throw unsupported("slicedThreads", "libx265 has no sliced threads (x264 only)");
                }
            }
            case OPENH264 -> {
                if (c.preset() != null) {
                    throw unsupported("preset", "libopenh264 has no presets (x264's '" + c.preset()
                            + "' needs the GPL natives: " + FfmpegNatives.GPL_HINT + ")");
                }
                if (c.tune() != null && !c.tune().equals("zerolatency")) {
                    throw unsupported("tune", "libopenh264 has no tunes; it is always zero-latency, got '" + c.tune() + "'");
                }
                if (c.intraRefresh()) {
                    throw unsupported("intraRefresh", "FFmpeg's libopenh264 wrapper has no intra refresh");
                }
                if (c.profile() != null && !OPENH264_PROFILES.contains(c.profile())) {
                    throw unsupported("profile", "libopenh264 profiles are " + OPENH264_PROFILES + ", got '" + c.profile() + "'");
                }
            }
            case VP8, VP9 -> {
                requireNull("preset", c.preset(), who + " has no presets");
                if (c.tune() != null && !c.tune().equals("zerolatency")) {
                    throw unsupported("tune", who + " has no tunes; it runs with lag-in-frames=0 anyway, got '" + c.tune() + "'");
                }
                if (c.intraRefresh()) {
                    throw unsupported("intraRefresh", who + " has no intra refresh");
                }
                if (c.slicedThreads()) {
                    throw unsupported("slicedThreads", who + " has no sliced threads (x264 only)");
                }
                if (c.profile() != null) {
                    boolean ok = enc == FfmpegEncoder.VP8 ? c.profile().matches("[0-3]") : c.profile().equals("0");
                    if (!ok) {
                        throw unsupported("profile", who + " takes profile " + (enc == FfmpegEncoder.VP8 ? "0..3" : "0 (8-bit 4:2:0)")
                                + ", got '" + c.profile() + "'");
                    }
                }
                if (c.slices() > 0) {
                    int max = enc == FfmpegEncoder.VP8 ? 8 : 64;
                    if (Integer.bitCount(c.slices()) != 1 || c.slices() > max) {
                        throw unsupported("slices", who + " takes a power of two up to " + max
                                + (enc == FfmpegEncoder.VP8 ? " token partitions" : " tile columns") + ", got " + c.slices());
                    }
                }
            }
            case MJPEG -> {
                requireNull("preset", c.preset(), "mjpeg has no presets");
                requireNull("tune", c.tune(), "mjpeg has no tunes");
                requireNull("profile", c.profile(), "mjpeg has no profiles");
                if (c.intraRefresh()) {
                    throw unsupported("intraRefresh", "mjpeg frames are all intra; intra refresh does not apply");
                }
                if (c.slicedThreads()) {
                    throw unsupported("slicedThreads", "mjpeg has no sliced threads (x264 only)");
                }
                if (c.rateControl() == RateControlMode.QP_RANGE) {
                    throw unsupported("qpRange", "mjpeg has no quality target of its own to bound: use constantQp or a bit rate");
                }
                if (c.rateControl() == RateControlMode.CONSTANT_QP && c.constantQp() < 1) {
                    throw unsupported("constantQp", "mjpeg qscale is 1..31, got " + c.constantQp());
                }
                if (c.qpMin() == 0) {
                    throw unsupported("qpRange", "mjpeg qscale is 1..31, got qpMin 0");
                }
            }
        }
    }

    private static void requireNull(String field, String value, String why) {
        if (value != null) {
            throw unsupported(field, why + ", got '" + value + "'");
        }
    }

    private static UnsupportedConfigurationException unsupported(String field, String message) {
        return new UnsupportedConfigurationException(field, message);
    }

    /** The pixel format the encoder is fed. */
    static int pixelFormat(FfmpegEncoder enc) {
        // mjpeg wants full-range YUV; swscale produces it for the J format.
        return enc == FfmpegEncoder.MJPEG ? AV_PIX_FMT_YUVJ420P : AV_PIX_FMT_YUV420P;
    }

    /** Sets the context fields and options for a {@code width x height} stream at {@code bitRate}. */
    static void apply(AVCodecContext ctx, VideoEncoderConfig c, FfmpegEncoder enc, int width, int height, long bitRate) {
        int fps = c.frameRate();
        ctx.width(width).height(height).pix_fmt(pixelFormat(enc));
        // Frame-counter timestamps: rate control then sees the nominal frame rate, and the
        // encoders' checks for increasing timestamps cannot fail on a caller's clock.
        ctx.time_base(av_make_q(1, fps)).framerate(av_make_q(fps, 1));
        ctx.max_b_frames(0);
        ctx.thread_count(c.threads());
        // Frame threads (mjpeg, x264) hold frames back; slices keep one frame in, one out.
        ctx.thread_type(FfmpegNatives.FF_THREAD_SLICE);
        if (c.gopLength() > 0) {
            ctx.gop_size(c.gopLength());
        }
        if (c.qpMin() >= 0) {
            ctx.qmin(c.qpMin());
        }
        if (c.qpMax() >= 0) {
            ctx.qmax(c.qpMax());
        }
        List<String> x26xParams = new ArrayList<>();
        switch (enc) {
            case X264 -> {
                opt(ctx, "preset", c.preset() != null ? c.preset() : "medium");
                opt(ctx, "tune", withZeroLatency(c.tune()));
                if (c.profile() != null) {
                    opt(ctx, "profile", c.profile());
                }
                opt(ctx, "aud", "1"); // as spice-server's x264enc aud=true
                opt(ctx, "forced-idr", "1");
                if (c.intraRefresh()) {
                    opt(ctx, "intra-refresh", "1");
                }
                if (c.slices() > 0) {
                    ctx.slices(c.slices());
                }
                x26xRate(ctx, c, bitRate, "23");
            }
            case X265 -> {
                opt(ctx, "preset", c.preset() != null ? c.preset() : "medium");
                opt(ctx, "tune", c.tune() != null ? c.tune() : "zerolatency");
                if (c.profile() != null) {
                    opt(ctx, "profile", c.profile());
                }
                opt(ctx, "forced-idr", "1");
                // zerolatency's settings, whatever the tune; x265 logs to stderr on its own.
                x26xParams.add("bframes=0");
                x26xParams.add("rc-lookahead=0");
                x26xParams.add("frame-threads=1");
                x26xParams.add("log-level=error");
                if (c.intraRefresh()) {
                    x26xParams.add("intra-refresh=1");
                }
                if (c.slices() > 0) {
                    x26xParams.add("slices=" + c.slices());
                }
                if (c.threads() > 0) {
                    x26xParams.add("pools=" + c.threads());
                }
                if (c.qpMin() >= 0) {
                    x26xParams.add("qpmin=" + c.qpMin());
                }
                if (c.qpMax() >= 0) {
                    x26xParams.add("qpmax=" + c.qpMax());
                }
                x26xRate(ctx, c, bitRate, "28");
                opt(ctx, "x265-params", String.join(":", x26xParams));
            }
            case OPENH264 -> {
                if (c.profile() != null) {
                    opt(ctx, "profile", c.profile().equals("baseline") ? "constrained_baseline" : c.profile());
                }
                if (c.slices() > 0) {
                    ctx.slices(c.slices());
                }
                switch (c.rateControl()) {
                    case CONSTANT_QP -> {
                        ctx.qmin(c.constantQp()).qmax(c.constantQp());
                        opt(ctx, "rc_mode", "quality");
                    }
                    case QP_RANGE -> opt(ctx, "rc_mode", "quality");
                    case VBR, CBR -> {
                        opt(ctx, "rc_mode", "bitrate");
                        ctx.bit_rate(bitRate);
                    }
                }
            }
            case VP8, VP9 -> {
                opt(ctx, "deadline", "realtime");
                opt(ctx, "lag-in-frames", "0");
                opt(ctx, "cpu-used", "8");
                if (enc == FfmpegEncoder.VP9) {
                    opt(ctx, "row-mt", "1");
                }
                if (c.profile() != null) {
                    ctx.profile(Integer.parseInt(c.profile()));
                }
                if (c.slices() > 0) {
                    if (enc == FfmpegEncoder.VP8) {
                        ctx.slices(c.slices());
                    } else {
                        opt(ctx, "tile-columns", Integer.toString(Integer.numberOfTrailingZeros(c.slices())));
                    }
                }
                switch (c.rateControl()) {
                    case CONSTANT_QP -> {
                        ctx.qmin(c.constantQp()).qmax(c.constantQp());
                        ctx.bit_rate(100_000_000L); // a cap the pinned QP never reaches
                    }
                    case QP_RANGE -> {
                        // libvpx refuses a quality level outside [qmin, qmax]: keep its default 31 inside.
                        int crf = 31;
                        if (c.qpMax() >= 0) {
                            crf = Math.min(crf, c.qpMax());
                        }
                        if (c.qpMin() >= 0) {
                            crf = Math.max(crf, c.qpMin());
                        }
                        opt(ctx, "crf", Integer.toString(crf));
                        if (enc == FfmpegEncoder.VP8) {
                            ctx.bit_rate(100_000_000L); // VP8's constrained quality needs a cap
                        }
                    }
                    case VBR -> ctx.bit_rate(bitRate);
                    case CBR -> {
                        ctx.bit_rate(bitRate).rc_min_rate(bitRate).rc_max_rate(bitRate);
                        ctx.rc_buffer_size(clampInt(bitRate / 2));
                    }
                }
            }
            case MJPEG -> {
                switch (c.rateControl()) {
                    case CONSTANT_QP -> {
                        ctx.flags(ctx.flags() | AV_CODEC_FLAG_QSCALE);
                        ctx.global_quality(c.constantQp() * FF_QP2LAMBDA);
                    }
                    case VBR -> ctx.bit_rate(bitRate);
                    // FFmpeg's mpegvideo rate control takes a buffer only with a max rate.
                    case CBR -> ctx.bit_rate(bitRate).rc_max_rate(bitRate).rc_buffer_size(clampInt(bitRate));
                    case QP_RANGE -> throw unsupported("qpRange", "mjpeg has no quality target of its own");
                }
            }
        }
    }

    private static void x26xRate(AVCodecContext ctx, VideoEncoderConfig c, long bitRate, String defaultCrf) {
        switch (c.rateControl()) {
            case CONSTANT_QP -> opt(ctx, "qp", Integer.toString(c.constantQp()));
            case QP_RANGE -> opt(ctx, "crf", defaultCrf);
            case VBR -> setVbv(ctx, bitRate, 600);
            case CBR -> setVbv(ctx, bitRate, 250);
        }
    }

    /** The x264/x265 bit rate with a VBV of {@code bufferMillis}; also used while streaming. */
    static void setVbv(AVCodecContext ctx, long bitRate, int bufferMillis) {
        ctx.bit_rate(bitRate).rc_max_rate(bitRate).rc_buffer_size(clampInt(bitRate * bufferMillis / 1000));
    }

    private static int clampInt(long v) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, v));
    }

    private static String withZeroLatency(String tune) {
        if (tune == null) {
            return "zerolatency";
        }
        return tune.contains("zerolatency") ? tune : tune + ",zerolatency";
    }

    private static void opt(AVCodecContext ctx, String key, String value) {
        int r = av_opt_set(ctx, key, value, AV_OPT_SEARCH_CHILDREN);
        if (r < 0) {
            // Our own option names and values: a failure means the natives differ from 8.0.1.
            throw new IllegalStateException("FFmpeg rejected option " + key + "=" + value + ": " + FfmpegNatives.error(r));
        }
    }
}
