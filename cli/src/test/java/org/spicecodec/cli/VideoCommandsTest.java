package org.spicecodec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spicecodec.cli.CliTestSupport.run;

import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spicecodec.cli.CliTestSupport.Run;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.video.I420Converter;
import org.spicecodec.video.I420Frame;
import org.spicecodec.video.Y4mWriter;

/** video encode/decode and mjpeg, through the real FFmpeg natives and the real JPEG engine. */
class VideoCommandsTest {
    @TempDir
    Path tmp;

    /** A moving gradient with a sharp square: content that compresses neither to nothing nor to noise. */
    private static BufferedImage frame(int w, int h, int t) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // Smooth colour: 4:2:0 chroma cannot follow sharp colour edges, whatever the QP.
                int r = Math.min(255, x * 200 / w + 3 * t);
                int g = y * 255 / h;
                int b = Math.min(255, (x + y + 5 * t) * 255 / (w + h + 60));
                boolean square = x >= 10 + 2 * t && x < 40 + 2 * t && y >= 20 && y < 50;
                img.setRGB(x, y, square ? 0xFFFFFF : r << 16 | g << 8 | b);
            }
        }
        return img;
    }

    private Path pngFolder(int w, int h, int n) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("frames"));
        for (int t = 0; t < n; t++) {
            ImageIO.write(frame(w, h, t), "png", dir.resolve(String.format(Locale.ROOT, "%03d.png", t)).toFile());
        }
        return dir;
    }

    private Path y4m(int w, int h, int n) throws Exception {
        Path file = tmp.resolve("clip.y4m");
        I420Frame yuv = I420Frame.allocate(w, h);
        try (OutputStream os = Files.newOutputStream(file); Y4mWriter wr = new Y4mWriter(os, w, h, 25)) {
            for (int t = 0; t < n; t++) {
                SpiceBitmap bm = org.spicecodec.core.BufferedImages.toBitmap(frame(w, h, t), SpiceBitmapFormat.RGB32);
                I420Converter.rgbToI420(bm, 0, 0, yuv);
                wr.write(yuv);
            }
        }
        return file;
    }

    private static double psnr(BufferedImage a, BufferedImage b) {
        double err = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int s = 0; s < 24; s += 8) {
                    double d = (p >> s & 0xFF) - (q >> s & 0xFF);
                    err += d * d;
                }
            }
        }
        return 10 * Math.log10(255.0 * 255 / Math.max(err / (3.0 * a.getWidth() * a.getHeight()), 1e-9));
    }

    /**
     * H.264 in 4:2:0 cannot signal an odd size (its cropping works in pairs of pixels), so the
     * FFmpeg backend codes 161x91 as 162x92 with the last column and row repeated.
     */
    @Test
    void h264RoundTripThroughFfmpegPadsAnOddSizeByOne() throws Exception {
        Path frames = pngFolder(161, 91, 8);
        Path out = tmp.resolve("a.h264");
        Run enc = run("video", "encode", "--codec", "h264", "--backend", "ffmpeg", "--qp", "20", frames, out);
        assertThat(enc.status()).as(enc.err()).isZero();
        assertThat(enc.out()).contains("8 frames 161x91").contains("via ffmpeg");
        Path dir = tmp.resolve("decoded");
        Run dec = run("video", "decode", out, dir);
        assertThat(dec.status()).as(dec.err()).isZero();
        assertThat(dec.out()).contains("162x92").contains("8 frames");
        BufferedImage last = ImageIO.read(dir.resolve("00007.png").toFile());
        assertThat(last.getWidth()).isEqualTo(162);
        assertThat(psnr(frame(161, 91, 7), last.getSubimage(0, 0, 161, 91))).isGreaterThan(33.0);
        // The padding repeats the last column.
        assertThat(Math.abs((last.getRGB(161, 40) & 0xFF) - (last.getRGB(160, 40) & 0xFF))).isLessThan(12);
    }

    @Test
    void vp9FromY4mGoesIntoIvf() throws Exception {
        Path clip = y4m(96, 64, 6);
        Path out = tmp.resolve("a.ivf");
        Run enc = run("video", "encode", "--codec", "vp9", "--qp-min", "4", "--qp-max", "20", clip, out);
        assertThat(enc.status()).as(enc.err()).isZero();
        byte[] ivf = Files.readAllBytes(out);
        assertThat(new String(ivf, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("DKIF");
        assertThat(new String(ivf, 8, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("VP90");
        Run dec = run("video", "decode", out, tmp.resolve("vp9"));
        assertThat(dec.status()).as(dec.err()).isZero();
        assertThat(dec.out()).contains("VP9 96x64").contains("6 frames");
    }

    /** The access units are written on the pipeline's thread; a write that fails still reaches the user. */
    @Test
    void aFailingWriteIsReported() throws Exception {
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(full), "needs /dev/full");
        Path out = tmp.resolve("full.h264");
        Files.createSymbolicLink(out, full);
        Run enc = run("video", "encode", "--codec", "h264", "--qp", "20", pngFolder(640, 360, 40), out);
        assertThat(enc.status()).isEqualTo(1);
        assertThat(enc.err()).contains("No space left on device");
    }

    @Test
    void usageErrorsAreReported() throws Exception {
        Path frames = pngFolder(32, 32, 1);
        assertThat(run("video", "encode", "--codec", "h264", frames, tmp.resolve("x.ivf")).err())
                .contains("H264 is written as .h264");
        assertThat(run("video", "encode", "--codec", "h263", frames, tmp.resolve("x.h264")).err())
                .contains("unknown codec 'h263'");
        assertThat(run("video", "encode", "--codec", "h264", "--qp", "70", frames, tmp.resolve("x.h264")).err())
                .contains("needs a QP in 0..51");
        assertThat(run("video", "encode", "--codec", "h264", "--backend", "vlc", frames, tmp.resolve("x.h264")).err())
                .contains("unknown video backend 'vlc'");
        Path junk = tmp.resolve("junk.h264");
        Files.write(junk, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        Run bad = run("video", "decode", junk, tmp.resolve("junk"));
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.err()).contains("no sequence parameter set");
    }

    @Test
    void mjpegOverASlowLinkLowersQualityAndFrameRate() throws Exception {
        Path clip = y4m(320, 180, 25);
        Path fast = tmp.resolve("fast.mjpeg");
        Path slow = tmp.resolve("slow.mjpeg");
        Run f = run("mjpeg", "--bandwidth", "20mbit", "--loop", "4", clip, fast);
        assertThat(f.status()).as(f.err()).isZero();
        Run s = run("mjpeg", "--bandwidth", "300k", "--loop", "4", clip, slow);
        assertThat(s.status()).as(s.err()).isZero();
        assertThat(s.out()).contains("second offered");
        int fastFrames = delivered(f.out());
        int slowFrames = delivered(s.out());
        assertThat(slowFrames).isLessThan(fastFrames);
        assertThat(Files.size(slow)).isLessThan(Files.size(fast));
        // Every frame the client got is a whole JPEG, and the file holds exactly those.
        byte[] d = Files.readAllBytes(slow);
        int count = 0;
        for (int at = 0; at < d.length; at = MjpegFiles.frameEnd(d, at)) {
            count++;
        }
        assertThat(count).isEqualTo(slowFrames);
        Run dec = run("video", "decode", slow, tmp.resolve("slowframes"));
        assertThat(dec.status()).as(dec.err()).isZero();
        assertThat(dec.out()).contains(slowFrames + " frames");
    }

    @Test
    void readsAVideoFileThroughFfmpeg() throws Exception {
        // The lossless terminal excerpt of the embedded corpus (lossless H.264 RGB in Matroska).
        Path mkv = tmp.resolve("terminal.mkv");
        try (var in = VideoCommandsTest.class.getResourceAsStream(
                "/org/spicecodec/corpus/default/video/terminal_scroll_xterm_excerpt_640x360_25fps.mkv")) {
            assertThat(in).isNotNull();
            Files.copy(in, mkv);
        }
        Path out = tmp.resolve("t.h264");
        Run enc = run("video", "encode", "--codec", "h264", "--qp", "24", "--frames", "5", mkv, out);
        assertThat(enc.status()).as(enc.err()).isZero();
        assertThat(enc.out()).contains("5 frames 640x360").contains("at 25 fps");
        Run dec = run("video", "decode", out, tmp.resolve("t"));
        assertThat(dec.status()).as(dec.err()).isZero();
        assertThat(dec.out()).contains("640x360").contains("5 frames");
    }

    /** The files `video encode` writes play in the ffmpeg command line (the one JavaCPP bundles). */
    @Test
    void theFfmpegCommandLineReadsEveryOutput() throws Exception {
        String ffprobe = org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffprobe.class);
        Path frames = pngFolder(96, 64, 5);
        String[][] cases = {{"h264", "a.h264", "h264"}, {"h265", "a.h265", "hevc"}, {"vp8", "a.ivf", "vp8"},
            {"vp9", "b.ivf", "vp9"}, {"mjpeg", "a.mjpeg", "mjpeg"}};
        for (String[] c : cases) {
            Path out = tmp.resolve(c[1]);
            Run enc = run("video", "encode", "--codec", c[0], "--qp", "20", frames, out);
            assertThat(enc.status()).as(c[0] + ": " + enc.err()).isZero();
            Process p = new ProcessBuilder(ffprobe, "-v", "error", "-count_frames", "-select_streams", "v:0",
                    "-show_entries", "stream=codec_name,width,height,nb_read_frames", "-of", "csv=p=0",
                    out.toString()).redirectErrorStream(true).start();
            String probe = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            assertThat(p.waitFor()).as(probe).isZero();
            assertThat(probe).as(c[0]).isEqualTo(c[2] + ",96,64,5");
        }
    }

    private static int delivered(String out) {
        Matcher m = Pattern.compile("(\\d+) delivered").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
