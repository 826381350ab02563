package org.spicecodec.video.jcodec;

import org.spicecodec.core.MalformedInputException;

/**
 * Checks an H.264 access unit before JCodec sees it.
 *
 * <p>JCodec 0.2.5 trusts its input: a hostile SPS can make it allocate gigabytes
 * ({@code num_ref_frames_in_pic_order_cnt_cycle}, HRD {@code cpb_cnt_minus1}, parameter set
 * ids used as map keys, slice-group arrays), its bit reader returns zeros past the end so a
 * truncated {@code ref_pic_list_modification} loops until the heap is gone, and picture sizes
 * go straight into buffer sizes. This guard parses the same syntax (H.264 §7.3.2.1, §7.3.2.2,
 * §7.3.3 up to the reference list modification) with a reader that stops at the end of the
 * NAL unit, bounds every value that sizes memory or a loop, and pins the picture size to the
 * stream's, so whatever JCodec does afterwards is bounded by the size of the input.
 *
 * <p>It also splits the Annex B stream into NAL units (start code {@code 00 00 01}, optional
 * leading zero) and keeps the parameter sets it accepted, since slices refer to earlier ones.
 * Allocates only when a NAL count exceeds the largest seen.
 */
final class H264Guard {
    static final int NAL_SLICE = 1;
    static final int NAL_IDR = 5;
    static final int NAL_SPS = 7;
    static final int NAL_PPS = 8;

    private static final int MAX_SPS = 32;
    private static final int MAX_PPS = 256;

    // The accepted SPSs (index = seq_parameter_set_id), with the fields slice headers need.
    private final boolean[] spsOk = new boolean[MAX_SPS];
    private final int[] spsLog2MaxFrameNum = new int[MAX_SPS];
    private final int[] spsPocType = new int[MAX_SPS];
    private final int[] spsLog2MaxPocLsb = new int[MAX_SPS];
    private final boolean[] spsDeltaPocZero = new boolean[MAX_SPS];
    private final int[] spsMbs = new int[MAX_SPS];

    private final boolean[] ppsOk = new boolean[MAX_PPS];
    private final int[] ppsSps = new int[MAX_PPS];
    private final boolean[] ppsBottomFieldPoc = new boolean[MAX_PPS];
    private final boolean[] ppsRedundantPicCnt = new boolean[MAX_PPS];
    private final int[] ppsRefIdxL0 = new int[MAX_PPS];
    private final int[] ppsRefIdxL1 = new int[MAX_PPS];
    private final boolean[] ppsWeightedP = new boolean[MAX_PPS];
    private final int[] ppsWeightedB = new int[MAX_PPS];

    private final Bits bits = new Bits();

    /** The stream size every SPS must describe. */
    private int width;
    private int height;

    /** NAL units of the last {@link #split}: payload start (header byte) and end. */
    int nalCount;
    int[] nalStart = new int[16];
    int[] nalEnd = new int[16];
    /** nal_unit_type of each NAL unit. */
    int[] nalType = new int[16];

    /** Forgets all parameter sets and expects pictures of this size from now on. */
    void reset(int width, int height) {
        this.width = width;
        this.height = height;
        java.util.Arrays.fill(spsOk, false);
        java.util.Arrays.fill(ppsOk, false);
    }

    boolean hasParameterSets() {
        for (boolean b : ppsOk) {
            if (b) {
                return true;
            }
        }
        return false;
    }

    /**
     * Splits {@code data[off, off+len)} into NAL units; offsets stay relative to {@code data}.
     * Only zero bytes may precede the first start code.
     */
    void split(byte[] data, int off, int len) {
        int end = off + len;
        nalCount = 0;
        int i = off;
        // Leading zeros, then the first start code.
        while (i < end && data[i] == 0) {
            i++;
        }
        if (i >= end || data[i] != 1 || i - off < 2) {
            throw new MalformedInputException(Math.min(i, end) - off, "no Annex B start code (00 00 01) at the start");
        }
        int start = i + 1;
        while (start <= end) {
            int sc = nextStartCode(data, start, end);
            int stop = sc;
            // trailing_zero_8bits before the next start code belong to no NAL unit
            while (stop > start && data[stop - 1] == 0) {
                stop--;
            }
            if (stop > start) {
                add(start, stop, data[start]);
            }
            if (sc >= end) {
                break;
            }
            start = sc + 3;
        }
        if (nalCount == 0) {
            throw new MalformedInputException(len, "access unit holds no NAL unit");
        }
    }

    private static int nextStartCode(byte[] d, int from, int end) {
        for (int i = from; i + 2 < end; i++) {
            if (d[i + 2] > 1) {
                i += 2;
            } else if (d[i] == 0 && d[i + 1] == 0 && d[i + 2] == 1) {
                return i;
            }
        }
        return end;
    }

    private void add(int start, int stop, byte header) {
        if (nalCount == nalStart.length) {
            nalStart = java.util.Arrays.copyOf(nalStart, nalCount * 2);
            nalEnd = java.util.Arrays.copyOf(nalEnd, nalCount * 2);
            nalType = java.util.Arrays.copyOf(nalType, nalCount * 2);
        }
        nalStart[nalCount] = start;
        nalEnd[nalCount] = stop;
        nalType[nalCount] = header & 31;
        nalCount++;
    }

    /**
     * Checks NAL unit {@code i} of the last split; {@code base} is the offset of the access
     * unit's first byte, for error offsets. Accepted parameter sets are remembered.
     */
    void check(byte[] data, int base, int i) {
        int start = nalStart[i];
        int end = nalEnd[i];
        if ((data[start] & 0x80) != 0) {
            throw new MalformedInputException(start - base, "forbidden_zero_bit is set in a NAL unit header");
        }
        bits.reset(data, start + 1, end, base);
        switch (nalType[i]) {
            case NAL_SPS -> checkSps();
            case NAL_PPS -> checkPps();
            case NAL_SLICE, NAL_IDR -> checkSlice(nalType[i] == NAL_IDR, (data[start] >> 5) & 3);
            default -> {
                // JCodec ignores every other NAL unit type; so do we.
            }
        }
    }

    private void checkSps() {
        int profile = bits.u(8, "profile_idc");
        bits.u(8, "constraint flags");
        bits.u(8, "level_idc");
        int id = bits.ue("seq_parameter_set_id", MAX_SPS - 1);
        spsOk[id] = false;
        // JCodec decodes Baseline, Main and High only, and reads the High fields for 100 (and
        // 110, 122, 144, which its decoder then rejects); other profiles it would misparse.
        if (profile != 66 && profile != 77 && profile != 100) {
            throw bits.bad("H.264 profile_idc " + profile + " is not Baseline, Main or High");
        }
        if (profile == 100) {
            int chroma = bits.ue("chroma_format_idc", 3);
            if (chroma != 1) {
                throw bits.bad("chroma_format_idc " + chroma + ": only 4:2:0 is supported");
            }
            if (bits.ue("bit_depth_luma_minus8", 6) != 0 || bits.ue("bit_depth_chroma_minus8", 6) != 0) {
                throw bits.bad("only 8-bit video is supported");
            }
            bits.u(1, "qpprime_y_zero_transform_bypass_flag");
            if (bits.u(1, "seq_scaling_matrix_present_flag") != 0) {
                for (int k = 0; k < 8; k++) {
                    if (bits.u(1, "seq_scaling_list_present_flag") != 0) {
                        scalingList(k < 6 ? 16 : 64);
                    }
                }
            }
        }
        int log2MaxFrameNum = bits.ue("log2_max_frame_num_minus4", 12) + 4;
        int pocType = bits.ue("pic_order_cnt_type", 2);
        int log2MaxPocLsb = 0;
        boolean deltaPocZero = false;
        if (pocType == 0) {
            log2MaxPocLsb = bits.ue("log2_max_pic_order_cnt_lsb_minus4", 12) + 4;
        } else if (pocType == 1) {
            deltaPocZero = bits.u(1, "delta_pic_order_always_zero_flag") != 0;
            bits.se("offset_for_non_ref_pic");
            bits.se("offset_for_top_to_bottom_field");
            int cycle = bits.ue("num_ref_frames_in_pic_order_cnt_cycle", 255);
            for (int k = 0; k < cycle; k++) {
                bits.se("offset_for_ref_frame");
            }
        }
        bits.ue("max_num_ref_frames", 16);
        bits.u(1, "gaps_in_frame_num_value_allowed_flag");
        int mbW = bits.ue("pic_width_in_mbs_minus1", 1023) + 1;
        int mbH = bits.ue("pic_height_in_map_units_minus1", 1023) + 1;
        if (bits.u(1, "frame_mbs_only_flag") == 0) {
            throw bits.bad("interlaced video (frame_mbs_only_flag 0) is not supported");
        }
        bits.u(1, "direct_8x8_inference_flag");
        int cropL = 0;
        int cropR = 0;
        int cropT = 0;
        int cropB = 0;
        if (bits.u(1, "frame_cropping_flag") != 0) {
            cropL = bits.ue("frame_crop_left_offset", 8192);
            cropR = bits.ue("frame_crop_right_offset", 8192);
            cropT = bits.ue("frame_crop_top_offset", 8192);
            cropB = bits.ue("frame_crop_bottom_offset", 8192);
        }
        int w = mbW * 16 - 2 * (cropL + cropR);
        int h = mbH * 16 - 2 * (cropT + cropB);
        // Odd stream sizes are coded one column/row larger (4:2:0 crops in steps of 2).
        boolean widthOk = w == width || (width & 1) == 1 && w == width + 1;
        boolean heightOk = h == height || (height & 1) == 1 && h == height + 1;
        if (!widthOk || !heightOk || mbW != (width + 15) / 16 || mbH != (height + 15) / 16) {
            throw bits.bad("SPS picture " + w + "x" + h + " (" + mbW + "x" + mbH + " macroblocks) does not match the "
                    + width + "x" + height + " stream");
        }
        if (bits.u(1, "vui_parameters_present_flag") != 0) {
            vui();
        }
        spsLog2MaxFrameNum[id] = log2MaxFrameNum;
        spsPocType[id] = pocType;
        spsLog2MaxPocLsb[id] = log2MaxPocLsb;
        spsDeltaPocZero[id] = deltaPocZero;
        spsMbs[id] = mbW * mbH;
        spsOk[id] = true;
    }

    private void scalingList(int size) {
        int last = 8;
        int next = 8;
        for (int j = 0; j < size; j++) {
            if (next != 0) {
                int delta = bits.se("delta_scale");
                if (delta < -128 || delta > 127) {
                    throw bits.bad("delta_scale " + delta + " outside -128..127");
                }
                next = (last + delta + 256) % 256;
                if (j == 0 && next == 0) {
                    return; // the default list; nothing more is coded
                }
            }
            last = next == 0 ? last : next;
        }
    }

    private void vui() {
        if (bits.u(1, "aspect_ratio_info_present_flag") != 0 && bits.u(8, "aspect_ratio_idc") == 255) {
            bits.u(16, "sar_width");
            bits.u(16, "sar_height");
        }
        if (bits.u(1, "overscan_info_present_flag") != 0) {
            bits.u(1, "overscan_appropriate_flag");
        }
        if (bits.u(1, "video_signal_type_present_flag") != 0) {
            bits.u(4, "video_format, video_full_range_flag");
            if (bits.u(1, "colour_description_present_flag") != 0) {
                bits.u(24, "colour description");
            }
        }
        if (bits.u(1, "chroma_loc_info_present_flag") != 0) {
            bits.ue("chroma_sample_loc_type_top_field", 5);
            bits.ue("chroma_sample_loc_type_bottom_field", 5);
        }
        if (bits.u(1, "timing_info_present_flag") != 0) {
            bits.u(16, "num_units_in_tick");
            bits.u(16, "num_units_in_tick");
            bits.u(16, "time_scale");
            bits.u(16, "time_scale");
            bits.u(1, "fixed_frame_rate_flag");
        }
        boolean nal = bits.u(1, "nal_hrd_parameters_present_flag") != 0;
        if (nal) {
            hrd();
        }
        boolean vcl = bits.u(1, "vcl_hrd_parameters_present_flag") != 0;
        if (vcl) {
            hrd();
        }
        if (nal || vcl) {
            bits.u(1, "low_delay_hrd_flag");
        }
        bits.u(1, "pic_struct_present_flag");
        if (bits.u(1, "bitstream_restriction_flag") != 0) {
            bits.u(1, "motion_vectors_over_pic_boundaries_flag");
            bits.ue("max_bytes_per_pic_denom", 16);
            bits.ue("max_bits_per_mb_denom", 16);
            bits.ue("log2_max_mv_length_horizontal", 16);
            bits.ue("log2_max_mv_length_vertical", 16);
            bits.ue("max_num_reorder_frames", 16);
            bits.ue("max_dec_frame_buffering", 16);
        }
    }

    private void hrd() {
        int cpbCnt = bits.ue("cpb_cnt_minus1", 31) + 1;
        bits.u(8, "bit_rate_scale, cpb_size_scale");
        for (int k = 0; k < cpbCnt; k++) {
            bits.ue("bit_rate_value_minus1", Integer.MAX_VALUE - 1);
            bits.ue("cpb_size_value_minus1", Integer.MAX_VALUE - 1);
            bits.u(1, "cbr_flag");
        }
        bits.u(20, "HRD delay lengths");
    }

    private void checkPps() {
        int id = bits.ue("pic_parameter_set_id", MAX_PPS - 1);
        ppsOk[id] = false;
        int sps = bits.ue("seq_parameter_set_id", MAX_SPS - 1);
        if (!spsOk[sps]) {
            throw bits.bad("PPS " + id + " refers to SPS " + sps + ", which was not sent or was rejected");
        }
        bits.u(1, "entropy_coding_mode_flag");
        boolean bottomFieldPoc = bits.u(1, "bottom_field_pic_order_in_frame_present_flag") != 0;
        if (bits.ue("num_slice_groups_minus1", 7) != 0) {
            throw bits.bad("slice groups (FMO) are not supported");
        }
        int l0 = bits.ue("num_ref_idx_l0_default_active_minus1", 31);
        int l1 = bits.ue("num_ref_idx_l1_default_active_minus1", 31);
        boolean weightedP = bits.u(1, "weighted_pred_flag") != 0;
        int weightedB = bits.u(2, "weighted_bipred_idc");
        int qp = bits.se("pic_init_qp_minus26");
        int qs = bits.se("pic_init_qs_minus26");
        int cqp = bits.se("chroma_qp_index_offset");
        if (qp < -26 || qp > 25 || qs < -26 || qs > 25 || cqp < -12 || cqp > 12) {
            throw bits.bad("PPS QP fields out of range");
        }
        bits.u(2, "deblocking_filter_control_present_flag, constrained_intra_pred_flag");
        boolean redundant = bits.u(1, "redundant_pic_cnt_present_flag") != 0;
        ppsSps[id] = sps;
        ppsBottomFieldPoc[id] = bottomFieldPoc;
        ppsRedundantPicCnt[id] = redundant;
        ppsRefIdxL0[id] = l0;
        ppsRefIdxL1[id] = l1;
        ppsWeightedP[id] = weightedP;
        ppsWeightedB[id] = weightedB;
        ppsOk[id] = true;
    }

    private void checkSlice(boolean idr, int nalRefIdc) {
        int firstMb = bits.ue("first_mb_in_slice", 1 << 20);
        int sliceType = bits.ue("slice_type", 9) % 5;
        int ppsId = bits.ue("pic_parameter_set_id", MAX_PPS - 1);
        if (!ppsOk[ppsId]) {
            throw bits.bad("slice refers to PPS " + ppsId + ", which was not sent or was rejected");
        }
        int sps = ppsSps[ppsId];
        if (!spsOk[sps]) {
            throw bits.bad("slice refers to SPS " + sps + ", which was not sent or was rejected");
        }
        if (firstMb >= spsMbs[sps]) {
            throw bits.bad("first_mb_in_slice " + firstMb + " is beyond the " + spsMbs[sps] + " macroblocks");
        }
        if (idr && sliceType != 2 && sliceType != 4) {
            throw bits.bad("IDR slice of type " + sliceType + " is not intra");
        }
        if (idr && nalRefIdc == 0) {
            throw bits.bad("IDR slice with nal_ref_idc 0");
        }
        bits.u(spsLog2MaxFrameNum[sps], "frame_num");
        if (idr) {
            bits.ue("idr_pic_id", 65535);
        }
        if (spsPocType[sps] == 0) {
            bits.u(spsLog2MaxPocLsb[sps], "pic_order_cnt_lsb");
            if (ppsBottomFieldPoc[ppsId]) {
                bits.se("delta_pic_order_cnt_bottom");
            }
        } else if (spsPocType[sps] == 1 && !spsDeltaPocZero[sps]) {
            bits.se("delta_pic_order_cnt[0]");
            if (ppsBottomFieldPoc[ppsId]) {
                bits.se("delta_pic_order_cnt[1]");
            }
        }
        if (ppsRedundantPicCnt[ppsId]) {
            bits.ue("redundant_pic_cnt", 127);
        }
        boolean b = sliceType == 1;
        boolean inter = sliceType == 0 || sliceType == 1 || sliceType == 3;
        if (b) {
            bits.u(1, "direct_spatial_mv_pred_flag");
        }
        int l0 = ppsRefIdxL0[ppsId];
        int l1 = ppsRefIdxL1[ppsId];
        if (inter && bits.u(1, "num_ref_idx_active_override_flag") != 0) {
            l0 = bits.ue("num_ref_idx_l0_active_minus1", 31);
            if (b) {
                l1 = bits.ue("num_ref_idx_l1_active_minus1", 31);
            }
        }
        if (inter) {
            refPicListModification(l0);
        }
        if (b) {
            refPicListModification(l1);
        }
        if (ppsWeightedP[ppsId] && (sliceType == 0 || sliceType == 3) || ppsWeightedB[ppsId] == 1 && b) {
            bits.ue("luma_log2_weight_denom", 7);
            bits.ue("chroma_log2_weight_denom", 7);
            weights(l0);
            if (b) {
                weights(l1);
            }
        }
        if (nalRefIdc != 0) {
            decRefPicMarking(idr);
        }
        // The rest of the header (QP, deblocking) holds no loop or size.
    }

    private void weights(int refIdxMinus1) {
        for (int k = 0; k <= refIdxMinus1; k++) {
            if (bits.u(1, "luma_weight_flag") != 0) {
                bits.se("luma_weight");
                bits.se("luma_offset");
            }
            if (bits.u(1, "chroma_weight_flag") != 0) {
                for (int c = 0; c < 4; c++) {
                    bits.se("chroma weight/offset");
                }
            }
        }
    }

    /** JCodec keys long-term references by these indices in a growable array: bound them. */
    private void decRefPicMarking(boolean idr) {
        if (idr) {
            bits.u(2, "no_output_of_prior_pics_flag, long_term_reference_flag");
            return;
        }
        if (bits.u(1, "adaptive_ref_pic_marking_mode_flag") == 0) {
            return;
        }
        for (int n = 0; ; n++) {
            int op = bits.ue("memory_management_control_operation", 6);
            if (op == 0) {
                return;
            }
            if (n >= 66) {
                throw bits.bad("more than 66 memory management operations");
            }
            switch (op) {
                case 1 -> bits.ue("difference_of_pic_nums_minus1", 65535);
                case 2 -> bits.ue("long_term_pic_num", 31);
                case 3 -> {
                    bits.ue("difference_of_pic_nums_minus1", 65535);
                    bits.ue("long_term_frame_idx", 15);
                }
                case 4 -> bits.ue("max_long_term_frame_idx_plus1", 16);
                case 6 -> bits.ue("long_term_frame_idx", 15);
                default -> {
                    // 5: no operands
                }
            }
        }
    }

    private void refPicListModification(int refIdxMinus1) {
        if (bits.u(1, "ref_pic_list_modification_flag") == 0) {
            return;
        }
        for (int n = 0; ; n++) {
            int idc = bits.ue("modification_of_pic_nums_idc", 5);
            if (idc == 3) {
                return;
            }
            if (n > refIdxMinus1) {
                throw bits.bad("more reference list modifications than the " + (refIdxMinus1 + 1) + " references");
            }
            bits.ue("abs_diff_pic_num_minus1 or long_term_pic_num", Integer.MAX_VALUE - 1);
        }
    }

    /** A bit reader over one NAL unit's payload that skips emulation prevention bytes and stops at its end. */
    private static final class Bits {
        private byte[] d;
        private int pos;
        private int end;
        private int base;
        private int cur;
        private int left;
        private int zeros;

        void reset(byte[] data, int from, int to, int base) {
            this.d = data;
            this.pos = from;
            this.end = to;
            this.base = base;
            this.left = 0;
            this.zeros = 0;
        }

        private int bit(String what) {
            if (left == 0) {
                if (pos >= end) {
                    throw new MalformedInputException(end - base, "NAL unit ends inside " + what);
                }
                int v = d[pos++] & 255;
                if (zeros >= 2 && v == 3) {
                    // emulation_prevention_three_byte
                    zeros = 0;
                    if (pos >= end) {
                        throw new MalformedInputException(end - base, "NAL unit ends inside " + what);
                    }
                    v = d[pos++] & 255;
                }
                zeros = v == 0 ? zeros + 1 : 0;
                cur = v;
                left = 8;
            }
            left--;
            return (cur >> left) & 1;
        }

        int u(int n, String what) {
            int v = 0;
            for (int k = 0; k < n; k++) {
                v = (v << 1) | bit(what);
            }
            return v;
        }

        /** ue(v) no larger than {@code max}. */
        int ue(String what, int max) {
            int lz = 0;
            while (bit(what) == 0) {
                if (++lz > 31) {
                    throw bad(what + ": Exp-Golomb code longer than 32 bits");
                }
            }
            long v = (1L << lz) - 1 + (lz == 0 ? 0 : (u(lz, what) & 0xFFFFFFFFL));
            if (v > max) {
                throw bad(what + " = " + v + " exceeds " + max);
            }
            return (int) v;
        }

        int se(String what) {
            long k = ue(what, Integer.MAX_VALUE - 1);
            return (int) ((k & 1) != 0 ? (k + 1) / 2 : -(k / 2));
        }

        MalformedInputException bad(String reason) {
            return new MalformedInputException(Math.max(0, pos - 1 - base), reason);
        }
    }
}
