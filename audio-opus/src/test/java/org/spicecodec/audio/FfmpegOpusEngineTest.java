package org.spicecodec.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spicecodec.core.MalformedInputException;

/**
 * The {@link OpusEngine#FFMPEG} engine (libopus through FFmpeg/JavaCPP) against the same
 * quality floors as Concentus, cross-decoding with Concentus both ways, engine selection and
 * the fallback to Concentus when FFmpeg cannot serve.
 */
class FfmpegOpusEngineTest {

    @BeforeAll
    static void ffmpegHere() {
        String why = OpusEngine.ffmpegUnavailableReason();
        if (org.bytedeco.javacpp.Loader.getPlatform().equals("linux-x86_64")) {
            // The test class path carries these natives: they must work.
            assertThat(why).as("FFmpeg engine on linux-x86_64").isNull();
        }
        Assumptions.assumeTrue(why == null, "FFmpeg engine unavailable: " + why);
    }

    /** Encodes the whole signal frame by frame with {@code encEngine}; returns the packets. */
    static List<byte[]> encodeAll(short[] pcm, AudioParameters p, OpusEngine encEngine) {
        List<byte[]> packets = new ArrayList<>();
        try (OpusAudioEncoder enc = new OpusAudioEncoder(p, encEngine)) {
            assertThat(enc.engine()).isEqualTo(encEngine);
            byte[] buf = new byte[p.maxPacketBytes()];
            for (int off = 0; off + p.samplesPerFrame() <= pcm.length; off += p.samplesPerFrame()) {
                int n = enc.encode(pcm, off, buf, 0);
                packets.add(Arrays.copyOf(buf, n));
            }
        }
        return packets;
    }

    static short[] decodeAll(List<byte[]> packets, AudioParameters p, OpusEngine decEngine) {
        short[] out = new short[packets.size() * p.samplesPerFrame()];
        try (OpusAudioDecoder dec = new OpusAudioDecoder(p, decEngine)) {
            assertThat(dec.engine()).isEqualTo(decEngine);
            for (int i = 0; i < packets.size(); i++) {
                byte[] pkt = packets.get(i);
                assertThat(dec.decode(pkt, 0, pkt.length, out, i * p.samplesPerFrame())).isEqualTo(p.frameSize());
            }
        }
        return out;
    }

    /**
     * FFmpeg→FFmpeg, FFmpeg→Concentus and Concentus→FFmpeg round trips on every clip must meet
     * the floors measured with Concentus alone ({@link OpusRoundTripTest.Floors}).
     */
    @ParameterizedTest(name = "{0} {1}->{2}")
    @CsvSource({
        AudioTestSupport.SPEECH + ", FFMPEG, FFMPEG, FLOOR_SPEECH",
        AudioTestSupport.MUSIC + ", FFMPEG, FFMPEG, FLOOR_MUSIC",
        AudioTestSupport.SYSTEM_SOUND + ", FFMPEG, FFMPEG, FLOOR_SYSTEM",
        AudioTestSupport.SPEECH + ", FFMPEG, CONCENTUS, FLOOR_SPEECH",
        AudioTestSupport.MUSIC + ", FFMPEG, CONCENTUS, FLOOR_MUSIC",
        AudioTestSupport.SYSTEM_SOUND + ", FFMPEG, CONCENTUS, FLOOR_SYSTEM",
        AudioTestSupport.SPEECH + ", CONCENTUS, FFMPEG, FLOOR_SPEECH",
        AudioTestSupport.MUSIC + ", CONCENTUS, FFMPEG, FLOOR_MUSIC",
        AudioTestSupport.SYSTEM_SOUND + ", CONCENTUS, FFMPEG, FLOOR_SYSTEM",
    })
    void spiceProfileMeetsConcentusFloors(String file, OpusEngine enc, OpusEngine dec, String floor) {
        WavFile wav = AudioTestSupport.load(file);
        AudioParameters p = AudioParameters.spiceDefault();
        List<byte[]> packets = encodeAll(wav.samples(), p, enc);
        short[] decoded = decodeAll(packets, p, dec);
        int lag = AudioTestSupport.bestLag(wav.samples(), decoded, 2, 1000);
        double snr = AudioTestSupport.segmentalSnr(wav.samples(), decoded, 2, lag);
        long bytes = packets.stream().mapToLong(b -> b.length).sum();
        int max = packets.stream().mapToInt(b -> b.length).max().orElseThrow();
        double kbps = bytes * 8.0 / (packets.size() * 0.010) / 1000;
        System.out.printf("%s %s->%s: lag %d, segSNR %.2f dB, %.1f kbit/s, max packet %d B%n",
                file, enc, dec, lag, snr, kbps, max);
        assertThat(lag).isBetween(300, 330);
        assertThat(snr).isGreaterThanOrEqualTo(OpusRoundTripTest.Floors.valueOf(floor).db);
        assertThat(max).isLessThanOrEqualTo(AudioParameters.SPICE_MAX_PACKET_BYTES);
        // The OPUS_AUTO equivalent: 102 kbit/s, VBR, so only approximately.
        assertThat(kbps).isBetween(85.0, 115.0);
    }

    @Test
    void ffmpegEncoderMatchesSpiceProfile() {
        AudioParameters p = AudioParameters.spiceDefault();
        try (OpusAudioEncoder ff = new OpusAudioEncoder(p, OpusEngine.FFMPEG);
                OpusAudioEncoder cc = new OpusAudioEncoder(p, OpusEngine.CONCENTUS)) {
            // Same delay as Concentus (and libopus) with AUDIO at 48 kHz: the Ogg pre-skip.
            assertThat(ff.lookahead()).isEqualTo(cc.lookahead()).isEqualTo(312);
            byte[] pkt = ff.encode(new short[p.samplesPerFrame()], 0);
            // TOC: CELT-only fullband 10 ms (config 30), stereo, one frame: what AUDIO at 102 kbit/s picks.
            assertThat(pkt[0] & 0xFF).isEqualTo((30 << 3) | 0x04);
        }
        assertThat(OpusEngines.effectiveBitrate(p)).isEqualTo(102_000);
    }

    /** Both decoders are libopus-derived: on the same packets their outputs nearly coincide. */
    @Test
    void decodersAgreeOnTheSamePackets() {
        WavFile wav = AudioTestSupport.load(AudioTestSupport.MUSIC);
        AudioParameters p = AudioParameters.spiceDefault();
        List<byte[]> packets = encodeAll(wav.samples(), p, OpusEngine.CONCENTUS);
        short[] a = decodeAll(packets, p, OpusEngine.CONCENTUS);
        short[] b = decodeAll(packets, p, OpusEngine.FFMPEG);
        double snr = AudioTestSupport.segmentalSnr(a, b, 2, 0);
        System.out.printf("Concentus vs FFmpeg libopus decoder on the same packets: segSNR %.2f dB%n", snr);
        // Measured: 60 dB, the metric's clamp (at most rounding differences).
        assertThat(snr).isGreaterThan(55);
    }

    @Test
    void resetRestartsTheEncoderStream() {
        WavFile wav = AudioTestSupport.load(AudioTestSupport.SPEECH);
        AudioParameters p = AudioParameters.spiceDefault();
        short[] pcm = Arrays.copyOf(wav.samples(), 30 * p.samplesPerFrame());
        List<byte[]> fresh = encodeAll(pcm, p, OpusEngine.FFMPEG);
        try (OpusAudioEncoder enc = new OpusAudioEncoder(p, OpusEngine.FFMPEG)) {
            for (int i = 0; i < 7; i++) {
                enc.encode(wav.samples(), (40 + i) * p.samplesPerFrame());
            }
            enc.reset();
            for (int i = 0; i < fresh.size(); i++) {
                assertThat(enc.encode(pcm, i * p.samplesPerFrame())).as("packet " + i).isEqualTo(fresh.get(i));
            }
        }
    }

    @Test
    void closedCodecsRefuseWorkInsteadOfTouchingFreedMemory() {
        AudioParameters p = AudioParameters.spiceDefault();
        OpusAudioEncoder enc = new OpusAudioEncoder(p, OpusEngine.FFMPEG);
        byte[] pkt = enc.encode(new short[960], 0);
        enc.close();
        enc.close();
        assertThatThrownBy(() -> enc.encode(new short[960], 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        OpusAudioDecoder dec = new OpusAudioDecoder(p, OpusEngine.FFMPEG);
        dec.close();
        assertThatThrownBy(() -> dec.decode(pkt, new short[960], 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void badPacketsRaiseOnlyMalformedInputAndConcealmentIsRefused() {
        AudioParameters p = AudioParameters.spiceDefault();
        try (OpusAudioDecoder dec = new OpusAudioDecoder(p, OpusEngine.FFMPEG)) {
            short[] out = new short[p.samplesPerFrame()];
            assertThatThrownBy(() -> dec.decode(new byte[0], 0, 0, out, 0)).isInstanceOf(MalformedInputException.class);
            assertThatThrownBy(() -> dec.decode(new byte[] {(byte) 0xFB}, 0, 1, out, 0))
                    .isInstanceOf(MalformedInputException.class).hasMessageContaining("code 3");
            assertThatThrownBy(() -> dec.decode(new byte[481], 0, 481, out, 0)).isInstanceOf(MalformedInputException.class);
            Random rnd = new Random(99);
            int decoded = 0;
            int malformed = 0;
            for (int i = 0; i < 1000; i++) {
                byte[] junk = new byte[1 + rnd.nextInt(480)];
                rnd.nextBytes(junk);
                try {
                    assertThat(dec.decode(junk, 0, junk.length, out, 0)).isBetween(0, 480);
                    decoded++;
                } catch (MalformedInputException e) {
                    malformed++;
                }
            }
            System.out.printf("FFmpeg decoder, random packets: %d decoded, %d malformed%n", decoded, malformed);
            assertThat(decoded + malformed).isEqualTo(1000);
            byte[] good = new OpusAudioEncoder(p, OpusEngine.CONCENTUS).encode(new short[960], 0);
            assertThat(dec.decode(good, out, 0)).isEqualTo(480);
            assertThatThrownBy(() -> dec.decodeLost(out, 0)).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("CONCENTUS");
            assertThatThrownBy(() -> dec.decode(null, out, 0)).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    /** Thread-allocated bytes over many frames after warm-up: none per frame on the FFmpeg engine. */
    @Test
    void ffmpegEngineAllocatesNothingPerFrame() {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled());
        WavFile wav = AudioTestSupport.load(AudioTestSupport.MUSIC);
        AudioParameters p = AudioParameters.spiceDefault();
        int spf = p.samplesPerFrame();
        int frames = wav.samples().length / spf;
        byte[] pkt = new byte[p.maxPacketBytes()];
        short[] out = new short[spf];
        try (OpusAudioEncoder enc = new OpusAudioEncoder(p, OpusEngine.FFMPEG);
                OpusAudioDecoder dec = new OpusAudioDecoder(p, OpusEngine.FFMPEG)) {
            long[] perFrame = new long[2];
            for (int round = 0; round < 3; round++) { // the first rounds warm up (class init, JIT)
                long t0 = mx.getCurrentThreadAllocatedBytes();
                for (int f = 0; f < frames; f++) {
                    int n = enc.encode(wav.samples(), f * spf, pkt, 0);
                    dec.decode(pkt, 0, n, out, 0);
                }
                long total = mx.getCurrentThreadAllocatedBytes() - t0;
                perFrame[0] = total / frames;
                perFrame[1] = total;
            }
            System.out.printf("FFmpeg engine: %d B allocated over %d encode+decode frames%n", perFrame[1], frames);
            // Measuring itself may allocate a few bytes; a frame allocating anything would show
            // up as at least frames × 16 B.
            assertThat(perFrame[1]).isLessThan(frames * 16L);
        }
    }

    @Test
    void systemPropertyChoosesTheEngine() {
        String old = System.getProperty(OpusEngine.PROPERTY);
        try {
            AudioParameters p = AudioParameters.spiceDefault();
            System.clearProperty(OpusEngine.PROPERTY);
            assertThat(OpusEngine.configured()).isEqualTo(OpusEngine.DEFAULT);
            System.setProperty(OpusEngine.PROPERTY, "ffmpeg");
            try (OpusAudioEncoder e = new OpusAudioEncoder(p); OpusAudioDecoder d = new OpusAudioDecoder(p)) {
                assertThat(e.engine()).isEqualTo(OpusEngine.FFMPEG);
                assertThat(d.engine()).isEqualTo(OpusEngine.FFMPEG);
            }
            System.setProperty(OpusEngine.PROPERTY, " Concentus ");
            try (OpusAudioEncoder e = new OpusAudioEncoder(p)) {
                assertThat(e.engine()).isEqualTo(OpusEngine.CONCENTUS);
            }
            System.setProperty(OpusEngine.PROPERTY, "libopus");
            assertThatThrownBy(() -> new OpusAudioEncoder(p)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(OpusEngine.PROPERTY).hasMessageContaining("concentus or ffmpeg");
        } finally {
            if (old == null) {
                System.clearProperty(OpusEngine.PROPERTY);
            } else {
                System.setProperty(OpusEngine.PROPERTY, old);
            }
        }
    }

    /** Parameters FFmpeg cannot honour exactly run on Concentus, and still work. */
    @Test
    void parametersOutsideFfmpegLimitsFallBackToConcentus() {
        AudioParameters at24k = AudioParameters.spiceAt(24000);
        try (OpusAudioDecoder d = new OpusAudioDecoder(at24k, OpusEngine.FFMPEG);
                OpusAudioEncoder e = new OpusAudioEncoder(at24k, OpusEngine.FFMPEG)) {
            assertThat(d.engine()).isEqualTo(OpusEngine.CONCENTUS);
            assertThat(e.engine()).isEqualTo(OpusEngine.CONCENTUS);
            assertThat(d.decode(e.encode(new short[960], 0), new short[960], 0)).isEqualTo(480);
        }
        AudioParameters fec = AudioParameters.builder().fec(true).build();
        try (OpusAudioEncoder e = new OpusAudioEncoder(fec, OpusEngine.FFMPEG)) {
            assertThat(e.engine()).isEqualTo(OpusEngine.CONCENTUS);
        }
        // 400 kbit/s is 500 B per 10 ms frame on average: over SPICE's 480-byte packets.
        AudioParameters loud = AudioParameters.builder().bitrate(400_000).build();
        assertThat(OpusEngines.ffmpegEncoderLimitation(loud)).contains("480-byte");
        try (OpusAudioEncoder e = new OpusAudioEncoder(loud, OpusEngine.FFMPEG)) {
            assertThat(e.engine()).isEqualTo(OpusEngine.CONCENTUS);
        }
        assertThat(OpusEngines.ffmpegEncoderLimitation(AudioParameters.spiceDefault())).isNull();
    }

    /**
     * Natives missing: audio-opus loaded in a class loader that sees only its own classes,
     * Concentus and codec-core (no org.bytedeco at all, as for a user who left out the
     * optional dependency). Asking for FFmpeg must give a clear reason and working Concentus.
     */
    @Test
    void withoutFfmpegOnTheClassPathCodecsRunOnConcentus() throws Exception {
        URL[] urls = {
            location(OpusAudioEncoder.class),
            location(io.github.jaredmdobson.concentus.OpusEncoder.class),
            location(MalformedInputException.class),
        };
        try (URLClassLoader isolated = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> isolated.loadClass("org.bytedeco.javacpp.Loader"))
                    .isInstanceOf(ClassNotFoundException.class);
            Class<?> engineClass = isolated.loadClass(OpusEngine.class.getName());
            Class<?> paramsClass = isolated.loadClass(AudioParameters.class.getName());
            Class<?> encClass = isolated.loadClass(OpusAudioEncoder.class.getName());
            Class<?> decClass = isolated.loadClass(OpusAudioDecoder.class.getName());
            assertThat(encClass).isNotSameAs(OpusAudioEncoder.class);

            String reason = (String) engineClass.getMethod("ffmpegUnavailableReason").invoke(null);
            assertThat(reason).contains("org.bytedeco:ffmpeg").contains("not on the class path");
            assertThat(engineClass.getMethod("ffmpegAvailable").invoke(null)).isEqualTo(false);

            Object params = paramsClass.getMethod("spiceDefault").invoke(null);
            @SuppressWarnings({"unchecked", "rawtypes"})
            Object ffmpeg = Enum.valueOf((Class) engineClass, "FFMPEG");
            Object enc = encClass.getConstructor(paramsClass, engineClass).newInstance(params, ffmpeg);
            Object dec = decClass.getConstructor(paramsClass, engineClass).newInstance(params, ffmpeg);
            assertThat(encClass.getMethod("engine").invoke(enc).toString()).isEqualTo("CONCENTUS");
            assertThat(decClass.getMethod("engine").invoke(dec).toString()).isEqualTo("CONCENTUS");

            WavFile wav = AudioTestSupport.load(AudioTestSupport.SPEECH);
            short[] frame = Arrays.copyOfRange(wav.samples(), 96000, 96960);
            byte[] pkt = (byte[]) encClass.getMethod("encode", short[].class, int.class).invoke(enc, frame, 0);
            short[] out = new short[960];
            int n = (int) decClass.getMethod("decode", byte[].class, short[].class, int.class).invoke(dec, pkt, out, 0);
            assertThat(n).isEqualTo(480);
            // The same packet as this loader's Concentus encoder makes.
            assertThat(pkt).isEqualTo(new OpusAudioEncoder(AudioParameters.spiceDefault(), OpusEngine.CONCENTUS)
                    .encode(frame, 0));
        }
    }

    private static URL location(Class<?> c) {
        return c.getProtectionDomain().getCodeSource().getLocation();
    }
}
