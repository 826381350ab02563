package org.spicecodec.audio;

import java.util.Locale;

/**
 * The Opus implementation behind {@link OpusAudioEncoder} and {@link OpusAudioDecoder}.
 *
 * <ul>
 *   <li>{@link #CONCENTUS}: Concentus, a pure-Java port of libopus. Always available, no
 *       natives; the default (see the package documentation for the measurements behind that).
 *   <li>{@link #FFMPEG}: libopus through FFmpeg's {@code libopus} encoder/decoder wrappers,
 *       via JavaCPP ({@code org.bytedeco:ffmpeg}, an <em>optional</em> dependency of this
 *       module: add it, with the natives of your platform, to use this engine). Native code,
 *       no per-frame Java allocation. Limits: 48 kHz only (FFmpeg's libopus decoder always
 *       outputs 48 kHz), frames of 10 ms or more, no in-band FEC, no packet-loss concealment
 *       (FFmpeg gives no way to ask libopus for it), and the bit rate must leave room under
 *       {@link AudioParameters#maxPacketBytes()} because FFmpeg cannot pass libopus a byte
 *       budget per packet.
 * </ul>
 *
 * <p>The engine is chosen per encoder/decoder; the constructors without an engine use
 * {@link #configured()}: the system property {@value #PROPERTY} ({@code concentus} or
 * {@code ffmpeg}), else {@link #DEFAULT}. When FFmpeg is asked for but its natives are missing
 * or the parameters are outside its limits, the codec logs why (once per reason) and runs on
 * Concentus; {@code engine()} on the codec tells which engine it actually uses.
 */
public enum OpusEngine {
    CONCENTUS,
    FFMPEG;

    /** System property naming the engine of codecs created without an explicit one. */
    public static final String PROPERTY = "spicecodec.opus.engine";

    /** Engine when {@value #PROPERTY} is not set (measured faster here, and pure Java). */
    public static final OpusEngine DEFAULT = CONCENTUS;

    /**
     * The engine named by {@value #PROPERTY}, else {@link #DEFAULT}.
     *
     * @throws IllegalArgumentException if the property holds anything but concentus/ffmpeg
     */
    public static OpusEngine configured() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) {
            return DEFAULT;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "concentus" -> CONCENTUS;
            case "ffmpeg" -> FFMPEG;
            default -> throw new IllegalArgumentException("system property " + PROPERTY + "=" + v
                    + " names no Opus engine; use concentus or ffmpeg");
        };
    }

    /** Whether FFmpeg's natives load here and their build has libopus (encoder and decoder). */
    public static boolean ffmpegAvailable() {
        return OpusEngines.ffmpegUnavailableReason() == null;
    }

    /** Why {@link #FFMPEG} cannot run here, or {@code null} when it can. */
    public static String ffmpegUnavailableReason() {
        return OpusEngines.ffmpegUnavailableReason();
    }
}
