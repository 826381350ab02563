package org.spicecodec.jpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.spicecodec.core.ImageDecoder;
import org.spicecodec.core.ImageLimits;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.lz.LzEncoder;
import org.spicecodec.lz.LzImageType;

class JpegMalformedTest {
    private static final int W = 48;
    private static final int H = 40;

    private static SpiceBitmap photo() {
        return TestImages.crop(TestImages.bitmap(TestImages.ASTRONAUT, SpiceBitmapFormat.RGBA), W, H);
    }

    private static SpiceBitmap icon() {
        // The middle of the icon, where alpha varies.
        SpiceBitmap full = TestImages.bitmap(TestImages.ICON, SpiceBitmapFormat.RGBA);
        byte[] d = new byte[W * H * 4];
        for (int y = 0; y < H; y++) {
            System.arraycopy(full.data(), (230 + y) * full.stride() + 230 * 4, d, y * W * 4, W * 4);
        }
        return SpiceBitmap.of(SpiceBitmapFormat.RGBA, W, H, d);
    }

    /** Decodes; anything but success or MalformedInputException fails the test. */
    private static MalformedInputException attempt(ImageDecoder dec, byte[] in, int len, SpiceBitmapFormat f) {
        Throwable t = catchThrowable(() -> dec.decode(in, 0, len, SpiceBitmap.allocate(f, W, H)));
        if (t == null) {
            return null;
        }
        assertThat(t).isInstanceOf(MalformedInputException.class);
        MalformedInputException e = (MalformedInputException) t;
        assertThat(e.offset()).isBetween(0L, (long) len);
        assertThat(e.reason()).isNotBlank();
        return e;
    }

    private static MalformedInputException attemptAll(ImageDecoder dec, byte[] in, SpiceBitmapFormat f) {
        return attempt(dec, in, in.length, f);
    }

    @Test
    void everyTruncatedJpegIsRejected() {
        byte[] jpeg = JpegCodecTest.encode(new JpegEncoder(), photo());
        JpegDecoder dec = new JpegDecoder();
        for (int len = 0; len < jpeg.length; len++) {
            assertThat(attempt(dec, jpeg, len, SpiceBitmapFormat.RGB32)).as("length %d", len).isNotNull();
        }
        assertThat(attempt(dec, jpeg, jpeg.length, SpiceBitmapFormat.RGB32)).isNull();
    }

    @Test
    void bitFlipsInJpegOnlyEverGiveMalformedInput() {
        byte[] jpeg = JpegCodecTest.encode(new JpegEncoder(), photo());
        JpegDecoder dec = new JpegDecoder();
        Random rnd = new Random(42);
        int rejected = 0;
        for (int i = 0; i < 1500; i++) {
            byte[] bad = jpeg.clone();
            int flips = 1 + rnd.nextInt(3);
            for (int k = 0; k < flips; k++) {
                bad[rnd.nextInt(bad.length)] ^= (byte) (1 << rnd.nextInt(8));
            }
            if (attempt(dec, bad, bad.length, SpiceBitmapFormat.RGBA) != null) {
                rejected++;
            }
        }
        assertThat(rejected).isPositive();
        // The decoder still works after all that.
        assertThat(attempt(dec, jpeg, jpeg.length, SpiceBitmapFormat.RGB32)).isNull();
    }

    @Test
    void garbageAndWrongSizesAreRejected() {
        byte[] jpeg = JpegCodecTest.encode(new JpegEncoder(), photo());
        JpegDecoder dec = new JpegDecoder();
        byte[] noise = new byte[4000];
        new Random(7).nextBytes(noise);
        assertThat(attempt(dec, noise, noise.length, SpiceBitmapFormat.RGB32)).isNotNull();
        noise[0] = (byte) 0xFF;
        noise[1] = (byte) 0xD8;
        assertThat(attempt(dec, noise, noise.length, SpiceBitmapFormat.RGB32)).isNotNull();
        // Destination of another size.
        assertThatThrownBy(() -> dec.decode(jpeg, 0, jpeg.length, SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, W + 1, H)))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("destination");
        // Over the limits: rejected from the frame header, before ImageIO runs.
        JpegDecoder small = new JpegDecoder(new ImageLimits(32, 32, 1024));
        MalformedInputException e = (MalformedInputException) catchThrowable(() -> small.readInfo(jpeg, 0, jpeg.length));
        assertThat(e.reason()).contains("width");
        // A frame header claiming 65535x65535 is refused before anything is allocated.
        byte[] huge = jpeg.clone();
        int sof = sofOffset(huge);
        huge[sof + 5] = huge[sof + 6] = huge[sof + 7] = huge[sof + 8] = (byte) 0xFF;
        assertThat(attempt(dec, huge, huge.length, SpiceBitmapFormat.RGB32)).isNotNull();
        // Progressive or lossless frames other than SOF0..2 are refused.
        byte[] lossless = jpeg.clone();
        lossless[sof + 1] = (byte) 0xC3;
        assertThat(attempt(dec, lossless, lossless.length, SpiceBitmapFormat.RGB32).reason()).contains("unsupported");
    }

    @Test
    void progressiveFilesAndShortFilesForBigFramesAreRefused() throws Exception {
        java.awt.image.BufferedImage img = org.spicecodec.core.BufferedImages.toBufferedImage(
                TestImages.crop(TestImages.bitmap(TestImages.ASTRONAUT, SpiceBitmapFormat.RGB24), W, H));
        javax.imageio.ImageWriter w = javax.imageio.ImageIO.getImageWritersByFormatName("jpeg").next();
        javax.imageio.ImageWriteParam param = w.getDefaultWriteParam();
        param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
        java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream();
        try (javax.imageio.stream.ImageOutputStream ios = javax.imageio.ImageIO.createImageOutputStream(bos)) {
            w.setOutput(ios);
            w.write(null, new javax.imageio.IIOImage(img, null, null), param);
        }
        w.dispose();
        byte[] prog = bos.toByteArray();
        MalformedInputException e = attempt(new JpegDecoder(), prog, prog.length, SpiceBitmapFormat.RGB32);
        assertThat(e.reason()).contains("0xFFC2");

        // 16000x16000 claimed by a 1 KB file: refused by length before ImageIO allocates 768 MB.
        byte[] jpeg = JpegCodecTest.encode(new JpegEncoder(), photo());
        int sof = sofOffset(jpeg);
        jpeg[sof + 5] = jpeg[sof + 7] = (byte) (16000 >> 8);
        jpeg[sof + 6] = jpeg[sof + 8] = (byte) (16000 & 0xFF);
        JpegDecoder dec = new JpegDecoder();
        assertThat(dec.readInfo(jpeg, 0, jpeg.length).width()).isEqualTo(16000);
        // The length check comes before the size comparison, so a small destination shows it.
        assertThat(attempt(dec, jpeg, jpeg.length, SpiceBitmapFormat.RGB32).reason()).contains("too short");
    }

    private static int sofOffset(byte[] j) {
        for (int p = 2; ; ) {
            if ((j[p + 1] & 0xFF) == 0xC0) {
                return p;
            }
            p += 2 + ((j[p + 2] & 0xFF) << 8 | (j[p + 3] & 0xFF));
        }
    }

    @Test
    void everyTruncatedJpegAlphaIsRejected() {
        byte[] enc = JpegCodecTest.encode(new JpegAlphaEncoder(), icon());
        JpegAlphaDecoder dec = new JpegAlphaDecoder();
        for (int len = 0; len < enc.length; len++) {
            assertThat(attempt(dec, enc, len, SpiceBitmapFormat.RGBA)).as("length %d", len).isNotNull();
        }
        // Also with data_size patched to agree with the truncation.
        int jpegSize = JpegAlphaTest.u32le(enc, 1);
        for (int len = 10; len < enc.length; len += 7) {
            byte[] bad = Arrays.copyOf(enc, len);
            JpegAlphaEncoder.putIntLE(bad, 5, len - 9);
            MalformedInputException e = attempt(dec, bad, len, SpiceBitmapFormat.RGBA);
            assertThat(e).as("length %d", len).isNotNull();
            if (len > 9 + jpegSize) {
                assertThat(e.offset()).isGreaterThanOrEqualTo(9L + jpegSize);
            }
        }
        assertThat(attempt(dec, enc, enc.length, SpiceBitmapFormat.RGBA)).isNull();
    }

    @Test
    void bitFlipsInJpegAlphaOnlyEverGiveMalformedInput() {
        byte[] enc = JpegCodecTest.encode(new JpegAlphaEncoder(), icon());
        JpegAlphaDecoder dec = new JpegAlphaDecoder();
        Random rnd = new Random(4242);
        for (int i = 0; i < 1500; i++) {
            byte[] bad = enc.clone();
            // Half the flips in the 9-byte header and the LZ header, where they matter most.
            int p = rnd.nextBoolean() ? rnd.nextInt(bad.length)
                    : rnd.nextBoolean() ? rnd.nextInt(9) : 9 + JpegAlphaTest.u32le(enc, 1) + rnd.nextInt(28);
            bad[p] ^= (byte) (1 << rnd.nextInt(8));
            attempt(dec, bad, bad.length, SpiceBitmapFormat.RGBA);
        }
        assertThat(attempt(dec, enc, enc.length, SpiceBitmapFormat.RGBA)).isNull();
    }

    @Test
    void headerFieldsAndLzPartAreChecked() {
        SpiceBitmap src = icon();
        byte[] enc = JpegCodecTest.encode(new JpegAlphaEncoder(), src);
        JpegAlphaDecoder dec = new JpegAlphaDecoder();
        int jpegSize = JpegAlphaTest.u32le(enc, 1);
        int lz = 9 + jpegSize;

        byte[] flags = enc.clone();
        flags[0] = 3;
        assertThat(attempt(dec, flags, flags.length, SpiceBitmapFormat.RGBA).offset()).isZero();

        byte[] flipped = enc.clone();
        flipped[0] = 0; // the LZ header still says top-down
        assertThat(attempt(dec, flipped, flipped.length, SpiceBitmapFormat.RGBA).offset()).isEqualTo(lz + 24L);

        byte[] dataSize = enc.clone();
        JpegAlphaEncoder.putIntLE(dataSize, 5, enc.length - 8);
        assertThat(attempt(dec, dataSize, dataSize.length, SpiceBitmapFormat.RGBA).offset()).isEqualTo(5);

        for (int js : new int[] {0, jpegSize - 1, jpegSize + 1, enc.length - 9, enc.length, -1}) {
            byte[] bad = enc.clone();
            JpegAlphaEncoder.putIntLE(bad, 1, js);
            assertThat(attempt(dec, bad, bad.length, SpiceBitmapFormat.RGBA)).as("jpeg_size %d", js).isNotNull();
        }

        // The alpha coded as LZ RGBA (type 9) instead of XXXA.
        assertThat(attemptAll(dec, withLz(enc, LzImageType.RGBA, src), SpiceBitmapFormat.RGBA).offset())
                .isEqualTo(lz + 8L);
        // An XXXA stream of another size.
        SpiceBitmap smaller = TestImages.crop(src, W - 1, H);
        assertThat(attemptAll(dec, withLz(enc, LzImageType.XXXA, smaller), SpiceBitmapFormat.RGBA).offset())
                .isEqualTo(lz + 12L);
        // Bytes after the LZ stream.
        byte[] longer = Arrays.copyOf(enc, enc.length + 3);
        JpegAlphaEncoder.putIntLE(longer, 5, longer.length - 9);
        assertThat(attempt(dec, longer, longer.length, SpiceBitmapFormat.RGBA).offset()).isGreaterThanOrEqualTo(lz);
        // A destination of another size.
        assertThatThrownBy(() -> dec.decode(enc, 0, enc.length, SpiceBitmap.allocate(SpiceBitmapFormat.RGBA, W, H + 1)))
                .isInstanceOf(MalformedInputException.class);
        // A JPEG of another size than the alpha: swap in a JPEG of a smaller crop.
        byte[] otherJpeg = JpegCodecTest.encode(new JpegEncoder(), TestImages.crop(src, W, H - 2));
        byte[] mixed = new byte[9 + otherJpeg.length + enc.length - lz];
        mixed[0] = 1;
        JpegAlphaEncoder.putIntLE(mixed, 1, otherJpeg.length);
        JpegAlphaEncoder.putIntLE(mixed, 5, mixed.length - 9);
        System.arraycopy(otherJpeg, 0, mixed, 9, otherJpeg.length);
        System.arraycopy(enc, lz, mixed, 9 + otherJpeg.length, enc.length - lz);
        assertThat(attempt(dec, mixed, mixed.length, SpiceBitmapFormat.RGBA).offset())
                .isEqualTo(9L + otherJpeg.length + 12);
    }

    /** {@code enc} with its LZ part replaced by {@code bitmap} coded as {@code type}, sizes fixed up. */
    private static byte[] withLz(byte[] enc, LzImageType type, SpiceBitmap bitmap) {
        int jpegSize = JpegAlphaTest.u32le(enc, 1);
        byte[] lz = new byte[(int) LzEncoder.maxEncodedLength(type, bitmap.width(), bitmap.height())];
        int n = new LzEncoder().encode(type, bitmap, lz, 0, lz.length);
        byte[] out = Arrays.copyOf(enc, 9 + jpegSize + n);
        System.arraycopy(lz, 0, out, 9 + jpegSize, n);
        JpegAlphaEncoder.putIntLE(out, 5, jpegSize + n);
        return out;
    }
}
