package org.spicecodec.corpus;

import org.spicecodec.core.ImageEncoder;
import org.spicecodec.core.RowCursor;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.glz.GlzDecodedImage;
import org.spicecodec.glz.GlzDecoder;
import org.spicecodec.glz.GlzDecoderWindow;
import org.spicecodec.glz.GlzDictionary;
import org.spicecodec.glz.GlzEncoder;
import org.spicecodec.glz.GlzZlib;

/**
 * The library's GLZ codec (lossless), plain ({@code "GLZ"}) or wrapped in zlib as spice-server
 * does for ZLIB_GLZ_RGB ({@code "zlib-GLZ"}). A {@linkplain #isSequential() sequential} codec:
 * one {@link GlzDictionary} (server side) and one {@link GlzDecoderWindow} (client side) live
 * for a whole sequence, so an image may copy from the images coded before it in its category.
 *
 * <p>Both sides use a window of {@link GlzDecoderWindow#DEFAULT_WINDOW_PIXELS} pixels, as a
 * client announcing that size would get; older images are evicted from the dictionary and, by
 * the window's release rule, from the decoder window, so memory stays bounded.
 *
 * <p>zlib-GLZ: when zlib does not make the GLZ stream smaller the server sends plain GLZ, and
 * so does this adapter (the image type in the descriptor tells the client which). The
 * {@code glz_data_size} a ZLIB_GLZ_RGB message carries goes to the decoder through this
 * object, like the message's other header fields, and is not counted in the size.
 */
public final class GlzCodec implements CorpusCodec {
    private final boolean zlib;
    private final GlzDictionary dictionary = new GlzDictionary((int) GlzDecoderWindow.DEFAULT_WINDOW_PIXELS);
    private final GlzEncoder encoder = new GlzEncoder(dictionary);
    // No wait: the images arrive in order on one thread, so a missing one is an error, not a delay.
    private final GlzDecoderWindow window = new GlzDecoderWindow(GlzDecoderWindow.DEFAULT_WINDOW_PIXELS, 0);
    private final GlzDecoder decoder = new GlzDecoder(window);
    private final GlzZlib deflater;
    private final RowCursor rows = new RowCursor();
    private byte[] glz = new byte[0];
    /** glz_data_size of the last image encoded when it went as zlib, else -1 (plain GLZ). */
    private int pendingGlzSize = -1;

    private GlzCodec(boolean zlib) {
        this.zlib = zlib;
        this.deflater = zlib ? new GlzZlib() : null;
    }

    /** Plain GLZ (GLZ_RGB images). */
    public static GlzCodec glz() {
        return new GlzCodec(false);
    }

    /** GLZ with spice-server's zlib wrapper (ZLIB_GLZ_RGB when it pays, else GLZ_RGB). */
    public static GlzCodec zlibGlz() {
        return new GlzCodec(true);
    }

    @Override
    public String name() {
        return zlib ? "zlib-GLZ" : "GLZ";
    }

    @Override
    public boolean isLossless() {
        return true;
    }

    /** RGB32 and RGBA: GLZ decodes every other type to RGB32, which a same-format round trip cannot check. */
    @Override
    public boolean supports(SpiceBitmapFormat format) {
        return (format == SpiceBitmapFormat.RGB32 || format == SpiceBitmapFormat.RGBA)
                && encoder.supports(format) && decoder.canDecode(format, format);
    }

    @Override
    public long maxEncodedLength(SpiceBitmapFormat format, int width, int height) {
        // zlib output is only used when smaller than the GLZ stream.
        return encoder.maxEncodedLength(format, width, height);
    }

    @Override
    public boolean isSequential() {
        return true;
    }

    @Override
    public void startSequence() {
        dictionary.reset(0);
        window.clear();
        pendingGlzSize = -1;
    }

    @Override
    public int encode(SpiceBitmap src, byte[] out) {
        pendingGlzSize = -1;
        if (!zlib) {
            return encoder.encode(src, out, 0, out.length);
        }
        long max = encoder.maxEncodedLength(src.format(), src.width(), src.height());
        if (glz.length < max) {
            glz = new byte[(int) max];
        }
        int n = encoder.encode(src, glz, 0, glz.length);
        if (n < 0) {
            return n;
        }
        int z = deflater.compress(glz, 0, n, out, 0, out.length);
        if (z > 0) {
            pendingGlzSize = n;
            return z;
        }
        if (n > out.length) {
            return ImageEncoder.DOES_NOT_FIT;
        }
        System.arraycopy(glz, 0, out, 0, n);
        return n;
    }

    @Override
    public void decode(byte[] in, int length, SpiceBitmap dst) {
        int glzSize = pendingGlzSize;
        pendingGlzSize = -1;
        if (glzSize < 0) {
            decoder.decode(in, 0, length, dst);
            return;
        }
        GlzDecodedImage img = decoder.decodeZlib(in, 0, length, glzSize);
        if (img.width() != dst.width() || img.height() != dst.height()) {
            throw new IllegalStateException("GLZ image is " + img.width() + "x" + img.height() + ", destination "
                    + dst.width() + "x" + dst.height());
        }
        // The window keeps the pixels in stream row order; write them in dst's row order.
        int w = img.width();
        int h = img.height();
        int rowPx = img.rowPixels();
        rows.reset(dst, true);
        for (int y = 0; rows.next(); y++) {
            int s = (img.topDown() ? y : h - 1 - y) * rowPx;
            byte[] a = rows.array;
            int o = rows.offset;
            for (int x = 0; x < w; x++, o += 4) {
                int v = img.pixel(s + x);
                a[o] = (byte) v;
                a[o + 1] = (byte) (v >>> 8);
                a[o + 2] = (byte) (v >>> 16);
                a[o + 3] = (byte) (v >>> 24);
            }
        }
    }
}
