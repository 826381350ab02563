package org.spicecodec.video;

import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.video.VideoCodecType;

/**
 * Finds NAL units and access units in an H.264 or H.265 Annex B byte stream (start codes
 * {@code 00 00 01} or {@code 00 00 00 01}), so that a {@code .h264} file can be fed to a
 * decoder one access unit at a time, as STREAM_DATA messages carry them.
 *
 * <p>An access unit starts at an access unit delimiter, or, in streams without delimiters,
 * at the parameter sets or SEI in front of the first slice of a picture, or at that slice
 * (first_mb_in_slice 0 in H.264, first_slice_segment_in_pic_flag in H.265).
 * Allocation-free; static methods only.
 */
public final class AnnexB {
    private AnnexB() {
    }

    /**
     * The offset of the next start code's first zero at or after {@code from}, or {@code end}
     * if there is none. A 4-byte start code is reported at its first byte.
     */
    public static int nextStartCode(byte[] data, int from, int end) {
        for (int i = from; i + 2 < end; i++) {
            if (data[i + 2] > 1) {
                i += 2; // no start code can cover data[i + 2]
            } else if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
                return i > from && data[i - 1] == 0 ? i - 1 : i;
            }
        }
        return end;
    }

    /** The offset just after the start code at {@code at} (which must be one). */
    public static int payloadStart(byte[] data, int at, int end) {
        int i = at;
        while (i < end && data[i] == 0) {
            i++;
        }
        if (i >= end || data[i] != 1 || i - at < 2) {
            throw new MalformedInputException(at, "no Annex B start code");
        }
        return i + 1;
    }

    /**
     * The end of the access unit that starts at {@code from} (a start code): the offset of
     * the start code that begins the next access unit, or {@code end}.
     *
     * @throws MalformedInputException if {@code from} is not at a start code
     */
    public static int accessUnitEnd(VideoCodecType codec, byte[] data, int from, int end) {
        if (codec != VideoCodecType.H264 && codec != VideoCodecType.H265) {
            throw new IllegalArgumentException("Annex B is for H.264 and H.265, not " + codec);
        }
        boolean h264 = codec == VideoCodecType.H264;
        boolean seenSlice = false;
        int candidate = -1; // where a prefix (AUD, parameter sets, SEI) of the next unit began
        int sc = from;
        while (sc < end) {
            int p = payloadStart(data, sc, end);
            int next = nextStartCode(data, p, end);
            if (p >= end) {
                throw new MalformedInputException(p, "empty NAL unit at the end of the stream");
            }
            int type = h264 ? data[p] & 0x1F : (data[p] >> 1) & 0x3F;
            boolean aud = h264 ? type == 9 : type == 35;
            boolean vcl = h264 ? type == 1 || type == 5 : type < 32;
            boolean prefix = h264 ? type == 6 || type == 7 || type == 8 || type >= 14 && type <= 18
                    : type >= 32 && type <= 34 || type == 39 || type >= 41 && type <= 44 || type >= 48 && type <= 55;
            if (aud) {
                if (sc > from) {
                    return sc;
                }
            } else if (vcl) {
                boolean firstOfPicture = firstSliceOfPicture(h264, data, p, next);
                if (seenSlice && firstOfPicture) {
                    return candidate >= 0 ? candidate : sc;
                }
                seenSlice = true;
                candidate = -1;
            } else if (prefix && seenSlice && candidate < 0) {
                candidate = sc;
            }
            sc = next;
        }
        return end;
    }

    private static boolean firstSliceOfPicture(boolean h264, byte[] data, int p, int end) {
        if (h264) {
            // first_mb_in_slice is ue(v): 0 is the single bit '1'.
            return p + 1 < end && (data[p + 1] & 0x80) != 0;
        }
        // first_slice_segment_in_pic_flag: the first bit after the 2-byte header.
        return p + 2 < end && (data[p + 2] & 0x80) != 0;
    }

    /** Whether the access unit has an IDR slice (H.264 type 5) or an IRAP picture (H.265 types 16–23). */
    public static boolean isKeyFrame(VideoCodecType codec, byte[] data, int from, int end) {
        boolean h264 = codec == VideoCodecType.H264;
        int sc = nextStartCode(data, from, end);
        while (sc < end) {
            int p = payloadStart(data, sc, end);
            if (p >= end) {
                break;
            }
            int type = h264 ? data[p] & 0x1F : (data[p] >> 1) & 0x3F;
            if (h264 ? type == 5 : type >= 16 && type <= 23) {
                return true;
            }
            sc = nextStartCode(data, p, end);
        }
        return false;
    }

    /**
     * Checks the NAL unit structure of {@code data[from, end)} before it reaches a decoder that
     * silently drops bytes that are not NAL units (GStreamer's parsers): it must start with a
     * start code (after optional zero bytes), and every NAL unit header must have
     * forbidden_zero_bit clear, an H.264 type other than 0, and an H.265
     * nuh_temporal_id_plus1 above 0.
     *
     * @param base the stream offset of {@code data[from]}, for the exception
     * @return whether the range holds a slice (a VCL NAL unit)
     * @throws MalformedInputException naming the stream offset of the first defect
     */
    public static boolean checkNalUnits(VideoCodecType codec, byte[] data, int from, int end, long base) {
        if (codec != VideoCodecType.H264 && codec != VideoCodecType.H265) {
            throw new IllegalArgumentException("Annex B is for H.264 and H.265, not " + codec);
        }
        boolean h264 = codec == VideoCodecType.H264;
        int i = from;
        while (i < end && data[i] == 0) {
            i++;
        }
        if (i - from < 2 || i >= end || data[i] != 1) {
            throw new MalformedInputException(base + (i - from), "not an Annex B access unit: it must start with"
                    + " a 00 00 01 start code");
        }
        boolean vcl = false;
        int sc = from;
        while (sc < end) {
            int p = payloadStart(data, sc, end); // sc is a start code: the first one was checked above
            int headerBytes = h264 ? 1 : 2;
            if (p + headerBytes > end) {
                throw new MalformedInputException(base + (p - from), "start code without a NAL unit header");
            }
            if ((data[p] & 0x80) != 0) {
                throw new MalformedInputException(base + (p - from), "NAL unit with forbidden_zero_bit set");
            }
            if (h264) {
                int type = data[p] & 0x1F;
                if (type == 0) {
                    throw new MalformedInputException(base + (p - from), "H.264 NAL unit of unspecified type 0");
                }
                vcl |= type >= 1 && type <= 5;
            } else {
                if ((data[p + 1] & 0x07) == 0) {
                    throw new MalformedInputException(base + (p + 1 - from), "H.265 NAL unit with nuh_temporal_id_plus1 = 0");
                }
                vcl |= ((data[p] >> 1) & 0x3F) <= 31;
            }
            sc = nextStartCode(data, p + headerBytes, end);
        }
        return vcl;
    }
}
