package org.spicecodec.audio;

import org.spicecodec.core.MalformedInputException;

/** Opus packet structure checks (RFC 6716 §3.1–3.4), done before the packet reaches Concentus. */
public final class OpusPackets {
    private OpusPackets() {
    }

    /** Frame sizes at 48 kHz of the SILK-only (10, 20, 40, 60 ms) and CELT-only (2.5 to 20 ms) configurations. */
    private static final int[] SILK_FRAME_SAMPLES = {480, 960, 1920, 2880};
    private static final int[] CELT_FRAME_SAMPLES = {120, 240, 480, 960};
    /** Largest Opus frame (RFC 6716 §3.4, R2). */
    private static final int MAX_FRAME_BYTES = 1275;

    /** Samples per frame at 48 kHz for a TOC byte's configuration (RFC 6716 table 2). */
    public static int frameSamples48k(int toc) {
        int config = (toc >> 3) & 0x1F;
        if (config < 12) {
            return SILK_FRAME_SAMPLES[config & 3];
        } else if (config < 16) {
            return (config & 1) == 0 ? 480 : 960;
        } else {
            return CELT_FRAME_SAMPLES[config & 3];
        }
    }

    /**
     * Validates framing and returns the packet's duration in samples per channel at
     * {@code sampleRate}.
     */
    public static int validate(byte[] p, int off, int len, int maxBytes, int sampleRate) {
        if (len < 1) {
            throw new MalformedInputException(0, "empty Opus packet (a lost packet is signalled with null)");
        }
        if (len > maxBytes) {
            throw new MalformedInputException(maxBytes, "Opus packet of " + len + " bytes exceeds the limit of " + maxBytes);
        }
        int toc = p[off] & 0xFF;
        int code = toc & 3;
        int frames;
        int pos = 1;
        switch (code) {
            case 0 -> frames = 1;
            case 1 -> {
                frames = 2;
                if (((len - 1) & 1) != 0) {
                    throw new MalformedInputException(0, "code 1 packet with odd payload length " + (len - 1));
                }
            }
            case 2 -> {
                frames = 2;
                if (len < 2) {
                    throw new MalformedInputException(1, "code 2 packet truncated before the frame length");
                }
                int b = p[off + 1] & 0xFF;
                int l1;
                if (b < 252) {
                    l1 = b;
                    pos = 2;
                } else {
                    if (len < 3) {
                        throw new MalformedInputException(2, "code 2 packet truncated in the frame length");
                    }
                    l1 = b + 4 * (p[off + 2] & 0xFF);
                    pos = 3;
                }
                if (l1 > len - pos) {
                    throw new MalformedInputException(1, "code 2 first frame length " + l1 + " exceeds the packet");
                }
            }
            default -> {
                if (len < 2) {
                    throw new MalformedInputException(1, "code 3 packet truncated before the frame count byte");
                }
                int fc = p[off + 1] & 0xFF;
                frames = fc & 0x3F;
                if (frames == 0) {
                    throw new MalformedInputException(1, "code 3 packet with zero frames");
                }
                code3Lengths(p, off, len, fc, frames);
            }
        }
        int per48k = frameSamples48k(toc);
        if ((long) frames * per48k > 5760) {
            throw new MalformedInputException(1, "packet duration exceeds 120 ms");
        }
        return (int) ((long) frames * per48k * sampleRate / 48000);
    }

    /**
     * Checks a code 3 packet's padding and frame lengths (RFC 6716 §3.2.5, requirements R6 and
     * R7): the padding fits, CBR frames split the rest evenly, VBR lengths fit the packet, and
     * no frame exceeds 1275 bytes. Offsets are those of the byte at fault.
     */
    private static void code3Lengths(byte[] p, int off, int len, int fc, int frames) {
        int pos = 2;
        int padding = 0;
        if ((fc & 0x40) != 0) {
            int b;
            do {
                if (pos >= len) {
                    throw new MalformedInputException(pos, "code 3 packet truncated in its padding length");
                }
                b = p[off + pos++] & 0xFF;
                padding += b == 255 ? 254 : b;
            } while (b == 255);
            if (padding > len - pos) {
                throw new MalformedInputException(2, "code 3 padding of " + padding + " bytes exceeds the packet");
            }
        }
        int end = len - padding;
        if ((fc & 0x80) == 0) {
            int rest = end - pos;
            if (rest % frames != 0) {
                throw new MalformedInputException(1, "code 3 CBR payload of " + rest + " bytes is not a multiple of "
                        + frames + " frames");
            }
            if (rest / frames > MAX_FRAME_BYTES) {
                throw new MalformedInputException(pos, "code 3 CBR frame of " + rest / frames + " bytes exceeds 1275");
            }
            return;
        }
        long sum = 0;
        for (int i = 0; i < frames - 1; i++) {
            int at = pos;
            if (pos >= end) {
                throw new MalformedInputException(pos, "code 3 packet truncated in the length of frame " + i);
            }
            int l = p[off + pos++] & 0xFF;
            if (l >= 252) {
                if (pos >= end) {
                    throw new MalformedInputException(pos, "code 3 packet truncated in the length of frame " + i);
                }
                l += 4 * (p[off + pos++] & 0xFF);
            }
            sum += l;
            if (sum > end - pos) {
                throw new MalformedInputException(at, "code 3 frame " + i + " length " + l + " exceeds the packet");
            }
        }
        if (end - pos - sum > MAX_FRAME_BYTES) {
            throw new MalformedInputException(pos, "code 3 last frame of " + (end - pos - sum) + " bytes exceeds 1275");
        }
    }
}
