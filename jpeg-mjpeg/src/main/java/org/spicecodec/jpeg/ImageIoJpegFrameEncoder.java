package org.spicecodec.jpeg;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageOutputStreamImpl;

import org.spicecodec.core.RowCursor;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.video.EncodedFrame;

/**
 * The pure-Java JPEG engine: the JDK's ImageIO JPEG writer (libjpeg inside the JDK), so it
 * runs wherever a JDK with {@code java.desktop} does. Baseline JFIF, 4:2:0, standard Huffman
 * tables, and the IJG tables of {@code jpeg_set_quality(q, TRUE)} (the JDK scales its Annex K
 * tables, but in float, so the exact integer tables are handed to it instead).
 *
 * <p>One writer, one staging image and one output stream are kept and reused while the
 * rectangle size stays the same; the JDK writer itself still allocates a little per image.
 */
public final class ImageIoJpegFrameEncoder implements JpegFrameEncoder {
    private final ImageWriter writer;
    private final ImageWriteParam param;
    /** Metadata with libjpeg's tables, per quality, built on first use. */
    private final IIOMetadata[] metadata = new IIOMetadata[101];
    private final FrameOutputStream sink = new FrameOutputStream();
    private final RowCursor rows = new RowCursor();
    private final IIOImage image = new IIOImage(new BufferedImage(1, 1, BufferedImage.TYPE_3BYTE_BGR), null, null);
    private BufferedImage staging;
    private boolean closed;

    public ImageIoJpegFrameEncoder() {
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg");
        if (!it.hasNext()) {
            throw new JpegEngineUnavailableException("this JDK has no ImageIO JPEG writer", null);
        }
        writer = it.next();
        param = writer.getDefaultWriteParam();
        // Tables come from the metadata: the JDK's float quality scaling is off by one in places.
        param.setCompressionMode(ImageWriteParam.MODE_COPY_FROM_METADATA);
        param.setProgressiveMode(ImageWriteParam.MODE_DISABLED);
    }

    @Override
    public String engine() {
        return "imageio";
    }

    @Override
    public int encode(SpiceBitmap src, int left, int top, int width, int height, int quality, EncodedFrame out) {
        FrameRects.check(src, left, top, width, height, quality, out);
        if (closed) {
            throw new IllegalStateException("encoder is closed");
        }
        image.setRenderedImage(stage(src, left, top, width, height));
        IIOMetadata md = metadata[quality];
        if (md == null) {
            md = metadata[quality] = JpegEncoder.ijgMetadata(writer, param, quality);
        }
        image.setMetadata(md);
        sink.reset(out);
        try {
            writer.setOutput(sink);
            writer.write(null, image, param);
            sink.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("ImageIO's JPEG writer failed", e);
        } finally {
            writer.setOutput(null);
        }
        int n = sink.size;
        out.set(n, true, out.mmTime(), out.ptsNanos());
        return n;
    }

    /** Copies the rectangle, top row first, into the B, G, R staging image. */
    private BufferedImage stage(SpiceBitmap src, int left, int top, int w, int h) {
        if (staging == null || staging.getWidth() != w || staging.getHeight() != h) {
            staging = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        }
        byte[] d = ((DataBufferByte) staging.getRaster().getDataBuffer()).getData();
        SpiceBitmapFormat f = src.format();
        int bpp = f.bytesPerPixel();
        FrameRects.seek(rows, src, top);
        int q = 0;
        for (int y = 0; y < h; y++) {
            rows.next();
            byte[] s = rows.array;
            int p = rows.offset + left * bpp;
            q = FrameRects.rowToBgr(f, s, p, d, q, w);
        }
        return staging;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            writer.dispose();
        }
    }

    /**
     * An ImageIO output stream straight into the caller's {@link EncodedFrame} (growing it),
     * reused for every image: no cache blocks, no copy.
     */
    private static final class FrameOutputStream extends ImageOutputStreamImpl {
        private EncodedFrame out;
        private byte[] buf;
        int size;

        void reset(EncodedFrame out) {
            this.out = out;
            this.buf = out.data();
            this.size = 0;
            streamPos = 0;
            flushedPos = 0;
            bitOffset = 0;
        }

        private void room(long end) throws IOException {
            if (end > Integer.MAX_VALUE - 16) {
                throw new IOException("JPEG larger than one array");
            }
            if (end > buf.length) {
                buf = out.ensureCapacity((int) end);
            }
        }

        @Override
        public void write(int b) throws IOException {
            flushBits();
            room(streamPos + 1);
            buf[(int) streamPos++] = (byte) b;
            size = Math.max(size, (int) streamPos);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            flushBits();
            room(streamPos + len);
            System.arraycopy(b, off, buf, (int) streamPos, len);
            streamPos += len;
            size = Math.max(size, (int) streamPos);
        }

        @Override
        public int read() {
            bitOffset = 0;
            return streamPos < size ? buf[(int) streamPos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            bitOffset = 0;
            int n = (int) Math.min(len, size - streamPos);
            if (n <= 0) {
                return len == 0 ? 0 : -1;
            }
            System.arraycopy(buf, (int) streamPos, b, off, n);
            streamPos += n;
            return n;
        }

        @Override
        public long length() {
            return size;
        }
    }
}
