package org.spicecodec.audio;

/**
 * Ogg page checksum (RFC 3533): CRC-32 with polynomial 0x04C11DB7, initial value 0, no
 * reflection and no final XOR, computed over the page with its CRC field set to zero.
 * (This is not the zlib CRC-32, which is reflected.)
 */
public final class OggCrc {
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int r = i << 24;
            for (int k = 0; k < 8; k++) {
                r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04C11DB7 : r << 1;
            }
            TABLE[i] = r;
        }
    }

    private OggCrc() {
    }

    public static int update(int crc, byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            crc = (crc << 8) ^ TABLE[((crc >>> 24) ^ b[i]) & 0xFF];
        }
        return crc;
    }

    public static int compute(byte[] b, int off, int len) {
        return update(0, b, off, len);
    }
}
