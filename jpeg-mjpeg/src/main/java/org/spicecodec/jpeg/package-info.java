/**
 * SPICE's lossy still-image payloads through the JDK's ImageIO JPEG codec: JPEG (image type
 * 105, {@link org.spicecodec.jpeg.JpegEncoder} / {@link org.spicecodec.jpeg.JpegDecoder}) and
 * JPEG_ALPHA (108, {@link org.spicecodec.jpeg.JpegAlphaEncoder} /
 * {@link org.spicecodec.jpeg.JpegAlphaDecoder}: JPEG colour plus an LZ XXXA alpha plane).
 *
 * <p>Payload boundaries: the JPEG codecs read and write the JPEG file alone (the
 * {@code uint32 data_size} before it in the image message is the caller's); the JPEG_ALPHA
 * codecs read and write the whole {@code {u8 flags; u32 LE jpeg_size; u32 LE data_size; data}}.
 */
package org.spicecodec.jpeg;
