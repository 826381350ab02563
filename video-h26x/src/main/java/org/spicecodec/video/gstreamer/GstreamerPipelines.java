package org.spicecodec.video.gstreamer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.video.RateControlMode;
import org.spicecodec.video.UnsupportedConfigurationException;
import org.spicecodec.video.VideoEncoderConfig;

/**
 * GStreamer pipeline descriptions: spice-server's own (streams.md §5.1), verbatim, and the
 * ones built from a {@link VideoEncoderConfig}.
 *
 * <p>Every encoder pipeline starts with {@code appsrc ... name=src} and ends with
 * {@code appsink name=sink}; the element whose bit rate SPICE's rate control changes is named
 * {@code encoder}. A user-given description must have the first two and should have the third.
 */
public final class GstreamerPipelines {
    /** The head every spice-server encoder pipeline shares. */
    public static final String SPICE_SOURCE = "appsrc is-live=true format=time do-timestamp=true name=src ! videoconvert ! ";

    /** H.264 as the SPICE issue gives it (x264enc's {@code aud} defaults to true anyway). */
    public static final String SPICE_H264 = SPICE_SOURCE
            + "x264enc name=encoder byte-stream=true qp-min=15 qp-max=35 tune=4 sliced-threads=true"
            + " speed-preset=ultrafast intra-refresh=true ! appsink name=sink";

    /** H.264 exactly as spice-server builds it (streams.md §5.1), with {@code aud=true}. */
    public static final String SPICE_SERVER_H264 = SPICE_SOURCE
            + "x264enc name=encoder byte-stream=true aud=true qp-min=15 qp-max=35 tune=4 sliced-threads=true"
            + " speed-preset=ultrafast intra-refresh=true ! appsink name=sink";

    /**
     * H.265 as the SPICE issue gives it (spice-server itself has none, streams.md §5.1). Its caps
     * pin I420 and the Main profile, so x265 rejects odd frame sizes with this pipeline.
     */
    public static final String SPICE_H265 = SPICE_SOURCE
            + "video/x-raw,format=I420 ! x265enc name=encoder tune=4 speed-preset=ultrafast"
            + " ! video/x-h265,stream-format=byte-stream,alignment=au,profile=main ! appsink name=sink";

    /** VP8 as spice-server builds it for GStreamer 1.x. */
    public static final String SPICE_VP8 = SPICE_SOURCE
            + "vp8enc name=encoder end-usage=cbr min-quantizer=10 error-resilient=default lag-in-frames=0"
            + " deadline=1 cpu-used=4 ! appsink name=sink";

    /** VP9 as spice-server builds it for GStreamer 1.x. */
    public static final String SPICE_VP9 = SPICE_SOURCE
            + "vp9enc name=encoder end-usage=cbr min-quantizer=10 error-resilient=default lag-in-frames=0"
            + " deadline=1 cpu-used=4 ! appsink name=sink";

    /** MJPEG as spice-server builds it; the encoder runs it without a pipeline clock. */
    public static final String SPICE_MJPEG = SPICE_SOURCE + "avenc_mjpeg name=encoder ! appsink name=sink";

    /** H.264 decoder with an explicit parser and libav decoder. */
    public static final String H264_DECODER =
            "appsrc name=src ! h264parse ! avdec_h264 ! videoconvert ! video/x-raw,format=BGRx ! appsink name=sink";
    /** H.264 decoder through decodebin, which picks the decoder itself. */
    public static final String H264_DECODEBIN =
            "appsrc name=src ! decodebin ! videoconvert ! video/x-raw,format=BGRx ! appsink name=sink";
    /** H.265 decoder with an explicit parser and libav decoder. */
    public static final String H265_DECODER =
            "appsrc name=src ! h265parse ! avdec_h265 ! videoconvert ! video/x-raw,format=BGRx ! appsink name=sink";
    /** H.265 decoder through decodebin. */
    public static final String H265_DECODEBIN = H264_DECODEBIN;

    /**
     * Colorimetry pinned on the raw caps of built pipelines: BT.601 limited range at every size.
     * Without it videoconvert picks BT.709 above 576 lines and x264enc/x265enc signal that in
     * the VUI, while SPICE clients that ignore the VUI (and FFmpeg's swscale, which assumes
     * BT.601) then show shifted colours (−4 dB PSNR at 1280x720); VP8 cannot signal a matrix
     * at all, so its decoders assume BT.601. The SPICE pipelines stay verbatim.
     */
    static final String COLORIMETRY = "colorimetry=bt601";

    /** avenc_mjpeg's {@code quantizer} property stops at 30; MJPEG's qscale goes to 31. */
    static final int MJPEG_MAX_QSCALE = 31;

    /** Longest pipeline description accepted, so a hostile string never reaches the parser. */
    static final int MAX_DESCRIPTION = 16 * 1024;

    private static final Set<String> X264_PRESETS = Set.of("ultrafast", "superfast", "veryfast", "faster",
            "fast", "medium", "slow", "slower", "veryslow", "placebo");
    private static final Set<String> X264_TUNE_FLAGS = Set.of("stillimage", "fastdecode", "zerolatency");
    private static final Set<String> X264_PSY_TUNES = Set.of("film", "animation", "grain", "psnr", "ssim");
    private static final Set<String> X265_TUNES = Set.of("psnr", "ssim", "grain", "zerolatency", "fastdecode",
            "animation");

    private GstreamerPipelines() {
    }

    /** spice-server's pipeline for the codec (the verbatim H.264 and H.265 ones). */
    public static String spice(VideoCodecType codec) {
        return switch (codec) {
            case H264 -> SPICE_H264;
            case H265 -> SPICE_H265;
            case VP8 -> SPICE_VP8;
            case VP9 -> SPICE_VP9;
            case MJPEG -> SPICE_MJPEG;
        };
    }

    /** The explicit parser + libav decoder pipeline for H.264 or H.265. */
    public static String decoder(VideoCodecType codec) {
        return switch (codec) {
            case H264 -> H264_DECODER;
            case H265 -> H265_DECODER;
            default -> throw new UnsupportedConfigurationException("codec",
                    "the GStreamer backend decodes H.264 and H.265, not " + codec);
        };
    }

    /** The elements a built pipeline for this codec needs. */
    static String[] encoderElements(VideoCodecType codec) {
        return new String[] {"appsrc", "videoconvert", encoderElement(codec), "appsink"};
    }

    static String[] decoderElements(VideoCodecType codec) {
        return codec == VideoCodecType.H264
                ? new String[] {"appsrc", "h264parse", "avdec_h264", "videoconvert", "appsink"}
                : new String[] {"appsrc", "h265parse", "avdec_h265", "videoconvert", "appsink"};
    }

    static String encoderElement(VideoCodecType codec) {
        return switch (codec) {
            case H264 -> "x264enc";
            case H265 -> "x265enc";
            case VP8 -> "vp8enc";
            case VP9 -> "vp9enc";
            case MJPEG -> "avenc_mjpeg";
        };
    }

    /**
     * Checks that {@link #forConfig} can express the configuration, so that opening fails
     * rather than the first frame.
     *
     * @throws UnsupportedConfigurationException naming the field GStreamer's elements cannot honour
     */
    public static void check(VideoEncoderConfig config) {
        forConfig(config, 64, 64);
        if (isFourTwoZeroProfile(config)) {
            return;
        }
        forConfig(config, 63, 63);
    }

    /**
     * The pipeline for {@code config} and a {@code width x height} input.
     *
     * <p>H.264 and H.265 get I420 for even sizes; odd sizes cannot be coded in 4:2:0 (the
     * cropping unit is two pixels), so they get Y444 (High 4:4:4 / Main 4:4:4) unless the
     * configuration pins a 4:2:0 profile, which then fails. The x264 bit rate is in kbit/s of
     * 1024 bits, as spice-server computes it. H.26x and VPx input is converted with BT.601
     * limited range at every size ({@link #COLORIMETRY}), as FFmpeg's encoders do. MJPEG's
     * constant QP is avenc_mjpeg's qscale (1..31), pinned with {@code qmin = qmax}.
     *
     * @throws UnsupportedConfigurationException for what the elements cannot honour
     */
    public static String forConfig(VideoEncoderConfig config, int width, int height) {
        boolean odd = (width & 1) != 0 || (height & 1) != 0;
        return switch (config.codec()) {
            case H264 -> x264(config, odd);
            case H265 -> x265(config, odd);
            case VP8, VP9 -> vpx(config);
            case MJPEG -> mjpeg(config);
        };
    }

    static boolean isFourTwoZeroProfile(VideoEncoderConfig config) {
        String p = config.profile();
        return p != null && !p.contains("4:4:4") && !p.contains("444");
    }

    private static String x264(VideoEncoderConfig c, boolean odd) {
        List<String> o = new ArrayList<>();
        o.add("byte-stream=true");
        switch (c.rateControl()) {
            case CONSTANT_QP -> {
                o.add("pass=quant");
                o.add("quantizer=" + Math.min(c.constantQp(), 50));
                if (c.constantQp() > 50) {
                    throw unsupported("constantQp", "x264enc's quantizer is 0..50, got " + c.constantQp());
                }
            }
            // x264enc's "qual" pass is x264's CRF; 23 is x264's own default quality.
            case QP_RANGE -> o.add("pass=qual quantizer=23");
            case VBR, CBR -> {
                o.add("pass=cbr");
                o.add("bitrate=" + clamp(c.bitRate() / 1024, 1, 2048000));
                if (c.rateControl() == RateControlMode.CBR) {
                    // SPICE's virtual buffer holds 300 ms (streams.md §5.2).
                    o.add("vbv-buf-capacity=300");
                }
            }
        }
        if (c.qpMin() >= 0) {
            o.add("qp-min=" + c.qpMin());
        }
        if (c.qpMax() >= 0) {
            o.add("qp-max=" + c.qpMax());
        }
        if (c.preset() != null) {
            o.add("speed-preset=" + preset(c.preset(), X264_PRESETS, "x264enc"));
        }
        // The encoder pulls one output per input (streams.md §5.1), which needs x264's
        // zerolatency tune (no B-frames, no look-ahead, no frame threads): always set.
        List<String> flags = new ArrayList<>(List.of("zerolatency"));
        String psy = null;
        if (c.tune() != null) {
            for (String t : c.tune().toLowerCase(Locale.ROOT).split("[,+]")) {
                t = t.trim();
                if (X264_TUNE_FLAGS.contains(t)) {
                    if (!flags.contains(t)) {
                        flags.add(t);
                    }
                } else if (X264_PSY_TUNES.contains(t) && psy == null) {
                    psy = t;
                } else {
                    throw unsupported("tune", "x264enc tunes are " + X264_TUNE_FLAGS + " plus one of "
                            + X264_PSY_TUNES + ", got '" + c.tune() + "'");
                }
            }
        }
        o.add("tune=" + String.join("+", flags));
        if (psy != null) {
            o.add("psy-tune=" + psy);
        }
        if (c.intraRefresh()) {
            o.add("intra-refresh=true");
        }
        if (c.gopLength() > 0) {
            o.add("key-int-max=" + c.gopLength());
        }
        if (c.threads() > 0) {
            o.add("threads=" + c.threads());
        }
        if (c.slicedThreads()) {
            o.add("sliced-threads=true");
        }
        if (c.slices() > 0) {
            o.add("option-string=slices=" + c.slices());
        }
        String format = rawFormat(c, odd, Set.of("baseline", "constrained-baseline", "main", "high"),
                Set.of("high-4:4:4"), "x264enc");
        String out = "video/x-h264,stream-format=byte-stream,alignment=au"
                + (c.profile() != null ? ",profile=" + c.profile() : "");
        return SPICE_SOURCE + rawCaps(format) + " ! x264enc name=encoder " + String.join(" ", o)
                + " ! " + out + " ! appsink name=sink";
    }

    private static String x265(VideoEncoderConfig c, boolean odd) {
        List<String> o = new ArrayList<>();
        List<String> x265 = new ArrayList<>();
        switch (c.rateControl()) {
            case CONSTANT_QP -> o.add("qp=" + c.constantQp());
            case QP_RANGE -> x265.add("crf=28");
            case VBR, CBR -> {
                long kbit = clamp(c.bitRate() / 1024, 1, 102400);
                o.add("bitrate=" + kbit);
                if (c.rateControl() == RateControlMode.CBR) {
                    x265.add("vbv-maxrate=" + kbit);
                    x265.add("vbv-bufsize=" + Math.max(1, kbit * 3 / 10));
                }
            }
        }
        if (c.qpMin() >= 0) {
            x265.add("qpmin=" + c.qpMin());
        }
        if (c.qpMax() >= 0) {
            x265.add("qpmax=" + c.qpMax());
        }
        if (c.preset() != null) {
            o.add("speed-preset=" + preset(c.preset(), X264_PRESETS, "x265enc"));
        }
        // One output per input needs x265's zerolatency tune, and x265enc takes a single tune.
        String tune = c.tune() == null ? "zerolatency" : c.tune().toLowerCase(Locale.ROOT).trim();
        if (!tune.equals("zerolatency")) {
            throw unsupported("tune", X265_TUNES.contains(tune)
                    ? "x265enc takes a single tune, and this encoder needs zerolatency (one output per input)"
                    : "x265enc tunes are " + X265_TUNES + " and this encoder needs zerolatency, got '" + c.tune() + "'");
        }
        o.add("tune=zerolatency");
        if (c.intraRefresh()) {
            x265.add("intra-refresh=1");
        }
        if (c.gopLength() > 0) {
            o.add("key-int-max=" + c.gopLength());
        }
        if (c.threads() > 0) {
            x265.add("pools=" + c.threads());
        }
        if (c.slicedThreads()) {
            throw unsupported("slicedThreads", "x265enc has no sliced threads (x264 only)");
        }
        if (c.slices() > 0) {
            x265.add("slices=" + c.slices());
        }
        if (!x265.isEmpty()) {
            o.add("option-string=" + String.join(":", x265));
        }
        String format = rawFormat(c, odd, Set.of("main"), Set.of("main-444"), "x265enc");
        String out = "video/x-h265,stream-format=byte-stream,alignment=au"
                + (c.profile() != null ? ",profile=" + c.profile() : "");
        return SPICE_SOURCE + rawCaps(format) + " ! x265enc name=encoder " + String.join(" ", o)
                + " ! " + out + " ! appsink name=sink";
    }

    private static String vpx(VideoEncoderConfig c) {
        String element = c.codec() == VideoCodecType.VP8 ? "vp8enc" : "vp9enc";
        noOption(c.preset(), "preset", element + " has no presets");
        noOption(c.tune(), "tune", element + " has no tunes");
        noOption(c.profile(), "profile", "the GStreamer backend does not set VPx profiles");
        noFlag(c.intraRefresh(), "intraRefresh", element + " has no intra refresh");
        noFlag(c.slicedThreads(), "slicedThreads", element + " has no sliced threads");
        if (c.slices() > 0) {
            throw unsupported("slices", element + " has no slice count (it has token partitions)");
        }
        List<String> o = new ArrayList<>();
        // spice-server's real-time settings: no look-ahead, real-time deadline, error resilience.
        o.add("error-resilient=default lag-in-frames=0 deadline=1 cpu-used=4");
        switch (c.rateControl()) {
            case CONSTANT_QP -> o.add("end-usage=cq cq-level=" + c.constantQp() + " min-quantizer=" + c.constantQp()
                    + " max-quantizer=" + c.constantQp() + " target-bitrate=0");
            case QP_RANGE -> o.add("end-usage=cq target-bitrate=0 cq-level=" + Math.max(c.qpMin(), 10));
            case VBR -> o.add("end-usage=vbr target-bitrate=" + clamp(c.bitRate(), 1, Integer.MAX_VALUE));
            case CBR -> o.add("end-usage=cbr target-bitrate=" + clamp(c.bitRate(), 1, Integer.MAX_VALUE));
        }
        if (c.rateControl() != RateControlMode.CONSTANT_QP) {
            if (c.qpMin() >= 0) {
                o.add("min-quantizer=" + c.qpMin());
            }
            if (c.qpMax() >= 0) {
                o.add("max-quantizer=" + c.qpMax());
            }
        }
        if (c.gopLength() > 0) {
            o.add("keyframe-max-dist=" + c.gopLength());
        }
        if (c.threads() > 0) {
            o.add("threads=" + c.threads());
        }
        return SPICE_SOURCE + rawCaps("I420") + " ! " + element + " name=encoder " + String.join(" ", o)
                + " ! appsink name=sink";
    }

    private static String mjpeg(VideoEncoderConfig c) {
        noOption(c.preset(), "preset", "avenc_mjpeg has no presets");
        noOption(c.tune(), "tune", "avenc_mjpeg has no tunes");
        noOption(c.profile(), "profile", "MJPEG has no profiles");
        noFlag(c.intraRefresh(), "intraRefresh", "every MJPEG frame is a key frame");
        noFlag(c.slicedThreads(), "slicedThreads", "avenc_mjpeg has no sliced threads");
        if (c.slices() > 0) {
            throw unsupported("slices", "avenc_mjpeg has no slices");
        }
        List<String> o = new ArrayList<>();
        switch (c.rateControl()) {
            case CONSTANT_QP -> {
                int q = c.constantQp();
                if (q < 1 || q > MJPEG_MAX_QSCALE) {
                    throw unsupported("constantQp", "MJPEG's qscale is 1.." + MJPEG_MAX_QSCALE + ", got " + q);
                }
                // gst-libav's pass=quant sets the quantizer on the first frame only (later frames
                // fall back to qmin, 2): qmin = qmax = QP pins it on every frame.
                o.add("pass=quant quantizer=" + Math.min(q, 30) + " qmin=" + q + " qmax=" + q);
            }
            case QP_RANGE -> throw unsupported("qpRange",
                    "avenc_mjpeg has no quality target of its own to bound: use constantQp or a bit rate");
            case VBR, CBR -> o.add("bitrate=" + clamp(c.bitRate(), 1, Integer.MAX_VALUE));
        }
        if (c.rateControl() != RateControlMode.CONSTANT_QP) {
            if (c.qpMin() == 0 || c.qpMin() > MJPEG_MAX_QSCALE || c.qpMax() == 0 || c.qpMax() > MJPEG_MAX_QSCALE) {
                throw unsupported("qpRange", "MJPEG's qscale is 1.." + MJPEG_MAX_QSCALE + ", got " + c.qpMin()
                        + ".." + c.qpMax());
            }
            if (c.qpMin() > 0) {
                o.add("qmin=" + c.qpMin());
            }
            if (c.qpMax() > 0) {
                o.add("qmax=" + c.qpMax());
            }
        }
        if (c.threads() > 0) {
            o.add("threads=" + c.threads());
        }
        return SPICE_SOURCE + "avenc_mjpeg name=encoder " + String.join(" ", o) + " ! appsink name=sink";
    }

    /** The raw caps in front of a built pipeline's encoder: the format, BT.601 limited range. */
    private static String rawCaps(String format) {
        return "video/x-raw,format=" + format + "," + COLORIMETRY;
    }

    private static String rawFormat(VideoEncoderConfig c, boolean odd, Set<String> fourTwoZero, Set<String> fourFourFour,
                                    String element) {
        String p = c.profile();
        if (p == null) {
            return odd ? "Y444" : "I420";
        }
        if (fourTwoZero.contains(p)) {
            if (odd) {
                throw unsupported("profile", "profile " + p + " is 4:2:0, which cannot code odd frame sizes"
                        + " (use " + fourFourFour + " or no profile)");
            }
            return "I420";
        }
        if (fourFourFour.contains(p)) {
            return "Y444";
        }
        List<String> all = new ArrayList<>(fourTwoZero);
        all.addAll(fourFourFour);
        throw unsupported("profile", element + " with 8-bit input takes profiles " + all + ", got '" + p + "'");
    }

    private static String preset(String preset, Set<String> known, String element) {
        String p = preset.toLowerCase(Locale.ROOT).trim();
        if (!known.contains(p)) {
            throw unsupported("preset", element + " presets are " + known + ", got '" + preset + "'");
        }
        return p;
    }

    private static void noOption(String value, String field, String why) {
        if (value != null) {
            throw unsupported(field, why);
        }
    }

    private static void noFlag(boolean on, String field, String why) {
        if (on) {
            throw unsupported(field, why);
        }
    }

    private static long clamp(long v, long min, long max) {
        return Math.max(min, Math.min(max, v));
    }

    private static UnsupportedConfigurationException unsupported(String field, String why) {
        return new UnsupportedConfigurationException(field, "GStreamer: " + why);
    }

    /**
     * Checks a user-given encoder or decoder description before GStreamer parses it: not
     * blank, bounded, no NUL, and naming {@code appsrc ... name=src} and {@code appsink name=sink}.
     * The parsed pipeline is checked again for the element types.
     */
    static void checkDescription(String description) {
        if (description == null || description.isBlank()) {
            throw new UnsupportedConfigurationException("pipeline", "the GStreamer pipeline description is empty");
        }
        if (description.length() > MAX_DESCRIPTION) {
            throw new UnsupportedConfigurationException("pipeline", "the GStreamer pipeline description has "
                    + description.length() + " characters, more than " + MAX_DESCRIPTION);
        }
        if (description.indexOf('\0') >= 0) {
            throw new UnsupportedConfigurationException("pipeline", "the GStreamer pipeline description contains NUL");
        }
        if (!description.matches("(?s).*\\bappsrc\\b[^!]*\\bname\\s*=\\s*\"?src\"?(\\s.*|!.*|)")) {
            throw new UnsupportedConfigurationException("pipeline", "the pipeline must start at an element"
                    + " 'appsrc name=src' (frames are pushed there): " + description);
        }
        if (!description.matches("(?s).*\\bappsink\\b[^!]*\\bname\\s*=\\s*\"?sink\"?(\\s.*|!.*|)")) {
            throw new UnsupportedConfigurationException("pipeline", "the pipeline must end at an element"
                    + " 'appsink name=sink' (output is pulled there): " + description);
        }
    }
}
