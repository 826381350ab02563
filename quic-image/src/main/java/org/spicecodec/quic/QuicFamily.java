package org.spicecodec.quic;

/**
 * The Golomb code family for one channel depth (8 bits, or 5 for RGB16): code words and
 * lengths for every folded value and code number, the decoding parameters, the folding
 * tables and the context-to-bucket map. Immutable and shared.
 */
final class QuicFamily {
    /** Longest code word the family may produce. */
    private static final int LIMIT = 26;

    static final QuicFamily BPC8 = new QuicFamily(8);
    static final QuicFamily BPC5 = new QuicFamily(5);

    final int bpc;
    /** Largest channel value: 255 or 31. */
    final int maxValue;
    final int bucketCount;
    /** The top bit of each of three packed 8-bit lanes holding channel values. */
    final int laneTop;
    /** The context values (0..255) that map to each bucket. */
    final int[][] contextsOf;

    /**
     * Code length of folded value f with code l, at index {@code l << 8 | f}; this is also
     * what the model adds to bucket counters.
     */
    final int[] codeLen = new int[8 << 8];

    /** Code word and length in one int, {@code word << 5 | length}, same indexing. */
    final int[] codePacked = new int[8 << 8];

    final int[] alt = new int[8];
    final int[] nGR = new int[8];
    final int[] escLen = new int[8];
    final int[] suffixMask = new int[8];

    /**
     * Residual to folded value, for any residual byte: only its low bpc bits count, so
     * callers mask with 0xFF whatever the depth.
     */
    final int[] fold = new int[256];
    /** Folded value to residual; entries past 2^bpc stay 0, as in the reference. */
    final int[] unfold = new int[256];
    /** Context value (any byte; masked to the depth) to bucket index. */
    final int[] bucketOf = new int[256];

    private QuicFamily(int bpc) {
        this.bpc = bpc;
        this.maxValue = (1 << bpc) - 1;
        this.laneTop = (1 << (bpc - 1)) * 0x010101;
        int levels = 1 << bpc;
        for (int l = 0; l < bpc; l++) {
            alt[l] = Math.min(LIMIT - bpc, (1 << (bpc - l)) - 1);
            nGR[l] = alt[l] << l;
            int rest = levels - nGR[l];
            int suffixLen = rest <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(rest - 1);
            escLen[l] = alt[l] + suffixLen;
            suffixMask[l] = (1 << suffixLen) - 1;
            for (int f = 0; f < 256; f++) {
                int i = l << 8 | f;
                int word;
                if (f < nGR[l]) {
                    word = (1 << l) | (f & ((1 << l) - 1));
                    codeLen[i] = (f >>> l) + 1 + l;
                } else {
                    word = f - nGR[l];
                    codeLen[i] = escLen[l];
                }
                codePacked[i] = word << 5 | codeLen[i];
            }
        }
        int half = maxValue >>> 1;
        for (int e = 0; e < levels; e++) {
            int f = e <= half ? 2 * e : 2 * (maxValue - e) + 1;
            unfold[f] = e;
        }
        for (int e = 0; e < 256; e++) {
            int r = e & maxValue;
            fold[e] = r <= half ? 2 * r : 2 * (maxValue - r) + 1;
        }
        // Bucket sizes 1, 2, 4, ...; a bucket whose successor would reach the last level
        // absorbs the rest.
        int start = 0;
        int size = 1;
        int bucket = 0;
        while (start < levels) {
            int end = start + size;
            if (end + 2 * size >= levels) {
                end = levels;
            }
            for (int v = start; v < end; v++) {
                bucketOf[v] = bucket;
            }
            bucket++;
            start = end;
            size *= 2;
        }
        bucketCount = bucket;
        for (int v = levels; v < 256; v++) {
            bucketOf[v] = bucketOf[v & maxValue];
        }
        contextsOf = new int[bucketCount][];
        for (int b = 0; b < bucketCount; b++) {
            int n = 0;
            for (int v = 0; v < 256; v++) {
                n += bucketOf[v] == b ? 1 : 0;
            }
            contextsOf[b] = new int[n];
            n = 0;
            for (int v = 0; v < 256; v++) {
                if (bucketOf[v] == b) {
                    contextsOf[b][n++] = v;
                }
            }
        }
    }
}
