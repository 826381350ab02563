package org.spicecodec.core.video;

/**
 * {@code video_encoder_stats}: the starting and current bit rates in bits/s, and the average
 * quality of the frames encoded so far (JPEG quality for MJPEG, average QP or 0 for others).
 */
public record VideoEncoderStats(long startingBitRate, long currentBitRate, double averageQuality) {
}
