package org.spicecodec.audio;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Test helpers: resources and quality metrics. */
final class AudioTestSupport {
    static final String SPEECH = "speech_klettres_2p5s.wav";
    static final String MUSIC = "music_wesnoth_2p5s.wav";
    static final String SYSTEM_SOUND = "ui_oxygen_login_2p5s.wav";

    private AudioTestSupport() {
    }

    static WavFile load(String name) {
        try (InputStream in = AudioTestSupport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return WavFile.read(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Segmental SNR in dB between {@code ref} and {@code test} delayed by {@code lag} sample
     * frames: mean over 10 ms segments (480 frames, both channels) of per-segment SNR clamped to
     * [-10, 60] dB; segments whose reference is near-silent (RMS < 100, about -50 dBFS) are skipped,
     * as usual for segSNR, since their SNR is meaningless.
     */
    static double segmentalSnr(short[] ref, short[] test, int channels, int lag) {
        int frames = Math.min(ref.length / channels, test.length / channels - lag);
        int seg = 480;
        double sum = 0;
        int count = 0;
        for (int start = 0; start + seg <= frames; start += seg) {
            double sig = 0;
            double err = 0;
            for (int i = start * channels; i < (start + seg) * channels; i++) {
                double r = ref[i];
                double d = r - test[i + lag * channels];
                sig += r * r;
                err += d * d;
            }
            if (sig / (seg * channels) < 100.0 * 100.0) {
                continue;
            }
            double snr = 10 * Math.log10(sig / Math.max(err, 1e-9));
            sum += Math.max(-10, Math.min(60, snr));
            count++;
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /** Lag (in sample frames, 0..maxLag) maximising the cross-correlation of the two signals. */
    static int bestLag(short[] ref, short[] test, int channels, int maxLag) {
        int best = 0;
        double bestCorr = Double.NEGATIVE_INFINITY;
        int frames = Math.min(ref.length / channels, test.length / channels - maxLag);
        for (int lag = 0; lag <= maxLag; lag++) {
            double c = 0;
            for (int i = 0; i < frames * channels; i++) {
                c += (double) ref[i] * test[i + lag * channels];
            }
            if (c > bestCorr) {
                bestCorr = c;
                best = lag;
            }
        }
        return best;
    }

    static double rms(short[] s, int off, int len) {
        double e = 0;
        for (int i = off; i < off + len; i++) {
            e += (double) s[i] * s[i];
        }
        return Math.sqrt(e / Math.max(1, len));
    }
}
