package org.spicecodec.quic;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

import org.spicecodec.core.ImageDecoder;
import org.spicecodec.core.ImageInfo;
import org.spicecodec.core.ImageLimits;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.RowCursor;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpiceImageType;

/**
 * QUIC decoder; it reads every stream spice-common's {@code quic_encode()} writes and
 * decodes it into a caller-supplied bitmap, with the conversions the reference allows
 * (RGB24 and RGB32 into each other, RGB16 into RGB32).
 *
 * <p>Bad data ends in {@link MalformedInputException} naming the byte offset: a wrong magic,
 * version or type, a size over the {@link ImageLimits}, a run longer than its segment, or a
 * stream that ends before its last pixel. Missing look-ahead past the end reads as zero bits;
 * only bits actually consumed past the end are an error, checked after every row, so a
 * truncated stream costs at most one row of work. Decoding never reads outside the input
 * range and never allocates more than a few rows of the header's width.
 *
 * <p>An instance keeps scratch rows between images and is not thread-safe. The input array
 * is only read; the destination's arrays are written, and are undefined after a failure.
 */
public final class QuicDecoder implements ImageDecoder {
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final ImageLimits limits;
    private final QuicModel m = new QuicModel();
    private final RowCursor rows = new RowCursor();

    private int[] cur = new int[0];
    private int[] prev = new int[0];
    private int[] curA = new int[0];
    private int[] prevA = new int[0];

    // Header of the stream being decoded.
    private QuicImageType type;
    private int width;
    private int height;

    // Bit reader: the next bits of the stream are the top bits of buf, avail of them valid.
    private long buf;
    private int avail;
    private byte[] in;
    private int inStart;
    private int inEnd;
    /** Next word to load; may run past inEnd, whose words read as zero. */
    private int inPos;

    /** A decoder with {@link ImageLimits#DEFAULT}. */
    public QuicDecoder() {
        this(ImageLimits.DEFAULT);
    }

    public QuicDecoder(ImageLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    @Override
    public SpiceImageType imageType() {
        return SpiceImageType.QUIC;
    }

    @Override
    public ImageInfo readInfo(byte[] in, int offset, int length) {
        readHeader(in, offset, length);
        return new ImageInfo(SpiceImageType.QUIC, type.bitmapFormat(), width, height, true);
    }

    @Override
    public boolean canDecode(SpiceBitmapFormat encoded, SpiceBitmapFormat target) {
        QuicImageType t = QuicImageType.forFormat(encoded);
        return t != null && t.decodesTo(target);
    }

    /**
     * Decodes into a new top-down bitmap of {@code target} (or of the stream's own format if
     * {@code target} is null), with the tightest stride. Allocates the image; use
     * {@link #decode(byte[], int, int, SpiceBitmap)} in loops.
     */
    public SpiceBitmap decode(byte[] in, int offset, int length, SpiceBitmapFormat target) {
        readHeader(in, offset, length);
        checkLength(length);
        SpiceBitmapFormat f = target == null ? type.bitmapFormat() : target;
        if (!type.decodesTo(f)) {
            throw new MalformedInputException(8, "a " + type + " stream cannot be decoded to " + f);
        }
        SpiceBitmap dst = SpiceBitmap.allocate(f, width, height);
        decode(in, offset, length, dst);
        return dst;
    }

    @Override
    public void decode(byte[] in, int offset, int length, SpiceBitmap dst) {
        readHeader(in, offset, length);
        checkLength(length);
        if (dst.width() != width || dst.height() != height) {
            throw new MalformedInputException(12, "stream is " + width + "x" + height + ", destination is "
                    + dst.width() + "x" + dst.height());
        }
        SpiceBitmapFormat target = dst.format();
        if (!type.decodesTo(target)) {
            throw new MalformedInputException(8, "a " + type + " stream cannot be decoded to " + target);
        }
        QuicFamily fam = type.bitsPerChannel() == 5 ? QuicFamily.BPC5 : QuicFamily.BPC8;
        m.reset(fam, width);
        if (cur.length < width) {
            cur = new int[width];
            prev = new int[width];
            curA = new int[width];
            prevA = new int[width];
        }
        this.in = in;
        this.inStart = offset;
        this.inEnd = offset + length;
        this.inPos = offset + QuicModel.HEADER_BYTES;
        this.buf = 0;
        this.avail = 0;
        refill();
        refill();
        rows.reset(dst, true);
        try {
            for (int row = 0; row < height; row++) {
                if (type == QuicImageType.GRAY) {
                    decodePlane1(row, 0, 0, cur, prev);
                } else {
                    decodeRgbRow(row);
                    if (type == QuicImageType.RGBA) {
                        decodePlane1(row, 1, 3, curA, prevA);
                    }
                }
                long consumed = consumedBits();
                if (consumed > (long) length * 8) {
                    throw new MalformedInputException(length, "stream ends in row " + row + " of " + height
                            + " (" + ((consumed + 7) / 8 - length) + " bytes missing)");
                }
                rows.next();
                storeRow(target, rows.array, rows.offset);
                int[] t = prev;
                prev = cur;
                cur = t;
                t = prevA;
                prevA = curA;
                curA = t;
            }
        } finally {
            this.in = null;
        }
    }

    /** Validates the header and leaves type, width and height in fields. */
    private void readHeader(byte[] in, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, in.length);
        if (length < QuicModel.HEADER_BYTES) {
            throw new MalformedInputException(length, "truncated header: " + length + " bytes, a QUIC header has 20");
        }
        if ((length & 3) != 0) {
            throw new MalformedInputException(length & ~3, "length " + length + " is not a whole number of 32-bit words");
        }
        int magic = (int) INT_LE.get(in, offset);
        if (magic != QuicModel.MAGIC) {
            throw new MalformedInputException(0, String.format("bad magic 0x%08x, expected 0x%08x", magic, QuicModel.MAGIC));
        }
        int version = (int) INT_LE.get(in, offset + 4);
        if (version != QuicModel.VERSION) {
            throw new MalformedInputException(4, String.format("unsupported version 0x%08x", version));
        }
        int t = (int) INT_LE.get(in, offset + 8);
        QuicImageType qt = QuicImageType.fromValue(t);
        if (qt == null) {
            throw new MalformedInputException(8, "invalid image type " + Integer.toUnsignedString(t));
        }
        int w = (int) INT_LE.get(in, offset + 12);
        int h = (int) INT_LE.get(in, offset + 16);
        limits.check(w, h, 12, 16);
        if ((long) w * h > (512L << 20) - 1) {
            throw new MalformedInputException(12, "image size " + w + "x" + h + " exceeds QUIC's 2^29-1 pixels");
        }
        this.type = qt;
        this.width = w;
        this.height = h;
    }

    /**
     * Rejects a stream too short for its header's size before anything of that size is
     * allocated. The first row codes every pixel, and every later row its first three, with
     * at least one bit per channel; runs cannot cover those.
     */
    private void checkLength(int length) {
        int channels = switch (type) {
            case GRAY -> 1;
            case RGBA -> 4;
            default -> 3;
        };
        long minBits = QuicModel.HEADER_BYTES * 8L
                + (long) channels * (width + (long) (height - 1) * Math.min(width, 3));
        if ((long) length * 8 < minBits) {
            throw new MalformedInputException(length, "a " + width + "x" + height + " " + type + " stream needs at least "
                    + (minBits + 7) / 8 + " bytes, this one has " + length);
        }
    }

    private long consumedBits() {
        return (long) (inPos - inStart) * 8 - avail;
    }

    private MalformedInputException malformed(String reason) {
        return new MalformedInputException(Math.min(consumedBits() / 8, inEnd - inStart), reason);
    }

    private void refill() {
        int word = inPos <= inEnd - 4 ? (int) INT_LE.get(in, inPos) : 0;
        inPos += 4;
        buf |= (word & 0xFFFFFFFFL) << (32 - avail);
        avail += 32;
    }

    private void skip(int n) {
        buf <<= n;
        avail -= n;
        if (avail < 32) {
            refill();
        }
    }

    /** Reads one Golomb code word of code number {@code l}; the folded value, masked to 8 bits. */
    private int readCode(QuicFamily fam, int l) {
        int top = (int) (buf >>> 32);
        int z = Integer.numberOfLeadingZeros(top);
        int f;
        int n;
        if (z < fam.alt[l]) {
            n = z + 1 + l;
            // The code word read from its leading 1 on is (1 << l) + the low bits, so this is
            // z << l plus the low bits. It stays below 256: alt[l] bounds z.
            f = ((z - 1) << l) + (top >>> (31 - z - l));
        } else {
            n = fam.escLen[l];
            // A corrupt escape can exceed 255; the reference truncates it to a byte.
            f = fam.nGR[l] + ((top >>> (32 - n)) & fam.suffixMask[l]) & 0xFF;
        }
        skip(n);
        return f;
    }

    /** Reads a MELCODE run length and checks it stays within {@code maxLength}. */
    private int readRun(int plane, int maxLength) {
        QuicModel m = this.m;
        int state = m.melcState[plane];
        int order = m.melcOrder[plane];
        int length = 0;
        while (buf < 0) {
            skip(1);
            length += order;
            if (length > maxLength) {
                throw malformed("run of at least " + length + " pixels overruns its segment of " + maxLength);
            }
            if (state < 31) {
                state++;
                order = 1 << QuicModel.MELC_J[state];
            }
        }
        skip(1);
        int bits = QuicModel.MELC_J[state];
        if (bits > 0) {
            length += (int) (buf >>> (64 - bits));
            skip(bits);
        }
        if (length > maxLength) {
            throw malformed("run of " + length + " pixels overruns its segment of " + maxLength);
        }
        m.melcStep(plane, state > 0 ? state - 1 : 0);
        return length;
    }

    private void decodeRgbRow(int row) {
        QuicModel m = this.m;
        QuicModel.startRow(row, m.corrRgb);
        int[] c = cur;
        int w = width;
        int pos = 0;
        while (pos < w) {
            int end = m.nextSegment(0, pos, w);
            if (row == 0) {
                // The first row predicts from the left only and has no runs.
                for (int i = pos; i < end; i++) {
                    c[i] = decodeRgbPixel(i, i == 0 ? 0 : c[i - 1]);
                }
            } else {
                decodeRgbSegment(pos, end);
            }
            pos = end;
        }
    }

    /** Decodes one RGB pixel through the field-based reader: the first row and column 0. */
    private int decodeRgbPixel(int i, int pred) {
        QuicModel m = this.m;
        QuicFamily fam = m.family;
        int mask = fam.maxValue;
        int[] unfold = fam.unfold;
        int[] best = m.bestByCtx;
        int[] corr = m.corrRgb;
        int ctx = corr[i];
        int fr = readCode(fam, best[ctx >>> 16] >>> 8);
        int fg = readCode(fam, best[256 + ((ctx >>> 8) & 0xFF)] >>> 8);
        int fb = readCode(fam, best[512 + (ctx & 0xFF)] >>> 8);
        int f = fr << 16 | fg << 8 | fb;
        corr[i + 1] = f;
        int wait = m.waitcnt[0];
        m.waitcnt[0] = wait == 0 ? m.sampleRgb(ctx, f) : wait - 1;
        return ((unfold[fr] + (pred >>> 16)) & mask) << 16
                | ((unfold[fg] + (pred >>> 8)) & mask) << 8
                | ((unfold[fb] + pred) & mask);
    }

    /**
     * Decodes pixels [start, end) of an RGB row below the first. This is the hot loop: the
     * bit reader, the wait count and the contexts live in locals, and go back to fields only
     * around run codes.
     */
    private void decodeRgbSegment(int start, int end) {
        int[] c = cur;
        int[] p = prev;
        int i = start;
        // Columns 0..2 cannot start a run; decoding them here keeps that test out of the loop.
        for (; i < 3 && i < end; i++) {
            c[i] = decodeRgbPixel(i, i == 0 ? p[0] : QuicEncoder.avg(c[i - 1], p[i]));
        }
        QuicModel m = this.m;
        QuicFamily fam = m.family;
        int laneTop = fam.laneTop;
        int laneLow = laneTop - 0x010101;
        int[] unfold = fam.unfold;
        int[] alt = fam.alt;
        int[] escLen = fam.escLen;
        int[] nGR = fam.nGR;
        int[] suffixMask = fam.suffixMask;
        int[] best = m.bestByCtx;
        int[] corr = m.corrRgb;
        byte[] src = in;
        int lastWord = inEnd - 4;
        long b = buf;
        int av = avail;
        int ip = inPos;
        int wait = m.waitcnt[0];
        int runIndex = 0;
        // Contexts of pixel i, carried over from the pixel just decoded; reloaded after a run.
        // The left pixel is carried too, so the next pixel need not wait for its store.
        int ctx = corr[i];
        int l = c[i - 1];
        while (i < end) {
            int a = p[i];
            // One test for the common case (no run): both pixel pairs differ.
            if ((p[i - 1] ^ a | l ^ c[i - 2]) == 0 && i != runIndex) {
                runIndex = i;
                buf = b;
                avail = av;
                inPos = ip;
                int k = i + readRun(0, end - i);
                b = buf;
                av = avail;
                ip = inPos;
                for (; i < k; i++) {
                    c[i] = l;
                }
                ctx = corr[i];
                continue;
            }

            // Each code is at most 26 bits and at least 32 are buffered before each one. A Rice
            // code word read from its leading 1 on is (1 << code) + the low bits, hence the
            // (z - 1) below; its value stays under 256 because alt bounds z.
            int code = best[ctx >>> 16] >>> 8;
            int top = (int) (b >>> 32);
            int z = Integer.numberOfLeadingZeros(top);
            int n;
            int fr;
            if (z < alt[code]) {
                n = z + 1 + code;
                fr = ((z - 1) << code) + (top >>> (31 - z - code));
            } else {
                n = escLen[code];
                fr = nGR[code] + ((top >>> (32 - n)) & suffixMask[code]) & 0xFF;
            }
            b <<= n;
            av -= n;
            if (av < 32) {
                int word = ip <= lastWord ? (int) INT_LE.get(src, ip) : 0;
                ip += 4;
                b |= (word & 0xFFFFFFFFL) << (32 - av);
                av += 32;
            }

            code = best[256 + ((ctx >>> 8) & 0xFF)] >>> 8;
            top = (int) (b >>> 32);
            z = Integer.numberOfLeadingZeros(top);
            int fg;
            if (z < alt[code]) {
                n = z + 1 + code;
                fg = ((z - 1) << code) + (top >>> (31 - z - code));
            } else {
                n = escLen[code];
                fg = nGR[code] + ((top >>> (32 - n)) & suffixMask[code]) & 0xFF;
            }
            b <<= n;
            av -= n;
            if (av < 32) {
                int word = ip <= lastWord ? (int) INT_LE.get(src, ip) : 0;
                ip += 4;
                b |= (word & 0xFFFFFFFFL) << (32 - av);
                av += 32;
            }

            code = best[512 + (ctx & 0xFF)] >>> 8;
            top = (int) (b >>> 32);
            z = Integer.numberOfLeadingZeros(top);
            int fb;
            if (z < alt[code]) {
                n = z + 1 + code;
                fb = ((z - 1) << code) + (top >>> (31 - z - code));
            } else {
                n = escLen[code];
                fb = nGR[code] + ((top >>> (32 - n)) & suffixMask[code]) & 0xFF;
            }
            b <<= n;
            av -= n;
            if (av < 32) {
                int word = ip <= lastWord ? (int) INT_LE.get(src, ip) : 0;
                ip += 4;
                b |= (word & 0xFFFFFFFFL) << (32 - av);
                av += 32;
            }

            int f = fr << 16 | fg << 8 | fb;
            corr[i + 1] = f;
            wait = wait == 0 ? m.sampleRgb(ctx, f) : wait - 1;
            ctx = f;
            // Residual plus prediction, per lane modulo 2^bpc, all lanes at once: the low bits
            // add without carrying out of their lane, the top bit of each lane is an xor.
            int pred = QuicEncoder.avg(l, a);
            int u = unfold[fr] << 16 | unfold[fg] << 8 | unfold[fb];
            l = ((u & laneLow) + (pred & laneLow)) ^ ((u ^ pred) & laneTop);
            c[i] = l;
            i++;
        }
        m.waitcnt[0] = wait;
        buf = b;
        avail = av;
        inPos = ip;
    }

    private void decodePlane1(int row, int plane, int channel, int[] c, int[] p) {
        QuicModel m = this.m;
        int[] corr = m.corr1;
        QuicModel.startRow(row, corr);
        QuicFamily fam = m.family;
        int mask = fam.maxValue;
        int[] unfold = fam.unfold;
        int[] best = m.bestByCtx;
        int bestBase = channel * 256;
        int w = width;
        int pos = 0;
        while (pos < w) {
            int end = m.nextSegment(plane, pos, w);
            int wait = m.waitcnt[plane];
            int runIndex = 0;
            int i = pos;
            int ctx = corr[i];
            while (i < end) {
                int pred;
                if (row == 0) {
                    pred = i == 0 ? 0 : c[i - 1];
                } else if (i == 0) {
                    pred = p[0];
                } else {
                    int l = c[i - 1];
                    int a = p[i];
                    if (i >= 3 && i != runIndex && p[i - 1] == a && l == c[i - 2]) {
                        runIndex = i;
                        int k = i + readRun(plane, end - i);
                        for (; i < k; i++) {
                            c[i] = l;
                        }
                        ctx = corr[i];
                        continue;
                    }
                    pred = (l + a) >>> 1;
                }
                int f = readCode(fam, best[bestBase + ctx] >>> 8);
                corr[i + 1] = f;
                wait = wait == 0 ? m.sample1(plane, channel, ctx, f) : wait - 1;
                c[i] = (unfold[f] + pred) & mask;
                ctx = f;
                i++;
            }
            m.waitcnt[plane] = wait;
            pos = end;
        }
    }

    /** Packs the decoded row into the destination format. */
    private void storeRow(SpiceBitmapFormat target, byte[] d, int p) {
        int[] c = cur;
        int w = width;
        switch (target) {
            case GRAY8 -> {
                for (int i = 0; i < w; i++) {
                    d[p + i] = (byte) c[i];
                }
            }
            case RGB16 -> {
                for (int i = 0; i < w; i++, p += 2) {
                    int v = c[i];
                    int x = (v >>> 6) & 0x7C00 | (v >>> 3) & 0x03E0 | v & 0x1F;
                    d[p] = (byte) x;
                    d[p + 1] = (byte) (x >>> 8);
                }
            }
            case RGB24 -> {
                for (int i = 0; i < w; i++, p += 3) {
                    int v = c[i];
                    d[p] = (byte) v;
                    d[p + 1] = (byte) (v >>> 8);
                    d[p + 2] = (byte) (v >>> 16);
                }
            }
            case RGB32 -> {
                if (type == QuicImageType.RGB16) {
                    for (int i = 0; i < w; i++, p += 4) {
                        int v = c[i];
                        INT_LE.set(d, p, v << 3 | (v >>> 2) & 0x070707);
                    }
                } else {
                    for (int i = 0; i < w; i++, p += 4) {
                        INT_LE.set(d, p, c[i]);
                    }
                }
            }
            case RGBA -> {
                int[] a = curA;
                for (int i = 0; i < w; i++, p += 4) {
                    INT_LE.set(d, p, c[i] | a[i] << 24);
                }
            }
            default -> throw new AssertionError(target);
        }
    }
}
