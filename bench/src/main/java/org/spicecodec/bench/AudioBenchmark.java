package org.spicecodec.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.spicecodec.audio.AudioParameters;
import org.spicecodec.audio.OpusAudioDecoder;
import org.spicecodec.audio.OpusAudioEncoder;
import org.spicecodec.audio.OpusEngine;

/**
 * Opus in SPICE's profile ({@link AudioParameters#spiceDefault()}: 48 kHz stereo, 10 ms
 * frames of 480 samples, automatic bit rate): {@code encode} codes one frame per operation,
 * {@code decode} decodes one packet per operation, stepping through {@value #SECONDS} s of
 * audio and wrapping around, so the codec state sees a continuous stream as in a session.
 *
 * <p>The audio is synthesised, not read from a file: the WAVs of audio-opus's tests are not on
 * the benchmark jar's class path, and a relative path to them would tie the jar to being run
 * from the source tree. {@link #music} is deterministic and music-like (a chord progression
 * with note attacks and decays, stereo detuning, and a little noise), so both the CELT
 * transient and tonal paths are exercised.
 *
 * <p>Realtime multiple = {@code audioSeconds} score: seconds of audio coded per second of
 * wall-clock time. {@link #engine} picks the {@link OpusEngine} (Concentus, pure Java, or
 * libopus through FFmpeg); a run fails rather than silently measuring Concentus when FFmpeg's
 * natives are missing. The benchmark methods allocate nothing themselves, so {@code -prof gc}'s
 * {@code gc.alloc.rate.norm} is the engine's own allocation per frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Djava.awt.headless=true")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class AudioBenchmark {
    /** Length of the synthesised signal. */
    public static final int SECONDS = 2;
    /** Duration of one SPICE frame in seconds. */
    static final double FRAME_SECONDS = (double) AudioParameters.SPICE_FRAME_SIZE / AudioParameters.SPICE_SAMPLE_RATE;

    private final AudioParameters params = AudioParameters.spiceDefault();

    /** {@link OpusEngine} name, lower case. */
    @Param({"concentus", "ffmpeg"})
    public String engine = "concentus";
    private short[] pcm;
    private int frames;
    private int samplesPerFrame;

    private OpusAudioEncoder encoder;
    private byte[] packetOut;
    private int encodeFrame;

    private OpusAudioDecoder decoder;
    private byte[][] packets;
    private int[] packetLengths;
    private long encodedBytes;
    private short[] decodeOut;
    private int decodeFrame;
    private double roundTripSnrDb;

    /** Seconds of audio (and Opus bytes) per operation; per second of benchmark, the realtime multiple. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Audio {
        public double audioSeconds;
        public long encodedBytes;

        @Setup(Level.Iteration)
        public void reset() {
            audioSeconds = 0;
            encodedBytes = 0;
        }
    }

    @Setup(Level.Trial)
    public void setup() {
        samplesPerFrame = params.samplesPerFrame();
        frames = SECONDS * params.sampleRate() / params.frameSize();
        pcm = music(frames * params.frameSize(), params.channels(), 1);
        OpusEngine chosen = OpusEngine.valueOf(engine.toUpperCase(java.util.Locale.ROOT));
        encoder = new OpusAudioEncoder(params, chosen);
        if (encoder.engine() != chosen) {
            throw new IllegalStateException("Opus engine " + chosen + " unavailable here: " + OpusEngine.ffmpegUnavailableReason());
        }
        packetOut = new byte[params.maxPacketBytes()];
        decodeOut = new short[samplesPerFrame];

        // Encode the whole signal once for the decode benchmark, with an encoder of its own so
        // the encode benchmark starts from a fresh state too.
        OpusAudioEncoder pre = new OpusAudioEncoder(params, chosen);
        packets = new byte[frames][];
        packetLengths = new int[frames];
        encodedBytes = 0;
        for (int f = 0; f < frames; f++) {
            int n = pre.encode(pcm, f * samplesPerFrame, packetOut, 0);
            packets[f] = java.util.Arrays.copyOf(packetOut, n);
            packetLengths[f] = n;
            encodedBytes += n;
        }

        // Verify the round trip: the decoded signal, shifted by the encoder's delay, must match.
        pre.close();
        OpusAudioDecoder check = new OpusAudioDecoder(params, chosen);
        short[] back = new short[pcm.length];
        for (int f = 0; f < frames; f++) {
            int got = check.decode(packets[f], 0, packetLengths[f], back, f * samplesPerFrame);
            if (got != params.frameSize()) {
                throw new IllegalStateException("Opus packet " + f + " decoded to " + got + " samples");
            }
        }
        check.close();
        roundTripSnrDb = snrDb(pcm, back, encoder.lookahead() * params.channels());
        if (!(roundTripSnrDb > MIN_SNR_DB)) {
            throw new IllegalStateException(String.format("Opus round trip SNR %.1f dB is below %.1f dB",
                    roundTripSnrDb, MIN_SNR_DB));
        }
        decoder = new OpusAudioDecoder(params, chosen);
        encodeFrame = 0;
        decodeFrame = 0;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        encoder.close();
        decoder.close();
    }

    /** Floor for the setup's check: well below what Opus gives at ~100 kbit/s, far above garbage. */
    static final double MIN_SNR_DB = 10.0;

    /**
     * A music-like signal: every 250 ms a new chord of three notes and an octave bass attacks
     * and decays; the right channel is slightly detuned; low-level noise is added.
     */
    static short[] music(int frames, int channels, long seed) {
        double[][] chords = {
            {261.63, 329.63, 392.00}, {220.00, 261.63, 329.63}, {174.61, 220.00, 261.63}, {196.00, 246.94, 293.66},
        };
        Random rnd = new Random(seed);
        short[] s = new short[frames * channels];
        int noteLen = 48000 / 4;
        for (int i = 0; i < frames; i++) {
            double[] chord = chords[(i / noteLen) % chords.length];
            double tNote = (i % noteLen) / 48000.0;
            // A fast attack then an exponential decay: a transient every note.
            double env = Math.min(1.0, tNote / 0.005) * Math.exp(-4.0 * tNote);
            double t = i / 48000.0;
            for (int c = 0; c < channels; c++) {
                double detune = 1 + 0.002 * c;
                double v = 0.5 * Math.sin(2 * Math.PI * chord[0] / 2 * detune * t);
                for (int k = 0; k < chord.length; k++) {
                    double f = chord[k] * detune;
                    // A few harmonics per note make the spectrum richer than pure tones.
                    v += Math.sin(2 * Math.PI * f * t) / 3 + Math.sin(4 * Math.PI * f * t) / 9
                            + Math.sin(6 * Math.PI * f * t) / 27;
                }
                double sample = 7000 * env * v + 60 * rnd.nextGaussian();
                s[i * channels + c] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(sample)));
            }
        }
        return s;
    }

    /** SNR in dB of {@code got} against {@code ref}, with {@code got} delayed by {@code delay} samples. */
    static double snrDb(short[] ref, short[] got, int delay) {
        double sig = 0;
        double err = 0;
        for (int i = 0; i + delay < got.length; i++) {
            sig += (double) ref[i] * ref[i];
            double d = ref[i] - got[i + delay];
            err += d * d;
        }
        return 10 * Math.log10(sig / Math.max(err, 1e-9));
    }

    public double roundTripSnrDb() {
        return roundTripSnrDb;
    }

    public long encodedBytes() {
        return encodedBytes;
    }

    public int frames() {
        return frames;
    }

    @Benchmark
    public int encode(Audio counter) {
        int f = encodeFrame;
        int n = encoder.encode(pcm, f * samplesPerFrame, packetOut, 0);
        encodeFrame = f + 1 == frames ? 0 : f + 1;
        counter.audioSeconds += FRAME_SECONDS;
        counter.encodedBytes += n;
        return n;
    }

    @Benchmark
    public short decode(Audio counter) {
        int f = decodeFrame;
        int n = decoder.decode(packets[f], 0, packetLengths[f], decodeOut, 0);
        decodeFrame = f + 1 == frames ? 0 : f + 1;
        counter.audioSeconds += FRAME_SECONDS;
        counter.encodedBytes += packetLengths[f];
        return decodeOut[n];
    }

    /**
     * Realtime multiples on CPU time, for a machine shared with other work where wall-clock
     * scores mostly measure the neighbours: {@code java -cp benchmarks.jar
     * 'org.spicecodec.bench.AudioBenchmark$CpuTime' [rounds]} encodes and decodes
     * {@value #CPU_SECONDS} s (the benchmark's {@value #SECONDS} s signal repeated) per round
     * on each engine and prints, per round, audio seconds per second of this thread's CPU time,
     * of the process's CPU time (adds GC and JIT work) and of wall time. The first two rounds
     * are warm-up. {@code ... CpuTime --wav file.wav} writes that same signal as a WAV file
     * instead, for timing other encoders (opusenc) on identical audio.
     */
    public static final class CpuTime {
        private CpuTime() {
        }

        public static void main(String[] args) throws Exception {
            AudioParameters p = AudioParameters.spiceDefault();
            short[] clip = music(SECONDS * p.sampleRate(), p.channels(), 1);
            short[] pcm = new short[clip.length * (CPU_SECONDS / SECONDS)];
            for (int off = 0; off < pcm.length; off += clip.length) {
                System.arraycopy(clip, 0, pcm, off, clip.length);
            }
            if (args.length == 2 && args[0].equals("--wav")) {
                java.nio.file.Files.write(java.nio.file.Path.of(args[1]),
                        new org.spicecodec.audio.WavFile(p.sampleRate(), p.channels(), pcm).toBytes());
                return;
            }
            int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
            var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            int spf = p.samplesPerFrame();
            int frames = pcm.length / spf;
            byte[][] packets = new byte[frames][p.maxPacketBytes()];
            int[] lengths = new int[frames];
            short[] out = new short[spf];
            for (OpusEngine engine : OpusEngine.values()) {
                try (OpusAudioEncoder enc = new OpusAudioEncoder(p, engine);
                        OpusAudioDecoder dec = new OpusAudioDecoder(p, engine)) {
                    if (enc.engine() != engine || dec.engine() != engine) {
                        System.out.println(engine + ": unavailable: " + OpusEngine.ffmpegUnavailableReason());
                        continue;
                    }
                    for (int r = 0; r < rounds; r++) {
                        long t0 = threads.getCurrentThreadCpuTime();
                        long p0 = os.getProcessCpuTime();
                        long w0 = System.nanoTime();
                        for (int f = 0; f < frames; f++) {
                            lengths[f] = enc.encode(pcm, f * spf, packets[f], 0);
                        }
                        long t1 = threads.getCurrentThreadCpuTime();
                        long p1 = os.getProcessCpuTime();
                        long w1 = System.nanoTime();
                        for (int f = 0; f < frames; f++) {
                            dec.decode(packets[f], 0, lengths[f], out, 0);
                        }
                        long t2 = threads.getCurrentThreadCpuTime();
                        long p2 = os.getProcessCpuTime();
                        long w2 = System.nanoTime();
                        System.out.printf(java.util.Locale.ROOT,
                                "%-9s round %d%s: encode %6.1fx thread-CPU %6.1fx process-CPU %6.1fx wall;"
                                        + " decode %6.1fx thread-CPU %6.1fx process-CPU %6.1fx wall%n",
                                engine, r, r < 2 ? " (warm-up)" : "",
                                CPU_SECONDS / ((t1 - t0) / 1e9), CPU_SECONDS / ((p1 - p0) / 1e9), CPU_SECONDS / ((w1 - w0) / 1e9),
                                CPU_SECONDS / ((t2 - t1) / 1e9), CPU_SECONDS / ((p2 - p1) / 1e9), CPU_SECONDS / ((w2 - w1) / 1e9));
                    }
                }
            }
        }
    }

    /** Audio per round of {@link CpuTime}. */
    static final int CPU_SECONDS = 60;
}
