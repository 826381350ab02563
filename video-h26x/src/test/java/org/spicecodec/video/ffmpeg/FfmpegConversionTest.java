package org.spicecodec.video.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale_frame;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpiceChunks;
import org.spicecodec.core.video.EncodedFrame;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.video.FrameCompressor;
import org.spicecodec.video.I420Converter;
import org.spicecodec.video.VideoEncoderConfig;

/** The encoder's multi-threaded input path gives the same bytes as the single-threaded one. */
class FfmpegConversionTest {
    static {
        FfmpegNatives.requireLoaded();
    }

    /** A desktop-like frame: the cat tiled with a moving offset, plus noise in a band. */
    static byte[] picture(int w, int h, int bpp, long seed) {
        SpiceBitmap cat = FfmpegTestFrames.cat();
        byte[] d = new byte[w * h * bpp];
        Random rnd = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int c = cat.offset() + ((y + (int) seed) % cat.height()) * cat.stride() + (x % cat.width()) * 4;
                for (int k = 0; k < bpp; k++) {
                    d[(y * w + x) * bpp + k] = y > h / 3 && y < h / 2 ? (byte) rnd.nextInt() : cat.data()[c + (k & 3)];
                }
            }
        }
        return d;
    }

    /** Converts with sws_scale_frame on {@code threads} threads and returns the three planes, packed. */
    static byte[] convertFrame(byte[] src, int w, int h, int srcFormat, int bpp, int dstFormat, int threads) {
        SwsContext sws = FfmpegFrameCompressor.newConversion(w, h, srcFormat, dstFormat, threads);
        AVFrame in = FfmpegFrameCompressor.newInputFrame(w, h, srcFormat, bpp);
        AVFrame out = av_frame_alloc();
        try {
            in.data(0).put(src, 0, src.length);
            out.format(dstFormat).width(w).height(h);
            assertThat(av_frame_get_buffer(out, 0)).isZero();
            assertThat(sws_scale_frame(sws, out, in)).isGreaterThanOrEqualTo(0);
            return planes(out.data(0), out.data(1), out.data(2), out.linesize(0), out.linesize(1), w, h);
        } finally {
            av_frame_free(out);
            av_frame_free(in);
            sws_freeContext(sws);
        }
    }

    /** The encoder's former path: one sws_getContext context, sws_scale over the whole frame. */
    static byte[] convertLegacy(byte[] src, int w, int h, int srcFormat, int bpp, int dstFormat) {
        SwsContext sws = sws_getContext(w, h, srcFormat, w, h, dstFormat, FfmpegFrameCompressor.SWS_FLAGS,
                null, null, (DoublePointer) null);
        AVFrame out = av_frame_alloc();
        try (BytePointer in = new BytePointer((long) src.length + 64);
             PointerPointer<BytePointer> srcPlanes = new PointerPointer<>(4);
             IntPointer srcStrides = new IntPointer(4)) {
            in.put(src, 0, src.length);
            srcPlanes.put(0, in);
            srcStrides.put(0, w * bpp);
            out.format(dstFormat).width(w).height(h);
            assertThat(av_frame_get_buffer(out, 0)).isZero();
            assertThat(sws_scale(sws, srcPlanes, srcStrides, 0, h, out.data(), out.linesize())).isEqualTo(h);
            return planes(out.data(0), out.data(1), out.data(2), out.linesize(0), out.linesize(1), w, h);
        } finally {
            av_frame_free(out);
            sws_freeContext(sws);
        }
    }

    static byte[] planes(BytePointer y, BytePointer u, BytePointer v, int yStride, int cStride, int w, int h) {
        int cw = (w + 1) / 2;
        int ch = (h + 1) / 2;
        byte[] all = new byte[w * h + 2 * cw * ch];
        int pos = 0;
        for (int r = 0; r < h; r++, pos += w) {
            y.position((long) r * yStride).get(all, pos, w);
        }
        for (BytePointer p : new BytePointer[] {u, v}) {
            for (int r = 0; r < ch; r++, pos += cw) {
                p.position((long) r * cStride).get(all, pos, cw);
            }
        }
        return all;
    }

    @ParameterizedTest(name = "{0} {1}x{2} to {3} on {4} threads")
    @CsvSource({"RGB32, 1920, 1080, YUV420P, 2", "RGB32, 1920, 1080, YUV420P, 3", "RGBA, 1282, 722, YUV420P, 2",
                "RGB24, 1282, 722, YUV420P, 4", "RGB16, 1282, 722, YUV420P, 2", "RGB32, 641, 361, YUV420P, 2",
                "RGB32, 1282, 722, YUVJ420P, 2"})
    void threadedConversionGivesTheBytesOfOneThread(SpiceBitmapFormat format, int w, int h, String dst, int threads) {
        int srcFormat = BitmapRows.pixelFormat(format);
        int bpp = format.bytesPerPixel();
        int dstFormat = dst.equals("YUVJ420P") ? AV_PIX_FMT_YUVJ420P : AV_PIX_FMT_YUV420P;
        byte[] src = picture(w, h, bpp, 7);
        byte[] legacy = convertLegacy(src, w, h, srcFormat, bpp, dstFormat);
        byte[] one = convertFrame(src, w, h, srcFormat, bpp, dstFormat, 1);
        byte[] many = convertFrame(src, w, h, srcFormat, bpp, dstFormat, threads);
        assertThat(one).isEqualTo(legacy);
        assertThat(many).isEqualTo(one);
        // Not trivially equal: the picture has texture, so a band seam or a lost row would show.
        assertThat(Arrays.stream(new int[] {0, w * h / 2, w * h - 1}).map(i -> many[i]).distinct().count()).isGreaterThan(1);
    }

    /**
     * The encoder's own conversion (I420Converter by row pairs on two bands, straight into the
     * AVFrame) equals I420Converter over the whole rectangle in memory order, plus the
     * replicated column and row that H.264 needs for odd sizes; VP8 keeps the odd size.
     */
    @ParameterizedTest(name = "{0} {1}: {2}x{3} at ({4},{5}), {6} thread(s)")
    @CsvSource({"H264, RGB32, 1280, 720, 0, 0, 2", "H264, RGB32, 801, 601, 31, 40, 2", "H264, RGB24, 801, 601, 31, 40, 1",
                "VP8, RGBA, 801, 601, 3, 1, 2", "VP8, RGB16, 640, 359, 0, 2, 2", "H264, RGB32, 3, 1, 5, 7, 2"})
    void encoderConversionEqualsTheJavaConverter(VideoCodecType codec, SpiceBitmapFormat format, int w, int h,
                                                 int left, int top, int threads) {
        SpiceBitmap bm;
        if (format == SpiceBitmapFormat.RGB32) {
            bm = chunkedBottomUp(1300, 740, 1300 * 4 + 12);
        } else {
            byte[] d = picture(1300, 740, format.bytesPerPixel(), 5);
            bm = SpiceBitmap.of(format, 1300, 740, 1300 * format.bytesPerPixel(), false, d, 0);
        }
        VideoEncoderConfig config = VideoEncoderConfig.builder(codec).constantQp(20).threads(threads).build();
        FfmpegEncoder encoder = codec == VideoCodecType.H264 ? new FfmpegBackend().encoderFor(codec) : FfmpegEncoder.VP8;
        try (FfmpegFrameCompressor c = new FfmpegFrameCompressor(config, encoder)) {
            for (int round = 0; round < 2; round++) {
                c.prepare(bm, left, top, w, h);
                c.convert(bm, left, top, w, h, 0);
                AVFrame f = c.converted(0);
                boolean pad = encoder.needsEvenSize();
                int cwOut = pad ? (w + 1) / 2 * 2 : w;
                int chOut = pad ? (h + 1) / 2 * 2 : h;
                byte[] got = planes(f.data(0), f.data(1), f.data(2), f.linesize(0), f.linesize(1), cwOut, chOut);

                int cw = (w + 1) / 2;
                int ch = (h + 1) / 2;
                byte[] y = new byte[w * h];
                byte[] u = new byte[cw * ch];
                byte[] v = new byte[cw * ch];
                SpiceBitmap memoryOrder = SpiceBitmap.of(bm.format(), bm.width(), bm.height(), bm.stride(), true, bm.chunks());
                I420Converter.rgbToI420(memoryOrder, left, bm.height() - top - h, w, h, y, 0, w, u, 0, cw, v, 0, cw,
                        I420Converter.UNSIGNED_SAMPLES);
                byte[] expected = new byte[cwOut * chOut + 2 * cw * ch];
                for (int r = 0; r < chOut; r++) {
                    int from = Math.min(r, h - 1) * w;
                    System.arraycopy(y, from, expected, r * cwOut, w);
                    if (cwOut > w) {
                        expected[r * cwOut + w] = y[from + w - 1];
                    }
                }
                System.arraycopy(u, 0, expected, cwOut * chOut, u.length);
                System.arraycopy(v, 0, expected, cwOut * chOut + u.length, v.length);
                assertThat(got).isEqualTo(expected);
            }
        }
    }

    @Test
    void conversionThreadsFollowTheConfigurationAndTheFrameHeight() {
        VideoEncoderConfig auto = VideoEncoderConfig.builder(VideoCodecType.H264).build();
        VideoEncoderConfig one = VideoEncoderConfig.builder(VideoCodecType.H264).threads(1).build();
        VideoEncoderConfig three = VideoEncoderConfig.builder(VideoCodecType.H264).threads(3).build();
        VideoEncoderConfig many = VideoEncoderConfig.builder(VideoCodecType.H264).threads(64).build();
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(FfmpegFrameCompressor.conversionThreads(auto, 1080)).isEqualTo(Math.min(cores, 8));
        assertThat(FfmpegFrameCompressor.conversionThreads(one, 1080)).isEqualTo(1);
        assertThat(FfmpegFrameCompressor.conversionThreads(three, 1080)).isEqualTo(3);
        assertThat(FfmpegFrameCompressor.conversionThreads(many, 1080)).isEqualTo(8);
        assertThat(FfmpegFrameCompressor.conversionThreads(three, 127)).isEqualTo(1);
        assertThat(FfmpegFrameCompressor.conversionThreads(three, 128)).isEqualTo(2);
    }

    /** A bottom-up RGB32 bitmap with padded stride over chunks of 3, 250, 1 and the rest rows. */
    static SpiceBitmap chunkedBottomUp(int w, int h, int stride) {
        byte[] all = new byte[stride * h];
        new Random(3).nextBytes(all);
        int[] rows = {3, 250, 1, h - 254};
        SpiceChunks.Builder b = SpiceChunks.builder();
        int row = 0;
        for (int n : rows) {
            // Each chunk in its own array at an offset, as received from the wire.
            byte[] chunk = new byte[n * stride + 5];
            System.arraycopy(all, row * stride, chunk, 5, n * stride);
            b.add(chunk, 5, n * stride);
            row += n;
        }
        return SpiceBitmap.of(SpiceBitmapFormat.RGB32, w, h, stride, false, b.build());
    }

    @Test
    void twoBandCopyEqualsTheOneThreadCopy() {
        SpiceBitmap bm = chunkedBottomUp(900, 700, 900 * 4 + 12);
        // A 801x601 rectangle at (31, 40), padded to 802x602 by a replicated column and row.
        int rows = 601;
        int rowBytes = 801 * 4;
        int stride = 802 * 4;
        int firstRow = bm.height() - 40 - rows;
        ByteBuffer expected = ByteBuffer.allocateDirect(stride * 602);
        ByteBuffer got = ByteBuffer.allocateDirect(stride * 602);
        BitmapRows.copyIn(bm, firstRow, rows, 31 * 4, rowBytes, 4, true, expected, 0, stride);
        BandWorker.Band copy = (from, to, band) -> BitmapRows.copyIn(bm, firstRow + from, to - from, 31 * 4, rowBytes, 4,
                to == rows, got, from, stride);
        try (BandWorker copier = new BandWorker("test-bands")) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < got.capacity(); i++) {
                    got.put(i, (byte) round);
                }
                copier.run(copy, rows, rows / 2, true);
                assertThat(copier.running()).isTrue();
                assertThat(got).isEqualTo(expected);
            }
            copier.close();
            assertThat(copier.running()).isFalse();
            // Closed: still copies, on the caller's thread.
            got.put(0, (byte) 99);
            copier.run(copy, rows, rows / 2, true);
            assertThat(got).isEqualTo(expected);
            assertThat(copier.running()).isFalse();
        }
    }

    /** A failure in the worker's band reaches the caller, after both bands are done. */
    @Test
    void aFailingBandIsRethrownToTheCaller() {
        int[] done = new int[2];
        try (BandWorker w = new BandWorker("test-bands")) {
            assertThatThrownBy(() -> w.run((from, to, band) -> {
                if (band == 1) {
                    throw new IllegalStateException("band " + from + ".." + to);
                }
                done[0] = to;
            }, 10, 4, true)).isInstanceOf(IllegalStateException.class).hasMessage("band 4..10");
            assertThat(done[0]).isEqualTo(4);
            done[0] = 0;
            w.run((from, to, band) -> done[band] += to - from, 10, 4, true);
            assertThat(done).containsExactly(4, 6);
        }
    }

    static long copyThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(FfmpegFrameCompressor.CONVERSION_THREAD) && t.isAlive()).count();
    }

    @Test
    void encoderStopsItsCopyThreadOnClose() throws InterruptedException {
        long before = copyThreads();
        SpiceBitmap frame = SpiceBitmap.of(SpiceBitmapFormat.RGB32, 1280, 720, picture(1280, 720, 4, 1));
        FrameCompressor enc = FfmpegEncoderTest.BACKEND.openEncoder(
                VideoEncoderConfig.builder(VideoCodecType.VP8).constantQp(20).threads(2).build());
        EncodedFrame out = new EncodedFrame();
        assertThat(enc.encode(frame, 0, 0, 1280, 720, 0, out)).isTrue();
        assertThat(copyThreads()).isEqualTo(before + 1);
        enc.close();
        assertThat(copyThreads()).isEqualTo(before);
    }

    /** An encoder dropped without close() neither leaves its conversion thread parked nor leaks its codec. */
    @Test
    void anUnclosedEncoderLetsItsThreadAndNativesGo() throws InterruptedException {
        long before = copyThreads();
        int contexts = FfmpegFrameCompressor.Natives.LIVE_CONTEXTS.get();
        java.util.List<FrameCompressor> held = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(encodeOneFrame());
        }
        assertThat(copyThreads()).isEqualTo(before + 3);
        assertThat(FfmpegFrameCompressor.Natives.LIVE_CONTEXTS.get()).isEqualTo(contexts + 3);
        held.clear(); // dropped without close()
        long deadline = System.nanoTime() + 20_000_000_000L;
        while ((copyThreads() > before || FfmpegFrameCompressor.Natives.LIVE_CONTEXTS.get() > contexts)
                && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertThat(copyThreads()).isEqualTo(before);
        assertThat(FfmpegFrameCompressor.Natives.LIVE_CONTEXTS.get()).isEqualTo(contexts);
    }

    private static FrameCompressor encodeOneFrame() {
        SpiceBitmap frame = SpiceBitmap.of(SpiceBitmapFormat.RGB32, 1280, 720, picture(1280, 720, 4, 1));
        FrameCompressor enc = FfmpegEncoderTest.BACKEND.openEncoder(
                VideoEncoderConfig.builder(VideoCodecType.VP8).constantQp(20).threads(2).build());
        assertThat(enc.encode(frame, 0, 0, 1280, 720, 0, new EncodedFrame())).isTrue();
        return enc;
    }
}
