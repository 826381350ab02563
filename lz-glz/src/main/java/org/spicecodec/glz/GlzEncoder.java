package org.spicecodec.glz;

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
 * GLZ encoder producing the same bytes as spice-server's {@code glz-encoder.c}, given the same
 * images in the same order through a {@link GlzDictionary} of the same window size.
 *
 * <p>Each chunk of the bitmap is one window segment (matches never cross a chunk end), so the
 * output depends on how the rows are split into chunks, exactly as in the reference.
 *
 * <p>An encoder takes one of the dictionary's encoder slots until {@link #close()}. One
 * encoder must be used by one thread at a time; several encoders of one dictionary may run
 * concurrently. The bitmap's arrays are referenced by the dictionary after {@code encode}
 * returns (later images match against them) and must stay unchanged until the image leaves
 * the window.
 */
public final class GlzEncoder implements ImageEncoder, AutoCloseable {

    private static final int MAX_COPY = 32;
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    /**
     * Bytes one iteration of the fast loop may write, besides a match's length extension:
     * a literal (3) and a run byte, or a match token (at most 8) and a run byte.
     */
    private static final int FAST_SLACK = 16;
    private static final int SHORT_DIST = 4096;
    private static final int MEDIUM_DIST = 131072;
    private static final int LONG_DIST = 1 << 25;
    private static final int MAX_IMAGE_DIST = (1 << 24) - 1;

    // unit kinds of one pass
    private static final int K_PLT = 0;
    private static final int K_ALPHA = 1;
    private static final int K_RGB16 = 2;
    private static final int K_RGB24 = 3;
    private static final int K_RGB32 = 4;

    /** Signals a full output buffer; no stack trace, allocated once. */
    private static final class OutputFull extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OutputFull() {
            super("output full", null, false, false);
        }
    }

    private static final OutputFull FULL = new OutputFull();

    private final GlzDictionary dict;
    private final int encoderId;
    private boolean closed;

    // per-image chunk scratch, grown as needed
    private byte[][] chunkData = new byte[4][];
    private int[] chunkStart = new int[4];
    private int[] chunkLines = new int[4];
    private final long[] headDist = new long[1];

    // per-image state
    private byte[] out;
    private int op;
    private int end;
    private int lastCopy;
    private int kind;
    private int bpu;
    private int ppb;
    private int alphaOff;
    private long headPso;
    private GlzDictionary.Segment[] segs;
    private GlzDictionary.Image image;
    private long matchImageDist;
    private long matchPixDist;

    /** Takes a free encoder slot of {@code dict}. */
    public GlzEncoder(GlzDictionary dict) {
        this.dict = Objects.requireNonNull(dict, "dict");
        this.encoderId = dict.acquireEncoderId();
    }

    public GlzDictionary dictionary() {
        return dict;
    }

    /**
     * The dictionary's handle of the image encoded last (for {@link GlzDictionary#killImage}),
     * valid while that image is in the window (see {@link GlzDictionary.Image}).
     */
    public GlzDictionary.Image lastImage() {
        return image;
    }

    @Override
    public SpiceImageType imageType() {
        return SpiceImageType.GLZ_RGB;
    }

    /** Whether GLZ can encode bitmaps of this format (palette types, RGB16/24/32, RGBA). */
    @Override
    public boolean supports(SpiceBitmapFormat format) {
        return GlzFormat.fromFormat(format) > 0;
    }

    /** {@link #maxEncodedLength(SpiceBitmapFormat, int, int, int)} for the tightest stride. */
    @Override
    public long maxEncodedLength(SpiceBitmapFormat format, int width, int height) {
        return maxEncodedLength(format, width, height, (int) format.minStride(width));
    }

    /**
     * An upper bound on the encoded size of a bitmap, for a given stride and a single chunk
     * (each further chunk can add one byte per pass).
     */
    public static long maxEncodedLength(SpiceBitmapFormat format, int width, int height, int stride) {
        int type = GlzFormat.fromFormat(format);
        if (type < 0) {
            throw new IllegalArgumentException("GLZ does not support " + format);
        }
        int bpu = GlzFormat.bytesPerUnit(type);
        long units = (long) height * stride / bpu;
        int literalBytes = GlzFormat.isPalette(type) ? 1 : type == GlzFormat.RGB16 ? 2 : 3;
        long pass = units * literalBytes + units / MAX_COPY + 2;
        long total = GlzFormat.HEADER_SIZE + pass;
        if (type == GlzFormat.RGBA) {
            total += units + units / MAX_COPY + 2;
        }
        return total;
    }

    /** {@link #encode(SpiceBitmap, Object, byte[], int, int)} without a user context. */
    @Override
    public int encode(SpiceBitmap src, byte[] out, int outOffset, int maxLength) {
        return encode(src, null, out, outOffset, maxLength);
    }

    /**
     * Encodes {@code src} as the dictionary's next image.
     *
     * @param userContext handed to the dictionary's eviction listener when the image leaves the window
     * @return the number of bytes written, or {@link #DOES_NOT_FIT}. The image id is used up
     *         either way; an image that did not fit is killed, so no later image refers to it.
     * @throws IllegalArgumentException for formats GLZ cannot carry, strides the reference
     *                                  rejects, or images larger than the window
     */
    public int encode(SpiceBitmap src, Object userContext, byte[] out, int outOffset, int maxLength) {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(out, "out");
        if (closed) {
            throw new IllegalStateException("encoder closed");
        }
        if (outOffset < 0 || maxLength < 0 || outOffset > out.length - maxLength) {
            throw new IllegalArgumentException("output range " + outOffset + "+" + maxLength + " outside array of "
                    + out.length);
        }
        int type = GlzFormat.fromFormat(src.format());
        if (type < 0) {
            throw new IllegalArgumentException("GLZ does not support " + src.format());
        }
        int width = src.width();
        int height = src.height();
        int stride = src.stride();
        checkStride(type, width, stride);
        long size = GlzDictionary.pixelsNum(type, height, stride);
        if (size > dict.windowSizePixels()) {
            throw new IllegalArgumentException("image of " + size + " pixels is bigger than the window of "
                    + dict.windowSizePixels());
        }
        int chunkCount = collectChunks(src.chunks(), stride, height);

        GlzDictionary.Image img = dict.preEncode(encoderId, type, height, stride, chunkData, chunkStart, chunkLines,
                chunkCount, userContext, headDist);
        this.image = img;
        int result;
        try {
            this.out = out;
            this.op = outOffset;
            this.end = outOffset + maxLength;
            this.lastCopy = -1;
            this.segs = dict.segs;
            this.headPso = segs[dict.encoderHeads[encoderId]].pixelsSoFar;
            this.bpu = GlzFormat.bytesPerUnit(type);
            this.ppb = GlzFormat.ppb(type);
            put32(GlzFormat.MAGIC);
            put32(GlzFormat.VERSION);
            put(type | (src.topDown() ? 0x10 : 0));
            put32(width);
            put32(height);
            put32(stride);
            put32((int) (img.id >>> 32));
            put32((int) img.id);
            put32((int) headDist[0]);
            switch (type) {
                case GlzFormat.RGB16:
                    compress(img, K_RGB16);
                    break;
                case GlzFormat.RGB24:
                    compress(img, K_RGB24);
                    break;
                case GlzFormat.RGB32:
                    compress(img, K_RGB32);
                    break;
                case GlzFormat.RGBA:
                    compress(img, K_RGB32);
                    compress(img, K_ALPHA);
                    break;
                default:
                    compress(img, K_PLT);
                    break;
            }
            result = op - outOffset;
        } catch (OutputFull e) {
            // the client will never see this id, so nothing may refer to it
            img.alive = false;
            result = DOES_NOT_FIT;
        } finally {
            this.out = null;
            this.segs = null;
            dict.postEncode(encoderId);
        }
        return result;
    }

    private static void checkStride(int type, int width, int stride) {
        if (GlzFormat.isPalette(type)) {
            int ppb = GlzFormat.ppb(type);
            int full = width / ppb;
            if (stride > full && ((width % ppb) == 0 || stride - full > 1)) {
                throw new IllegalArgumentException("stride " + stride + " overflows the palette row of " + width
                        + " pixels");
            }
        } else if ((long) stride != (long) width * GlzFormat.bytesPerUnit(type)) {
            throw new IllegalArgumentException("stride " + stride + " is not width * bytes per pixel");
        }
    }

    /** One segment per chunk; rows beyond the image height are ignored. */
    private int collectChunks(SpiceChunks chunks, int stride, int height) {
        int n = 0;
        int remaining = height;
        for (int i = 0; i < chunks.count() && remaining > 0; i++) {
            int lines = Math.min(chunks.length(i) / stride, remaining);
            if (lines == 0) {
                continue;
            }
            if (n == chunkData.length) {
                chunkData = Arrays.copyOf(chunkData, n * 2);
                chunkStart = Arrays.copyOf(chunkStart, n * 2);
                chunkLines = Arrays.copyOf(chunkLines, n * 2);
            }
            chunkData[n] = chunks.data(i);
            chunkStart[n] = chunks.offset(i);
            chunkLines[n] = lines;
            remaining -= lines;
            n++;
        }
        return n;
    }

    // ------------------------------------------------------------------ output

    private void put(int b) {
        if (op >= end) {
            throw FULL;
        }
        out[op++] = (byte) b;
    }

    private void put32(int v) {
        put(v >>> 24);
        put(v >>> 16);
        put(v >>> 8);
        put(v);
    }

    private void putCopyCount(int c) {
        put(c);
        lastCopy = op - 1;
    }

    private void putLiteral(byte[] d, int off) {
        switch (kind) {
            case K_PLT:
                put(d[off]);
                break;
            case K_ALPHA:
                put(d[off + 3]);
                break;
            case K_RGB16:
                put(d[off + 1]);
                put(d[off]);
                break;
            default:
                put(d[off]);
                put(d[off + 1]);
                put(d[off + 2]);
                break;
        }
    }

    // ------------------------------------------------------------------ unit access

    /** The value pixels are compared by (RGB16 ignores bit 15, RGB ignores the 4th byte). */
    private int key(byte[] d, int off) {
        switch (kind) {
            case K_PLT:
                return d[off] & 0xFF;
            case K_ALPHA:
                return d[off + 3] & 0xFF;
            case K_RGB16:
                return (d[off] & 0xFF) | (d[off + 1] & 0x7F) << 8;
            default:
                return (d[off] & 0xFF) | (d[off + 1] & 0xFF) << 8 | (d[off + 2] & 0xFF) << 16;
        }
    }

    /** DJB2-XOR over three units, masked to the table size. */
    private int hash(byte[] d, int off) {
        int h = 5381;
        int step = bpu;
        switch (kind) {
            case K_PLT:
                h = (h * 33) ^ (d[off] & 0xFF);
                h = (h * 33) ^ (d[off + 1] & 0xFF);
                h = (h * 33) ^ (d[off + 2] & 0xFF);
                break;
            case K_ALPHA:
                h = (h * 33) ^ (d[off + 3] & 0xFF);
                h = (h * 33) ^ (d[off + 7] & 0xFF);
                h = (h * 33) ^ (d[off + 11] & 0xFF);
                break;
            case K_RGB16:
                for (int i = 0; i < 3; i++, off += 2) {
                    h = (h * 33) ^ (d[off] & 0xFF);
                    h = (h * 33) ^ (d[off + 1] & 0x7F);
                }
                break;
            default:
                for (int i = 0; i < 3; i++, off += step) {
                    h = (h * 33) ^ (d[off + 2] & 0xFF);
                    h = (h * 33) ^ (d[off + 1] & 0xFF);
                    h = (h * 33) ^ (d[off] & 0xFF);
                }
                break;
        }
        return h & GlzDictionary.HASH_MASK;
    }

    // ------------------------------------------------------------------ compression

    private void compress(GlzDictionary.Image img, int passKind) {
        this.kind = passKind;
        GlzDictionary.Segment[] s = segs;
        int n = img.segCount;
        int i = 0;
        // leading segments too small for the match loop go out as literal runs
        while (i < n && s[img.segs[i]].units < 4) {
            GlzDictionary.Segment g = s[img.segs[i]];
            if (g.units > 0) {
                putCopyCount(g.units - 1);
                for (int u = 0; u < g.units; u++) {
                    putLiteral(g.data, g.start + u * bpu);
                }
            }
            i++;
        }
        if (i == n) {
            return;
        }
        int segId = img.segs[i];
        GlzDictionary.Segment g = s[segId];
        putCopyCount(MAX_COPY - 1);
        int h = hash(g.data, g.start);
        dict.hashTab[h] = entry(segId, 0);
        putLiteral(g.data, g.start);
        putLiteral(g.data, g.start + bpu);
        segment(segId, g, 2, 2);
        for (i++; i < n; i++) {
            segment(img.segs[i], s[img.segs[i]], 0, 0);
        }
    }

    private boolean refValid(GlzDictionary.Segment ref, GlzDictionary.Segment src) {
        return ref != null && ref.image.alive && ref.image.type == src.image.type
                && ref.pixelsSoFar <= src.pixelsSoFar && headPso <= ref.pixelsSoFar;
    }

    private void segment(int segId, GlzDictionary.Segment seg, int from, int copied) {
        if (copied == 0) {
            putCopyCount(MAX_COPY - 1);
        }
        if (kind == K_RGB32) {
            compressSegRgb32(segId, seg, from, copied);
        } else {
            compressSeg(segId, seg, from, copied);
        }
    }

    /**
     * The RGB32 pass (the common case) with everything inlined and the output in locals. Each
     * iteration starts only while {@link #FAST_SLACK} bytes are left, so its writes need no
     * check; near the end of the output (and for the last units of the segment) it hands over
     * to {@link #compressSeg}, which writes the same bytes with checks. The run byte of the
     * pending literals is always written on entry and on hand-over.
     */
    private void compressSegRgb32(int segId, GlzDictionary.Segment seg, int from, int copied) {
        final byte[] d = seg.data;
        final int base = seg.start;
        final int n = seg.units;
        final int bound = n - 2;
        final int limit = n - 6;
        final long[] hashTab = dict.hashTab;
        final GlzDictionary.Segment[] s = segs;
        final byte[] o = out;
        final int fastEnd = end - FAST_SLACK;
        int op = this.op;
        int lastCopy = this.lastCopy;
        int ip = from;
        int copy = copied;
        // The table entry of unit preIp, loaded one iteration early (see below).
        int preIp = -1;
        int preH = 0;
        long preE = 0;
        while (ip < limit && op <= fastEnd) {
            final int anchor = ip;
            final int aOff = base + anchor * 4;
            final int k1 = (int) INT_LE.get(d, aOff) & 0xFFFFFF;
            int len;
            long imageDist;
            long pixDist;
            if (ip > 0 && ((int) INT_LE.get(d, aOff - 4) & 0xFFFFFF) == k1
                    && ((int) INT_LE.get(d, aOff + 4) & 0xFFFFFF) == k1
                    && ((int) INT_LE.get(d, aOff + 8) & 0xFFFFFF) == k1) {
                // a run of the previous unit: same-image distance 1
                pixDist = 1;
                imageDist = 0;
                ip += 3;
                len = 3;
                if (ip < bound) {
                    // each unit equals the one before it until the first that does not
                    int count = bound - ip;
                    int off = base + ip * 4;
                    int k = equalPixels32(d, off - 4, d, off, count);
                    len += k;
                    ip += k < count ? k + 1 : k;
                }
            } else {
                final int k2 = (int) INT_LE.get(d, aOff + 4) & 0xFFFFFF;
                final int k3 = (int) INT_LE.get(d, aOff + 8) & 0xFFFFFF;
                final int h;
                final long e;
                if (ip == preIp) {
                    h = preH;
                    e = preE;
                } else {
                    h = hash3(k1, k2, k3);
                    e = hashTab[h];
                }
                // Most units of a hard image are literals, followed by the next unit: start
                // its table load now, so the cache miss overlaps this unit's work.
                final int hn = hash3(k2, k3, (int) INT_LE.get(d, aOff + 12) & 0xFFFFFF);
                final long en = hashTab[hn];
                final int rs = (int) (e >>> 32);
                final int rp = (int) e;
                len = 0;
                imageDist = 0;
                pixDist = 0;
                GlzDictionary.Segment ref = null;
                if (rs == segId) {
                    // doMatch for the same segment, inlined: the distance is ip - rp, so an
                    // entry at or after ip (left by an evicted image) fails without a load
                    if (rp < ip && rp >= 0) {
                        final int rOff = base + rp * 4;
                        if (((int) INT_LE.get(d, rOff) & 0xFFFFFF) == k1
                                && ((int) INT_LE.get(d, rOff + 4) & 0xFFFFFF) == k2) {
                            // a same-image token is at most 4 bytes, so no length is too short
                            len = 2;
                            int count = Math.min(bound - ip, n - rp) - 2;
                            if (count > 0) {
                                len += equalPixels32(d, rOff + 8, d, aOff + 8, count);
                            }
                            pixDist = ip - rp;
                        }
                    }
                } else if (rs >= 0 && rs < s.length) {
                    GlzDictionary.Segment r = GlzDictionary.slot(s, rs);
                    if (refValid(r, seg)) {
                        ref = r;
                    }
                }
                // the two-unit minimum is tested here, the rest of doMatch only on a hit
                if (ref != null && rp >= 0 && rp <= ref.units - 2) {
                    final byte[] rd = ref.data;
                    final int rOff = ref.start + rp * 4;
                    if (((int) INT_LE.get(rd, rOff) & 0xFFFFFF) == k1
                            && ((int) INT_LE.get(rd, rOff + 4) & 0xFFFFFF) == k2) {
                        len = doMatch(ref, rp, seg, ip, bound);
                        imageDist = matchImageDist;
                        pixDist = matchPixDist;
                    }
                }
                final long mine = entry(segId, anchor);
                hashTab[h] = mine;
                if (len == 0) {
                    o[op] = d[aOff];
                    o[op + 1] = d[aOff + 1];
                    o[op + 2] = d[aOff + 2];
                    op += 3;
                    ip = anchor + 1;
                    preIp = ip;
                    preH = hn;
                    preE = hn == h ? mine : en;
                    if (++copy == MAX_COPY) {
                        copy = 0;
                        o[op] = (byte) (MAX_COPY - 1);
                        lastCopy = op++;
                    }
                    continue;
                }
            }
            // emit the match
            if (imageDist == 0) {
                pixDist--;
            }
            if (copy > 0) {
                o[lastCopy] = (byte) (copy - 1);
            } else {
                op--; // drop the unused literal-run placeholder
            }
            copy = 0;
            ip = anchor + len - 2;
            if (len >= 7 + 255) {
                // long length extension: the checked writer
                this.op = op;
                encodeMatch(imageDist, pixDist, len);
                op = this.op;
            } else {
                op = writeMatch(o, op, imageDist, pixDist, len);
            }
            int off = base + ip * 4;
            if (ip > anchor) {
                int h = hash3((int) INT_LE.get(d, off) & 0xFFFFFF, (int) INT_LE.get(d, off + 4) & 0xFFFFFF,
                        (int) INT_LE.get(d, off + 8) & 0xFFFFFF);
                hashTab[h] = entry(segId, ip);
            }
            ip++;
            if (ip > anchor) {
                off += 4;
                int h = hash3((int) INT_LE.get(d, off) & 0xFFFFFF, (int) INT_LE.get(d, off + 4) & 0xFFFFFF,
                        (int) INT_LE.get(d, off + 8) & 0xFFFFFF);
                hashTab[h] = entry(segId, ip);
            }
            ip++;
            if (op >= end) {
                this.op = op;
                throw FULL;
            }
            o[op] = (byte) (MAX_COPY - 1);
            lastCopy = op++;
        }
        this.op = op;
        this.lastCopy = lastCopy;
        compressSeg(segId, seg, ip, copy);
    }

    /** A hash table entry: segment slot and unit index. */
    private static long entry(int segId, int unit) {
        return (long) segId << 32 | (unit & 0xFFFFFFFFL);
    }

    /**
     * How many of {@code count} RGB32 pixels at {@code a[ao]} and {@code b[bo]} are equal,
     * ignoring the 4th byte. Compares whole bytes with the vectorized {@link Arrays#mismatch};
     * a difference in a 4th byte only is stepped over.
     */
    static int equalPixels32(byte[] a, int ao, byte[] b, int bo, int count) {
        int k = 0;
        while (k < count) {
            int m = Arrays.mismatch(a, ao + k * 4, ao + count * 4, b, bo + k * 4, bo + count * 4);
            if (m < 0) {
                return count;
            }
            k += m >>> 2;
            if ((m & 3) != 3) {
                return k;
            }
            k++; // bytes 0..2 of pixel k are equal
        }
        return count;
    }

    /** DJB2-XOR over three RGB keys, bytes in the order R, G, B (offsets 2, 1, 0). */
    private static int hash3(int k1, int k2, int k3) {
        int h = 5381;
        h = (h * 33) ^ (k1 >>> 16);
        h = (h * 33) ^ ((k1 >>> 8) & 0xFF);
        h = (h * 33) ^ (k1 & 0xFF);
        h = (h * 33) ^ (k2 >>> 16);
        h = (h * 33) ^ ((k2 >>> 8) & 0xFF);
        h = (h * 33) ^ (k2 & 0xFF);
        h = (h * 33) ^ (k3 >>> 16);
        h = (h * 33) ^ ((k3 >>> 8) & 0xFF);
        h = (h * 33) ^ (k3 & 0xFF);
        return h & GlzDictionary.HASH_MASK;
    }

    /** {@link #encodeMatch} for RGB32 lengths below 7 + 255, unchecked (the caller left room). */
    private static int writeMatch(byte[] o, int op, long imageDist, long pixDist, int len) {
        int low = (int) (pixDist & 0x0F) + (pixDist < SHORT_DIST ? 0 : 16);
        if (len < 7) {
            o[op++] = (byte) ((len << 5) + low);
        } else {
            o[op] = (byte) ((7 << 5) + low);
            o[op + 1] = (byte) (len - 7);
            op += 2;
        }
        o[op++] = (byte) (pixDist >>> 4);
        int id = (int) imageDist;
        if (pixDist < SHORT_DIST) {
            if (imageDist < 64) {
                o[op++] = (byte) (id & 0x3F);
            } else if (imageDist < 16384) {
                o[op] = (byte) (0x40 | (id & 0x3F));
                o[op + 1] = (byte) (id >>> 6);
                op += 2;
            } else if (imageDist < 4194304) {
                o[op] = (byte) (0x80 | (id & 0x3F));
                o[op + 1] = (byte) (id >>> 6);
                o[op + 2] = (byte) (id >>> 14);
                op += 3;
            } else {
                o[op] = (byte) (0xC0 | (id & 0x3F));
                o[op + 1] = (byte) (id >>> 6);
                o[op + 2] = (byte) (id >>> 14);
                o[op + 3] = (byte) (id >>> 22);
                op += 4;
            }
        } else {
            int longCtl = pixDist < MEDIUM_DIST ? 0 : 32;
            int hi = (int) (pixDist >>> 12) & 31;
            if (imageDist == 0) {
                o[op++] = (byte) (longCtl + hi);
            } else if (imageDist < 256) {
                o[op] = (byte) (longCtl + 0x40 + hi);
                o[op + 1] = (byte) id;
                op += 2;
            } else if (imageDist < 65536) {
                o[op] = (byte) (longCtl + 0x80 + hi);
                o[op + 1] = (byte) id;
                o[op + 2] = (byte) (id >>> 8);
                op += 3;
            } else {
                o[op] = (byte) (longCtl + 0xC0 + hi);
                o[op + 1] = (byte) id;
                o[op + 2] = (byte) (id >>> 8);
                o[op + 3] = (byte) (id >>> 16);
                op += 4;
            }
            if (longCtl != 0) {
                o[op++] = (byte) (pixDist >>> 17);
            }
        }
        return op;
    }

    /**
     * The general match loop, from unit {@code from} with {@code copied} literals pending behind
     * the run byte at {@link #lastCopy} (already written).
     */
    private void compressSeg(int segId, GlzDictionary.Segment seg, int from, int copied) {
        final byte[] d = seg.data;
        final int base = seg.start;
        final int step = bpu;
        final int n = seg.units;
        final int bound = n - 2;
        final int limit = n - 6;
        final long[] hashTab = dict.hashTab;
        final GlzDictionary.Segment[] s = segs;
        final boolean rgb = kind == K_RGB16 || kind == K_RGB24 || kind == K_RGB32;
        final boolean rgb2432 = kind == K_RGB24 || kind == K_RGB32;
        final int bias = kind == K_RGB16 ? 1 : rgb ? 0 : 2;
        int ip = from;
        int copy = copied;
        while (ip < limit) {
            int anchor = ip;
            int len;
            long imageDist;
            long pixDist;
            int k1 = key(d, base + ip * step);
            if (ip > 0 && key(d, base + (ip - 1) * step) == k1 && k1 == key(d, base + (ip + 1) * step)
                    && k1 == key(d, base + (ip + 2) * step)) {
                // a run of the previous unit: same-image distance 1
                pixDist = 1;
                imageDist = 0;
                ip += 3;
                len = 3;
                while (ip < bound) {
                    if (key(d, base + ip * step) != k1) {
                        ip++;
                        break;
                    }
                    ip++;
                    len++;
                }
            } else {
                int h = hash(d, base + ip * step);
                long e = hashTab[h];
                int rs = (int) (e >>> 32);
                int rp = (int) e;
                len = 0;
                imageDist = 0;
                pixDist = 0;
                GlzDictionary.Segment ref = null;
                if (rs == segId) {
                    ref = seg;
                } else if (rs >= 0 && rs < s.length) {
                    GlzDictionary.Segment r = GlzDictionary.slot(s, rs);
                    if (refValid(r, seg)) {
                        ref = r;
                    }
                }
                if (ref != null) {
                    len = doMatch(ref, rp, seg, ip, bound);
                    imageDist = matchImageDist;
                    pixDist = matchPixDist;
                }
                hashTab[h] = entry(segId, anchor);
                if (len == 0) {
                    putLiteral(d, base + anchor * step);
                    ip = anchor + 1;
                    if (++copy == MAX_COPY) {
                        copy = 0;
                        putCopyCount(MAX_COPY - 1);
                    }
                    continue;
                }
            }
            // emit the match
            if (imageDist == 0) {
                pixDist--;
            }
            if (copy > 0) {
                out[lastCopy] = (byte) (copy - 1);
            } else {
                op--; // drop the unused literal-run placeholder
            }
            copy = 0;
            ip = anchor + len - 2;
            encodeMatch(imageDist, pixDist, len - bias);
            if (!rgb || ip > anchor) {
                int h = hash(d, base + ip * step);
                hashTab[h] = entry(segId, ip);
            }
            ip++;
            if (!rgb2432 || ip > anchor) {
                int h = hash(d, base + ip * step);
                hashTab[h] = entry(segId, ip);
            }
            ip++;
            putCopyCount(MAX_COPY - 1);
        }
        while (ip < n) {
            putLiteral(d, base + ip * step);
            ip++;
            if (++copy == MAX_COPY) {
                copy = 0;
                putCopyCount(MAX_COPY - 1);
            }
        }
        if (copy > 0) {
            out[lastCopy] = (byte) (copy - 1);
        } else {
            op--;
        }
    }

    /** Length of a worthwhile match at {@code ip} against {@code ref[refPos]}, or 0. */
    private int doMatch(GlzDictionary.Segment ref, int refPos, GlzDictionary.Segment src, int ip, int ipLimit) {
        final boolean oneByte = kind == K_PLT || kind == K_ALPHA;
        final int min = oneByte ? 4 : 2;
        final int refLimit = ref.units;
        if (refPos < 0 || refPos > refLimit - min) {
            return 0; // stale entry
        }
        final byte[] rd = ref.data;
        final int rb = ref.start;
        final byte[] sd = src.data;
        final int sb = src.start;
        final int step = bpu;
        for (int j = 0; j < min; j++) {
            if (key(rd, rb + (refPos + j) * step) != key(sd, sb + (ip + j) * step)) {
                return 0;
            }
        }
        long imageDist = src.image.id - ref.image.id;
        long pixDist;
        if (imageDist == 0) {
            long num = (long) ip * ppb + src.pixelsSoFar - ((long) refPos * ppb + ref.pixelsSoFar);
            if (num <= 0) {
                return 0;
            }
            pixDist = num / ppb;
        } else {
            GlzDictionary.Segment first = GlzDictionary.slot(segs, ref.image.firstSeg);
            if (first == null || first.image != ref.image) {
                return 0; // slot reused under us (concurrent encoders)
            }
            long num = (long) refPos * ppb + ref.pixelsSoFar - first.pixelsSoFar;
            if (num < 0) {
                return 0;
            }
            pixDist = num / ppb;
        }
        if (pixDist == 0 || pixDist >= LONG_DIST || imageDist < 0 || imageDist > MAX_IMAGE_DIST) {
            return 0;
        }
        int ti = ip + min;
        int tr = refPos + min;
        if (kind == K_RGB32) {
            int count = Math.min(ipLimit - ti, refLimit - tr);
            if (count > 0) {
                int k = equalPixels32(rd, rb + tr * 4, sd, sb + ti * 4, count);
                ti += k;
                tr += k;
            }
        } else {
            while (ti < ipLimit && tr < refLimit && key(rd, rb + tr * step) == key(sd, sb + ti * step)) {
                ti++;
                tr++;
            }
        }
        int len = ti - ip;
        matchImageDist = imageDist;
        matchPixDist = pixDist;
        int maxCheap = oneByte ? 7 : kind == K_RGB16 ? 3 : 2;
        if (len > maxCheap) {
            return len;
        }
        int encodeSize = refSize(imageDist, pixDist);
        if (kind == K_RGB16) {
            encodeSize /= 2;
        } else if (!oneByte) {
            encodeSize /= 3;
        }
        return len < encodeSize + 1 ? 0 : len;
    }

    /** Size of a reference token without its length extension (get_encode_ref_size). */
    private static int refSize(long imageDist, long pixDist) {
        if (pixDist < SHORT_DIST) {
            return imageDist < 64 ? 3 : imageDist < 16384 ? 4 : imageDist < 4194304 ? 5 : 6;
        }
        int size = imageDist == 0 ? 3 : imageDist < 256 ? 4 : imageDist < 65536 ? 5 : 6;
        return pixDist < MEDIUM_DIST ? size : size + 1;
    }

    private void encodeMatch(long imageDist, long pixDist, int len) {
        int low = (int) (pixDist & 0x0F) + (pixDist < SHORT_DIST ? 0 : 16);
        if (len < 7) {
            put((len << 5) + low);
        } else {
            put((7 << 5) + low);
            int r = len - 7;
            for (; r >= 255; r -= 255) {
                put(255);
            }
            put(r);
        }
        put((int) (pixDist >>> 4) & 0xFF);
        int id = (int) imageDist;
        if (pixDist < SHORT_DIST) {
            if (imageDist < 64) {
                put(id & 0x3F);
            } else if (imageDist < 16384) {
                put(0x40 | (id & 0x3F));
                put(id >>> 6);
            } else if (imageDist < 4194304) {
                put(0x80 | (id & 0x3F));
                put(id >>> 6);
                put(id >>> 14);
            } else {
                put(0xC0 | (id & 0x3F));
                put(id >>> 6);
                put(id >>> 14);
                put(id >>> 22);
            }
        } else {
            int longCtl = pixDist < MEDIUM_DIST ? 0 : 32;
            int hi = (int) (pixDist >>> 12) & 31;
            if (imageDist == 0) {
                put(longCtl + hi);
            } else if (imageDist < 256) {
                put(longCtl + 0x40 + hi);
                put(id);
            } else if (imageDist < 65536) {
                put(longCtl + 0x80 + hi);
                put(id);
                put(id >>> 8);
            } else {
                put(longCtl + 0xC0 + hi);
                put(id);
                put(id >>> 8);
                put(id >>> 16);
            }
            if (longCtl != 0) {
                put((int) (pixDist >>> 17));
            }
        }
    }

    /** Gives the encoder slot back to the dictionary. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            dict.releaseEncoderId(encoderId);
        }
    }
}
