package org.spicecodec.lz4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.spicecodec.core.MalformedInputException;

class VmcLz4Test {
    private static final int[] SIZES = {0, 1, 999, 1000, 1001, 64 * 1024, 1 << 20};

    /** The body for 1001 zero bytes, by hand: header, then the LZ4 block. */
    private static final byte[] ZEROS_1001 = {
        1, // type LZ4
        (byte) 0xE9, 0x03, 0, 0, // uncompressed_size 1001, little-endian
        // 1 literal (0), match offset 1, length 4 + 15 + 255 + 255 + 255 + 211 = 995,
        0x1F, 0, 1, 0, (byte) 255, (byte) 255, (byte) 255, (byte) 211,
        // then the last 5 bytes as literals.
        0x50, 0, 0, 0, 0, 0};

    private static List<VmcLz4> vmcs() {
        return Lz4TestData.codecs().stream().map(c -> new VmcLz4(c, VmcLz4.DEFAULT_MAX_UNCOMPRESSED_SIZE)).toList();
    }

    @Test
    void constantsAreTheProtocols() {
        assertThat(VmcLz4.MSG_DATA).isEqualTo(101);
        assertThat(VmcLz4.MSG_COMPRESSED_DATA).isEqualTo(102);
        assertThat(VmcLz4.TYPE_NONE).isZero();
        assertThat(VmcLz4.TYPE_LZ4).isEqualTo(1);
        assertThat(VmcLz4.COMPRESS_THRESHOLD).isEqualTo(1000);
        assertThat(VmcLz4.shouldCompress(1000)).isFalse();
        assertThat(VmcLz4.shouldCompress(1001)).isTrue();
        assertThat(new VmcLz4().maxUncompressedSize()).isEqualTo(64 << 20);
    }

    @Test
    void zerosCompressToTheHandComputedBody() {
        for (VmcLz4 v : vmcs()) {
            byte[] body = new byte[VmcLz4.maxBodyLength(1001)];
            int n = v.compress(new byte[1001], 0, 1001, body, 0);
            assertThat(Arrays.copyOf(body, n)).as(v.codec().implementationName()).isEqualTo(ZEROS_1001);
            assertThat(v.encode(new byte[1001])).isEqualTo(new VmcLz4.Message(VmcLz4.MSG_COMPRESSED_DATA, ZEROS_1001));
            assertThat(v.decompress(ZEROS_1001)).isEqualTo(new byte[1001]);
        }
    }

    @Test
    void handMadeBodiesDecode() {
        VmcLz4 v = new VmcLz4();
        byte[] lits = new byte[20];
        for (int i = 0; i < 20; i++) {
            lits[i] = (byte) ('a' + i);
        }
        byte[] body = new byte[5 + 2 + 20];
        body[0] = 1;
        body[1] = 20;
        body[5] = (byte) 0xF0; // 15 + 5 literals
        body[6] = 5;
        System.arraycopy(lits, 0, body, 7, 20);
        assertThat(v.uncompressedSize(body, 0, body.length)).isEqualTo(20);
        assertThat(v.decompress(body)).isEqualTo(lits);
        // Into a caller's array at an offset, from an offset.
        byte[] framed = new byte[body.length + 3];
        System.arraycopy(body, 0, framed, 3, body.length);
        byte[] out = new byte[30];
        assertThat(v.decompress(framed, 3, body.length, out, 4)).isEqualTo(20);
        assertThat(Arrays.copyOfRange(out, 4, 24)).isEqualTo(lits);
        // Type NONE: the rest of the body as it is.
        assertThat(v.decompress(new byte[] {0, 'h', 'i'})).containsExactly('h', 'i');
        assertThat(v.decompress(new byte[] {0})).isEmpty();
    }

    @Test
    void roundTripsEverySizeAndKindOfData() {
        for (VmcLz4 enc : vmcs()) {
            for (VmcLz4 dec : vmcs()) {
                for (int n : SIZES) {
                    for (int kind = 0; kind < 3; kind++) {
                        byte[] payload = switch (kind) {
                            case 0 -> new byte[n];
                            case 1 -> Lz4TestData.realistic(n, n + 1);
                            default -> Lz4TestData.random(n, n + 2);
                        };
                        VmcLz4.Message m = enc.encode(payload);
                        if (n <= 1000 || kind == 2) {
                            // Too small to try, or random bytes that LZ4 cannot shrink.
                            assertThat(m.type()).as("n=%d kind=%d", n, kind).isEqualTo(VmcLz4.MSG_DATA);
                            assertThat(m.body()).isSameAs(payload);
                        } else {
                            assertThat(m.type()).as("n=%d kind=%d", n, kind).isEqualTo(VmcLz4.MSG_COMPRESSED_DATA);
                            assertThat(m.body().length).isLessThan(n + VmcLz4.LZ4_HEADER_LENGTH);
                            assertThat(m.body()[0]).isEqualTo((byte) 1);
                            assertThat(dec.uncompressedSize(m.body(), 0, m.body().length)).isEqualTo(n);
                        }
                        assertThat(dec.decode(m)).isEqualTo(payload);
                    }
                }
            }
        }
    }

    @Test
    void bothImplementationsMakeTheSameDecisionAndHeader() {
        List<VmcLz4> all = vmcs();
        for (int n : SIZES) {
            for (byte[] payload : new byte[][] {Lz4TestData.realistic(n, 77), Lz4TestData.random(n, 78)}) {
                VmcLz4.Message first = all.get(0).encode(payload);
                for (VmcLz4 v : all) {
                    VmcLz4.Message m = v.encode(payload);
                    assertThat(m.type()).as("%s, %d bytes", v.codec(), n).isEqualTo(first.type());
                    if (m.type() == VmcLz4.MSG_COMPRESSED_DATA) {
                        // The LZ4 blocks of the JNI and Java ports may differ; the header may not.
                        assertThat(Arrays.copyOf(m.body(), 5)).isEqualTo(Arrays.copyOf(first.body(), 5));
                    }
                    for (VmcLz4 dec : all) {
                        assertThat(dec.decode(m)).isEqualTo(payload);
                    }
                }
            }
        }
    }

    @Test
    void rawWhenCompressionDoesNotShrink() {
        VmcLz4 v = new VmcLz4();
        byte[] noise = Lz4TestData.random(4096, 5);
        byte[] dst = new byte[VmcLz4.maxBodyLength(noise.length)];
        assertThat(v.compress(noise, 0, noise.length, dst, 0)).isEqualTo(VmcLz4.SEND_AS_DATA);
        // Just compressible enough: a run of zeros in front of noise still gets compressed...
        byte[] mostlyNoise = Arrays.copyOf(new byte[100], 4096);
        System.arraycopy(noise, 0, mostlyNoise, 100, 3996);
        int n = v.compress(mostlyNoise, 0, mostlyNoise.length, dst, 0);
        assertThat(n).isPositive().isLessThan(4096 + 5);
        assertThat(v.decompress(dst, 0, n)).isEqualTo(mostlyNoise);
        // ...but never to a block as long as the payload or longer.
        for (int len = 1001; len < 1100; len++) {
            byte[] p = Lz4TestData.random(len, len);
            p[0] = p[1] = p[2] = p[3] = p[4] = p[5] = p[6] = p[7] = 0;
            int m = v.compress(p, 0, len, new byte[VmcLz4.maxBodyLength(len)], 0);
            assertThat(m == VmcLz4.SEND_AS_DATA || m - VmcLz4.LZ4_HEADER_LENGTH < len).isTrue();
        }
        // A destination below maxBodyLength is the caller's mistake.
        byte[] zeros = new byte[2000];
        assertThatThrownBy(() -> v.compress(zeros, 0, 2000, new byte[2003], 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(v.compress(zeros, 0, 2000, new byte[2004], 0)).isPositive();
    }

    @Test
    void everyTruncationIsMalformed() {
        for (VmcLz4 v : vmcs()) {
            for (int len = 0; len < ZEROS_1001.length; len++) {
                int n = len;
                assertThatThrownBy(() -> v.decompress(ZEROS_1001, 0, n))
                        .as("truncated to %d", n).isInstanceOf(MalformedInputException.class);
            }
        }
    }

    @Test
    void bitFlipsGiveMalformedInputOrAPayloadOfTheDeclaredSize() {
        byte[] body = new VmcLz4().encode(Lz4TestData.realistic(3000, 8)).body();
        for (VmcLz4 v : vmcs()) {
            int malformed = 0;
            for (int bit = 0; bit < body.length * 8; bit++) {
                byte[] m = body.clone();
                m[bit >> 3] ^= (byte) (1 << (bit & 7));
                try {
                    byte[] out = v.decompress(m);
                    assertThat(out.length).isEqualTo(v.uncompressedSize(m, 0, m.length));
                } catch (MalformedInputException e) {
                    assertThat(e.offset()).isBetween(0L, (long) m.length);
                    malformed++;
                }
            }
            assertThat(malformed).isPositive();
        }
    }

    @Test
    void hostileHeadersAreRejectedBeforeAllocating() {
        VmcLz4 v = new VmcLz4();
        // Unknown types.
        for (int type : new int[] {2, 3, 127, 255}) {
            byte[] m = ZEROS_1001.clone();
            m[0] = (byte) type;
            assertMalformed(v, m, 0, "unknown data compression type");
        }
        // uncompressed_size 0, 4 GiB - 1, just over the limit, over 255 x the block.
        assertMalformed(v, withSize(0), 1, "is 0");
        assertMalformed(v, withSize(0xFFFF_FFFFL), 1, "exceeds the limit");
        assertMalformed(v, withSize((64 << 20) + 1), 1, "exceeds the limit");
        assertMalformed(v, withSize(255L * 14 + 1), 1, "more than LZ4 can make");
        assertMalformed(v, new byte[] {1, 1, 0, 0, 0}, 1, "more than LZ4 can make");
        // A stricter receiver, as a client of spice-server might configure it.
        VmcLz4 client = new VmcLz4(Lz4Codec.getDefault(), VmcLz4.SERVER_MAX_PAYLOAD);
        byte[] big = new VmcLz4().encode(new byte[VmcLz4.SERVER_MAX_PAYLOAD + 1]).body();
        assertThatThrownBy(() -> client.decompress(big)).isInstanceOf(MalformedInputException.class);
        assertThat(client.decompress(new VmcLz4().encode(new byte[VmcLz4.SERVER_MAX_PAYLOAD]).body()))
                .hasSize(VmcLz4.SERVER_MAX_PAYLOAD);
    }

    @Test
    void wrongSizesAreMalformed() {
        for (VmcLz4 v : vmcs()) {
            // The block makes 1001 bytes: a size of 1002 leaves a byte unfilled, 1000 overflows.
            assertThatThrownBy(() -> v.decompress(withSize(1002))).isInstanceOf(MalformedInputException.class);
            assertThatThrownBy(() -> v.decompress(withSize(1000))).isInstanceOf(MalformedInputException.class);
            assertThatThrownBy(() -> v.decompress(withSize(1))).isInstanceOf(MalformedInputException.class);
        }
        byte[] out = new byte[1000];
        assertThatThrownBy(() -> new VmcLz4().decompress(ZEROS_1001, 0, ZEROS_1001.length, out, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] withSize(long size) {
        byte[] m = ZEROS_1001.clone();
        m[1] = (byte) size;
        m[2] = (byte) (size >>> 8);
        m[3] = (byte) (size >>> 16);
        m[4] = (byte) (size >>> 24);
        return m;
    }

    private static void assertMalformed(VmcLz4 v, byte[] body, long offset, String reason) {
        assertThatThrownBy(() -> v.decompress(body))
                .isInstanceOf(MalformedInputException.class)
                .satisfies(e -> {
                    MalformedInputException m = (MalformedInputException) e;
                    assertThat(m.offset()).isEqualTo(offset);
                    assertThat(m.reason()).contains(reason);
                });
    }
}
