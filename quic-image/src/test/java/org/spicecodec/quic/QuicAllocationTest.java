package org.spicecodec.quic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.lang.management.ManagementFactory;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;

/**
 * Once an encoder and a decoder have seen an image of a given width, coding more images
 * allocates nothing: the hot paths work on the caller's arrays and their own scratch rows.
 * This counts bytes allocated by the thread, not time.
 */
class QuicAllocationTest {

    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) THREADS).getCurrentThreadAllocatedBytes();
    }

    @Test
    void steadyStateEncodeAndDecodeAllocateNothing() {
        assumeThat(THREADS).isInstanceOf(com.sun.management.ThreadMXBean.class);
        Random rnd = new Random(7);
        for (SpiceBitmapFormat format : new SpiceBitmapFormat[] {SpiceBitmapFormat.RGB32, SpiceBitmapFormat.RGBA,
            SpiceBitmapFormat.RGB24, SpiceBitmapFormat.RGB16, SpiceBitmapFormat.GRAY8}) {
            int w = 300;
            int h = 40;
            SpiceBitmap src = SpiceBitmap.allocate(format, w, h);
            byte[] d = src.data();
            // Half noise, half flat rows, so both the pixel and the run paths are exercised.
            for (int i = 0; i < d.length / 2; i++) {
                d[i] = (byte) rnd.nextInt();
            }
            QuicEncoder encoder = new QuicEncoder();
            QuicDecoder decoder = new QuicDecoder();
            byte[] out = new byte[(int) encoder.maxEncodedLength(format, w, h)];
            SpiceBitmap dst = SpiceBitmap.allocate(format, w, h);
            int n = 0;
            for (int warm = 0; warm < 200; warm++) {
                n = encoder.encode(src, out, 0, out.length);
                decoder.decode(out, 0, n, dst);
            }
            allocatedBytes(); // the first calls of the counter may allocate themselves
            // A JIT recompilation in the middle of a round can allocate on its own; a real
            // per-image allocation shows in every round, so the best of a few rounds counts.
            long allocated = Long.MAX_VALUE;
            for (int attempt = 0; attempt < 5 && allocated != 0; attempt++) {
                long before = allocatedBytes();
                for (int round = 0; round < 20; round++) {
                    n = encoder.encode(src, out, 0, out.length);
                    decoder.decode(out, 0, n, dst);
                }
                allocated = Math.min(allocated, allocatedBytes() - before);
            }
            assertThat(allocated).as("bytes allocated by 20 encodes and decodes of %s", format).isZero();
        }
    }
}
