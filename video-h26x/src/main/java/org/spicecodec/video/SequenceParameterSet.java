package org.spicecodec.video;

import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.video.VideoCodecType;

/**
 * The picture size from an H.264 or H.265 sequence parameter set, after cropping, so that a
 * stream's size is known (and checked) before any frame reaches a decoder.
 *
 * <p>Reads only what precedes the size and the cropping window; 4:2:0, 4:2:2 and 4:4:4
 * chroma formats are handled for the cropping units.
 */
public record SequenceParameterSet(VideoCodecType codec, int width, int height, int profile) {

    /**
     * Finds the first SPS in {@code data[from, end)} (an Annex B stream) and parses it.
     *
     * @return the SPS, or {@code null} if the range holds none
     * @throws MalformedInputException if the SPS is cut short or impossible
     */
    public static SequenceParameterSet find(VideoCodecType codec, byte[] data, int from, int end) {
        boolean h264 = codec == VideoCodecType.H264;
        if (!h264 && codec != VideoCodecType.H265) {
            throw new IllegalArgumentException("SPS is for H.264 and H.265, not " + codec);
        }
        int sc = AnnexB.nextStartCode(data, from, end);
        while (sc < end) {
            int p = AnnexB.payloadStart(data, sc, end);
            int next = AnnexB.nextStartCode(data, p, end);
            if (p < end) {
                int type = h264 ? data[p] & 0x1F : (data[p] >> 1) & 0x3F;
                if (h264 && type == 7) {
                    return parseH264(data, p + 1, next);
                }
                if (!h264 && type == 33) {
                    return parseH265(data, p + 2, next);
                }
            }
            sc = next;
        }
        return null;
    }

    private static SequenceParameterSet parseH264(byte[] data, int from, int end) {
        Bits b = new Bits(data, from, end);
        int profile = b.u(8);
        b.u(16); // constraint flags, level_idc
        b.ue(); // seq_parameter_set_id
        int chroma = 1;
        if (profile == 100 || profile == 110 || profile == 122 || profile == 244 || profile == 44 || profile == 83
                || profile == 86 || profile == 118 || profile == 128 || profile == 138 || profile == 139
                || profile == 134 || profile == 135) {
            chroma = b.uei(3);
            if (chroma > 3) {
                throw b.bad("chroma_format_idc " + chroma);
            }
            if (chroma == 3) {
                b.u(1); // separate_colour_plane_flag
            }
            b.ue(); // bit_depth_luma_minus8
            b.ue(); // bit_depth_chroma_minus8
            b.u(1); // qpprime_y_zero_transform_bypass_flag
            if (b.u(1) == 1) { // seq_scaling_matrix_present_flag
                for (int i = 0; i < (chroma != 3 ? 8 : 12); i++) {
                    if (b.u(1) == 1) {
                        skipScalingList(b, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        b.ue(); // log2_max_frame_num_minus4
        int pocType = b.uei(2);
        if (pocType == 0) {
            b.ue();
        } else if (pocType == 1) {
            b.u(1);
            b.se();
            b.se();
            int n = b.uei(255);
            if (n > 255) {
                throw b.bad("num_ref_frames_in_pic_order_cnt_cycle " + n);
            }
            for (int i = 0; i < n; i++) {
                b.se();
            }
        } else if (pocType != 2) {
            throw b.bad("pic_order_cnt_type " + pocType);
        }
        b.ue(); // max_num_ref_frames
        b.u(1); // gaps_in_frame_num_value_allowed_flag
        long mbsW = b.ue() + 1L;
        long mapUnitsH = b.ue() + 1L;
        int frameMbsOnly = b.u(1);
        if (frameMbsOnly == 0) {
            b.u(1); // mb_adaptive_frame_field_flag
        }
        b.u(1); // direct_8x8_inference_flag
        long w = mbsW * 16;
        long h = mapUnitsH * 16 * (2 - frameMbsOnly);
        if (b.u(1) == 1) { // frame_cropping_flag
            int cropX = chroma == 1 || chroma == 2 ? 2 : 1;
            int cropY = (chroma == 1 ? 2 : 1) * (2 - frameMbsOnly);
            long l = b.ue();
            long r = b.ue();
            long t = b.ue();
            long bo = b.ue();
            w -= (l + r) * cropX;
            h -= (t + bo) * cropY;
        }
        return sized(VideoCodecType.H264, w, h, profile, b);
    }

    private static void skipScalingList(Bits b, int size) {
        int last = 8;
        int next = 8;
        for (int j = 0; j < size; j++) {
            if (next != 0) {
                next = (last + b.se() + 256) % 256;
            }
            last = next == 0 ? last : next;
        }
    }

    private static SequenceParameterSet parseH265(byte[] data, int from, int end) {
        Bits b = new Bits(data, from, end);
        b.u(4); // sps_video_parameter_set_id
        int maxSubLayersMinus1 = b.u(3);
        b.u(1); // sps_temporal_id_nesting_flag
        // profile_tier_level(1, maxSubLayersMinus1)
        b.u(2); // general_profile_space
        b.u(1); // general_tier_flag
        int profile = b.u(5);
        b.u(32); // compatibility flags
        b.u(32); // progressive/interlaced/non-packed/frame-only + 43 reserved bits + 1 ... (48 bits in all)
        b.u(16);
        b.u(8); // general_level_idc
        boolean[] profilePresent = new boolean[8];
        boolean[] levelPresent = new boolean[8];
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            profilePresent[i] = b.u(1) == 1;
            levelPresent[i] = b.u(1) == 1;
        }
        if (maxSubLayersMinus1 > 0) {
            for (int i = maxSubLayersMinus1; i < 8; i++) {
                b.u(2); // reserved_zero_2bits
            }
        }
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            if (profilePresent[i]) {
                b.u(32);
                b.u(32);
                b.u(24); // 88 bits of sub-layer profile
            }
            if (levelPresent[i]) {
                b.u(8);
            }
        }
        b.ue(); // sps_seq_parameter_set_id
        int chroma = b.uei(3);
        if (chroma > 3) {
            throw b.bad("chroma_format_idc " + chroma);
        }
        if (chroma == 3) {
            b.u(1); // separate_colour_plane_flag
        }
        long w = b.ue();
        long h = b.ue();
        if (b.u(1) == 1) { // conformance_window_flag
            int subW = chroma == 1 || chroma == 2 ? 2 : 1;
            int subH = chroma == 1 ? 2 : 1;
            long l = b.ue();
            long r = b.ue();
            long t = b.ue();
            long bo = b.ue();
            w -= (l + r) * subW;
            h -= (t + bo) * subH;
        }
        return sized(VideoCodecType.H265, w, h, profile, b);
    }

    private static SequenceParameterSet sized(VideoCodecType codec, long w, long h, int profile, Bits b) {
        if (w < 1 || h < 1 || w > 16384 || h > 16384) {
            throw b.bad("picture size " + w + "x" + h);
        }
        return new SequenceParameterSet(codec, (int) w, (int) h, profile);
    }

    /** An RBSP bit reader that skips emulation-prevention bytes (00 00 03). */
    private static final class Bits {
        private final byte[] data;
        private final int start;
        private final int end;
        private int pos;
        private int bit;
        private int zeros;

        Bits(byte[] data, int from, int end) {
            this.data = data;
            this.start = from;
            this.end = end;
            this.pos = from;
        }

        int u(int n) {
            int v = 0;
            for (int i = 0; i < n; i++) {
                v = v << 1 | bit();
            }
            return v;
        }

        private int bit() {
            if (bit == 0) {
                if (pos >= end) {
                    throw bad("SPS cut short");
                }
                if (zeros >= 2 && data[pos] == 3) {
                    pos++;
                    zeros = 0;
                    if (pos >= end) {
                        throw bad("SPS cut short");
                    }
                }
                zeros = data[pos] == 0 ? zeros + 1 : 0;
            }
            int v = data[pos] >> (7 - bit) & 1;
            if (++bit == 8) {
                bit = 0;
                pos++;
            }
            return v;
        }

        long ue() {
            int lead = 0;
            while (bit() == 0) {
                if (++lead > 31) {
                    throw bad("Exp-Golomb code longer than 32 bits");
                }
            }
            return (1L << lead) - 1 + (lead == 0 ? 0 : (u(lead) & 0xFFFFFFFFL));
        }

        /** A ue(v) that must not exceed {@code max}. */
        int uei(int max) {
            long v = ue();
            if (v > max) {
                throw bad("value " + v + " above " + max);
            }
            return (int) v;
        }

        int se() {
            long k = ue();
            return (int) ((k & 1) != 0 ? (k + 1) / 2 : -(k / 2));
        }

        MalformedInputException bad(String why) {
            return new MalformedInputException(pos, why + " (SPS at offset " + start + ")");
        }
    }
}
