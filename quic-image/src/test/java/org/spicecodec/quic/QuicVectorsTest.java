package org.spicecodec.quic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spicecodec.quic.QuicTestSupport.assertBytes;
import static org.spicecodec.quic.QuicTestSupport.format;
import static org.spicecodec.quic.QuicTestSupport.gather;
import static org.spicecodec.quic.QuicTestSupport.hex;
import static org.spicecodec.quic.QuicTestSupport.input;
import static org.spicecodec.quic.QuicTestSupport.randomChunks;
import static org.spicecodec.quic.QuicTestSupport.vector;
import static org.spicecodec.quic.QuicTestSupport.vectorSet;

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
import org.spicecodec.core.vectors.Decode;
import org.spicecodec.core.vectors.Vector;
import org.spicecodec.core.vectors.VectorSet;

/** Byte-exactness against the SPICE reference: the vendored golden vectors and quic.md §12. */
class QuicVectorsTest {

    static Stream<String> quicVectors() {
        return vectorSet().vectors("quic").stream().map(Vector::id);
    }

    @Test
    void theVendoredSetHasAllQuicVectors() {
        assertThat(vectorSet().vectors("quic")).hasSize(42);
        assertThat(vectorSet().vectors("quic")).extracting(Vector::imageType)
                .containsOnly("GRAY", "RGB16", "RGB24", "RGB32", "RGBA");
    }

    private static QuicImageType type(Vector v) {
        QuicImageType t = QuicImageType.fromValue(v.imageTypeValue());
        assertThat(t).as("type of %s", v.id()).isNotNull();
        assertThat(t.name()).isEqualTo(v.imageType());
        return t;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("quicVectors")
    void encoderMatchesTheReference(String id) {
        Vector v = vector(id);
        QuicImageType t = type(v);
        byte[] in = input(v);
        byte[] expected = QuicTestSupport.encoded(id);
        QuicEncoder enc = new QuicEncoder();
        int max = (int) QuicEncoder.maxEncodedLength(t, v.width(), v.height());
        assertThat((long) expected.length).isLessThanOrEqualTo(max);

        // Raw-array API, at offset 0.
        byte[] out = new byte[max];
        int n = enc.encode(t, v.width(), v.height(), in, 0, v.stride(), v.topDown(), out, 0, out.length);
        assertBytes(out, 0, n, expected, id + " raw array");

        // Raw-array API at odd offsets on both sides.
        byte[] shifted = new byte[in.length + 13];
        System.arraycopy(in, 0, shifted, 13, in.length);
        byte[] out2 = new byte[max + 7];
        n = enc.encode(t, v.width(), v.height(), shifted, 13, v.stride(), v.topDown(), out2, 7, max);
        assertBytes(out2, 7, n, expected, id + " raw array at offsets");

        // SpiceBitmap in one chunk.
        SpiceBitmap one = SpiceBitmap.of(t.bitmapFormat(), v.width(), v.height(), v.stride(), v.topDown(), in, 0);
        Arrays.fill(out, (byte) 0);
        n = enc.encode(one, out, 0, out.length);
        assertBytes(out, 0, n, expected, id + " bitmap, one chunk");

        // The same rows split into chunks of random sizes: QUIC output does not depend on it.
        Random rnd = new Random(id.hashCode());
        for (int round = 0; round < 3; round++) {
            SpiceChunks chunks = randomChunks(in, 0, v.stride(), v.height(), rnd);
            assertThat(gather(chunks)).isEqualTo(in);
            SpiceBitmap split = SpiceBitmap.of(t.bitmapFormat(), v.width(), v.height(), v.stride(), v.topDown(),
                    chunks);
            Arrays.fill(out, (byte) 0);
            n = enc.encode(split, out, 0, out.length);
            assertBytes(out, 0, n, expected, id + " bitmap in " + chunks.count() + " chunks");
        }
    }

    static Stream<Arguments> quicDecodes() {
        return vectorSet().vectors("quic").stream()
                .flatMap(v -> v.decodes().stream().map(d -> Arguments.of(v.id(), d.toType())));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("quicDecodes")
    void decoderMatchesTheReference(String id, String toType) throws IOException {
        VectorSet set = vectorSet();
        Vector v = vector(id);
        Decode d = v.decodes().stream().filter(x -> x.toType().equals(toType)).findFirst().orElseThrow();
        assertThat(d.rowOrder()).isEqualTo("top_down");
        SpiceBitmapFormat target = format(toType);
        byte[] enc = set.readEncoded(v);
        QuicDecoder dec = new QuicDecoder();

        SpiceBitmap out = dec.decode(enc, 0, enc.length, target);
        assertThat(out.format()).isEqualTo(target);
        assertThat(out.width()).isEqualTo(v.width());
        assertThat(out.height()).isEqualTo(v.height());
        assertThat(out.topDown()).isTrue();
        assertThat(out.stride()).as("stride").isEqualTo(d.stride());
        assertThat(out.isContiguous()).isTrue();
        assertThat(out.offset()).isZero();
        assertThat((long) out.data().length).as("size").isEqualTo(d.size());
        assertThat(VectorSet.sha256Hex(out.data(), 0, out.data().length)).as("sha256").isEqualTo(d.sha256());
        byte[] stored = set.readDecoded(d);
        if (stored != null) {
            assertBytes(out.data(), stored, id + " -> " + toType + " vs decoded/");
        }
        byte[] in = input(v);
        if (d.equalsInput()) {
            assertBytes(out.data(), in, id + " -> " + toType + " vs input");
        }
        // Our own rendering of the README's rules gives the same output.
        assertBytes(out.data(), QuicTestSupport.expectedDecode(type(v).bitmapFormat(), v.width(), v.height(), in, 0,
                v.stride(), v.topDown(), target), id + " -> " + toType + " vs documented rule");

        // The stream inside a larger array, with garbage after its end.
        byte[] embedded = new byte[enc.length + 37];
        Arrays.fill(embedded, (byte) 0xA5);
        System.arraycopy(enc, 0, embedded, 29, enc.length);
        SpiceBitmap again = SpiceBitmap.allocate(target, v.width(), v.height());
        dec.decode(embedded, 29, enc.length, again);
        assertBytes(again.data(), out.data(), id + " embedded");

        // Into a bottom-up destination with a padded stride, split into chunks: rows come out
        // flipped in storage, padding untouched.
        int rowBytes = d.stride();
        int stride = rowBytes + 5;
        byte[] flat = new byte[stride * v.height()];
        Arrays.fill(flat, (byte) 0x5C);
        SpiceChunks chunks = randomChunks(flat, 0, stride, v.height(), new Random(id.hashCode() + 1));
        SpiceBitmap bottomUp = SpiceBitmap.of(target, v.width(), v.height(), stride, false, chunks);
        dec.decode(enc, 0, enc.length, bottomUp);
        byte[] storedRows = gather(chunks);
        byte[] top = out.data();
        for (int y = 0; y < v.height(); y++) {
            int s = (v.height() - 1 - y) * stride;
            if (Arrays.mismatch(storedRows, s, s + rowBytes, top, y * rowBytes, (y + 1) * rowBytes) >= 0) {
                throw new AssertionError(id + ": picture row " + y + " is not at stored row " + (v.height() - 1 - y));
            }
            for (int p = s + rowBytes; p < s + stride; p++) {
                assertThat(storedRows[p]).as("padding byte %d of stored row", p - s - rowBytes).isEqualTo((byte) 0x5C);
            }
        }
    }

    // ---- quic.md §12: three known-answer vectors from the C reference --------------------

    private static final String RGB32_SRC = """
            00 00 00 00 08 00 10 00 10 00 20 00 18 00 30 00 20 00 40 00 28 00 50 00 30 00 60 00 38 00 70 00
            08 20 00 00 10 20 10 00 18 20 20 00 20 20 30 00 28 20 40 00 30 20 50 00 38 20 60 00 40 20 70 00
            10 40 00 00 18 40 10 00 20 40 20 00 32 64 c8 00 32 64 c8 00 32 64 c8 00 32 64 c8 00 32 64 c8 00
            18 60 00 00 20 60 10 00 28 60 20 00 32 64 c8 00 32 64 c8 00 32 64 c8 00 32 64 c8 00 32 64 c8 00""";
    private static final String RGB32_ENC = """
            51 55 49 43 00 00 00 00 04 00 00 00 08 00 00 00 04 00 00 00 00 80 80 80 00 a0 03 00 0e 86 0c 1a
            e1 60 38 18 10 0e 86 83 88 0b 00 00 0a 09 83 22 86 c1 30 0c 06 c3 30 18 0c c3 60 18 04 06 42 18
            18 0c c3 60 81 84 f6 03 08 5f 91 08 90 08 5d 90 b0 91 08 bb 30 18 81 81 a2 00 06 c3 13 10 50 25
            00 00 00 80 00 00 00 00""";
    private static final String RGBA_SRC = """
            0a 14 1e ff 0a 14 1e ff 0b 15 1f 80 00 00 00 00 0a 14 1e ff 0a 14 1e ff 0a 14 1e ff 01 02 03 04""";
    private static final String RGBA_ENC = """
            51 55 49 43 00 00 00 00 05 00 00 00 04 00 00 00 02 00 00 00 80 94 a8 bc 0a 85 80 80 58 99 da 2b
            03 00 00 18 08 c1 ff 65 be 77 21 84 00 ea 80 00 00 00 00 00""";
    private static final String RGB16_SRC = """
            00 00 01 18 02 30 03 48 04 60 21 01 22 19 23 31 24 49 25 61 42 02 43 1a 44 32 45 4a 46 62""";
    private static final String RGB16_ENC = """
            51 55 49 43 00 00 00 00 02 00 00 00 05 00 00 00 03 00 00 00 19 00 20 84 74 ee 5c e6 da 12 00 00
            6e ed d6 d6 ad cd 82 d6 da ad dd da 00 00 00 c0 00 00 00 00""";

    static Stream<Arguments> specVectors() {
        return Stream.of(
                Arguments.of("RGB32 8x4", QuicImageType.RGB32, 8, 4, RGB32_SRC, RGB32_ENC),
                Arguments.of("RGBA 4x2", QuicImageType.RGBA, 4, 2, RGBA_SRC, RGBA_ENC),
                Arguments.of("RGB16 5x3", QuicImageType.RGB16, 5, 3, RGB16_SRC, RGB16_ENC));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specVectors")
    void knownAnswersOfTheSpec(String name, QuicImageType t, int w, int h, String srcHex, String encHex) {
        byte[] src = hex(srcHex);
        byte[] expected = hex(encHex);
        assertThat(src).hasSize(w * h * t.bitmapFormat().bytesPerPixel());

        byte[] out = new byte[(int) QuicEncoder.maxEncodedLength(t, w, h)];
        int n = new QuicEncoder().encode(t, w, h, src, 0, w * t.bitmapFormat().bytesPerPixel(), true, out, 0,
                out.length);
        assertBytes(out, 0, n, expected, name + " encode");

        // The X byte of RGB32 decodes as 0; these sources already have X = 0 and bit 15 = 0.
        SpiceBitmap dec = new QuicDecoder().decode(expected, 0, expected.length, t.bitmapFormat());
        assertBytes(dec.data(), src, name + " decode");

        // Word 5 of the RGB32 vector, as the spec's worked example explains it.
        if (t == QuicImageType.RGB32) {
            assertThat(Arrays.copyOfRange(out, 20, 24)).containsExactly(0x00, 0x80, 0x80, 0x80);
        }
    }

    @Test
    void encoderRefusesToWriteWhenTheVectorDoesNotFit() {
        // Sanity check that DOES_NOT_FIT is reachable on a real vector, not only on synthetic images.
        Vector v = vector("quic/rgb24_7x5");
        byte[] in = input(v);
        byte[] expected = QuicTestSupport.encoded(v.id());
        byte[] out = new byte[expected.length - 4];
        assertThat(new QuicEncoder().encode(QuicImageType.RGB24, v.width(), v.height(), in, 0, v.stride(), true, out,
                0, out.length)).isEqualTo(ImageEncoder.DOES_NOT_FIT);
    }
}
