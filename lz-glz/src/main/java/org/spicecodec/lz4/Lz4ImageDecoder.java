package org.spicecodec.lz4;

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
 * Reads the {@code data} of a {@link SpiceImageType#LZ4} image (layout in
 * {@link Lz4ImageEncoder}) as spice-gtk's {@code canvas_get_lz4()} does: blocks are decoded
 * one after the other into one buffer with {@code LZ4_decompress_safe_continue} semantics,
 * so a block may copy from the output of earlier blocks.
 *
 * <p>The payload does not hold the image size: it comes from the image descriptor, so the
 * caller passes it (as the destination bitmap, or to {@link #readInfo(byte[], int, int, int, int)}).
 *
 * <p>Stricter than spice-gtk, which draws whatever the blocks produced: the header must say
 * 0 or 1 and a supported format equal to the destination's, every block must be complete,
 * non-empty and decode to at least one byte, and the blocks must fill the image exactly,
 * with nothing after them. Any failure, including lz4-java's own, is a
 * {@link MalformedInputException} with the stream offset. The size is checked against the
 * {@link ImageLimits} before anything is allocated, and nothing is read or written out of
 * bounds.
 *
 * <p>When the destination is one unpadded array in the stream's row order, blocks decode
 * straight into it; otherwise into a scratch buffer that is kept for later images. Not
 * thread-safe.
 */
public final class Lz4ImageDecoder implements ImageDecoder {
    private final ImageLimits limits;
    private final Lz4Codec codec;
    private final RowCursor rows = new RowCursor();
    private byte[] scratch = new byte[0];

    /** A decoder with {@link ImageLimits#DEFAULT} on {@link Lz4Codec#getDefault()}. */
    public Lz4ImageDecoder() {
        this(ImageLimits.DEFAULT, Lz4Codec.getDefault());
    }

    public Lz4ImageDecoder(ImageLimits limits) {
        this(limits, Lz4Codec.getDefault());
    }

    public Lz4ImageDecoder(ImageLimits limits, Lz4Codec codec) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    @Override
    public SpiceImageType imageType() {
        return SpiceImageType.LZ4;
    }

    /**
     * The header's format and row order. The LZ4 payload has no size, so width and height are
     * reported as 0; use {@link #readInfo(byte[], int, int, int, int)} with the descriptor's size.
     */
    @Override
    public ImageInfo readInfo(byte[] in, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, in.length);
        SpiceBitmapFormat format = readFormat(in, offset, length);
        return new ImageInfo(SpiceImageType.LZ4, format, 0, 0, in[offset] == 1);
    }

    /** The header, with the size from the image descriptor checked against the limits. */
    public ImageInfo readInfo(byte[] in, int offset, int length, int width, int height) {
        Objects.checkFromIndexSize(offset, length, in.length);
        SpiceBitmapFormat format = readFormat(in, offset, length);
        limits.check(width, height, 0);
        return new ImageInfo(SpiceImageType.LZ4, format, width, height, in[offset] == 1);
    }

    /** An LZ4 image decodes only to its own format (one of RGB16, RGB24, RGB32, RGBA). */
    @Override
    public boolean canDecode(SpiceBitmapFormat encoded, SpiceBitmapFormat target) {
        return Lz4ImageEncoder.isLz4Format(encoded) && encoded == target;
    }

    /**
     * Decodes into a new bitmap of the stream's format and row order, with the tightest
     * stride; the size is the descriptor's. Allocates the image; use
     * {@link #decode(byte[], int, int, SpiceBitmap)} in loops.
     */
    public SpiceBitmap decode(byte[] in, int offset, int length, int width, int height) {
        ImageInfo info = readInfo(in, offset, length, width, height);
        SpiceBitmapFormat f = info.format();
        int stride = (int) f.minStride(width);
        SpiceBitmap dst = SpiceBitmap.of(f, width, height, stride, info.topDown(), new byte[stride * height], 0);
        decode(in, offset, length, dst);
        return dst;
    }

    @Override
    public void decode(byte[] in, int offset, int length, SpiceBitmap dst) {
        Objects.checkFromIndexSize(offset, length, in.length);
        SpiceBitmapFormat format = readFormat(in, offset, length);
        boolean topDown = in[offset] == 1;
        if (format != dst.format()) {
            throw new MalformedInputException(1, "an LZ4 " + format + " image cannot be decoded to " + dst.format());
        }
        int width = dst.width();
        int height = dst.height();
        limits.check(width, height, 0);
        int rowBytes = width * format.bytesPerPixel();
        long total = (long) rowBytes * height;
        if (total > Integer.MAX_VALUE - 16) {
            throw new MalformedInputException(0, "image of " + total + " bytes does not fit in one array");
        }
        boolean direct = dst.isContiguous() && dst.stride() == rowBytes && dst.topDown() == topDown;
        byte[] buf;
        int base;
        if (direct) {
            buf = dst.data();
            base = dst.offset();
        } else {
            if (scratch.length < total) {
                scratch = new byte[(int) total];
            }
            buf = scratch;
            base = 0;
        }
        decodeBlocks(in, offset, length, buf, base, (int) total);
        if (!direct) {
            copyRows(dst, topDown, rowBytes);
        }
    }

    /** Validates the two header bytes; returns the format. */
    private static SpiceBitmapFormat readFormat(byte[] in, int offset, int length) {
        if (length < Lz4ImageEncoder.HEADER_LENGTH) {
            throw new MalformedInputException(length, "truncated header: " + length + " bytes, an LZ4 image has at least 2");
        }
        int topDown = in[offset] & 0xFF;
        if (topDown > 1) {
            throw new MalformedInputException(0, "top_down byte is " + topDown + ", not 0 or 1");
        }
        int f = in[offset + 1] & 0xFF;
        SpiceBitmapFormat format = SpiceBitmapFormat.fromValue(f);
        if (format == null || !Lz4ImageEncoder.isLz4Format(format)) {
            throw new MalformedInputException(1, "bitmap format " + f + " is not one LZ4 images carry"
                    + " (16BIT 6, 24BIT 7, 32BIT 8, RGBA 9)");
        }
        return format;
    }

    /** Decodes every block into {@code buf[base, base + total)}, which it must fill exactly. */
    private void decodeBlocks(byte[] in, int offset, int length, byte[] buf, int base, int total) {
        int pos = Lz4ImageEncoder.HEADER_LENGTH;
        int done = 0;
        do {
            if (length - pos < 4) {
                throw new MalformedInputException(pos, done == 0 ? "no LZ4 block after the header"
                        : "truncated block length (" + (length - pos) + " of 4 bytes)");
            }
            if (done == total) {
                throw new MalformedInputException(pos, "data after the last row of the image");
            }
            int p = offset + pos;
            long n = ((in[p] & 0xFFL) << 24) | ((in[p + 1] & 0xFF) << 16) | ((in[p + 2] & 0xFF) << 8) | (in[p + 3] & 0xFF);
            if (n == 0) {
                throw new MalformedInputException(pos, "empty LZ4 block");
            }
            if (n > length - pos - 4) {
                throw new MalformedInputException(pos, "LZ4 block of " + n + " bytes, only " + (length - pos - 4) + " left");
            }
            int blockLen = (int) n;
            int blockAt = pos + 4;
            int room = total - done;
            int got;
            try {
                got = codec.decompress(in, p + 4, blockLen, buf, base + done, room, blockAt);
            } catch (MalformedInputException e) {
                if (done == 0) {
                    throw e;
                }
                // lz4-java cannot see earlier blocks; a streaming encoder's block may refer to them.
                got = Lz4Blocks.decompress(in, p + 4, blockLen, buf, base, base + done, base + total, blockAt);
            }
            if (got <= 0) {
                throw new MalformedInputException(blockAt, "LZ4 block decodes to nothing");
            }
            done += got;
            pos = blockAt + blockLen;
        } while (pos < length);
        if (done != total) {
            throw new MalformedInputException(length, "the blocks hold " + done + " bytes, the image needs " + total);
        }
    }

    /** Copies the decoded rows (in the stream's row order) to {@code dst} in its own order. */
    private void copyRows(SpiceBitmap dst, boolean streamTopDown, int rowBytes) {
        int h = dst.height();
        rows.reset(dst, true);
        for (int y = 0; rows.next(); y++) {
            int stored = streamTopDown ? y : h - 1 - y;
            System.arraycopy(scratch, stored * rowBytes, rows.array, rows.offset, rowBytes);
        }
    }
}
