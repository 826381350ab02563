package org.spicecodec.glz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpiceChunks;

/**
 * A single-encoder dictionary in its steady state (images entering and leaving the window)
 * allocates nothing per image: evicted image records and segment slots are reused. Counts
 * bytes, not time.
 */
class GlzAllocationTest {

    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) THREADS).getCurrentThreadAllocatedBytes();
    }

    @Test
    void steadyStateEncodeAllocatesNothing() {
        assumeThat(THREADS).isInstanceOf(com.sun.management.ThreadMXBean.class);
        Random rnd = new Random(11);
        int w = 200;
        int h = 30;
        int stride = w * 4;
        byte[] d = new byte[stride * h];
        // half noise, half flat: literals, runs and matches all occur
        for (int i = 0; i < d.length / 2; i++) {
            d[i] = (byte) rnd.nextInt(4);
        }
        SpiceBitmap src = SpiceBitmap.of(SpiceBitmapFormat.RGB32, w, h, stride, true, d, 0);
        SpiceBitmap chunked = SpiceBitmap.of(SpiceBitmapFormat.RGB32, w, h, stride, true,
                SpiceChunks.of(Arrays.copyOf(d, stride * 10), Arrays.copyOfRange(d, stride * 10, stride * h)));
        // a window of about three images, so every encode evicts one
        GlzDictionary dict = new GlzDictionary(w * h * 3 + 10, 1, ctx -> { });
        try (GlzEncoder enc = new GlzEncoder(dict)) {
            byte[] out = new byte[(int) enc.maxEncodedLength(SpiceBitmapFormat.RGB32, w, h) + 16];
            byte[] small = new byte[GlzFormat.HEADER_SIZE + 2];
            int[] results = new int[3];
            // no assertions inside: they allocate
            Runnable work = () -> {
                results[0] = enc.encode(src, out, 0, out.length);
                results[1] = enc.encode(chunked, out, 0, out.length);
                results[2] = enc.encode(src, small, 0, small.length);
            };
            for (int warm = 0; warm < 200; warm++) {
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
            assertThat(results[0]).isPositive();
            assertThat(results[1]).isPositive();
            assertThat(results[2]).isEqualTo(GlzEncoder.DOES_NOT_FIT);
            assertThat(allocated).as("bytes allocated by 20 rounds").isZero();
        }
    }

    /**
     * Decoding into a caller's bitmap through a window that evicts old images (as GlzBenchmark
     * does) reuses the evicted images' pixel arrays: a round of frames allocates no pixel
     * memory, only the window's index entry and image record per image (small, fixed size).
     */
    @Test
    void steadyStateDecodeAllocatesNoPixels() {
        assumeThat(THREADS).isInstanceOf(com.sun.management.ThreadMXBean.class);
        Random rnd = new Random(12);
        int w = 160;
        int h = 40;
        int stride = w * 4;
        int frames = 8;
        // scrolling noise-and-flat frames, so later frames copy from earlier ones
        byte[] doc = new byte[stride * (h + frames * 4)];
        for (int i = 0; i < doc.length; i++) {
            doc[i] = (byte) (i % 7 < 3 ? rnd.nextInt(4) : 0);
        }
        // a window of about three images on both sides, so every image evicts an older one
        GlzDictionary dict = new GlzDictionary(w * h * 3 + 10, 1, ctx -> { });
        byte[][] streams = new byte[frames][];
        try (GlzEncoder enc = new GlzEncoder(dict)) {
            byte[] out = new byte[(int) enc.maxEncodedLength(SpiceBitmapFormat.RGB32, w, h) + 16];
            for (int k = 0; k < frames; k++) {
                SpiceBitmap src = SpiceBitmap.of(SpiceBitmapFormat.RGB32, w, h, stride, true,
                        Arrays.copyOfRange(doc, k * 4 * stride, (k * 4 + h) * stride), 0);
                int n = enc.encode(src, out, 0, out.length);
                assertThat(n).isPositive();
                streams[k] = Arrays.copyOf(out, n);
            }
        }
        GlzDecoderWindow window = new GlzDecoderWindow(w * h * 3 + 10, 0);
        GlzDecoder dec = new GlzDecoder(window);
        SpiceBitmap dst = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, w, h);
        Runnable work = () -> {
            window.clear(0);
            for (byte[] s : streams) {
                dec.decode(s, 0, s.length, dst);
            }
        };
        for (int warm = 0; warm < 300; warm++) {
            work.run();
        }
        assertThat(dec.crossImageReferences).isPositive();
        allocatedBytes();
        long allocated = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 5; attempt++) {
            long before = allocatedBytes();
            for (int round = 0; round < 20; round++) {
                work.run();
            }
            allocated = Math.min(allocated, allocatedBytes() - before);
        }
        long images = 20L * frames;
        System.out.println("GLZ steady-state decode: " + allocated + " bytes for " + images + " images");
        // One image is 4 * w * h = 25,600 bytes of pixels: anything near that per image would
        // be a pixel array. The per-image residue is the window's TreeMap entry and boxed id,
        // the GlzDecodedImage record and the parsed header.
        assertThat(allocated / images).as("bytes allocated per image").isLessThan(256);
        assertThat(window.pooledPixels()).isLessThanOrEqualTo(2 * window.windowPixels());
    }
}
