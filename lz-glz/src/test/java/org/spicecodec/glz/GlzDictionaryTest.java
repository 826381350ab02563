package org.spicecodec.glz;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Window bookkeeping of the dictionary: heads, deferred eviction, slot reuse order. */
class GlzDictionaryTest {
    private static final int TYPE = GlzFormat.RGB32;

    private final List<Object> evicted = new ArrayList<>();

    /** Adds a 10x{rows} RGB32 image in the given chunks for encoder {@code enc}. */
    private static GlzDictionary.Image add(GlzDictionary d, int enc, long[] dist, Object ctx, int... chunkRows) {
        int n = chunkRows.length;
        byte[][] data = new byte[n][];
        int[] start = new int[n];
        int height = 0;
        for (int i = 0; i < n; i++) {
            data[i] = new byte[chunkRows[i] * 40];
            height += chunkRows[i];
        }
        return d.preEncode(enc, TYPE, height, 40, data, start, chunkRows, n, ctx, dist);
    }

    @Test
    void evictionIsDeferredWhileAnotherEncoderIsBusy() {
        GlzDictionary d = new GlzDictionary(300, 2, evicted::add); // three images of 100 pixels
        long[] dist = new long[1];
        for (int i = 0; i < 3; i++) {
            add(d, 0, dist, i, 10);
            d.postEncode(0);
        }
        assertThat(dist[0]).isEqualTo(2);
        // encoder 1 starts: its head is image 1 (image 0 must make room), and image 0 goes now
        add(d, 1, dist, 3, 10);
        assertThat(dist[0]).isEqualTo(2);
        assertThat(evicted).containsExactly(0);
        // encoder 0 starts while 1 is busy: head moves to image 2, but image 1 stays for encoder 1
        add(d, 0, dist, 4, 10);
        assertThat(dist[0]).isEqualTo(2);
        assertThat(evicted).containsExactly(0);
        // encoder 0 finishes first: encoder 1 still needs image 1
        d.postEncode(0);
        assertThat(evicted).containsExactly(0);
        // encoder 1 finishes: as in the reference, the physical head only moves at the next
        // pre-encode that finds the dictionary idle (post-encode compares against the
        // unchanged used-segments head)
        d.postEncode(1);
        assertThat(evicted).containsExactly(0);
        add(d, 0, dist, 5, 10);
        d.postEncode(0);
        assertThat(evicted).containsExactly(0, 1, 2);
        assertThat(dist[0]).isEqualTo(2);
        assertThat(d.nextImageId()).isEqualTo(6);
    }

    @Test
    void freedSlotsAreReusedFirstToLast() {
        GlzDictionary d = new GlzDictionary(100, 1, evicted::add);
        long[] dist = new long[1];
        GlzDictionary.Image a = add(d, 0, dist, "a", 2, 3, 5);
        d.postEncode(0);
        assertThat(java.util.Arrays.copyOf(a.segs, a.segCount)).containsExactly(0, 1, 2);
        // the new image needs the whole window: "a" is evicted and its slots are reused in order
        GlzDictionary.Image b = add(d, 0, dist, "b", 4, 6);
        d.postEncode(0);
        assertThat(evicted).containsExactly("a");
        assertThat(dist[0]).isZero();
        assertThat(java.util.Arrays.copyOf(b.segs, b.segCount)).containsExactly(0, 1);
        GlzDictionary.Image c = add(d, 0, dist, "c", 1, 1, 1, 7);
        d.postEncode(0);
        // b's slots 0,1 go to the front of the free list, ahead of a's leftover slot 2, then 3...
        assertThat(java.util.Arrays.copyOf(c.segs, c.segCount)).containsExactly(0, 1, 2, 3);
    }

    @Test
    void killedImagesStillCountButAreNotReported() {
        GlzDictionary d = new GlzDictionary(200, 1, evicted::add);
        long[] dist = new long[1];
        GlzDictionary.Image a = add(d, 0, dist, "a", 10);
        d.postEncode(0);
        d.killImage(a);
        add(d, 0, dist, "b", 10);
        d.postEncode(0);
        assertThat(dist[0]).isEqualTo(1);
        add(d, 0, dist, "c", 10);
        d.postEncode(0);
        assertThat(evicted).isEmpty(); // "a" left the window dead: no callback
        d.reset(40);
        assertThat(evicted).containsExactly("b", "c");
        assertThat(d.nextImageId()).isEqualTo(40);
    }
}
