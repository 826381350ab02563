package org.spicecodec.lz4;

import java.util.Objects;

import org.spicecodec.core.ImageEncoder;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpiceChunks;
import org.spicecodec.core.SpiceImageType;

/**
 * Writes the {@code data} of a {@link SpiceImageType#LZ4} image as spice-server's
 * {@code lz4_encode()} does and spice-gtk's {@code canvas_get_lz4()} reads it:
 *
 * <pre>
 * u8  top_down      1 if the first stored row is the top of the picture, else 0
 * u8  format        SPICE_BITMAP_FMT_16BIT (6), 24BIT (7), 32BIT (8) or RGBA (9)
 * then, until the end, blocks of:
 *   u32 big-endian  compressed length n
 *   n bytes         one raw LZ4 block (no frame)
 * </pre>
 *
 * The blocks decompress, one after the other into one buffer, to the rows in memory order
 * (bottom row first when not top-down), each {@code width × bytes per pixel} long. The
 * {@code uint32 data_size} that precedes {@code data} in the image message is not written.
 *
 * <p>As the server, this encoder writes one block per chunk of the bitmap (usually one). The
 * server compresses with the streaming API, so its later blocks may refer to earlier ones;
 * lz4-java has no streaming compressor, so the blocks written here are independent, which
 * every decoder reads. Rows are read in storage order; padding after each row is dropped
 * (spice-server only picks LZ4 for unpadded bitmaps, where it is the same thing).
 *
 * <p>Only RGB16, RGB24, RGB32 and RGBA are supported: those are the formats spice-gtk
 * decodes. (The server would also pick LZ4 for A8, which the client then cannot show.)
 *
 * <p>The output array is the caller's. An encoder only allocates for padded bitmaps (a row
 * buffer, kept for later images); lz4-java's pure-Java compressor allocates its hash table
 * per block, the JNI one does not. Not thread-safe.
 */
public final class Lz4ImageEncoder implements ImageEncoder {
    /** Bytes before the first block: top_down and format. */
    public static final int HEADER_LENGTH = 2;

    private final Lz4Codec codec;
    private byte[] pack = new byte[0];
    /** Where a block goes when the caller's space may be too small (grown, then kept). */
    private byte[] scratch = new byte[0];

    /** An encoder on {@link Lz4Codec#getDefault()}. */
    public Lz4ImageEncoder() {
        this(Lz4Codec.getDefault());
    }

    public Lz4ImageEncoder(Lz4Codec codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /** Whether spice-gtk decodes LZ4 images of this format: RGB16, RGB24, RGB32, RGBA. */
    public static boolean isLz4Format(SpiceBitmapFormat format) {
        return format == SpiceBitmapFormat.RGB16 || format == SpiceBitmapFormat.RGB24
                || format == SpiceBitmapFormat.RGB32 || format == SpiceBitmapFormat.RGBA;
    }

    @Override
    public SpiceImageType imageType() {
        return SpiceImageType.LZ4;
    }

    @Override
    public boolean supports(SpiceBitmapFormat format) {
        return isLz4Format(format);
    }

    /**
     * The header, plus LZ4's worst case for all the pixel bytes, plus a length and LZ4's
     * constant overhead for every row (a bitmap cannot have more chunks than rows).
     */
    @Override
    public long maxEncodedLength(SpiceBitmapFormat format, int width, int height) {
        requireFormat(format);
        long n = (long) width * format.bytesPerPixel() * height;
        return HEADER_LENGTH + n + n / 255 + (4 + 16) * (long) height;
    }

    @Override
    public int encode(SpiceBitmap src, byte[] out, int outOffset, int maxLength) {
        requireFormat(src.format());
        Objects.checkFromIndexSize(outOffset, maxLength, out.length);
        int rowBytes = src.width() * src.format().bytesPerPixel();
        int stride = src.stride();
        int pos = writeHeader(src.topDown(), src.format(), out, outOffset, maxLength);
        if (pos < 0) {
            return DOES_NOT_FIT;
        }
        int end = outOffset + maxLength;
        SpiceChunks chunks = src.chunks();
        int rowsLeft = src.height();
        for (int c = 0; c < chunks.count() && rowsLeft > 0; c++) {
            int rows = Math.min(chunks.length(c) / stride, rowsLeft);
            if (rows == 0) {
                continue;
            }
            pos = block(chunks.data(c), chunks.offset(c), rows, rowBytes, stride, out, pos, end);
            if (pos < 0) {
                return DOES_NOT_FIT;
            }
            rowsLeft -= rows;
        }
        return pos - outOffset;
    }

    /**
     * Encodes rows held in one array without building a {@link SpiceBitmap}: one block.
     *
     * @param stride bytes from one stored row to the next, at least {@code width × bytes per pixel}
     * @param topDown whether the first stored row is the top of the picture
     * @return bytes written, or {@link #DOES_NOT_FIT}
     */
    public int encode(SpiceBitmapFormat format, int width, int height, byte[] src, int srcOffset, int stride,
                      boolean topDown, byte[] out, int outOffset, int maxLength) {
        requireFormat(format);
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("size must be positive: " + width + "x" + height);
        }
        long rowBytes = (long) width * format.bytesPerPixel();
        if (stride < rowBytes) {
            throw new IllegalArgumentException("stride " + stride + " is too small for " + width + " pixels of " + format);
        }
        long span = (long) stride * (height - 1) + rowBytes;
        Objects.checkFromIndexSize(srcOffset, span > Integer.MAX_VALUE ? -1 : (int) span, src.length);
        Objects.checkFromIndexSize(outOffset, maxLength, out.length);
        int pos = writeHeader(topDown, format, out, outOffset, maxLength);
        if (pos < 0) {
            return DOES_NOT_FIT;
        }
        pos = block(src, srcOffset, height, (int) rowBytes, stride, out, pos, outOffset + maxLength);
        return pos < 0 ? DOES_NOT_FIT : pos - outOffset;
    }

    private static int writeHeader(boolean topDown, SpiceBitmapFormat format, byte[] out, int outOffset, int maxLength) {
        if (maxLength < HEADER_LENGTH) {
            return -1;
        }
        out[outOffset] = (byte) (topDown ? 1 : 0);
        out[outOffset + 1] = (byte) format.value();
        return outOffset + HEADER_LENGTH;
    }

    /** Writes one length-prefixed block of {@code rows} rows; returns the new position, or -1. */
    private int block(byte[] data, int offset, int rows, int rowBytes, int stride, byte[] out, int pos, int end) {
        int len = rows * rowBytes;
        byte[] in = data;
        int inOff = offset;
        if (stride != rowBytes && rows > 1) {
            // The client expects rows of exactly width × bpp: squeeze out the padding first.
            if (pack.length < len) {
                pack = new byte[len];
            }
            for (int r = 0; r < rows; r++) {
                System.arraycopy(data, offset + r * stride, pack, r * rowBytes, rowBytes);
            }
            in = pack;
            inOff = 0;
        }
        if (end - pos <= 4) {
            return -1;
        }
        int room = end - pos - 4;
        if (room < codec.maxCompressedLength(len) && scratch.length < codec.maxCompressedLength(len)) {
            // A block that may not fit goes through the scratch buffer: lz4-java would otherwise
            // report "does not fit" by throwing, an allocation per call.
            scratch = new byte[codec.maxCompressedLength(len)];
        }
        int n = codec.compress(in, inOff, len, out, pos + 4, room, scratch);
        if (n == Lz4Codec.DOES_NOT_FIT) {
            return -1;
        }
        out[pos] = (byte) (n >>> 24);
        out[pos + 1] = (byte) (n >>> 16);
        out[pos + 2] = (byte) (n >>> 8);
        out[pos + 3] = (byte) n;
        return pos + 4 + n;
    }

    private static void requireFormat(SpiceBitmapFormat format) {
        if (!isLz4Format(format)) {
            throw new IllegalArgumentException("LZ4 images carry RGB16, RGB24, RGB32 or RGBA, not " + format);
        }
    }
}
