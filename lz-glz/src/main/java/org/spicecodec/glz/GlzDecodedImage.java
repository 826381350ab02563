package org.spicecodec.glz;

import org.spicecodec.core.SpiceBitmapFormat;

/**
 * A decoded GLZ image as the decoder window keeps it: 32-bit pixels (B, G, R, X/A in the
 * low-to-high bytes of each int) in stream order, i.e. rows as stored by the sender (bottom
 * row first when {@link #topDown()} is false). Palette images keep their gross width
 * ({@code stride × pixels per byte}), padding pixels included, as the reference does.
 *
 * <p>The pixel array is owned by the window once the image is inserted; read it, never
 * modify it. An image returned by {@link GlzDecoder#decode(byte[], int, int)} (or the other
 * methods that return one) stays valid for as long as the caller holds it, even after the
 * window releases it: only images decoded through
 * {@link GlzDecoder#decode(byte[], int, int, org.spicecodec.core.SpiceBitmap)}, which are
 * never handed out, have their pixel array recycled by the window.
 */
public final class GlzDecodedImage {
    private final long id;
    private final long winHeadDist;
    private final SpiceBitmapFormat format;
    private final int width;
    private final int height;
    private final int stride;
    private final boolean topDown;
    private final int rowPixels;
    final int[] pixels;
    /** Whether {@link #pixels} came from the window's pool and goes back to it once released. */
    final boolean pooled;
    // Guarded by the window's lock: decoders reading the pixels (pins), and whether the window
    // has dropped the image; a pooled array is recycled only when both say it is unused.
    int pins;
    boolean released;

    GlzDecodedImage(long id, long winHeadDist, SpiceBitmapFormat format, int width, int height, int stride,
                    boolean topDown, int rowPixels, int[] pixels) {
        this(id, winHeadDist, format, width, height, stride, topDown, rowPixels, pixels, false);
    }

    GlzDecodedImage(long id, long winHeadDist, SpiceBitmapFormat format, int width, int height, int stride,
                    boolean topDown, int rowPixels, int[] pixels, boolean pooled) {
        this.pooled = pooled;
        this.id = id;
        this.winHeadDist = winHeadDist;
        this.format = format;
        this.width = width;
        this.height = height;
        this.stride = stride;
        this.topDown = topDown;
        this.rowPixels = rowPixels;
        this.pixels = pixels;
    }

    public long id() {
        return id;
    }

    public long winHeadDist() {
        return winHeadDist;
    }

    /** The format named in the stream header (RGB32 for RGB32 streams, PLT8 for PLT8, ...). */
    public SpiceBitmapFormat format() {
        return format;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The source stride from the header, in bytes. */
    public int stride() {
        return stride;
    }

    public boolean topDown() {
        return topDown;
    }

    /** Pixels per decoded row: {@code width}, or {@code stride × ppb} for palette types. */
    public int rowPixels() {
        return rowPixels;
    }

    public int pixelCount() {
        return pixels.length;
    }

    /** Pixel {@code i} in stream order as {@code 0xAARRGGBB} (alpha/X in the top byte). */
    public int pixel(int i) {
        return pixels[i];
    }

    /**
     * Writes the image as 4-byte pixels B, G, R, A/X, rows in stream order, {@code rowPixels × 4}
     * bytes per row: the layout of the reference decoder's output.
     */
    public void copyTo(byte[] dst, int offset) {
        int n = pixels.length;
        if (offset < 0 || (long) offset + 4L * n > dst.length) {
            throw new IllegalArgumentException("destination too small");
        }
        int o = offset;
        for (int i = 0; i < n; i++) {
            int p = pixels[i];
            dst[o] = (byte) p;
            dst[o + 1] = (byte) (p >>> 8);
            dst[o + 2] = (byte) (p >>> 16);
            dst[o + 3] = (byte) (p >>> 24);
            o += 4;
        }
    }

    /** {@link #copyTo} into a new array. */
    public byte[] toBytes() {
        byte[] b = new byte[pixels.length * 4];
        copyTo(b, 0);
        return b;
    }
}
