package org.spicecodec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spicecodec.cli.CliTestSupport.run;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spicecodec.cli.CliTestSupport.Run;

/** encode and decode with --codec jpeg and jpeg-alpha. */
class JpegCommandsTest {
    @TempDir
    Path tmp;

    /** A smooth colour picture with a translucent disc, so both colours and alpha carry content. */
    private Path picture(boolean alpha) throws Exception {
        BufferedImage img = new BufferedImage(97, 61, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int r = x * 255 / 96;
                int g = y * 255 / 60;
                int b = (x + y) * 2 & 0xFF;
                double d = Math.hypot(x - 48, y - 30);
                int a = d < 25 ? 255 : d < 35 ? 128 : 0;
                img.setRGB(x, y, (alpha ? a : 0xFF) << 24 | r << 16 | g << 8 | b);
            }
        }
        Path p = tmp.resolve(alpha ? "alpha.png" : "rgb.png");
        ImageIO.write(img, "png", p.toFile());
        return p;
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
        double mse = err / (3.0 * a.getWidth() * a.getHeight());
        return 10 * Math.log10(255.0 * 255.0 / Math.max(mse, 1e-9));
    }

    @Test
    void jpegRoundTripIsAnOrdinaryJpegAndQualityChangesTheSize() throws Exception {
        Path png = picture(false);
        Path hi = tmp.resolve("hi.jpg");
        Path lo = tmp.resolve("lo.jpg");
        Run enc = run("encode", "--codec", "jpeg", "-v", png, hi);
        assertThat(enc.status()).as(enc.err()).isZero();
        assertThat(run("encode", "--codec", "jpeg", "--quality", "20", png, lo).status()).isZero();
        assertThat(Files.size(lo)).isLessThan(Files.size(hi));

        // Any JPEG reader opens it.
        BufferedImage viaImageIo = ImageIO.read(hi.toFile());
        assertThat(viaImageIo.getWidth()).isEqualTo(97);

        Path back = tmp.resolve("back.png");
        Run dec = run("decode", "--codec", "jpeg", "-v", hi, back);
        assertThat(dec.status()).as(dec.err()).isZero();
        assertThat(dec.out()).contains("JPEG 97x61");
        assertThat(psnr(ImageIO.read(png.toFile()), ImageIO.read(back.toFile()))).isGreaterThan(32.0);
    }

    @Test
    void jpegAlphaKeepsTheAlphaExactly() throws Exception {
        Path png = picture(true);
        Path body = tmp.resolve("img.jpega");
        Path back = tmp.resolve("back.png");
        assertThat(run("encode", "--codec", "jpeg-alpha", png, body).status()).isZero();
        Run dec = run("decode", "--codec", "jpeg-alpha", body, back);
        assertThat(dec.status()).as(dec.err()).isZero();
        BufferedImage a = ImageIO.read(png.toFile());
        BufferedImage b = ImageIO.read(back.toFile());
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                assertThat(b.getRGB(x, y) >>> 24).as("alpha at %d,%d", x, y).isEqualTo(a.getRGB(x, y) >>> 24);
            }
        }
    }

    @Test
    void badInputAndOptionsAreReported() throws Exception {
        Path png = picture(false);
        Path body = tmp.resolve("img.jpega");
        // An opaque picture is RGB32, which JPEG_ALPHA does not code.
        Run noAlpha = run("encode", "--codec", "jpeg-alpha", png, body);
        assertThat(noAlpha.status()).isEqualTo(2);
        assertThat(noAlpha.err()).contains("cannot encode RGB32");
        assertThat(run("encode", "--codec", "jpeg", "--quality", "0", png, tmp.resolve("x.jpg")).err())
                .contains("--quality must be 1 to 100");
        assertThat(run("encode", "--codec", "quic", "--quality", "50", png, tmp.resolve("x.q")).err())
                .contains("--quality applies to --codec jpeg");

        Path jpg = tmp.resolve("a.jpg");
        assertThat(run("encode", "--codec", "jpeg", png, jpg).status()).isZero();
        byte[] whole = Files.readAllBytes(jpg);
        Path cut = tmp.resolve("cut.jpg");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
        Run bad = run("decode", "--codec", "jpeg", cut, tmp.resolve("cut.png"));
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.err()).contains("malformed JPEG at offset");
    }
}
