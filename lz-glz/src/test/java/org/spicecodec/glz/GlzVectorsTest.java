package org.spicecodec.glz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpicePalette;
import org.spicecodec.core.vectors.Decode;
import org.spicecodec.core.vectors.GlzImage;
import org.spicecodec.core.vectors.GlzSequence;
import org.spicecodec.core.vectors.Vector;
import org.spicecodec.core.vectors.VectorSet;

/** Every GLZ sequence of the vendored set, encoded and decoded image by image. */
class GlzVectorsTest {

    private static Stream<GlzSequence> sequences() {
        List<GlzSequence> seqs = GlzTestSupport.vectorSet().glzSequences();
        assertThat(seqs).isNotEmpty();
        return seqs.stream();
    }

    @TestFactory
    Stream<DynamicTest> encoderIsByteExact() {
        return sequences().map(seq -> DynamicTest.dynamicTest(seq.id(), () -> encodeSequence(seq)));
    }

    @TestFactory
    Stream<DynamicTest> decoderMatchesReference() {
        return sequences().map(seq -> DynamicTest.dynamicTest(seq.id(), () -> decodeSequence(seq)));
    }

    private static void encodeSequence(GlzSequence seq) {
        List<Integer> evicted = new ArrayList<>();
        GlzDictionary dict = new GlzDictionary((int) seq.windowSizePixels(), seq.maxEncoders(),
                ctx -> evicted.add((Integer) ctx));
        dict.reset(seq.firstImageId());
        try (GlzEncoder enc = new GlzEncoder(dict)) {
            for (GlzImage gi : seq.images()) {
                Vector v = gi.vector();
                byte[] in = GlzTestSupport.input(v);
                SpiceBitmap bmp = GlzTestSupport.bitmap(v, in);
                byte[] expected = GlzTestSupport.encoded(v);
                byte[] out = new byte[(int) GlzEncoder.maxEncodedLength(bmp.format(), v.width(), v.height(),
                        v.stride()) + 64];
                evicted.clear();
                int n = enc.encode(bmp, gi.index(), out, 0, out.length);
                String what = v.id();
                assertThat(evicted).as(what + " evicted").isEqualTo(gi.evictedDuringEncode());
                assertThat(enc.lastImage().id()).as(what + " id").isEqualTo(gi.imageId());
                assertThat(n).as(what + " length").isEqualTo(expected.length);
                int i = Arrays.mismatch(out, 0, n, expected, 0, expected.length);
                if (i >= 0) {
                    fail("%s: first difference at byte %d of %d", what, i, expected.length);
                }
            }
        }
    }

    private static void decodeSequence(GlzSequence seq) throws IOException {
        VectorSet vs = GlzTestSupport.vectorSet();
        GlzDecoderWindow window = new GlzDecoderWindow(seq.windowSizePixels(), 1000);
        GlzDecoder dec = new GlzDecoder(window);
        for (GlzImage gi : seq.images()) {
            Vector v = gi.vector();
            byte[] enc = GlzTestSupport.encoded(v);
            int[] ents = vs.readPalette(v);
            SpicePalette pal = ents == null ? null : new SpicePalette(1, ents);
            GlzDecodedImage img = dec.decode(enc, 0, enc.length, pal);
            assertThat(img.id()).isEqualTo(gi.imageId());
            assertThat(img.winHeadDist()).isEqualTo(gi.winHeadDist());
            byte[] out = img.toBytes();
            for (Decode d : v.decodes()) {
                assertThat(d.stride()).as(v.id() + " stride").isEqualTo(img.rowPixels() * 4);
                assertThat(VectorSet.sha256Hex(out, 0, out.length)).as(v.id() + " sha256 to " + d.toType())
                        .isEqualTo(d.sha256());
            }
        }
    }
}
