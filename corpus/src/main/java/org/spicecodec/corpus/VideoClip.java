package org.spicecodec.corpus;

import java.util.List;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;

/**
 * The decoded frames of a corpus clip, each a top-down RGB32 (B, G, R, X) {@link SpiceBitmap}
 * of the clip's size with the tightest stride, in presentation order.
 *
 * @param fps         the stream's frame rate (its average frame rate, else its base rate)
 * @param truncated   whether the file holds more frames than were read (the reader stopped at its
 *                    frame or memory limit)
 */
public record VideoClip(int width, int height, double fps, List<SpiceBitmap> frames, boolean truncated) {

    public VideoClip {
        frames = List.copyOf(frames);
        if (width < 1 || height < 1 || !(fps > 0) || frames.isEmpty()) {
            throw new IllegalArgumentException("empty clip: " + width + "x" + height + " @ " + fps + " fps, "
                    + frames.size() + " frame(s)");
        }
        for (SpiceBitmap f : frames) {
            if (f.format() != SpiceBitmapFormat.RGB32 || f.width() != width || f.height() != height) {
                throw new IllegalArgumentException("frame " + f + " is not RGB32 " + width + "x" + height);
            }
        }
    }

    /** Seconds covered by the frames held. */
    public double seconds() {
        return frames.size() / fps;
    }
}
