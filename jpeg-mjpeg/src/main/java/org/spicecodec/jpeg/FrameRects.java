package org.spicecodec.jpeg;

import java.util.Objects;

import org.spicecodec.core.RowCursor;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.video.EncodedFrame;

/** Argument checks and row walking shared by the {@link JpegFrameEncoder} engines. */
final class FrameRects {
    /** A baseline JPEG's SOF0 holds 16-bit sizes. */
    static final int MAX_SIDE = 65535;

    private FrameRects() {
    }

    static boolean supports(SpiceBitmapFormat f) {
        return f == SpiceBitmapFormat.RGB32 || f == SpiceBitmapFormat.RGBA
                || f == SpiceBitmapFormat.RGB24 || f == SpiceBitmapFormat.RGB16;
    }

    /** Rejects every argument the engines cannot take, before any native code sees it. */
    static void check(SpiceBitmap src, int left, int top, int width, int height, int quality, EncodedFrame out) {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(out, "out");
        if (!supports(src.format())) {
            throw new IllegalArgumentException("JPEG does not code " + src.format());
        }
        JpegQuantTables.requireQuality(quality);
        if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
            throw new IllegalArgumentException("JPEG size must be 1..65535 each way: " + width + "x" + height);
        }
        if (left < 0 || top < 0 || (long) left + width > src.width() || (long) top + height > src.height()) {
            throw new IllegalArgumentException("rectangle " + width + "x" + height + "+" + left + "+" + top
                    + " is outside the " + src.width() + "x" + src.height() + " bitmap");
        }
    }

    /**
     * Positions {@code rows} so that its next {@link RowCursor#next()} yields picture row
     * {@code top} (rows counted from the top whatever the storage order).
     */
    static void seek(RowCursor rows, SpiceBitmap src, int top) {
        rows.reset(src, true);
        for (int y = 0; y < top; y++) {
            rows.next();
        }
    }

    /**
     * Writes {@code w} pixels of one row of {@code f} at {@code s[p]} as B, G, R bytes at
     * {@code d[q]} (RGB16 components widened as SPICE does, byte 3 of RGB32/RGBA dropped);
     * returns the offset after them.
     */
    static int rowToBgr(SpiceBitmapFormat f, byte[] s, int p, byte[] d, int q, int w) {
        switch (f) {
            case RGB24 -> {
                System.arraycopy(s, p, d, q, 3 * w);
                q += 3 * w;
            }
            case RGB32, RGBA -> {
                for (int x = 0; x < w; x++, p += 4) {
                    d[q++] = s[p];
                    d[q++] = s[p + 1];
                    d[q++] = s[p + 2];
                }
            }
            case RGB16 -> {
                for (int x = 0; x < w; x++, p += 2) {
                    int v = (s[p] & 0xFF) | (s[p + 1] & 0xFF) << 8;
                    d[q++] = (byte) expand5(v);
                    d[q++] = (byte) expand5(v >>> 5);
                    d[q++] = (byte) expand5(v >>> 10);
                }
            }
            default -> throw new AssertionError(f);
        }
        return q;
    }

    static int expand5(int c) {
        c &= 0x1F;
        return (c << 3) | (c >>> 2);
    }
}
