package org.spicecodec.jpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spicecodec.core.ImageInfo;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpiceImageType;
import org.spicecodec.lz.LzDecoder;
import org.spicecodec.lz.LzImageType;

class JpegAlphaTest {
    /**
     * Measured on the 512x512 RGBA gaming icon at quality 85: 42.37 dB on R, G, B over all pixels
     * (transparent ones included), 25260 bytes top-down, 25842 bottom-up (the LZ alpha follows
     * the storage order). The floor is about 1 dB below. Alpha must be exact.
     */
    private static final double ICON_FLOOR_DB = 41.3;

    static int u32le(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void iconRoundTripKeepsAlphaExactly(boolean topDown) {
        SpiceBitmap top = TestImages.bitmap(TestImages.ICON, SpiceBitmapFormat.RGBA);
        SpiceBitmap src = topDown ? top : TestImages.bottomUp(top, 0);
        byte[] enc = JpegCodecTest.encode(new JpegAlphaEncoder(), src);
        JpegAlphaDecoder dec = new JpegAlphaDecoder();
        assertThat(dec.readInfo(enc, 0, enc.length))
                .isEqualTo(new ImageInfo(SpiceImageType.JPEG_ALPHA, SpiceBitmapFormat.RGBA, 512, 512, topDown));
        SpiceBitmap out = dec.decode(enc, 0, enc.length);
        assertThat(out.topDown()).isEqualTo(topDown);
        assertThat(TestImages.alpha(out)).isEqualTo(TestImages.alpha(top));
        double psnr = TestImages.psnrRgb(top, out);
        System.out.printf("icon JPEG_ALPHA top-down %s: %d bytes, PSNR %.2f dB%n", topDown, enc.length, psnr);
        assertThat(psnr).isGreaterThan(ICON_FLOOR_DB);
        // A destination of the other row order gets the same picture.
        SpiceBitmap other = topDown ? TestImages.bottomUp(SpiceBitmap.allocate(SpiceBitmapFormat.RGBA, 512, 512), 8)
                : SpiceBitmap.allocate(SpiceBitmapFormat.RGBA, 512, 512);
        dec.decode(enc, 0, enc.length, other);
        assertThat(TestImages.argb(other)).isEqualTo(TestImages.argb(out));
    }

    @Test
    void byteLayoutIsFlagsJpegSizeDataSizeJpegThenLzXxxa() {
        SpiceBitmap top = TestImages.crop(TestImages.bitmap(TestImages.ICON, SpiceBitmapFormat.RGBA), 200, 150);
        for (boolean topDown : new boolean[] {true, false}) {
            SpiceBitmap src = topDown ? top : TestImages.bottomUp(top, 0);
            byte[] enc = JpegCodecTest.encode(new JpegAlphaEncoder(), src);
            assertThat(enc[0]).isEqualTo((byte) (topDown ? 1 : 0));
            int jpegSize = u32le(enc, 1);
            int dataSize = u32le(enc, 5);
            assertThat(dataSize).isEqualTo(enc.length - 9);
            // The JPEG part is exactly what JpegEncoder makes of the bitmap.
            byte[] jpeg = JpegCodecTest.encode(new JpegEncoder(), src);
            assertThat(Arrays.copyOfRange(enc, 9, 9 + jpegSize)).isEqualTo(jpeg);
            // LZ header, big-endian: magic "  ZL", version, type XXXA (10), width, height, stride, top_down.
            int lz = 9 + jpegSize;
            assertThat(Arrays.copyOfRange(enc, lz, lz + 4)).containsExactly(0x20, 0x20, 0x5A, 0x4C);
            assertThat(u32be(enc, lz + 8)).isEqualTo(LzImageType.XXXA.value());
            assertThat(u32be(enc, lz + 12)).isEqualTo(200);
            assertThat(u32be(enc, lz + 16)).isEqualTo(150);
            assertThat(u32be(enc, lz + 24)).isEqualTo(topDown ? 1 : 0);
            // The LZ part alone decodes to the alpha plane in storage order.
            SpiceBitmap alpha = new LzDecoder().decode(enc, lz, enc.length - lz, SpiceBitmapFormat.RGBA, null);
            assertThat(alpha.topDown()).isEqualTo(topDown);
            assertThat(TestImages.alpha(alpha)).isEqualTo(TestImages.alpha(top));
        }
    }

    @Test
    void doesNotFitAndRejectsOtherFormats() {
        SpiceBitmap src = TestImages.crop(TestImages.bitmap(TestImages.ICON, SpiceBitmapFormat.RGBA), 64, 64);
        JpegAlphaEncoder enc = new JpegAlphaEncoder();
        int n = JpegCodecTest.encode(enc, src).length;
        byte[] out = new byte[n];
        for (int max : new int[] {0, 8, 9, 100, n - 1}) {
            assertThat(enc.encode(src, out, 0, max)).isEqualTo(JpegAlphaEncoder.DOES_NOT_FIT);
        }
        assertThat(enc.encode(src, out, 0, n)).isEqualTo(n);
        assertThat(enc.imageType()).isEqualTo(SpiceImageType.JPEG_ALPHA);
        assertThat(enc.supports(SpiceBitmapFormat.RGB32)).isFalse();
        assertThatThrownBy(() -> enc.encode(SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 8, 8), new byte[99999], 0, 99999))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JpegAlphaDecoder().decode(out, 0, n, SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 64, 64)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static int u32be(byte[] b, int p) {
        return (b[p] & 0xFF) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
    }
}
