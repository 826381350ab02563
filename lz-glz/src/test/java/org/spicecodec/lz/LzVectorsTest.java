package org.spicecodec.lz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spicecodec.lz.LzTestSupport.assertBytes;
import static org.spicecodec.lz.LzTestSupport.format;
import static org.spicecodec.lz.LzTestSupport.gather;
import static org.spicecodec.lz.LzTestSupport.hex;
import static org.spicecodec.lz.LzTestSupport.input;
import static org.spicecodec.lz.LzTestSupport.randomChunks;
import static org.spicecodec.lz.LzTestSupport.segments;
import static org.spicecodec.lz.LzTestSupport.vector;
import static org.spicecodec.lz.LzTestSupport.vectorSet;

import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.spicecodec.core.ImageEncoder;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpiceChunks;
import org.spicecodec.core.SpiceImageType;
import org.spicecodec.core.SpicePalette;
import org.spicecodec.core.vectors.Decode;
import org.spicecodec.core.vectors.Vector;
import org.spicecodec.core.vectors.VectorSet;

/** Byte-exactness against the SPICE reference: the vendored golden vectors and lz.md §9. */
class LzVectorsTest {

    static Stream<String> lzVectors() {
        return vectorSet().vectors("lz").stream().map(Vector::id);
    }

    @Test
    void theVendoredSetHasAllLzVectors() {
        assertThat(vectorSet().vectors("lz")).hasSize(50);
        assertThat(vectorSet().vectors("lz")).extracting(Vector::imageType).containsOnly("PLT1_LE", "PLT1_BE",
                "PLT4_LE", "PLT4_BE", "PLT8", "RGB16", "RGB24", "RGB32", "RGBA", "XXXA", "A8");
    }

    private static LzImageType type(Vector v) {
        LzImageType t = LzImageType.fromValue(v.imageTypeValue());
        assertThat(t).as("type of %s", v.id()).isNotNull();
        assertThat(t.name()).isEqualTo(v.imageType());
        return t;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lzVectors")
    void encoderMatchesTheReference(String id) {
        Vector v = vector(id);
        LzImageType t = type(v);
        byte[] in = input(v);
        byte[] expected = LzTestSupport.encoded(id);
        LzEncoder enc = new LzEncoder();
        int max = (int) LzEncoder.maxEncodedLength(t, v.width(), v.height());
        assertThat((long) expected.length).isLessThanOrEqualTo(max);

        // The rows in the chunks the reference received.
        SpiceBitmap src = SpiceBitmap.of(t.bitmapFormat(), v.width(), v.height(), v.stride(), v.topDown(),
                segments(v, in));
        byte[] out = new byte[max];
        int n = enc.encode(t, src, out, 0, out.length);
        assertBytes(out, 0, n, expected, id);

        // The same chunks copied to other arrays, at odd offsets on both sides.
        SpiceChunks.Builder b = SpiceChunks.builder();
        for (int i = 0; i < src.chunks().count(); i++) {
            byte[] c = new byte[src.chunks().length(i) + 20];
            Arrays.fill(c, (byte) 0x77);
            System.arraycopy(in, src.chunks().offset(i), c, 11, src.chunks().length(i));
            b.add(c, 11, src.chunks().length(i));
        }
        SpiceBitmap moved = SpiceBitmap.of(t.bitmapFormat(), v.width(), v.height(), v.stride(), v.topDown(),
                b.build());
        byte[] out2 = new byte[max + 9];
        n = enc.encode(t, moved, out2, 9, max);
        assertBytes(out2, 9, n, expected, id + " at offsets");

        // Exactly the room needed fits; one byte less does not.
        byte[] tight = new byte[expected.length];
        n = enc.encode(t, src, tight, 0, tight.length);
        assertBytes(tight, 0, n, expected, id + " in an array of its size");
        assertThat(enc.encode(t, src, tight, 0, tight.length - 1)).isEqualTo(ImageEncoder.DOES_NOT_FIT);

        if (t != LzImageType.XXXA) {
            assertThat(enc.supports(src.format())).isTrue();
            n = enc.encode(src, out, 0, out.length);
            assertBytes(out, 0, n, expected, id + " via ImageEncoder");
        }
        assertThat(LzEncoder.imageType(t.bitmapFormat()))
                .isEqualTo(t.isPalette() ? SpiceImageType.LZ_PLT : SpiceImageType.LZ_RGB);
    }

    static Stream<Arguments> lzDecodes() {
        return vectorSet().vectors("lz").stream()
                .flatMap(v -> v.decodes().stream().map(d -> Arguments.of(v.id(), d.toType())));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("lzDecodes")
    void decoderMatchesTheReference(String id, String toType) throws IOException {
        VectorSet set = vectorSet();
        Vector v = vector(id);
        LzImageType t = type(v);
        Decode d = v.decodes().stream().filter(x -> x.toType().equals(toType)).findFirst().orElseThrow();
        assertThat(d.rowOrder()).isEqualTo("as_input");
        SpiceBitmapFormat target = format(toType);
        byte[] enc = set.readEncoded(v);
        byte[] in = input(v);
        SpicePalette pal = LzTestSupport.spicePalette(v);
        LzDecoder dec = new LzDecoder();
        assertThat(dec.readType(enc, 0, enc.length)).isEqualTo(t);

        // XXXA writes only byte 3; the reference's buffer was zero-filled, as ours is.
        SpiceBitmap out = dec.decode(enc, 0, enc.length, target, pal);
        assertThat(out.format()).isEqualTo(target);
        assertThat(out.height()).isEqualTo(v.height());
        assertThat(out.topDown()).isEqualTo(v.topDown());
        assertThat(out.stride()).as("stride").isEqualTo(d.stride());
        assertThat((long) out.data().length).as("size").isEqualTo(d.size());
        assertThat(VectorSet.sha256Hex(out.data(), 0, out.data().length)).as("sha256").isEqualTo(d.sha256());
        byte[] stored = set.readDecoded(d);
        if (stored != null) {
            assertBytes(out.data(), stored, id + " -> " + toType + " vs decoded/");
        }
        if (d.equalsInput()) {
            assertBytes(out.data(), in, id + " -> " + toType + " vs input");
        }
        if (Boolean.TRUE.equals(d.matchesDocumentedRule())) {
            assertBytes(out.data(), LzTestSupport.expectedDecode(t, v.width(), v.height(), in, v.stride(),
                    LzTestSupport.palette(v), target), id + " -> " + toType + " vs documented rule");
        }

        // The stream inside a larger array, with garbage around it, into a destination of the
        // image's own width (palette padding pixels dropped).
        byte[] embedded = new byte[enc.length + 37];
        Arrays.fill(embedded, (byte) 0xA5);
        System.arraycopy(enc, 0, embedded, 29, enc.length);
        int rowBytes = (int) target.minStride(v.width());
        int grossBytes = d.stride();
        SpiceBitmap narrow = SpiceBitmap.of(target, v.width(), v.height(), rowBytes, v.topDown(),
                new byte[rowBytes * v.height()], 0).withPalette(pal);
        dec.decode(embedded, 29, enc.length, narrow);
        for (int y = 0; y < v.height(); y++) {
            if (Arrays.mismatch(narrow.data(), y * rowBytes, (y + 1) * rowBytes, out.data(), y * grossBytes,
                    y * grossBytes + rowBytes) >= 0) {
                throw new AssertionError(id + ": narrow row " + y + " differs");
            }
        }

        // Into a destination of the other orientation with a padded stride, split into chunks:
        // rows come out flipped in storage, padding untouched.
        int stride = grossBytes + 5;
        byte[] flat = new byte[stride * v.height()];
        Arrays.fill(flat, (byte) 0x5C);
        if (t == LzImageType.XXXA) {
            Arrays.fill(flat, (byte) 0);
        }
        SpiceChunks chunks = randomChunks(flat, 0, stride, v.height(), new Random(id.hashCode() + 1));
        if (t == LzImageType.XXXA) {
            // Zero the pixel bytes (randomChunks copies flat, so they already are) but keep padding recognisable.
            for (int i = 0; i < chunks.count(); i++) {
                byte[] a = chunks.data(i);
                for (int r = 0; r < chunks.length(i) / stride; r++) {
                    Arrays.fill(a, chunks.offset(i) + r * stride + grossBytes, chunks.offset(i) + (r + 1) * stride,
                            (byte) 0x5C);
                }
            }
        }
        int gw = t.isPalette() && target == SpiceBitmapFormat.RGB32 ? grossBytes / 4 : v.width();
        SpiceBitmap flipped = SpiceBitmap.of(target, gw, v.height(), stride, !v.topDown(), chunks).withPalette(pal);
        dec.decode(enc, 0, enc.length, flipped);
        byte[] storedRows = gather(chunks);
        byte[] ref = out.data();
        for (int y = 0; y < v.height(); y++) {
            int s = (v.height() - 1 - y) * stride;
            if (Arrays.mismatch(storedRows, s, s + grossBytes, ref, y * grossBytes, (y + 1) * grossBytes) >= 0) {
                throw new AssertionError(id + ": row " + y + " is not at stored row " + (v.height() - 1 - y));
            }
            for (int p = s + grossBytes; p < s + stride; p++) {
                assertThat(storedRows[p]).as("padding byte %d of stored row", p - s - grossBytes)
                        .isEqualTo((byte) 0x5C);
            }
        }
    }

    // ---- lz.md §9: the two worked examples --------------------------------------------

    @Test
    void rgb32WorkedExample() {
        byte[] row = hex("00ff0700 3cc30700 78870700 b44b0700".repeat(3));
        byte[] src = new byte[96];
        System.arraycopy(row, 0, src, 0, 48);
        System.arraycopy(row, 0, src, 48, 48);
        byte[] expected = hex("""
                20 20 5a 4c  00 01 00 01  00 00 00 08  00 00 00 0c  00 00 00 02  00 00 00 30  00 00 00 01
                06  00 ff 07 3c c3 07 78 87 07 b4 4b 07 00 ff 07 3c c3 07 78 87 07
                e0 07 03
                02  3c c3 07 78 87 07 b4 4b 07""");
        byte[] out = new byte[200];
        int n = new LzEncoder().encode(SpiceBitmap.of(SpiceBitmapFormat.RGB32, 12, 2, src), out, 0, out.length);
        assertBytes(out, 0, n, expected, "RGB32 12x2");
        SpiceBitmap dec = new LzDecoder().decode(expected, 0, expected.length, SpiceBitmapFormat.RGB32, null);
        assertBytes(dec.data(), src, "RGB32 12x2 decoded");
    }

    @Test
    void plt4WorkedExample() {
        byte[] src = hex("01 23 45 01 23 45 11 11 11");
        byte[] expected = hex("""
                20 20 5a 4c 00 01 00 01 00 00 00 04 00 00 00 06 00 00 00 03 00 00 00 03 00 00 00 00
                08 01 23 45 01 23 45 11 11 11""");
        byte[] out = new byte[200];
        int n = new LzEncoder().encode(SpiceBitmap.of(SpiceBitmapFormat.PLT4_BE, 6, 3, 3, false, src, 0), out, 0,
                out.length);
        assertBytes(out, 0, n, expected, "PLT4_BE 6x3");
        SpiceBitmap dec = new LzDecoder().decode(expected, 0, expected.length, null, null);
        assertThat(dec.topDown()).isFalse();
        assertBytes(dec.data(), src, "PLT4_BE 6x3 decoded");
    }
}
