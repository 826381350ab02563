package org.spicecodec.jpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spicecodec.core.BufferedImages;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpiceChunks;
import org.spicecodec.core.video.EncodedFrame;

/** Both JPEG engines behind {@link JpegFrameEncoder}, read back by ImageIO and by FFmpeg. */
class JpegFrameEncoderTest {
    /**
     * Measured on the 512x512 astronaut (RGB32), decoded by ImageIO / by FFmpeg: q85 ffmpeg
     * 34.89 / 34.89 dB (49455 bytes), imageio 35.51 / 35.54 dB (53962 bytes); q50 ffmpeg
     * 31.73 / 31.74 dB, imageio 32.06 / 32.07 dB. Floors 0.7–1 dB under the lower engine.
     */
    private static final double FLOOR_Q85_DB = 33.9;
    private static final double FLOOR_Q50_DB = 31.0;
    /** RGB16 against its own 5-bit colours, q85: ffmpeg 34.03 dB, imageio 34.60 dB. */
    private static final double FLOOR_RGB16_DB = 33.0;

    static JpegFrameEncoder engine(String name) {
        return switch (name) {
            case "ffmpeg" -> JpegEngines.ffmpeg();
            case "imageio" -> JpegEngines.imageIo();
            default -> throw new IllegalArgumentException(name);
        };
    }

    static byte[] encode(JpegFrameEncoder e, SpiceBitmap bm, int quality) {
        EncodedFrame out = new EncodedFrame(16);
        int n = e.encode(bm, 0, 0, bm.width(), bm.height(), quality, out);
        assertThat(n).isEqualTo(out.length()).isPositive();
        assertThat(out.keyFrame()).isTrue();
        return out.toByteArray();
    }

    static SpiceBitmap imageIoDecode(byte[] jpeg) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg));
            assertThat(img).as("ImageIO reads the JPEG").isNotNull();
            return BufferedImages.toBitmap(img, SpiceBitmapFormat.RGB32);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void ffmpegNativesLoadHere() {
        // The module depends on the linux-x86_64 natives; a null reason is what makes create() pick FFmpeg.
        assertThat(FfmpegJpegFrameEncoder.unavailableReason()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffmpeg", "imageio"})
    void photoDecodesWithImageIoAndFfmpegAbovePsnrFloors(String name) {
        SpiceBitmap src = TestImages.bitmap(TestImages.ASTRONAUT, SpiceBitmapFormat.RGB32);
        try (JpegFrameEncoder e = engine(name)) {
            assertThat(e.engine()).isEqualTo(name);
            for (int q : new int[] {85, 50}) {
                byte[] jpeg = encode(e, src, q);
                double viaImageIo = TestImages.psnrRgb(src, imageIoDecode(jpeg));
                SpiceBitmap ff = FfmpegJpegDecoding.decode(jpeg);
                assertThat(ff.width()).isEqualTo(512);
                assertThat(ff.height()).isEqualTo(512);
                double viaFfmpeg = TestImages.psnrRgb(src, ff);
                System.out.printf("%s q%d: %d bytes, PSNR ImageIO %.2f dB, FFmpeg %.2f dB%n", name, q, jpeg.length,
                        viaImageIo, viaFfmpeg);
                double floor = q == 85 ? FLOOR_Q85_DB : FLOOR_Q50_DB;
                assertThat(viaImageIo).isGreaterThan(floor);
                assertThat(viaFfmpeg).isGreaterThan(floor);
                JpegMarkers m = JpegMarkers.parse(jpeg);
                assertThat(m.jfif).as("JFIF APP0").isTrue();
                assertThat(m.markers).contains(0xC0).doesNotContain(0xC1, 0xC2); // baseline SOF0 only
                assertThat(m.samplingFactors).containsExactly(0x22, 0x11, 0x11); // 4:2:0
                assertThat(m.precision).isEqualTo(8);
            }
        }
    }

    /**
     * The DQT tables are libjpeg's {@code jpeg_set_quality(q, TRUE)} tables. ImageIO matches
     * them entirely; FFmpeg matches the 63 AC entries and always quantizes DC by 8.
     * One encoder runs all qualities in turn: quality is per call.
     */
    @ParameterizedTest
    @ValueSource(strings = {"ffmpeg", "imageio"})
    void quantTablesAreTheIjgTablesAtEachQuality(String name) {
        SpiceBitmap src = TestImages.crop(TestImages.bitmap(TestImages.ASTRONAUT, SpiceBitmapFormat.RGB32), 64, 48);
        try (JpegFrameEncoder e = engine(name)) {
            for (int q : new int[] {20, 50, 80, 85, 50}) {
                JpegMarkers m = JpegMarkers.parse(encode(e, src, q));
                assertThat(m.quantTables).hasSize(2);
                int[] luma = JpegQuantTables.naturalFromZigzag(m.quantTables.get(0));
                int[] chroma = JpegQuantTables.naturalFromZigzag(m.quantTables.get(1));
                int[] wantLuma = JpegQuantTables.luma(q);
                int[] wantChroma = JpegQuantTables.chroma(q);
                if (name.equals("ffmpeg")) {
                    assertThat(luma[0]).isEqualTo(8);
                    assertThat(chroma[0]).isEqualTo(8);
                    wantLuma[0] = 8;
                    wantChroma[0] = 8;
                }
                assertThat(luma).as("luma at q%d", q).containsExactly(wantLuma);
                assertThat(chroma).as("chroma at q%d", q).containsExactly(wantChroma);
            }
        }
    }

    /** The SPICE JPEG image encoder (ImageIO) sends libjpeg's exact tables too, 85 included. */
    @Test
    void imageEncoderSendsTheExactIjgTables() {
        SpiceBitmap src = TestImages.crop(TestImages.bitmap(TestImages.ASTRONAUT, SpiceBitmapFormat.RGB24), 32, 32);
        for (int q : new int[] {20, 50, 85}) {
            byte[] jpeg = JpegCodecTest.encode(new JpegEncoder(q), src);
            JpegMarkers m = JpegMarkers.parse(jpeg);
            assertThat(JpegQuantTables.naturalFromZigzag(m.quantTables.get(0))).containsExactly(JpegQuantTables.luma(q));
            assertThat(JpegQuantTables.naturalFromZigzag(m.quantTables.get(1))).containsExactly(JpegQuantTables.chroma(q));
        }
        // Annex K's 55 (row 1, column 7) at 85: (55 * 30 + 50) / 100 = 17, where the JDK's float scaling gives 16.
        assertThat(JpegQuantTables.luma(85)[15]).isEqualTo(17);
    }

    @Test
    void ijgTablesMatchLibjpegAtKnownPoints() {
        // libjpeg: q50 is Annex K unscaled; q85 scales by 30 %; q20 by 250 % (clamped to 255).
        assertThat(JpegQuantTables.luma(50)[0]).isEqualTo(16);
        assertThat(JpegQuantTables.chroma(50)[63]).isEqualTo(99);
        assertThat(JpegQuantTables.luma(85)[0]).isEqualTo(5);
        assertThat(JpegQuantTables.luma(85)[63]).isEqualTo(30);
        assertThat(JpegQuantTables.luma(20)[0]).isEqualTo(40);
        assertThat(JpegQuantTables.chroma(20)[63]).isEqualTo(248);
        assertThat(JpegQuantTables.luma(1)[63]).isEqualTo(255);
        assertThat(JpegQuantTables.luma(100)).containsOnly(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffmpeg", "imageio"})
    void oddSizesKeepTheirSize(String name) {
        SpiceBitmap full = TestImages.bitmap(TestImages.ASTRONAUT, SpiceBitmapFormat.RGB32);
        try (JpegFrameEncoder e = engine(name)) {
            for (int[] wh : new int[][] {{33, 17}, {1, 1}, {17, 33}, {2, 3}, {255, 1}}) {
                SpiceBitmap src = TestImages.crop(full, wh[0], wh[1]);
                byte[] jpeg = encode(e, src, 85);
                SpiceBitmap a = imageIoDecode(jpeg);
                SpiceBitmap b = FfmpegJpegDecoding.decode(jpeg);
                assertThat(a.width()).isEqualTo(wh[0]);
                assertThat(a.height()).isEqualTo(wh[1]);
                assertThat(b.width()).isEqualTo(wh[0]);
                assertThat(b.height()).isEqualTo(wh[1]);
                if (wh[0] * wh[1] > 100) {
                    assertThat(TestImages.psnrRgb(src, a)).as("%dx%d", wh[0], wh[1]).isGreaterThan(28);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffmpeg", "imageio"})
    void subRectangleEqualsTheCroppedBitmapAndBottomUpEqualsTopDown(String name) {
        SpiceBitmap full = TestImages.bitmap(TestImages.ASTRONAUT, SpiceBitmapFormat.RGB32);
        SpiceBitmap crop = crop(full, 37, 21, 99, 61);
        try (JpegFrameEncoder e = engine(name)) {
            byte[] want = encode(e, crop, 70);
            EncodedFrame out = new EncodedFrame();
            e.encode(full, 37, 21, 99, 61, 70, out);
            assertThat(out.toByteArray()).isEqualTo(want);
            // Bottom-up storage with padded rows: the same picture, the same file.
            e.encode(TestImages.bottomUp(full, 12), 37, 21, 99, 61, 70, out);
            assertThat(out.toByteArray()).isEqualTo(want);
            // Rows split over several chunks, bottom-up.
            e.encode(chunked(TestImages.bottomUp(full, 0), 7), 37, 21, 99, 61, 70, out);
            assertThat(out.toByteArray()).isEqualTo(want);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffmpeg", "imageio"})
    void everyInputFormatKeepsItsPsnrFloor(String name) {
        try (JpegFrameEncoder e = engine(name)) {
            byte[] rgb32 = null;
            for (SpiceBitmapFormat f : new SpiceBitmapFormat[] {SpiceBitmapFormat.RGB32, SpiceBitmapFormat.RGBA,
                    SpiceBitmapFormat.RGB24, SpiceBitmapFormat.RGB16}) {
                SpiceBitmap src = TestImages.bitmap(TestImages.ASTRONAUT, f);
                byte[] jpeg = encode(e, src, 85);
                double psnr = TestImages.psnrRgb(src, FfmpegJpegDecoding.decode(jpeg));
                System.out.printf("%s %s q85: %d bytes, %.2f dB%n", name, f, jpeg.length, psnr);
                assertThat(psnr).as(f.toString()).isGreaterThan(f == SpiceBitmapFormat.RGB16 ? FLOOR_RGB16_DB : FLOOR_Q85_DB);
                if (f == SpiceBitmapFormat.RGB32) {
                    rgb32 = jpeg;
                } else if (f != SpiceBitmapFormat.RGB16) {
                    // Byte 3 is ignored and RGB24 carries the same colours: the same file.
                    assertThat(jpeg).as(f.toString()).isEqualTo(rgb32);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffmpeg", "imageio"})
    void badArgumentsAreRejectedBeforeTheEngineRuns(String name) {
        SpiceBitmap src = TestImages.crop(TestImages.bitmap(TestImages.ASTRONAUT, SpiceBitmapFormat.RGB32), 40, 30);
        EncodedFrame out = new EncodedFrame();
        try (JpegFrameEncoder e = engine(name)) {
            assertThatThrownBy(() -> e.encode(null, 0, 0, 1, 1, 85, out)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> e.encode(src, 0, 0, 1, 1, 85, null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> e.encode(src, 0, 0, 40, 30, 0, out)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> e.encode(src, 0, 0, 40, 30, 101, out)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> e.encode(src, -1, 0, 40, 30, 85, out)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> e.encode(src, 0, -1, 40, 30, 85, out)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> e.encode(src, 1, 0, 40, 30, 85, out)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> e.encode(src, 0, 1, 40, 30, 85, out)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> e.encode(src, 0, 0, 0, 30, 85, out)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> e.encode(src, 0, 0, 40, -5, 85, out)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> e.encode(src, Integer.MAX_VALUE, 0, 40, 30, 85, out))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> e.encode(src, 0, 0, Integer.MAX_VALUE, 30, 85, out))
                    .isInstanceOf(IllegalArgumentException.class);
            SpiceBitmap pal = SpiceBitmap.allocate(SpiceBitmapFormat.PLT8, 8, 8);
            assertThatThrownBy(() -> e.encode(pal, 0, 0, 8, 8, 85, out))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PLT8");
            SpiceBitmap a8 = SpiceBitmap.allocate(SpiceBitmapFormat.A8, 8, 8);
            assertThatThrownBy(() -> e.encode(a8, 0, 0, 8, 8, 85, out)).isInstanceOf(IllegalArgumentException.class);
            // Nothing above touched the engine's state: it still encodes.
            assertThat(e.encode(src, 0, 0, 40, 30, 85, out)).isPositive();
            imageIoDecode(out.toByteArray());
            e.close();
            assertThatThrownBy(() -> e.encode(src, 0, 0, 40, 30, 85, out)).isInstanceOf(IllegalStateException.class);
            e.close(); // twice is harmless
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffmpeg", "imageio"})
    void sizeAndFormatChangesReuseOneEncoderAndRepeatsAreIdentical(String name) {
        SpiceBitmap full = TestImages.bitmap(TestImages.ASTRONAUT, SpiceBitmapFormat.RGB32);
        SpiceBitmap rgb24 = TestImages.bitmap(TestImages.ASTRONAUT, SpiceBitmapFormat.RGB24);
        try (JpegFrameEncoder e = engine(name); JpegFrameEncoder fresh = engine(name)) {
            byte[] a = encode(e, full, 60);
            byte[] b = encode(e, crop(full, 5, 5, 100, 50), 60);
            byte[] c = encode(e, rgb24, 60);
            byte[] d = encode(e, full, 60);
            assertThat(d).isEqualTo(a).isEqualTo(c);
            assertThat(b).isEqualTo(encode(fresh, crop(full, 5, 5, 100, 50), 60));
        }
    }

    /** The FFmpeg engine's steady state allocates nothing on the Java heap per frame. */
    @Test
    void ffmpegSteadyStateAllocatesNothingPerFrame() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SpiceBitmap src = TestImages.bitmap(TestImages.ASTRONAUT, SpiceBitmapFormat.RGB32);
        EncodedFrame out = new EncodedFrame(1 << 20);
        try (JpegFrameEncoder e = JpegEngines.ffmpeg()) {
            for (int i = 0; i < 300; i++) {
                e.encode(src, 0, 0, 512, 512, 80, out);
            }
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 50; i++) {
                e.encode(src, 0, 0, 512, 512, 80, out);
            }
            long perFrame = (mx.getCurrentThreadAllocatedBytes() - before) / 50;
            System.out.println("ffmpeg engine: " + perFrame + " bytes allocated per frame");
            assertThat(perFrame).isLessThan(64);
        }
    }

    @Test
    void engineChoiceFallsBackToImageIoWithTheReason() {
        List<String> log = new ArrayList<>();
        JpegEngines.Choice c = JpegEngines.create("ffmpeg", () -> {
            throw new JpegEngineUnavailableException("FFmpeg natives cannot load: test stand-in", null);
        }, log::add);
        try (JpegFrameEncoder e = c.encoder()) {
            assertThat(e.engine()).isEqualTo("imageio");
            assertThat(c.fallbackReason()).contains("ImageIO").contains("FFmpeg natives cannot load: test stand-in");
            assertThat(log).containsExactly(c.fallbackReason());
            assertThat(encode(e, TestImages.crop(TestImages.bitmap(TestImages.ASTRONAUT, SpiceBitmapFormat.RGB24), 16, 16), 85))
                    .isNotEmpty();
        }
        log.clear();
        c = JpegEngines.create("libjpeg-turbo", JpegEngines::ffmpeg, log::add);
        try (JpegFrameEncoder e = c.encoder()) {
            assertThat(e.engine()).isEqualTo("imageio");
            assertThat(log).singleElement().asString().contains("unknown JPEG engine 'libjpeg-turbo'");
        }
    }

    @Test
    void defaultChoiceIsFfmpegAndThePropertyForcesAnEngine() {
        List<String> log = new ArrayList<>();
        try (JpegFrameEncoder e = JpegEngines.create(null, JpegEngines::ffmpeg, log::add).encoder()) {
            assertThat(e.engine()).isEqualTo("ffmpeg");
        }
        try (JpegFrameEncoder e = JpegEngines.create(" ImageIO ", JpegEngines::ffmpeg, log::add).encoder()) {
            assertThat(e.engine()).isEqualTo("imageio");
        }
        assertThat(log).isEmpty();
        String old = System.getProperty(JpegEngines.PROPERTY);
        try {
            System.setProperty(JpegEngines.PROPERTY, "imageio");
            try (JpegFrameEncoder e = JpegEngines.create()) {
                assertThat(e.engine()).isEqualTo("imageio");
            }
            System.setProperty(JpegEngines.PROPERTY, "ffmpeg");
            try (JpegFrameEncoder e = JpegEngines.create()) {
                assertThat(e.engine()).isEqualTo("ffmpeg");
            }
        } finally {
            if (old == null) {
                System.clearProperty(JpegEngines.PROPERTY);
            } else {
                System.setProperty(JpegEngines.PROPERTY, old);
            }
        }
    }

    /**
     * An FFmpeg encoder dropped without close() has its packet, codec context, frames and
     * scaler freed by its Cleaner; close() frees them at once, and a second close() is a no-op.
     */
    @Test
    void anUnclosedFfmpegEncoderIsFreed() throws InterruptedException {
        SpiceBitmap src = TestImages.crop(TestImages.bitmap(TestImages.ASTRONAUT, SpiceBitmapFormat.RGB32), 32, 16);
        int before = FfmpegJpegFrameEncoder.Natives.LIVE_CONTEXTS.get();
        List<JpegFrameEncoder> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JpegFrameEncoder e = new FfmpegJpegFrameEncoder();
            // The codec context is opened by the first frame.
            assertThat(encode(e, src, 85)).isNotEmpty();
            held.add(e);
        }
        assertThat(FfmpegJpegFrameEncoder.Natives.LIVE_CONTEXTS.get()).isEqualTo(before + 3);
        // A new size replaces the context (and a new format the scaler): still one each.
        assertThat(encode(held.get(1), crop(src, 0, 0, 16, 8), 60)).isNotEmpty();
        assertThat(encode(held.get(1), TestImages.crop(TestImages.bitmap(TestImages.ASTRONAUT, SpiceBitmapFormat.RGB24), 16, 8), 60))
                .isNotEmpty();
        assertThat(FfmpegJpegFrameEncoder.Natives.LIVE_CONTEXTS.get()).isEqualTo(before + 3);
        held.get(0).close();
        held.get(0).close();
        assertThat(FfmpegJpegFrameEncoder.Natives.LIVE_CONTEXTS.get()).isEqualTo(before + 2);
        held.clear();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (FfmpegJpegFrameEncoder.Natives.LIVE_CONTEXTS.get() > before && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertThat(FfmpegJpegFrameEncoder.Natives.LIVE_CONTEXTS.get()).isEqualTo(before);
    }

    /** A top-down, tightly packed copy of a sub-rectangle. */
    static SpiceBitmap crop(SpiceBitmap src, int left, int top, int w, int h) {
        int bpp = src.format().bytesPerPixel();
        byte[] d = new byte[w * h * bpp];
        for (int y = 0; y < h; y++) {
            System.arraycopy(src.data(), src.offset() + (top + y) * src.stride() + left * bpp, d, y * w * bpp, w * bpp);
        }
        return SpiceBitmap.of(src.format(), w, h, d);
    }

    /** The same bitmap with its rows spread over chunks of {@code rowsPerChunk} rows. */
    static SpiceBitmap chunked(SpiceBitmap src, int rowsPerChunk) {
        int stride = src.stride();
        List<byte[]> chunks = new ArrayList<>();
        for (int y = 0; y < src.height(); y += rowsPerChunk) {
            int n = Math.min(rowsPerChunk, src.height() - y);
            chunks.add(Arrays.copyOfRange(src.data(), src.offset() + y * stride, src.offset() + (y + n) * stride));
        }
        return SpiceBitmap.of(src.format(), src.width(), src.height(), stride, src.topDown(),
                SpiceChunks.of(chunks.toArray(new byte[0][])));
    }
}
