package org.spicecodec.lz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpiceChunks;
import org.spicecodec.core.SpicePalette;

/**
 * Once an encoder and a decoder have seen an image of a given size, coding more images
 * allocates nothing, including chunked input, the spill path of a short output, palette
 * expansion and destinations that need the scratch buffer. Counts bytes, not time.
 */
class LzAllocationTest {

    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) THREADS).getCurrentThreadAllocatedBytes();
    }

    @Test
    void steadyStateEncodeAndDecodeAllocateNothing() {
        assumeThat(THREADS).isInstanceOf(com.sun.management.ThreadMXBean.class);
        Random rnd = new Random(7);
        SpicePalette palette = new SpicePalette(1, new int[] {0x102030, 0x405060, 0x708090});
        for (LzImageType type : LzImageType.values()) {
            int w = 300;
            int h = 40;
            SpiceBitmapFormat f = type.bitmapFormat();
            int stride = (int) type.tightStride(w);
            byte[] d = new byte[stride * h];
            // Half noise, half flat, so literals, matches and runs all occur.
            for (int i = 0; i < d.length / 2; i++) {
                d[i] = (byte) rnd.nextInt(4);
            }
            SpiceBitmap src = SpiceBitmap.of(f, w, h, stride, true, d, 0);
            SpiceBitmap chunked = SpiceBitmap.of(f, w, h, stride, true,
                    SpiceChunks.of(Arrays.copyOf(d, stride * 10), Arrays.copyOfRange(d, stride * 10, stride * h)));
            LzEncoder encoder = new LzEncoder();
            LzDecoder decoder = new LzDecoder();
            byte[] out = new byte[(int) LzEncoder.maxEncodedLength(type, w, h)];
            byte[] small = new byte[out.length / 2];
            SpiceBitmapFormat target = type.isPalette() ? SpiceBitmapFormat.RGB32 : f;
            SpiceBitmap dst = SpiceBitmap.allocate(target, w, h).withPalette(palette);
            SpiceBitmap flipped = SpiceBitmap.of(target, w, h, (int) target.minStride(w), false,
                    new byte[(int) target.minStride(w) * h], 0).withPalette(palette);
            Runnable work = () -> {
                int n = encoder.encode(type, src, out, 0, out.length);
                encoder.encode(type, chunked, out, 0, out.length);
                encoder.encode(type, src, small, 0, small.length);
                n = encoder.encode(type, src, out, 0, out.length);
                decoder.decode(out, 0, n, dst);
                decoder.decode(out, 0, n, flipped);
            };
            for (int warm = 0; warm < 100; warm++) {
                work.run();
            }
            allocatedBytes(); // the first calls of the counter may allocate themselves
            // A JIT recompilation in the middle of a round can allocate on its own; a real
            // per-image allocation shows in every round, so the best of a few rounds counts.
            long allocated = Long.MAX_VALUE;
            for (int attempt = 0; attempt < 5 && allocated != 0; attempt++) {
                long before = allocatedBytes();
                for (int round = 0; round < 20; round++) {
                    work.run();
                }
                allocated = Math.min(allocated, allocatedBytes() - before);
            }
            assertThat(allocated).as("bytes allocated by 20 rounds of %s", type).isZero();
        }
    }
}
