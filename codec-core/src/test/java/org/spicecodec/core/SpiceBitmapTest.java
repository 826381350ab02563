package org.spicecodec.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class SpiceBitmapTest {

    @Test
    void aTightTopDownBitmapOverOneArray() {
        byte[] data = new byte[4 * 3 * 2];
        SpiceBitmap bm = SpiceBitmap.of(SpiceBitmapFormat.RGB32, 3, 2, data);
        assertThat(bm.format()).isEqualTo(SpiceBitmapFormat.RGB32);
        assertThat(bm.width()).isEqualTo(3);
        assertThat(bm.height()).isEqualTo(2);
        assertThat(bm.stride()).isEqualTo(12);
        assertThat(bm.topDown()).isTrue();
        assertThat(bm.palette()).isNull();
        assertThat(bm.isContiguous()).isTrue();
        assertThat(bm.data()).isSameAs(data);
        assertThat(bm.offset()).isZero();
        assertThat(bm.chunks().count()).isEqualTo(1);
        assertThat(bm.chunks().totalLength()).isEqualTo(24);
        assertThat(bm.toString()).contains("RGB32", "3x2", "top-down");
    }

    @Test
    void anArrayWindowWithOffsetAndPaddedStride() {
        byte[] data = new byte[5 + 7 * 4];
        SpiceBitmap bm = SpiceBitmap.of(SpiceBitmapFormat.RGB24, 2, 4, 7, false, data, 5);
        assertThat(bm.offset()).isEqualTo(5);
        assertThat(bm.stride()).isEqualTo(7);
        assertThat(bm.topDown()).isFalse();
        assertThat(bm.chunks().length(0)).isEqualTo(28);
        assertThat(bm.toString()).contains("bottom-up");
    }

    @Test
    void allocateGivesAZeroedTightBitmap() {
        SpiceBitmap bm = SpiceBitmap.allocate(SpiceBitmapFormat.PLT4_BE, 5, 3);
        assertThat(bm.stride()).isEqualTo(3);
        assertThat(bm.data()).hasSize(9).containsOnly(0);
        assertThat(bm.topDown()).isTrue();
        assertThatThrownBy(() -> SpiceBitmap.allocate(SpiceBitmapFormat.RGBA, 65536, 65536))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
        "RGB32, 3, 11", "RGB24, 3, 8", "RGB16, 5, 9", "RGBA, 1, 3", "GRAY8, 10, 9", "A8, 2, 1",
        "PLT8, 4, 3", "PLT4_LE, 5, 2", "PLT4_BE, 2, 0", "PLT1_LE, 9, 1", "PLT1_BE, 17, 2",
    })
    void strideBelowTheRowSizeIsRejected(SpiceBitmapFormat f, int width, int stride) {
        assertThatThrownBy(() -> SpiceBitmap.of(f, width, 1, stride, true, new byte[64], 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpiceBitmap.of(f, width, 1, stride, true, SpiceChunks.of(new byte[stride * 4])))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
        "RGB32, 3, 12", "RGB24, 3, 9", "RGB16, 5, 10", "GRAY8, 10, 10", "PLT4_LE, 5, 3", "PLT1_BE, 17, 3",
        "PLT1_LE, 8, 1", "PLT4_BE, 1, 1",
    })
    void theTightStrideIsAccepted(SpiceBitmapFormat f, int width, int stride) {
        assertThat(f.minStride(width)).isEqualTo(stride);
        assertThat(SpiceBitmap.of(f, width, 2, stride, true, new byte[stride * 2], 0).stride()).isEqualTo(stride);
    }

    @Test
    void sizeMustBePositive() {
        assertThatThrownBy(() -> SpiceBitmap.of(SpiceBitmapFormat.RGB32, 0, 1, 4, true, new byte[4], 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpiceBitmap.of(SpiceBitmapFormat.RGB32, 1, 0, 4, true, new byte[4], 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpiceBitmap.of(SpiceBitmapFormat.RGB32, -1, 1, 4, true, SpiceChunks.of(new byte[4])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpiceBitmap.of(SpiceBitmapFormat.RGB32, 1, 1, 0, true, new byte[4], 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpiceBitmap.of(SpiceBitmapFormat.RGB32, 1, 1, -4, true, new byte[4], 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theArrayMustHoldEveryRow() {
        assertThatThrownBy(() -> SpiceBitmap.of(SpiceBitmapFormat.RGB24, 2, 3, 6, true, new byte[17], 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpiceBitmap.of(SpiceBitmapFormat.RGB24, 2, 3, 6, true, new byte[18], 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpiceBitmap.of(SpiceBitmapFormat.RGB24, 2, 3, 6, true, new byte[18], -1))
                .isInstanceOf(IllegalArgumentException.class);
        // Overflowing stride * height is not "enough".
        assertThatThrownBy(() -> SpiceBitmap.of(SpiceBitmapFormat.GRAY8, 1, 1 << 16, 1 << 16, true, new byte[16], 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpiceBitmap.of(SpiceBitmapFormat.RGB24, 2, 3, 6, true, null, 0))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> SpiceBitmap.of(null, 2, 3, 6, true, new byte[18], 0))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void chunksMustHoldWholeRows() {
        SpiceChunks ragged = SpiceChunks.of(new byte[12], new byte[7], new byte[6]);
        assertThatThrownBy(() -> SpiceBitmap.of(SpiceBitmapFormat.RGB24, 2, 4, 6, true, ragged))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chunk 1");
        SpiceChunks whole = SpiceChunks.of(new byte[12], new byte[6], new byte[6]);
        SpiceBitmap bm = SpiceBitmap.of(SpiceBitmapFormat.RGB24, 2, 4, 6, true, whole);
        assertThat(bm.isContiguous()).isFalse();
        assertThatThrownBy(bm::data).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(bm::offset).isInstanceOf(IllegalStateException.class);
        assertThat(bm.toString()).contains("3 chunk");
    }

    @Test
    void chunksMustHoldEnoughRows() {
        SpiceChunks three = SpiceChunks.of(new byte[8], new byte[4]);
        assertThatThrownBy(() -> SpiceBitmap.of(SpiceBitmapFormat.RGB16, 2, 4, 4, false, three))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 rows");
        // More rows than needed are allowed; empty chunks hold zero whole rows.
        SpiceChunks five = SpiceChunks.builder().add(new byte[8], 0, 8).add(new byte[3], 1, 0)
                .add(new byte[20], 4, 12).build();
        assertThat(SpiceBitmap.of(SpiceBitmapFormat.RGB16, 2, 4, 4, false, five).height()).isEqualTo(4);
    }

    @Test
    void withPaletteKeepsEverythingElse() {
        byte[] data = new byte[6];
        SpiceBitmap bm = SpiceBitmap.of(SpiceBitmapFormat.PLT8, 3, 2, data);
        SpicePalette pal = new SpicePalette(7, new int[] {0x112233, 0x445566});
        SpiceBitmap withPal = bm.withPalette(pal);
        assertThat(withPal.palette()).isSameAs(pal);
        assertThat(withPal.data()).isSameAs(data);
        assertThat(withPal.width()).isEqualTo(3);
        assertThat(withPal.height()).isEqualTo(2);
        assertThat(bm.palette()).isNull();
    }

    @ParameterizedTest
    @EnumSource(SpiceBitmapFormat.class)
    void formatValuesRoundTrip(SpiceBitmapFormat f) {
        if (f == SpiceBitmapFormat.GRAY8) {
            assertThat(f.value()).isEqualTo(-1);
            assertThat(SpiceBitmapFormat.fromValue(-1)).isNull();
        } else {
            assertThat(SpiceBitmapFormat.fromValue(f.value())).isSameAs(f);
        }
        assertThat(f.isPalette()).isEqualTo(f.maxPaletteEntries() > 0);
        assertThat(f.minStride(1)).isEqualTo((f.bitsPerPixel() + 7) / 8);
    }

    @Test
    void formatTable() {
        assertThat(SpiceBitmapFormat.fromValue(0)).isNull();
        assertThat(SpiceBitmapFormat.fromValue(11)).isNull();
        assertThat(SpiceBitmapFormat.fromValue(8)).isEqualTo(SpiceBitmapFormat.RGB32);
        assertThat(SpiceBitmapFormat.PLT1_LE.maxPaletteEntries()).isEqualTo(2);
        assertThat(SpiceBitmapFormat.PLT4_BE.maxPaletteEntries()).isEqualTo(16);
        assertThat(SpiceBitmapFormat.PLT8.maxPaletteEntries()).isEqualTo(256);
        assertThat(SpiceBitmapFormat.RGB16.bytesPerPixel()).isEqualTo(2);
        assertThat(SpiceBitmapFormat.RGBA.bytesPerPixel()).isEqualTo(4);
        assertThat(SpiceBitmapFormat.PLT1_BE.bytesPerPixel()).isZero();
        assertThat(SpiceBitmapFormat.RGB32.minStride(1L << 30)).isEqualTo(1L << 32);
    }

    @Test
    void chunkBuilderChecksBoundsAndKeepsOrder() {
        byte[] a = new byte[10];
        byte[] b = new byte[3];
        SpiceChunks c = SpiceChunks.builder().add(a, 2, 8).add(b, 0, 3).add(a, 0, 0).add(b, 3, 0).add(a, 9, 1)
                .build();
        assertThat(c.count()).isEqualTo(5);
        assertThat(c.data(1)).isSameAs(b);
        assertThat(c.offset(0)).isEqualTo(2);
        assertThat(c.length(4)).isEqualTo(1);
        assertThat(c.totalLength()).isEqualTo(12);
        assertThatThrownBy(() -> SpiceChunks.builder().add(a, 5, 6)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> SpiceChunks.builder().add(a, -1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> SpiceChunks.of(a, 8, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> SpiceChunks.builder().build()).isInstanceOf(IllegalStateException.class);
        assertThat(SpiceChunks.of(a).length(0)).isEqualTo(10);
    }

    @Test
    void palettesAreImmutableValues() {
        int[] ents = {1, 2, 3};
        SpicePalette p = new SpicePalette(42, ents);
        ents[0] = 99;
        assertThat(p.get(0)).isEqualTo(1);
        p.entries()[1] = 99;
        assertThat(p.get(1)).isEqualTo(2);
        assertThat(p.size()).isEqualTo(3);
        assertThat(p.unique()).isEqualTo(42);
        assertThat(p).isEqualTo(new SpicePalette(42, new int[] {1, 2, 3}))
                .hasSameHashCodeAs(new SpicePalette(42, new int[] {1, 2, 3}))
                .isNotEqualTo(new SpicePalette(43, new int[] {1, 2, 3}))
                .isNotEqualTo(new SpicePalette(42, new int[] {1, 2}));
        assertThatThrownBy(() -> new SpicePalette(0, new int[257])).isInstanceOf(IllegalArgumentException.class);
        assertThat(new SpicePalette(0, new int[256]).size()).isEqualTo(256);
    }
}
