package org.spicecodec.glz;

import java.util.Objects;
import java.util.zip.Deflater;

/**
 * Server side of ZLIB_GLZ_RGB (image type 107): deflates a finished GLZ stream the way
 * spice-server does (zlib level 3, default strategy, one finishing pass per image), and only
 * when it pays. The GLZ image is in the dictionary either way; the wrapper is transport only.
 * The client side is {@link GlzDecoder#decodeZlib}.
 *
 * <p>Not thread-safe: one per encoder thread. Call {@link #close()} to free the native deflater.
 */
public final class GlzZlib implements AutoCloseable {
    /** spice-server's {@code MIN_GLZ_SIZE_FOR_ZLIB}. */
    public static final int MIN_GLZ_SIZE = 100;
    /** spice-server's {@code ZLIB_DEFAULT_COMPRESSION_LEVEL}. */
    public static final int LEVEL = 3;

    private final Deflater deflater = new Deflater(LEVEL);

    /**
     * Deflates {@code glz[off, off + len)} into {@code out[outOffset, outOffset + maxLength)}.
     *
     * @return the zlib size, or -1 when the server would send plain GLZ instead: the GLZ stream
     *         is shorter than {@link #MIN_GLZ_SIZE}, or the zlib data would not be smaller than
     *         it (or does not fit in the space given)
     */
    public int compress(byte[] glz, int off, int len, byte[] out, int outOffset, int maxLength) {
        Objects.requireNonNull(glz, "glz");
        Objects.requireNonNull(out, "out");
        if (off < 0 || len < 0 || off > glz.length - len || outOffset < 0 || maxLength < 0
                || outOffset > out.length - maxLength) {
            throw new IllegalArgumentException("range outside array");
        }
        if (len < MIN_GLZ_SIZE) {
            return -1;
        }
        deflater.reset();
        deflater.setInput(glz, off, len);
        deflater.finish();
        // anything not smaller than the GLZ stream is useless, so cap the output there
        int cap = Math.min(maxLength, len - 1);
        int n = 0;
        while (!deflater.finished() && n < cap) {
            n += deflater.deflate(out, outOffset + n, cap - n);
        }
        return deflater.finished() ? n : -1;
    }

    @Override
    public void close() {
        deflater.end();
    }
}
