package org.spicecodec.jpeg;

import java.util.Objects;

import org.spicecodec.core.ImageEncoder;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpiceImageType;
import org.spicecodec.lz.LzEncoder;
import org.spicecodec.lz.LzImageType;

/**
 * SPICE's JPEG_ALPHA image (type 108): the colour of an RGBA bitmap as JPEG, its alpha as a
 * lossless LZ stream of type XXXA. The output is the whole {@code SpiceJPEGAlphaData}
 * structure, all integers little-endian:
 *
 * <pre>
 * offset 0  u8      flags      bit 0 TOP_DOWN: the source bitmap's row order; other bits 0
 * offset 1  u32 LE  jpeg_size  length of the JPEG at the start of data
 * offset 5  u32 LE  data_size  length of data: jpeg_size + the LZ stream's length
 * offset 9  data    the JPEG ({@link JpegEncoder}: rows top first), then the LZ XXXA stream
 *                   (rows in storage order, its header's top_down equal to the flag)
 * </pre>
 *
 * Unlike the JPEG, LZ and LZ4 encoders, this one writes {@code data_size}: it sits between
 * fields that belong to this type, so the 9-byte prefix is part of the payload here.
 *
 * <p>Only RGBA bitmaps are accepted (the server uses JPEG_ALPHA for them alone). Not
 * thread-safe.
 */
public final class JpegAlphaEncoder implements ImageEncoder {
    /** Bytes before {@code data}: flags, jpeg_size, data_size. */
    public static final int HEADER_BYTES = 9;
    /** {@code SPICE_JPEG_ALPHA_FLAGS_TOPDOWN}. */
    public static final int FLAG_TOP_DOWN = 1;

    private final JpegEncoder jpeg;
    private final LzEncoder lz = new LzEncoder();

    /** An encoder at spice-server's JPEG quality, 85. */
    public JpegAlphaEncoder() {
        this(JpegEncoder.DEFAULT_QUALITY);
    }

    /** An encoder at JPEG {@code quality}, 1 to 100; alpha is always lossless. */
    public JpegAlphaEncoder(int quality) {
        this.jpeg = new JpegEncoder(quality);
    }

    @Override
    public SpiceImageType imageType() {
        return SpiceImageType.JPEG_ALPHA;
    }

    @Override
    public boolean supports(SpiceBitmapFormat format) {
        return format == SpiceBitmapFormat.RGBA;
    }

    @Override
    public long maxEncodedLength(SpiceBitmapFormat format, int width, int height) {
        requireSupported(format);
        return HEADER_BYTES + jpeg.maxEncodedLength(format, width, height)
                + LzEncoder.maxEncodedLength(LzImageType.XXXA, width, height);
    }

    @Override
    public int encode(SpiceBitmap src, byte[] out, int outOffset, int maxLength) {
        requireSupported(src.format());
        Objects.checkFromIndexSize(outOffset, maxLength, out.length);
        if (maxLength < HEADER_BYTES) {
            return DOES_NOT_FIT;
        }
        int jpegLen = jpeg.encode(src, out, outOffset + HEADER_BYTES, maxLength - HEADER_BYTES);
        if (jpegLen == DOES_NOT_FIT) {
            return DOES_NOT_FIT;
        }
        int lzOff = outOffset + HEADER_BYTES + jpegLen;
        int lzLen = lz.encode(LzImageType.XXXA, src, out, lzOff, maxLength - HEADER_BYTES - jpegLen);
        if (lzLen == DOES_NOT_FIT) {
            return DOES_NOT_FIT;
        }
        out[outOffset] = (byte) (src.topDown() ? FLAG_TOP_DOWN : 0);
        putIntLE(out, outOffset + 1, jpegLen);
        putIntLE(out, outOffset + 5, jpegLen + lzLen);
        return HEADER_BYTES + jpegLen + lzLen;
    }

    private void requireSupported(SpiceBitmapFormat format) {
        if (!supports(format)) {
            throw new IllegalArgumentException("JPEG_ALPHA codes RGBA bitmaps only, not " + format);
        }
    }

    static void putIntLE(byte[] b, int p, int v) {
        b[p] = (byte) v;
        b[p + 1] = (byte) (v >>> 8);
        b[p + 2] = (byte) (v >>> 16);
        b[p + 3] = (byte) (v >>> 24);
    }
}
