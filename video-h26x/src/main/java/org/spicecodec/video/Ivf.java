package org.spicecodec.video;

import java.io.IOException;
import java.io.OutputStream;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.video.VideoCodecType;

/**
 * The IVF container for VP8 and VP9 frames (what {@code ffmpeg} and libvpx's tools read): a
 * 32-byte file header ("DKIF", version 0, header size 32, fourcc, width, height, time base
 * rate and scale, frame count), then per frame a 12-byte header (u32 size, u64 timestamp)
 * and the frame. All little-endian.
 */
public final class Ivf {
    public static final int FILE_HEADER = 32;
    public static final int FRAME_HEADER = 12;
    /** Frames larger than this are refused when reading (a 16384² frame compresses below it). */
    public static final int MAX_FRAME = 256 << 20;

    private Ivf() {
    }

    /** Writes the file header; {@code frames} may be 0 when unknown. */
    public static void writeHeader(OutputStream out, VideoCodecType codec, int width, int height, int fps, int frames)
            throws IOException {
        String fourcc = switch (codec) {
            case VP8 -> "VP80";
            case VP9 -> "VP90";
            default -> throw new IllegalArgumentException("IVF carries VP8 and VP9, not " + codec);
        };
        byte[] h = new byte[FILE_HEADER];
        h[0] = 'D';
        h[1] = 'K';
        h[2] = 'I';
        h[3] = 'F';
        le16(h, 6, FILE_HEADER);
        for (int i = 0; i < 4; i++) {
            h[8 + i] = (byte) fourcc.charAt(i);
        }
        le16(h, 12, width);
        le16(h, 14, height);
        le32(h, 16, fps);
        le32(h, 20, 1);
        le32(h, 24, frames);
        out.write(h);
    }

    public static void writeFrame(OutputStream out, byte[] data, int offset, int length, long timestamp)
            throws IOException {
        byte[] h = new byte[FRAME_HEADER];
        le32(h, 0, length);
        le32(h, 4, (int) timestamp);
        le32(h, 8, (int) (timestamp >>> 32));
        out.write(h);
        out.write(data, offset, length);
    }

    /** The codec named by the header's fourcc. */
    public static VideoCodecType readHeader(byte[] file) {
        if (file.length < FILE_HEADER || file[0] != 'D' || file[1] != 'K' || file[2] != 'I' || file[3] != 'F') {
            throw new MalformedInputException(0, "not an IVF file (no DKIF signature)");
        }
        int headerSize = u16(file, 6);
        if (headerSize < FILE_HEADER || headerSize > file.length) {
            throw new MalformedInputException(6, "bad IVF header size " + headerSize);
        }
        String fourcc = new String(file, 8, 4, java.nio.charset.StandardCharsets.US_ASCII);
        return switch (fourcc) {
            case "VP80" -> VideoCodecType.VP8;
            case "VP90" -> VideoCodecType.VP9;
            default -> throw new MalformedInputException(8, "IVF fourcc '" + fourcc + "' is not VP80 or VP90");
        };
    }

    public static int width(byte[] file) {
        return u16(file, 12);
    }

    public static int height(byte[] file) {
        return u16(file, 14);
    }

    /** Offset of the first frame header. */
    public static int firstFrame(byte[] file) {
        return u16(file, 6);
    }

    /**
     * The size of the frame whose 12-byte header is at {@code at}, checked against the file.
     */
    public static int frameSize(byte[] file, int at) {
        if (at + FRAME_HEADER > file.length) {
            throw new MalformedInputException(at, "IVF frame header cut short");
        }
        long size = u32(file, at);
        if (size > MAX_FRAME || at + FRAME_HEADER + size > file.length) {
            throw new MalformedInputException(at, "IVF frame of " + size + " bytes runs past the end of the file");
        }
        return (int) size;
    }

    private static void le16(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
    }

    private static void le32(byte[] b, int at, int v) {
        le16(b, at, v);
        le16(b, at + 2, v >>> 16);
    }

    private static int u16(byte[] b, int at) {
        return b[at] & 0xFF | (b[at + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] b, int at) {
        return (u16(b, at) | (long) u16(b, at + 2) << 16) & 0xFFFFFFFFL;
    }
}
