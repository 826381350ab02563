package org.spicecodec.corpus;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.spicecodec.core.BufferedImages;
import org.spicecodec.core.ImageEncoder;
import org.spicecodec.core.RowCursor;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;

/**
 * PNG through the JDK's ImageIO with its default settings: not a SPICE codec, a yardstick a
 * reader knows. Timings include the conversion between {@link SpiceBitmap} and
 * {@link BufferedImage}, as a SPICE codec would have to do that work too.
 */
public final class PngCodec implements CorpusCodec {
    private final RowCursor rows = new RowCursor();
    private int[] argb = new int[0];

    @Override
    public String name() {
        return "PNG";
    }

    @Override
    public boolean isLossless() {
        return true;
    }

    @Override
    public boolean supports(SpiceBitmapFormat format) {
        return format == SpiceBitmapFormat.RGB32 || format == SpiceBitmapFormat.RGBA;
    }

    @Override
    public long maxEncodedLength(SpiceBitmapFormat format, int width, int height) {
        // Filtered rows (1 + 4w bytes) plus deflate's worst case of ~5 bytes per 16 KiB block,
        // plus chunk headers: generous rather than tight.
        long filtered = (long) height * (1 + 4L * width);
        return filtered + filtered / 1000 + 64 * 1024;
    }

    @Override
    public int encode(SpiceBitmap src, byte[] out) {
        check(src.format());
        BufferedImage img = BufferedImages.toBufferedImage(src);
        ArrayOutput sink = new ArrayOutput(out);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        // Memory-cached streams: ImageIO's convenience methods may spill to temporary files.
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(sink)) {
            writer.setOutput(ios);
            writer.write(img);
        } catch (IOException e) {
            // ImageIO may wrap the stream's exception.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ArrayOutput.Full) {
                    return ImageEncoder.DOES_NOT_FIT;
                }
            }
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return sink.length;
    }

    @Override
    public void decode(byte[] in, int length, SpiceBitmap dst) {
        check(dst.format());
        BufferedImage img;
        ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
        try (MemoryCacheImageInputStream iis = new MemoryCacheImageInputStream(new ByteArrayInputStream(in, 0, length))) {
            reader.setInput(iis, true, true);
            img = reader.read(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            reader.dispose();
        }
        int w = dst.width();
        if (img.getWidth() != w || img.getHeight() != dst.height()) {
            throw new IllegalArgumentException("PNG is " + img.getWidth() + "x" + img.getHeight()
                    + ", destination is " + w + "x" + dst.height());
        }
        if (argb.length < w) {
            argb = new int[w];
        }
        boolean alpha = dst.format() == SpiceBitmapFormat.RGBA;
        rows.reset(dst, true);
        for (int y = 0; rows.next(); y++) {
            img.getRGB(0, y, w, 1, argb, 0, w);
            byte[] d = rows.array;
            int p = rows.offset;
            for (int x = 0; x < w; x++) {
                int c = argb[x];
                d[p++] = (byte) c;
                d[p++] = (byte) (c >>> 8);
                d[p++] = (byte) (c >>> 16);
                d[p++] = alpha ? (byte) (c >>> 24) : 0;
            }
        }
    }

    private void check(SpiceBitmapFormat format) {
        if (!supports(format)) {
            throw new IllegalArgumentException("PNG adapter does not handle " + format);
        }
    }

    /** An output stream over a fixed array that signals, rather than grows, when full. */
    private static final class ArrayOutput extends OutputStream {
        private final byte[] buf;
        private int length;

        ArrayOutput(byte[] buf) {
            this.buf = buf;
        }

        @Override
        public void write(int b) throws Full {
            if (length == buf.length) {
                throw new Full();
            }
            buf[length++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws Full {
            if (len > buf.length - length) {
                throw new Full();
            }
            System.arraycopy(b, off, buf, length, len);
            length += len;
        }

        static final class Full extends IOException {
            private static final long serialVersionUID = 1L;

            Full() {
                super("output array full", null);
            }
        }
    }
}
