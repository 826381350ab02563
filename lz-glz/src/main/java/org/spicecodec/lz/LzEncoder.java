package org.spicecodec.lz;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

import org.spicecodec.core.ImageEncoder;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpiceChunks;
import org.spicecodec.core.SpiceImageType;

/**
 * LZ encoder; its output is byte-identical to spice-common's {@code lz_encode()} called the
 * way spice-server calls it: every chunk of the bitmap is one image segment, rows in storage
 * order (LZ never flips rows; {@code topDown} only goes into the header).
 *
 * <p>A bitmap whose stride has padding is coded as if its rows were packed (the header then
 * carries the packed stride, as the reference requires); spice-server itself never gives LZ
 * such bitmaps. Palettes are not part of the stream.
 *
 * <p>The encoder keeps its hash table and unit buffer between images and allocates only when
 * an image has more pixels than any before. It is not thread-safe. Input arrays are only read.
 */
public final class LzEncoder implements ImageEncoder {
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    static final int MAGIC = 0x20205A4C;
    static final int VERSION = 0x00010001;
    static final int HEADER_BYTES = 28;
    static final int MAX_COPY = 32;
    static final int MAX_DISTANCE = 8191;
    static final int MAX_FAR_DISTANCE = 65535 + MAX_DISTANCE - 1;
    static final int HASH_LOG = 13;
    static final int HASH_SIZE = 1 << HASH_LOG;
    static final int HASH_MASK = HASH_SIZE - 1;
    /** Stream size (the reference's limit is on {@code stride × height}). */
    static final long MAX_IMAGE_BYTES = (1L << 30) - 1;

    /** Unit kinds: how a unit is compared, hashed and written as a literal. */
    static final int KIND_BYTE = 0;
    static final int KIND_RGB16 = 1;
    static final int KIND_RGB = 2;

    private final int[] htab = new int[HASH_SIZE];
    /** The units of the current pass, all segments back to back. */
    private int[] units = new int[0];
    /** Segment (chunk) boundaries in units: segment i is [segStart[i], segStart[i + 1]). */
    private int[] segStart = new int[2];
    private int segCount;

    private byte[] spill = new byte[0];

    /** Bytes a token may write after its check: the longest token, a literal and a run byte. */
    private static final int SLACK = 48;

    // Output of the image being coded: the caller's array, or the spill buffer near the end.
    private byte[] out;
    private int outBase;
    private int op;
    private int maxLength;
    /** Writing past this position may not fit: each token checks it first. */
    private int opCheck;
    private boolean spilled;
    private boolean overflow;

    /**
     * {@code LZ_RGB}. LZ streams of palette formats travel as {@code LZ_PLT} instead; see
     * {@link #imageType(SpiceBitmapFormat)} and {@link LzImageType#spiceImageType()}.
     */
    @Override
    public SpiceImageType imageType() {
        return SpiceImageType.LZ_RGB;
    }

    /** {@code LZ_PLT} for palette formats, {@code LZ_RGB} for the others. */
    public static SpiceImageType imageType(SpiceBitmapFormat format) {
        LzImageType t = LzImageType.forFormat(format);
        if (t == null) {
            throw new IllegalArgumentException("LZ does not code " + format);
        }
        return t.spiceImageType();
    }

    @Override
    public boolean supports(SpiceBitmapFormat format) {
        return LzImageType.forFormat(format) != null;
    }

    @Override
    public long maxEncodedLength(SpiceBitmapFormat format, int width, int height) {
        LzImageType t = LzImageType.forFormat(format);
        if (t == null) {
            throw new IllegalArgumentException("LZ does not code " + format);
        }
        return maxEncodedLength(t, width, height);
    }

    /**
     * An upper bound on the encoded size: every unit a literal, one run byte per 32 units and
     * per segment. No back-reference is longer than the literals it replaces.
     */
    public static long maxEncodedLength(LzImageType type, int width, int height) {
        long n = unitCount(type, width, height);
        long perPass = n * literalBytes(type) + n / MAX_COPY + 1 + height;
        long alpha = n + n / MAX_COPY + 1 + height;
        return HEADER_BYTES + switch (type) {
            case RGBA -> perPass + alpha;
            case XXXA -> alpha;
            default -> perPass;
        };
    }

    static long unitCount(LzImageType type, long width, long height) {
        return type.isPalette() ? type.tightStride(width) * height : width * height;
    }

    private static int literalBytes(LzImageType type) {
        return switch (type) {
            case RGB16 -> 2;
            case RGB24, RGB32, RGBA -> 3;
            default -> 1;
        };
    }

    @Override
    public int encode(SpiceBitmap src, byte[] out, int outOffset, int maxLength) {
        LzImageType t = LzImageType.forFormat(src.format());
        if (t == null) {
            throw new IllegalArgumentException("LZ does not code " + src.format());
        }
        return encode(t, src, out, outOffset, maxLength);
    }

    /**
     * Encodes {@code src} as {@code type}: the type's own format, or for {@link LzImageType#XXXA}
     * an RGBA or RGB32 bitmap whose byte 3 is coded.
     *
     * @return bytes written, or {@link #DOES_NOT_FIT}
     */
    public int encode(LzImageType type, SpiceBitmap src, byte[] out, int outOffset, int maxLength) {
        Objects.requireNonNull(type, "type");
        SpiceBitmapFormat f = src.format();
        boolean ok = type == LzImageType.XXXA ? f == SpiceBitmapFormat.RGBA || f == SpiceBitmapFormat.RGB32
                : f == type.bitmapFormat();
        if (!ok) {
            throw new IllegalArgumentException("cannot code a " + f + " bitmap as LZ " + type);
        }
        Objects.checkFromIndexSize(outOffset, maxLength, out.length);
        int width = src.width();
        int height = src.height();
        long tight = type.tightStride(width);
        if (tight * height > MAX_IMAGE_BYTES) {
            throw new IllegalArgumentException("LZ codes at most 2^30-1 bytes, " + width + "x" + height + " " + type
                    + " has " + tight * height);
        }
        int rowUnits = (int) (type.isPalette() ? tight : width);
        int n = (int) unitCount(type, width, height);
        if (units.length < n) {
            units = new int[n];
        }
        int stride = src.stride();
        SpiceChunks chunks = src.chunks();
        if (segStart.length < chunks.count() + 1) {
            segStart = new int[chunks.count() + 1];
        }

        long bound = maxEncodedLength(type, width, height);
        return run(type, src, chunks, stride, rowUnits, height, out, outOffset, maxLength, bound);
    }

    /**
     * Codes the image straight into the caller's array. When {@code maxLength} is below the
     * bound, every token first checks that it cannot pass the end; near the end the coding moves
     * to the spill buffer (see {@link #spillOver}), so the answer is exact either way.
     */
    private int run(LzImageType type, SpiceBitmap src, SpiceChunks chunks, int stride, int rowUnits, int height,
                    byte[] o, int off, int maxLength, long bound) {
        this.out = o;
        this.outBase = off;
        this.op = off;
        this.maxLength = maxLength;
        this.overflow = false;
        this.spilled = false;
        this.opCheck = maxLength >= bound ? Integer.MAX_VALUE : off + maxLength - SLACK;
        try {
            if (maxLength < HEADER_BYTES) {
                return DOES_NOT_FIT;
            }
            putInt(MAGIC);
            putInt(VERSION);
            putInt(type.value());
            putInt(src.width());
            putInt(height);
            putInt((int) type.tightStride(src.width()));
            putInt(src.topDown() ? 1 : 0);
            switch (type) {
                case RGBA -> {
                    load(type, chunks, stride, rowUnits, height, false);
                    pass(KIND_RGB);
                    load(type, chunks, stride, rowUnits, height, true);
                    pass(KIND_BYTE);
                }
                case XXXA -> {
                    load(type, chunks, stride, rowUnits, height, true);
                    pass(KIND_BYTE);
                }
                case RGB16 -> {
                    load(type, chunks, stride, rowUnits, height, false);
                    pass(KIND_RGB16);
                }
                case RGB24, RGB32 -> {
                    load(type, chunks, stride, rowUnits, height, false);
                    pass(KIND_RGB);
                }
                default -> {
                    load(type, chunks, stride, rowUnits, height, false);
                    pass(KIND_BYTE);
                }
            }
            int n = op - outBase;
            if (overflow || n > maxLength) {
                return DOES_NOT_FIT;
            }
            if (spilled) {
                System.arraycopy(spill, 0, o, off, n);
            }
            return n;
        } finally {
            this.out = null;
        }
    }

    /**
     * Called at a token boundary once {@code op} passed {@link #opCheck}. The first time, moves
     * what was written to the spill buffer, where coding goes on until the stream is complete
     * or certainly too long: nothing before {@code op} but a pending run byte can disappear,
     * so {@code op - 1 > maxLength} settles it. Returns the new output position, or -1 (and
     * sets {@link #overflow}) when the image does not fit.
     */
    private int spillOver(int op) {
        if (spilled) {
            overflow = true;
            return -1;
        }
        int written = op - outBase;
        if (spill.length < maxLength + 2L * SLACK) {
            spill = new byte[(int) Math.min(maxLength + 2L * SLACK, Integer.MAX_VALUE - 8)];
        }
        System.arraycopy(out, outBase, spill, 0, written);
        out = spill;
        outBase = 0;
        spilled = true;
        opCheck = maxLength + 1;
        return written;
    }

    private void putInt(int v) {
        byte[] o = out;
        o[op] = (byte) (v >>> 24);
        o[op + 1] = (byte) (v >>> 16);
        o[op + 2] = (byte) (v >>> 8);
        o[op + 3] = (byte) v;
        op += 4;
    }

    /**
     * Unpacks the rows into {@link #units}, one segment per non-empty chunk. A segment is what
     * the reference gets from one {@code more_lines} call; empty chunks code nothing.
     */
    private void load(LzImageType type, SpiceChunks chunks, int stride, int rowUnits, int height, boolean alpha) {
        int[] u = units;
        int p = 0;
        int segs = 0;
        int rowsLeft = height;
        for (int c = 0; c < chunks.count() && rowsLeft > 0; c++) {
            int rows = Math.min(chunks.length(c) / stride, rowsLeft);
            if (rows == 0) {
                continue;
            }
            rowsLeft -= rows;
            segStart[segs++] = p;
            byte[] s = chunks.data(c);
            int so = chunks.offset(c);
            int rowBytes = (int) (type.isPalette() ? rowUnits : (long) rowUnits * type.bitmapFormat().bytesPerPixel());
            if (type == LzImageType.XXXA) {
                rowBytes = rowUnits * 4;
            }
            if (rowBytes == stride) {
                // Packed rows: one sweep over the whole chunk.
                p = unpack(type, alpha, s, so, rows * rowUnits, u, p);
            } else {
                for (int y = 0; y < rows; y++, so += stride) {
                    p = unpack(type, alpha, s, so, rowUnits, u, p);
                }
            }
        }
        segStart[segs] = p;
        segCount = segs;
    }

    private static int unpack(LzImageType type, boolean alpha, byte[] s, int so, int count, int[] u, int p) {
        int end = p + count;
        if (alpha) {
            for (so += 3; p < end; p++, so += 4) {
                u[p] = s[so] & 0xFF;
            }
            return p;
        }
        switch (type) {
            case RGB16 -> {
                for (; p < end; p++, so += 2) {
                    u[p] = (s[so] & 0xFF) | (s[so + 1] & 0xFF) << 8;
                }
            }
            case RGB24 -> {
                for (; p < end; p++, so += 3) {
                    u[p] = (s[so] & 0xFF) | (s[so + 1] & 0xFF) << 8 | (s[so + 2] & 0xFF) << 16;
                }
            }
            case RGB32, RGBA -> {
                for (; p < end; p++, so += 4) {
                    u[p] = (int) INT_LE.get(s, so) & 0xFFFFFF;
                }
            }
            default -> {
                for (; p < end; p++, so++) {
                    u[p] = s[so] & 0xFF;
                }
            }
        }
        return p;
    }

    /** One pass ({@code lz_*_compress}) over all segments of {@link #units}. */
    private void pass(int kind) {
        int[] u = units;
        int[] seg = segStart;
        int s = 0;
        // Leading segments too small for the main loop are plain literal runs.
        while (s < segCount && seg[s + 1] - seg[s] < 4) {
            int a = seg[s];
            int len = seg[s + 1] - a;
            if (op > opCheck && (op = spillOver(op)) < 0) {
                return;
            }
            out[op++] = (byte) (len - 1);
            for (int i = a; i < a + len; i++) {
                putLiteral(kind, u[i]);
            }
            s++;
        }
        if (s == segCount) {
            return;
        }
        int first = seg[s];
        Arrays.fill(htab, first);
        if (op > opCheck && (op = spillOver(op)) < 0) {
            return;
        }
        out[op++] = (byte) (MAX_COPY - 1);
        int lastCopy = op - 1;
        putLiteral(kind, u[first]);
        putLiteral(kind, u[first + 1]);
        compressSegment(kind, s, first + 2, 2, lastCopy);
        for (s++; s < segCount && !overflow; s++) {
            compressSegment(kind, s, seg[s], 0, -1);
        }
    }

    private void putLiteral(int kind, int v) {
        byte[] o = out;
        switch (kind) {
            case KIND_BYTE -> o[op++] = (byte) v;
            case KIND_RGB16 -> {
                o[op] = (byte) (v >>> 8);
                o[op + 1] = (byte) v;
                op += 2;
            }
            default -> {
                o[op] = (byte) v;
                o[op + 1] = (byte) (v >>> 8);
                o[op + 2] = (byte) (v >>> 16);
                op += 3;
            }
        }
    }

    /** The end of the segment holding unit {@code pos}. */
    private int segmentEnd(int pos) {
        int[] seg = segStart;
        int lo = 0;
        int hi = segCount - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (seg[mid] <= pos) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return seg[lo + 1];
    }

    /** DJB2 with XOR over the 3 units at {@code i}, in the reference's byte order. */
    private static int hash(int kind, int[] u, int i) {
        int h = 5381;
        if (kind == KIND_BYTE) {
            h = (h * 33) ^ u[i];
            h = (h * 33) ^ u[i + 1];
            h = (h * 33) ^ u[i + 2];
        } else if (kind == KIND_RGB16) {
            int v = u[i];
            h = (h * 33) ^ (v & 0xFF);
            h = (h * 33) ^ ((v >>> 8) & 0x7F);
            v = u[i + 1];
            h = (h * 33) ^ (v & 0xFF);
            h = (h * 33) ^ ((v >>> 8) & 0x7F);
            v = u[i + 2];
            h = (h * 33) ^ (v & 0xFF);
            h = (h * 33) ^ ((v >>> 8) & 0x7F);
        } else {
            int v = u[i];
            h = (h * 33) ^ (v >>> 16);
            h = (h * 33) ^ ((v >>> 8) & 0xFF);
            h = (h * 33) ^ (v & 0xFF);
            v = u[i + 1];
            h = (h * 33) ^ (v >>> 16);
            h = (h * 33) ^ ((v >>> 8) & 0xFF);
            h = (h * 33) ^ (v & 0xFF);
            v = u[i + 2];
            h = (h * 33) ^ (v >>> 16);
            h = (h * 33) ^ ((v >>> 8) & 0xFF);
            h = (h * 33) ^ (v & 0xFF);
        }
        return h & HASH_MASK;
    }

    /**
     * {@code compress_seg}: codes segment {@code s} from unit {@code from}, {@code copy} literals
     * already pending behind the run byte at {@code lastCopy}.
     */
    private void compressSegment(int kind, int s, int from, int copy, int lastCopy) {
        final int[] u = units;
        final int[] ht = htab;
        byte[] o = out;
        final int start = segStart[s];
        final int end = segStart[s + 1];
        final int bound = end - 2;
        final int limit = end - 6;
        final int mask = kind == KIND_RGB16 ? 0x7FFF : -1;
        // Minimum match (3, 2, 1 units) and the length bias of the token (0, 1, 2).
        final int minLen = kind == KIND_BYTE ? 3 : kind == KIND_RGB16 ? 2 : 1;
        final int bias = 3 - minLen;
        final boolean single = segCount == 1;
        int check = opCheck;
        int op = this.op;
        if (copy == 0) {
            if (op > check) {
                if ((op = spillOver(op)) < 0) {
                    return;
                }
                o = out;
                check = opCheck;
            }
            o[op++] = (byte) (MAX_COPY - 1);
            lastCopy = op - 1;
        }
        int ip = from;
        while (ip < limit) {
            if (op > check) {
                int moved = spillOver(op);
                if (moved < 0) {
                    return;
                }
                lastCopy += moved - op;
                op = moved;
                o = out;
                check = opCheck;
            }
            final int anchor = ip;
            int ref;
            int refLimit;
            int distance;
            match: {
                if (ip > start) {
                    int x = u[ip];
                    if (((u[ip - 1] ^ x) & mask) == 0 && ((u[ip + 1] ^ x) & mask) == 0
                            && ((u[ip + 2] ^ x) & mask) == 0) {
                        distance = 1;
                        ip += 3;
                        ref = anchor + 2;
                        refLimit = end;
                        break match;
                    }
                }
                int hv = hash(kind, u, ip);
                ref = ht[hv];
                distance = anchor - ref;
                ht[hv] = anchor;
                if (distance == 0 || distance >= MAX_FAR_DISTANCE) {
                    int lv = u[anchor];
                    if (kind == KIND_RGB) {
                        o[op] = (byte) lv;
                        o[op + 1] = (byte) (lv >>> 8);
                        o[op + 2] = (byte) (lv >>> 16);
                        op += 3;
                    } else if (kind == KIND_BYTE) {
                        o[op++] = (byte) lv;
                    } else {
                        o[op] = (byte) (lv >>> 8);
                        o[op + 1] = (byte) lv;
                        op += 2;
                    }
                    ip = anchor + 1;
                    if (++copy == MAX_COPY) {
                        copy = 0;
                        o[op++] = (byte) (MAX_COPY - 1);
                        lastCopy = op - 1;
                    }
                    continue;
                }
                int refStart = ref;
                boolean ok = ((u[ref] ^ u[ip]) & mask) == 0;
                if (ok && minLen >= 2) {
                    ok = ((u[ref + 1] ^ u[ip + 1]) & mask) == 0;
                    if (ok && minLen == 3) {
                        ok = u[ref + 2] == u[ip + 2];
                    }
                }
                ref += minLen;
                ip += minLen;
                refLimit = single ? end : segmentEnd(refStart);
                if (ok && distance >= MAX_DISTANCE) {
                    // Far references need two more equal units (one for 3-byte pixels).
                    if (kind == KIND_BYTE) {
                        ok = ref < refLimit - 1 && u[ref] == u[ip] && u[ref + 1] == u[ip + 1];
                        ref += 2;
                        ip += 2;
                    } else {
                        ok = ref <= refLimit - 1 && ((u[ref] ^ u[ip]) & mask) == 0;
                        ref++;
                        ip++;
                    }
                }
                if (!ok) {
                    int lv = u[anchor];
                    if (kind == KIND_RGB) {
                        o[op] = (byte) lv;
                        o[op + 1] = (byte) (lv >>> 8);
                        o[op + 2] = (byte) (lv >>> 16);
                        op += 3;
                    } else if (kind == KIND_BYTE) {
                        o[op++] = (byte) lv;
                    } else {
                        o[op] = (byte) (lv >>> 8);
                        o[op + 1] = (byte) lv;
                        op += 2;
                    }
                    ip = anchor + 1;
                    if (++copy == MAX_COPY) {
                        copy = 0;
                        o[op++] = (byte) (MAX_COPY - 1);
                        lastCopy = op - 1;
                    }
                    continue;
                }
            }
            // Extension; ip stops one past the first mismatch, as in the reference.
            distance--;
            int max = Math.min(bound - ip, refLimit - ref);
            if (max > 0) {
                if (mask != -1) {
                    // RGB16 ignores bit 15: a scalar loop.
                    int k = 0;
                    if (distance == 0) {
                        int x = u[ref];
                        while (k < max && ((u[ref + k] ^ x) & mask) == 0) {
                            k++;
                        }
                    } else {
                        while (k < max && ((u[ref + k] ^ u[ip + k]) & mask) == 0) {
                            k++;
                        }
                    }
                    ref += k;
                    ip += k;
                    if (k < max) {
                        ref++;
                        if (distance != 0) {
                            ip++;
                        }
                    }
                } else if (distance == 0) {
                    // Run: u[ref] is the run value; find the first unit after ref that differs.
                    int k = max == 1 ? -1 : Arrays.mismatch(u, ref + 1, ref + max, u, ref, ref + max - 1);
                    if (k < 0) {
                        ref += max;
                        ip += max;
                    } else {
                        // Units ref .. ref+k equal the run value; ref+k+1 differs.
                        ref += k + 2;
                        ip += k + 1;
                    }
                } else {
                    int k = Arrays.mismatch(u, ref, ref + max, u, ip, ip + max);
                    if (k < 0) {
                        ref += max;
                        ip += max;
                    } else {
                        ref += k + 1;
                        ip += k + 1;
                    }
                }
            }
            if (copy != 0) {
                o[lastCopy] = (byte) (copy - 1);
            } else {
                op--;
            }
            copy = 0;
            ip -= 3;
            int len = ip - anchor + bias;
            if (len >= 7 + 255 * 32 && check != Integer.MAX_VALUE && op + (len - 7) / 255 + 8 > check + SLACK) {
                // Only a very long match has more extension bytes than the slack holds.
                int moved = spillOver(op);
                if (moved < 0) {
                    return;
                }
                lastCopy += moved - op;
                op = moved;
                o = out;
                check = opCheck;
                if (op + (len - 7) / 255 + 8 > check + SLACK) {
                    overflow = true;
                    return;
                }
            }
            if (distance < MAX_DISTANCE) {
                if (len < 7) {
                    o[op] = (byte) ((len << 5) + (distance >>> 8));
                    o[op + 1] = (byte) distance;
                    op += 2;
                } else {
                    o[op++] = (byte) ((7 << 5) + (distance >>> 8));
                    for (len -= 7; len >= 255; len -= 255) {
                        o[op++] = (byte) 255;
                    }
                    o[op] = (byte) len;
                    o[op + 1] = (byte) distance;
                    op += 2;
                }
            } else {
                distance -= MAX_DISTANCE;
                if (len < 7) {
                    o[op++] = (byte) ((len << 5) + 31);
                } else {
                    o[op++] = (byte) ((7 << 5) + 31);
                    for (len -= 7; len >= 255; len -= 255) {
                        o[op++] = (byte) 255;
                    }
                    o[op++] = (byte) len;
                }
                o[op] = (byte) 255;
                o[op + 1] = (byte) (distance >>> 8);
                o[op + 2] = (byte) distance;
                op += 3;
            }
            // Hash the two positions before the match end.
            if (kind == KIND_BYTE || ip > anchor) {
                ht[hash(kind, u, ip)] = ip;
            }
            ip++;
            if (kind != KIND_RGB || ip > anchor) {
                ht[hash(kind, u, ip)] = ip;
            }
            ip++;
            o[op++] = (byte) (MAX_COPY - 1);
            lastCopy = op - 1;
        }
        // The rest of the segment as literals.
        for (; ip < end; ip++) {
            if (op > check) {
                int moved = spillOver(op);
                if (moved < 0) {
                    return;
                }
                lastCopy += moved - op;
                op = moved;
                o = out;
                check = opCheck;
            }
            int lv = u[ip];
            if (kind == KIND_RGB) {
                o[op] = (byte) lv;
                o[op + 1] = (byte) (lv >>> 8);
                o[op + 2] = (byte) (lv >>> 16);
                op += 3;
            } else if (kind == KIND_BYTE) {
                o[op++] = (byte) lv;
            } else {
                o[op] = (byte) (lv >>> 8);
                o[op + 1] = (byte) lv;
                op += 2;
            }
            if (++copy == MAX_COPY) {
                copy = 0;
                o[op++] = (byte) (MAX_COPY - 1);
                lastCopy = op - 1;
            }
        }
        if (copy != 0) {
            o[lastCopy] = (byte) (copy - 1);
        } else {
            op--;
        }
        this.op = op;
    }
}
