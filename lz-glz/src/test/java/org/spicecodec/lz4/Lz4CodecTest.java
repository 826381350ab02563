package org.spicecodec.lz4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.spicecodec.core.MalformedInputException;

class Lz4CodecTest {

    @Test
    void javaIsForcedBySetting() {
        Lz4Codec c = Lz4Codec.select("java");
        assertThat(c.impl()).isEqualTo(Lz4Codec.Impl.JAVA);
        assertThat(c.implementationName()).isEqualTo("java (safe)");
        assertThat(Lz4Codec.select(" JAVA ").impl()).isEqualTo(Lz4Codec.Impl.JAVA);
    }

    @Test
    void nativeSettingUsesNativeWhenItLoadsAndJavaOtherwise() {
        Lz4Codec c = Lz4Codec.select("native");
        assertThat(c.impl()).isEqualTo(Lz4Codec.nativeAvailable() ? Lz4Codec.Impl.NATIVE : Lz4Codec.Impl.JAVA);
    }

    @Test
    void autoAndUnknownSettingsPickAnImplementation() {
        Lz4Codec auto = Lz4Codec.select("auto");
        assertThat(Lz4Codec.select("bogus").impl()).isEqualTo(auto.impl());
        assertThat(Lz4Codec.select(null).impl()).isEqualTo(auto.impl());
        if (!Lz4Codec.nativeAvailable()) {
            assertThat(auto.impl()).isEqualTo(Lz4Codec.Impl.JAVA);
        } else if (Runtime.version().feature() < 24) {
            assertThat(auto.impl()).isEqualTo(Lz4Codec.Impl.NATIVE);
        }
        assertThat(Lz4Codec.getDefault()).isNotNull();
        assertThat(Lz4Codec.getDefault()).isSameAs(Lz4Codec.getDefault());
    }

    @Test
    void nativeLoadsOnThisMachine() {
        // lz4-java 1.13.0 ships linux/amd64 and aarch64 libraries; say so if that ever changes.
        String arch = System.getProperty("os.arch");
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && (arch.equals("amd64") || arch.equals("aarch64")));
        assertThat(Lz4Codec.nativeAvailable()).isTrue();
        assertThat(Lz4Codec.of(Lz4Codec.Impl.NATIVE).implementationName()).isEqualTo("native (JNI)");
    }

    @Test
    void eachImplementationDecodesTheOthersBlocks() {
        for (int n : new int[] {0, 1, 15, 999, 1000, 1001, 65536, 1 << 20}) {
            for (byte[] data : new byte[][] {Lz4TestData.realistic(n, n), Lz4TestData.random(n, n), new byte[n]}) {
                byte[][] blocks = new byte[Lz4TestData.codecs().size()][];
                int i = 0;
                for (Lz4Codec enc : Lz4TestData.codecs()) {
                    byte[] block = new byte[enc.maxCompressedLength(n)];
                    int len = enc.compress(data, 0, n, block, 0, block.length);
                    assertThat(len).isPositive();
                    blocks[i++] = Arrays.copyOf(block, len);
                    for (Lz4Codec dec : Lz4TestData.codecs()) {
                        byte[] out = new byte[n];
                        assertThat(dec.decompress(block, 0, len, out, 0, n, 0)).isEqualTo(n);
                        assertThat(out).isEqualTo(data);
                    }
                }
                if (blocks.length == 2 && n > 0) {
                    // Different ports of the algorithm: the blocks differ in places, not in size much.
                    assertThat((double) blocks[1].length).as("native vs java block for %d bytes", n)
                            .isBetween(blocks[0].length * 0.9, blocks[0].length * 1.1 + 16);
                }
            }
        }
    }

    @Test
    void compressSaysWhenTheBlockDoesNotFit() {
        byte[] data = Lz4TestData.random(5000, 1);
        for (Lz4Codec c : Lz4TestData.codecs()) {
            assertThat(c.compress(data, 0, data.length, new byte[6000], 0, 4999)).isEqualTo(Lz4Codec.DOES_NOT_FIT);
            assertThat(c.compress(data, 0, data.length, new byte[6000], 0, 0)).isEqualTo(Lz4Codec.DOES_NOT_FIT);
        }
    }

    @Test
    void corruptBlocksBecomeMalformedInput() {
        for (Lz4Codec c : Lz4TestData.codecs()) {
            byte[] out = new byte[100];
            // A match with offset 5 at the very start: nothing to copy from.
            byte[] bad = {0x04, 0x05, 0x00, 0x00, 0x00};
            assertThatThrownBy(() -> c.decompress(bad, 0, bad.length, out, 0, 100, 7))
                    .isInstanceOf(MalformedInputException.class)
                    .satisfies(e -> assertThat(((MalformedInputException) e).offset()).isEqualTo(7));
            // Literals longer than the space given.
            byte[] lits = {(byte) 0x50, 1, 2, 3, 4, 5};
            assertThatThrownBy(() -> c.decompress(lits, 0, lits.length, out, 0, 4, 0))
                    .isInstanceOf(MalformedInputException.class);
            assertThat(c.decompress(lits, 0, lits.length, out, 0, 5, 0)).isEqualTo(5);
        }
    }

    /**
     * Compressing through a scratch buffer gives the very bytes of a direct compress, and says
     * DOES_NOT_FIT exactly when the limited direct compress does.
     */
    @Test
    void scratchCompressMatchesDirectCompressAtEveryLimit() {
        for (Lz4Codec c : Lz4TestData.codecs()) {
            for (byte[] src : new byte[][] {Lz4TestData.realistic(5000, 7), Lz4TestData.random(3000, 8)}) {
                byte[] full = new byte[c.maxCompressedLength(src.length)];
                int n = c.compress(src, 0, src.length, full, 0, full.length);
                assertThat(n).isPositive();
                byte[] scratch = new byte[full.length];
                for (int limit : new int[] {n - 1, n, n + 1, src.length - 1, full.length}) {
                    byte[] a = new byte[full.length + 3];
                    byte[] b = new byte[full.length + 3];
                    int direct = c.compress(src, 0, src.length, a, 3, limit);
                    int viaScratch = c.compress(src, 0, src.length, b, 3, limit, scratch);
                    assertThat(viaScratch).as("%s limit %d", c, limit).isEqualTo(direct)
                            .isEqualTo(limit >= n ? n : Lz4Codec.DOES_NOT_FIT);
                    if (direct > 0) {
                        assertThat(Arrays.copyOfRange(b, 3, 3 + n)).isEqualTo(Arrays.copyOf(full, n));
                        assertThat(Arrays.copyOfRange(a, 3, 3 + n)).isEqualTo(Arrays.copyOf(full, n));
                    }
                }
            }
        }
    }
}
