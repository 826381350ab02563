package org.spicecodec.video.gstreamer;

import org.spicecodec.core.video.VideoCodecType;

/** Prints the backend's availability verdicts; run in a child JVM by the tests. */
public final class PrintAvailability {
    private PrintAvailability() {
    }

    public static void main(String[] args) {
        GstreamerBackend b = new GstreamerBackend();
        System.out.println("encode H264: " + b.unavailableReason(VideoCodecType.H264));
        System.out.println("decode H265: " + b.decoderUnavailableReason(VideoCodecType.H265));
        try {
            b.openDecoder(VideoCodecType.H264).close();
            System.out.println("open: ok");
        } catch (RuntimeException e) {
            System.out.println("open: " + e);
        }
    }
}
