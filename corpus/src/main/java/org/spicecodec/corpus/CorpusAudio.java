package org.spicecodec.corpus;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.spicecodec.audio.AudioParameters;
import org.spicecodec.audio.OpusAudioDecoder;
import org.spicecodec.audio.OpusAudioEncoder;
import org.spicecodec.audio.RawPcmCodec;
import org.spicecodec.audio.WavFile;

/**
 * The audio part of a corpus run: each WAV clip through SPICE's two playback codecs, Opus
 * ({@link AudioParameters#spiceDefault()}: 48 kHz stereo, 10 ms frames, encoder defaults) and
 * raw PCM, one SPICE packet (480 sample frames) at a time.
 *
 * <p>Quality is the segmental SNR (mean of per-10-ms-segment SNRs) of the decoded signal
 * against the input, after shifting the output back by the encoder's lookahead (312 samples at
 * 48 kHz, which is also where the audio-opus tests found the best cross-correlation). It is a
 * waveform measure, not a perceptual one: Opus at ~100 kbit/s sounds transparent while scoring
 * only a few tens of dB.
 */
final class CorpusAudio {
    static final String OPUS = "Opus";
    static final String PCM = "PCM";
    static final List<String> CODECS = List.of(OPUS, PCM);
    static final String CSV_FILE = "audio.csv";

    /** Segments whose reference RMS is below this (about -50 dBFS) are skipped: their SNR says nothing. */
    private static final double SILENT_RMS = 100;
    /** Per-segment SNRs are clamped to this range so one near-perfect or garbled segment cannot dominate. */
    private static final double MIN_SEGMENT_DB = -10;
    private static final double MAX_SEGMENT_DB = 60;

    @SuppressWarnings("unused")
    private static volatile long blackhole;

    private CorpusAudio() {
    }

    /** Codes one clip with every audio codec; failures become error rows. */
    static List<CorpusAudioMeasurement> measure(CorpusAudioItem item, WavFile wav, long minMeasureNanos) {
        List<CorpusAudioMeasurement> rows = new ArrayList<>();
        for (String codec : CODECS) {
            rows.add(measure(item, wav, codec, minMeasureNanos));
        }
        return rows;
    }

    private static CorpusAudioMeasurement measure(CorpusAudioItem item, WavFile wav, String codec, long minNanos) {
        double seconds = (double) wav.frames() / wav.sampleRate();
        AudioParameters p = AudioParameters.spiceDefault();
        String step = "encode";
        try {
            if (wav.sampleRate() != p.sampleRate() || wav.channels() != p.channels()) {
                throw new IllegalArgumentException("SPICE playback needs " + p.sampleRate() + " Hz, "
                        + p.channels() + " channels; the file has " + wav.sampleRate() + " Hz, " + wav.channels());
            }
            if (wav.frames() == 0) {
                throw new IllegalArgumentException("the file holds no samples");
            }
            boolean opus = codec.equals(OPUS);
            int delay = opus ? new OpusAudioEncoder(p).lookahead() : 0;
            // Zero frames after the clip flush the codec delay out, so the whole clip is compared.
            int spf = p.samplesPerFrame();
            int packets = (wav.frames() + delay + p.frameSize() - 1) / p.frameSize();
            short[] in = new short[packets * spf];
            System.arraycopy(wav.samples(), 0, in, 0, wav.samples().length);

            byte[][] coded = new byte[packets][];
            long bytes = opus ? encodeOpus(p, in, coded) : encodePcm(in, coded);
            double encNs = time(() -> opus ? encodeOpus(p, in, new byte[packets][]) : encodePcm(in, new byte[packets][]),
                    minNanos);
            step = "decode";
            short[] out = new short[in.length];
            if (opus) {
                decodeOpus(p, coded, out);
            } else {
                decodePcm(coded, out);
            }
            double decNs = time(() -> opus ? decodeOpus(p, coded, new short[in.length])
                    : decodePcm(coded, new short[in.length]), minNanos);
            double snr = segmentalSnr(wav.samples(), out, wav.channels(), delay, wav.sampleRate() / 100);
            return new CorpusAudioMeasurement(item.category(), item.name(), wav.sampleRate(), wav.channels(), seconds,
                    codec, bytes, bytes * 8 / seconds / 1000, snr, seconds * 1e9 / encNs, seconds * 1e9 / decNs,
                    null);
        } catch (RuntimeException e) {
            return new CorpusAudioMeasurement(item.category(), item.name(), wav.sampleRate(), wav.channels(), seconds,
                    codec, 0, 0, Double.NaN, 0, 0,
                    step + " threw " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** A fresh encoder per run: Opus is stateful, and a SPICE stream starts with a new one. */
    private static long encodeOpus(AudioParameters p, short[] in, byte[][] coded) {
        OpusAudioEncoder enc = new OpusAudioEncoder(p);
        byte[] buf = new byte[p.maxPacketBytes()];
        long total = 0;
        for (int i = 0; i < coded.length; i++) {
            int len = enc.encode(in, i * p.samplesPerFrame(), buf, 0);
            coded[i] = Arrays.copyOf(buf, len);
            total += len;
        }
        return total;
    }

    private static long decodeOpus(AudioParameters p, byte[][] coded, short[] out) {
        OpusAudioDecoder dec = new OpusAudioDecoder(p);
        long frames = 0;
        for (int i = 0; i < coded.length; i++) {
            frames += dec.decode(coded[i], 0, coded[i].length, out, i * p.samplesPerFrame());
        }
        return frames;
    }

    private static long encodePcm(short[] in, byte[][] coded) {
        RawPcmCodec pcm = RawPcmCodec.spiceDefault();
        long total = 0;
        for (int i = 0; i < coded.length; i++) {
            coded[i] = new byte[pcm.packetBytes()];
            total += pcm.encode(in, i * pcm.samplesPerPacket(), coded[i], 0);
        }
        return total;
    }

    private static long decodePcm(byte[][] coded, short[] out) {
        RawPcmCodec pcm = RawPcmCodec.spiceDefault();
        long frames = 0;
        for (int i = 0; i < coded.length; i++) {
            frames += pcm.decode(coded[i], 0, coded[i].length, out, i * pcm.samplesPerPacket());
        }
        return frames;
    }

    /** Mean nanoseconds per call, repeating until {@code minNanos} have passed (at least once). */
    private static double time(LongSupplier op, long minNanos) {
        long sink = 0;
        int n = 0;
        long start = System.nanoTime();
        long elapsed;
        do {
            sink += op.getAsLong();
            n++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < minNanos);
        blackhole = sink; // keeps the JIT from dropping work whose result is unused
        return (double) Math.max(elapsed, 1) / n;
    }

    /**
     * Segmental SNR in dB of {@code decoded} (delayed by {@code delay} sample frames) against
     * {@code ref}: the mean, over segments of {@code segFrames} frames, of each segment's
     * signal-to-error ratio, clamped to [-10, 60] dB. Near-silent segments are left out. Returns
     * +Infinity when the aligned output equals the input exactly, NaN when no segment is loud enough.
     */
    static double segmentalSnr(short[] ref, short[] decoded, int channels, int delay, int segFrames) {
        int shift = delay * channels;
        int n = Math.min(ref.length, decoded.length - shift);
        boolean exact = n == ref.length;
        for (int i = 0; exact && i < n; i++) {
            exact = ref[i] == decoded[i + shift];
        }
        if (exact) {
            return Double.POSITIVE_INFINITY;
        }
        int seg = segFrames * channels;
        double sum = 0;
        int used = 0;
        for (int start = 0; start + seg <= n; start += seg) {
            double signal = 0;
            double noise = 0;
            for (int i = start; i < start + seg; i++) {
                double s = ref[i];
                double e = s - decoded[i + shift];
                signal += s * s;
                noise += e * e;
            }
            if (Math.sqrt(signal / seg) < SILENT_RMS) {
                continue;
            }
            double db = noise == 0 ? MAX_SEGMENT_DB : 10 * Math.log10(signal / noise);
            sum += Math.min(MAX_SEGMENT_DB, Math.max(MIN_SEGMENT_DB, db));
            used++;
        }
        return used == 0 ? Double.NaN : sum / used;
    }

    /** One second of a chord with a slow tremolo, to warm up the codecs before timing. */
    static WavFile warmUpClip() {
        int rate = AudioParameters.SPICE_SAMPLE_RATE;
        short[] s = new short[rate * 2];
        for (int i = 0; i < rate; i++) {
            double t = (double) i / rate;
            double v = (Math.sin(2 * Math.PI * 220 * t) + 0.5 * Math.sin(2 * Math.PI * 331 * t))
                    * (0.6 + 0.4 * Math.sin(2 * Math.PI * 3 * t));
            s[2 * i] = (short) (6000 * v);
            s[2 * i + 1] = (short) (5000 * v);
        }
        return new WavFile(rate, 2, s);
    }

    static void printTable(PrintStream out, List<CorpusAudioMeasurement> ms) {
        out.println();
        out.println("Audio: SPICE playback codecs, 48 kHz stereo, 480-sample (10 ms) packets. kbit/s counts packet payloads;");
        out.println("segSNR = segmental SNR in dB over 10 ms segments (silent ones skipped), output aligned by the codec delay;");
        out.println("speed = seconds of audio coded per second (x realtime).");
        out.println(String.format(Locale.ROOT, "%-66s %-5s %6s %9s %10s %11s %11s",
                "file", "codec", "sec", "kbit/s", "segSNR dB", "enc x rt", "dec x rt"));
        for (CorpusAudioMeasurement m : ms) {
            if (!m.ok()) {
                out.println(String.format(Locale.ROOT, "%-66s %-5s FAILED: %s", m.path(), m.codec(), m.error()));
                continue;
            }
            out.println(String.format(Locale.ROOT, "%-66s %-5s %6.2f %9.1f %10s %11.1f %11.1f", m.path(), m.codec(),
                    m.seconds(), m.kbps(), snr(m.segSnrDb()), m.encodeRealtime(), m.decodeRealtime()));
        }
        // Totals weight each clip by its duration: total bits over total time, total time over total CPU time.
        for (String codec : CODECS) {
            List<CorpusAudioMeasurement> ok = ms.stream().filter(m -> m.ok() && m.codec().equals(codec)).toList();
            if (ok.isEmpty()) {
                continue;
            }
            double secs = ok.stream().mapToDouble(CorpusAudioMeasurement::seconds).sum();
            double bits = ok.stream().mapToDouble(m -> m.encodedBytes() * 8.0).sum();
            double enc = ok.stream().mapToDouble(m -> m.seconds() / m.encodeRealtime()).sum();
            double dec = ok.stream().mapToDouble(m -> m.seconds() / m.decodeRealtime()).sum();
            double snr = ok.stream().allMatch(m -> Double.isInfinite(m.segSnrDb())) ? Double.POSITIVE_INFINITY
                    : ok.stream().mapToDouble(CorpusAudioMeasurement::segSnrDb).filter(Double::isFinite).average()
                            .orElse(Double.NaN);
            out.println(String.format(Locale.ROOT, "%-66s %-5s %6.2f %9.1f %10s %11.1f %11.1f",
                    "ALL (" + ok.size() + " clip(s); segSNR = mean of clips)", codec, secs, bits / secs / 1000,
                    snr(snr), secs / enc, secs / dec));
        }
    }

    private static String snr(double db) {
        if (Double.isInfinite(db)) {
            return "exact";
        }
        return Double.isNaN(db) ? "n/a" : String.format(Locale.ROOT, "%.2f", db);
    }

    static void writeCsv(Path file, List<CorpusAudioMeasurement> ms) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("category,file,sample_rate,channels,seconds,codec,bytes,kbit_s,seg_snr_db,"
                    + "encode_x_realtime,decode_x_realtime,error\n");
            for (CorpusAudioMeasurement m : ms) {
                // Bit-exact output is written as "inf"; no measurable segment as empty.
                String snr = Double.isInfinite(m.segSnrDb()) ? "inf"
                        : Double.isNaN(m.segSnrDb()) ? "" : String.format(Locale.ROOT, "%.3f", m.segSnrDb());
                w.write(String.join(",", CorpusReport.csv(m.category()), CorpusReport.csv(m.name()),
                        Integer.toString(m.sampleRate()), Integer.toString(m.channels()),
                        String.format(Locale.ROOT, "%.3f", m.seconds()), m.codec(), Long.toString(m.encodedBytes()),
                        String.format(Locale.ROOT, "%.3f", m.kbps()), snr,
                        String.format(Locale.ROOT, "%.2f", m.encodeRealtime()),
                        String.format(Locale.ROOT, "%.2f", m.decodeRealtime()),
                        m.error() == null ? "" : CorpusReport.csv(m.error())));
                w.write('\n');
            }
        }
    }
}
