package org.spicecodec.video.gstreamer;

import org.spicecodec.core.MalformedInputException;

/**
 * A cheap structural check of an Annex B access unit before it reaches GStreamer: parsers
 * silently drop bytes that are not NAL units, so garbage would otherwise only show as a
 * missing picture after a timeout.
 */
final class AnnexB {
    private AnnexB() {
    }

    /**
     * Checks that the payload starts with a start code (after optional zero bytes), that every
     * NAL unit has a header with forbidden_zero_bit clear (and, for H.265, a non-zero
     * nuh_temporal_id_plus1), and reports whether any NAL unit carries picture data.
     *
     * @param base offset of {@code data[offset]} in the stream, for the exception
     * @return whether the payload holds a VCL NAL unit (a slice)
     * @throws MalformedInputException naming the offset of the first defect
     */
    static boolean check(byte[] data, int offset, int length, boolean hevc, long base) {
        int end = offset + length;
        int i = offset;
        while (i < end && data[i] == 0) {
            i++;
        }
        if (i - offset < 2 || i >= end || data[i] != 1) {
            throw new MalformedInputException(base + (i - offset), "not an Annex B access unit: it must start with"
                    + " a 00 00 01 start code");
        }
        boolean vcl = false;
        int nals = 0;
        while (i < end) {
            // i is at the 01 of a start code; the NAL header follows.
            int header = i + 1;
            int headerBytes = hevc ? 2 : 1;
            if (header + headerBytes > end) {
                throw new MalformedInputException(base + (header - offset), "start code without a NAL unit header");
            }
            int b0 = data[header] & 0xff;
            if ((b0 & 0x80) != 0) {
                throw new MalformedInputException(base + (header - offset), "NAL unit with forbidden_zero_bit set");
            }
            int type;
            if (hevc) {
                type = b0 >> 1;
                if ((data[header + 1] & 0x07) == 0) {
                    throw new MalformedInputException(base + (header + 1 - offset),
                            "H.265 NAL unit with nuh_temporal_id_plus1 = 0");
                }
                vcl |= type <= 31;
            } else {
                type = b0 & 0x1f;
                if (type == 0) {
                    throw new MalformedInputException(base + (header - offset), "H.264 NAL unit of unspecified type 0");
                }
                vcl |= type >= 1 && type <= 5;
            }
            nals++;
            // Find the next start code (00 00 01).
            int j = header + headerBytes;
            int next = end;
            while (j + 2 < end) {
                if ((data[j + 2] & 0xff) > 1) {
                    j += 3;
                } else if (data[j] == 0 && data[j + 1] == 0 && data[j + 2] == 1) {
                    next = j + 2;
                    break;
                } else {
                    j++;
                }
            }
            i = next;
        }
        if (nals == 0) {
            throw new MalformedInputException(base, "no NAL unit");
        }
        return vcl;
    }
}
