package org.spicecodec.quic;

import java.util.Arrays;

/**
 * The adaptive state QUIC keeps identically on both sides: per-channel bucket statistics and
 * context rows, per-plane sampling schedules and MELCODE run states. Reset at every image.
 *
 * <p>Channels are 0 = R (or gray), 1 = G, 2 = B, 3 = alpha. Planes are 0 = RGB (or gray)
 * and 1 = alpha. A context row holds the folded value of position {@code i} (where -1 is the
 * slot before column 0) at index {@code i + 1}; the RGB row packs the three channels of a
 * position in one int, {@code R << 16 | G << 8 | B}, so the hot loops move them together.
 */
final class QuicModel {
    static final int MAGIC = 0x43495551;
    static final int VERSION = 0;
    static final int HEADER_BYTES = 20;

    /** Highest wait-mask index. */
    static final int WMI_MAX = 6;
    /** Pixels per wait-mask step. */
    static final int WMI_NEXT = 2048;
    /** Halving threshold per wait-mask index. */
    static final int[] TRIGGER = {110, 550, 900, 800, 550, 400, 350};

    /** MELCODE order exponent per state. */
    static final int[] MELC_J = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 9,
        10, 11, 12, 13, 14, 15};

    /** The reference's pseudo-random table; only the low 6 bits matter (largest wait mask 63). */
    static final int[] CHAOS = {
        0x02c57542, 0x35427717, 0x2f5a2153, 0x9244f155, 0x7bd26d07, 0x354c6052, 0x57329b28, 0x2993868e,
        0x6cd8808c, 0x147b46e0, 0x99db66af, 0xe32b4cac, 0x1b671264, 0x9d433486, 0x62a4c192, 0x06089a4b,
        0x9e3dce44, 0xdaabee13, 0x222425ea, 0xa46f331d, 0xcd589250, 0x8bb81d7f, 0xc8b736b9, 0x35948d33,
        0xd7ac7fd0, 0x5fbe2803, 0x2cfbc105, 0x013dbc4e, 0x7a37820f, 0x39f88e9e, 0xedd58794, 0xc5076689,
        0xfcada5a4, 0x64c2f46d, 0xb3ba3243, 0x8974b4f9, 0x5a05aebd, 0x20afcd00, 0x39e2b008, 0x88a18a45,
        0x600bde29, 0xf3971ace, 0xf37b0a6b, 0x7041495b, 0x70b707ab, 0x06beffbb, 0x4206051f, 0xe13c4ee3,
        0xc1a78327, 0x91aa067c, 0x8295f72a, 0x732917a6, 0x1d871b4d, 0x4048f136, 0xf1840e7e, 0x6a6048c1,
        0x696cb71a, 0x7ff501c3, 0x0fc6310b, 0x57e0f83d, 0x8cc26e74, 0x11a525a2, 0x946934c7, 0x7cd888f0,
        0x8f9d8604, 0x4f86e73b, 0x04520316, 0xdeeea20c, 0xf1def496, 0x67687288, 0xf540c5b2, 0x22401484,
        0x3478658a, 0xc2385746, 0x01979c2c, 0x5dad73c8, 0x0321f58b, 0xf0fedbee, 0x92826ddf, 0x284bec73,
        0x5b1a1975, 0x03df1e11, 0x20963e01, 0xa17cf12b, 0x740d776e, 0xa7a6bf3c, 0x01b5cce4, 0x1118aa76,
        0xfc6fac0a, 0xce927e9b, 0x00bf2567, 0x806f216c, 0xbca69056, 0x795bd3e9, 0xc9dc4557, 0x8929b6c2,
        0x789d52ec, 0x3f3fbf40, 0xb9197368, 0xa38c15b5, 0xc3b44fa8, 0xca8333b0, 0xb7e8d590, 0xbe807feb,
        0xbf5f8360, 0xd99e2f5c, 0x372928e1, 0x7c757c4c, 0x0db5b154, 0xc01ede02, 0x1fc86e78, 0x1f3985be,
        0xb4805c77, 0x00c880fa, 0x974c1b12, 0x35ab0214, 0xb2dc840d, 0x5b00ae37, 0xd313b026, 0xb260969d,
        0x7f4c8879, 0x1734c4d3, 0x49068631, 0xb9f6a021, 0x6b863e6f, 0xcee5debf, 0x29f8c9fb, 0x53dd6880,
        0x72b61223, 0x1f67a9fd, 0x0a0f6993, 0x13e59119, 0x11cca12e, 0xfe6b6766, 0x16b6effc, 0x97918fc4,
        0xc2b8a563, 0x94f2f741, 0x0bfa8c9a, 0xd1537ae8, 0xc1da349c, 0x873c60ca, 0x95005b85, 0x9b5c080e,
        0xbc8abbd9, 0xe1eab1d2, 0x6dac9070, 0x4ea9ebf1, 0xe0cf30d4, 0x1ef5bd7b, 0xd161043e, 0x5d2fa2e2,
        0xff5d3cae, 0x86ed9f87, 0x2aa1daa1, 0xbd731a34, 0x9e8f4b22, 0xb1c2c67a, 0xc21758c9, 0xa182215d,
        0xccb01948, 0x8d168df7, 0x04238cfe, 0x368c3dbc, 0x0aeadca5, 0xbad21c24, 0x0a71fee5, 0x9fc5d872,
        0x54c152c6, 0xfc329483, 0x6783384a, 0xeddb3e1c, 0x65f90e30, 0x884ad098, 0xce81675a, 0x4b372f7d,
        0x68bf9a39, 0x43445f1e, 0x40f8d8cb, 0x90d5acb6, 0x4cd07282, 0x349eeb06, 0x0c9d5332, 0x520b24ef,
        0x80020447, 0x67976491, 0x2f931ca3, 0xfe9b0535, 0xfcd30220, 0x61a9e6cc, 0xa487d8d7, 0x3f7c5dd1,
        0x7d0127c5, 0x48f51d15, 0x60dea871, 0xc9a91cb7, 0x58b53bb3, 0x9d5e0b2d, 0x624a78b4, 0x30dbee1b,
        0x9bdf22e7, 0x1df5c299, 0x2d5643a7, 0xf4dd35ff, 0x03ca8fd6, 0x53b47ed8, 0x6f2c19aa, 0xfeb0c1f4,
        0x49e54438, 0x2f2577e6, 0xbf876969, 0x72440ea9, 0xfa0bafb8, 0x74f5b3a0, 0x7dd357cd, 0x89ce1358,
        0x6ef2cdda, 0x1e7767f3, 0xa6be9fdb, 0x4f5f88f8, 0xba994a3a, 0x08ca6b65, 0xe0893818, 0x9e00a16a,
        0xf42bfc8f, 0x9972eedc, 0x749c8b51, 0x32c05f5e, 0xd706805f, 0x6bfbb7cf, 0xd9210a10, 0x31a1db97,
        0x923a9559, 0x37a7a1f6, 0x059f8861, 0xca493e62, 0x65157e81, 0x8f6467dd, 0xab85ff9f, 0x9331aff2,
        0x8616b9f5, 0xedbd5695, 0xee7e29b1, 0x313ac44f, 0xb903112f, 0x432ef649, 0xdc0a36c0, 0x61cf2bba,
        0x81474925, 0xa8b6c7ad, 0xee5931de, 0xb2f8158d, 0x59fb7409, 0x2e3dfaed, 0x9af25a3f, 0xe1fed4d5,
    };

    QuicFamily family = QuicFamily.BPC8;

    /** Bucket counters: {@code counters[channel * 64 + bucket * 8 + code]}. */
    final int[] counters = new int[4 * 64];
    /** Best code per bucket: {@code bestCode[channel * 8 + bucket]}. */
    final int[] bestCode = new int[4 * 8];
    /**
     * The best code of each context's bucket, pre-shifted for indexing the code tables:
     * {@code bestByCtx[channel * 256 + ctx] == bestCode[channel * 8 + bucketOf[ctx]] << 8}.
     * Kept in step with {@link #bestCode} so the hot loops skip the bucket lookup.
     */
    final int[] bestByCtx = new int[4 * 256];
    /** Context row of the RGB plane, channels packed (see class comment). */
    int[] corrRgb = new int[0];
    /** Context row of the gray or alpha plane. */
    int[] corr1 = new int[0];

    // Per-plane adaptation state, indexed by plane.
    final int[] wmidx = new int[2];
    final int[] wmileft = new int[2];
    final int[] waitcnt = new int[2];
    final int[] seed = new int[2];
    final int[] melcState = new int[2];
    final int[] melcOrder = new int[2];

    /** Prepares for an image of this width and depth; allocates only when the width grows. */
    void reset(QuicFamily fam, int width) {
        family = fam;
        Arrays.fill(counters, 0);
        Arrays.fill(bestCode, fam.bpc - 1);
        Arrays.fill(bestByCtx, (fam.bpc - 1) << 8);
        if (corrRgb.length < width + 1) {
            corrRgb = new int[width + 1];
            corr1 = new int[width + 1];
        }
        for (int p = 0; p < 2; p++) {
            wmidx[p] = 0;
            wmileft[p] = WMI_NEXT;
            waitcnt[p] = 0;
            seed[p] = 0xFF;
            melcState[p] = 0;
            melcOrder[p] = 1;
        }
    }

    /**
     * Sets slot -1 of a context row before coding row {@code row}: 0 on the first row, then
     * the folded value of the previous row's first pixel (before this row overwrites it).
     */
    static void startRow(int row, int[] corr) {
        corr[0] = row == 0 ? 0 : corr[1];
    }

    /**
     * The sampled model update of an RGB pixel coded with contexts {@code ctx} and folded
     * values {@code f} (both packed); returns the plane's next wait count.
     */
    final int sampleRgb(int ctx, int f) {
        int trigger = segTrigger;
        updateModel(0, ctx >>> 16, f >>> 16, trigger);
        updateModel(1, (ctx >>> 8) & 0xFF, (f >>> 8) & 0xFF, trigger);
        updateModel(2, ctx & 0xFF, f & 0xFF, trigger);
        return nextRandom(0) & segWaitMask;
    }

    /** The same for a pixel of a single-channel plane. */
    final int sample1(int plane, int channel, int ctx, int f) {
        updateModel(channel, ctx, f, segTrigger);
        return nextRandom(plane) & segWaitMask;
    }

    /** Next value of the plane's pseudo-random sequence. */
    final int nextRandom(int plane) {
        return CHAOS[++seed[plane] & 0xFF];
    }

    /**
     * Adds the code lengths of folded value {@code f} to the bucket of context {@code ctx}
     * of {@code channel}, picks the best code (ties to the larger code number) and halves
     * the counters once the best passes {@code trigger}.
     */
    final void updateModel(int channel, int ctx, int f, int trigger) {
        QuicFamily fam = family;
        int[] len = fam.codeLen;
        int bucket = fam.bucketOf[ctx & 0xFF];
        int base = channel * 64 + bucket * 8;
        int[] cnt = counters;
        int best = fam.bpc - 1;
        int min = cnt[base + best] += len[best << 8 | f];
        for (int l = best - 1; l >= 0; l--) {
            int c = cnt[base + l] += len[l << 8 | f];
            if (Integer.compareUnsigned(c, min) < 0) {
                min = c;
                best = l;
            }
        }
        if (bestCode[channel * 8 + bucket] != best) {
            bestCode[channel * 8 + bucket] = best;
            int[] byCtx = bestByCtx;
            int shifted = best << 8;
            int from = channel * 256;
            for (int ctxValue : fam.contextsOf[bucket]) {
                byCtx[from + ctxValue] = shifted;
            }
        }
        if (Integer.compareUnsigned(min, trigger) > 0) {
            for (int l = 0; l < fam.bpc; l++) {
                cnt[base + l] >>>= 1;
            }
        }
    }

    /**
     * Cuts the next segment off a row of {@code width} pixels starting at {@code pos}, and
     * advances the plane's schedule. Returns the segment end; the segment's wait mask and
     * trigger are left in {@link #segWaitMask} and {@link #segTrigger}.
     */
    final int nextSegment(int plane, int pos, int width) {
        int wmi = wmidx[plane];
        segWaitMask = (1 << wmi) - 1;
        segTrigger = TRIGGER[wmi];
        int remaining = width - pos;
        if (wmi < WMI_MAX && wmileft[plane] <= remaining) {
            int end = pos + wmileft[plane];
            wmidx[plane] = wmi + 1;
            wmileft[plane] = WMI_NEXT;
            return end;
        }
        if (wmi < WMI_MAX) {
            wmileft[plane] -= remaining;
        }
        return width;
    }

    /** Wait mask and trigger of the segment {@link #nextSegment} returned last. */
    int segWaitMask;
    int segTrigger;

    final void melcStep(int plane, int state) {
        melcState[plane] = state;
        melcOrder[plane] = 1 << MELC_J[state];
    }
}
