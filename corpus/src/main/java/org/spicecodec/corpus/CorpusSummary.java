package org.spicecodec.corpus;

/**
 * Totals of one codec over one category (or over everything, category {@link #ALL}). Ratios
 * and speeds are of the totals, so large images weigh more than small ones, as they do on the
 * wire. Failed measurements count in {@link #failures} only. {@code meanPsnrDb} is the mean of
 * the files' PSNRs for a lossy codec, NaN for a lossless one.
 */
public record CorpusSummary(String category, String codec, int files, long rawBytes, long encodedBytes,
                            double encodeNanos, double decodeNanos, int failures, double meanPsnrDb) {

    /** A summary of a lossless codec (no PSNR). */
    public CorpusSummary(String category, String codec, int files, long rawBytes, long encodedBytes,
                         double encodeNanos, double decodeNanos, int failures) {
        this(category, codec, files, rawBytes, encodedBytes, encodeNanos, decodeNanos, failures, Double.NaN);
    }

    /** Whether the codec is lossy (its PSNR was measured). */
    public boolean lossy() {
        return !Double.isNaN(meanPsnrDb);
    }

    /** Encoded bits per source pixel (raw bytes are 4 a pixel). */
    public double bitsPerPixel() {
        return rawBytes > 0 ? encodedBytes * 8.0 / (rawBytes / 4.0) : 0;
    }

    /** The category name of the all-categories rows. */
    public static final String ALL = "all";

    public double ratio() {
        return encodedBytes > 0 ? (double) rawBytes / encodedBytes : 0;
    }

    /** Raw megabytes (10^6 bytes) per second. */
    public double encodeMBps() {
        return encodeNanos > 0 ? rawBytes * 1e3 / encodeNanos : 0;
    }

    /** Raw megabytes (10^6 bytes) per second. */
    public double decodeMBps() {
        return decodeNanos > 0 ? rawBytes * 1e3 / decodeNanos : 0;
    }

    public double rawMB() {
        return rawBytes / 1e6;
    }
}
