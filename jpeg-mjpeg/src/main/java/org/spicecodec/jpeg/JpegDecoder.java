package org.spicecodec.jpeg;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Objects;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

import org.spicecodec.core.ImageDecoder;
import org.spicecodec.core.ImageInfo;
import org.spicecodec.core.ImageLimits;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.RowCursor;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpiceImageType;

/**
 * Client side of SPICE's JPEG image (type 105) through the JDK's ImageIO JPEG reader. The
 * input is the JPEG file alone (the {@code data} of {@code SpiceJPEGData}, without its
 * {@code uint32 data_size}). The image is written top row first in picture order into the
 * destination, whatever the destination's storage order.
 *
 * <p>Destinations: RGB32 (byte 3 written 0, as spice-gtk's x8r8g8b8), RGBA (alpha 0xFF),
 * RGB24 and RGB16 (components truncated to 5 bits). Gray JPEGs decode to gray in every channel.
 *
 * <p>Validation: the marker segments up to the frame header are parsed first, and the size is
 * checked against the {@link ImageLimits} and the destination before ImageIO allocates
 * anything, as is the input's length against the least a sequential scan of that size needs.
 * Only 8-bit sequential Huffman JPEGs (SOF0 baseline, SOF1 extended) with 1 or 3 components are
 * accepted; progressive, arithmetic-coded, lossless and 12-bit files are refused. Any error <em>or warning</em> of ImageIO (libjpeg's "premature end
 * of data", "corrupt data" and the like) ends in {@link MalformedInputException}; ImageIO does
 * not say where it stopped, so such errors carry offset 0.
 *
 * <p>Not thread-safe: a decoder keeps one ImageIO reader.
 */
public final class JpegDecoder implements ImageDecoder {
    private final ImageLimits limits;
    private final JpegHeader header = new JpegHeader();
    private final ImageReader reader;
    private final RowCursor rows = new RowCursor();
    private String warning;

    /** A decoder with {@link ImageLimits#DEFAULT}. */
    public JpegDecoder() {
        this(ImageLimits.DEFAULT);
    }

    public JpegDecoder(ImageLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("jpeg");
        if (!it.hasNext()) {
            throw new IllegalStateException("this JDK has no ImageIO JPEG reader");
        }
        reader = it.next();
        reader.addIIOReadWarningListener((source, w) -> {
            if (warning == null) {
                warning = w;
            }
        });
    }

    @Override
    public SpiceImageType imageType() {
        return SpiceImageType.JPEG;
    }

    /** Size from the frame header; format RGB32 (what the client decodes to), top-down. */
    @Override
    public ImageInfo readInfo(byte[] in, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, in.length);
        header.parse(in, offset, length, limits);
        return new ImageInfo(SpiceImageType.JPEG, SpiceBitmapFormat.RGB32, header.width, header.height, true);
    }

    /** Any JPEG decodes to RGB32, RGBA, RGB24 or RGB16; {@code encoded} does not matter. */
    @Override
    public boolean canDecode(SpiceBitmapFormat encoded, SpiceBitmapFormat target) {
        return supportsTarget(target);
    }

    static boolean supportsTarget(SpiceBitmapFormat target) {
        return target == SpiceBitmapFormat.RGB32 || target == SpiceBitmapFormat.RGBA
                || target == SpiceBitmapFormat.RGB24 || target == SpiceBitmapFormat.RGB16;
    }

    /** Decodes into a new top-down bitmap of {@code target} (RGB32 if null). Allocates. */
    public SpiceBitmap decode(byte[] in, int offset, int length, SpiceBitmapFormat target) {
        ImageInfo info = readInfo(in, offset, length);
        SpiceBitmap dst = SpiceBitmap.allocate(target == null ? SpiceBitmapFormat.RGB32 : target,
                info.width(), info.height());
        decode(in, offset, length, dst);
        return dst;
    }

    /**
     * @throws IllegalArgumentException if {@code dst}'s format is not a supported target
     * @throws MalformedInputException if the JPEG is corrupt, over the limits or not {@code dst}'s size
     */
    @Override
    public void decode(byte[] in, int offset, int length, SpiceBitmap dst) {
        Objects.checkFromIndexSize(offset, length, in.length);
        if (!supportsTarget(dst.format())) {
            throw new IllegalArgumentException("JPEG does not decode to " + dst.format());
        }
        header.parse(in, offset, length, limits);
        header.checkLength(length);
        if (header.width != dst.width() || header.height != dst.height()) {
            throw new MalformedInputException(header.sofOffset + 5L, "JPEG is " + header.width + "x" + header.height
                    + ", destination is " + dst.width() + "x" + dst.height());
        }
        BufferedImage img = read(in, offset, length);
        if (img.getWidth() != header.width || img.getHeight() != header.height) {
            throw new MalformedInputException(0, "ImageIO decoded " + img.getWidth() + "x" + img.getHeight()
                    + ", the frame header says " + header.width + "x" + header.height);
        }
        store(img, dst);
    }

    private BufferedImage read(byte[] in, int offset, int length) {
        warning = null;
        BufferedImage img;
        try (ImageInputStream iis = new MemoryCacheImageInputStream(new ByteArrayInputStream(in, offset, length))) {
            reader.setInput(iis, true, true);
            try {
                img = reader.read(0);
            } finally {
                reader.setInput(null);
            }
        } catch (IOException e) {
            throw new MalformedInputException(0, "corrupt JPEG: " + e.getMessage());
        } catch (RuntimeException e) {
            // ImageIO lets IndexOutOfBounds, IllegalArgument, IllegalState and the like escape
            // on hostile data; none of them may leave a decoder.
            throw new MalformedInputException(0, "corrupt JPEG: " + e);
        }
        if (warning != null) {
            throw new MalformedInputException(0, "corrupt JPEG: " + warning);
        }
        return img;
    }

    /** Copies the decoded picture into {@code dst}, top row first. */
    private void store(BufferedImage img, SpiceBitmap dst) {
        int w = dst.width();
        Raster r = img.getRaster();
        int bands = r.getNumBands();
        boolean packedBgr = img.getType() == BufferedImage.TYPE_3BYTE_BGR
                && r.getDataBuffer() instanceof DataBufferByte;
        byte[] bgr = packedBgr ? ((DataBufferByte) r.getDataBuffer()).getData() : null;
        int[] samples = packedBgr ? null : new int[w * bands];
        SpiceBitmapFormat f = dst.format();
        rows.reset(dst, true);
        for (int y = 0; rows.next(); y++) {
            if (!packedBgr) {
                r.getPixels(0, y, w, 1, samples);
            }
            byte[] d = rows.array;
            int p = rows.offset;
            for (int x = 0; x < w; x++) {
                int red;
                int green;
                int blue;
                if (packedBgr) {
                    int s = 3 * (y * w + x);
                    blue = bgr[s] & 0xFF;
                    green = bgr[s + 1] & 0xFF;
                    red = bgr[s + 2] & 0xFF;
                } else if (bands >= 3) {
                    red = samples[bands * x];
                    green = samples[bands * x + 1];
                    blue = samples[bands * x + 2];
                } else {
                    red = green = blue = samples[bands * x];
                }
                switch (f) {
                    case RGB32, RGBA -> {
                        d[p] = (byte) blue;
                        d[p + 1] = (byte) green;
                        d[p + 2] = (byte) red;
                        d[p + 3] = f == SpiceBitmapFormat.RGBA ? (byte) 0xFF : 0;
                        p += 4;
                    }
                    case RGB24 -> {
                        d[p] = (byte) blue;
                        d[p + 1] = (byte) green;
                        d[p + 2] = (byte) red;
                        p += 3;
                    }
                    case RGB16 -> {
                        int v = (red >>> 3) << 10 | (green >>> 3) << 5 | blue >>> 3;
                        d[p] = (byte) v;
                        d[p + 1] = (byte) (v >>> 8);
                        p += 2;
                    }
                    default -> throw new AssertionError(f);
                }
            }
        }
    }
}
