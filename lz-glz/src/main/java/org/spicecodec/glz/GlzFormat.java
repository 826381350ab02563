package org.spicecodec.glz;

import org.spicecodec.core.SpiceBitmapFormat;

/** LZ image type numbers and their unit geometry, as far as GLZ uses them (types 1..9). */
final class GlzFormat {
    private GlzFormat() {
    }

    static final int PLT1_LE = 1;
    static final int PLT1_BE = 2;
    static final int PLT4_LE = 3;
    static final int PLT4_BE = 4;
    static final int PLT8 = 5;
    static final int RGB16 = 6;
    static final int RGB24 = 7;
    static final int RGB32 = 8;
    static final int RGBA = 9;

    static final int MAGIC = 0x20205A4C;
    static final int VERSION = 0x00010001;
    static final int HEADER_SIZE = 33;

    static boolean isValid(int type) {
        return type >= PLT1_LE && type <= RGBA;
    }

    static boolean isPalette(int type) {
        return type >= PLT1_LE && type <= PLT8;
    }

    /** Pixels per byte of palette types; 1 for the others. */
    static int ppb(int type) {
        switch (type) {
            case PLT1_LE:
            case PLT1_BE:
                return 8;
            case PLT4_LE:
            case PLT4_BE:
                return 2;
            default:
                return 1;
        }
    }

    /** Bytes of one coding unit in the source bitmap. */
    static int bytesPerUnit(int type) {
        switch (type) {
            case RGB16:
                return 2;
            case RGB24:
                return 3;
            case RGB32:
            case RGBA:
                return 4;
            default:
                return 1;
        }
    }

    static SpiceBitmapFormat toFormat(int type) {
        return SpiceBitmapFormat.fromValue(type);
    }

    /** The LZ type of a bitmap format, or -1 if GLZ cannot carry it (A8, GRAY8). */
    static int fromFormat(SpiceBitmapFormat f) {
        int v = f.value();
        return isValid(v) ? v : -1;
    }
}
