package org.spicecodec.video;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpiceChunks;

/**
 * RGB ↔ I420 (YUV 4:2:0 planar) in BT.601 limited range, the colour conversion that
 * GStreamer's {@code videoconvert} does in front of spice-server's encoders (streams.md §5.1).
 *
 * <p>Forward: RGB32 (B, G, R, X), RGBA (B, G, R, A; alpha ignored), RGB24 (B, G, R) and RGB16
 * (x1r5g5b5, 5-bit channels expanded as {@code (v << 3) | (v >> 2)}) bitmaps, any stride,
 * either row order, one or several chunks; a rectangle is cropped from the bitmap and written
 * top-down. With {@code R, G, B} in 0..255:
 * <pre>
 *   Y = ((66 R + 129 G + 25 B + 128) >> 8) + 16
 *   U = ((-38 R' - 74 G' + 112 B' + 128) >> 8) + 128
 *   V = ((112 R' - 94 G' - 18 B' + 128) >> 8) + 128
 * </pre>
 * where {@code R' = (sum of the 2x2 block's R + 2) >> 2} (likewise G', B'): chroma is taken
 * from the average colour of each 2x2 block. For an odd width or height the last column or
 * row is replicated to fill its block; chroma planes are {@code (w+1)/2 x (h+1)/2}.
 *
 * <p>Inverse ({@link #i420ToBgrx}): the usual integer BT.601 limited-range matrix
 * ({@code 298 (Y-16)}, {@code 409}, {@code 100}, {@code 208}, {@code 516}, rounded, clamped)
 * into RGB32/RGBA bitmaps, X/alpha set to 255; each chroma sample covers its 2x2 block.
 *
 * <p>{@code sampleXor} selects the plane sample encoding: {@link #UNSIGNED_SAMPLES} for the
 * usual bytes, {@link #SIGNED_SAMPLES} for JCodec 0.2's {@code Picture}, which stores
 * {@code sample - 128}. Flipping the top bit is exactly that subtraction, so both cost the same.
 *
 * <p>Everything is checked before any pixel is touched (an {@link IllegalArgumentException}
 * names the bad argument); nothing is allocated per call. The loops work on two rows at a
 * time so that each source pixel is read once.
 */
public final class I420Converter {
    /** Plane bytes are the samples 0..255. */
    public static final int UNSIGNED_SAMPLES = 0;
    /** Plane bytes are {@code sample - 128} as signed bytes (JCodec's {@code Picture}). */
    public static final int SIGNED_SAMPLES = 0x80;

    /** Clamps {@code v + CLIP_BIAS} to 0..255; covers every value the inverse matrix yields. */
    private static final int[] CLIP_INT = new int[2048];
    private static final int CLIP_BIAS = 1024;

    static {
        for (int i = 0; i < CLIP_INT.length; i++) {
            CLIP_INT[i] = Math.max(0, Math.min(255, i - CLIP_BIAS));
        }
    }

    private I420Converter() {
    }

    /** Converts the whole of {@code dst}'s size from the bitmap's rectangle at ({@code left}, {@code top}). */
    public static void rgbToI420(SpiceBitmap src, int left, int top, I420Frame dst) {
        rgbToI420(src, left, top, dst.width, dst.height, dst.y, dst.yOffset, dst.yStride,
                dst.u, dst.uOffset, dst.uStride, dst.v, dst.vOffset, dst.vStride, UNSIGNED_SAMPLES);
    }

    /**
     * Converts the rectangle {@code (left, top, width, height)} of {@code src} (in picture
     * coordinates: row 0 is the top whatever the storage order) into the three planes.
     *
     * @param sampleXor {@link #UNSIGNED_SAMPLES} or {@link #SIGNED_SAMPLES}
     * @throws IllegalArgumentException for an unsupported format, a rectangle outside the
     *         bitmap, or planes too small for the strides and sizes
     */
    public static void rgbToI420(SpiceBitmap src, int left, int top, int width, int height,
                                 byte[] y, int yOff, int yStride,
                                 byte[] u, int uOff, int uStride,
                                 byte[] v, int vOff, int vStride, int sampleXor) {
        Objects.requireNonNull(src, "src");
        checkFormat(src.format());
        checkRect(src, left, top, width, height);
        checkXor(sampleXor);
        int cw = (width + 1) >>> 1;
        int ch = (height + 1) >>> 1;
        checkPlane("Y", y, yOff, yStride, width, height);
        checkPlane("U", u, uOff, uStride, cw, ch);
        checkPlane("V", v, vOff, vStride, cw, ch);

        for (int j = 0; j < ch; j++) {
            // An odd height replicates the last row: the pair's second row is the first again,
            // and its luma lands on the same bytes.
            int y0 = yOff + 2 * j * yStride;
            int y1 = yOff + Math.min(2 * j + 1, height - 1) * yStride;
            convertPair(src, left, top, width, height, j, y, y0, y1, u, uOff + j * uStride, v, vOff + j * vStride, sampleXor);
        }
    }

    /**
     * Converts one pair of rows of the rectangle: rows {@code 2 * pair} and {@code 2 * pair + 1}
     * (for an odd height the last pair's second row repeats its first) into luma at
     * {@code y[y0, y0 + width)} and {@code y[y1, y1 + width)}, and its chroma row into
     * {@code u[uOff, uOff + (width + 1) / 2)} and {@code v[vOff, ...)}. For encoders that fill
     * their own planes row by row, or split a frame between threads by pairs.
     *
     * @throws IllegalArgumentException as {@link #rgbToI420(SpiceBitmap, int, int, int, int, byte[], int, int,
     *         byte[], int, int, byte[], int, int, int)}, or for a pair outside the rectangle
     */
    public static void rgbToI420Pair(SpiceBitmap src, int left, int top, int width, int height, int pair,
                                     byte[] y, int y0, int y1, byte[] u, int uOff, byte[] v, int vOff, int sampleXor) {
        Objects.requireNonNull(src, "src");
        checkFormat(src.format());
        checkRect(src, left, top, width, height);
        checkXor(sampleXor);
        if (pair < 0 || pair >= (height + 1) >>> 1) {
            throw new IllegalArgumentException("row pair " + pair + " is outside a rectangle of " + height + " rows");
        }
        int cw = (width + 1) >>> 1;
        checkPlane("Y", y, y0, width, width, 1);
        checkPlane("Y", y, y1, width, width, 1);
        checkPlane("U", u, uOff, cw, cw, 1);
        checkPlane("V", v, vOff, cw, cw, 1);
        convertPair(src, left, top, width, height, pair, y, y0, y1, u, uOff, v, vOff, sampleXor);
    }

    /** {@link #rgbToI420Pair} after the checks. */
    private static void convertPair(SpiceBitmap src, int left, int top, int width, int height, int pair,
                                    byte[] y, int y0, int y1, byte[] u, int uo, byte[] v, int vo, int xor) {
        int bpp = src.format().bytesPerPixel();
        int stride = src.stride();
        SpiceChunks chunks = src.chunks();
        int colByte = left * bpp;
        int r0 = 2 * pair;
        int r1 = Math.min(r0 + 1, height - 1);
        int stored0 = src.topDown() ? top + r0 : src.height() - 1 - (top + r0);
        int stored1 = src.topDown() ? top + r1 : src.height() - 1 - (top + r1);
        byte[] s0;
        byte[] s1;
        int p0;
        int p1;
        if (chunks.count() == 1) {
            s0 = chunks.data(0);
            s1 = s0;
            p0 = chunks.offset(0) + stored0 * stride + colByte;
            p1 = chunks.offset(0) + stored1 * stride + colByte;
        } else {
            s0 = rowArray(chunks, stride, stored0);
            s1 = rowArray(chunks, stride, stored1);
            p0 = rowOffset(chunks, stride, stored0) + colByte;
            p1 = rowOffset(chunks, stride, stored1) + colByte;
        }
        switch (bpp) {
            case 4 -> pair32(s0, p0, s1, p1, width, y, y0, y1, u, uo, v, vo, xor);
            case 3 -> pair24(s0, p0, s1, p1, width, y, y0, y1, u, uo, v, vo, xor);
            default -> pair16(s0, p0, s1, p1, width, y, y0, y1, u, uo, v, vo, xor);
        }
    }

    private static void checkFormat(SpiceBitmapFormat format) {
        if (format != SpiceBitmapFormat.RGB32 && format != SpiceBitmapFormat.RGBA
                && format != SpiceBitmapFormat.RGB24 && format != SpiceBitmapFormat.RGB16) {
            throw new IllegalArgumentException("cannot convert " + format + " to I420; RGB32, RGBA, RGB24 and RGB16 only");
        }
    }

    private static int luma(int r, int g, int b) {
        return ((66 * r + 129 * g + 25 * b + 128) >> 8) + 16;
    }

    /**
     * U and V from the sums of a block's four R, G, B values, by table: per sum, its
     * contribution to U in the low 32 bits and to V in the high 32 bits, with the negative
     * terms written as {@code c (255 - x) - 255 c} so that both lanes stay positive. The
     * constant 4336 gathers the {@code 255 c} terms, the rounding 128 and a bias of 128 * 256,
     * so {@code lane >> 8} is U or V itself: {@link #cb} and {@link #cr} exactly (tested).
     */
    private static final long[] UV_R = new long[1021];
    private static final long[] UV_G = new long[1021];
    private static final long[] UV_B = new long[1021];

    static {
        for (int sum = 0; sum <= 1020; sum++) {
            long c = (sum + 2) >> 2;
            long n = 255 - c;
            UV_R[sum] = 38 * n | (112 * c) << 32;
            UV_G[sum] = 74 * n | (94 * n) << 32;
            UV_B[sum] = (112 * c + 4336) | (18 * n + 4336) << 32;
        }
    }

    /** U (low 32 bits) and V (high 32 bits) of a block from its sums, as {@link #UV_R}. */
    private static long uv(int sr, int sg, int sb) {
        return UV_R[sr] + UV_G[sg] + UV_B[sb];
    }

    /** U from the sums of four R, G, B values. */
    static int cb(int sr, int sg, int sb) {
        return ((-38 * ((sr + 2) >> 2) - 74 * ((sg + 2) >> 2) + 112 * ((sb + 2) >> 2) + 128) >> 8) + 128;
    }

    static int cr(int sr, int sg, int sb) {
        return ((112 * ((sr + 2) >> 2) - 94 * ((sg + 2) >> 2) - 18 * ((sb + 2) >> 2) + 128) >> 8) + 128;
    }

    /** Four B, G, R, X bytes read as one little-endian int: one bounds check instead of three. */
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    /** Per x1r5g5b5 value: the expanded R, G, B in 10-bit lanes (R << 20 | G << 10 | B), so four add up without carries. */
    private static final int[] EXPANDED16 = new int[1 << 15];
    /** Per x1r5g5b5 value: its luma. */
    private static final byte[] LUMA16 = new byte[1 << 15];

    static {
        for (int px = 0; px < EXPANDED16.length; px++) {
            int r = expand5(px >>> 10);
            int g = expand5(px >>> 5);
            int b = expand5(px);
            EXPANDED16[px] = r << 20 | g << 10 | b;
            LUMA16[px] = (byte) luma(r, g, b);
        }
    }

    /**
     * {@link #luma} of a little-endian B, G, R, x int. R and B sit 16 bits apart, so one
     * multiply by {@code 66 | 25 << 16} puts {@code 66 R + 25 B} (at most 23205, no carry out)
     * in the upper half: two multiplies per pixel instead of three, same result.
     */
    private static int luma32(int bgrx) {
        return (((((bgrx & 0xFF00FF) * (66 | 25 << 16)) >>> 16) + 129 * ((bgrx >> 8) & 255) + 128) >> 8) + 16;
    }

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** B, R, B, R of two B, G, R, X pixels in the 16-bit lanes of a long. */
    private static final long RB_LANES = 0x00FF00FF_00FF00FFL;
    /** G of two pixels, in bits 0..7 and 32..39 after a shift right by 8. */
    private static final long G_LANES = 0x000000FF_000000FFL;
    /** Times B|R lanes: lane 1 gets 66 R0 + 25 B0 and lane 3 66 R1 + 25 B1 (at most 23205: no carries). */
    private static final long LUMA_RB = 66 | 25L << 16;
    /** The luma rounding (+128) in lanes 1 and 3. */
    private static final long LUMA_ROUND = 128L << 16 | 128L << 48;

    /** Two B, G, R, X pixels (a little-endian long) to their lumas (less 16) in lanes 1 and 3. */
    private static long lumaLanes(long px) {
        return (px & RB_LANES) * LUMA_RB + ((px >>> 8) & G_LANES) * (129L << 16) + LUMA_ROUND;
    }

    /** U and V ({@link #uv}) of the 2x2 block of two pixel pairs, one above the other. */
    private static long blockUv(long top, long bottom) {
        long rb = (top & RB_LANES) + (bottom & RB_LANES); // lanes: B and R of the left column, B and R of the right one
        int sbr = (int) rb + (int) (rb >>> 32);
        long g = ((top >>> 8) & G_LANES) + ((bottom >>> 8) & G_LANES);
        return uv(sbr >>> 16, (int) g + (int) (g >>> 32), sbr & 0xFFFF);
    }

    /** The two lumas (less 16) in lanes 1 and 3 of {@code l} as bytes 0 and 1. */
    private static int lumas2(long l) {
        return (int) (l >>> 24) & 0xFF | (int) (l >>> 48) & 0xFF00;
    }

    /** Four lumas (less 16) from two pixel pairs' lanes, as bytes 0 to 3. */
    private static int lumas4(long l, long l2) {
        return lumas2(l) | lumas2(l2) << 16;
    }

    /**
     * Two rows of B, G, R, X pixels: each row's pixel pairs are read as longs and their lumas
     * computed side by side in 16-bit lanes ({@link #luma} exactly: lanes 1 and 3 reach at most
     * 23205 + 129 * 255 + 128 = 56228, so no lane carries into the next); chroma through the
     * {@link #uv} tables. At 1920x1080 this takes about 3.5 ms where one int per pixel and
     * multiplied-out chroma took 5.8 ms (same bytes).
     */
    private static void pair32(byte[] s0, int p0, byte[] s1, int p1, int w, byte[] y, int y0, int y1,
                               byte[] u, int uo, byte[] v, int vo, int xor) {
        int xor2 = xor | xor << 8;
        int xor4 = xor2 | xor2 << 16;
        int x = 0;
        // Two blocks per iteration: four lumas per row go out as one int, two U and two V as shorts.
        for (int quads = w & ~3; x < quads; x += 4, p0 += 16, p1 += 16) {
            long a = (long) LONG_LE.get(s0, p0);
            long a2 = (long) LONG_LE.get(s0, p0 + 8);
            long c = (long) LONG_LE.get(s1, p1);
            long c2 = (long) LONG_LE.get(s1, p1 + 8);
            INT_LE.set(y, y0 + x, (lumas4(lumaLanes(a), lumaLanes(a2)) + 0x10101010) ^ xor4);
            INT_LE.set(y, y1 + x, (lumas4(lumaLanes(c), lumaLanes(c2)) + 0x10101010) ^ xor4);
            long uv1 = blockUv(a, c);
            long uv2 = blockUv(a2, c2);
            int k = x >> 1;
            SHORT_LE.set(u, uo + k, (short) (((int) uv1 >>> 8 | (int) uv2 & 0xFF00) ^ xor2));
            SHORT_LE.set(v, vo + k, (short) (((int) (uv1 >>> 40) & 0xFF | (int) (uv2 >>> 32) & 0xFF00) ^ xor2));
        }
        if (x + 1 < w) {
            long a = (long) LONG_LE.get(s0, p0);
            long c = (long) LONG_LE.get(s1, p1);
            SHORT_LE.set(y, y0 + x, (short) ((lumas2(lumaLanes(a)) + 0x1010) ^ xor2));
            SHORT_LE.set(y, y1 + x, (short) ((lumas2(lumaLanes(c)) + 0x1010) ^ xor2));
            long uv1 = blockUv(a, c);
            int k = x >> 1;
            u[uo + k] = (byte) ((int) uv1 >>> 8 ^ xor);
            v[vo + k] = (byte) ((int) (uv1 >>> 40) ^ xor);
            x += 2;
            p0 += 8;
            p1 += 8;
        }
        if (x < w) {
            lastColumn(s0, p0, s1, p1, x, y, y0, y1, u, uo, v, vo, xor);
        }
    }

    /**
     * Two pixels above two, as little-endian B, G, R, x ints: their four lumas, and the chroma
     * of their block from R and B summed in the 16-bit halves of one int ({@code 0x00RR00BB}
     * masks) and G on its own.
     */
    private static void block(int a, int b, int c, int d, int x, byte[] y, int y0, int y1,
                              byte[] u, int uo, byte[] v, int vo, int xor) {
        y[y0 + x] = (byte) (luma32(a) ^ xor);
        y[y0 + x + 1] = (byte) (luma32(b) ^ xor);
        y[y1 + x] = (byte) (luma32(c) ^ xor);
        y[y1 + x + 1] = (byte) (luma32(d) ^ xor);
        int rb = (a & 0xFF00FF) + (b & 0xFF00FF) + (c & 0xFF00FF) + (d & 0xFF00FF);
        int sg = ((a >> 8) & 255) + ((b >> 8) & 255) + ((c >> 8) & 255) + ((d >> 8) & 255);
        int sr = rb >>> 16;
        int sb = rb & 0xFFFF;
        int k = x >> 1;
        long uvc = uv(sr, sg, sb);
        u[uo + k] = (byte) ((int) uvc >>> 8 ^ xor);
        v[vo + k] = (byte) ((int) (uvc >>> 40) ^ xor);
    }

    /**
     * Odd width, B, G, R(, x) pixels: the last column stands for both columns of its block.
     * Read byte by byte: the last pixel of a tight row may end the array, an int read of the
     * packed formats would not fit.
     */
    private static void lastColumn(byte[] s0, int p0, byte[] s1, int p1, int x, byte[] y, int y0, int y1,
                                   byte[] u, int uo, byte[] v, int vo, int xor) {
        int b = s0[p0] & 255, g = s0[p0 + 1] & 255, r = s0[p0 + 2] & 255;
        int sb = 2 * b, sg = 2 * g, sr = 2 * r;
        y[y0 + x] = (byte) (luma(r, g, b) ^ xor);
        b = s1[p1] & 255; g = s1[p1 + 1] & 255; r = s1[p1 + 2] & 255;
        sb += 2 * b; sg += 2 * g; sr += 2 * r;
        y[y1 + x] = (byte) (luma(r, g, b) ^ xor);
        int k = x >> 1;
        long uvc = uv(sr, sg, sb);
        u[uo + k] = (byte) ((int) uvc >>> 8 ^ xor);
        v[vo + k] = (byte) ((int) (uvc >>> 40) ^ xor);
    }

    /**
     * Two rows of B, G, R pixels, read as ints: a pair's first pixel at {@code p} (its fourth
     * byte is the second pixel's B), the second at {@code p + 2} shifted down a byte, so no
     * read leaves the pair.
     */
    private static void pair24(byte[] s0, int p0, byte[] s1, int p1, int w, byte[] y, int y0, int y1,
                               byte[] u, int uo, byte[] v, int vo, int xor) {
        int even = w & ~1;
        int x = 0;
        for (; x < even; x += 2, p0 += 6, p1 += 6) {
            int a = (int) INT_LE.get(s0, p0);
            int b = (int) INT_LE.get(s0, p0 + 2) >>> 8;
            int c = (int) INT_LE.get(s1, p1);
            int d = (int) INT_LE.get(s1, p1 + 2) >>> 8;
            block(a, b, c, d, x, y, y0, y1, u, uo, v, vo, xor);
        }
        if (x < w) {
            lastColumn(s0, p0, s1, p1, x, y, y0, y1, u, uo, v, vo, xor);
        }
    }

    /** x1r5g5b5 little-endian, through the two 15-bit tables; bit 15 is ignored. */
    private static void pair16(byte[] s0, int p0, byte[] s1, int p1, int w, byte[] y, int y0, int y1,
                               byte[] u, int uo, byte[] v, int vo, int xor) {
        int[] exp = EXPANDED16;
        byte[] lum = LUMA16;
        int even = w & ~1;
        int x = 0;
        for (; x < even; x += 2, p0 += 4, p1 += 4) {
            int a = (short) SHORT_LE.get(s0, p0) & 0x7FFF;
            int b = (short) SHORT_LE.get(s0, p0 + 2) & 0x7FFF;
            int c = (short) SHORT_LE.get(s1, p1) & 0x7FFF;
            int d = (short) SHORT_LE.get(s1, p1 + 2) & 0x7FFF;
            y[y0 + x] = (byte) (lum[a] ^ xor);
            y[y0 + x + 1] = (byte) (lum[b] ^ xor);
            y[y1 + x] = (byte) (lum[c] ^ xor);
            y[y1 + x + 1] = (byte) (lum[d] ^ xor);
            int sum = exp[a] + exp[b] + exp[c] + exp[d];
            int k = x >> 1;
            int sr = sum >>> 20;
            int sg = (sum >>> 10) & 1023;
            int sb = sum & 1023;
            long uvc = uv(sr, sg, sb);
            u[uo + k] = (byte) ((int) uvc >>> 8 ^ xor);
            v[vo + k] = (byte) ((int) (uvc >>> 40) ^ xor);
        }
        if (x < w) {
            int a = (short) SHORT_LE.get(s0, p0) & 0x7FFF;
            int c = (short) SHORT_LE.get(s1, p1) & 0x7FFF;
            y[y0 + x] = (byte) (lum[a] ^ xor);
            y[y1 + x] = (byte) (lum[c] ^ xor);
            int sum = 2 * (exp[a] + exp[c]);
            int k = x >> 1;
            int sr = sum >>> 20;
            int sg = (sum >>> 10) & 1023;
            int sb = sum & 1023;
            long uvc = uv(sr, sg, sb);
            u[uo + k] = (byte) ((int) uvc >>> 8 ^ xor);
            v[vo + k] = (byte) ((int) (uvc >>> 40) ^ xor);
        }
    }

    private static int expand5(int c) {
        c &= 31;
        return (c << 3) | (c >> 2);
    }

    /** Converts {@code src} into the top-left of {@code dst} (RGB32 or RGBA). */
    public static void i420ToBgrx(I420Frame src, SpiceBitmap dst) {
        i420ToBgrx(src.y, src.yOffset, src.yStride, src.u, src.uOffset, src.uStride, src.v, src.vOffset, src.vStride,
                src.width, src.height, UNSIGNED_SAMPLES, dst);
    }

    /**
     * Converts {@code width x height} I420 samples into the top-left {@code width x height}
     * pixels of {@code dst} (RGB32 or RGBA, any row order and chunking), X/alpha = 255.
     *
     * @param sampleXor {@link #UNSIGNED_SAMPLES} or {@link #SIGNED_SAMPLES}
     * @throws IllegalArgumentException for another bitmap format, a bitmap smaller than the
     *         picture, or planes too small
     */
    public static void i420ToBgrx(byte[] y, int yOff, int yStride, byte[] u, int uOff, int uStride,
                                  byte[] v, int vOff, int vStride, int width, int height, int sampleXor,
                                  SpiceBitmap dst) {
        Objects.requireNonNull(dst, "dst");
        if (dst.format() != SpiceBitmapFormat.RGB32 && dst.format() != SpiceBitmapFormat.RGBA) {
            throw new IllegalArgumentException("I420 converts to RGB32 or RGBA bitmaps, not " + dst.format());
        }
        if (width < 1 || height < 1 || width > dst.width() || height > dst.height()) {
            throw new IllegalArgumentException("picture " + width + "x" + height + " does not fit "
                    + dst.width() + "x" + dst.height());
        }
        checkXor(sampleXor);
        int cw = (width + 1) >>> 1;
        int ch = (height + 1) >>> 1;
        checkPlane("Y", y, yOff, yStride, width, height);
        checkPlane("U", u, uOff, uStride, cw, ch);
        checkPlane("V", v, vOff, vStride, cw, ch);

        SpiceChunks chunks = dst.chunks();
        int stride = dst.stride();
        boolean contiguous = chunks.count() == 1;
        for (int row = 0; row < height; row++) {
            int stored = dst.topDown() ? row : dst.height() - 1 - row;
            byte[] d;
            int p;
            if (contiguous) {
                d = chunks.data(0);
                p = chunks.offset(0) + stored * stride;
            } else {
                d = rowArray(chunks, stride, stored);
                p = rowOffset(chunks, stride, stored);
            }
            yuvRow(y, yOff + row * yStride, u, uOff + (row >> 1) * uStride, v, vOff + (row >> 1) * vStride,
                    width, sampleXor, d, p);
        }
    }

    private static void yuvRow(byte[] y, int yo, byte[] u, int uo, byte[] v, int vo, int w, int xor,
                               byte[] d, int p) {
        int[] clip = CLIP_INT;
        int even = w & ~1;
        int x = 0;
        for (; x < even; x += 2, p += 8) {
            int c = x >> 1;
            int cu = ((u[uo + c] ^ xor) & 255) - 128;
            int cv = ((v[vo + c] ^ xor) & 255) - 128;
            int rv = 409 * cv + 128;
            int gv = -100 * cu - 208 * cv + 128;
            int bv = 516 * cu + 128;
            int l = 298 * (((y[yo + x] ^ xor) & 255) - 16);
            INT_LE.set(d, p, bgrx(clip, l, rv, gv, bv));
            l = 298 * (((y[yo + x + 1] ^ xor) & 255) - 16);
            INT_LE.set(d, p + 4, bgrx(clip, l, rv, gv, bv));
        }
        if (x < w) {
            int c = x >> 1;
            int cu = ((u[uo + c] ^ xor) & 255) - 128;
            int cv = ((v[vo + c] ^ xor) & 255) - 128;
            int l = 298 * (((y[yo + x] ^ xor) & 255) - 16);
            INT_LE.set(d, p, bgrx(clip, l, 409 * cv + 128, -100 * cu - 208 * cv + 128, 516 * cu + 128));
        }
    }

    /** One B, G, R, 255 pixel as a little-endian int. */
    private static int bgrx(int[] clip, int l, int rv, int gv, int bv) {
        return clip[((l + bv) >> 8) + CLIP_BIAS]
                | clip[((l + gv) >> 8) + CLIP_BIAS] << 8
                | clip[((l + rv) >> 8) + CLIP_BIAS] << 16
                | 0xFF000000;
    }

    private static void checkRect(SpiceBitmap src, int left, int top, int width, int height) {
        if (width < 1 || height < 1 || left < 0 || top < 0
                || (long) left + width > src.width() || (long) top + height > src.height()) {
            throw new IllegalArgumentException("rectangle " + width + "x" + height + " at (" + left + ", " + top
                    + ") is outside the " + src.width() + "x" + src.height() + " bitmap");
        }
    }

    private static void checkXor(int sampleXor) {
        if (sampleXor != UNSIGNED_SAMPLES && sampleXor != SIGNED_SAMPLES) {
            throw new IllegalArgumentException("sampleXor must be UNSIGNED_SAMPLES or SIGNED_SAMPLES, got " + sampleXor);
        }
    }

    /** The plane must hold {@code rows} rows of {@code rowLen} bytes, {@code stride} apart, from {@code off}. */
    static void checkPlane(String name, byte[] plane, int off, int stride, int rowLen, int rows) {
        Objects.requireNonNull(plane, name);
        if (off < 0 || stride < rowLen) {
            throw new IllegalArgumentException(name + " plane: offset " + off + ", stride " + stride
                    + " for rows of " + rowLen);
        }
        long end = off + (long) (rows - 1) * stride + rowLen;
        if (end > plane.length) {
            throw new IllegalArgumentException(name + " plane of " + plane.length + " bytes cannot hold " + rows
                    + " rows of " + rowLen + " at stride " + stride + " from offset " + off);
        }
    }

    private static byte[] rowArray(SpiceChunks chunks, int stride, int storedRow) {
        int row = storedRow;
        for (int i = 0; ; i++) {
            int rows = chunks.length(i) / stride;
            if (row < rows) {
                return chunks.data(i);
            }
            row -= rows;
        }
    }

    private static int rowOffset(SpiceChunks chunks, int stride, int storedRow) {
        int row = storedRow;
        for (int i = 0; ; i++) {
            int rows = chunks.length(i) / stride;
            if (row < rows) {
                return chunks.offset(i) + row * stride;
            }
            row -= rows;
        }
    }
}
