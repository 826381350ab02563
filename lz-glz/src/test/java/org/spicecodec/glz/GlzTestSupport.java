package org.spicecodec.glz;

import java.util.List;

import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.vectors.Vector;
import org.spicecodec.core.vectors.VectorSet;
import org.spicecodec.core.vectors.VendoredVectors;

/** Shared helpers of the GLZ tests: the vendored vector set and bitmap construction. */
final class GlzTestSupport {
    private GlzTestSupport() {
    }

    /** The vector set vendored in the repository. */
    static VectorSet vectorSet() {
        return VendoredVectors.set();
    }

    static byte[] input(Vector v) {
        return VendoredVectors.input(v);
    }

    static byte[] encoded(Vector v) {
        return VendoredVectors.encoded(v);
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
        return SpiceBitmap.of(f, w, h, stride, topDown, VendoredVectors.chunks(data, stride, segments));
    }
}
