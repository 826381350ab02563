package org.spicecodec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spicecodec.cli.CliTestSupport.miniSet;
import static org.spicecodec.cli.CliTestSupport.run;

import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spicecodec.cli.CliTestSupport.Run;

class EncodeDecodeTest {
    @TempDir
    Path tmp;

    private static byte[] gunzip(Path p) throws Exception {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            return in.readAllBytes();
        }
    }

    /**
     * Random pixels in a padded, optionally bottom-up raw file must come back exactly, top-down
     * and without padding. RGB32's unused byte and RGB16's bit 15 are zero in the input, since
     * QUIC does not code them.
     */
    @ParameterizedTest
    @CsvSource({
        "GRAY, 1, 7, 5, 9, false",
        "RGB16, 2, 6, 4, 12, true",
        "RGB24, 3, 7, 5, 24, true",
        "RGB24, 3, 33, 17, 99, false",
        "RGB32, 4, 5, 3, 20, true",
        "RGBA, 4, 9, 2, 40, false",
    })
    void rawRoundTripsExactly(String type, int bpp, int w, int h, int stride, boolean bottomUp) throws Exception {
        Random rnd = new Random(w * 31L + h);
        byte[] raw = new byte[stride * h];
        rnd.nextBytes(raw);
        byte[] picture = new byte[w * bpp * h];
        for (int y = 0; y < h; y++) {
            int fileRow = bottomUp ? h - 1 - y : y;
            for (int x = 0; x < w; x++) {
                int p = fileRow * stride + x * bpp;
                if (type.equals("RGB32")) {
                    raw[p + 3] = 0;
                } else if (type.equals("RGB16")) {
                    raw[p + 1] &= 0x7F;
                }
            }
            System.arraycopy(raw, fileRow * stride, picture, y * w * bpp, w * bpp);
        }
        Path in = tmp.resolve("in.raw");
        Files.write(in, raw);
        Path enc = tmp.resolve("x.quic");
        Path out = tmp.resolve("out.raw");

        Run e = bottomUp
                ? run("encode", "--codec", "quic", "--type", type, "--width", w, "--height", h, "--stride", stride,
                        "--bottom-up", in, enc)
                : run("encode", "--type", type.toLowerCase(), "-W", w, "-H", h, "--stride", stride, in, enc);
        assertThat(e.err()).isEmpty();
        assertThat(e.status()).isZero();
        assertThat(e.out()).isEmpty();
        Run d = run("decode", "--codec", "quic", enc, out);
        assertThat(d.err()).isEmpty();
        assertThat(d.status()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(picture);
    }

    /** LZ from the command line: a bottom-up PLT8 file, decoded as is and through its palette. */
    @Test
    void lzRoundTripsAPaletteImage() throws Exception {
        int w = 13;
        int h = 4;
        byte[] raw = new byte[w * h];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (i % 5 == 0 ? 2 : i % 3);
        }
        Path in = tmp.resolve("p.raw");
        Files.write(in, raw);
        Path enc = tmp.resolve("p.lz");
        Run e = run("encode", "--codec", "lz", "--type", "plt8", "-W", w, "-H", h, "--bottom-up", in, enc);
        assertThat(e.err()).isEmpty();
        assertThat(e.status()).isZero();

        Path same = tmp.resolve("same.raw");
        Run d = run("decode", "--codec", "lz", enc, same);
        assertThat(d.err()).isEmpty();
        assertThat(d.status()).isZero();
        byte[] picture = new byte[raw.length];
        for (int y = 0; y < h; y++) {
            System.arraycopy(raw, (h - 1 - y) * w, picture, y * w, w);
        }
        assertThat(Files.readAllBytes(same)).isEqualTo(picture);

        Path pal = tmp.resolve("p.pal");
        Files.write(pal, new byte[] {1, 2, 3, 0, 4, 5, 6, 0, 7, 8, 9, 0});
        Path rgb = tmp.resolve("rgb.raw");
        d = run("decode", "--codec", "lz", "--to-type", "RGB32", "--palette", pal, enc, rgb);
        assertThat(d.err()).isEmpty();
        byte[] got = Files.readAllBytes(rgb);
        assertThat(got).hasSize(w * h * 4);
        for (int i = 0; i < picture.length; i++) {
            assertThat(got[4 * i]).isEqualTo((byte) (1 + 3 * picture[i]));
        }

        Run noPalette = run("decode", "--codec", "lz", "--to-type", "RGB32", enc, rgb);
        assertThat(noPalette.status()).isEqualTo(2);
        assertThat(noPalette.err()).contains("needs --palette");
    }

    /** The encoder run from the command line reproduces a golden vector byte for byte. */
    @Test
    void encodesAGoldenVectorExactly() throws Exception {
        Path in = tmp.resolve("icon.raw");
        Files.write(in, gunzip(miniSet().resolve("inputs/rgba_icon_small_bottom_up_rgba.raw.gz")));
        Path enc = tmp.resolve("icon.quic");
        Run r = run("encode", "--type", "RGBA", "--width", 48, "--height", 48, "--bottom-up", in, enc);
        assertThat(r.status()).isZero();
        assertThat(Files.readAllBytes(enc))
                .isEqualTo(Files.readAllBytes(miniSet().resolve("quic/rgba_icon_small_bottom_up.quic")));

        Path stride = tmp.resolve("s.raw");
        Files.write(stride, gunzip(miniSet().resolve("inputs/rgb24_33x9_stride4_rgb24.raw.gz")));
        Path enc2 = tmp.resolve("s.quic");
        assertThat(run("encode", "-t", "RGB24", "-W", 33, "-H", 9, "--stride", 100, stride, enc2).status()).isZero();
        assertThat(Files.readAllBytes(enc2))
                .isEqualTo(Files.readAllBytes(miniSet().resolve("quic/rgb24_33x9_stride4.quic")));
    }

    @Test
    void decodesToAnotherTypeAsTheReference() throws Exception {
        Path out = tmp.resolve("o.raw");
        Run r = run("decode", "--to-type", "RGB32", miniSet().resolve("quic/rgb24_33x9_stride4.quic"), out);
        assertThat(r.status()).isZero();
        assertThat(Files.readAllBytes(out))
                .isEqualTo(gunzip(miniSet().resolve("decoded/quic__rgb24_33x9_stride4.RGB32.raw.gz")));
    }

    @Test
    void verboseDescribesTheWork() throws Exception {
        Path out = tmp.resolve("o.raw");
        Run r = run("decode", "-v", miniSet().resolve("quic/rgb24_33x9_stride4.quic"), out);
        assertThat(r.out()).endsWith(": QUIC RGB24 33x9 -> RGB24" + System.lineSeparator());
        Run e = run("encode", "-v", "-t", "RGB24", "-W", 33, "-H", 9, out, tmp.resolve("x.quic"));
        assertThat(e.out()).contains("33x9 RGB24, 891 bytes -> ");
    }

    @Test
    void pngInAndOut() throws Exception {
        Path png = tmp.resolve("icon.png");
        Path quic = miniSet().resolve("quic/rgba_icon_small_bottom_up.quic");
        assertThat(run("decode", quic, png).status()).isZero();
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(48);
        assertThat(img.getColorModel().hasAlpha()).isTrue();

        // An RGBA PNG encodes as RGBA by default, and gives back the same stream.
        Path again = tmp.resolve("again.quic");
        Run r = run("encode", png, again);
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).isZero();
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(quic));

        // Width and height are optional for a PNG, but must match when given.
        assertThat(run("encode", "--width", 48, "--height", 48, png, again).status()).isZero();
        Run wrong = run("encode", "--width", 47, png, again);
        assertThat(wrong.status()).isEqualTo(2);
        assertThat(wrong.err()).contains("is 48x48, not 47x48");

        // A colour PNG without alpha, forced to RGB24; decoding gives B, G, R top-down.
        BufferedImage rgb = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0x102030);
        rgb.setRGB(2, 1, 0xA0B0C0);
        Path rgbPng = tmp.resolve("rgb.png");
        ImageIO.write(rgb, "png", rgbPng.toFile());
        Path rgbQuic = tmp.resolve("rgb.quic");
        assertThat(run("encode", "-t", "RGB24", rgbPng, rgbQuic).status()).isZero();
        Path raw = tmp.resolve("rgb.raw");
        assertThat(run("decode", rgbQuic, raw).status()).isZero();
        byte[] px = Files.readAllBytes(raw);
        assertThat(px).hasSize(18);
        assertThat(new byte[] {px[0], px[1], px[2]}).containsExactly(0x30, 0x20, 0x10);
        assertThat(new byte[] {px[15], px[16], px[17]}).containsExactly(0xC0, 0xB0, 0xA0);
    }

    @Test
    void grayPngEncodesAsGray() throws Exception {
        BufferedImage gray = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(1, 2, 0, 77);
        Path png = tmp.resolve("g.png");
        ImageIO.write(gray, "png", png.toFile());
        Path quic = tmp.resolve("g.quic");
        assertThat(run("encode", png, quic).status()).isZero();
        Run d = run("decode", "-v", quic, tmp.resolve("g.raw"));
        assertThat(d.out()).contains("QUIC GRAY 4x4 -> GRAY");
        assertThat(Files.readAllBytes(tmp.resolve("g.raw"))[2 * 4 + 1]).isEqualTo((byte) 77);
    }

    @Test
    void malformedStreamIsOneLineAndStatusOne() throws Exception {
        Path bad = tmp.resolve("bad.quic");
        byte[] good = Files.readAllBytes(miniSet().resolve("quic/rgba_icon_small_bottom_up.quic"));
        Files.write(bad, java.util.Arrays.copyOf(good, 100));
        Run r = run("decode", bad, tmp.resolve("o.raw"));
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("spicecodec decode: " + bad + ": malformed QUIC stream at offset ");
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");

        Files.write(bad, "not a quic stream at all".getBytes());
        Run magic = run("decode", bad, tmp.resolve("o.raw"));
        assertThat(magic.status()).isEqualTo(1);
        assertThat(magic.err()).contains("malformed QUIC stream at offset 0");
    }

    @Test
    void rawFileOfTheWrongSizeIsRejected() throws Exception {
        Path in = tmp.resolve("in.raw");
        Files.write(in, new byte[99]);
        Run r = run("encode", "-t", "RGB32", "-W", 5, "-H", 5, in, tmp.resolve("o.quic"));
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("spicecodec encode: " + in
                + " is 99 bytes, but 5x5 RGB32 with stride 20 needs exactly 100 bytes (stride * height)");
        assertThat(Files.exists(tmp.resolve("o.quic"))).isFalse();
    }

    @Test
    void convertingToATypeQuicCannotProduceIsRefused() {
        Run r = run("decode", "--to-type", "RGB32", miniSet().resolve("quic/gray_1x1.quic"), tmp.resolve("o.raw"));
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("spicecodec decode: cannot decode a QUIC image of type GRAY to RGB32");
        assertThat(Files.exists(tmp.resolve("o.raw"))).isFalse();
    }

    @Test
    void decodedOutputIsNotWrittenOnFailure() throws Exception {
        Path bad = tmp.resolve("bad.quic");
        Files.write(bad, new byte[8]);
        Path out = tmp.resolve("o.raw");
        assertThat(run("decode", bad, out).status()).isEqualTo(1);
        assertThat(Files.exists(out)).isFalse();
    }
}
