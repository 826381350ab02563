package org.spicecodec.quic;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

import org.spicecodec.core.ImageEncoder;
import org.spicecodec.core.RowCursor;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpiceImageType;

/**
 * QUIC encoder; its output is byte-identical to spice-common's {@code quic_encode()}.
 *
 * <p>Input rows are read in picture order, top row first: a bottom-up bitmap is walked from
 * its last stored row, as spice-server does. Padding bytes after each row, the X byte of
 * RGB32 and bit 15 of RGB16 are never read into the stream.
 *
 * <p>An encoder keeps its model and row buffers between images and allocates only when an
 * image is wider than any before. It is not thread-safe. The input arrays are only read; the
 * output array is the caller's and is written from {@code outOffset} on.
 */
public final class QuicEncoder implements ImageEncoder {
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** Thrown internally when the output is full; preallocated, without a stack trace. */
    private static final RuntimeException FULL = new RuntimeException("output full", null, false, false) {
        private static final long serialVersionUID = 1L;
    };

    private final QuicModel m = new QuicModel();
    private final RowCursor rows = new RowCursor();

    // Current and previous row, packed 0x00RRGGBB (5-bit lanes for RGB16) or a single value.
    private int[] cur = new int[0];
    private int[] prev = new int[0];
    private int[] curA = new int[0];
    private int[] prevA = new int[0];

    // Bit writer: the low bitCount bits of bitBuf are pending, most significant first.
    private long bitBuf;
    private int bitCount;
    private byte[] out;
    private int outPos;
    private int outLimit;

    @Override
    public SpiceImageType imageType() {
        return SpiceImageType.QUIC;
    }

    @Override
    public boolean supports(SpiceBitmapFormat format) {
        return QuicImageType.forFormat(format) != null;
    }

    @Override
    public long maxEncodedLength(SpiceBitmapFormat format, int width, int height) {
        QuicImageType type = QuicImageType.forFormat(format);
        if (type == null) {
            throw new IllegalArgumentException("QUIC does not code " + format);
        }
        return maxEncodedLength(type, width, height);
    }

    /**
     * An upper bound on the encoded size: every channel value at the longest code word (26
     * bits), plus room for a run code before each pixel of each plane.
     */
    public static long maxEncodedLength(QuicImageType type, int width, int height) {
        long bitsPerPixel = switch (type) {
            case GRAY -> 26 + 33;
            case RGB16, RGB24, RGB32 -> 3 * 26 + 33;
            case RGBA -> 3 * 26 + 33 + 26 + 33;
        };
        long bits = (long) width * height * bitsPerPixel + 32L * QuicModel.HEADER_BYTES / 4;
        return (bits + 31) / 32 * 4 + 4;
    }

    @Override
    public int encode(SpiceBitmap src, byte[] out, int outOffset, int maxLength) {
        QuicImageType type = QuicImageType.forFormat(src.format());
        if (type == null) {
            throw new IllegalArgumentException("QUIC does not code " + src.format());
        }
        rows.reset(src, true);
        return encode(type, src.width(), src.height(), out, outOffset, maxLength);
    }

    /**
     * Encodes rows held in one array without building a {@link SpiceBitmap}.
     *
     * @param stride bytes from one stored row to the next, at least width × bytes per pixel
     * @param topDown whether the first stored row is the top of the picture
     * @return bytes written, or {@link #DOES_NOT_FIT}
     */
    public int encode(QuicImageType type, int width, int height, byte[] src, int srcOffset, int stride,
                      boolean topDown, byte[] out, int outOffset, int maxLength) {
        Objects.requireNonNull(type, "type");
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("size must be positive: " + width + "x" + height);
        }
        if ((long) stride < type.bitmapFormat().minStride(width)) {
            throw new IllegalArgumentException("stride " + stride + " is too small for " + width + " pixels of " + type);
        }
        Objects.checkFromIndexSize(srcOffset, (long) stride * height > Integer.MAX_VALUE ? -1 : stride * height,
                src.length);
        rows.reset(src, srcOffset, stride, height, !topDown);
        return encode(type, width, height, out, outOffset, maxLength);
    }

    private int encode(QuicImageType type, int width, int height, byte[] out, int outOffset, int maxLength) {
        Objects.checkFromIndexSize(outOffset, maxLength, out.length);
        QuicFamily fam = type.bitsPerChannel() == 5 ? QuicFamily.BPC5 : QuicFamily.BPC8;
        m.reset(fam, width);
        if (cur.length < width) {
            cur = new int[width];
            prev = new int[width];
            curA = new int[width];
            prevA = new int[width];
        }
        this.out = out;
        this.outPos = outOffset;
        this.outLimit = outOffset + (maxLength & ~3);
        this.bitBuf = 0;
        this.bitCount = 0;
        try {
            put(QuicModel.MAGIC >>> 16, 16);
            put(QuicModel.MAGIC & 0xFFFF, 16);
            put(QuicModel.VERSION, 32);
            put(type.value(), 32);
            put(width, 32);
            put(height, 32);
            for (int row = 0; row < height; row++) {
                rows.next();
                loadRow(type, width, rows.array, rows.offset);
                if (type == QuicImageType.GRAY) {
                    codePlane1(row, width, 0, 0, cur, prev);
                } else {
                    codeRgbRow(row, width);
                    if (type == QuicImageType.RGBA) {
                        codePlane1(row, width, 1, 3, curA, prevA);
                    }
                }
                int[] t = prev;
                prev = cur;
                cur = t;
                t = prevA;
                prevA = curA;
                curA = t;
            }
            if (bitCount > 0) {
                put(0, 32 - bitCount);
            }
            writeWord(0);
        } catch (RuntimeException e) {
            if (e == FULL) {
                return DOES_NOT_FIT;
            }
            throw e;
        } finally {
            this.out = null;
        }
        return outPos - outOffset;
    }

    /** Unpacks one stored row into {@link #cur} (and {@link #curA} for RGBA). */
    private void loadRow(QuicImageType type, int width, byte[] s, int p) {
        int[] c = cur;
        switch (type) {
            case GRAY -> {
                for (int i = 0; i < width; i++) {
                    c[i] = s[p + i] & 0xFF;
                }
            }
            case RGB16 -> {
                for (int i = 0; i < width; i++, p += 2) {
                    int v = (s[p] & 0xFF) | (s[p + 1] & 0xFF) << 8;
                    c[i] = (v & 0x7C00) << 6 | (v & 0x03E0) << 3 | (v & 0x1F);
                }
            }
            case RGB24 -> {
                for (int i = 0; i < width; i++, p += 3) {
                    c[i] = (s[p] & 0xFF) | (s[p + 1] & 0xFF) << 8 | (s[p + 2] & 0xFF) << 16;
                }
            }
            case RGB32 -> {
                for (int i = 0; i < width; i++, p += 4) {
                    c[i] = (int) INT_LE.get(s, p) & 0xFFFFFF;
                }
            }
            case RGBA -> {
                int[] a = curA;
                for (int i = 0; i < width; i++, p += 4) {
                    int v = (int) INT_LE.get(s, p);
                    c[i] = v & 0xFFFFFF;
                    a[i] = v >>> 24;
                }
            }
        }
    }

    /** Codes one row of the RGB plane (plane 0, channels 0..2). */
    private void codeRgbRow(int row, int width) {
        QuicModel m = this.m;
        QuicModel.startRow(row, m.corrRgb);
        int[] c = cur;
        int pos = 0;
        while (pos < width) {
            int end = m.nextSegment(0, pos, width);
            if (row == 0) {
                // The first row predicts from the left only and has no runs.
                for (int i = pos; i < end; i++) {
                    codeRgbPixel(i, c[i], i == 0 ? 0 : c[i - 1]);
                }
            } else {
                codeRgbSegment(pos, end);
            }
            pos = end;
        }
    }

    /** Per-lane floor((left + above) / 2) of packed RGB: lanes never carry into each other. */
    static int avg(int left, int above) {
        return (left & above) + (((left ^ above) & 0xFEFEFE) >>> 1);
    }

    /** Codes one RGB pixel through the checked writer: the first row and column 0. */
    private void codeRgbPixel(int i, int v, int pred) {
        QuicModel m = this.m;
        int[] fold = m.family.fold;
        int[] code = m.family.codePacked;
        int[] best = m.bestByCtx;
        int[] corr = m.corrRgb;
        int f = fold[((v >>> 16) - (pred >>> 16)) & 0xFF] << 16
                | fold[((v >>> 8) - (pred >>> 8)) & 0xFF] << 8
                | fold[(v - pred) & 0xFF];
        int ctx = corr[i];
        corr[i + 1] = f;
        putCode(code[best[ctx >>> 16] | f >>> 16]);
        putCode(code[best[256 + ((ctx >>> 8) & 0xFF)] | (f >>> 8) & 0xFF]);
        putCode(code[best[512 + (ctx & 0xFF)] | f & 0xFF]);
        int wait = m.waitcnt[0];
        m.waitcnt[0] = wait == 0 ? m.sampleRgb(ctx, f) : wait - 1;
    }

    /**
     * Codes pixels [start, end) of an RGB row below the first. This is the hot loop: the bit
     * writer, the wait count and the contexts live in locals, and go back to fields only
     * around run codes and near the end of the output.
     */
    private void codeRgbSegment(int start, int end) {
        int[] c = cur;
        int[] p = prev;
        int i = start;
        // Columns 0..2 cannot start a run; coding them here keeps that test out of the loop.
        for (; i < 3 && i < end; i++) {
            codeRgbPixel(i, c[i], i == 0 ? p[0] : avg(c[i - 1], p[i]));
        }
        QuicModel m = this.m;
        int[] fold = m.family.fold;
        int[] code = m.family.codePacked;
        int[] best = m.bestByCtx;
        int[] corr = m.corrRgb;
        byte[] o = out;
        int nearEnd = outLimit - 12;
        long buf = bitBuf;
        int cnt = bitCount;
        int op = outPos;
        int wait = m.waitcnt[0];
        int runIndex = 0;
        // Contexts of pixel i: the folded values at i - 1, carried over from the pixel just
        // coded, reloaded from the context row after a run.
        int ctx = corr[i];
        while (i < end) {
            int l = c[i - 1];
            int a = p[i];
            // One test for the common case (no run): both pixel pairs differ.
            if ((p[i - 1] ^ a | l ^ c[i - 2]) == 0 && i != runIndex) {
                runIndex = i;
                int k = i;
                while (k < end && c[k] == l) {
                    k++;
                }
                bitBuf = buf;
                bitCount = cnt;
                outPos = op;
                encodeRun(0, k - i);
                buf = bitBuf;
                cnt = bitCount;
                op = outPos;
                i = k;
                ctx = corr[i];
                continue;
            }
            int v = c[i];
            int pred = avg(l, a);
            int fr = fold[((v >>> 16) - (pred >>> 16)) & 0xFF];
            int fg = fold[((v >>> 8) - (pred >>> 8)) & 0xFF];
            int fb = fold[(v - pred) & 0xFF];
            int f = fr << 16 | fg << 8 | fb;
            corr[i + 1] = f;
            int cr = code[best[ctx >>> 16] | fr];
            int cg = code[best[256 + ((ctx >>> 8) & 0xFF)] | fg];
            int cb = code[best[512 + (ctx & 0xFF)] | fb];
            if (op > nearEnd) {
                bitBuf = buf;
                bitCount = cnt;
                outPos = op;
                putCode(cr);
                putCode(cg);
                putCode(cb);
                buf = bitBuf;
                cnt = bitCount;
                op = outPos;
            } else {
                int lr = cr & 31;
                int lg = cg & 31;
                int lb = cb & 31;
                if (cnt + lr + lg + lb <= 64) {
                    // The usual case: the pixel's three code words fit in the buffer at once,
                    // and up to two words are complete. Both are stored every time but op
                    // only advances over complete ones; a premature store is overwritten.
                    buf = ((buf << lr | cr >>> 5) << lg | cg >>> 5) << lb | cb >>> 5;
                    cnt += lr + lg + lb;
                    INT_LE.set(o, op, (int) (buf >>> (cnt - 32)));
                    INT_LE.set(o, op + 4, (int) (buf >>> (cnt - 64)));
                    int full = cnt >>> 5;
                    op += full << 2;
                    cnt -= full << 5;
                } else {
                    // Long code words: one at a time, flushing after each.
                    buf = buf << lr | cr >>> 5;
                    cnt += lr;
                    INT_LE.set(o, op, (int) (buf >>> (cnt - 32)));
                    int full = cnt >>> 5;
                    op += full << 2;
                    cnt -= full << 5;
                    buf = buf << lg | cg >>> 5;
                    cnt += lg;
                    INT_LE.set(o, op, (int) (buf >>> (cnt - 32)));
                    full = cnt >>> 5;
                    op += full << 2;
                    cnt -= full << 5;
                    buf = buf << lb | cb >>> 5;
                    cnt += lb;
                    INT_LE.set(o, op, (int) (buf >>> (cnt - 32)));
                    full = cnt >>> 5;
                    op += full << 2;
                    cnt -= full << 5;
                }
            }
            wait = wait == 0 ? m.sampleRgb(ctx, f) : wait - 1;
            ctx = f;
            i++;
        }
        m.waitcnt[0] = wait;
        bitBuf = buf;
        bitCount = cnt;
        outPos = op;
    }

    /**
     * Codes one row of a single-channel plane: gray (plane 0, channel 0) or alpha (plane 1,
     * channel 3). These are rarely hot, so they write through {@link #put}.
     */
    private void codePlane1(int row, int width, int plane, int channel, int[] c, int[] p) {
        QuicModel m = this.m;
        int[] corr = m.corr1;
        QuicModel.startRow(row, corr);
        int[] fold = m.family.fold;
        int[] code = m.family.codePacked;
        int[] best = m.bestByCtx;
        int bestBase = channel * 256;
        int pos = 0;
        while (pos < width) {
            int end = m.nextSegment(plane, pos, width);
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
                        int k = i;
                        while (k < end && c[k] == l) {
                            k++;
                        }
                        encodeRun(plane, k - i);
                        i = k;
                        ctx = corr[i];
                        continue;
                    }
                    pred = (l + a) >>> 1;
                }
                int f = fold[(c[i] - pred) & 0xFF];
                corr[i + 1] = f;
                putCode(code[best[bestBase + ctx] | f]);
                wait = wait == 0 ? m.sample1(plane, channel, ctx, f) : wait - 1;
                ctx = f;
                i++;
            }
            m.waitcnt[plane] = wait;
            pos = end;
        }
    }

    /** MELCODE: one bit per order-sized step of the run, then the remainder. */
    private void encodeRun(int plane, int length) {
        QuicModel m = this.m;
        int state = m.melcState[plane];
        int order = m.melcOrder[plane];
        int hits = 0;
        while (length >= order) {
            hits++;
            length -= order;
            if (state < 31) {
                state++;
                order = 1 << QuicModel.MELC_J[state];
            }
        }
        while (hits > 24) {
            put(0xFFFFFF, 24);
            hits -= 24;
        }
        if (hits > 0) {
            put((1 << hits) - 1, hits);
        }
        put(length, QuicModel.MELC_J[state] + 1);
        m.melcStep(plane, state > 0 ? state - 1 : 0);
    }

    /** Appends a packed code word ({@code word << 5 | length}). */
    private void putCode(int packed) {
        put(packed >>> 5, packed & 31);
    }

    /** Appends the low {@code len} (at most 32) bits of {@code bits}, most significant first. */
    private void put(int bits, int len) {
        long buf = bitBuf << len | (bits & 0xFFFFFFFFL) & ((1L << len) - 1);
        int count = bitCount + len;
        if (count >= 32) {
            count -= 32;
            writeWord((int) (buf >>> count));
        }
        bitBuf = buf;
        bitCount = count;
    }

    private void writeWord(int word) {
        int p = outPos;
        if (p >= outLimit) {
            throw FULL;
        }
        INT_LE.set(out, p, word);
        outPos = p + 4;
    }
}
