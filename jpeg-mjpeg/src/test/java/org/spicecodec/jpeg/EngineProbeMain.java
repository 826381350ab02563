package org.spicecodec.jpeg;

import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.video.EncodedFrame;

/** Run in a child JVM by {@link JpegEngineFallbackTest}: which engine does this class path get? */
public final class EngineProbeMain {
    private EngineProbeMain() {
    }

    public static void main(String[] args) {
        try (JpegFrameEncoder a = JpegEngines.create(); JpegFrameEncoder b = JpegEngines.create()) {
            EncodedFrame out = new EncodedFrame();
            int n = a.encode(SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 16, 16), 0, 0, 16, 16, 85, out);
            System.out.println("engine=" + a.engine() + "," + b.engine());
            System.out.println("bytes=" + n);
        }
        try {
            JpegEngines.ffmpeg();
            System.out.println("ffmpeg=ok");
        } catch (JpegEngineUnavailableException e) {
            System.out.println("ffmpeg=unavailable: " + e.getMessage());
        }
    }
}
