package org.spicecodec.audio;

import java.io.IOException;
import java.io.OutputStream;
import org.spicecodec.core.MalformedInputException;

/** Minimal RIFF/WAVE reader and writer for 16-bit little-endian PCM. */
public record WavFile(int sampleRate, int channels, short[] samples) {

    /** Sample frames (samples per channel). */
    public int frames() {
        return samples.length / channels;
    }

    /** Reads PCM16 WAV (format 1, or WAVE_FORMAT_EXTENSIBLE with 16-bit samples); skips other chunks. */
    public static WavFile read(byte[] b) {
        if (b.length < 12 || !tag(b, 0, "RIFF") || !tag(b, 8, "WAVE")) {
            throw new MalformedInputException(0, "not a RIFF/WAVE file");
        }
        int pos = 12;
        int channels = 0;
        int rate = 0;
        boolean fmt = false;
        while (pos + 8 <= b.length) {
            long size = SpiceAudioMessages.getU32(b, pos + 4);
            int body = pos + 8;
            if (tag(b, pos, "fmt ")) {
                if (size < 16 || size > b.length - body) {
                    throw new MalformedInputException(pos + 4, "bad fmt chunk size " + size);
                }
                int format = SpiceAudioMessages.getU16(b, body);
                channels = SpiceAudioMessages.getU16(b, body + 2);
                rate = (int) SpiceAudioMessages.getU32(b, body + 4);
                int bits = SpiceAudioMessages.getU16(b, body + 14);
                if ((format != 1 && format != 0xFFFE) || bits != 16) {
                    throw new MalformedInputException(body, "only 16-bit PCM WAV is supported (format " + format + ", " + bits + " bits)");
                }
                if (channels < 1 || rate <= 0) {
                    throw new MalformedInputException(body + 2, "bad channel count or rate");
                }
                fmt = true;
            } else if (tag(b, pos, "data")) {
                if (!fmt) {
                    throw new MalformedInputException(pos, "data chunk before fmt chunk");
                }
                // Tolerate a data size larger than the file (streamed WAVs): take what is there.
                int len = (int) Math.min(size, b.length - body);
                int n = len / 2 / channels * channels;
                short[] s = new short[n];
                for (int i = 0; i < n; i++) {
                    s[i] = (short) ((b[body + 2 * i] & 0xFF) | (b[body + 2 * i + 1] << 8));
                }
                return new WavFile(rate, channels, s);
            }
            pos = (int) Math.min((long) body + size + (size & 1), b.length);
        }
        throw new MalformedInputException(b.length, "no data chunk");
    }

    public byte[] toBytes() {
        int dataLen = samples.length * 2;
        byte[] b = new byte[44 + dataLen];
        put(b, 0, "RIFF");
        SpiceAudioMessages.putU32(b, 4, 36L + dataLen);
        put(b, 8, "WAVE");
        put(b, 12, "fmt ");
        SpiceAudioMessages.putU32(b, 16, 16);
        SpiceAudioMessages.putU16(b, 20, 1);
        SpiceAudioMessages.putU16(b, 22, channels);
        SpiceAudioMessages.putU32(b, 24, sampleRate);
        SpiceAudioMessages.putU32(b, 28, (long) sampleRate * channels * 2);
        SpiceAudioMessages.putU16(b, 32, channels * 2);
        SpiceAudioMessages.putU16(b, 34, 16);
        put(b, 36, "data");
        SpiceAudioMessages.putU32(b, 40, dataLen);
        for (int i = 0; i < samples.length; i++) {
            b[44 + 2 * i] = (byte) samples[i];
            b[45 + 2 * i] = (byte) (samples[i] >> 8);
        }
        return b;
    }

    public void write(OutputStream out) throws IOException {
        out.write(toBytes());
    }

    private static boolean tag(byte[] b, int o, String t) {
        for (int i = 0; i < 4; i++) {
            if (b[o + i] != t.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static void put(byte[] b, int o, String t) {
        for (int i = 0; i < 4; i++) {
            b[o + i] = (byte) t.charAt(i);
        }
    }
}
