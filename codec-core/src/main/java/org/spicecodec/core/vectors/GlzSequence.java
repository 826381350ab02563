package org.spicecodec.core.vectors;

import java.util.List;

/**
 * Images encoded in order through one GLZ dictionary; they must be processed in that order.
 *
 * @param windowSizePixels the dictionary size, in pixels
 * @param decoder          how the reference decoded the sequence; may be {@code null}
 */
public record GlzSequence(String id, String description, long windowSizePixels, int encoderId, int maxEncoders,
                          long firstImageId, String decoder, List<String> tags, List<GlzImage> images) {
}
