package org.spicecodec.glz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.Deflater;

import org.junit.jupiter.api.Test;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpicePalette;
import org.spicecodec.core.vectors.GlzImage;
import org.spicecodec.core.vectors.GlzSequence;
import org.spicecodec.core.vectors.VectorSet;

/** Truncated, corrupted and hostile streams raise MalformedInputException only, promptly. */
class GlzMalformedTest {

    /** A decoded sequence: streams, palettes and the decoded images to pre-load windows with. */
    private record Loaded(GlzSequence seq, List<byte[]> streams, List<SpicePalette> palettes,
                          List<GlzDecodedImage> decoded) {
    }

    private static Loaded load(String id) throws IOException {
        VectorSet vs = GlzTestSupport.vectorSet();
        GlzSequence seq = vs.glzSequences().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
        GlzDecoder dec = new GlzDecoder(new GlzDecoderWindow(seq.windowSizePixels(), 0));
        List<byte[]> streams = new ArrayList<>();
        List<SpicePalette> pals = new ArrayList<>();
        List<GlzDecodedImage> decoded = new ArrayList<>();
        for (GlzImage gi : seq.images()) {
            byte[] s = GlzTestSupport.encoded(gi.vector());
            int[] ents = vs.readPalette(gi.vector());
            SpicePalette p = ents == null ? null : new SpicePalette(1, ents);
            streams.add(s);
            pals.add(p);
            decoded.add(dec.decode(s, 0, s.length, p));
        }
        return new Loaded(seq, streams, pals, decoded);
    }

    /** Decodes {@code stream} as image k of the sequence: fine, or MalformedInputException. */
    private static boolean tryDecode(Loaded l, int k, byte[] stream, int len) {
        GlzDecoderWindow win = new GlzDecoderWindow(l.seq().windowSizePixels(), 0);
        for (int i = 0; i < k; i++) {
            win.insert(l.decoded().get(i));
        }
        try {
            new GlzDecoder(win).decode(stream, 0, len, l.palettes().get(k));
            return true;
        } catch (MalformedInputException e) {
            assertThat(e.offset()).isBetween(0L, (long) len);
            return false;
        } catch (RuntimeException e) {
            throw new AssertionError("image " + k + " length " + len + ": " + e, e);
        }
    }

    @Test
    void truncationsAreRejected() throws IOException {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Loaded l = load("glz/mixed");
            for (int k = 0; k < l.streams().size(); k++) {
                byte[] s = l.streams().get(k);
                int step = Math.max(1, s.length / 300);
                for (int len = 0; len < s.length; len += step) {
                    assertThat(tryDecode(l, k, s, len)).as("image %d cut at %d", k, len).isFalse();
                }
            }
            Loaded scroll = load("glz/scroll");
            byte[] s = scroll.streams().get(3);
            for (int len = 0; len < s.length; len += 997) {
                assertThat(tryDecode(scroll, 3, s, len)).isFalse();
            }
        });
    }

    @Test
    void bitFlipsNeverEscapeAsOtherExceptions() {
        assertTimeoutPreemptively(Duration.ofSeconds(25), () -> {
            Loaded l = load("glz/mixed");
            Random rnd = new Random(42);
            int ok = 0;
            for (int trial = 0; trial < 3000; trial++) {
                int k = rnd.nextInt(l.streams().size());
                byte[] s = l.streams().get(k).clone();
                int flips = 1 + rnd.nextInt(3);
                for (int f = 0; f < flips; f++) {
                    int at = rnd.nextInt(s.length);
                    if (rnd.nextInt(4) == 0) {
                        s[at] = (byte) rnd.nextInt(256);
                    } else {
                        s[at] ^= (byte) (1 << rnd.nextInt(8));
                    }
                }
                if (tryDecode(l, k, s, s.length)) {
                    ok++;
                }
            }
            Loaded scroll = load("glz/scroll");
            for (int trial = 0; trial < 150; trial++) {
                int k = 1 + rnd.nextInt(scroll.streams().size() - 1);
                byte[] s = scroll.streams().get(k).clone();
                s[33 + rnd.nextInt(s.length - 33)] ^= (byte) (1 << rnd.nextInt(8));
                tryDecode(scroll, k, s, s.length);
            }
            assertThat(ok).isLessThan(3000);
        });
    }

    private static byte[] header(int type, long width, long height, long stride, long id, long dist) {
        ByteBuffer b = ByteBuffer.allocate(33);
        b.putInt(0x20205A4C).putInt(0x00010001).put((byte) (type | 0x10));
        b.putInt((int) width).putInt((int) height).putInt((int) stride).putLong(id).putInt((int) dist);
        return b.array();
    }

    private static byte[] stream(byte[] header, int... tokens) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(header);
        for (int t : tokens) {
            o.write(t);
        }
        return o.toByteArray();
    }

    private static MalformedInputException malformed(GlzDecoder dec, byte[] s) {
        try {
            dec.decode(s, 0, s.length);
        } catch (MalformedInputException e) {
            return e;
        }
        return fail("accepted a bad stream");
    }

    @Test
    void hostileHeaders() {
        GlzDecoder dec = new GlzDecoder(new GlzDecoderWindow(1 << 20, 0));
        assertThat(malformed(dec, header(8, 0xFFFFFFFFL, 1, 4, 0, 0)).offset()).isEqualTo(9);
        assertThat(malformed(dec, header(8, 1, 0x7FFFFFFF, 4, 0, 0)).offset()).isEqualTo(13);
        assertThat(malformed(dec, header(8, 8192, 8192, 32768, 0, 0)).reason()).contains("window");
        assertThat(malformed(dec, header(8, 4, 1, 17, 0, 0)).offset()).isEqualTo(17);
        assertThat(malformed(dec, header(5, 4, 1, 5, 0, 0)).offset()).isEqualTo(17);
        assertThat(malformed(dec, header(0, 4, 1, 4, 0, 0)).offset()).isEqualTo(8);
        assertThat(malformed(dec, header(10, 4, 1, 4, 0, 0)).offset()).isEqualTo(8);
        assertThat(malformed(dec, header(8, 4, 1, 16, -1, 0)).offset()).isEqualTo(21);
        assertThat(malformed(dec, header(8, 4, 1, 16, 3, 4)).offset()).isEqualTo(29);
        byte[] h = header(8, 4, 1, 16, 0, 0);
        h[0] = 0;
        assertThat(malformed(dec, h).offset()).isEqualTo(0);
        h = header(8, 4, 1, 16, 0, 0);
        h[7] = 2;
        assertThat(malformed(dec, h).offset()).isEqualTo(4);
        assertThat(malformed(dec, new byte[10]).reason()).contains("truncated");
        // palette stream without a palette, PLT8 index beyond the palette
        assertThat(malformed(dec, stream(header(5, 4, 1, 4, 0, 0), 3, 1, 2, 3, 4)).reason()).contains("palette");
        GlzDecoder dec2 = new GlzDecoder(new GlzDecoderWindow(1 << 20, 0));
        byte[] plt = stream(header(5, 4, 1, 4, 0, 0), 3, 1, 2, 3, 200);
        assertThatThrownBy(() -> dec2.decode(plt, 0, plt.length, new SpicePalette(1, new int[16])))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("palette index 200");
    }

    @Test
    void hostileTokens() {
        GlzDecoder dec = new GlzDecoder(new GlzDecoderWindow(1 << 20, 0));
        byte[] h = header(8, 4, 1, 16, 0, 0);
        // literal run past the end, reference before the start, reference past the end
        assertThat(malformed(dec, stream(h, 4, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5)).offset()).isEqualTo(33);
        assertThat(malformed(dec, stream(h, 0, 1, 1, 1, 0x21, 0, 0)).reason()).contains("back");
        assertThat(malformed(dec, stream(h, 0, 1, 1, 1, 0x80, 0, 0)).reason()).contains("past the image end");
        // an endless length extension is cut by the input's end
        byte[] ext = new byte[100_000];
        java.util.Arrays.fill(ext, (byte) 255);
        byte[] s = stream(h, 0, 1, 1, 1, 0xE0);
        byte[] all = new byte[s.length + ext.length];
        System.arraycopy(s, 0, all, 0, s.length);
        System.arraycopy(ext, 0, all, s.length, ext.length);
        assertThat(malformed(dec, all).reason()).contains("truncated");
        // a reference into another image when the header announces no window
        assertThat(malformed(dec, stream(header(8, 4, 1, 16, 5, 0), 0x20, 0, 1)).reason()).contains("window head");
        // a duplicate id
        byte[] ok = stream(header(8, 4, 1, 16, 0, 0), 3, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4);
        dec.decode(ok, 0, ok.length);
        assertThat(malformed(dec, ok).reason()).contains("already");
    }

    /** Image 1 of 4x1 pixels: one pixel copied from image {@code 1 - dist} at {@code pix}, 3 literals. */
    private static byte[] refStream(long id, long headDist, int dist, int pix) {
        return stream(header(8, 4, 1, 16, id, headDist), 0x20 | (pix & 15), pix >> 4, dist, 2, 1, 1, 1, 2, 2, 2, 3,
                3, 3);
    }

    private static byte[] literalStream(long id, long headDist) {
        return stream(header(8, 4, 1, 16, id, headDist), 3, 9, 9, 9, 8, 8, 8, 7, 7, 7, 6, 6, 6);
    }

    @Test
    void referencesOutsideTheWindow() {
        GlzDecoderWindow win = new GlzDecoderWindow(1 << 20, 0);
        GlzDecoder dec = new GlzDecoder(win);
        byte[] s0 = literalStream(0, 0);
        dec.decode(s0, 0, s0.length);
        byte[] s1 = literalStream(1, 0); // head dist 0: image 0 may be released
        dec.decode(s1, 0, s1.length);
        assertThat(win.contains(0)).isFalse();
        byte[] s2 = refStream(2, 2, 2, 0);
        assertThat(malformed(dec, s2).reason()).contains("left the window");
        // beyond the referenced image's pixels
        byte[] s3 = refStream(2, 1, 1, 4);
        assertThat(malformed(dec, s3).reason()).contains("of an image of 4");
        byte[] good = refStream(2, 1, 1, 3);
        GlzDecodedImage img = dec.decode(good, 0, good.length);
        assertThat(img.pixel(0)).isEqualTo(win.contains(1) ? 0x060606 : -1);
    }

    @Test
    void missingImageTimesOutAndLateImageIsAwaited() throws Exception {
        GlzDecoderWindow win = new GlzDecoderWindow(1 << 20, 300);
        GlzDecoder dec = new GlzDecoder(win);
        byte[] s0 = literalStream(0, 0);
        dec.decode(s0, 0, s0.length);
        // image 2 refers to image 1, which never comes
        byte[] s2 = refStream(2, 2, 1, 0);
        long t0 = System.nanoTime();
        assertThat(malformed(dec, s2).reason()).contains("did not arrive");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).isBetween(250L, 3000L);
        // now image 1 arrives from another channel while we wait
        AtomicReference<Throwable> err = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                Thread.sleep(100);
                byte[] s1 = literalStream(1, 1);
                new GlzDecoder(win).decode(s1, 0, s1.length);
            } catch (Throwable t) {
                err.set(t);
            }
        });
        GlzDecoderWindow win2 = win;
        other.start();
        GlzDecodedImage img = new GlzDecoder(win2).decode(s2, 0, s2.length);
        other.join();
        assertThat(err.get()).isNull();
        assertThat(img.pixel(0)).isEqualTo(0x090909);
        assertThat(win.tailGap()).isEqualTo(3);
    }

    @Test
    void imagesWaitingForAMissingIdAreBounded() {
        GlzDecoderWindow win = new GlzDecoderWindow(8, 0, 16);
        GlzDecoder dec = new GlzDecoder(win);
        // id 0 never comes: ids 1.. pile up until 16 pixels are held
        for (int id = 1; id <= 4; id++) {
            byte[] s = literalStream(id, 0);
            dec.decode(s, 0, s.length);
        }
        assertThat(win.heldPixels()).isEqualTo(16);
        assertThat(malformed(dec, literalStream(5, 0)).reason()).contains("too many");
        byte[] s0 = literalStream(0, 0);
        win.clear();
        dec.decode(s0, 0, s0.length);
        assertThat(win.heldPixels()).isEqualTo(4);
    }

    @Test
    void zlibWrapping() {
        Random rnd = new Random(1);
        SpiceBitmapFormat f = SpiceBitmapFormat.RGB32;
        byte[] data = GlzFrames.document(rnd, f, 50, 20);
        GlzDictionary dict = new GlzDictionary(1 << 16);
        byte[] out = new byte[1 << 16];
        int n;
        try (GlzEncoder enc = new GlzEncoder(dict)) {
            n = enc.encode(SpiceBitmap.of(f, 50, 20, 200, true, data, 0), out, 0, out.length);
        }
        Deflater d = new Deflater(3);
        d.setInput(out, 0, n);
        d.finish();
        byte[] z = new byte[n + 1000];
        int zn = d.deflate(z);
        d.end();
        GlzDecoder dec = new GlzDecoder(new GlzDecoderWindow(1 << 16, 0));
        assertThatThrownBy(() -> dec.decodeZlib(z, 0, zn, n + 1)).isInstanceOf(MalformedInputException.class);
        assertThatThrownBy(() -> dec.decodeZlib(z, 0, zn / 2, n)).isInstanceOf(MalformedInputException.class);
        byte[] bad = z.clone();
        bad[0] ^= 0x55;
        assertThatThrownBy(() -> dec.decodeZlib(bad, 0, zn, n)).isInstanceOf(MalformedInputException.class);
        GlzDecodedImage img = dec.decodeZlib(z, 0, zn, n);
        assertThat(img.toBytes()).isEqualTo(GlzFrames.expected(SpiceBitmap.of(f, 50, 20, 200, true, data, 0), data,
                null));
        // the server-side wrapper produces the same zlib stream (level 3, one pass)
        try (GlzZlib zlib = new GlzZlib()) {
            byte[] z2 = new byte[n];
            assertThat(zlib.compress(out, 0, n, z2, 0, z2.length)).isEqualTo(zn);
            assertThat(Arrays.copyOf(z2, zn)).isEqualTo(Arrays.copyOf(z, zn));
            assertThat(zlib.compress(out, 0, 99, z2, 0, z2.length)).isEqualTo(-1);
            byte[] noise = new byte[500];
            rnd.nextBytes(noise);
            assertThat(zlib.compress(noise, 0, noise.length, new byte[1000], 0, 1000)).isEqualTo(-1);
        }
    }
}
