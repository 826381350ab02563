package org.spicecodec.mjpeg;

import org.spicecodec.core.ImageEncoder;
import org.spicecodec.core.RowCursor;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.video.EncodedFrame;
import org.spicecodec.jpeg.JpegEncoder;
import org.spicecodec.jpeg.JpegFrameEncoder;

/**
 * A real JPEG engine for the tests: the module's ImageIO {@link JpegEncoder}, one per quality,
 * behind the {@link JpegFrameEncoder} contract (crop, rows in picture order, caller's holder).
 * Counts the frames and the qualities it was asked for, so tests can see what the encoder did.
 */
final class ImageIoTestEngine implements JpegFrameEncoder {
    private final JpegEncoder[] byQuality = new JpegEncoder[101];
    private final RowCursor rows = new RowCursor();
    private SpiceBitmap staging;
    int frames;
    int lastQuality;
    boolean closed;
    /** When set, the next encode throws it (an engine failure). */
    RuntimeException failNext;

    @Override
    public String engine() {
        return "imageio-test";
    }

    @Override
    public int encode(SpiceBitmap src, int left, int top, int width, int height, int quality, EncodedFrame out) {
        if (failNext != null) {
            RuntimeException e = failNext;
            failNext = null;
            throw e;
        }
        if (left < 0 || top < 0 || width < 1 || height < 1 || left + width > src.width()
                || top + height > src.height()) {
            throw new IllegalArgumentException("rectangle outside the bitmap");
        }
        JpegEncoder enc = byQuality[quality];
        if (enc == null) {
            enc = byQuality[quality] = new JpegEncoder(quality);
        }
        SpiceBitmap crop = crop(src, left, top, width, height);
        // Room for the worst case up front: JpegEncoder's overflow path (DOES_NOT_FIT) is not
        // what these tests are about.
        out.ensureCapacity((int) enc.maxEncodedLength(src.format(), width, height));
        int n = enc.encode(crop, out.data(), 0, out.data().length);
        if (n == ImageEncoder.DOES_NOT_FIT) {
            throw new IllegalStateException("JPEG larger than its bound");
        }
        out.set(n, true, 0, 0);
        frames++;
        lastQuality = quality;
        return n;
    }

    /** Copies the rectangle, picture order, into a reused top-down bitmap. */
    private SpiceBitmap crop(SpiceBitmap src, int left, int top, int width, int height) {
        if (staging == null || staging.width() != width || staging.height() != height
                || staging.format() != src.format()) {
            staging = SpiceBitmap.allocate(src.format(), width, height);
        }
        int bpp = src.format().bytesPerPixel();
        rows.reset(src, true);
        for (int y = 0; y < top; y++) {
            rows.next();
        }
        for (int y = 0; y < height; y++) {
            rows.next();
            System.arraycopy(rows.array, rows.offset + left * bpp, staging.data(), y * staging.stride(), width * bpp);
        }
        return staging;
    }

    @Override
    public void close() {
        closed = true;
    }
}
