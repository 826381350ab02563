package org.spicecodec.video;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.spicecodec.core.ImageLimits;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.core.video.VideoDecoder;
import org.spicecodec.video.jcodec.JcodecBackend;

/**
 * Fuzz targets for the pure-Java parsers of untrusted video data: whatever the bytes, the only
 * exception allowed out is {@link MalformedInputException}.
 *
 * <p>A normal build runs them in regression mode on the seeds under
 * {@code src/test/resources/org/spicecodec/video/VideoParsersFuzzTestInputs/<method>/} (the
 * x264, x265 and openh264 test streams). To fuzz for real, one target per run:
 *
 * <pre>
 * JAZZER_FUZZ=1 mvn -pl codec-core,video-h26x -am test -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtest='VideoParsersFuzzTest#jcodecDecoder' -Djazzer.max_duration=10m
 * </pre>
 */
class VideoParsersFuzzTest {

    /** The SPS parser and the access-unit splitter, for both codecs. */
    @FuzzTest(maxDuration = "5m")
    void annexBAndSps(byte[] data) {
        for (VideoCodecType codec : new VideoCodecType[] {VideoCodecType.H264, VideoCodecType.H265}) {
            try {
                SequenceParameterSet.find(codec, data, 0, data.length);
            } catch (MalformedInputException expected) {
                // fine
            }
            try {
                int at = AnnexB.nextStartCode(data, 0, data.length);
                while (at < data.length) {
                    int end = AnnexB.accessUnitEnd(codec, data, at, data.length);
                    if (end <= at) {
                        throw new AssertionError("no progress at " + at);
                    }
                    AnnexB.isKeyFrame(codec, data, at, end);
                    AnnexB.checkNalUnits(codec, data, at, end, at);
                    at = end;
                }
            } catch (MalformedInputException expected) {
                // fine
            }
        }
    }

    /** YUV4MPEG2 headers and frames, with small limits. */
    @FuzzTest(maxDuration = "5m")
    void y4m(byte[] data) throws IOException {
        try (Y4mReader r = new Y4mReader(new ByteArrayInputStream(data), new ImageLimits(256, 256, 1 << 14))) {
            I420Frame f = I420Frame.allocate(r.width(), r.height());
            for (int i = 0; i < 4 && r.next(f); i++) {
                // reads up to four frames
            }
        } catch (MalformedInputException expected) {
            // fine
        }
    }

    /** IVF headers and frame headers. */
    @FuzzTest(maxDuration = "5m")
    void ivf(byte[] data) {
        try {
            Ivf.readHeader(data);
            for (int at = Ivf.firstFrame(data), n = 0; at < data.length && n < 1000; n++) {
                at += Ivf.FRAME_HEADER + Ivf.frameSize(data, at);
            }
        } catch (MalformedInputException expected) {
            // fine
        }
    }

    /** JCodec's H.264 decoder behind our guard, one access unit at a time into 64x48. */
    @FuzzTest(maxDuration = "5m")
    void jcodecDecoder(byte[] data) {
        SpiceBitmap out = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 64, 48);
        try (VideoDecoder dec = new JcodecBackend().openDecoder(VideoCodecType.H264)) {
            int at = 0;
            while (at < data.length) {
                int end;
                try {
                    end = AnnexB.accessUnitEnd(VideoCodecType.H264, data, at, data.length);
                } catch (MalformedInputException e) {
                    end = data.length;
                }
                try {
                    dec.decodeFrame(data, at, end - at, out);
                } catch (MalformedInputException expected) {
                    // fine; the decoder starts afresh
                }
                at = end;
            }
        }
    }
}
