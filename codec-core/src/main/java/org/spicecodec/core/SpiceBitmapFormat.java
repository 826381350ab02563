package org.spicecodec.core;

/**
 * {@code SpiceBitmapFmt} from spice-protocol: the pixel layout of an uncompressed SPICE
 * bitmap. Multi-byte pixels are little-endian; colour bytes are stored B, G, R.
 *
 * <p>{@link #GRAY8} is not part of the protocol: it stands for the GRAY type of QUIC, which
 * the SPICE server never produces but the codec defines.
 */
public enum SpiceBitmapFormat {
    /** 1 bit per pixel palette index, leftmost pixel in bit 0. */
    PLT1_LE(1, 1, 2),
    /** 1 bit per pixel palette index, leftmost pixel in bit 7. */
    PLT1_BE(2, 1, 2),
    /** 4 bit palette index, leftmost pixel in the low nibble. */
    PLT4_LE(3, 4, 16),
    /** 4 bit palette index, leftmost pixel in the high nibble. */
    PLT4_BE(4, 4, 16),
    /** 8 bit palette index. */
    PLT8(5, 8, 256),
    /** x1r5g5b5 in a little-endian 16-bit word; bit 15 unused. */
    RGB16(6, 16, 0),
    /** B, G, R. */
    RGB24(7, 24, 0),
    /** B, G, R, X; X is not coded by the lossless codecs. */
    RGB32(8, 32, 0),
    /** B, G, R, A. */
    RGBA(9, 32, 0),
    /** 8 bit alpha only. */
    A8(10, 8, 0),
    /** 8 bit gray; QUIC's GRAY type (not a protocol bitmap format). */
    GRAY8(-1, 8, 0);

    /** values() clones its array on every call; hot paths look types up here instead. */
    private static final SpiceBitmapFormat[] ALL = values();

    private final int value;
    private final int bitsPerPixel;
    private final int paletteSize;

    SpiceBitmapFormat(int value, int bitsPerPixel, int paletteSize) {
        this.value = value;
        this.bitsPerPixel = bitsPerPixel;
        this.paletteSize = paletteSize;
    }

    /** The {@code SPICE_BITMAP_FMT_*} value on the wire, or -1 for {@link #GRAY8}. */
    public int value() {
        return value;
    }

    public int bitsPerPixel() {
        return bitsPerPixel;
    }

    /** Bytes per pixel for formats of 8 bits or more; 0 for the sub-byte palette formats. */
    public int bytesPerPixel() {
        return bitsPerPixel / 8;
    }

    public boolean isPalette() {
        return paletteSize != 0;
    }

    /** Number of entries a palette index of this format can address; 0 for non-palette formats. */
    public int maxPaletteEntries() {
        return paletteSize;
    }

    /** Smallest stride for a row of {@code width} pixels: {@code ceil(width * bpp / 8)}. */
    public long minStride(long width) {
        return (width * bitsPerPixel + 7) >>> 3;
    }

    /** The format with this {@code SPICE_BITMAP_FMT_*} value, or {@code null}. */
    public static SpiceBitmapFormat fromValue(int value) {
        for (SpiceBitmapFormat f : ALL) {
            if (f.value == value && value >= 0) {
                return f;
            }
        }
        return null;
    }
}
