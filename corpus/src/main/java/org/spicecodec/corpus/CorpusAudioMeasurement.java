package org.spicecodec.corpus;

/**
 * One audio clip coded by one audio codec.
 *
 * @param category         the corpus category folder
 * @param name             the file within the category
 * @param sampleRate       samples per second per channel
 * @param channels         interleaved channels
 * @param seconds          clip duration
 * @param codec            codec name ({@code "Opus"} or {@code "PCM"})
 * @param encodedBytes     payload bytes of all packets (no SPICE message headers)
 * @param kbps             {@code encodedBytes * 8 / seconds / 1000}
 * @param segSnrDb         segmental SNR in dB, decoder output against the input after removing the
 *                         codec delay; {@code +Infinity} when the output is bit-exact, NaN when
 *                         every segment is near-silent or the codec failed
 * @param encodeRealtime   clip seconds encoded per second of CPU wall time (e.g. 50 = 50x realtime)
 * @param decodeRealtime   the same for decoding
 * @param error            why the codec failed, or null
 */
public record CorpusAudioMeasurement(String category, String name, int sampleRate, int channels, double seconds,
                                     String codec, long encodedBytes, double kbps, double segSnrDb,
                                     double encodeRealtime, double decodeRealtime, String error) {

    public boolean ok() {
        return error == null;
    }

    public String path() {
        return category + "/" + name;
    }
}
