package org.spicecodec.core;

/** {@code SpiceImageType} from spice-protocol's {@code enums.h}: how an image travels on the wire. */
public enum SpiceImageType {
    BITMAP(0),
    QUIC(1),
    LZ_PLT(100),
    LZ_RGB(101),
    GLZ_RGB(102),
    FROM_CACHE(103),
    SURFACE(104),
    JPEG(105),
    FROM_CACHE_LOSSLESS(106),
    ZLIB_GLZ_RGB(107),
    JPEG_ALPHA(108),
    LZ4(109);

    /** values() clones its array on every call; hot paths look types up here instead. */
    private static final SpiceImageType[] ALL = values();

    private final int value;

    SpiceImageType(int value) {
        this.value = value;
    }

    /** The value on the wire. */
    public int value() {
        return value;
    }

    /** The type with this wire value, or {@code null} if there is none. */
    public static SpiceImageType fromValue(int value) {
        for (SpiceImageType t : ALL) {
            if (t.value == value) {
                return t;
            }
        }
        return null;
    }
}
