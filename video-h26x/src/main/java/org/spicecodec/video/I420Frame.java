package org.spicecodec.video;

/**
 * Three I420 planes in caller-owned arrays: a {@code width x height} luma plane and two
 * {@code (width+1)/2 x (height+1)/2} chroma planes. A holder for {@link I420Converter}; it
 * neither validates nor copies, and an encoder keeps one per stream size.
 */
public final class I420Frame {
    public final int width;
    public final int height;
    public final byte[] y;
    public final int yOffset;
    public final int yStride;
    public final byte[] u;
    public final int uOffset;
    public final int uStride;
    public final byte[] v;
    public final int vOffset;
    public final int vStride;

    public I420Frame(int width, int height, byte[] y, int yOffset, int yStride, byte[] u, int uOffset, int uStride,
                     byte[] v, int vOffset, int vStride) {
        this.width = width;
        this.height = height;
        this.y = y;
        this.yOffset = yOffset;
        this.yStride = yStride;
        this.u = u;
        this.uOffset = uOffset;
        this.uStride = uStride;
        this.v = v;
        this.vOffset = vOffset;
        this.vStride = vStride;
    }

    /** Tightly packed planes in three new arrays. */
    public static I420Frame allocate(int width, int height) {
        if (width < 1 || height < 1 || (long) width * height > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("bad I420 size " + width + "x" + height);
        }
        int cw = (width + 1) >>> 1;
        int ch = (height + 1) >>> 1;
        return new I420Frame(width, height, new byte[width * height], 0, width,
                new byte[cw * ch], 0, cw, new byte[cw * ch], 0, cw);
    }

    public int chromaWidth() {
        return (width + 1) >>> 1;
    }

    public int chromaHeight() {
        return (height + 1) >>> 1;
    }
}
