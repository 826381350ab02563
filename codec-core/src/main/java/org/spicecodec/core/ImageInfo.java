package org.spicecodec.core;

/**
 * What an encoded image's header says: how it travels, the pixel format it carries, its
 * size and, where the format records it, its row order.
 */
public record ImageInfo(SpiceImageType imageType, SpiceBitmapFormat format, int width, int height, boolean topDown) {
}
