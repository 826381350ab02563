package org.spicecodec.lz;

import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpiceImageType;

/**
 * {@code LzImageType} of spice-common's {@code lz_common.h}: the pixel type in word 2 of an LZ
 * header (and in the low nibble of a GLZ type byte).
 */
public enum LzImageType {
    PLT1_LE(1, SpiceBitmapFormat.PLT1_LE, 8),
    PLT1_BE(2, SpiceBitmapFormat.PLT1_BE, 8),
    PLT4_LE(3, SpiceBitmapFormat.PLT4_LE, 2),
    PLT4_BE(4, SpiceBitmapFormat.PLT4_BE, 2),
    PLT8(5, SpiceBitmapFormat.PLT8, 1),
    RGB16(6, SpiceBitmapFormat.RGB16, 0),
    RGB24(7, SpiceBitmapFormat.RGB24, 0),
    RGB32(8, SpiceBitmapFormat.RGB32, 0),
    RGBA(9, SpiceBitmapFormat.RGBA, 0),
    /**
     * Only the alpha byte of 4-byte B, G, R, A pixels (the alpha plane of a JPEG_ALPHA image).
     * Its bitmaps are {@link SpiceBitmapFormat#RGBA} (or RGB32) in memory.
     */
    XXXA(10, SpiceBitmapFormat.RGBA, 0),
    A8(11, SpiceBitmapFormat.A8, 0);

    /** values() clones its array on every call; lookups use this copy. */
    private static final LzImageType[] ALL = values();

    private final int value;
    private final SpiceBitmapFormat format;
    private final int pixelsPerByte;

    LzImageType(int value, SpiceBitmapFormat format, int pixelsPerByte) {
        this.value = value;
        this.format = format;
        this.pixelsPerByte = pixelsPerByte;
    }

    /** The value in the header. */
    public int value() {
        return value;
    }

    /** The bitmap format of this type's pixels in memory. */
    public SpiceBitmapFormat bitmapFormat() {
        return format;
    }

    public boolean isPalette() {
        return pixelsPerByte != 0;
    }

    /** Pixels per byte of the palette types (8, 2 or 1); 0 for the others. */
    public int pixelsPerByte() {
        return pixelsPerByte;
    }

    /** Bytes per pixel in memory of the non-palette types; 0 for the palette types. */
    public int bytesPerPixel() {
        return isPalette() ? 0 : format.bytesPerPixel();
    }

    /** How SPICE carries a stream of this type: {@code LZ_PLT} for palette types, else {@code LZ_RGB}. */
    public SpiceImageType spiceImageType() {
        return isPalette() ? SpiceImageType.LZ_PLT : SpiceImageType.LZ_RGB;
    }

    /** The row size in bytes the header's stride must equal: no padding is allowed. */
    public long tightStride(long width) {
        return format.minStride(width);
    }

    /** The type with this header value, or {@code null}. */
    public static LzImageType fromValue(int value) {
        return value >= 1 && value <= ALL.length ? ALL[value - 1] : null;
    }

    /**
     * The LZ type that codes bitmaps of {@code format}, or {@code null} (GRAY8). RGBA maps to
     * {@link #RGBA}; {@link #XXXA} is only chosen explicitly.
     */
    public static LzImageType forFormat(SpiceBitmapFormat format) {
        for (LzImageType t : ALL) {
            if (t.format == format) {
                return t;
            }
        }
        return null;
    }

    /**
     * Whether a stream of this type can be decoded into {@code target}: the conversions
     * {@code lz_decode()} supports. Palette types also decode to RGB32 with a palette; XXXA
     * writes byte 3 of 4-byte pixels (RGBA or RGB32 destinations).
     */
    public boolean decodesTo(SpiceBitmapFormat target) {
        return switch (this) {
            case PLT1_LE, PLT1_BE, PLT4_LE, PLT4_BE, PLT8 -> target == format || target == SpiceBitmapFormat.RGB32;
            case RGB16, RGB24, A8 -> target == format || target == SpiceBitmapFormat.RGB32;
            case RGB32 -> target == SpiceBitmapFormat.RGB32;
            case RGBA -> target == SpiceBitmapFormat.RGBA;
            case XXXA -> target == SpiceBitmapFormat.RGBA || target == SpiceBitmapFormat.RGB32;
        };
    }
}
