package org.spicecodec.jpeg;

import org.spicecodec.core.ImageLimits;
import org.spicecodec.core.MalformedInputException;

/**
 * Walks the marker segments of a JPEG file up to its frame header (SOF) and reads the image
 * size, so a decoder can check it against {@link ImageLimits} and the destination before
 * ImageIO allocates anything. Offsets in exceptions are relative to the file's first byte.
 */
final class JpegHeader {
    int width;
    int height;
    int components;
    /** The SOF marker's second byte: 0xC0 baseline or 0xC1 extended sequential. */
    int sofMarker;
    /** Offset of the SOF marker from the file's first byte. */
    int sofOffset;

    void parse(byte[] in, int offset, int length, ImageLimits limits) {
        if (length < 4) {
            throw new MalformedInputException(length, "truncated JPEG: " + length + " bytes");
        }
        if ((in[offset] & 0xFF) != 0xFF || (in[offset + 1] & 0xFF) != 0xD8) {
            throw new MalformedInputException(0, "no JPEG SOI marker");
        }
        int p = 2;
        while (true) {
            if (p + 4 > length) {
                throw new MalformedInputException(p, "JPEG ends before its frame header");
            }
            if ((in[offset + p] & 0xFF) != 0xFF) {
                throw new MalformedInputException(p, "expected a JPEG marker");
            }
            int m = in[offset + p + 1] & 0xFF;
            if (m == 0xFF) {
                p++; // fill byte
                continue;
            }
            if (m == 0xD8 || m == 0xD9 || m == 0xDA || (m >= 0xD0 && m <= 0xD7) || m == 0x01 || m == 0x00) {
                throw new MalformedInputException(p, String.format("marker 0xFF%02X before the frame header", m));
            }
            int segLen = (in[offset + p + 2] & 0xFF) << 8 | (in[offset + p + 3] & 0xFF);
            if (segLen < 2 || p + 2L + segLen > length) {
                throw new MalformedInputException(p + 2, "JPEG segment length " + segLen + " is invalid");
            }
            if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
                // Sequential Huffman only: SPICE servers write baseline, and progressive files
                // would let a small input make libjpeg buffer the whole image's coefficients.
                if (m > 0xC1) {
                    throw new MalformedInputException(p, String.format(
                            "unsupported JPEG process (SOF marker 0xFF%02X)", m));
                }
                readFrame(in, offset, p, segLen, m, limits);
                return;
            }
            p += 2 + segLen;
        }
    }

    private void readFrame(byte[] in, int offset, int p, int segLen, int m, ImageLimits limits) {
        if (segLen < 8) {
            throw new MalformedInputException(p + 2, "JPEG frame header too short");
        }
        int q = offset + p + 4;
        int precision = in[q] & 0xFF;
        if (precision != 8) {
            throw new MalformedInputException(p + 4, "JPEG sample precision " + precision + ", only 8 is supported");
        }
        int h = (in[q + 1] & 0xFF) << 8 | (in[q + 2] & 0xFF);
        int w = (in[q + 3] & 0xFF) << 8 | (in[q + 4] & 0xFF);
        int nc = in[q + 5] & 0xFF;
        if (h == 0) {
            // DNL-defined heights: libjpeg rejects them, and so do we.
            throw new MalformedInputException(p + 5, "JPEG height 0 (DNL) is not supported");
        }
        limits.check(w, h, p + 7, p + 5);
        if (nc != 1 && nc != 3) {
            throw new MalformedInputException(p + 9, "JPEG with " + nc + " components; only gray and colour are supported");
        }
        if (segLen != 8 + 3 * nc) {
            throw new MalformedInputException(p + 2, "JPEG frame header length " + segLen + " does not match "
                    + nc + " components");
        }
        this.width = w;
        this.height = h;
        this.components = nc;
        this.sofMarker = m;
        this.sofOffset = p;
    }

    /**
     * Rejects a file too short for its frame size before ImageIO allocates the picture: in a
     * sequential scan every 8×8 block of every component costs at least two Huffman codes (DC and
     * EOB) of at least one bit each, and a component subsampled at most 4:1 either way still
     * has {@code ceil(width / 32) × ceil(height / 32)} blocks.
     */
    void checkLength(int length) {
        long blocks = ((width + 31L) / 32) * ((height + 31L) / 32);
        long minBytes = blocks / 4;
        if (length < minBytes) {
            throw new MalformedInputException(length, "JPEG of " + length + " bytes is too short for "
                    + width + "x" + height + " pixels");
        }
    }
}
