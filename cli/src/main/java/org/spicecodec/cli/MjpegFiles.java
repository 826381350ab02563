package org.spicecodec.cli;

import org.spicecodec.core.MalformedInputException;

/** A raw MJPEG stream: JPEG files back to back (what {@code ffmpeg -f mjpeg} reads and writes). */
final class MjpegFiles {
    private MjpegFiles() {
    }

    /**
     * The end of the JPEG that starts at {@code at}: just after its EOI marker. Walks the
     * marker segments up to SOS, then scans the entropy-coded data for a marker other than
     * RSTn and stuffed zeros.
     */
    static int frameEnd(byte[] d, int at) {
        if (at + 2 > d.length || (d[at] & 0xFF) != 0xFF || (d[at + 1] & 0xFF) != 0xD8) {
            throw new MalformedInputException(at, "no JPEG SOI marker");
        }
        int p = at + 2;
        while (true) {
            if (p + 4 > d.length) {
                throw new MalformedInputException(p, "JPEG cut short before its scan");
            }
            if ((d[p] & 0xFF) != 0xFF) {
                throw new MalformedInputException(p, "expected a JPEG marker");
            }
            int marker = d[p + 1] & 0xFF;
            int len = (d[p + 2] & 0xFF) << 8 | d[p + 3] & 0xFF;
            if (len < 2) {
                throw new MalformedInputException(p + 2, "JPEG segment length " + len);
            }
            p += 2 + len;
            if (marker == 0xDA) {
                break;
            }
        }
        for (; p + 1 < d.length; p++) {
            if ((d[p] & 0xFF) == 0xFF) {
                int m = d[p + 1] & 0xFF;
                if (m == 0xD9) {
                    return p + 2;
                }
                if (m != 0 && (m < 0xD0 || m > 0xD7) && m != 0xFF) {
                    throw new MalformedInputException(p, "unexpected JPEG marker 0x" + Integer.toHexString(m)
                            + " in the scan");
                }
            }
        }
        throw new MalformedInputException(d.length, "JPEG has no EOI marker");
    }

    /** {width, height} from the first frame's SOF0/SOF1/SOF2 segment. */
    static int[] firstFrameSize(byte[] d) {
        if (d.length < 4 || (d[0] & 0xFF) != 0xFF || (d[1] & 0xFF) != 0xD8) {
            throw new MalformedInputException(0, "not an MJPEG stream (no JPEG SOI marker)");
        }
        int p = 2;
        while (p + 9 <= d.length && (d[p] & 0xFF) == 0xFF) {
            int marker = d[p + 1] & 0xFF;
            int len = (d[p + 2] & 0xFF) << 8 | d[p + 3] & 0xFF;
            if (marker >= 0xC0 && marker <= 0xC2) {
                int h = (d[p + 5] & 0xFF) << 8 | d[p + 6] & 0xFF;
                int w = (d[p + 7] & 0xFF) << 8 | d[p + 8] & 0xFF;
                if (w < 1 || h < 1) {
                    throw new MalformedInputException(p + 5, "JPEG frame size " + w + "x" + h);
                }
                return new int[] {w, h};
            }
            if (marker == 0xDA || len < 2) {
                break;
            }
            p += 2 + len;
        }
        throw new MalformedInputException(p, "no JPEG frame header before the scan");
    }
}
