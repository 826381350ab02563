package org.spicecodec.audio;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.spicecodec.core.MalformedInputException;

/**
 * Reads a single-stream Ogg Opus file (RFC 7845) held in memory: verifies every page's
 * capture pattern, version and CRC, reassembles packets across pages, and parses OpusHead
 * and OpusTags.
 */
public final class OggOpusReader {
    private OggOpusReader() {
    }

    /** One Ogg page's header fields. */
    public record Page(long offset, int flags, long granulePosition, int serial, long sequence, int segments, int bodyLength) {
    }

    /** The parsed file; {@code audioPacketOffsets} are the file offsets of the audio packets' first bytes. */
    public record OggOpusFile(int version, int channels, int preSkip, long inputSampleRate, int outputGain,
            int mappingFamily, String vendor, List<String> comments, List<byte[]> audioPackets,
            List<Long> audioPacketOffsets, List<Page> pages) {
        /** Final granule position (of the last page). */
        public long finalGranule() {
            return pages.get(pages.size() - 1).granulePosition();
        }

        /** Playable length in 48 kHz samples: final granule minus pre-skip. */
        public long samples48k() {
            return finalGranule() - preSkip;
        }
    }

    public static OggOpusFile read(byte[] file) {
        List<Page> pages = new ArrayList<>();
        List<byte[]> packets = new ArrayList<>();
        List<Long> packetOffsets = new ArrayList<>();
        ByteArrayOutputStream partial = new ByteArrayOutputStream();
        long partialStart = -1;
        int pos = 0;
        Integer serial = null;
        long expectSeq = 0;
        while (pos < file.length) {
            if (file.length - pos < 27) {
                throw new MalformedInputException(pos, "truncated Ogg page header");
            }
            if (file[pos] != 'O' || file[pos + 1] != 'g' || file[pos + 2] != 'g' || file[pos + 3] != 'S') {
                throw new MalformedInputException(pos, "missing Ogg capture pattern");
            }
            if (file[pos + 4] != 0) {
                throw new MalformedInputException(pos + 4, "unsupported Ogg version " + file[pos + 4]);
            }
            int flags = file[pos + 5] & 0xFF;
            long granule = 0;
            for (int i = 7; i >= 0; i--) {
                granule = (granule << 8) | (file[pos + 6 + i] & 0xFF);
            }
            int pageSerial = (int) SpiceAudioMessages.getU32(file, pos + 14);
            long seq = SpiceAudioMessages.getU32(file, pos + 18);
            long storedCrc = SpiceAudioMessages.getU32(file, pos + 22);
            int nseg = file[pos + 26] & 0xFF;
            if (file.length - pos < 27 + nseg) {
                throw new MalformedInputException(pos + 27, "truncated Ogg lacing table");
            }
            int body = 0;
            for (int i = 0; i < nseg; i++) {
                body += file[pos + 27 + i] & 0xFF;
            }
            int pageLen = 27 + nseg + body;
            if (file.length - pos < pageLen) {
                throw new MalformedInputException(pos + 27 + nseg, "truncated Ogg page body");
            }
            byte[] copy = java.util.Arrays.copyOfRange(file, pos, pos + pageLen);
            copy[22] = copy[23] = copy[24] = copy[25] = 0;
            long crc = OggCrc.compute(copy, 0, pageLen) & 0xFFFF_FFFFL;
            if (crc != storedCrc) {
                throw new MalformedInputException(pos + 22, String.format("Ogg page CRC mismatch: stored %08x, computed %08x", storedCrc, crc));
            }
            if (serial == null) {
                if ((flags & 0x02) == 0) {
                    throw new MalformedInputException(pos + 5, "first page lacks the beginning-of-stream flag");
                }
                serial = pageSerial;
            } else if (serial != pageSerial) {
                throw new MalformedInputException(pos + 14, "multiplexed Ogg streams are not supported");
            }
            if (seq != expectSeq) {
                throw new MalformedInputException(pos + 18, "Ogg page sequence " + seq + ", expected " + expectSeq + " (lost page)");
            }
            expectSeq++;
            boolean continued = (flags & 0x01) != 0;
            if (continued != (partial.size() > 0 || partialStart >= 0)) {
                throw new MalformedInputException(pos + 5, "Ogg continuation flag does not match the previous page");
            }
            pages.add(new Page(pos, flags, granule, pageSerial, seq, nseg, body));
            int data = pos + 27 + nseg;
            for (int i = 0; i < nseg; i++) {
                int l = file[pos + 27 + i] & 0xFF;
                if (partialStart < 0) {
                    partialStart = data;
                }
                partial.write(file, data, l);
                data += l;
                if (l < 255) {
                    packets.add(partial.toByteArray());
                    packetOffsets.add(partialStart);
                    partial.reset();
                    partialStart = -1;
                }
            }
            pos += pageLen;
            if ((flags & 0x04) != 0 && pos != file.length) {
                throw new MalformedInputException(pos, "data after the end-of-stream page");
            }
        }
        if (pages.isEmpty()) {
            throw new MalformedInputException(0, "empty Ogg file");
        }
        if (partialStart >= 0) {
            throw new MalformedInputException(file.length, "last Ogg packet is unterminated");
        }
        if (packets.size() < 2) {
            throw new MalformedInputException(file.length, "missing OpusHead/OpusTags packets");
        }
        byte[] head = packets.get(0);
        long ho = packetOffsets.get(0);
        if (head.length < 19 || !new String(head, 0, 8, StandardCharsets.ISO_8859_1).equals("OpusHead")) {
            throw new MalformedInputException(ho, "first packet is not OpusHead");
        }
        int version = head[8] & 0xFF;
        if ((version & 0xF0) != 0) {
            throw new MalformedInputException(ho + 8, "unsupported OpusHead major version " + version);
        }
        int channels = head[9] & 0xFF;
        int family = head[18] & 0xFF;
        if (channels == 0 || (family == 0 && channels > 2)) {
            throw new MalformedInputException(ho + 9, "invalid channel count " + channels + " for mapping family " + family);
        }
        int preSkip = SpiceAudioMessages.getU16(head, 10);
        long rate = SpiceAudioMessages.getU32(head, 12);
        int gain = (short) SpiceAudioMessages.getU16(head, 16);

        byte[] tags = packets.get(1);
        long to = packetOffsets.get(1);
        if (tags.length < 16 || !new String(tags, 0, 8, StandardCharsets.ISO_8859_1).equals("OpusTags")) {
            throw new MalformedInputException(to, "second packet is not OpusTags");
        }
        int p = 8;
        long vlen = SpiceAudioMessages.getU32(tags, p);
        if (vlen > tags.length - 12) {
            throw new MalformedInputException(to + p, "OpusTags vendor length out of range");
        }
        String vendor = new String(tags, 12, (int) vlen, StandardCharsets.UTF_8);
        p = 12 + (int) vlen;
        if (tags.length - p < 4) {
            throw new MalformedInputException(to + p, "OpusTags truncated before the comment count");
        }
        long count = SpiceAudioMessages.getU32(tags, p);
        p += 4;
        List<String> comments = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            if (tags.length - p < 4) {
                throw new MalformedInputException(to + p, "OpusTags truncated in comment " + i);
            }
            long clen = SpiceAudioMessages.getU32(tags, p);
            p += 4;
            if (clen > tags.length - p) {
                throw new MalformedInputException(to + p, "OpusTags comment length out of range");
            }
            comments.add(new String(tags, p, (int) clen, StandardCharsets.UTF_8));
            p += (int) clen;
        }
        return new OggOpusFile(version, channels, preSkip, rate, gain, family, vendor, List.copyOf(comments),
                List.copyOf(packets.subList(2, packets.size())), List.copyOf(packetOffsets.subList(2, packetOffsets.size())),
                List.copyOf(pages));
    }
}
