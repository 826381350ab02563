package org.spicecodec.quic;

import org.spicecodec.core.SpiceBitmapFormat;

/** {@code QuicImageType}: the pixel type written in word 2 of a QUIC header. */
public enum QuicImageType {
    GRAY(1, SpiceBitmapFormat.GRAY8, 8),
    RGB16(2, SpiceBitmapFormat.RGB16, 5),
    RGB24(3, SpiceBitmapFormat.RGB24, 8),
    RGB32(4, SpiceBitmapFormat.RGB32, 8),
    RGBA(5, SpiceBitmapFormat.RGBA, 8);

    /** values() clones its array on every call; hot paths look types up here instead. */
    private static final QuicImageType[] ALL = values();

    private final int value;
    private final SpiceBitmapFormat format;
    private final int bitsPerChannel;

    QuicImageType(int value, SpiceBitmapFormat format, int bitsPerChannel) {
        this.value = value;
        this.format = format;
        this.bitsPerChannel = bitsPerChannel;
    }

    /** The value in the header. */
    public int value() {
        return value;
    }

    /** The bitmap format of this type's pixels in memory. */
    public SpiceBitmapFormat bitmapFormat() {
        return format;
    }

    /** 5 for RGB16, 8 otherwise. */
    public int bitsPerChannel() {
        return bitsPerChannel;
    }

    /** The type with this header value, or {@code null}. */
    public static QuicImageType fromValue(int value) {
        for (QuicImageType t : ALL) {
            if (t.value == value) {
                return t;
            }
        }
        return null;
    }

    /** The QUIC type that codes bitmaps of {@code format}, or {@code null} (palette and A8 bitmaps). */
    public static QuicImageType forFormat(SpiceBitmapFormat format) {
        for (QuicImageType t : ALL) {
            if (t.format == format) {
                return t;
            }
        }
        return null;
    }

    /**
     * Whether a stream of this type can be decoded into {@code target}: the conversions
     * {@code quic_decode()} supports (RGB24 and RGB32 into each other, RGB16 into RGB32).
     */
    public boolean decodesTo(SpiceBitmapFormat target) {
        return switch (this) {
            case GRAY -> target == SpiceBitmapFormat.GRAY8;
            case RGBA -> target == SpiceBitmapFormat.RGBA;
            case RGB16 -> target == SpiceBitmapFormat.RGB16 || target == SpiceBitmapFormat.RGB32;
            case RGB24, RGB32 -> target == SpiceBitmapFormat.RGB24 || target == SpiceBitmapFormat.RGB32;
        };
    }
}
