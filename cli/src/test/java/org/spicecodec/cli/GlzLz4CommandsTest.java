package org.spicecodec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spicecodec.cli.CliTestSupport.run;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Inflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spicecodec.cli.CliTestSupport.Run;

/** encode and decode with glz, zlib-glz, lz4 and vmc-lz4. */
class GlzLz4CommandsTest {
    private static final int W = 40;
    private static final int H = 30;

    @TempDir
    Path tmp;

    /**
     * A small RGB32 picture of blocks and noise, X bytes 0 (GLZ does not code them and the
     * decoder writes 0), shifted right by {@code shift} pixels so that images of one sequence
     * share content at different positions.
     */
    private static byte[] picture(int w, int h, int shift, long seed) {
        Random rnd = new Random(seed);
        int[] base = new int[w * 2 * h];
        for (int i = 0; i < base.length; i++) {
            base[i] = (i / 7) % 3 == 0 ? rnd.nextInt(0x1000000) : 0x336699 + (i / 97) * 0x10101;
        }
        byte[] b = new byte[w * h * 4];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = base[y * 2 * w + x + shift];
                int o = (y * w + x) * 4;
                b[o] = (byte) v;
                b[o + 1] = (byte) (v >> 8);
                b[o + 2] = (byte) (v >> 16);
            }
        }
        return b;
    }

    private Path[] writeSequence(int n) throws Exception {
        Path[] files = new Path[n];
        for (int i = 0; i < n; i++) {
            files[i] = tmp.resolve("in" + i + ".raw");
            // Image 2 repeats image 0: the encoder should find it in the dictionary.
            Files.write(files[i], picture(W, H, i == 2 ? 0 : 3 * i, 7));
        }
        return files;
    }

    @Test
    void glzSequenceRoundTripsThroughOneDictionaryAndOneWindow() throws Exception {
        Path[] in = writeSequence(3);
        Path enc = tmp.resolve("enc");
        Run e = run("encode", "--codec", "glz", "--type", "RGB32", "-W", W, "-H", H, "--window", 10000, in[0], in[1],
                in[2], enc);
        assertThat(e.err()).isEmpty();
        assertThat(e.out()).isEmpty();
        assertThat(e.status()).isZero();
        byte[][] glz = new byte[3][];
        for (int i = 0; i < 3; i++) {
            glz[i] = Files.readAllBytes(enc.resolve(String.format("%02d.glz", i)));
            // magic, then the image id (8 bytes big-endian at 21) counts from 0
            assertThat(Arrays.copyOf(glz[i], 4)).containsExactly(0x20, 0x20, 0x5A, 0x4C);
            assertThat(glz[i][28]).isEqualTo((byte) i);
        }
        // The repeat is coded as a reference to image 0: far smaller than image 0 itself.
        assertThat(glz[2].length).isLessThan(glz[0].length / 4);

        Path dec = tmp.resolve("dec");
        Run d = run("decode", "--codec", "glz", "--window", 10000, enc.resolve("00.glz"), enc.resolve("01.glz"),
                enc.resolve("02.glz"), dec);
        assertThat(d.err()).isEmpty();
        assertThat(d.status()).isZero();
        for (int i = 0; i < 3; i++) {
            assertThat(Files.readAllBytes(dec.resolve(String.format("%02d.raw", i))))
                    .as("image %d", i).isEqualTo(Files.readAllBytes(in[i]));
        }

        // Image 2 alone refers to image 0, which this window never saw.
        Run alone = run("decode", "--codec", "glz", enc.resolve("02.glz"), tmp.resolve("alone"));
        assertThat(alone.status()).isEqualTo(1);
        assertThat(alone.err().lines()).hasSize(1);
        assertThat(alone.err()).startsWith("spicecodec decode: " + enc.resolve("02.glz") + ": malformed GLZ stream")
                .contains("give the sequence's images in order");
    }

    @Test
    void glzSequenceOfPngsDecodesToPngs() throws Exception {
        Path[] png = new Path[2];
        for (int i = 0; i < 2; i++) {
            BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    img.setRGB(x, y, (x + i) * 0x050301 ^ y * 0x000507);
                }
            }
            png[i] = tmp.resolve("p" + i + ".png");
            ImageIO.write(img, "png", png[i].toFile());
        }
        Path enc = tmp.resolve("enc");
        Run e = run("encode", "--codec", "glz", "-v", png[0], png[1], enc);
        assertThat(e.err()).isEmpty();
        assertThat(e.status()).isZero();
        assertThat(e.outLines()).hasSize(2);
        assertThat(e.outLines().get(1)).contains("40x30 RGB32, image id 1, win_head_dist 1, 4800 bytes -> GLZ ");

        Path dec = tmp.resolve("dec");
        Run d = run("decode", "--codec", "glz", "--png", enc.resolve("00.glz"), enc.resolve("01.glz"), dec);
        assertThat(d.status()).isZero();
        for (int i = 0; i < 2; i++) {
            BufferedImage want = ImageIO.read(png[i].toFile());
            BufferedImage got = ImageIO.read(dec.resolve(String.format("%02d.png", i)).toFile());
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    assertThat(got.getRGB(x, y) & 0xFFFFFF).isEqualTo(want.getRGB(x, y) & 0xFFFFFF);
                }
            }
        }
    }

    /** A bottom-up palette sequence decodes top-down through --palette. */
    @Test
    void glzPaletteImagesNeedThePalette() throws Exception {
        int w = 13;
        int h = 4;
        byte[] raw = new byte[w * h];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (i % 3);
        }
        Path in = tmp.resolve("p.raw");
        Files.write(in, raw);
        Path enc = tmp.resolve("enc");
        assertThat(run("encode", "--codec", "glz", "-t", "PLT8", "-W", w, "-H", h, "--bottom-up", in, enc).status())
                .isZero();
        Run noPalette = run("decode", "--codec", "glz", enc.resolve("00.glz"), tmp.resolve("dec"));
        assertThat(noPalette.status()).isEqualTo(2);
        assertThat(noPalette.err()).contains("a GLZ PLT8 image needs --palette");

        Path pal = tmp.resolve("p.pal");
        Files.write(pal, new byte[] {1, 2, 3, 0, 4, 5, 6, 0, 7, 8, 9, 0});
        Run d = run("decode", "--codec", "glz", "--palette", pal, enc.resolve("00.glz"), tmp.resolve("dec"));
        assertThat(d.err()).isEmpty();
        byte[] got = Files.readAllBytes(tmp.resolve("dec/00.raw"));
        assertThat(got).hasSize(w * h * 4);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int index = raw[(h - 1 - y) * w + x];
                assertThat(got[(y * w + x) * 4]).isEqualTo((byte) (1 + 3 * index));
            }
        }
    }

    /**
     * zlib-glz wraps each image worth it in the ZLIB_GLZ_RGB layout around the very GLZ stream
     * glz writes, and leaves a tiny one plain, saying so; decoding takes both kinds.
     */
    @Test
    void zlibGlzWrapsTheSameStreams() throws Exception {
        Path[] in = writeSequence(2);
        Path tiny = tmp.resolve("tiny.png");
        BufferedImage one = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        ImageIO.write(one, "png", tiny.toFile());
        Path plain = tmp.resolve("plain");
        Path zdir = tmp.resolve("z");
        assertThat(run("encode", "--codec", "glz", "-t", "RGB32", "-W", W, "-H", H, in[0], in[1], plain).status())
                .isZero();
        Run z = run("encode", "--codec", "zlib-glz", "-t", "RGB32", "-W", W, "-H", H, in[0], in[1], zdir);
        assertThat(z.err()).isEmpty();
        assertThat(z.status()).isZero();
        assertThat(z.out()).isEmpty();
        for (int i = 0; i < 2; i++) {
            byte[] glz = Files.readAllBytes(plain.resolve(String.format("%02d.glz", i)));
            byte[] body = Files.readAllBytes(zdir.resolve(String.format("%02d.zglz", i)));
            assertThat(le32(body, 0)).isEqualTo(glz.length);
            assertThat(le32(body, 4)).isEqualTo(body.length - 8);
            Inflater inf = new Inflater();
            inf.setInput(body, 8, body.length - 8);
            byte[] inflated = new byte[glz.length];
            assertThat(inf.inflate(inflated)).isEqualTo(glz.length);
            assertThat(inf.finished()).isTrue();
            inf.end();
            assertThat(inflated).isEqualTo(glz);
        }

        // A black picture codes to under 100 bytes of GLZ: the server sends it plain.
        Path mixed = tmp.resolve("mixed");
        Run m = run("encode", "--codec", "zlib-glz", tiny, mixed);
        assertThat(m.status()).isZero();
        assertThat(m.out().strip()).isEqualTo(mixed.resolve("00.glz") + ": sent as plain GLZ (under 100 bytes)");

        Path dec = tmp.resolve("dec");
        Run d = run("decode", "--codec", "zlib-glz", zdir.resolve("00.zglz"), zdir.resolve("01.zglz"), dec);
        assertThat(d.err()).isEmpty();
        assertThat(d.status()).isZero();
        assertThat(Files.readAllBytes(dec.resolve("01.raw"))).isEqualTo(Files.readAllBytes(in[1]));
        Run d2 = run("decode", "--codec", "zlib-glz", mixed.resolve("00.glz"), tmp.resolve("dec2"));
        assertThat(d2.status()).isZero();
        assertThat(Files.readAllBytes(tmp.resolve("dec2/00.raw"))).containsOnly(0);

        // The plain decoder names the right codec for a wrapped body.
        Run wrong = run("decode", "--codec", "glz", zdir.resolve("00.zglz"), tmp.resolve("dec3"));
        assertThat(wrong.status()).isEqualTo(1);
        assertThat(wrong.err()).contains("use --codec zlib-glz");
    }

    @Test
    void lz4RoundTripsAndNeedsTheSize() throws Exception {
        int w = 17;
        int h = 9;
        byte[] raw = new byte[w * 3 * h];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (i % 11 == 0 ? i : i / 40);
        }
        Path in = tmp.resolve("in.raw");
        Files.write(in, raw);
        Path enc = tmp.resolve("x.lz4");
        Run e = run("encode", "--codec", "lz4", "-t", "RGB24", "-W", w, "-H", h, "--bottom-up", in, enc);
        assertThat(e.err()).isEmpty();
        assertThat(e.status()).isZero();
        byte[] data = Files.readAllBytes(enc);
        assertThat(data[0]).isEqualTo((byte) 0); // top_down
        assertThat(data[1]).isEqualTo((byte) 7); // SPICE_BITMAP_FMT_24BIT

        Run missing = run("decode", "--codec", "lz4", enc, tmp.resolve("o.raw"));
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.out()).isEmpty();
        assertThat(missing.err().lines()).hasSize(1);
        assertThat(missing.err()).startsWith("spicecodec decode: an LZ4 image does not hold its size: give --width"
                + " and --height").doesNotContain("Exception");
        assertThat(Files.exists(tmp.resolve("o.raw"))).isFalse();

        Run d = run("decode", "--codec", "lz4", "--width", w, "--height", h, enc, tmp.resolve("o.raw"));
        assertThat(d.err()).isEmpty();
        assertThat(d.status()).isZero();
        // bottom-up in, top-down out
        byte[] picture = new byte[raw.length];
        for (int y = 0; y < h; y++) {
            System.arraycopy(raw, (h - 1 - y) * w * 3, picture, y * w * 3, w * 3);
        }
        assertThat(Files.readAllBytes(tmp.resolve("o.raw"))).isEqualTo(picture);

        Run wrongSize = run("decode", "--codec", "lz4", "-W", w, "-H", h + 1, enc, tmp.resolve("p.raw"));
        assertThat(wrongSize.status()).isEqualTo(1);
        assertThat(wrongSize.err()).startsWith("spicecodec decode: " + enc + ": malformed LZ4 image at offset ");

        Run toOther = run("decode", "--codec", "lz4", "-W", w, "-H", h, "--to-type", "RGB32", enc, tmp.resolve("q"));
        assertThat(toOther.status()).isEqualTo(2);
        assertThat(toOther.err()).contains("decodes only to its own type, here RGB24");
    }

    @Test
    void vmcLz4RoundTripsOrSaysTheDataGoesRaw() throws Exception {
        byte[] payload = new byte[5000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) ("usbredir bulk packet " + i / 64).charAt(i % 20);
        }
        Path in = tmp.resolve("bulk.bin");
        Files.write(in, payload);
        Path body = tmp.resolve("bulk.body");
        Run e = run("encode", "--codec", "vmc-lz4", in, body);
        assertThat(e.err()).isEmpty();
        assertThat(e.out()).isEmpty();
        assertThat(e.status()).isZero();
        byte[] b = Files.readAllBytes(body);
        assertThat(b[0]).isEqualTo((byte) 1); // SPICE_DATA_COMPRESSION_TYPE_LZ4
        assertThat(le32(b, 1)).isEqualTo(payload.length);
        assertThat(b.length).isLessThan(payload.length);

        Path back = tmp.resolve("back.bin");
        Run d = run("decode", "--codec", "vmc-lz4", body, back);
        assertThat(d.err()).isEmpty();
        assertThat(d.status()).isZero();
        assertThat(Files.readAllBytes(back)).isEqualTo(payload);

        Path small = tmp.resolve("small.bin");
        Files.write(small, Arrays.copyOf(payload, 1000));
        Run s = run("encode", "--codec", "vmc-lz4", small, tmp.resolve("small.body"));
        assertThat(s.status()).isZero();
        assertThat(s.out().strip()).isEqualTo(small + ": 1000 bytes would be sent raw, as a DATA message (payloads"
                + " of 1000 bytes or fewer are never compressed); " + tmp.resolve("small.body") + " not written");
        assertThat(Files.exists(tmp.resolve("small.body"))).isFalse();

        Run bad = run("decode", "--codec", "vmc-lz4", small, tmp.resolve("x"));
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.err()).startsWith("spicecodec decode: " + small + ": malformed COMPRESSED_DATA body at offset");
    }

    private static int le32(byte[] b, int o) {
        return (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8 | (b[o + 2] & 0xFF) << 16 | (b[o + 3] & 0xFF) << 24;
    }
}
