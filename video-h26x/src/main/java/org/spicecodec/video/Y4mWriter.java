package org.spicecodec.video;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Writes 8-bit 4:2:0 frames as a YUV4MPEG2 stream ({@code C420jpeg}, progressive, square pixels). */
public final class Y4mWriter implements AutoCloseable {
    private static final byte[] FRAME = "FRAME\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final int width;
    private final int height;

    public Y4mWriter(OutputStream out, int width, int height, int fps) throws IOException {
        if (width < 1 || height < 1 || fps < 1) {
            throw new IllegalArgumentException(width + "x" + height + " at " + fps + " fps");
        }
        this.out = Objects.requireNonNull(out, "out");
        this.width = width;
        this.height = height;
        out.write(("YUV4MPEG2 W" + width + " H" + height + " F" + fps + ":1 Ip A1:1 C420jpeg\n")
                .getBytes(StandardCharsets.US_ASCII));
    }

    public void write(I420Frame f) throws IOException {
        if (f.width != width || f.height != height) {
            throw new IllegalArgumentException("frame is " + f.width + "x" + f.height + ", stream is " + width + "x"
                    + height);
        }
        out.write(FRAME);
        plane(f.y, f.yOffset, f.yStride, width, height);
        plane(f.u, f.uOffset, f.uStride, f.chromaWidth(), f.chromaHeight());
        plane(f.v, f.vOffset, f.vStride, f.chromaWidth(), f.chromaHeight());
    }

    private void plane(byte[] p, int off, int stride, int w, int h) throws IOException {
        for (int row = 0; row < h; row++) {
            out.write(p, off + row * stride, w);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
