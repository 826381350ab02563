package org.spicecodec.audio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.spicecodec.core.MalformedInputException;

/** Whole-buffer conveniences: PCM → Ogg Opus bytes and back, with SPICE's packetisation. */
public final class OggOpus {
    /** Vendor string of files encoded on {@link OpusEngine#CONCENTUS}. */
    public static final String VENDOR = "spicecodec (Concentus)";
    /** Vendor string of files encoded on {@link OpusEngine#FFMPEG}. */
    public static final String VENDOR_FFMPEG = "spicecodec (libopus via FFmpeg)";

    private OggOpus() {
    }

    /** Encodes interleaved PCM (zero-padding the last frame) into an Ogg Opus file. */
    public static byte[] encode(short[] pcm, AudioParameters params, int serial) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        int spf = params.samplesPerFrame();
        short[] frame = new short[spf];
        byte[] packet = new byte[params.maxPacketBytes()];
        try (OpusAudioEncoder enc = new OpusAudioEncoder(params);
                OggOpusWriter w = new OggOpusWriter(bos, params.channels(), params.sampleRate(), enc.preSkip48k(), serial,
                        enc.engine() == OpusEngine.CONCENTUS ? VENDOR : VENDOR_FFMPEG)) {
            // Encode lookahead's worth of extra zeros too, otherwise the encoder keeps the
            // input's last samples in its delay line and they never reach a packet.
            long needed = pcm.length + (long) enc.lookahead() * params.channels();
            for (int off = 0; off < needed; off += spf) {
                int n = Math.max(0, Math.min(spf, pcm.length - off));
                java.util.Arrays.fill(frame, (short) 0);
                System.arraycopy(pcm, Math.min(off, pcm.length), frame, 0, n);
                int len = enc.encode(frame, 0, packet, 0);
                w.writePacket(packet, 0, len, params.frameSize48k());
            }
            w.setTotalSamples48k((long) (pcm.length / params.channels()) * 48000 / params.sampleRate());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    /**
     * Decodes an Ogg Opus file at 48 kHz with the channel count of its header, dropping the
     * pre-skip and trimming to the final granule position. Packets may be up to 60 ms
     * (the longest single Opus frame) and 1275 bytes.
     */
    public static short[] decode(byte[] file) {
        OggOpusReader.OggOpusFile f = OggOpusReader.read(file);
        if (f.channels() > 2) {
            // RFC 7845 allows up to 255 channels (mapping families 1 and 255, several streams);
            // this single-stream decoder serves mono and stereo only. Found by fuzzing review:
            // such a header used to escape as IllegalArgumentException from AudioParameters.
            OggOpusReader.Page first = f.pages().get(0);
            throw new MalformedInputException(first.offset() + 27 + first.segments() + 9, "OpusHead declares "
                    + f.channels() + " channels (mapping family " + f.mappingFamily() + "); only mono and stereo are supported");
        }
        AudioParameters p = AudioParameters.builder().channels(f.channels()).frameSize(2880).maxPacketBytes(1275).build();
        short[] all = new short[0];
        int frames = 0;
        short[] buf = new short[p.samplesPerFrame()];
        try (OpusAudioDecoder dec = new OpusAudioDecoder(p)) {
            for (int i = 0; i < f.audioPackets().size(); i++) {
                byte[] pkt = f.audioPackets().get(i);
                int n;
                try {
                    n = dec.decode(pkt, 0, pkt.length, buf, 0);
                } catch (MalformedInputException e) {
                    // The decoder's offset is within the packet; report the packet's place in the file.
                    MalformedInputException m = new MalformedInputException(f.audioPacketOffsets().get(i), "audio packet " + i
                            + ", byte " + e.offset() + " of the packet: " + e.reason());
                    m.initCause(e);
                    throw m;
                }
                if ((frames + n) * f.channels() > all.length) {
                    all = java.util.Arrays.copyOf(all, Math.max(2 * all.length, (frames + n) * f.channels()));
                }
                System.arraycopy(buf, 0, all, frames * f.channels(), n * f.channels());
                frames += n;
            }
        }
        if (frames <= f.preSkip()) {
            return new short[0];
        }
        long keep = Math.max(0, Math.min(frames - f.preSkip(), f.samples48k()));
        return java.util.Arrays.copyOfRange(all, f.preSkip() * f.channels(), (int) ((f.preSkip() + keep) * f.channels()));
    }
}
