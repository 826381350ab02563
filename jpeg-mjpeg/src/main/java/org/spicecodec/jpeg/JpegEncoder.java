package org.spicecodec.jpeg;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Objects;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.plugins.jpeg.JPEGQTable;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import org.spicecodec.core.ImageEncoder;
import org.spicecodec.core.RowCursor;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpiceImageType;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * SPICE's JPEG image (type 105) through the JDK's ImageIO JPEG writer, as spice-server's
 * {@code jpeg_encode()} makes it: a baseline JFIF file, YCbCr with 2×2 subsampled chroma
 * (4:2:0), the standard Huffman tables, quality 85 by default.
 *
 * <p>Input: RGB16, RGB24, RGB32 or RGBA bitmaps. Pixels become 8-bit R, G, B (RGB16 components
 * expand with {@code (v << 3) | (v >> 2)}; byte 3 of RGB32/RGBA is dropped) and the rows go to
 * the JPEG top row first whatever the bitmap's storage order, as the server feeds bottom-up
 * bitmaps in reverse.
 *
 * <p>Output: the JPEG file only. The {@code uint32 data_size} (little-endian) that precedes it
 * in the {@code SpiceJPEGData} of an image message is <em>not</em> written; it is the value this
 * encoder returns.
 *
 * <p>Not thread-safe: an encoder keeps one ImageIO writer and a staging image, reused while
 * the image size stays the same.
 */
public final class JpegEncoder implements ImageEncoder {
    /** spice-server's fixed {@code jpeg_quality}. */
    public static final int DEFAULT_QUALITY = 85;

    /**
     * Fixed part of {@link #maxEncodedLength}: SOI, JFIF APP0, two DQT, SOF0, four DHT, SOS and
     * EOI take about 620 bytes; 2048 leaves room.
     */
    private static final long HEADER_BOUND = 2048;
    /**
     * Worst case per 8×8 block: a 16-bit code plus 11 magnitude bits for DC, 63 × (16 + 10)
     * bits for AC, i.e. 209 bytes, doubled for 0xFF byte stuffing.
     */
    private static final long BLOCK_BOUND = 420;

    private final int quality;
    private final ImageWriter writer;
    private final ImageWriteParam param;
    private final IIOMetadata metadata;
    private final SinkStream sink = new SinkStream();
    private final RowCursor rows = new RowCursor();

    private BufferedImage staging;

    /** An encoder at spice-server's quality, 85. */
    public JpegEncoder() {
        this(DEFAULT_QUALITY);
    }

    /** An encoder at {@code quality}, 1 to 100 on libjpeg's scale. */
    public JpegEncoder(int quality) {
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("quality must be 1..100: " + quality);
        }
        this.quality = quality;
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg");
        if (!it.hasNext()) {
            throw new IllegalStateException("this JDK has no ImageIO JPEG writer");
        }
        writer = it.next();
        param = writer.getDefaultWriteParam();
        // The JDK's own quality scaling (MODE_EXPLICIT) works in float and misses libjpeg's
        // integer tables by one in places (at 85: 16 instead of 17 for Annex K's 55), so the
        // exact jpeg_set_quality(q, TRUE) tables go in the metadata and are copied from there.
        param.setCompressionMode(ImageWriteParam.MODE_COPY_FROM_METADATA);
        param.setProgressiveMode(ImageWriteParam.MODE_DISABLED);
        metadata = ijgMetadata(writer, param, quality);
    }

    /** The quality this encoder uses. */
    public int quality() {
        return quality;
    }

    @Override
    public SpiceImageType imageType() {
        return SpiceImageType.JPEG;
    }

    @Override
    public boolean supports(SpiceBitmapFormat format) {
        return format == SpiceBitmapFormat.RGB16 || format == SpiceBitmapFormat.RGB24
                || format == SpiceBitmapFormat.RGB32 || format == SpiceBitmapFormat.RGBA;
    }

    @Override
    public long maxEncodedLength(SpiceBitmapFormat format, int width, int height) {
        requireSupported(format);
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("size must be positive: " + width + "x" + height);
        }
        return bound(width, height);
    }

    static long bound(int width, int height) {
        // 4:2:0 MCUs of 16×16 pixels: four luma and two chroma blocks each.
        long mcus = ((width + 15L) / 16) * ((height + 15L) / 16);
        return HEADER_BOUND + mcus * 6 * BLOCK_BOUND;
    }

    @Override
    public int encode(SpiceBitmap src, byte[] out, int outOffset, int maxLength) {
        requireSupported(src.format());
        Objects.checkFromIndexSize(outOffset, maxLength, out.length);
        BufferedImage img = stage(src);
        sink.reset(out, outOffset, maxLength);
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(sink)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(img, null, metadata), param);
            ios.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("ImageIO's JPEG writer failed", e);
        } finally {
            writer.setOutput(null);
        }
        return sink.overflow ? DOES_NOT_FIT : sink.count;
    }

    private void requireSupported(SpiceBitmapFormat format) {
        if (!supports(format)) {
            throw new IllegalArgumentException("JPEG does not code " + format);
        }
    }

    /** Copies the bitmap, top row first, into a B, G, R staging image. */
    private BufferedImage stage(SpiceBitmap src) {
        int w = src.width();
        int h = src.height();
        if (staging == null || staging.getWidth() != w || staging.getHeight() != h) {
            staging = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        }
        // TYPE_3BYTE_BGR stores B, G, R per pixel, SPICE's own byte order, with no row padding.
        byte[] d = ((DataBufferByte) staging.getRaster().getDataBuffer()).getData();
        rows.reset(src, true);
        int q = 0;
        SpiceBitmapFormat f = src.format();
        while (rows.next()) {
            byte[] s = rows.array;
            int p = rows.offset;
            q = FrameRects.rowToBgr(f, s, p, d, q, w);
        }
        return staging;
    }

    /**
     * The writer's default image metadata for 3-channel colour (JFIF, YCbCr), with the
     * sampling factors set to libjpeg's defaults explicitly: luma 2×2, chroma 1×1.
     */
    static IIOMetadata subsampled420(ImageWriter writer, ImageWriteParam param) {
        ImageTypeSpecifier type = ImageTypeSpecifier.createFromRenderedImage(
                new BufferedImage(1, 1, BufferedImage.TYPE_3BYTE_BGR));
        IIOMetadata md = writer.getDefaultImageMetadata(type, param);
        String fmt = "javax_imageio_jpeg_image_1.0";
        Node root = md.getAsTree(fmt);
        NodeList specs = ((org.w3c.dom.Element) root).getElementsByTagName("componentSpec");
        if (specs.getLength() != 3) {
            throw new IllegalStateException("ImageIO's default JPEG metadata has " + specs.getLength()
                    + " components, expected 3");
        }
        for (int i = 0; i < 3; i++) {
            org.w3c.dom.Element c = (org.w3c.dom.Element) specs.item(i);
            String f = i == 0 ? "2" : "1";
            c.setAttribute("HsamplingFactor", f);
            c.setAttribute("VsamplingFactor", f);
        }
        try {
            md.setFromTree(fmt, root);
        } catch (IIOInvalidTreeException e) {
            throw new IllegalStateException("cannot set JPEG sampling factors", e);
        }
        return md;
    }

    /**
     * {@link #subsampled420} metadata whose two DQT tables are libjpeg's
     * {@code jpeg_set_quality(quality, TRUE)} tables; write with
     * {@link ImageWriteParam#MODE_COPY_FROM_METADATA} so the writer uses them.
     */
    static IIOMetadata ijgMetadata(ImageWriter writer, ImageWriteParam param, int quality) {
        IIOMetadata md = subsampled420(writer, param);
        String fmt = "javax_imageio_jpeg_image_1.0";
        Node root = md.getAsTree(fmt);
        NodeList tables = ((org.w3c.dom.Element) root).getElementsByTagName("dqtable");
        if (tables.getLength() != 2) {
            throw new IllegalStateException("ImageIO's default JPEG metadata has " + tables.getLength()
                    + " quantization tables, expected 2");
        }
        for (int i = 0; i < 2; i++) {
            IIOMetadataNode t = (IIOMetadataNode) tables.item(i);
            int id = Integer.parseInt(t.getAttribute("qtableId"));
            // JPEGQTable takes natural order, as JpegQuantTables gives it.
            t.setUserObject(new JPEGQTable(id == 0 ? JpegQuantTables.luma(quality) : JpegQuantTables.chroma(quality)));
        }
        try {
            md.setFromTree(fmt, root);
        } catch (IIOInvalidTreeException e) {
            throw new IllegalStateException("cannot set JPEG quantization tables", e);
        }
        return md;
    }

    /** Writes into the caller's array; past {@code maxLength} it only counts, and flags overflow. */
    private static final class SinkStream extends OutputStream {
        byte[] out;
        int base;
        int max;
        int count;
        boolean overflow;

        void reset(byte[] out, int base, int max) {
            this.out = out;
            this.base = base;
            this.max = max;
            this.count = 0;
            this.overflow = false;
        }

        @Override
        public void write(int b) {
            if (count < max) {
                out[base + count] = (byte) b;
            } else {
                overflow = true;
            }
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            int n = Math.max(0, Math.min(len, max - count));
            // Past the end, count may point beyond the array: even a 0-byte copy there throws.
            if (n > 0) {
                System.arraycopy(b, off, out, base + count, n);
            }
            if (n < len) {
                overflow = true;
            }
            count += len;
        }
    }
}
