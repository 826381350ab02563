package org.spicecodec.audio;

import java.lang.reflect.InvocationTargetException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creates engine backends. The FFmpeg classes are reached only by reflection, so that this
 * module's classes load and run on Concentus when org.bytedeco:ffmpeg (an optional dependency)
 * is not on the class path.
 */
final class OpusEngines {
    private static final System.Logger LOG = System.getLogger("org.spicecodec.audio");
    private static final String FFMPEG_SUPPORT = "org.spicecodec.audio.FfmpegOpusSupport";
    private static final String FFMPEG_ENCODER = "org.spicecodec.audio.FfmpegOpusEncoder";
    private static final String FFMPEG_DECODER = "org.spicecodec.audio.FfmpegOpusDecoder";
    /** Fallback reasons already logged: a server creating many codecs logs each reason once. */
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private static volatile String ffmpegReason;
    private static volatile boolean probed;

    private OpusEngines() {
    }

    static OpusEncoderBackend encoder(AudioParameters p, OpusEngine requested) {
        if (requested == OpusEngine.FFMPEG) {
            String why = ffmpegUnavailableReason();
            if (why == null) {
                why = ffmpegEncoderLimitation(p);
            }
            if (why == null) {
                try {
                    return (OpusEncoderBackend) construct(FFMPEG_ENCODER, p);
                } catch (RuntimeException e) { // e.g. avcodec_open2 refused: still a working codec
                    why = e.getMessage();
                }
            }
            fallback("encoder", why);
        }
        return new ConcentusOpusEncoder(p);
    }

    static OpusDecoderBackend decoder(AudioParameters p, OpusEngine requested) {
        if (requested == OpusEngine.FFMPEG) {
            String why = ffmpegUnavailableReason();
            if (why == null) {
                why = ffmpegDecoderLimitation(p);
            }
            if (why == null) {
                try {
                    return (OpusDecoderBackend) construct(FFMPEG_DECODER, p);
                } catch (RuntimeException e) { // e.g. avcodec_open2 refused: still a working codec
                    why = e.getMessage();
                }
            }
            fallback("decoder", why);
        }
        return new ConcentusOpusDecoder(p);
    }

    private static void fallback(String what, String why) {
        if (LOGGED.add(what + ": " + why)) {
            LOG.log(System.Logger.Level.WARNING, "Opus " + what + ": FFmpeg engine not usable (" + why
                    + "); using Concentus (pure Java)");
        }
    }

    /** Parameters the FFmpeg encoder cannot honour exactly as Concentus does, or null. */
    static String ffmpegEncoderLimitation(AudioParameters p) {
        String common = commonLimitation(p);
        if (common != null) {
            return common;
        }
        // libopus may exceed its per-frame target under constrained VBR by up to about one
        // frame's worth (CELT's VBR reservoir); FFmpeg gives it a 1275-byte budget, not ours.
        long avgBytes = (long) effectiveBitrate(p) * p.frameSize() / p.sampleRate() / 8;
        if (2 * avgBytes + 8 > p.maxPacketBytes()) {
            return "bit rate " + effectiveBitrate(p) + " could exceed the " + p.maxPacketBytes()
                    + "-byte packet limit, which FFmpeg cannot pass to libopus";
        }
        return null;
    }

    static String ffmpegDecoderLimitation(AudioParameters p) {
        return commonLimitation(p);
    }

    private static String commonLimitation(AudioParameters p) {
        if (p.sampleRate() != 48000) {
            return "FFmpeg's libopus decoder works at 48 kHz only, not " + p.sampleRate() + " Hz";
        }
        if (p.frameSize() < 480) {
            return "FFmpeg forces RESTRICTED_LOWDELAY for frames under 10 ms";
        }
        if (p.fec()) {
            return "FFmpeg's libopus decoder cannot decode in-band FEC";
        }
        return null;
    }

    /** The bit rate libopus uses: OPUS_AUTO is {@code 60 * Fs / frameSize + Fs * channels}. */
    static int effectiveBitrate(AudioParameters p) {
        return p.bitrate() != AudioParameters.BITRATE_AUTO ? p.bitrate()
                : 60 * p.sampleRate() / p.frameSize() + p.sampleRate() * p.channels();
    }

    static String ffmpegUnavailableReason() {
        if (!probed) {
            synchronized (OpusEngines.class) {
                if (!probed) {
                    ffmpegReason = probe();
                    probed = true;
                }
            }
        }
        return ffmpegReason;
    }

    private static String probe() {
        try {
            Object r = Class.forName(FFMPEG_SUPPORT).getDeclaredMethod("probe").invoke(null);
            return (String) r;
        } catch (InvocationTargetException e) {
            return "FFmpeg natives failed to load: " + e.getCause();
        } catch (ReflectiveOperationException | LinkageError e) {
            return "org.bytedeco:ffmpeg (JavaCPP) is not on the class path: " + e;
        }
    }

    private static Object construct(String className, AudioParameters p) {
        try {
            return Class.forName(className).getDeclaredConstructor(AudioParameters.class).newInstance(p);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("cannot create FFmpeg Opus codec: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create FFmpeg Opus codec: " + e, e);
        }
    }
}
