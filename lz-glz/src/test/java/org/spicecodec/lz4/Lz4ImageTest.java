package org.spicecodec.lz4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.spicecodec.core.ImageEncoder;
import org.spicecodec.core.ImageInfo;
import org.spicecodec.core.ImageLimits;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpiceChunks;
import org.spicecodec.core.SpiceImageType;

class Lz4ImageTest {
    private static final SpiceBitmapFormat[] ALLOWED = {
        SpiceBitmapFormat.RGB16, SpiceBitmapFormat.RGB24, SpiceBitmapFormat.RGB32, SpiceBitmapFormat.RGBA};

    /** Tight rows of a bitmap in storage order: what the LZ4 blocks must decode to. */
    private static byte[] tightRows(SpiceBitmap b) {
        int rowBytes = b.width() * b.format().bytesPerPixel();
        byte[] out = new byte[rowBytes * b.height()];
        org.spicecodec.core.RowCursor rc = new org.spicecodec.core.RowCursor();
        rc.reset(b, false);
        for (int y = 0; rc.next(); y++) {
            System.arraycopy(rc.array, rc.offset, out, y * rowBytes, rowBytes);
        }
        return out;
    }

    /** Tight rows in picture order (top first). */
    private static byte[] pictureRows(SpiceBitmap b) {
        int rowBytes = b.width() * b.format().bytesPerPixel();
        byte[] out = new byte[rowBytes * b.height()];
        org.spicecodec.core.RowCursor rc = new org.spicecodec.core.RowCursor();
        rc.reset(b, true);
        for (int y = 0; rc.next(); y++) {
            System.arraycopy(rc.array, rc.offset, out, y * rowBytes, rowBytes);
        }
        return out;
    }

    private static byte[] encode(Lz4ImageEncoder enc, SpiceBitmap src) {
        byte[] out = new byte[(int) enc.maxEncodedLength(src.format(), src.width(), src.height())];
        int n = enc.encode(src, out, 0, out.length);
        assertThat(n).isPositive();
        return Arrays.copyOf(out, n);
    }

    @Test
    void supportsExactlyTheFormatsSpiceGtkDecodes() {
        Lz4ImageEncoder enc = new Lz4ImageEncoder();
        Lz4ImageDecoder dec = new Lz4ImageDecoder();
        assertThat(enc.imageType()).isEqualTo(SpiceImageType.LZ4);
        assertThat(dec.imageType()).isEqualTo(SpiceImageType.LZ4);
        for (SpiceBitmapFormat f : SpiceBitmapFormat.values()) {
            boolean ok = Arrays.asList(ALLOWED).contains(f);
            assertThat(enc.supports(f)).as("%s", f).isEqualTo(ok);
            assertThat(dec.canDecode(f, f)).as("%s", f).isEqualTo(ok);
        }
        assertThat(dec.canDecode(SpiceBitmapFormat.RGB32, SpiceBitmapFormat.RGBA)).isFalse();
        SpiceBitmap a8 = SpiceBitmap.allocate(SpiceBitmapFormat.A8, 8, 8);
        assertThatThrownBy(() -> enc.encode(a8, new byte[1000], 0, 1000)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(value = SpiceBitmapFormat.class, names = {"RGB16", "RGB24", "RGB32", "RGBA"})
    void roundTripsTopDownAndBottomUpOnBothImplementations(SpiceBitmapFormat f) {
        for (Lz4Codec encCodec : Lz4TestData.codecs()) {
            for (Lz4Codec decCodec : Lz4TestData.codecs()) {
                Lz4ImageEncoder enc = new Lz4ImageEncoder(encCodec);
                Lz4ImageDecoder dec = new Lz4ImageDecoder(ImageLimits.DEFAULT, decCodec);
                for (int[] wh : new int[][] {{1, 1}, {3, 2}, {17, 5}, {101, 67}, {640, 48}}) {
                    int w = wh[0];
                    int h = wh[1];
                    int stride = (int) f.minStride(w);
                    for (boolean topDown : new boolean[] {true, false}) {
                        byte[] px = Lz4TestData.pixels(f, w, h, stride, w * 31L + h);
                        SpiceBitmap src = SpiceBitmap.of(f, w, h, stride, topDown, px, 0);
                        byte[] enc1 = encode(enc, src);
                        assertThat(enc1[0]).isEqualTo((byte) (topDown ? 1 : 0));
                        assertThat(enc1[1]).isEqualTo((byte) f.value());
                        ImageInfo info = dec.readInfo(enc1, 0, enc1.length);
                        assertThat(info).isEqualTo(new ImageInfo(SpiceImageType.LZ4, f, 0, 0, topDown));
                        assertThat(dec.readInfo(enc1, 0, enc1.length, w, h))
                                .isEqualTo(new ImageInfo(SpiceImageType.LZ4, f, w, h, topDown));
                        // Same row order: decoded in place; stored bytes identical.
                        SpiceBitmap same = SpiceBitmap.of(f, w, h, stride, topDown, new byte[stride * h], 0);
                        dec.decode(enc1, 0, enc1.length, same);
                        assertThat(same.data()).isEqualTo(px);
                        // Opposite order: same picture.
                        SpiceBitmap flipped = SpiceBitmap.of(f, w, h, stride, !topDown, new byte[stride * h], 0);
                        dec.decode(enc1, 0, enc1.length, flipped);
                        assertThat(pictureRows(flipped)).isEqualTo(pictureRows(src));
                        // Allocating convenience keeps the stream's row order.
                        SpiceBitmap fresh = dec.decode(enc1, 0, enc1.length, w, h);
                        assertThat(fresh.topDown()).isEqualTo(topDown);
                        assertThat(fresh.data()).isEqualTo(px);
                    }
                }
            }
        }
    }

    @Test
    void headerAndBlockLayoutAreExact() {
        // 4x3 RGB32 of zeros, top-down: 48 zero bytes in one block.
        SpiceBitmap src = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 4, 3);
        byte[] expected = {
            1, 8, // top_down, SPICE_BITMAP_FMT_32BIT
            0, 0, 0, 11, // block length, big-endian
            // LZ4: 1 literal, match offset 1 of 42 (4 + 15 + 23) bytes, then 5 literals.
            0x1F, 0, 1, 0, 23, 0x50, 0, 0, 0, 0, 0};
        for (Lz4Codec c : Lz4TestData.codecs()) {
            assertThat(encode(new Lz4ImageEncoder(c), src)).isEqualTo(expected);
        }
        // Bottom-up RGB16: first byte 0, format 6.
        SpiceBitmap b16 = SpiceBitmap.of(SpiceBitmapFormat.RGB16, 2, 1, 4, false, new byte[] {1, 2, 3, 4}, 0);
        byte[] e16 = encode(new Lz4ImageEncoder(), b16);
        assertThat(e16).containsExactly(0, 6, 0, 0, 0, 5, 0x40, 1, 2, 3, 4);
        // The hand-made stream decodes.
        SpiceBitmap dst = SpiceBitmap.of(SpiceBitmapFormat.RGB16, 2, 1, 4, false, new byte[4], 0);
        new Lz4ImageDecoder().decode(e16, 0, e16.length, dst);
        assertThat(dst.data()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void paddedChunkedAndOffsetSourcesEncodeTheirRowsOnly() {
        SpiceBitmapFormat f = SpiceBitmapFormat.RGB24;
        int w = 37;
        int h = 29;
        int stride = w * 3 + 5;
        byte[] px = Lz4TestData.pixels(f, w, h, stride, 9);
        Lz4ImageEncoder enc = new Lz4ImageEncoder();
        Lz4ImageDecoder dec = new Lz4ImageDecoder();
        for (boolean topDown : new boolean[] {true, false}) {
            SpiceBitmap padded = SpiceBitmap.of(f, w, h, stride, topDown, px, 0);
            // Chunks of 10, 10 and 10 rows; the image uses only 9 of the last chunk.
            byte[] extended = Arrays.copyOf(px, px.length + stride);
            SpiceChunks chunks = SpiceChunks.builder().add(extended, 0, 10 * stride).add(extended, 10 * stride, 10 * stride)
                    .add(extended, 20 * stride, 10 * stride).build();
            SpiceBitmap chunked = SpiceBitmap.of(f, w, h, stride, topDown, chunks);
            for (SpiceBitmap src : new SpiceBitmap[] {padded, chunked}) {
                byte[] e = encode(enc, src);
                SpiceBitmap tight = dec.decode(e, 0, e.length, w, h);
                assertThat(tight.data()).isEqualTo(tightRows(padded));
                // Into a padded, chunked destination.
                byte[] a = new byte[13 * stride];
                byte[] b = new byte[16 * stride];
                SpiceBitmap dstChunked = SpiceBitmap.of(f, w, h, stride, !topDown,
                        SpiceChunks.builder().add(a, 0, a.length).add(b, 0, b.length).build());
                dec.decode(e, 0, e.length, dstChunked);
                assertThat(pictureRows(dstChunked)).isEqualTo(pictureRows(padded));
            }
            // Three blocks for three chunks.
            byte[] e = encode(enc, chunked);
            assertThat(countBlocks(e)).isEqualTo(3);
            // The raw-array overload gives the single-block stream of the padded bitmap.
            byte[] out = new byte[10_000];
            int n = enc.encode(f, w, h, px, 0, stride, topDown, out, 0, out.length);
            assertThat(Arrays.copyOf(out, n)).isEqualTo(encode(enc, padded));
            // At an offset in the output.
            byte[] big = new byte[n + 20];
            assertThat(enc.encode(padded, big, 7, n)).isEqualTo(n);
            assertThat(Arrays.copyOfRange(big, 7, 7 + n)).isEqualTo(Arrays.copyOf(out, n));
            // And decoded from an offset in the input.
            SpiceBitmap d = SpiceBitmap.of(f, w, h, w * 3, topDown, new byte[w * 3 * h], 0);
            dec.decode(big, 7, n, d);
            assertThat(d.data()).isEqualTo(tightRows(padded));
        }
    }

    private static int countBlocks(byte[] e) {
        int pos = 2;
        int count = 0;
        while (pos < e.length) {
            int n = ((e[pos] & 0xFF) << 24) | ((e[pos + 1] & 0xFF) << 16) | ((e[pos + 2] & 0xFF) << 8) | (e[pos + 3] & 0xFF);
            pos += 4 + n;
            count++;
        }
        assertThat(pos).isEqualTo(e.length);
        return count;
    }

    @Test
    void laterBlocksMayReferToEarlierOnes() {
        // As LZ4_compress_fast_continue writes them: block 2 copies block 1's 16 bytes.
        byte[] row = new byte[16];
        for (int i = 0; i < 16; i++) {
            row[i] = (byte) (i * 7 + 1);
        }
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        s.write(1);
        s.write(8); // 32BIT, 4x2, top-down
        byte[] b1 = new byte[18];
        b1[0] = (byte) 0xF0;
        b1[1] = 1; // 16 literals
        System.arraycopy(row, 0, b1, 2, 16);
        s.write(0);
        s.write(0);
        s.write(0);
        s.write(b1.length);
        s.writeBytes(b1);
        // 0 literals, match offset 16 length 11 (4 + 7), then the last 5 bytes as literals.
        byte[] b2 = {0x07, 16, 0, 0x50, row[11], row[12], row[13], row[14], row[15]};
        s.write(0);
        s.write(0);
        s.write(0);
        s.write(b2.length);
        s.writeBytes(b2);
        byte[] stream = s.toByteArray();
        for (Lz4Codec c : Lz4TestData.codecs()) {
            Lz4ImageDecoder dec = new Lz4ImageDecoder(ImageLimits.DEFAULT, c);
            SpiceBitmap direct = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 4, 2);
            dec.decode(stream, 0, stream.length, direct);
            byte[] want = new byte[32];
            System.arraycopy(row, 0, want, 0, 16);
            System.arraycopy(row, 0, want, 16, 16);
            assertThat(direct.data()).isEqualTo(want);
            SpiceBitmap viaScratch = SpiceBitmap.of(SpiceBitmapFormat.RGB32, 4, 2, 20, true, new byte[40], 0);
            dec.decode(stream, 0, stream.length, viaScratch);
            assertThat(tightRows(viaScratch)).isEqualTo(want);
            // A match reaching before the first block is still an error.
            byte[] bad = stream.clone();
            bad[2 + 4 + 18 + 4 + 1] = 17;
            assertThatThrownBy(() -> dec.decode(bad, 0, bad.length, SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 4, 2)))
                    .isInstanceOf(MalformedInputException.class)
                    .satisfies(e -> assertThat(((MalformedInputException) e).offset()).isEqualTo(2 + 4 + 18 + 4 + 1));
        }
    }

    @Test
    void doesNotFitWhenTheOutputIsTooSmall() {
        SpiceBitmapFormat f = SpiceBitmapFormat.RGB32;
        byte[] noise = Lz4TestData.random(64 * 64 * 4, 3);
        SpiceBitmap src = SpiceBitmap.of(f, 64, 64, noise);
        Lz4ImageEncoder enc = new Lz4ImageEncoder();
        byte[] full = encode(enc, src);
        assertThat(full.length).isGreaterThan(noise.length); // noise expands
        // The server's fallback test: at most y × stride bytes.
        assertThat(enc.encode(src, new byte[noise.length], 0, noise.length)).isEqualTo(ImageEncoder.DOES_NOT_FIT);
        for (int max : new int[] {0, 1, 2, 5, 6, full.length - 1}) {
            assertThat(enc.encode(src, new byte[full.length], 0, max)).as("max %d", max).isEqualTo(ImageEncoder.DOES_NOT_FIT);
        }
        assertThat(enc.encode(src, new byte[full.length], 0, full.length)).isEqualTo(full.length);
        assertThat(enc.maxEncodedLength(f, 64, 64)).isGreaterThanOrEqualTo(full.length);
    }

    @Test
    void everyTruncationIsMalformed() {
        SpiceBitmapFormat f = SpiceBitmapFormat.RGB24;
        SpiceBitmap src = SpiceBitmap.of(f, 9, 7, Lz4TestData.pixels(f, 9, 7, 27, 4));
        byte[] e = encode(new Lz4ImageEncoder(), src);
        for (Lz4Codec c : Lz4TestData.codecs()) {
            Lz4ImageDecoder dec = new Lz4ImageDecoder(ImageLimits.DEFAULT, c);
            for (int len = 0; len < e.length; len++) {
                int n = len;
                assertThatThrownBy(() -> dec.decode(e, 0, n, SpiceBitmap.allocate(f, 9, 7)))
                        .as("truncated to %d of %d", n, e.length)
                        .isInstanceOf(MalformedInputException.class);
            }
            dec.decode(e, 0, e.length, SpiceBitmap.allocate(f, 9, 7));
        }
    }

    @Test
    void bitFlipsGiveMalformedInputOrAnImage() {
        SpiceBitmapFormat f = SpiceBitmapFormat.RGB32;
        SpiceBitmap src = SpiceBitmap.of(f, 24, 12, Lz4TestData.pixels(f, 24, 12, 96, 5));
        byte[] e = encode(new Lz4ImageEncoder(), src);
        for (Lz4Codec c : Lz4TestData.codecs()) {
            Lz4ImageDecoder dec = new Lz4ImageDecoder(ImageLimits.DEFAULT, c);
            int malformed = 0;
            for (int bit = 0; bit < e.length * 8; bit++) {
                byte[] m = e.clone();
                m[bit >> 3] ^= (byte) (1 << (bit & 7));
                try {
                    dec.decode(m, 0, m.length, SpiceBitmap.allocate(f, 24, 12));
                } catch (MalformedInputException ex) {
                    assertThat(ex.offset()).isBetween(0L, (long) m.length);
                    malformed++;
                }
            }
            assertThat(malformed).isPositive();
        }
    }

    @Test
    void randomGarbageOnlyEverThrowsMalformedInput() {
        Random r = new Random(11);
        Lz4ImageDecoder dec = new Lz4ImageDecoder();
        SpiceBitmap dst = SpiceBitmap.allocate(SpiceBitmapFormat.RGB16, 16, 16);
        for (int i = 0; i < 3000; i++) {
            byte[] g = new byte[r.nextInt(80)];
            r.nextBytes(g);
            if (g.length >= 2) {
                g[0] = (byte) r.nextInt(2);
                g[1] = 6;
            }
            if (g.length >= 6 && r.nextBoolean()) {
                g[2] = 0;
                g[3] = 0;
                g[4] = 0;
                g[5] = (byte) (g.length - 6);
            }
            try {
                dec.decode(g, 0, g.length, dst);
            } catch (MalformedInputException expected) {
                // fine
            }
        }
    }

    @Test
    void badHeadersAndFramingAreMalformed() {
        Lz4ImageDecoder dec = new Lz4ImageDecoder();
        SpiceBitmap dst = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 4, 3);
        byte[] good = encode(new Lz4ImageEncoder(), dst);
        assertMalformed(dec, new byte[] {}, dst, 0);
        assertMalformed(dec, new byte[] {1}, dst, 1);
        assertMalformed(dec, new byte[] {1, 8}, dst, 2); // no block
        byte[] topDown2 = good.clone();
        topDown2[0] = 2;
        assertMalformed(dec, topDown2, dst, 0);
        for (int fmt : new int[] {0, 1, 5, 10, 11, 255}) {
            byte[] m = good.clone();
            m[1] = (byte) fmt;
            assertMalformed(dec, m, dst, 1);
        }
        // A valid stream of another format than the destination's.
        byte[] rgba = good.clone();
        rgba[1] = 9;
        assertMalformed(dec, rgba, dst, 1);
        // Block length past the end, huge, or zero.
        byte[] longer = good.clone();
        longer[5]++;
        assertMalformed(dec, longer, dst, 2);
        byte[] huge = good.clone();
        huge[2] = (byte) 0xFF;
        assertMalformed(dec, huge, dst, 2);
        byte[] empty = {1, 8, 0, 0, 0, 0};
        assertMalformed(dec, empty, dst, 2);
        // Trailing bytes, or a second block, after the image is complete.
        assertMalformed(dec, Arrays.copyOf(good, good.length + 1), dst, good.length);
        byte[] twice = Arrays.copyOf(good, good.length * 2 - 2);
        System.arraycopy(good, 2, twice, good.length, good.length - 2);
        assertMalformed(dec, twice, dst, good.length);
        // Too little data: a 4x3 stream into a 4x4 image.
        assertMalformed(dec, good, SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 4, 4), good.length);
        // Too much: the stream is 48 bytes, a 4x2 image holds 32.
        assertThatThrownBy(() -> dec.decode(good, 0, good.length, SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 4, 2)))
                .isInstanceOf(MalformedInputException.class);
        // A block that decodes to nothing.
        assertMalformed(dec, new byte[] {1, 8, 0, 0, 0, 1, 0}, dst, 6);
    }

    @Test
    void sizesAreBoundedByTheLimitsBeforeAllocating() {
        ImageLimits small = new ImageLimits(100, 100, 5000);
        Lz4ImageDecoder dec = new Lz4ImageDecoder(small);
        byte[] header = {1, 8, 0, 0, 0, 1, 0};
        assertThatThrownBy(() -> dec.decode(header, 0, header.length, 1000, 1000)).isInstanceOf(MalformedInputException.class);
        assertThatThrownBy(() -> dec.decode(header, 0, header.length, 80, 80)).isInstanceOf(MalformedInputException.class);
        assertThatThrownBy(() -> dec.readInfo(header, 0, header.length, 0, 5)).isInstanceOf(MalformedInputException.class);
        assertThatThrownBy(() -> dec.decode(header, 0, header.length, SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 101, 1)))
                .isInstanceOf(MalformedInputException.class);
        assertThatThrownBy(() -> new Lz4ImageDecoder().decode(header, 0, header.length, 1 << 20, 1 << 20))
                .isInstanceOf(MalformedInputException.class);
    }

    private static void assertMalformed(Lz4ImageDecoder dec, byte[] in, SpiceBitmap dst, long offset) {
        assertThatThrownBy(() -> dec.decode(in, 0, in.length, dst))
                .isInstanceOf(MalformedInputException.class)
                .satisfies(e -> assertThat(((MalformedInputException) e).offset()).as("%s", e.getMessage()).isEqualTo(offset));
    }
}
