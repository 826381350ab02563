package org.spicecodec.core.vectors;

import java.util.List;

/**
 * One image of a {@link GlzSequence}.
 *
 * @param index               position in the sequence
 * @param imageId             the id written in the GLZ header
 * @param winHeadDist         {@code imageId} minus the id of the oldest image still in the window
 * @param evictedDuringEncode indices of the images dropped from the window while this one was encoded
 * @param vector              type, sizes, input, palette, encoded file and decodes, as for a vector
 */
public record GlzImage(int index, long imageId, long winHeadDist, List<Integer> evictedDuringEncode, Vector vector) {
}
