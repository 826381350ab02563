package org.spicecodec.video.jcodec;

import java.lang.reflect.Field;
import java.util.Arrays;
import org.jcodec.codecs.h264.H264Encoder;
import org.jcodec.common.model.Picture;

/**
 * Lets JCodec code the macroblocks whose input did not change since the last picture as
 * nothing: their pixels are replaced by JCodec's own reconstruction of them (its reference
 * picture), so the residual is zero and {@link SkipRewriter} can turn them into P_Skip.
 *
 * <p>Why: JCodec has no skip decision of its own. Coding an unchanged macroblock again only
 * moves its reconstruction around the source (at QP 38 a still terminal cost 2.5 KB per
 * picture, more than at QP 22), which a decoder showing the previous pixels does not need.
 * This is what x264's skip decision gives: an unchanged area keeps the quality it was coded at.
 *
 * <p>The reference picture is JCodec's private field {@code H264Encoder.ref} (JCodec 0.2.5);
 * if it cannot be read, nothing is replaced. Buffers are reused. Not thread-safe.
 */
final class StillMacroblocks {
    private static final Field REFERENCE = referenceField();

    private final int width;
    private final int height;
    private final byte[][] previous;
    private boolean valid;

    /** For planes of {@code width x height} luma samples (multiples of 16). */
    StillMacroblocks(int width, int height) {
        this.width = width;
        this.height = height;
        previous = new byte[][] {new byte[width * height], new byte[width * height / 4], new byte[width * height / 4]};
    }

    private static Field referenceField() {
        try {
            Field f = H264Encoder.class.getDeclaredField("ref");
            f.setAccessible(true);
            return f.getType() == Picture.class ? f : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // another JCodec: code every macroblock
        }
    }

    /**
     * Remembers the input {@code planes} and, for a P picture, replaces each macroblock equal to
     * the previous input by the encoder's reconstruction of it.
     *
     * @return how many macroblocks were replaced
     */
    int apply(H264Encoder encoder, byte[][] planes, boolean predicted) {
        Picture ref = predicted && valid ? reference(encoder) : null;
        int replaced = 0;
        int cw = width >> 1;
        for (int my = 0; my < height >> 4; my++) {
            for (int mx = 0; mx < width >> 4; mx++) {
                boolean same = ref != null
                        && sameAndKeep(planes[0], previous[0], width, mx * 16, my * 16, 16, true)
                        & sameAndKeep(planes[1], previous[1], cw, mx * 8, my * 8, 8, true)
                        & sameAndKeep(planes[2], previous[2], cw, mx * 8, my * 8, 8, true);
                if (ref == null) {
                    sameAndKeep(planes[0], previous[0], width, mx * 16, my * 16, 16, false);
                    sameAndKeep(planes[1], previous[1], cw, mx * 8, my * 8, 8, false);
                    sameAndKeep(planes[2], previous[2], cw, mx * 8, my * 8, 8, false);
                } else if (same) {
                    copy(ref.getPlaneData(0), planes[0], width, mx * 16, my * 16, 16);
                    copy(ref.getPlaneData(1), planes[1], cw, mx * 8, my * 8, 8);
                    copy(ref.getPlaneData(2), planes[2], cw, mx * 8, my * 8, 8);
                    replaced++;
                }
            }
        }
        valid = true;
        return replaced;
    }

    /** The encoder's reference picture if it has this layout, else null. */
    private Picture reference(H264Encoder encoder) {
        if (REFERENCE == null) {
            return null;
        }
        try {
            Picture ref = (Picture) REFERENCE.get(encoder);
            if (ref == null || ref.getPlaneWidth(0) != width || ref.getPlaneHeight(0) != height
                    || ref.getPlaneData(0).length < width * height || ref.getPlaneWidth(1) != width >> 1
                    || ref.getPlaneData(1).length < width * height / 4 || ref.getPlaneData(2).length < width * height / 4) {
                return null;
            }
            return ref;
        } catch (IllegalAccessException e) {
            return null;
        }
    }

    /** Compares a square block of {@code cur} with {@code prev} (if asked), then copies it into {@code prev}. */
    private static boolean sameAndKeep(byte[] cur, byte[] prev, int stride, int x, int y, int size, boolean compare) {
        boolean same = true;
        for (int r = 0; r < size; r++) {
            int o = (y + r) * stride + x;
            if (compare && same && !Arrays.equals(cur, o, o + size, prev, o, o + size)) {
                same = false;
            }
            System.arraycopy(cur, o, prev, o, size);
        }
        return same;
    }

    private static void copy(byte[] from, byte[] to, int stride, int x, int y, int size) {
        for (int r = 0; r < size; r++) {
            int o = (y + r) * stride + x;
            System.arraycopy(from, o, to, o, size);
        }
    }
}
