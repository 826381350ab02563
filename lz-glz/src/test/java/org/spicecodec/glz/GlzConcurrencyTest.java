package org.spicecodec.glz;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;

/**
 * Several encoders share one dictionary from several threads, as SPICE display channels do;
 * every stream must decode exactly with one client window.
 */
class GlzConcurrencyTest {

    record Encoded(long id, int channel, byte[] stream, byte[] expected) {
    }

    private static final int THREADS = 4;
    private static final int FRAMES = 40;
    private static final int W = 96;
    private static final int H = 48;
    private static final int REPEATS = Integer.getInteger("glz.stress.repeats", 4);

    /** All threads scroll through the same document, so they also match each other's images. */
    private static long overlaps;

    private static List<Encoded> encodeConcurrently(long seed, int window) throws Exception {
        Random rnd = new Random(seed);
        SpiceBitmapFormat f = SpiceBitmapFormat.RGB32;
        byte[] doc = GlzFrames.document(rnd, f, W, H + FRAMES * THREADS * 2);
        GlzDictionary dict = new GlzDictionary(window, THREADS, null);
        ConcurrentLinkedQueue<Encoded> results = new ConcurrentLinkedQueue<>();
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                final int channel = t;
                fs.add(pool.submit(() -> {
                    Random r = new Random(seed * 100 + channel);
                    byte[] out = new byte[1 << 16];
                    try (GlzEncoder enc = new GlzEncoder(dict)) {
                        start.await();
                        for (int k = 0; k < FRAMES; k++) {
                            int first = r.nextInt(FRAMES * THREADS * 2);
                            byte[] data = GlzFrames.frame(doc, f, W, H, first);
                            SpiceBitmap bmp = GlzTestSupport.bitmap(f, W, H, W * 4, true, data,
                                    GlzFrames.segments(r, H));
                            int n = enc.encode(bmp, out, 0, out.length);
                            assertThat(n).isPositive();
                            byte[] stream = java.util.Arrays.copyOf(out, n);
                            results.add(new Encoded(enc.lastImage().id(), channel, stream,
                                    GlzFrames.expected(bmp, data, null)));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> fu : fs) {
                fu.get(20, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        overlaps += dict.overlappingEncodes;
        List<Encoded> all = new ArrayList<>(results);
        all.sort(Comparator.comparingLong(Encoded::id));
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i).id()).isEqualTo(i);
        }
        return all;
    }

    @Test
    void sharedDictionaryStreamsDecodeInIdOrder() throws Exception {
        overlaps = 0;
        for (long seed = 1; seed <= REPEATS; seed++) {
            // small window: evictions happen while other encoders are busy (deferred removal)
            List<Encoded> all = encodeConcurrently(seed, W * H * (3 + (int) seed * 2));
            GlzDecoderWindow win = new GlzDecoderWindow(W * H * 16, 100);
            GlzDecoder dec = new GlzDecoder(win);
            for (Encoded e : all) {
                GlzDecodedImage img = dec.decode(e.stream(), 0, e.stream().length);
                assertThat(img.toBytes()).as("seed %d image %d", seed, e.id()).isEqualTo(e.expected());
            }
        }
        // the point of the test: encoders really ran at the same time
        if (Runtime.getRuntime().availableProcessors() > 1) {
            assertThat(overlaps).isPositive();
        }
    }

    @Test
    void channelsDecodeConcurrentlyWaitingForEachOther() throws Exception {
        channelsDecodeConcurrently(false);
    }

    /**
     * The same into bitmaps: the window recycles released images' pixel arrays between the
     * threads while others may still read them as references (pinning must prevent reuse).
     */
    @Test
    void channelsDecodeConcurrentlyIntoBitmapsWithRecycledBuffers() throws Exception {
        for (int i = 0; i < REPEATS; i++) {
            channelsDecodeConcurrently(true);
        }
    }

    private void channelsDecodeConcurrently(boolean intoBitmap) throws Exception {
        List<Encoded> all = encodeConcurrently(11, W * H * 6);
        GlzDecoderWindow win = new GlzDecoderWindow(W * H * 16, 5000);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Long>> fs = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                final int channel = t;
                fs.add(pool.submit(() -> {
                    GlzDecoder dec = new GlzDecoder(win);
                    SpiceBitmap dst = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, W, H);
                    for (Encoded e : all) {
                        if (e.channel() != channel) {
                            continue;
                        }
                        if (intoBitmap) {
                            dec.decode(e.stream(), 0, e.stream().length, dst);
                            assertThat(dst.data()).as("image %d", e.id()).isEqualTo(e.expected());
                        } else {
                            GlzDecodedImage img = dec.decode(e.stream(), 0, e.stream().length);
                            assertThat(img.toBytes()).as("image %d", e.id()).isEqualTo(e.expected());
                        }
                    }
                    return dec.crossImageReferences;
                }));
            }
            long refs = 0;
            for (Future<Long> fu : fs) {
                refs += fu.get(Duration.ofSeconds(20).toMillis(), TimeUnit.MILLISECONDS);
            }
            assertThat(refs).isPositive();
        } finally {
            pool.shutdownNow();
        }
        assertThat(win.tailGap()).isEqualTo(all.size());
        if (intoBitmap) {
            assertThat(win.pooledPixels()).isPositive();
        }
    }
}
