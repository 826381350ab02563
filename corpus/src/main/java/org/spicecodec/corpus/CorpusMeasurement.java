package org.spicecodec.corpus;

import org.spicecodec.core.SpiceBitmapFormat;

/**
 * One image through one codec.
 *
 * @param rawBytes      {@code width * height * 4}, whatever the format, so ratios compare across codecs
 * @param encodedBytes  size of the encoded image; 0 if the codec failed
 * @param encodeNanos   mean time of one encode
 * @param decodeNanos   mean time of one decode
 * @param losslessOk    for lossless codecs whether the round trip was exact; {@code null} for lossy codecs
 * @param psnrDb        for lossy codecs the PSNR in dB of the decoded colour (B, G, R together, 8-bit,
 *                      peak 255) against the source, 100 if identical; NaN for lossless codecs and failures
 * @param error         why the codec failed (an exception, a lossless mismatch, a lossy codec that
 *                      changed the alpha channel), or {@code null}
 */
public record CorpusMeasurement(String category, String file, int width, int height, SpiceBitmapFormat format,
                                String codec, long rawBytes, long encodedBytes, double encodeNanos,
                                double decodeNanos, Boolean losslessOk, double psnrDb, String error) {

    /** A measurement without PSNR (lossless codecs, failures). */
    public CorpusMeasurement(String category, String file, int width, int height, SpiceBitmapFormat format,
                             String codec, long rawBytes, long encodedBytes, double encodeNanos,
                             double decodeNanos, Boolean losslessOk, String error) {
        this(category, file, width, height, format, codec, rawBytes, encodedBytes, encodeNanos, decodeNanos,
                losslessOk, Double.NaN, error);
    }

    /** Encoded bits per source pixel; 0 if nothing was encoded. */
    public double bitsPerPixel() {
        return encodedBytes * 8.0 / ((long) width * height);
    }

    /** Raw bytes over encoded bytes; 0 if nothing was encoded. */
    public double ratio() {
        return encodedBytes > 0 ? (double) rawBytes / encodedBytes : 0;
    }

    /** Raw megabytes (10^6 bytes) encoded per second; 0 if not measured. */
    public double encodeMBps() {
        return encodeNanos > 0 ? rawBytes * 1e3 / encodeNanos : 0;
    }

    /** Raw megabytes (10^6 bytes) decoded per second; 0 if not measured. */
    public double decodeMBps() {
        return decodeNanos > 0 ? rawBytes * 1e3 / decodeNanos : 0;
    }

    /** Whether the codec ran and, if lossless, gave the input back exactly. */
    public boolean ok() {
        return error == null && !Boolean.FALSE.equals(losslessOk);
    }

    /** {@code category/file}. */
    public String path() {
        return category + "/" + file;
    }
}
