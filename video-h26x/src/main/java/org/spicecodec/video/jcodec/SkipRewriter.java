package org.spicecodec.video.jcodec;

import org.jcodec.codecs.h264.H264Const;
import org.jcodec.common.io.VLC;

/**
 * Turns the macroblocks of a JCodec P picture that need no bits into P_Skip macroblocks.
 *
 * <p>Why: JCodec 0.2.5 writes every macroblock of a P picture as P_L0_16x16 with
 * {@code mb_skip_run} 0 and {@code coded_block_pattern} 47 (all 16 luma and 8+2 chroma blocks
 * coded, even when all are zero), so a P picture costs at least about 50 bits per macroblock
 * whatever the QP: 1.1 Mbit/s for 640x360 at 25 fps of a terminal whose pixels barely change,
 * at QP 22, 30 and 38 alike.
 *
 * <p>A P_L0_16x16 macroblock whose residual blocks are all empty, whose {@code mb_qp_delta} is 0
 * and whose motion vector is the one P_Skip infers (H.264 8.4.1.1) decodes to the same pixels,
 * the same deblocking strengths, the same QP and the same neighbour contexts (motion vector and
 * total_coeff 0) as a skipped one. This class parses the slice (CAVLC, with JCodec's own VLC
 * tables), drops those macroblocks into skip runs, copies every other macroblock's bits as they
 * are, and writes the NAL unit back. The encoder's reference picture does not change.
 *
 * <p>The slice header length comes from the macroblock sizes JCodec reports to its rate control
 * ({@link #macroblockCoded}); any macroblock that does not parse to its reported size, or
 * anything else unexpected, leaves the picture as JCodec wrote it. Buffers are reused; a picture
 * allocates nothing. Not thread-safe.
 */
final class SkipRewriter {
    /** coded_block_pattern 47 as an inter me(v) code number (H.264 table 9-4). */
    private static final int CBP_47_CODE = 12;
    private static final VLC[] COEFF_TOKEN = H264Const.CoeffToken;
    private static final VLC CHROMA_DC_TOKEN = H264Const.coeffTokenChromaDCY420;

    private final int mbWidth;
    private final int mbCount;
    /** Bits of each macroblock after its mb_type, as JCodec reported them. */
    private final int[] reported;
    private int reportedCount;
    private final int[] mbStart;
    private final boolean[] skip;
    private final byte[] lumaTotals;
    private final byte[] cbTotals;
    private final byte[] crTotals;
    private final int[] mvx;
    private final int[] mvy;
    private byte[] rbsp = new byte[0];
    private byte[] written = new byte[0];

    // Bit reader state over rbsp.
    private int pos;
    private int limit;
    // Bit writer state over written.
    private int wpos;

    SkipRewriter(int mbWidth, int mbHeight) {
        this.mbWidth = mbWidth;
        this.mbCount = mbWidth * mbHeight;
        reported = new int[mbCount];
        mbStart = new int[mbCount];
        skip = new boolean[mbCount];
        lumaTotals = new byte[mbCount * 16];
        cbTotals = new byte[mbCount * 4];
        crTotals = new byte[mbCount * 4];
        mvx = new int[mbCount];
        mvy = new int[mbCount];
    }

    /** A new picture starts: forget the macroblock sizes. */
    void startPicture() {
        reportedCount = 0;
    }

    /** JCodec kept a macroblock of {@code bits} bits (its last attempt for that macroblock). */
    void macroblockCoded(int bits) {
        if (reportedCount < mbCount) {
            reported[reportedCount] = bits;
        }
        reportedCount++;
    }

    /**
     * Rewrites the P picture JCodec wrote to {@code data[0, length)} (one 4-byte start code and
     * one slice NAL unit) in place.
     *
     * @return the new length, at most {@code length}; {@code length} if nothing changed
     */
    int rewrite(byte[] data, int length) {
        if (reportedCount != mbCount || length < 6 || data[0] != 0 || data[1] != 0 || data[2] != 0 || data[3] != 1
                || (data[4] & 0x1F) != 1) {
            return length;
        }
        int rbspLength = unescape(data, 5, length);
        int stop = stopBit(rbspLength);
        long macroblockBits = 0;
        for (int i = 0; i < mbCount; i++) {
            // mb_skip_run and mb_type (1 bit each) go before the part JCodec measures.
            macroblockBits += 2 + reported[i];
        }
        long headerEnd = stop - macroblockBits;
        if (stop < 0 || headerEnd <= 0) {
            return length;
        }
        limit = stop;
        pos = (int) headerEnd;
        int skipped = 0;
        try {
            for (int m = 0; m < mbCount; m++) {
                if (!parseMacroblock(m)) {
                    return length;
                }
                if (skip[m]) {
                    skipped++;
                }
            }
        } catch (IndexOutOfBoundsException e) {
            return length; // ran past the stop bit: not the stream this class expects
        }
        if (pos != stop || skipped == 0) {
            return length;
        }
        if (written.length < rbspLength + 16) {
            written = new byte[rbspLength + 16];
        }
        wpos = 0;
        copyBits(0, (int) headerEnd);
        int run = 0;
        for (int m = 0; m < mbCount; m++) {
            if (skip[m]) {
                run++;
            } else {
                writeUe(run);
                run = 0;
                copyBits(mbStart[m], 1 + reported[m]);
            }
        }
        if (run > 0) {
            writeUe(run);
        }
        writeBit(1); // rbsp_stop_one_bit, then zero bits to the byte boundary
        int bytes = (wpos + 7) >> 3;
        return escape(bytes, data, 5, length);
    }

    /** Parses macroblock {@code m} at {@link #pos}; false if it is not what JCodec writes. */
    private boolean parseMacroblock(int m) {
        if (readUe() != 0) { // mb_skip_run: JCodec never skips
            return false;
        }
        int start = pos;
        mbStart[m] = start;
        if (readUe() != 0) { // mb_type P_L0_16x16 (one reference: no ref_idx)
            return false;
        }
        int mvdx = readSe();
        int mvdy = readSe();
        if (readUe() != CBP_47_CODE) {
            return false;
        }
        int qpDelta = readSe();
        int x = m % mbWidth;
        int y = m / mbWidth;
        int coefficients = 0;
        for (int b8 = 0; b8 < 4; b8++) {
            for (int b4 = 0; b4 < 4; b4++) {
                int bx = (b8 & 1) * 2 + (b4 & 1);
                int by = (b8 >> 1) * 2 + (b4 >> 1);
                int total = readBlock(COEFF_TOKEN[Math.min(8, lumaNc(m, x, y, bx, by))], 16);
                lumaTotals[m * 16 + by * 4 + bx] = (byte) total;
                coefficients += total;
            }
        }
        coefficients += readBlock(CHROMA_DC_TOKEN, 4);
        coefficients += readBlock(CHROMA_DC_TOKEN, 4);
        for (int plane = 0; plane < 2; plane++) {
            byte[] totals = plane == 0 ? cbTotals : crTotals;
            for (int b = 0; b < 4; b++) {
                int total = readBlock(COEFF_TOKEN[Math.min(8, chromaNc(totals, m, x, y, b & 1, b >> 1))], 15);
                totals[m * 4 + b] = (byte) total;
                coefficients += total;
            }
        }
        if (pos - start != 1 + reported[m]) {
            return false;
        }
        // The motion vector: prediction (8.4.1.3) plus the difference.
        boolean hasA = x > 0;
        boolean hasB = y > 0;
        int c = y > 0 && x + 1 < mbWidth ? m - mbWidth + 1 : y > 0 && x > 0 ? m - mbWidth - 1 : -1;
        int a = hasA ? m - 1 : -1;
        int b = hasB ? m - mbWidth : -1;
        int px;
        int py;
        int available = (a >= 0 ? 1 : 0) + (b >= 0 ? 1 : 0) + (c >= 0 ? 1 : 0);
        if (a >= 0 && b < 0 && c < 0) {
            px = mvx[a];
            py = mvy[a];
        } else if (available == 1) {
            int only = a >= 0 ? a : b >= 0 ? b : c;
            px = mvx[only];
            py = mvy[only];
        } else {
            px = median(a >= 0 ? mvx[a] : 0, b >= 0 ? mvx[b] : 0, c >= 0 ? mvx[c] : 0);
            py = median(a >= 0 ? mvy[a] : 0, b >= 0 ? mvy[b] : 0, c >= 0 ? mvy[c] : 0);
        }
        mvx[m] = px + mvdx;
        mvy[m] = py + mvdy;
        // P_Skip's vector (8.4.1.1): zero at the picture's top or left edge or next to a still neighbour.
        boolean zero = !hasA || !hasB || (mvx[a] == 0 && mvy[a] == 0) || (mvx[b] == 0 && mvy[b] == 0);
        int sx = zero ? 0 : px;
        int sy = zero ? 0 : py;
        skip[m] = coefficients == 0 && qpDelta == 0 && mvx[m] == sx && mvy[m] == sy;
        return true;
    }

    private static int median(int a, int b, int c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }

    /** nC of luma block (bx, by) of macroblock m (9.2.1): the mean of the left and upper totals. */
    private int lumaNc(int m, int x, int y, int bx, int by) {
        int left = bx > 0 ? lumaTotals[m * 16 + by * 4 + bx - 1] : x > 0 ? lumaTotals[(m - 1) * 16 + by * 4 + 3] : -1;
        int up = by > 0 ? lumaTotals[m * 16 + (by - 1) * 4 + bx]
                : y > 0 ? lumaTotals[(m - mbWidth) * 16 + 12 + bx] : -1;
        return nc(left, up);
    }

    private int chromaNc(byte[] totals, int m, int x, int y, int bx, int by) {
        int left = bx > 0 ? totals[m * 4 + by * 2] : x > 0 ? totals[(m - 1) * 4 + by * 2 + 1] : -1;
        int up = by > 0 ? totals[m * 4 + bx] : y > 0 ? totals[(m - mbWidth) * 4 + 2 + bx] : -1;
        return nc(left, up);
    }

    private static int nc(int left, int up) {
        if (left >= 0 && up >= 0) {
            return (left + up + 1) >> 1;
        }
        return Math.max(0, Math.max(left, up));
    }

    /** Reads residual_block_cavlc (7.3.5.3.3) and returns its TotalCoeff. */
    private int readBlock(VLC tokens, int maxCoeff) {
        // JCodec's coeff_token tables list (TotalCoeff, TrailingOnes) as the standard's table
        // does: (0,0), (1,0..1), (2,0..2), then (t,0..3) for t = 3..16.
        int token = readVlc(tokens);
        int total;
        int trailingOnes;
        if (token < 6) {
            total = token == 0 ? 0 : token < 3 ? 1 : 2;
            trailingOnes = token == 0 ? 0 : token < 3 ? token - 1 : token - 3;
        } else {
            total = 3 + (token - 6) / 4;
            trailingOnes = (token - 6) % 4;
        }
        if (total == 0) {
            return 0;
        }
        int suffixLength = total > 10 && trailingOnes < 3 ? 1 : 0;
        for (int i = 0; i < total; i++) {
            if (i < trailingOnes) {
                pos++; // trailing_ones_sign_flag
                continue;
            }
            int prefix = 0;
            while (readBit() == 0) {
                prefix++;
                if (prefix > 32) {
                    throw new IndexOutOfBoundsException("level_prefix");
                }
            }
            int levelCode = Math.min(15, prefix) << suffixLength;
            if (suffixLength > 0 || prefix >= 14) {
                int size = prefix == 14 && suffixLength == 0 ? 4 : prefix >= 15 ? prefix - 3 : suffixLength;
                levelCode += readBits(size);
            }
            if (prefix >= 15 && suffixLength == 0) {
                levelCode += 15;
            }
            if (prefix >= 16) {
                levelCode += (1 << (prefix - 3)) - 4096;
            }
            if (i == trailingOnes && trailingOnes < 3) {
                levelCode += 2;
            }
            int magnitude = (levelCode + 2) >> 1;
            if (suffixLength == 0) {
                suffixLength = 1;
            }
            if (magnitude > (3 << (suffixLength - 1)) && suffixLength < 6) {
                suffixLength++;
            }
        }
        int zeros = 0;
        if (total < maxCoeff) {
            zeros = readVlc(maxCoeff == 4 ? H264Const.totalZeros4[total - 1] : H264Const.totalZeros16[total - 1]);
        }
        for (int i = 0; i < total - 1 && zeros > 0; i++) {
            zeros -= readVlc(H264Const.run[Math.min(7, zeros) - 1]);
        }
        return total;
    }

    /** The value whose code comes next (JCodec's codes are left-aligned in 32 bits). */
    private int readVlc(VLC vlc) {
        int next = peek32();
        int[] codes = vlc.getCodes();
        int[] sizes = vlc.getCodeSizes();
        for (int v = 0; v < codes.length; v++) {
            int s = sizes[v];
            if (s > 0 && (next >>> (32 - s)) == (codes[v] >>> (32 - s))) {
                pos += s;
                if (pos > limit) {
                    throw new IndexOutOfBoundsException("code past the end");
                }
                return v;
            }
        }
        throw new IndexOutOfBoundsException("no code matches");
    }

    private int peek32() {
        int v = 0;
        for (int i = 0; i < 32; i++) {
            int p = pos + i;
            int bit = p < limit ? (rbsp[p >> 3] >> (7 - (p & 7))) & 1 : 0;
            v = (v << 1) | bit;
        }
        return v;
    }

    private int readBit() {
        if (pos >= limit) {
            throw new IndexOutOfBoundsException("bit past the end");
        }
        int bit = (rbsp[pos >> 3] >> (7 - (pos & 7))) & 1;
        pos++;
        return bit;
    }

    private int readBits(int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 1) | readBit();
        }
        return v;
    }

    private int readUe() {
        int zeros = 0;
        while (readBit() == 0) {
            if (++zeros > 31) {
                throw new IndexOutOfBoundsException("ue(v) too long");
            }
        }
        return (int) ((1L << zeros) - 1 + readBits(zeros));
    }

    private int readSe() {
        int k = readUe();
        return (k & 1) != 0 ? (k + 1) >> 1 : -(k >> 1);
    }

    private void writeBit(int bit) {
        int i = wpos >> 3;
        if ((wpos & 7) == 0) {
            written[i] = 0;
        }
        written[i] |= (byte) (bit << (7 - (wpos & 7)));
        wpos++;
    }

    private void writeUe(int v) {
        int value = v + 1;
        int bits = 32 - Integer.numberOfLeadingZeros(value);
        for (int i = 1; i < bits; i++) {
            writeBit(0);
        }
        for (int i = bits - 1; i >= 0; i--) {
            writeBit((value >> i) & 1);
        }
    }

    private void copyBits(int from, int count) {
        for (int i = 0; i < count; i++) {
            int p = from + i;
            writeBit((rbsp[p >> 3] >> (7 - (p & 7))) & 1);
        }
    }

    /** Removes emulation prevention bytes of data[from, end) into rbsp; returns its length. */
    private int unescape(byte[] data, int from, int end) {
        if (rbsp.length < end - from) {
            rbsp = new byte[end - from];
        }
        int n = 0;
        int zeros = 0;
        for (int i = from; i < end; i++) {
            byte b = data[i];
            if (zeros >= 2 && b == 3) {
                zeros = 0;
                continue;
            }
            rbsp[n++] = b;
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return n;
    }

    /** The bit offset of rbsp_stop_one_bit (the last 1 bit), or -1. */
    private int stopBit(int length) {
        for (int i = length - 1; i >= 0; i--) {
            int b = rbsp[i] & 0xFF;
            if (b != 0) {
                return i * 8 + 7 - Integer.numberOfTrailingZeros(b);
            }
        }
        return -1;
    }

    /** Writes written[0, bytes) with emulation prevention to data[at..]; length if it would not fit. */
    private int escape(int bytes, byte[] data, int at, int length) {
        // Count first: the escaped NAL unit must fit where the old one was.
        int size = 0;
        int zeros = 0;
        for (int i = 0; i < bytes; i++) {
            int b = written[i] & 0xFF;
            if (zeros >= 2 && b <= 3) {
                size++;
                zeros = 0;
            }
            size++;
            zeros = b == 0 ? zeros + 1 : 0;
        }
        if (at + size > length) {
            return length;
        }
        int o = at;
        zeros = 0;
        for (int i = 0; i < bytes; i++) {
            int b = written[i] & 0xFF;
            if (zeros >= 2 && b <= 3) {
                data[o++] = 3;
                zeros = 0;
            }
            data[o++] = (byte) b;
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return o;
    }
}
