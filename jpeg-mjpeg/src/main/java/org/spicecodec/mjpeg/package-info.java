/**
 * SPICE's MJPEG video streams (streams.md §4): {@link org.spicecodec.mjpeg.MjpegEncoder}, the
 * server's built-in stream encoder, with {@link org.spicecodec.mjpeg.MjpegRateControl}, a
 * decision-for-decision model of spice-server's MJPEG rate control (quality ladder 20–80,
 * frame-rate admission, bit-rate changes from client reports and server drops); and
 * {@link org.spicecodec.mjpeg.MjpegDecoder}, the client side. Frames are complete baseline JPEGs
 * made by a {@link org.spicecodec.jpeg.JpegFrameEncoder} engine.
 */
package org.spicecodec.mjpeg;
