package org.spicecodec.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Every stored row is tagged with its storage index in its first byte, so the sequence a
 * cursor visits can be read back directly.
 */
class RowCursorTest {
    private static final int STRIDE = 5;

    /** Chunks holding rows 0..n-1 (tag = storage index) split as {@code split}, each at a random offset. */
    private static SpiceChunks chunks(int[] split, Random rnd) {
        SpiceChunks.Builder b = SpiceChunks.builder();
        int row = 0;
        for (int n : split) {
            int lead = rnd.nextInt(4);
            byte[] arr = new byte[lead + n * STRIDE + rnd.nextInt(4)];
            for (int r = 0; r < n; r++, row++) {
                arr[lead + r * STRIDE] = (byte) row;
                arr[lead + r * STRIDE + 1] = (byte) 0xEE;
            }
            b.add(arr, lead, n * STRIDE);
        }
        return b.build();
    }

    private static List<Integer> visit(RowCursor c) {
        List<Integer> tags = new ArrayList<>();
        while (c.next()) {
            assertThat(c.array[c.offset + 1]).as("row start marker").isEqualTo((byte) 0xEE);
            tags.add(c.array[c.offset] & 0xFF);
        }
        // Exhausted cursors stay exhausted.
        assertThat(c.next()).isFalse();
        return tags;
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> l = new ArrayList<>();
        if (from <= to) {
            for (int i = from; i <= to; i++) {
                l.add(i);
            }
        } else {
            for (int i = from; i >= to; i--) {
                l.add(i);
            }
        }
        return l;
    }

    private static SpiceBitmap bitmap(int height, boolean topDown, int[] split) {
        return SpiceBitmap.of(SpiceBitmapFormat.GRAY8, 2, height, STRIDE, topDown, chunks(split, new Random(height)));
    }

    @Test
    void topDownRowsComeInStorageOrderEitherWay() {
        SpiceBitmap bm = bitmap(7, true, new int[] {3, 1, 3});
        RowCursor c = new RowCursor();
        c.reset(bm, true);
        assertThat(visit(c)).isEqualTo(range(0, 6));
        c.reset(bm, false);
        assertThat(visit(c)).isEqualTo(range(0, 6));
    }

    @Test
    void bottomUpPictureOrderWalksBackwardsAcrossChunks() {
        SpiceBitmap bm = bitmap(7, false, new int[] {2, 1, 4});
        RowCursor c = new RowCursor();
        c.reset(bm, true);
        assertThat(visit(c)).isEqualTo(range(6, 0));
        // Storage order ignores the orientation.
        c.reset(bm, false);
        assertThat(visit(c)).isEqualTo(range(0, 6));
    }

    @Test
    void emptyChunksAreSkippedInBothDirections() {
        SpiceBitmap bm = bitmap(5, false, new int[] {0, 2, 0, 0, 1, 2, 0});
        RowCursor c = new RowCursor();
        c.reset(bm, true);
        assertThat(visit(c)).isEqualTo(range(4, 0));
        c.reset(bm, false);
        assertThat(visit(c)).isEqualTo(range(0, 4));
    }

    @Test
    void rowsBeyondTheHeightAreNotVisited() {
        // Chunks may hold more rows than the bitmap has: the extra ones come after it in storage.
        SpiceBitmap bm = bitmap(4, false, new int[] {3, 3});
        RowCursor c = new RowCursor();
        c.reset(bm, true);
        assertThat(visit(c)).isEqualTo(range(3, 0));
        c.reset(bm, false);
        assertThat(visit(c)).isEqualTo(range(0, 3));
        SpiceBitmap td = bitmap(4, true, new int[] {3, 3});
        c.reset(td, true);
        assertThat(visit(c)).isEqualTo(range(0, 3));
    }

    @Test
    void oneRowPerChunkAndRandomSplits() {
        Random rnd = new Random(3);
        RowCursor c = new RowCursor();
        for (int round = 0; round < 200; round++) {
            int h = 1 + rnd.nextInt(40);
            List<Integer> split = new ArrayList<>();
            int left = h;
            while (left > 0) {
                int n = rnd.nextInt(5) == 0 ? 0 : Math.min(left, 1 + rnd.nextInt(6));
                split.add(n);
                left -= n;
            }
            if (rnd.nextBoolean()) {
                split.add(0);
            }
            int[] s = split.stream().mapToInt(Integer::intValue).toArray();
            boolean topDown = rnd.nextBoolean();
            SpiceBitmap bm = SpiceBitmap.of(SpiceBitmapFormat.GRAY8, 2, h, STRIDE, topDown, chunks(s, rnd));
            // One cursor reused across bitmaps and modes.
            c.reset(bm, true);
            assertThat(visit(c)).as("split %s, top-down %s", split, topDown)
                    .isEqualTo(topDown ? range(0, h - 1) : range(h - 1, 0));
            c.reset(bm, false);
            assertThat(visit(c)).isEqualTo(range(0, h - 1));
        }
    }

    @Test
    void singleArrayMode() {
        int h = 6;
        byte[] arr = new byte[3 + h * STRIDE];
        for (int r = 0; r < h; r++) {
            arr[3 + r * STRIDE] = (byte) r;
            arr[3 + r * STRIDE + 1] = (byte) 0xEE;
        }
        RowCursor c = new RowCursor();
        c.reset(arr, 3, STRIDE, h, false);
        assertThat(visit(c)).isEqualTo(range(0, h - 1));
        assertThat(c.array).isSameAs(arr);
        c.reset(arr, 3, STRIDE, h, true);
        assertThat(visit(c)).isEqualTo(range(h - 1, 0));
        // Switching between array mode and bitmap mode on one cursor.
        c.reset(bitmap(3, false, new int[] {1, 2}), true);
        assertThat(visit(c)).isEqualTo(range(2, 0));
        c.reset(arr, 3, STRIDE, 2, true);
        assertThat(visit(c)).isEqualTo(range(1, 0));
        c.reset(bitmap(3, true, new int[] {1, 2}), true);
        assertThat(visit(c)).isEqualTo(range(0, 2));
    }

    @Test
    void rowOffsetsFollowTheStride() {
        byte[] arr = new byte[40];
        SpiceBitmap bm = SpiceBitmap.of(SpiceBitmapFormat.RGB24, 3, 4, 10, false, arr, 0);
        RowCursor c = new RowCursor();
        c.reset(bm, true);
        List<Integer> offsets = new ArrayList<>();
        while (c.next()) {
            assertThat(c.array).isSameAs(arr);
            offsets.add(c.offset);
        }
        assertThat(offsets).containsExactly(30, 20, 10, 0);
    }
}
