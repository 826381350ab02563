package org.spicecodec.jpeg;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Picks the JPEG engine for SPICE's JPEG images and MJPEG frames.
 *
 * <p>Measured on 1920x1080 RGB32 frames (the corpus photo and screenshot, CPU time per frame
 * on one thread, q20–85): FFmpeg 9.7–12.6 ms, ImageIO 21.7–23.2 ms, and the ffmpeg command
 * line ({@code -c:v mjpeg -q:v 3|8}, raw bgr0 input) 19.9–24.1 ms. So {@link #create()} returns
 * FFmpeg whenever its natives load, and ImageIO otherwise (logged once on
 * the {@code org.spicecodec.jpeg} System.Logger with the reason). The system property
 * {@value #PROPERTY} = {@code ffmpeg} or {@code imageio} forces one; a forced engine that
 * cannot run, or an unknown name, also falls back to ImageIO with a logged reason.
 */
public final class JpegEngines {
    /** System property forcing an engine: {@code ffmpeg} or {@code imageio}. */
    public static final String PROPERTY = "spicecodec.jpeg.engine";

    private static final Logger LOG = System.getLogger("org.spicecodec.jpeg");
    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    private JpegEngines() {
    }

    /** The best engine available here (see the class comment). */
    public static JpegFrameEncoder create() {
        return create(System.getProperty(PROPERTY), JpegEngines::ffmpeg, JpegEngines::logOnce).encoder();
    }

    /** The pure-Java engine (the JDK's ImageIO writer); always available with {@code java.desktop}. */
    public static JpegFrameEncoder imageIo() {
        return new ImageIoJpegFrameEncoder();
    }

    /**
     * FFmpeg's mjpeg encoder.
     *
     * @throws JpegEngineUnavailableException with the reason when its natives cannot load
     */
    public static JpegFrameEncoder ffmpeg() {
        try {
            return new FfmpegJpegFrameEncoder();
        } catch (LinkageError e) {
            // The JavaCPP classes themselves are missing from the class path.
            throw new JpegEngineUnavailableException("FFmpeg engine cannot load: " + e, e);
        }
    }

    /** An engine choice: the encoder, and why it is not the one asked for (null if it is). */
    record Choice(JpegFrameEncoder encoder, String fallbackReason) {
    }

    /** The selection itself, with the FFmpeg factory and the logger injectable for tests. */
    static Choice create(String forced, Supplier<JpegFrameEncoder> ffmpeg, java.util.function.Consumer<String> log) {
        String name = forced == null || forced.isBlank() ? "" : forced.trim().toLowerCase(Locale.ROOT);
        String reason;
        switch (name) {
            case "imageio":
                return new Choice(imageIo(), null);
            case "", "ffmpeg":
                try {
                    return new Choice(ffmpeg.get(), null);
                } catch (JpegEngineUnavailableException e) {
                    reason = e.getMessage();
                }
                break;
            default:
                reason = "unknown JPEG engine '" + forced + "' in " + PROPERTY + " (known: ffmpeg, imageio)";
        }
        String msg = "JPEG engine: using ImageIO (pure Java) because " + reason;
        log.accept(msg);
        return new Choice(imageIo(), msg);
    }

    private static void logOnce(String msg) {
        if (LOGGED.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, msg);
        }
    }
}
