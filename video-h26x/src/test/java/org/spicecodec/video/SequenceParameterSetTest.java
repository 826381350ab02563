package org.spicecodec.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.video.VideoCodecType;

/** Sizes read from the SPS of streams made by x264, x265 and openh264 (see streams/README.md). */
class SequenceParameterSetTest {

    static byte[] resource(String name) throws Exception {
        try (InputStream in = SequenceParameterSetTest.class.getResourceAsStream("/streams/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "x264_640x358.h264, H264, 640, 358, 3",
        "x265_641x359.h265, H265, 641, 359, 3",
        "openh264_320x240.h264, H264, 320, 240, 3",
        "x264_444_176x100.h264, H264, 176, 100, 1",
    })
    void readsTheCroppedSizeAndSplitsTheFrames(String file, VideoCodecType codec, int w, int h, int frames)
            throws Exception {
        byte[] s = resource(file);
        SequenceParameterSet sps = SequenceParameterSet.find(codec, s, 0, s.length);
        assertThat(sps).isNotNull();
        assertThat(sps.width()).isEqualTo(w);
        assertThat(sps.height()).isEqualTo(h);

        int units = 0;
        int keys = 0;
        for (int at = 0; at < s.length; ) {
            int end = AnnexB.accessUnitEnd(codec, s, at, s.length);
            assertThat(end).isGreaterThan(at);
            if (AnnexB.isKeyFrame(codec, s, at, end)) {
                keys++;
            }
            units++;
            at = end;
        }
        assertThat(units).isEqualTo(frames);
        assertThat(keys).isEqualTo(1);
    }

    @Test
    void truncatedOrCorruptParameterSetsAreMalformed() throws Exception {
        byte[] s = resource("x264_640x358.h264");
        int sps = AnnexB.nextStartCode(s, 0, s.length);
        int p = AnnexB.payloadStart(s, sps, s.length);
        assertThat(s[p] & 0x1F).isEqualTo(7);
        // Cut inside the SPS, before the size.
        assertThatThrownBy(() -> SequenceParameterSet.find(VideoCodecType.H264, s, 0, p + 4))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("cut short");
        // Random SPS payloads: a size, or a MalformedInputException, never anything else.
        Random r = new Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] junk = new byte[5 + r.nextInt(30)];
            r.nextBytes(junk);
            junk[0] = 0;
            junk[1] = 0;
            junk[2] = 1;
            junk[3] = (byte) (i % 2 == 0 ? 0x67 : 0x42);
            VideoCodecType codec = i % 2 == 0 ? VideoCodecType.H264 : VideoCodecType.H265;
            try {
                SequenceParameterSet got = SequenceParameterSet.find(codec, junk, 0, junk.length);
                if (got != null) {
                    assertThat(got.width()).isBetween(1, 16384);
                    assertThat(got.height()).isBetween(1, 16384);
                }
            } catch (MalformedInputException expected) {
                assertThat(expected.offset()).isBetween(0L, (long) junk.length);
            }
        }
        assertThat(SequenceParameterSet.find(VideoCodecType.H264, Arrays.copyOf(s, 0), 0, 0)).isNull();
    }
}
