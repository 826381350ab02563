package org.spicecodec.audio;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes an Ogg Opus file (RFC 7845, mapping family 0): an OpusHead page, an OpusTags page,
 * then audio pages. Granule positions count all decoded 48 kHz samples (the pre-skip is part
 * of them, not an offset added on top); the last
 * page carries the end-of-stream flag and a granule position trimmed to the real length of
 * the input (so the zero padding of the final frame is not played).
 */
public final class OggOpusWriter implements Closeable {
    /** Packets per page: ~0.5 s of 10 ms packets keeps seeking granularity reasonable. */
    private static final int MAX_PACKETS_PER_PAGE = 50;

    private final OutputStream out;
    private final int serial;
    private final int preSkip;
    private int sequence;
    private long granule;
    private final List<byte[]> pending = new ArrayList<>();
    private int pendingSegments;
    private boolean closed;
    private long endGranule = -1;

    /**
     * @param inputSampleRate original rate for the header (informational)
     * @param preSkip48k samples to discard at 48 kHz, normally {@link OpusAudioEncoder#preSkip48k()}
     * @param vendor OpusTags vendor string
     */
    public OggOpusWriter(OutputStream out, int channels, int inputSampleRate, int preSkip48k, int serial, String vendor)
            throws IOException {
        this.out = Objects.requireNonNull(out, "out");
        if (channels < 1 || channels > 2) {
            throw new IllegalArgumentException("mapping family 0 supports 1 or 2 channels");
        }
        if (preSkip48k < 0 || preSkip48k > 0xFFFF) {
            throw new IllegalArgumentException("preSkip is a uint16");
        }
        this.serial = serial;
        this.preSkip = preSkip48k;
        // RFC 7845 §4: a page's granule position counts every decoded sample, the pre-skip
        // included, so it starts at 0 (not at preSkip); playback time = granule - preSkip.
        this.granule = 0;

        byte[] head = new byte[19];
        System.arraycopy("OpusHead".getBytes(StandardCharsets.US_ASCII), 0, head, 0, 8);
        head[8] = 1; // version
        head[9] = (byte) channels;
        head[10] = (byte) preSkip48k;
        head[11] = (byte) (preSkip48k >> 8);
        SpiceAudioMessages.putU32(head, 12, inputSampleRate);
        // output gain 0 (bytes 16-17) and mapping family 0 (byte 18) are already zero.
        writePage(List.of(head), 0, 0x02); // beginning of stream

        byte[] v = vendor.getBytes(StandardCharsets.UTF_8);
        byte[] tags = new byte[8 + 4 + v.length + 4];
        System.arraycopy("OpusTags".getBytes(StandardCharsets.US_ASCII), 0, tags, 0, 8);
        SpiceAudioMessages.putU32(tags, 8, v.length);
        System.arraycopy(v, 0, tags, 12, v.length);
        // user comment list length 0
        writePage(List.of(tags), 0, 0);
    }

    /**
     * Adds one Opus packet of {@code samples48k} samples (480 for SPICE's 10 ms frames).
     * Packets are buffered so the final one can go on an end-of-stream page.
     */
    public void writePacket(byte[] p, int off, int len, int samples48k) throws IOException {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (len > 255 * 254) {
            throw new IllegalArgumentException("packet too large for this writer");
        }
        int segs = len / 255 + 1;
        if (!pending.isEmpty() && (pendingSegments + segs > 255 || pending.size() >= MAX_PACKETS_PER_PAGE)) {
            writePage(pending, granule, 0);
            pending.clear();
            pendingSegments = 0;
        }
        pending.add(java.util.Arrays.copyOfRange(p, off, off + len));
        pendingSegments += segs;
        granule += samples48k;
    }

    /**
     * Sets the number of real (unpadded) samples per channel at 48 kHz; the final granule
     * position becomes {@code preSkip + samples} when smaller than the packets' total.
     */
    public void setTotalSamples48k(long samples) {
        endGranule = preSkip + samples;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        long g = endGranule >= 0 && endGranule < granule ? endGranule : granule;
        writePage(pending, g, 0x04); // end of stream (possibly an empty page)
        pending.clear();
        out.flush();
    }

    private void writePage(List<byte[]> packets, long granulePos, int flags) throws IOException {
        ByteArrayOutputStream lacing = new ByteArrayOutputStream();
        int bodyLen = 0;
        for (byte[] p : packets) {
            int n = p.length;
            while (n >= 255) {
                lacing.write(255);
                n -= 255;
            }
            lacing.write(n); // a final value < 255 ends the packet (0 if it was a multiple of 255)
            bodyLen += p.length;
        }
        byte[] lace = lacing.toByteArray();
        byte[] page = new byte[27 + lace.length + bodyLen];
        page[0] = 'O';
        page[1] = 'g';
        page[2] = 'g';
        page[3] = 'S';
        page[4] = 0;
        page[5] = (byte) flags;
        for (int i = 0; i < 8; i++) {
            page[6 + i] = (byte) (granulePos >>> (8 * i));
        }
        SpiceAudioMessages.putU32(page, 14, serial & 0xFFFF_FFFFL);
        SpiceAudioMessages.putU32(page, 18, sequence++ & 0xFFFF_FFFFL);
        page[26] = (byte) lace.length;
        System.arraycopy(lace, 0, page, 27, lace.length);
        int pos = 27 + lace.length;
        for (byte[] p : packets) {
            System.arraycopy(p, 0, page, pos, p.length);
            pos += p.length;
        }
        int crc = OggCrc.compute(page, 0, page.length);
        SpiceAudioMessages.putU32(page, 22, crc & 0xFFFF_FFFFL);
        out.write(page);
    }
}
