package org.spicecodec.video.jcodec;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.IntFunction;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.video.EncodedFrame;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.core.video.VideoDecoder;
import org.spicecodec.video.FrameCompressor;
import org.spicecodec.video.VideoBackend;
import org.spicecodec.video.VideoEncoderConfig;
import org.spicecodec.video.ffmpeg.FfmpegBackend;

/**
 * Constant QP on JCodec sets the size, and unchanged macroblocks cost next to nothing
 * (SkipRewriter, StillMacroblocks). Before, every P macroblock cost about 50 bits whatever the
 * QP: 1112, 1145 and 1106 kbit/s at QP 22, 30 and 38 on the corpus terminal clip.
 */
class JcodecConstantQpTest {
    private static final int W = 320;
    private static final int H = 192; // 240 macroblocks
    private static final BufferedImage PHOTO = photo();

    private static BufferedImage photo() {
        try (InputStream in = JcodecConstantQpTest.class.getResourceAsStream("/gstreamer/skimage_chelsea_cat_451x300.png")) {
            return ImageIO.read(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Bytes of the P pictures, and mean RGB PSNR of FFmpeg's decoding of all pictures. */
    private record Run(long pBytes, long allBytes, double psnr, int largestP) {
    }

    private static Run run(int qp, IntFunction<SpiceBitmap> frames, int n) {
        VideoBackend ffmpeg = new FfmpegBackend();
        assertThat(ffmpeg.decoderUnavailableReason(VideoCodecType.H264)).isNull();
        JcodecBackend jcodec = new JcodecBackend();
        long pBytes = 0;
        long all = 0;
        int largestP = 0;
        double psnr = 0;
        try (FrameCompressor enc = jcodec.openEncoder(VideoEncoderConfig.builder(VideoCodecType.H264).constantQp(qp).build());
             VideoDecoder theirs = ffmpeg.openDecoder(VideoCodecType.H264);
             VideoDecoder ours = jcodec.openDecoder(VideoCodecType.H264)) {
            EncodedFrame out = new EncodedFrame();
            SpiceBitmap a = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, W, H);
            SpiceBitmap b = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, W, H);
            for (int i = 0; i < n; i++) {
                SpiceBitmap src = frames.apply(i);
                assertThat(enc.encode(src, 0, 0, W, H, i, out)).isTrue();
                assertThat(out.keyFrame()).isEqualTo(i == 0);
                all += out.length();
                if (i > 0) {
                    pBytes += out.length();
                    largestP = Math.max(largestP, out.length());
                }
                assertThat(theirs.decodeFrame(out.data(), 0, out.length(), b)).as("FFmpeg, frame %d", i).isTrue();
                assertThat(ours.decodeFrame(out.data(), 0, out.length(), a)).as("JCodec, frame %d", i).isTrue();
                // The skip runs decode to the same samples in both decoders.
                assertThat(JcodecTestFrames.psnr(a, b, W, H)).as("JCodec vs FFmpeg, qp %d frame %d", qp, i)
                        .isGreaterThan(40);
                psnr += JcodecTestFrames.psnr(src, b, W, H);
            }
        }
        return new Run(pBytes, all, psnr / n, largestP);
    }

    /** The photo panning 3 px per picture, as a camera does. */
    private static SpiceBitmap pan(int i) {
        return JcodecTestFrames.shifted(PHOTO, W, H, 3 * i);
    }

    /** The photo standing still while a 16x16 white block (a cursor) moves 16 px per picture. */
    private static SpiceBitmap cursor(int i) {
        SpiceBitmap b = JcodecTestFrames.shifted(PHOTO, W, H, 0);
        for (int y = 96; y < 112; y++) {
            int row = b.offset() + y * b.stride();
            java.util.Arrays.fill(b.data(), row + (32 + 16 * i) * 4, row + (48 + 16 * i) * 4, (byte) 0xFF);
        }
        return b;
    }

    @Test
    void constantQpSetsTheSizeOfCameraContent() {
        Run fine = run(22, JcodecConstantQpTest::pan, 8);
        Run coarse = run(38, JcodecConstantQpTest::pan, 8);
        // Measured: 67725 bytes at 35.2 dB against 14061 bytes at 23.8 dB (JCodec alone: 68034 and
        // 15981; panning content changes every macroblock, so skips hardly matter here).
        assertThat((double) fine.allBytes()).as("bytes at qp 22 vs 38").isGreaterThan(1.5 * coarse.allBytes());
        assertThat((double) fine.pBytes()).as("P picture bytes at qp 22 vs 38").isGreaterThan(1.5 * coarse.pBytes());
        assertThat(fine.psnr()).isGreaterThan(coarse.psnr() + 5);
        assertThat(fine.psnr()).isGreaterThan(33);
    }

    @Test
    void unchangedMacroblocksAreSkippedAtEveryQp() {
        long previous = Long.MAX_VALUE;
        double previousPsnr = Double.MAX_VALUE;
        for (int qp : new int[] {22, 30, 38}) {
            Run r = run(qp, JcodecConstantQpTest::cursor, 6);
            // Two changed macroblocks per picture (where the block left and where it is) and
            // skip runs: 142, 81 and 50 bytes at most; JCodec alone coded all 240 macroblocks
            // (up to 2489 bytes at qp 22).
            assertThat(r.largestP()).as("largest P picture at qp %d", qp).isLessThan(300);
            assertThat(r.pBytes()).as("P bytes at qp %d", qp).isLessThanOrEqualTo(previous);
            // The still photo keeps the quality of its key frame (JCodec: 22.9 dB at qp 38).
            assertThat(r.psnr()).as("PSNR at qp %d", qp).isGreaterThan(qp == 22 ? 33 : 21).isLessThan(previousPsnr);
            previous = r.pBytes();
            previousPsnr = r.psnr();
        }
    }
}
