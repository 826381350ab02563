package org.spicecodec.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.video.VideoCodecType;

class AnnexBTest {

    private static byte[] stream(int[]... nals) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean four = true;
        for (int[] nal : nals) {
            out.writeBytes(four ? new byte[] {0, 0, 0, 1} : new byte[] {0, 0, 1});
            four = !four;
            for (int b : nal) {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    private static List<Integer> units(VideoCodecType codec, byte[] s) {
        List<Integer> starts = new ArrayList<>();
        int at = 0;
        while (at < s.length) {
            starts.add(at);
            at = AnnexB.accessUnitEnd(codec, s, at, s.length);
        }
        return starts;
    }

    @Test
    void splitsH264WithoutDelimitersAtTheParameterSetsOfTheNextPicture() {
        int[] sps = {0x67, 0x42, 0x00};
        int[] pps = {0x68, 0xCE};
        int[] idrFirst = {0x65, 0x88, 0x84};   // first_mb_in_slice 0
        int[] idrSecond = {0x65, 0x40, 0x11};  // a second slice of the same picture
        int[] pFirst = {0x41, 0x9A, 0x00};
        byte[] s = stream(sps, pps, idrFirst, idrSecond, pFirst, sps, pps, idrFirst);
        List<Integer> u = units(VideoCodecType.H264, s);
        assertThat(u).hasSize(3);
        // Units: [sps pps idr idr], [p], [sps pps idr].
        assertThat(u.get(1)).isEqualTo(4 + 3 + 3 + 2 + 4 + 3 + 3 + 3);
        assertThat(AnnexB.isKeyFrame(VideoCodecType.H264, s, u.get(0), u.get(1))).isTrue();
        assertThat(AnnexB.isKeyFrame(VideoCodecType.H264, s, u.get(1), u.get(2))).isFalse();
        assertThat(AnnexB.isKeyFrame(VideoCodecType.H264, s, u.get(2), s.length)).isTrue();
    }

    @Test
    void delimitersStartUnits() {
        int[] aud = {0x09, 0xF0};
        int[] pFirst = {0x41, 0x9A};
        int[] pSecond = {0x41, 0x20};
        byte[] s = stream(aud, pFirst, pSecond, aud, pFirst, aud, pFirst);
        assertThat(units(VideoCodecType.H264, s)).hasSize(3);
    }

    @Test
    void splitsH265OnFirstSliceSegmentFlag() {
        int[] vps = {0x40, 0x01, 0x0C};
        int[] sps = {0x42, 0x01, 0x01};
        int[] pps = {0x44, 0x01, 0xC1};
        int[] idr = {0x26, 0x01, 0xAF};   // IDR_W_RADL, first slice segment
        int[] trail = {0x02, 0x01, 0xD0}; // TRAIL_R, first slice segment
        int[] trail2 = {0x02, 0x01, 0x50};  // a later segment of the same picture
        byte[] s = stream(vps, sps, pps, idr, trail, trail2, trail);
        List<Integer> u = units(VideoCodecType.H265, s);
        assertThat(u).hasSize(3);
        assertThat(AnnexB.isKeyFrame(VideoCodecType.H265, s, u.get(0), u.get(1))).isTrue();
        assertThat(AnnexB.isKeyFrame(VideoCodecType.H265, s, u.get(1), u.get(2))).isFalse();
    }

    @Test
    void rejectsStreamsThatDoNotStartWithAStartCode() {
        byte[] junk = {0x12, 0x34, 0x00, 0x00, 0x01, 0x65};
        assertThatThrownBy(() -> AnnexB.accessUnitEnd(VideoCodecType.H264, junk, 0, junk.length))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("start code");
        byte[] empty = {0, 0, 1};
        assertThatThrownBy(() -> AnnexB.accessUnitEnd(VideoCodecType.H264, empty, 0, empty.length))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("empty NAL");
    }

    @Test
    void checksNalUnitHeadersAtStreamOffsets() {
        int[] sps = {0x67, 0x42, 0x00};
        int[] pps = {0x68, 0xCE};
        int[] idr = {0x65, 0x88, 0x84};
        byte[] au = stream(sps, pps, idr); // NAL headers at 4, 10, 16
        assertThat(AnnexB.checkNalUnits(VideoCodecType.H264, au, 0, au.length, 100)).isTrue();
        assertThat(AnnexB.checkNalUnits(VideoCodecType.H264, au, 0, 12, 100)).isFalse(); // parameter sets only
        byte[] forbidden = au.clone();
        forbidden[10] |= (byte) 0x80;
        assertThatThrownBy(() -> AnnexB.checkNalUnits(VideoCodecType.H264, forbidden, 0, forbidden.length, 100))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("forbidden_zero_bit")
                .extracting(e -> ((MalformedInputException) e).offset()).isEqualTo(110L);
        byte[] typeZero = au.clone();
        typeZero[16] = 0x00;
        assertThatThrownBy(() -> AnnexB.checkNalUnits(VideoCodecType.H264, typeZero, 0, typeZero.length, 0))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("type 0");
        byte[] junk = {0x12, 0x34, 0x00, 0x00, 0x01, 0x65};
        assertThatThrownBy(() -> AnnexB.checkNalUnits(VideoCodecType.H264, junk, 0, junk.length, 7))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("start code")
                .extracting(e -> ((MalformedInputException) e).offset()).isEqualTo(7L);
        byte[] bare = {0, 0, 0, 1};
        assertThatThrownBy(() -> AnnexB.checkNalUnits(VideoCodecType.H264, bare, 0, bare.length, 0))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("without a NAL unit header");
        // H.265: the 2-byte header's nuh_temporal_id_plus1 may not be 0.
        byte[] hevc = stream(new int[] {0x26, 0x01, 0xAF});
        assertThat(AnnexB.checkNalUnits(VideoCodecType.H265, hevc, 0, hevc.length, 0)).isTrue();
        hevc[5] = 0x00;
        assertThatThrownBy(() -> AnnexB.checkNalUnits(VideoCodecType.H265, hevc, 0, hevc.length, 0))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("nuh_temporal_id_plus1")
                .extracting(e -> ((MalformedInputException) e).offset()).isEqualTo(5L);
    }
}
