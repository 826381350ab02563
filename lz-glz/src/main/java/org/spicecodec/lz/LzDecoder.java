package org.spicecodec.lz;

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
import org.spicecodec.core.SpicePalette;

/**
 * LZ decoder; it reads every stream spice-common's {@code lz_encode()} writes and decodes it
 * with the conversions {@code lz_decode()} supports: each type into its own format; RGB16,
 * RGB24, A8 and the palette types also into RGB32; XXXA into byte 3 of an RGBA (or RGB32)
 * destination, leaving bytes 0 to 2 alone.
 *
 * <p>Rows: the stream's rows are in the encoder's storage order and its header says whether
 * the first is the top row. The decoder writes them in {@code dst}'s own row order, so a
 * destination with the stream's orientation receives the rows as stored, and one with the
 * other orientation receives them flipped.
 *
 * <p>Palette images into RGB32 need {@code dst.palette()}. Each stream row holds
 * {@code stride × pixelsPerByte} pixels, the last ones being padding. A destination as wide as
 * the image gets the image pixels; one exactly {@code stride × pixelsPerByte} wide (the layout
 * spice-gtk uses) gets the padding pixels too. Entry lookups follow the reference: PLT1 uses
 * entries 0 and 1 (a palette with fewer is rejected), PLT4 takes the index modulo the palette
 * size, and an out-of-range PLT8 index (which the reference does not check) decodes as black.
 *
 * <p>Bad data ends in {@link MalformedInputException} naming the byte offset: a wrong magic,
 * version or type, a size over the {@link ImageLimits} (checked before anything is allocated),
 * a stride that disagrees with the width, a back-reference before the first pixel or past the
 * last, a stream that ends early, or bytes left over after the last pixel.
 *
 * <p>An instance keeps a scratch buffer between images (used when the destination is not one
 * packed array in the stream's row order, and for palette expansion) and is not thread-safe.
 */
public final class LzDecoder implements ImageDecoder {
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Output modes of the token loop: how a literal unit is stored. */
    private static final int M_BYTE = 0;
    private static final int M_RGB16 = 1;
    private static final int M_RGB24 = 2;
    private static final int M_RGB32 = 3;
    private static final int M_RGB16_TO_32 = 4;
    private static final int M_A8_TO_32 = 5;
    private static final int M_ALPHA = 6;

    private final ImageLimits limits;
    private final RowCursor rows = new RowCursor();
    private byte[] scratch = new byte[0];
    /** Palette index to B, G, R, 0 word, rebuilt per image. */
    private final int[] lut = new int[256];

    // Header of the stream being decoded.
    private LzImageType type;
    private int width;
    private int height;
    private int stride;
    private boolean topDown;

    /** A decoder with {@link ImageLimits#DEFAULT}. */
    public LzDecoder() {
        this(ImageLimits.DEFAULT);
    }

    public LzDecoder(ImageLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** {@code LZ_RGB}; the same decoder reads {@code LZ_PLT} streams (palette types). */
    @Override
    public SpiceImageType imageType() {
        return SpiceImageType.LZ_RGB;
    }

    @Override
    public ImageInfo readInfo(byte[] in, int offset, int length) {
        readHeader(in, offset, length);
        return new ImageInfo(type.spiceImageType(), type.bitmapFormat(), width, height, topDown);
    }

    /** The LZ type named by the header of {@code in[offset, offset + length)}, after validating the header. */
    public LzImageType readType(byte[] in, int offset, int length) {
        readHeader(in, offset, length);
        return type;
    }

    @Override
    public boolean canDecode(SpiceBitmapFormat encoded, SpiceBitmapFormat target) {
        LzImageType t = LzImageType.forFormat(encoded);
        return t != null && t.decodesTo(target);
    }

    /**
     * Decodes into a new bitmap of {@code target} (or of the stream's own format if null) with
     * the tightest stride and the stream's row order, so the rows come out as the encoder read
     * them. Palette images into RGB32 need {@code palette}; they come out
     * {@code stride × pixelsPerByte} pixels wide, padding pixels included, like spice-gtk's.
     * Allocates the image; use {@link #decode(byte[], int, int, SpiceBitmap)} in loops.
     */
    public SpiceBitmap decode(byte[] in, int offset, int length, SpiceBitmapFormat target, SpicePalette palette) {
        readHeader(in, offset, length);
        SpiceBitmapFormat f = target == null ? type.bitmapFormat() : target;
        if (!type.decodesTo(f)) {
            throw new MalformedInputException(8, "an LZ " + type + " stream cannot be decoded to " + f);
        }
        checkLength(length);
        int w = type.isPalette() && f == SpiceBitmapFormat.RGB32 ? stride * type.pixelsPerByte() : width;
        long size = f.minStride(w) * height;
        if (size > Integer.MAX_VALUE - 16) {
            throw new MalformedInputException(12, w + "x" + height + " " + f + " does not fit in one array");
        }
        SpiceBitmap dst = SpiceBitmap.of(f, w, height, (int) f.minStride(w), topDown, new byte[(int) size], 0);
        if (palette != null) {
            dst = dst.withPalette(palette);
        }
        decode(in, offset, length, dst);
        return dst;
    }

    @Override
    public void decode(byte[] in, int offset, int length, SpiceBitmap dst) {
        readHeader(in, offset, length);
        SpiceBitmapFormat target = dst.format();
        if (!type.decodesTo(target)) {
            throw new MalformedInputException(8, "an LZ " + type + " stream cannot be decoded to " + target);
        }
        boolean expand = type.isPalette() && target == SpiceBitmapFormat.RGB32;
        int gross = expand ? stride * type.pixelsPerByte() : width;
        if ((dst.width() != width && dst.width() != gross) || dst.height() != height) {
            throw new MalformedInputException(12, "stream is " + width + "x" + height + ", destination is "
                    + dst.width() + "x" + dst.height());
        }
        SpicePalette pal = null;
        if (expand) {
            pal = dst.palette();
            if (pal == null) {
                throw new IllegalArgumentException("decoding a palette image to RGB32 needs the destination's palette");
            }
            if (pal.size() < (type.pixelsPerByte() == 8 ? 2 : 1)) {
                throw new MalformedInputException(8, "a " + type + " image needs a palette of at least "
                        + (type.pixelsPerByte() == 8 ? 2 : 1) + " entries, got " + pal.size());
            }
        }
        checkLength(length);
        if ((long) width * height * 4 > Integer.MAX_VALUE - 16 && !type.isPalette()
                && target.bytesPerPixel() == 4) {
            throw new MalformedInputException(12, width + "x" + height + " pixels do not fit in one array");
        }
        int n = type.isPalette() ? stride * height : width * height;
        int end = offset + length;

        if (expand) {
            byte[] buf = scratch(n);
            int ip = decodePass(in, offset, end, offset + LzEncoder.HEADER_BYTES, buf, 0, n, M_BYTE, 3);
            requireEnd(ip, end, offset);
            expandPalette(buf, pal, dst);
            return;
        }

        int mode;
        int minLen;
        int outBpp = target.bytesPerPixel();
        switch (type) {
            case PLT1_LE, PLT1_BE, PLT4_LE, PLT4_BE, PLT8 -> {
                mode = M_BYTE;
                minLen = 3;
            }
            case A8 -> {
                mode = target == SpiceBitmapFormat.A8 ? M_BYTE : M_A8_TO_32;
                minLen = 3;
            }
            case RGB16 -> {
                mode = target == SpiceBitmapFormat.RGB16 ? M_RGB16 : M_RGB16_TO_32;
                minLen = 2;
            }
            case RGB24 -> {
                mode = target == SpiceBitmapFormat.RGB24 ? M_RGB24 : M_RGB32;
                minLen = 1;
            }
            case XXXA -> {
                mode = M_ALPHA;
                minLen = 3;
            }
            default -> {
                mode = M_RGB32;
                minLen = 1;
            }
        }
        int rowBytes = type.isPalette() ? stride : width * outBpp;
        boolean direct = dst.isContiguous() && dst.stride() == rowBytes && dst.topDown() == topDown;
        byte[] buf;
        int base;
        if (direct) {
            buf = dst.data();
            base = dst.offset();
        } else {
            buf = scratch((long) rowBytes * height);
            base = 0;
        }
        int ip = offset + LzEncoder.HEADER_BYTES;
        ip = decodePass(in, offset, end, ip, buf, base, n, mode, minLen);
        if (type == LzImageType.RGBA) {
            ip = decodePass(in, offset, end, ip, buf, base, n, M_ALPHA, 3);
        }
        requireEnd(ip, end, offset);
        if (!direct) {
            copyOut(buf, rowBytes, dst, type == LzImageType.XXXA);
        }
    }

    private static void requireEnd(int ip, int end, int offset) {
        if (ip != end) {
            throw new MalformedInputException(ip - offset, (end - ip) + " bytes after the last pixel");
        }
    }

    private byte[] scratch(long size) {
        if (scratch.length < size) {
            scratch = new byte[Math.toIntExact(size)];
        }
        return scratch;
    }

    /** Validates the header and leaves its fields in this decoder. */
    private void readHeader(byte[] in, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, in.length);
        if (length < LzEncoder.HEADER_BYTES) {
            throw new MalformedInputException(length, "truncated header: " + length + " bytes, an LZ header has 28");
        }
        int magic = readInt(in, offset);
        if (magic != LzEncoder.MAGIC) {
            throw new MalformedInputException(0, String.format("bad magic 0x%08x, expected 0x%08x", magic,
                    LzEncoder.MAGIC));
        }
        int version = readInt(in, offset + 4);
        if (version != LzEncoder.VERSION) {
            throw new MalformedInputException(4, String.format("unsupported version 0x%08x", version));
        }
        int t = readInt(in, offset + 8);
        LzImageType lt = LzImageType.fromValue(t);
        if (lt == null) {
            throw new MalformedInputException(8, "invalid image type " + Integer.toUnsignedString(t));
        }
        int w = readInt(in, offset + 12);
        int h = readInt(in, offset + 16);
        limits.check(w, h, 12, 16);
        long s = readInt(in, offset + 20) & 0xFFFFFFFFL;
        if (s != lt.tightStride(w)) {
            throw new MalformedInputException(20, "stride " + s + " does not match " + w + " pixels of " + lt
                    + " (expected " + lt.tightStride(w) + ")");
        }
        if (s * h > LzEncoder.MAX_IMAGE_BYTES) {
            throw new MalformedInputException(20, "image of " + s * h + " bytes exceeds LZ's 2^30-1");
        }
        this.type = lt;
        this.width = w;
        this.height = h;
        this.stride = (int) s;
        this.topDown = readInt(in, offset + 24) != 0;
    }

    /**
     * Rejects a stream too short for its header's size before anything of that size is
     * allocated: no byte of a stream codes more than 255 units (a length extension byte), so
     * each pass needs at least {@code units / 256} bytes.
     */
    private void checkLength(int length) {
        long n = type.isPalette() ? (long) stride * height : (long) width * height;
        long passes = type == LzImageType.RGBA ? 2 : 1;
        long minBytes = LzEncoder.HEADER_BYTES + passes * (n / 256);
        if (length < minBytes) {
            throw new MalformedInputException(length, "stream of " + length + " bytes is too short for "
                    + n + " pixels");
        }
    }

    private static int readInt(byte[] b, int p) {
        return (b[p] & 0xFF) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
    }

    /**
     * {@link #decodePass} for 3-byte literals into 4-byte pixels (RGB24/RGB32 streams to RGB32,
     * the colour pass of RGBA): the common case, kept small so the JIT keeps it in registers.
     */
    private static int decodeRgb32(byte[] in, int start, int end, int ip, byte[] o, int base, int n) {
        int op = base;
        final int oEnd = base + n * 4;
        while (op < oEnd) {
            if (ip >= end) {
                throw new MalformedInputException(ip - start, "stream ends after " + ((op - base) >>> 2) + " of "
                        + n + " pixels");
            }
            int tokenAt = ip;
            int c = in[ip++] & 0xFF;
            if (c < 32) {
                int cnt = c + 1;
                if (cnt * 4 > oEnd - op) {
                    throw new MalformedInputException(tokenAt - start, "literal run of " + cnt + " pixels passes the"
                            + " end of the image (" + ((oEnd - op) >>> 2) + " left)");
                }
                int inBytes = cnt * 3;
                if (inBytes >= end - ip) {
                    if (inBytes > end - ip) {
                        throw new MalformedInputException(end - start, "stream ends inside a literal run");
                    }
                    // The run ends the input: no slack byte for 4-byte reads.
                    for (int i = 0; i < cnt; i++, ip += 3, op += 4) {
                        o[op] = in[ip];
                        o[op + 1] = in[ip + 1];
                        o[op + 2] = in[ip + 2];
                        o[op + 3] = 0;
                    }
                    continue;
                }
                int stop = op + cnt * 4;
                do {
                    INT_LE.set(o, op, (int) INT_LE.get(in, ip) & 0xFFFFFF);
                    ip += 3;
                    op += 4;
                } while (op < stop);
                continue;
            }
            int len = (c >>> 5) - 1;
            if (len == 6) {
                int e;
                do {
                    if (ip >= end) {
                        throw new MalformedInputException(end - start, "stream ends inside a back-reference");
                    }
                    e = in[ip++] & 0xFF;
                    len += e;
                } while (e == 255 && len <= n);
            }
            if (ip >= end) {
                throw new MalformedInputException(end - start, "stream ends inside a back-reference");
            }
            int d = in[ip++] & 0xFF;
            int dist = (c & 31) << 8 | d;
            if (d == 255 && (c & 31) == 31) {
                if (end - ip < 2) {
                    throw new MalformedInputException(end - start, "stream ends inside a back-reference");
                }
                dist = ((in[ip] & 0xFF) << 8 | (in[ip + 1] & 0xFF)) + LzEncoder.MAX_DISTANCE;
                ip += 2;
            }
            len += 1;
            int produced = (op - base) >>> 2;
            if (dist >= produced) {
                throw new MalformedInputException(tokenAt - start, "back-reference " + (dist + 1)
                        + " pixels back with only " + produced + " decoded");
            }
            if (len > n - produced) {
                throw new MalformedInputException(tokenAt - start, "back-reference of " + len
                        + " pixels passes the end of the image (" + (n - produced) + " left)");
            }
            int back = (dist + 1) << 2;
            int stop = op + (len << 2);
            if (back == 4) {
                // A run of one pixel: stores from a register.
                long pattern = ((int) INT_LE.get(o, op - 4) & 0xFFFFFFFFL) * 0x0000000100000001L;
                if (stop + 8 <= oEnd) {
                    do {
                        LONG_LE.set(o, op, pattern);
                        op += 8;
                    } while (op < stop);
                } else {
                    for (; op < stop; op += 4) {
                        INT_LE.set(o, op, (int) pattern);
                    }
                }
            } else if (len <= 16 && stop + 8 <= oEnd) {
                // back >= 8: each 8-byte step reads only final bytes; it may run 4 bytes past
                // the copy, into pixels the next tokens write.
                do {
                    LONG_LE.set(o, op, (long) LONG_LE.get(o, op - back));
                    op += 8;
                } while (op < stop);
            } else if (back >= stop - op) {
                System.arraycopy(o, op - back, o, op, stop - op);
            } else {
                int span = back;
                while (op < stop) {
                    int chunk = Math.min(span, stop - op);
                    System.arraycopy(o, op - span, o, op, chunk);
                    op += chunk;
                    span += chunk - chunk % back;
                }
            }
            op = stop;
        }
        return ip;
    }

    /**
     * Decodes one token stream of {@code n} units from {@code in[ip, end)} into {@code o} from
     * {@code base}; returns the position after its last token. {@code start} is the offset of
     * the stream's header, for error offsets.
     */
    private static int decodePass(byte[] in, int start, int end, int ip, byte[] o, int base, int n, int mode,
                                  int minLen) {
        if (mode == M_RGB32) {
            return decodeRgb32(in, start, end, ip, o, base, n);
        }
        final int ub = switch (mode) {
            case M_BYTE -> 1;
            case M_RGB16 -> 2;
            case M_RGB24 -> 3;
            default -> 4;
        };
        final int lb = switch (mode) {
            case M_RGB16, M_RGB16_TO_32 -> 2;
            case M_RGB24, M_RGB32 -> 3;
            default -> 1;
        };
        int op = base;
        final int oEnd = base + n * ub;
        while (op < oEnd) {
            if (ip >= end) {
                throw new MalformedInputException(ip - start, "stream ends after " + (op - base) / ub + " of " + n
                        + " pixels");
            }
            int tokenAt = ip;
            int c = in[ip++] & 0xFF;
            if (c < 32) {
                int cnt = c + 1;
                if (cnt * ub > oEnd - op) {
                    throw new MalformedInputException(tokenAt - start, "literal run of " + cnt + " pixels passes the"
                            + " end of the image (" + (oEnd - op) / ub + " left)");
                }
                if (cnt * lb > end - ip) {
                    throw new MalformedInputException(end - start, "stream ends inside a literal run");
                }
                switch (mode) {
                    case M_BYTE -> {
                        System.arraycopy(in, ip, o, op, cnt);
                        ip += cnt;
                        op += cnt;
                    }
                    case M_RGB16 -> {
                        for (int i = 0; i < cnt; i++, ip += 2, op += 2) {
                            o[op] = in[ip + 1];
                            o[op + 1] = in[ip];
                        }
                    }
                    case M_RGB24 -> {
                        System.arraycopy(in, ip, o, op, cnt * 3);
                        ip += cnt * 3;
                        op += cnt * 3;
                    }
                    case M_RGB32 -> {
                        if (end - ip > cnt * 3) {
                            // One byte of slack after the run: read 4 bytes, keep B, G, R.
                            for (int i = 0; i < cnt; i++, ip += 3, op += 4) {
                                INT_LE.set(o, op, (int) INT_LE.get(in, ip) & 0xFFFFFF);
                            }
                            continue;
                        }
                        for (int i = 0; i < cnt; i++, ip += 3, op += 4) {
                            o[op] = in[ip];
                            o[op + 1] = in[ip + 1];
                            o[op + 2] = in[ip + 2];
                            o[op + 3] = 0;
                        }
                    }
                    case M_RGB16_TO_32 -> {
                        for (int i = 0; i < cnt; i++, ip += 2, op += 4) {
                            int hi = in[ip] & 0xFF;
                            int lo = in[ip + 1] & 0xFF;
                            int r = (hi >>> 2) & 31;
                            int g = (hi & 3) << 3 | lo >>> 5;
                            int b = lo & 31;
                            o[op] = (byte) (b << 3 | b >>> 2);
                            o[op + 1] = (byte) (g << 3 | g >>> 2);
                            o[op + 2] = (byte) (r << 3 | r >>> 2);
                            o[op + 3] = 0;
                        }
                    }
                    case M_A8_TO_32 -> {
                        for (int i = 0; i < cnt; i++, ip++, op += 4) {
                            o[op] = 0;
                            o[op + 1] = 0;
                            o[op + 2] = 0;
                            o[op + 3] = in[ip];
                        }
                    }
                    default -> {
                        for (int i = 0; i < cnt; i++, ip++, op += 4) {
                            o[op + 3] = in[ip];
                        }
                    }
                }
                continue;
            }
            // Back-reference: length code, extension bytes, distance, far escape.
            int len = (c >>> 5) - 1;
            if (len == 6) {
                int e;
                do {
                    if (ip >= end) {
                        throw new MalformedInputException(end - start, "stream ends inside a back-reference");
                    }
                    e = in[ip++] & 0xFF;
                    len += e;
                } while (e == 255 && len <= n);
            }
            if (ip >= end) {
                throw new MalformedInputException(end - start, "stream ends inside a back-reference");
            }
            int d = in[ip++] & 0xFF;
            int dist = (c & 31) << 8 | d;
            if (d == 255 && (c & 31) == 31) {
                if (end - ip < 2) {
                    throw new MalformedInputException(end - start, "stream ends inside a back-reference");
                }
                dist = ((in[ip] & 0xFF) << 8 | (in[ip + 1] & 0xFF)) + LzEncoder.MAX_DISTANCE;
                ip += 2;
            }
            len += minLen;
            int offset = dist + 1;
            int produced = ub == 1 ? op - base : ub == 4 ? (op - base) >>> 2 : (op - base) / ub;
            if (offset > produced) {
                throw new MalformedInputException(tokenAt - start, "back-reference " + offset
                        + " pixels back with only " + produced + " decoded");
            }
            if (len > n - produced) {
                throw new MalformedInputException(tokenAt - start, "back-reference of " + len
                        + " pixels passes the end of the image (" + (n - produced) + " left)");
            }
            if (mode == M_ALPHA) {
                int from = op - offset * 4 + 3;
                for (int i = 0; i < len; i++, op += 4, from += 4) {
                    o[op + 3] = o[from];
                }
                continue;
            }
            int bytes = len * ub;
            int back = offset * ub;
            int from = op - back;
            int stop = op + bytes;
            if (back >= 8 && bytes <= 64 && stop + 8 <= oEnd) {
                // 8-byte steps, each reading only bytes already final (back >= 8), so overlap
                // is handled too. The last step may run up to 7 bytes past the copy; those are
                // inside the image and the next tokens overwrite them.
                do {
                    LONG_LE.set(o, op, (long) LONG_LE.get(o, op - back));
                    op += 8;
                } while (op < stop);
                op = stop;
            } else if (back >= bytes) {
                System.arraycopy(o, from, o, op, bytes);
                op = stop;
            } else if (back == 1 || back == 2 || back == 4 || back == 8) {
                // A run of a 1-, 2-, 4- or 8-byte pattern: stores from a register, no loads
                // of bytes just written.
                long pattern = switch (back) {
                    case 1 -> (o[from] & 0xFFL) * 0x0101010101010101L;
                    case 2 -> (o[from] & 0xFFL | (o[from + 1] & 0xFFL) << 8) * 0x0001000100010001L;
                    case 4 -> ((int) INT_LE.get(o, from) & 0xFFFFFFFFL) * 0x0000000100000001L;
                    default -> (long) LONG_LE.get(o, from);
                };
                if (bytes > 64) {
                    // Long run: seed 8 bytes, then double the filled span with vector copies.
                    LONG_LE.set(o, op, pattern);
                    int span = 8;
                    op += 8;
                    while (op < stop) {
                        int chunk = Math.min(span, stop - op);
                        System.arraycopy(o, op - span, o, op, chunk);
                        op += chunk;
                        span += chunk;
                    }
                } else if (stop + 8 <= oEnd) {
                    do {
                        LONG_LE.set(o, op, pattern);
                        op += 8;
                    } while (op < stop);
                    op = stop;
                } else {
                    for (; op + 8 <= stop; op += 8) {
                        LONG_LE.set(o, op, pattern);
                    }
                    for (; op < stop; op++) {
                        o[op] = o[op - back];
                    }
                }
            } else if (bytes <= 32) {
                for (; op < stop; op++) {
                    o[op] = o[op - back];
                }
            } else {
                // Overlapping: the output repeats with period `back`, so copying the repeated
                // span doubles it; a unit-by-unit forward copy gives the same bytes.
                int span = back;
                while (op < stop) {
                    int chunk = Math.min(span, stop - op);
                    System.arraycopy(o, op - span, o, op, chunk);
                    op += chunk;
                    span += chunk - chunk % back;
                }
            }
        }
        return ip;
    }

    /** Copies packed scratch rows (stream order) into {@code dst}'s rows; XXXA copies only byte 3. */
    private void copyOut(byte[] buf, int rowBytes, SpiceBitmap dst, boolean alphaOnly) {
        boolean same = dst.topDown() == topDown;
        rows.reset(dst, false);
        for (int k = 0; k < height; k++) {
            rows.next();
            int src = (same ? k : height - 1 - k) * rowBytes;
            if (alphaOnly) {
                byte[] a = rows.array;
                for (int i = 3, d = rows.offset + 3; i < rowBytes; i += 4, d += 4) {
                    a[d] = buf[src + i];
                }
            } else {
                System.arraycopy(buf, src, rows.array, rows.offset, rowBytes);
            }
        }
    }

    /** Expands decoded palette bytes (stream order) into the RGB32 rows of {@code dst}. */
    private void expandPalette(byte[] buf, SpicePalette pal, SpiceBitmap dst) {
        boolean same = dst.topDown() == topDown;
        int w = dst.width();
        int ppb = type.pixelsPerByte();
        int numEnts = pal.size();
        // Per-index B, G, R, 0 words; PLT8 indexes past the palette read black.
        int[] lut = this.lut;
        for (int i = 0; i < 256; i++) {
            int e = switch (type) {
                case PLT8 -> i < numEnts ? pal.get(i) : 0;
                case PLT4_LE, PLT4_BE -> pal.get((i & 15) % numEnts);
                default -> pal.get(i & 1);
            };
            lut[i] = e & 0xFFFFFF;
        }
        rows.reset(dst, false);
        for (int k = 0; k < height; k++) {
            rows.next();
            int src = (same ? k : height - 1 - k) * stride;
            byte[] a = rows.array;
            int d = rows.offset;
            for (int x = 0; x < w; x++, d += 4) {
                int b = buf[src + x / ppb] & 0xFF;
                int idx = switch (type) {
                    case PLT8 -> b;
                    case PLT4_LE -> (x & 1) == 0 ? b & 15 : b >>> 4;
                    case PLT4_BE -> (x & 1) == 0 ? b >>> 4 : b & 15;
                    case PLT1_LE -> (b >>> (x & 7)) & 1;
                    default -> (b >>> (7 - (x & 7))) & 1;
                };
                int v = lut[idx];
                a[d] = (byte) v;
                a[d + 1] = (byte) (v >>> 8);
                a[d + 2] = (byte) (v >>> 16);
                a[d + 3] = 0;
            }
        }
    }
}
