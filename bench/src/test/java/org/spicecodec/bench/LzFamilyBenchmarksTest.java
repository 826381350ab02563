package org.spicecodec.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.lz4.Lz4Codec;

/** Runs the setups and one call of each method of the LZ, GLZ and LZ4 benchmarks, so a broken bench fails the build. */
class LzFamilyBenchmarksTest {
    private static final long FRAME = 1920L * 1080 * 4;

    @Test
    void lzSetupRoundTripsAndMethodsCountBytes() {
        LzBenchmark b = new LzBenchmark();
        b.image = "screenshot";
        b.setup();
        assertThat(b.rawBytes()).isEqualTo(FRAME);
        ByteCounters c = new ByteCounters();
        c.reset();
        assertThat(b.encode(c)).isEqualTo(b.encodedLength());
        b.decode(c);
        assertThat(c.bytes).isEqualTo(2 * FRAME);
        assertThat(c.encodedBytes).isEqualTo(2L * b.encodedLength());
    }

    @Test
    void glzMethodsRepeatInASteadyState() {
        GlzBenchmark b = new GlzBenchmark();
        b.image = "screenshot";
        b.setup();
        ByteCounters c = new ByteCounters();
        c.reset();
        for (int i = 0; i < 3; i++) {
            assertThat(b.encode(c)).isEqualTo(b.encodedLength());
            b.decode(c);
        }
        assertThat(c.bytes).isEqualTo(6 * FRAME);

        GlzBenchmark.Scroll s = new GlzBenchmark.Scroll();
        s.setup(b);
        c.reset();
        for (int i = 0; i < 2; i++) {
            s.reset();
            assertThat(b.encodeScroll(s, c)).isEqualTo(s.sequenceBytes());
            s.reset();
            b.decodeScroll(s, c);
        }
        assertThat(c.bytes).isEqualTo(4 * GlzBenchmark.FRAMES * FRAME);
        // Later frames copy from earlier ones: the sequence costs far less than 10 lone frames.
        assertThat(s.sequenceBytes()).isLessThan(GlzBenchmark.FRAMES * (long) b.encodedLength() / 2);
    }

    @Test
    void scrolledFramesMoveRowsUp() {
        SpiceBitmap src = BenchImages.rgb32("screenshot");
        SpiceBitmap s = BenchImages.scrolled(src, 5);
        int stride = src.stride();
        assertThat(s.data()[0]).isEqualTo(src.data()[5 * stride]);
        assertThat(s.data()[(src.height() - 5) * stride + 7]).isEqualTo(src.data()[7]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "native"})
    void lz4SetupRoundTripsAndMethodsCountBytes(String impl) {
        assumeTrue(impl.equals("java") || Lz4Codec.nativeAvailable(), "lz4-java's native library does not load here");
        Lz4Benchmark b = new Lz4Benchmark();
        b.impl = impl;
        b.setup();
        assertThat(b.codec().impl().name()).isEqualToIgnoringCase(impl);
        ByteCounters c = new ByteCounters();
        c.reset();
        assertThat(b.imageEncode(c)).isEqualTo(b.imageEncodedLength());
        b.imageDecode(c);
        assertThat(c.bytes).isEqualTo(2 * FRAME);
        c.reset();
        assertThat(b.vmcCompress(c)).isEqualTo(b.vmcEncodedBytes());
        b.vmcDecompress(c);
        long batch = (long) Lz4Benchmark.VMC_PAYLOADS * Lz4Benchmark.VMC_PAYLOAD;
        assertThat(c.bytes).isEqualTo(2 * batch);
        // Mixed data: the compressed slices do not shrink, the screenshot slices do.
        assertThat(b.vmcEncodedBytes()).isLessThan(batch).isGreaterThan((long) Lz4Benchmark.VMC_COMPRESSED_SLICES
                * Lz4Benchmark.VMC_PAYLOAD);
    }
}
