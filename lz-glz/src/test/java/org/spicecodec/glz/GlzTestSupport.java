package org.spicecodec.glz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpiceChunks;
import org.spicecodec.core.vectors.Vector;
import org.spicecodec.core.vectors.VectorSet;

/** Shared helpers of the GLZ tests: the vendored vector set and bitmap construction. */
final class GlzTestSupport {
    private GlzTestSupport() {
    }

    private static VectorSet vectors;

    /** The vector set vendored in the repository; surefire runs in the module directory. */
    static synchronized VectorSet vectorSet() {
        if (vectors == null) {
            Path dir = Paths.get("..", "vectors");
            if (!Files.isRegularFile(dir.resolve("manifest.json"))) {
                throw new IllegalStateException("the vendored golden vectors are missing: expected "
                        + dir.toAbsolutePath().normalize().resolve("manifest.json"));
            }
            try {
                vectors = VectorSet.load(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return vectors;
    }

    static byte[] input(Vector v) {
        try {
            return vectorSet().readInput(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] encoded(Vector v) {
        try {
            return vectorSet().readEncoded(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bitmap the reference encoder was fed: rows in file order, chunked per {@code segments}. */
    static SpiceBitmap bitmap(Vector v, byte[] data) {
        SpiceBitmapFormat f = SpiceBitmapFormat.valueOf(v.imageType());
        return bitmap(f, v.width(), v.height(), v.stride(), v.topDown(), data, v.segments());
    }

    static SpiceBitmap bitmap(SpiceBitmapFormat f, int w, int h, int stride, boolean topDown, byte[] data,
                              List<Integer> segments) {
        if (segments == null) {
            return SpiceBitmap.of(f, w, h, stride, topDown, data, 0);
        }
        SpiceChunks.Builder b = SpiceChunks.builder();
        int off = 0;
        for (int rows : segments) {
            b.add(data, off, rows * stride);
            off += rows * stride;
        }
        return SpiceBitmap.of(f, w, h, stride, topDown, b.build());
    }
}
