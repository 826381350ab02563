package org.spicecodec.core.vectors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import org.spicecodec.core.SpiceChunks;

/**
 * The golden vector set vendored at the repository root ({@code vectors/}), for the tests of
 * every codec module: surefire runs in the module directory, so it is {@code ../vectors}.
 * Shipped to the other modules in codec-core's test jar. Reads throw unchecked exceptions,
 * which fail the test that asked.
 */
public final class VendoredVectors {
    private VendoredVectors() {
    }

    private static VectorSet vectors;

    public static synchronized VectorSet set() {
        if (vectors == null) {
            Path dir = Paths.get("..", "vectors");
            if (!Files.isRegularFile(dir.resolve("manifest.json"))) {
                throw new IllegalStateException("the vendored golden vectors are missing: expected "
                        + dir.toAbsolutePath().normalize().resolve("manifest.json")
                        + " (tests must run with their module directory as working directory)");
            }
            try {
                vectors = VectorSet.load(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return vectors;
    }

    public static Vector vector(String id) {
        Vector v = set().find(id);
        if (v == null) {
            throw new IllegalStateException("no vector " + id + " in the vendored set");
        }
        return v;
    }

    public static byte[] encoded(String id) {
        return encoded(vector(id));
    }

    public static byte[] encoded(Vector v) {
        try {
            return set().readEncoded(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] input(Vector v) {
        try {
            return set().readInput(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The palette entries of a palette vector, or null. */
    public static int[] palette(Vector v) {
        try {
            return v.palette() == null ? null : set().readPalette(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code data} split into chunks the way the reference encoder was fed ({@code segments}). */
    public static SpiceChunks chunks(byte[] data, int stride, List<Integer> segments) {
        if (segments == null) {
            return SpiceChunks.of(data);
        }
        SpiceChunks.Builder b = SpiceChunks.builder();
        int off = 0;
        for (int rows : segments) {
            b.add(data, off, rows * stride);
            off += rows * stride;
        }
        return b.build();
    }
}
