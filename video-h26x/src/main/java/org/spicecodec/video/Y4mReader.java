package org.spicecodec.video;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.spicecodec.core.ImageLimits;
import org.spicecodec.core.MalformedInputException;

/**
 * Reads a YUV4MPEG2 ({@code .y4m}) stream of 8-bit 4:2:0 frames into {@link I420Frame}s.
 *
 * <p>Accepted colour spaces: {@code C420jpeg}, {@code C420paldv}, {@code C420mpeg2},
 * {@code C420} and no {@code C} tag (which means 4:2:0); others are refused with a
 * {@link MalformedInputException} that names them. The size is checked against
 * {@link ImageLimits} before any plane is allocated. Header and frame-header lines are at
 * most 1 KiB.
 */
public final class Y4mReader implements AutoCloseable {
    private static final int MAX_LINE = 1024;

    private final InputStream in;
    private final int width;
    private final int height;
    private final int fpsNum;
    private final int fpsDen;
    private final String colourSpace;
    private long offset;

    /** Reads the stream header. */
    public Y4mReader(InputStream in) throws IOException {
        this(in, ImageLimits.DEFAULT);
    }

    public Y4mReader(InputStream in, ImageLimits limits) throws IOException {
        this.in = Objects.requireNonNull(in, "in");
        String header = readLine();
        if (header == null || !header.startsWith("YUV4MPEG2")) {
            throw new MalformedInputException(0, "not a YUV4MPEG2 stream (no 'YUV4MPEG2' signature)");
        }
        int w = -1;
        int h = -1;
        int num = 25;
        int den = 1;
        String cs = "420jpeg";
        for (String tag : header.substring(9).trim().split(" +")) {
            if (tag.isEmpty()) {
                continue;
            }
            String v = tag.substring(1);
            try {
                switch (tag.charAt(0)) {
                    case 'W' -> w = Integer.parseInt(v);
                    case 'H' -> h = Integer.parseInt(v);
                    case 'F' -> {
                        int colon = v.indexOf(':');
                        if (colon < 0) {
                            throw new NumberFormatException(v);
                        }
                        num = Integer.parseInt(v.substring(0, colon));
                        den = Integer.parseInt(v.substring(colon + 1));
                    }
                    case 'C' -> cs = v;
                    default -> {
                        // I (interlacing), A (aspect), X (comments): not needed to read the planes.
                    }
                }
            } catch (NumberFormatException e) {
                throw new MalformedInputException(0, "bad YUV4MPEG2 header tag '" + tag + "'");
            }
        }
        if (w < 1 || h < 1) {
            throw new MalformedInputException(0, "YUV4MPEG2 header has no valid W and H: " + header);
        }
        if (num < 1 || den < 1) {
            throw new MalformedInputException(0, "bad frame rate " + num + ":" + den);
        }
        if (!cs.startsWith("420") || !(cs.equals("420") || cs.equals("420jpeg") || cs.equals("420paldv")
                || cs.equals("420mpeg2"))) {
            throw new MalformedInputException(0, "colour space C" + cs + " is not supported (8-bit 4:2:0 only)");
        }
        limits.check(w, h, 0);
        this.width = w;
        this.height = h;
        this.fpsNum = num;
        this.fpsDen = den;
        this.colourSpace = cs;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Frames per second, rounded to the nearest integer (at least 1). */
    public int frameRate() {
        return Math.max(1, Math.round((float) fpsNum / fpsDen));
    }

    public String colourSpace() {
        return colourSpace;
    }

    /**
     * Reads the next frame into {@code frame}, which must have this stream's size.
     *
     * @return {@code false} at the end of the stream
     * @throws MalformedInputException if a frame header is bad or a frame is cut short
     */
    public boolean next(I420Frame frame) throws IOException {
        if (frame.width != width || frame.height != height) {
            throw new IllegalArgumentException("frame is " + frame.width + "x" + frame.height + ", stream is "
                    + width + "x" + height);
        }
        long at = offset;
        String line = readLine();
        if (line == null) {
            return false;
        }
        if (!line.startsWith("FRAME")) {
            throw new MalformedInputException(at, "expected a FRAME header");
        }
        readPlane(frame.y, frame.yOffset, frame.yStride, width, height);
        int cw = frame.chromaWidth();
        int ch = frame.chromaHeight();
        readPlane(frame.u, frame.uOffset, frame.uStride, cw, ch);
        readPlane(frame.v, frame.vOffset, frame.vStride, cw, ch);
        return true;
    }

    private void readPlane(byte[] dst, int off, int stride, int w, int h) throws IOException {
        for (int row = 0; row < h; row++) {
            int p = off + row * stride;
            int done = 0;
            while (done < w) {
                int n = in.read(dst, p + done, w - done);
                if (n < 0) {
                    throw new MalformedInputException(offset, "frame cut short");
                }
                done += n;
                offset += n;
            }
        }
    }

    /** A header line without its '\n'; null at a clean end of stream. */
    private String readLine() throws IOException {
        byte[] buf = new byte[MAX_LINE];
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (n == 0) {
                    return null;
                }
                throw new MalformedInputException(offset, "header line cut short");
            }
            offset++;
            if (b == '\n') {
                return new String(buf, 0, n, StandardCharsets.US_ASCII);
            }
            if (n == MAX_LINE) {
                throw new MalformedInputException(offset - 1, "header line longer than " + MAX_LINE + " bytes");
            }
            buf[n++] = (byte) b;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

}
