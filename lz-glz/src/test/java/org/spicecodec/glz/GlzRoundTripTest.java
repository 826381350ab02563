package org.spicecodec.glz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpicePalette;

/** Multi-image round trips through one dictionary and one decoder window. */
class GlzRoundTripTest {

    @ParameterizedTest
    @EnumSource(value = SpiceBitmapFormat.class, names = {"PLT1_LE", "PLT1_BE", "PLT4_LE", "PLT4_BE", "PLT8",
            "RGB16", "RGB24", "RGB32", "RGBA"})
    void scrollingFramesRoundTrip(SpiceBitmapFormat f) {
        for (int seed = 0; seed < 6; seed++) {
            Random rnd = new Random(seed * 31L + f.ordinal());
            int width = 1 + rnd.nextInt(seed < 2 ? 8 : 150);
            int height = 1 + rnd.nextInt(seed < 2 ? 6 : 90);
            int frames = 12;
            int scroll = 1 + rnd.nextInt(5);
            byte[] doc = GlzFrames.document(rnd, f, width, height + frames * scroll);
            SpicePalette pal = f.isPalette() ? GlzFrames.palette(rnd, f) : null;
            long size = GlzDictionary.pixelsNum(f.value(), height, f.minStride(width));
            // windows from "one image" to "everything", so eviction happens
            int window = (int) Math.max(size, size * (1 + rnd.nextInt(5)));
            GlzDictionary dict = new GlzDictionary(window, 1, null);
            GlzDecoderWindow win = new GlzDecoderWindow(window, 100);
            GlzDecoder dec = new GlzDecoder(win);
            int stride = (int) f.minStride(width);
            long total = 0;
            try (GlzEncoder enc = new GlzEncoder(dict)) {
                for (int k = 0; k < frames; k++) {
                    byte[] data = GlzFrames.frame(doc, f, width, height, k * scroll);
                    SpiceBitmap bmp = GlzTestSupport.bitmap(f, width, height, stride, rnd.nextBoolean(), data,
                            GlzFrames.segments(rnd, height));
                    byte[] out = new byte[(int) GlzEncoder.maxEncodedLength(f, width, height, stride) + height * 2];
                    int n = enc.encode(bmp, out, 0, out.length);
                    assertThat(n).isPositive();
                    total += n;
                    GlzDecodedImage img = dec.decode(out, 0, n, pal);
                    assertThat(img.id()).isEqualTo(k);
                    byte[] exp = GlzFrames.expected(bmp, data, pal);
                    byte[] got = img.toBytes();
                    int i = Arrays.mismatch(got, exp);
                    assertThat(i).as("%s seed %d frame %d %dx%d first difference", f, seed, k, width, height)
                            .isEqualTo(-1);
                }
            }
            assertThat(total).isPositive();
        }
    }

    @Test
    void crossImageReferencesHappenAndPayOff() {
        Random rnd = new Random(5);
        SpiceBitmapFormat f = SpiceBitmapFormat.RGB32;
        int width = 200;
        int height = 120;
        byte[] doc = GlzFrames.document(rnd, f, width, height + 40);
        // make rows unique so in-image matches cannot explain the gain
        for (int r = 0; r < height + 40; r++) {
            for (int x = 0; x < 8; x++) {
                doc[r * width * 4 + x * 4] = (byte) rnd.nextInt();
                doc[r * width * 4 + x * 4 + 1] = (byte) r;
                doc[r * width * 4 + x * 4 + 2] = (byte) (r >> 8);
            }
        }
        // no eviction here: inside matched areas the reference only hashes match boundaries, so
        // once the oldest image goes its hash entries are stale and later frames lose matches
        GlzDictionary dict = new GlzDictionary(width * height * 8);
        GlzDecoder dec = new GlzDecoder(new GlzDecoderWindow(width * height * 8, 100));
        byte[] out = new byte[1 << 20];
        int[] sizes = new int[5];
        try (GlzEncoder enc = new GlzEncoder(dict)) {
            for (int k = 0; k < 5; k++) {
                byte[] data = GlzFrames.frame(doc, f, width, height, k * 3);
                int n = enc.encode(SpiceBitmap.of(f, width, height, width * 4, true, data, 0), out, 0, out.length);
                sizes[k] = n;
                GlzDecodedImage img = dec.decode(out, 0, n);
                assertThat(img.toBytes()).isEqualTo(GlzFrames.expected(
                        SpiceBitmap.of(f, width, height, width * 4, true, data, 0), data, null));
            }
        }
        assertThat(dec.crossImageReferences).isPositive();
        for (int k = 1; k < 5; k++) {
            assertThat(sizes[k]).as("frame %d", k).isLessThan(sizes[0] / 4);
        }
    }

    @Test
    void outputThatDoesNotFitKillsTheImage() {
        Random rnd = new Random(9);
        SpiceBitmapFormat f = SpiceBitmapFormat.RGB24;
        byte[] data = GlzFrames.document(rnd, f, 64, 64);
        GlzDictionary dict = new GlzDictionary(1 << 20);
        try (GlzEncoder enc = new GlzEncoder(dict)) {
            SpiceBitmap bmp = SpiceBitmap.of(f, 64, 64, 192, true, data, 0);
            byte[] small = new byte[40];
            assertThat(enc.encode(bmp, small, 0, small.length)).isEqualTo(GlzEncoder.DOES_NOT_FIT);
            GlzDictionary.Image lost = enc.lastImage();
            // the same picture again must not refer to the image the client never got
            byte[] out = new byte[1 << 16];
            int n = enc.encode(SpiceBitmap.of(f, 64, 64, 192, true, data.clone(), 0), out, 0, out.length);
            GlzDecoderWindow win = new GlzDecoderWindow(1 << 20, 0);
            win.clear(1); // the client starts at the next id it will see
            GlzDecodedImage img = new GlzDecoder(win).decode(out, 0, n);
            assertThat(img.id()).isEqualTo(lost.id() + 1);
        }
    }

    @Test
    void argumentErrors() {
        GlzDictionary dict = new GlzDictionary(1000, 1, null);
        try (GlzEncoder enc = new GlzEncoder(dict)) {
            byte[] out = new byte[100_000];
            SpiceBitmap big = SpiceBitmap.of(SpiceBitmapFormat.RGB32, 100, 11, new byte[4400]);
            assertThatThrownBy(() -> enc.encode(big, out, 0, out.length))
                    .isInstanceOf(IllegalArgumentException.class);
            SpiceBitmap a8 = SpiceBitmap.of(SpiceBitmapFormat.A8, 10, 10, new byte[100]);
            assertThatThrownBy(() -> enc.encode(a8, out, 0, out.length)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new GlzEncoder(dict)).isInstanceOf(IllegalStateException.class);
        }
        assertThatThrownBy(() -> new GlzDictionary(GlzDictionary.MAX_WINDOW_PIXELS + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void windowReleasesByHeadDistance() {
        SpiceBitmapFormat f = SpiceBitmapFormat.RGB32;
        Random rnd = new Random(3);
        int w = 40;
        int h = 10;
        GlzDictionary dict = new GlzDictionary(w * h * 3); // three images fit... minus the new one
        GlzDecoderWindow win = new GlzDecoderWindow(w * h * 3, 100);
        GlzDecoder dec = new GlzDecoder(win);
        List<Long> dists = new ArrayList<>();
        try (GlzEncoder enc = new GlzEncoder(dict)) {
            byte[] out = new byte[1 << 16];
            for (int k = 0; k < 6; k++) {
                byte[] data = GlzFrames.document(rnd, f, w, h);
                int n = enc.encode(SpiceBitmap.of(f, w, h, w * 4, true, data, 0), out, 0, out.length);
                GlzDecodedImage img = dec.decode(out, 0, n);
                dists.add(img.winHeadDist());
                assertThat(win.size()).isLessThanOrEqualTo(3);
            }
        }
        assertThat(dists).containsExactly(0L, 1L, 2L, 2L, 2L, 2L);
        assertThat(win.contains(2)).isFalse();
        assertThat(win.contains(3)).isTrue();
    }

    @Test
    void imageDecoderWritesDestinationRowOrder() {
        Random rnd = new Random(77);
        for (SpiceBitmapFormat f : new SpiceBitmapFormat[] {SpiceBitmapFormat.RGB24, SpiceBitmapFormat.RGBA,
                SpiceBitmapFormat.PLT4_BE}) {
            int w = 13;
            int h = 7;
            int stride = (int) f.minStride(w);
            byte[] data = GlzFrames.document(rnd, f, w, h);
            SpicePalette pal = f.isPalette() ? GlzFrames.palette(rnd, f) : null;
            SpiceBitmap src = SpiceBitmap.of(f, w, h, stride, false, data, 0);
            GlzDictionary dict = new GlzDictionary(1 << 16);
            byte[] out = new byte[4096];
            int n;
            try (GlzEncoder enc = new GlzEncoder(dict)) {
                assertThat(enc.supports(f)).isTrue();
                n = enc.encode(src, out, 0, out.length);
            }
            GlzDecoder dec = new GlzDecoder(new GlzDecoderWindow(1 << 16, 0));
            SpiceBitmapFormat target = f == SpiceBitmapFormat.RGBA ? f : SpiceBitmapFormat.RGB32;
            assertThat(dec.readInfo(out, 0, n).format()).isEqualTo(f);
            assertThat(dec.canDecode(f, target)).isTrue();
            SpiceBitmap dst = SpiceBitmap.allocate(target, w, h);
            if (pal != null) {
                dst = dst.withPalette(pal);
            }
            dec.decode(out, 0, n, dst);
            byte[] exp = GlzFrames.expected(src, data, pal); // stream order: bottom row first
            int rowPx = f.isPalette() ? stride * 2 : w;
            for (int y = 0; y < h; y++) {
                int s = (h - 1 - y) * rowPx * 4;
                assertThat(Arrays.copyOfRange(dst.data(), y * w * 4, y * w * 4 + w * 4))
                        .as("%s row %d", f, y).isEqualTo(Arrays.copyOfRange(exp, s, s + w * 4));
            }
        }
    }
}
