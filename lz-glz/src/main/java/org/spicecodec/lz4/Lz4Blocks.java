package org.spicecodec.lz4;

import org.spicecodec.core.MalformedInputException;

/**
 * A safe LZ4 block decoder whose matches may reach back into output written before the
 * block, within the same array: the semantics of {@code LZ4_decompress_safe_continue} when all
 * blocks go to one contiguous buffer. lz4-java has no such call, and the blocks of an LZ4 image
 * are compressed with the streaming API, so a later block may refer to an earlier one.
 *
 * <p>Written from the LZ4 block format description. It enforces the same end-of-block rules
 * as the reference safe decoder (the last 5 bytes of the output space are literals, the last
 * match starts 12 bytes before it, the block ends right after literals), so it accepts what
 * lz4-java's safe decoder accepts, plus references into the prefix.
 */
final class Lz4Blocks {
    private static final int MIN_MATCH = 4;
    private static final int LAST_LITERALS = 5;
    private static final int MF_LIMIT = 12;
    /** Bytes that must follow literals unless they end the block: offset, token, 5 literals. */
    private static final int MIN_TAIL = 2 + 1 + LAST_LITERALS;
    private static final int MAX_RUN = 0x7F000000;

    private Lz4Blocks() {
    }

    /**
     * Decodes the block {@code src[srcOff, srcOff + srcLen)} into {@code dst} from
     * {@code dstPos}, writing nothing at or past {@code dstEnd}; matches may copy from
     * {@code dst[prefixStart, ...)}.
     *
     * @param reportBase offset in the caller's stream of {@code src[srcOff]}, for exceptions
     * @return bytes written
     */
    static int decompress(byte[] src, int srcOff, int srcLen, byte[] dst, int prefixStart, int dstPos, int dstEnd,
                          long reportBase) {
        int ip = srcOff;
        final int iend = srcOff + srcLen;
        int op = dstPos;
        while (true) {
            if (ip >= iend) {
                throw bad(reportBase, srcOff, ip, "LZ4 block ends after a match; a block must end with literals");
            }
            int token = src[ip++] & 0xFF;
            int lit = token >>> 4;
            if (lit == 15) {
                int b;
                do {
                    if (ip >= iend) {
                        throw bad(reportBase, srcOff, ip, "LZ4 literal length runs past the block end");
                    }
                    b = src[ip++] & 0xFF;
                    lit += b;
                } while (b == 255 && lit < MAX_RUN);
                if (lit >= MAX_RUN) {
                    throw bad(reportBase, srcOff, ip, "LZ4 literal length is absurd");
                }
            }
            if (lit > iend - ip) {
                throw bad(reportBase, srcOff, ip, "LZ4 literals (" + lit + ") run past the block end");
            }
            if (lit > dstEnd - op) {
                throw bad(reportBase, srcOff, ip, "LZ4 block decodes to more than the " + (dstEnd - dstPos)
                        + " bytes expected");
            }
            if (ip + lit > iend - MIN_TAIL || op + lit > dstEnd - MF_LIMIT) {
                // This can only be the last sequence: literals that end the block exactly.
                if (ip + lit != iend) {
                    throw bad(reportBase, srcOff, ip, "LZ4 sequence too close to the end of the block or output");
                }
                System.arraycopy(src, ip, dst, op, lit);
                op += lit;
                return op - dstPos;
            }
            System.arraycopy(src, ip, dst, op, lit);
            ip += lit;
            op += lit;

            int offset = (src[ip] & 0xFF) | (src[ip + 1] & 0xFF) << 8;
            int offsetAt = ip;
            ip += 2;
            if (offset == 0) {
                throw bad(reportBase, srcOff, offsetAt, "LZ4 match offset 0");
            }
            if (offset > op - prefixStart) {
                throw bad(reportBase, srcOff, offsetAt, "LZ4 match offset " + offset + " reaches before the start of the output");
            }
            int len = token & 15;
            if (len == 15) {
                int b;
                do {
                    if (ip >= iend) {
                        throw bad(reportBase, srcOff, ip, "LZ4 match length runs past the block end");
                    }
                    b = src[ip++] & 0xFF;
                    len += b;
                } while (b == 255 && len < MAX_RUN);
                if (len >= MAX_RUN) {
                    throw bad(reportBase, srcOff, ip, "LZ4 match length is absurd");
                }
            }
            len += MIN_MATCH;
            if (len > dstEnd - LAST_LITERALS - op) {
                throw bad(reportBase, srcOff, ip, "LZ4 match runs into the last " + LAST_LITERALS
                        + " bytes of the output, or past it");
            }
            int from = op - offset;
            if (offset >= len) {
                System.arraycopy(dst, from, dst, op, len);
                op += len;
            } else {
                // Overlapping match: the bytes repeat with period `offset`; copy in growing runs.
                int end = op + len;
                while (op < end) {
                    int n = Math.min(op - from, end - op);
                    System.arraycopy(dst, from, dst, op, n);
                    op += n;
                }
            }
        }
    }

    private static MalformedInputException bad(long reportBase, int srcOff, int ip, String reason) {
        return new MalformedInputException(reportBase + (ip - srcOff), reason);
    }
}
