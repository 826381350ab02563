package org.spicecodec.jpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.spicecodec.core.ImageEncoder;
import org.spicecodec.core.ImageInfo;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpiceImageType;

class JpegCodecTest {
    /**
     * Measured on the 512x512 astronaut at quality 85 (JDK ImageIO): 35.52 dB from RGB24, RGB32
     * and RGBA (54065 bytes), 34.58 dB from RGB16 (against the expanded 5-bit source). The
     * floors are about 1 dB below.
     */
    private static final double ASTRONAUT_FLOOR_DB = 34.5;
    private static final double ASTRONAUT_RGB16_FLOOR_DB = 33.5;

    static byte[] encode(ImageEncoder enc, SpiceBitmap bm) {
        byte[] out = new byte[(int) enc.maxEncodedLength(bm.format(), bm.width(), bm.height())];
        int n = enc.encode(bm, out, 0, out.length);
        assertThat(n).isPositive();
        return Arrays.copyOf(out, n);
    }

    @ParameterizedTest
    @EnumSource(value = SpiceBitmapFormat.class, names = {"RGB16", "RGB24", "RGB32", "RGBA"})
    void astronautRoundTripKeepsPsnrFloor(SpiceBitmapFormat format) {
        SpiceBitmap src = TestImages.bitmap(TestImages.ASTRONAUT, format);
        byte[] jpeg = encode(new JpegEncoder(), src);
        SpiceBitmap dec = new JpegDecoder().decode(jpeg, 0, jpeg.length, SpiceBitmapFormat.RGB32);
        double psnr = TestImages.psnrRgb(src, dec);
        System.out.printf("astronaut %s: %d bytes, PSNR %.2f dB%n", format, jpeg.length, psnr);
        assertThat(psnr).isGreaterThan(format == SpiceBitmapFormat.RGB16 ? ASTRONAUT_RGB16_FLOOR_DB : ASTRONAUT_FLOOR_DB);
        // RGB32 and RGBA carry the same colours as RGB24: byte 3 is dropped, so the files are equal.
        if (format != SpiceBitmapFormat.RGB16) {
            byte[] rgb24 = encode(new JpegEncoder(), TestImages.bitmap(TestImages.ASTRONAUT, SpiceBitmapFormat.RGB24));
            assertThat(jpeg).isEqualTo(rgb24);
        }
    }

    @Test
    void bottomUpInputGivesTheSameJpeg() {
        SpiceBitmap top = TestImages.bitmap(TestImages.ASTRONAUT, SpiceBitmapFormat.RGB32);
        JpegEncoder enc = new JpegEncoder();
        byte[] a = encode(enc, top);
        byte[] b = encode(enc, TestImages.bottomUp(top, 12));
        assertThat(b).isEqualTo(a);
    }

    @ParameterizedTest
    @EnumSource(value = SpiceBitmapFormat.class, names = {"RGB16", "RGB24", "RGB32", "RGBA"})
    void decodesIntoEveryTargetAndRowOrder(SpiceBitmapFormat target) {
        SpiceBitmap src = TestImages.crop(TestImages.bitmap(TestImages.ASTRONAUT, SpiceBitmapFormat.RGB24), 100, 70);
        byte[] jpeg = encode(new JpegEncoder(), src);
        JpegDecoder dec = new JpegDecoder();
        SpiceBitmap ref = dec.decode(jpeg, 0, jpeg.length, SpiceBitmapFormat.RGB24);
        SpiceBitmap top = dec.decode(jpeg, 0, jpeg.length, target);
        SpiceBitmap bottom = TestImages.bottomUp(SpiceBitmap.allocate(target, 100, 70), 4);
        dec.decode(jpeg, 0, jpeg.length, bottom);
        int[] want = TestImages.argb(ref);
        if (target == SpiceBitmapFormat.RGB16) {
            for (int i = 0; i < want.length; i++) {
                int v = want[i];
                int r = (v >>> 19) & 0x1F;
                int g = (v >>> 11) & 0x1F;
                int b = (v >>> 3) & 0x1F;
                want[i] = 0xFF000000 | ((r << 3 | r >>> 2) << 16) | ((g << 3 | g >>> 2) << 8) | (b << 3 | b >>> 2);
            }
        }
        assertThat(TestImages.argb(top)).isEqualTo(want);
        assertThat(TestImages.argb(bottom)).isEqualTo(want);
        if (target == SpiceBitmapFormat.RGB32 || target == SpiceBitmapFormat.RGBA) {
            byte x = target == SpiceBitmapFormat.RGBA ? (byte) 0xFF : 0;
            for (int i = 3; i < top.data().length; i += 4) {
                assertThat(top.data()[i]).isEqualTo(x);
            }
        }
    }

    @Test
    void isBaselineJfifWith420Subsampling() {
        SpiceBitmap src = TestImages.bitmap(TestImages.ASTRONAUT, SpiceBitmapFormat.RGB24);
        JpegMarkers m = JpegMarkers.parse(encode(new JpegEncoder(), src));
        assertThat(m.markers).startsWith(0xD8, 0xE0).contains(0xC0, 0xDB, 0xC4, 0xDA).endsWith(0xD9)
                .doesNotContain(0xC1, 0xC2, 0xC3, 0xC9, 0xCA, 0xCB);
        assertThat(m.jfif).isTrue();
        assertThat(m.precision).isEqualTo(8);
        assertThat(m.width).isEqualTo(512);
        assertThat(m.height).isEqualTo(512);
        assertThat(m.samplingFactors).containsExactly(0x22, 0x11, 0x11);
        // libjpeg's jpeg_set_quality(85): scale 30 %, (16 * 30 + 50) / 100 = 5 for luma DC,
        // (17 * 30 + 50) / 100 = 5 for chroma DC; 8-bit baseline tables.
        assertThat(m.quantTables).hasSize(2);
        assertThat(m.quantTables.get(0)[0]).isEqualTo(5);
        assertThat(m.quantTables.get(1)[0]).isEqualTo(5);
        // (99 * 30 + 50) / 100 = 30: the last entry of the chroma table in zigzag order.
        assertThat(m.quantTables.get(1)[63]).isEqualTo(30);
    }

    @Test
    void qualityIsConfigurable() {
        SpiceBitmap src = TestImages.crop(TestImages.bitmap(TestImages.ASTRONAUT, SpiceBitmapFormat.RGB24), 128, 128);
        JpegEncoder q50 = new JpegEncoder(50);
        assertThat(q50.quality()).isEqualTo(50);
        byte[] a = encode(q50, src);
        byte[] b = encode(new JpegEncoder(95), src);
        assertThat(JpegMarkers.parse(a).quantTables.get(0)[0]).isEqualTo(16);
        assertThat(a.length).isLessThan(b.length);
        assertThatThrownBy(() -> new JpegEncoder(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JpegEncoder(101)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void maxEncodedLengthBoundsNoiseAtQuality100AndSmallOutputsDoNotFit() {
        int w = 67;
        int h = 45;
        byte[] noise = new byte[w * h * 3];
        new Random(1).nextBytes(noise);
        SpiceBitmap src = SpiceBitmap.of(SpiceBitmapFormat.RGB24, w, h, noise);
        JpegEncoder enc = new JpegEncoder(100);
        long bound = enc.maxEncodedLength(SpiceBitmapFormat.RGB24, w, h);
        byte[] out = new byte[(int) bound + 10];
        int n = enc.encode(src, out, 10, (int) bound);
        assertThat(n).isPositive().isLessThanOrEqualTo((int) bound);
        byte[] exact = Arrays.copyOfRange(out, 10, 10 + n);
        assertThat(enc.encode(src, out, 0, n - 1)).isEqualTo(ImageEncoder.DOES_NOT_FIT);
        assertThat(enc.encode(src, out, 0, n)).isEqualTo(n);
        assertThat(Arrays.copyOf(out, n)).isEqualTo(exact);
        // A buffer far too small for even the headers: single-byte writes run past its end first.
        byte[] tiny = new byte[16];
        assertThat(enc.encode(src, tiny, 0, tiny.length)).isEqualTo(ImageEncoder.DOES_NOT_FIT);
        assertThat(enc.encode(src, tiny, 0, 0)).isEqualTo(ImageEncoder.DOES_NOT_FIT);
    }

    @Test
    void grayJpegsDecodeToGray() throws Exception {
        java.awt.image.BufferedImage gray = new java.awt.image.BufferedImage(40, 24, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 40; x++) {
                gray.getRaster().setSample(x, y, 0, x * 6);
            }
        }
        java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream();
        assertThat(javax.imageio.ImageIO.write(gray, "jpeg", bos)).isTrue();
        byte[] jpeg = bos.toByteArray();
        SpiceBitmap out = new JpegDecoder().decode(jpeg, 0, jpeg.length, SpiceBitmapFormat.RGB24);
        byte[] d = out.data();
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 40; x++) {
                int p = y * out.stride() + 3 * x;
                assertThat(d[p]).isEqualTo(d[p + 1]).isEqualTo(d[p + 2]);
                assertThat(Math.abs((d[p] & 0xFF) - x * 6)).isLessThan(8);
            }
        }
    }

    @Test
    void describesItself() {
        JpegEncoder enc = new JpegEncoder();
        assertThat(enc.imageType()).isEqualTo(SpiceImageType.JPEG);
        assertThat(enc.supports(SpiceBitmapFormat.PLT8)).isFalse();
        assertThat(enc.supports(SpiceBitmapFormat.A8)).isFalse();
        assertThatThrownBy(() -> enc.encode(SpiceBitmap.allocate(SpiceBitmapFormat.A8, 4, 4), new byte[9999], 0, 9999))
                .isInstanceOf(IllegalArgumentException.class);
        SpiceBitmap src = TestImages.crop(TestImages.bitmap(TestImages.ASTRONAUT, SpiceBitmapFormat.RGB24), 33, 17);
        byte[] jpeg = encode(enc, src);
        JpegDecoder dec = new JpegDecoder();
        assertThat(dec.imageType()).isEqualTo(SpiceImageType.JPEG);
        assertThat(dec.readInfo(jpeg, 0, jpeg.length))
                .isEqualTo(new ImageInfo(SpiceImageType.JPEG, SpiceBitmapFormat.RGB32, 33, 17, true));
        assertThat(dec.canDecode(SpiceBitmapFormat.RGB32, SpiceBitmapFormat.RGBA)).isTrue();
        assertThat(dec.canDecode(SpiceBitmapFormat.RGB32, SpiceBitmapFormat.PLT8)).isFalse();
    }
}
