package org.spicecodec.jpeg;

import java.util.Objects;

import org.spicecodec.core.ImageDecoder;
import org.spicecodec.core.ImageInfo;
import org.spicecodec.core.ImageLimits;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpiceImageType;
import org.spicecodec.lz.LzDecoder;
import org.spicecodec.lz.LzImageType;

/**
 * Client side of SPICE's JPEG_ALPHA image (type 108). The input is the whole
 * {@code SpiceJPEGAlphaData} as {@link JpegAlphaEncoder} describes it: {@code u8 flags},
 * {@code u32 LE jpeg_size}, {@code u32 LE data_size}, then {@code data_size} bytes, exactly
 * filling the input.
 *
 * <p>Checks, as spice-gtk makes them and a little stricter: the flags hold no bit but
 * TOP_DOWN; {@code data_size} is the rest of the input; the JPEG is followed by an LZ stream of
 * type XXXA with the JPEG's width and height, {@code width × height} units, and a
 * {@code top_down} equal to the flag. The JPEG is decoded into {@code dst} top row first (the
 * picture's orientation), then the LZ pass writes byte 3 (alpha) only, its rows in
 * {@code dst}'s own row order. Destinations are RGBA only.
 *
 * <p>Errors are {@link MalformedInputException}s with offsets from the start of the
 * structure (those of the JPEG and LZ parts shifted to where those parts start). Not
 * thread-safe.
 */
public final class JpegAlphaDecoder implements ImageDecoder {
    private final ImageLimits limits;
    private final JpegDecoder jpeg;
    private final LzDecoder lz;

    // The structure being decoded, from readHeader.
    private boolean topDown;
    private int jpegSize;
    private int width;
    private int height;

    /** A decoder with {@link ImageLimits#DEFAULT}. */
    public JpegAlphaDecoder() {
        this(ImageLimits.DEFAULT);
    }

    public JpegAlphaDecoder(ImageLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.jpeg = new JpegDecoder(limits);
        this.lz = new LzDecoder(limits);
    }

    @Override
    public SpiceImageType imageType() {
        return SpiceImageType.JPEG_ALPHA;
    }

    /** Format RGBA; {@code topDown} is the TOP_DOWN flag. Validates both parts' headers. */
    @Override
    public ImageInfo readInfo(byte[] in, int offset, int length) {
        readHeader(in, offset, length);
        return new ImageInfo(SpiceImageType.JPEG_ALPHA, SpiceBitmapFormat.RGBA, width, height, topDown);
    }

    @Override
    public boolean canDecode(SpiceBitmapFormat encoded, SpiceBitmapFormat target) {
        return encoded == SpiceBitmapFormat.RGBA && target == SpiceBitmapFormat.RGBA;
    }

    /** Decodes into a new RGBA bitmap in the flag's row order. Allocates. */
    public SpiceBitmap decode(byte[] in, int offset, int length) {
        readHeader(in, offset, length);
        SpiceBitmapFormat f = SpiceBitmapFormat.RGBA;
        long stride = f.minStride(width);
        SpiceBitmap dst = SpiceBitmap.of(f, width, height, (int) stride, topDown,
                new byte[Math.toIntExact(stride * height)], 0);
        decode(in, offset, length, dst);
        return dst;
    }

    /**
     * @throws IllegalArgumentException if {@code dst} is not RGBA
     * @throws MalformedInputException if the structure is corrupt or not {@code dst}'s size
     */
    @Override
    public void decode(byte[] in, int offset, int length, SpiceBitmap dst) {
        if (dst.format() != SpiceBitmapFormat.RGBA) {
            throw new IllegalArgumentException("JPEG_ALPHA decodes to RGBA only, not " + dst.format());
        }
        readHeader(in, offset, length);
        if (dst.width() != width || dst.height() != height) {
            throw new MalformedInputException(JpegAlphaEncoder.HEADER_BYTES, "image is " + width + "x" + height
                    + ", destination is " + dst.width() + "x" + dst.height());
        }
        int jpegOff = offset + JpegAlphaEncoder.HEADER_BYTES;
        try {
            jpeg.decode(in, jpegOff, jpegSize, dst);
        } catch (MalformedInputException e) {
            throw shifted(e, JpegAlphaEncoder.HEADER_BYTES);
        }
        int lzRel = JpegAlphaEncoder.HEADER_BYTES + jpegSize;
        try {
            lz.decode(in, offset + lzRel, length - lzRel, dst);
        } catch (MalformedInputException e) {
            throw shifted(e, lzRel);
        }
    }

    /** Validates the 9-byte prefix and the headers of both parts. */
    private void readHeader(byte[] in, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, in.length);
        int hb = JpegAlphaEncoder.HEADER_BYTES;
        if (length < hb) {
            throw new MalformedInputException(length, "truncated JPEG_ALPHA header: " + length + " bytes of " + hb);
        }
        int flags = in[offset] & 0xFF;
        if ((flags & ~JpegAlphaEncoder.FLAG_TOP_DOWN) != 0) {
            throw new MalformedInputException(0, String.format("unknown JPEG_ALPHA flags 0x%02x", flags));
        }
        long js = intLE(in, offset + 1);
        long ds = intLE(in, offset + 5);
        if (ds != length - hb) {
            throw new MalformedInputException(5, "data_size " + ds + " but " + (length - hb) + " bytes follow");
        }
        if (js < 1 || js > ds) {
            throw new MalformedInputException(1, "jpeg_size " + js + " outside 1.." + ds);
        }
        boolean td = (flags & JpegAlphaEncoder.FLAG_TOP_DOWN) != 0;
        int jSize = (int) js;
        ImageInfo ji;
        try {
            ji = jpeg.readInfo(in, offset + hb, jSize);
        } catch (MalformedInputException e) {
            throw shifted(e, hb);
        }
        int lzRel = hb + jSize;
        LzImageType type;
        ImageInfo li;
        try {
            type = lz.readType(in, offset + lzRel, length - lzRel);
            li = lz.readInfo(in, offset + lzRel, length - lzRel);
        } catch (MalformedInputException e) {
            throw shifted(e, lzRel);
        }
        // Field offsets in the LZ header: type at 8, width 12, height 16, top_down 24.
        if (type != LzImageType.XXXA) {
            throw new MalformedInputException(lzRel + 8L, "alpha is LZ " + type + ", expected XXXA");
        }
        if (li.width() != ji.width() || li.height() != ji.height()) {
            throw new MalformedInputException(lzRel + 12L, "alpha is " + li.width() + "x" + li.height()
                    + ", the JPEG " + ji.width() + "x" + ji.height());
        }
        if (li.topDown() != td) {
            throw new MalformedInputException(lzRel + 24L, "alpha top_down " + li.topDown()
                    + " disagrees with the TOP_DOWN flag " + td);
        }
        this.topDown = td;
        this.jpegSize = jSize;
        this.width = ji.width();
        this.height = ji.height();
    }

    private static MalformedInputException shifted(MalformedInputException e, long by) {
        MalformedInputException m = new MalformedInputException(e.offset() + by, e.reason());
        m.initCause(e);
        return m;
    }

    private static long intLE(byte[] b, int p) {
        return (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24;
    }
}
