package org.spicecodec.lz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.spicecodec.lz.LzTestSupport.hex;
import static org.spicecodec.lz.LzTestSupport.vector;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spicecodec.core.ImageLimits;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpicePalette;
import org.spicecodec.core.vectors.Vector;

/** Hostile and damaged streams end in MalformedInputException, never another exception or a hang. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LzMalformedTest {

    private static final List<String> SMALL = List.of("lz/rgb24_33x9", "lz/rgb16_top_bit_set", "lz/rgba_1x1",
            "lz/plt1_le_pad_bits_random", "lz/xxxa_icon_mid_garbage_rgb", "lz/a8_gradient", "lz/plt8_checker_2c",
            "lz/rgb32_tiny_first_segment", "lz/rgba_icon_small_bottom_up", "lz/plt4_be_short_palette");

    /** Decodes to every target the type allows; returns normally or throws MalformedInputException. */
    private static void decodeAll(LzDecoder dec, byte[] in, int len, SpicePalette pal) {
        LzImageType t;
        try {
            t = dec.readType(in, 0, len);
        } catch (MalformedInputException e) {
            t = null;
        }
        for (SpiceBitmapFormat f : SpiceBitmapFormat.values()) {
            if (t != null && !t.decodesTo(f)) {
                continue;
            }
            try {
                dec.decode(in, 0, len, f, pal);
            } catch (MalformedInputException e) {
                assertThat(e.offset()).isBetween(0L, (long) len);
            }
        }
    }

    private static SpicePalette palette(Vector v) {
        SpicePalette p = LzTestSupport.spicePalette(v);
        return p == null ? new SpicePalette(0, new int[] {1, 2, 3}) : p;
    }

    @Test
    void everyTruncationIsRejected() {
        LzDecoder dec = new LzDecoder();
        for (String id : SMALL) {
            Vector v = vector(id);
            byte[] enc = LzTestSupport.encoded(id);
            SpicePalette pal = palette(v);
            for (int len = 0; len < enc.length; len++) {
                byte[] cut = Arrays.copyOf(enc, len);
                int l = len;
                assertThatThrownBy(() -> dec.decode(cut, 0, l, null, pal)).as("%s cut to %d", id, len)
                        .isInstanceOf(MalformedInputException.class);
            }
        }
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] enc = LzTestSupport.encoded("lz/rgb24_33x9");
        byte[] longer = Arrays.copyOf(enc, enc.length + 1);
        assertThatThrownBy(() -> new LzDecoder().decode(longer, 0, longer.length, null, null))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("after the last pixel");
    }

    @Test
    void randomBitFlipsNeverEscape() {
        Random rnd = new Random(42);
        LzDecoder dec = new LzDecoder();
        for (String id : SMALL) {
            Vector v = vector(id);
            byte[] enc = LzTestSupport.encoded(id);
            SpicePalette pal = palette(v);
            for (int round = 0; round < 300; round++) {
                byte[] bad = enc.clone();
                int flips = 1 + rnd.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    // Mostly the payload; now and then the header.
                    int p = rnd.nextInt(8) == 0 ? rnd.nextInt(Math.min(28, bad.length))
                            : 28 + rnd.nextInt(Math.max(1, bad.length - 28));
                    if (p < bad.length) {
                        bad[p] ^= (byte) (1 << rnd.nextInt(8));
                    }
                }
                decodeAll(dec, bad, bad.length, pal);
            }
            // Random garbage after a valid header.
            for (int round = 0; round < 100; round++) {
                byte[] bad = Arrays.copyOf(enc, 28 + rnd.nextInt(200));
                for (int i = 28; i < bad.length; i++) {
                    bad[i] = (byte) rnd.nextInt();
                }
                decodeAll(dec, bad, bad.length, pal);
            }
        }
    }

    private static byte[] header(int type, int w, int h, int stride, byte... payload) {
        byte[] b = new byte[28 + payload.length];
        int[] words = {LzEncoder.MAGIC, LzEncoder.VERSION, type, w, h, stride, 1};
        for (int i = 0; i < 7; i++) {
            b[4 * i] = (byte) (words[i] >>> 24);
            b[4 * i + 1] = (byte) (words[i] >>> 16);
            b[4 * i + 2] = (byte) (words[i] >>> 8);
            b[4 * i + 3] = (byte) words[i];
        }
        System.arraycopy(payload, 0, b, 28, payload.length);
        return b;
    }

    private static MalformedInputException reject(byte[] in) {
        try {
            new LzDecoder().decode(in, 0, in.length, null, new SpicePalette(0, new int[] {1, 2}));
        } catch (MalformedInputException e) {
            return e;
        }
        throw new AssertionError("accepted");
    }

    @Test
    void headersAreValidatedBeforeAllocating() {
        assertThat(reject(header(8, 1, 1, 4)).offset()).isEqualTo(28); // no payload at all
        byte[] badMagic = header(8, 1, 1, 4, (byte) 0, (byte) 1, (byte) 2, (byte) 3);
        badMagic[0] = 0x21;
        assertThat(reject(badMagic).offset()).isZero();
        byte[] badVersion = header(8, 1, 1, 4, (byte) 0, (byte) 1, (byte) 2, (byte) 3);
        badVersion[7] = 2;
        assertThat(reject(badVersion).offset()).isEqualTo(4);
        assertThat(reject(header(0, 1, 1, 4, (byte) 0, (byte) 1, (byte) 2, (byte) 3)).offset()).isEqualTo(8);
        assertThat(reject(header(12, 1, 1, 4, (byte) 0, (byte) 1, (byte) 2, (byte) 3)).offset()).isEqualTo(8);
        assertThat(reject(header(-1, 1, 1, 4)).offset()).isEqualTo(8);
        // Absurd sizes: over the limits, negative, zero; and streams far too short for the size.
        assertThat(reject(header(8, 0x7FFFFFFF, 0x7FFFFFFF, 4)).reason()).contains("width");
        assertThat(reject(header(8, -5, 1, -20)).offset()).isEqualTo(12);
        assertThat(reject(header(8, 16384, 8192, 65536, (byte) 0)).reason()).contains("too short");
        assertThat(reject(header(8, 0, 1, 0)).offset()).isEqualTo(12);
        // Stride must be the packed row size.
        assertThat(reject(header(8, 3, 1, 13, (byte) 0)).offset()).isEqualTo(20);
        assertThat(reject(header(1, 9, 1, 1, (byte) 0)).offset()).isEqualTo(20);
        assertThat(reject(header(1, 9, 1, 3, (byte) 0)).offset()).isEqualTo(20);
        assertThat(reject(header(11, 9, 1, 10, (byte) 0)).offset()).isEqualTo(20);
        // Smaller limits apply too.
        byte[] fine = header(11, 4, 1, 4, (byte) 3, (byte) 1, (byte) 2, (byte) 3, (byte) 4);
        new LzDecoder().decode(fine, 0, fine.length, null, null);
        assertThatThrownBy(() -> new LzDecoder(new ImageLimits(3, 3, 9)).decode(fine, 0, fine.length, null, null))
                .isInstanceOf(MalformedInputException.class);
    }

    @Test
    void backReferencesOutOfRangeAreRejected() {
        // A8 4x1: literal 1 pixel, then a match of 3 at offset 2 (only 1 decoded).
        MalformedInputException e = reject(header(11, 4, 1, 4, hex("00 07 20 01")));
        assertThat(e.offset()).isEqualTo(30);
        assertThat(e.reason()).contains("back");
        // Offset 1 is fine, but length 4 passes the end (3 left).
        e = reject(header(11, 4, 1, 4, hex("00 07 40 00")));
        assertThat(e.reason()).contains("end of the image");
        // Far escape with a huge distance.
        e = reject(header(11, 4, 1, 4, hex("00 07 3f ff ff ff")));
        assertThat(e.reason()).contains("back");
        // An endless length extension stops at the image size.
        byte[] ff = new byte[2000];
        Arrays.fill(ff, (byte) 0xff);
        ff[0] = 0;
        ff[1] = 7;
        ff[2] = (byte) 0xe0;
        e = reject(header(11, 4, 1, 4, ff));
        assertThat(e.reason()).contains("back-reference");
        // A literal run past the end.
        e = reject(header(11, 4, 1, 4, hex("04 01 02 03 04 05")));
        assertThat(e.reason()).contains("literal run");
        // Fine when exact.
        byte[] ok = header(11, 4, 1, 4, hex("00 07 20 00"));
        assertThat(new LzDecoder().decode(ok, 0, ok.length, null, null).data()).containsExactly(7, 7, 7, 7);
    }

    @Test
    void palettesAreCheckedForRgb32() {
        byte[] enc = LzTestSupport.encoded("lz/plt1_be_checker8");
        Vector v = vector("lz/plt1_be_checker8");
        LzDecoder dec = new LzDecoder();
        assertThatThrownBy(() -> dec.decode(enc, 0, enc.length, SpiceBitmapFormat.RGB32,
                new SpicePalette(0, new int[] {5}))).isInstanceOf(MalformedInputException.class);
        SpiceBitmap noPalette = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, v.width(), v.height());
        assertThatThrownBy(() -> dec.decode(enc, 0, enc.length, noPalette))
                .isInstanceOf(IllegalArgumentException.class);
        // PLT8 indexes past a short palette decode as black.
        byte[] p8 = header(5, 4, 1, 4, hex("03 00 01 02 03"));
        SpiceBitmap out = dec.decode(p8, 0, p8.length, SpiceBitmapFormat.RGB32,
                new SpicePalette(0, new int[] {0x112233, 0x445566}));
        assertThat(out.data()).containsExactly(0x33, 0x22, 0x11, 0, 0x66, 0x55, 0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        // The destination must have the stream's size.
        SpiceBitmap wrong = SpiceBitmap.allocate(SpiceBitmapFormat.PLT1_BE, v.width() + 1, v.height());
        assertThatThrownBy(() -> dec.decode(enc, 0, enc.length, wrong)).isInstanceOf(MalformedInputException.class);
        SpiceBitmap wrongType = SpiceBitmap.allocate(SpiceBitmapFormat.RGB24, v.width(), v.height());
        assertThatThrownBy(() -> dec.decode(enc, 0, enc.length, wrongType))
                .isInstanceOf(MalformedInputException.class);
    }
}
