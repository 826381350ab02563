package org.spicecodec.lz4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.spicecodec.core.MalformedInputException;

/** The prefix-aware decoder agrees with lz4-java on ordinary blocks and rejects what it rejects. */
class Lz4BlocksTest {

    @Test
    void decodesWhatLz4JavaWrites() {
        Random r = new Random(3);
        for (int i = 0; i < 300; i++) {
            int n = r.nextInt(i < 250 ? 3000 : 200_000);
            byte[] data = i % 3 == 0 ? Lz4TestData.random(n, i) : Lz4TestData.realistic(n, i);
            Lz4Codec c = Lz4TestData.codecs().get(i % Lz4TestData.codecs().size());
            byte[] block = new byte[c.maxCompressedLength(n)];
            int len = c.compress(data, 0, n, block, 0, block.length);
            // Decode after a 10-byte prefix, into exactly n bytes of room.
            byte[] out = new byte[10 + n];
            assertThat(Lz4Blocks.decompress(block, 0, len, out, 0, 10, 10 + n, 0)).isEqualTo(n);
            assertThat(Arrays.copyOfRange(out, 10, 10 + n)).isEqualTo(data);
        }
    }

    @Test
    void acceptsAndRejectsExactlyWhatLz4JavaDoesOnGarbage() {
        Random r = new Random(4);
        for (Lz4Codec c : Lz4TestData.codecs()) {
            int accepted = 0;
            for (int i = 0; i < 20_000; i++) {
                byte[] g = new byte[1 + r.nextInt(40)];
                r.nextBytes(g);
                if (r.nextBoolean()) {
                    g[0] &= 0x3F; // short literal runs, so that some blocks are valid
                }
                int room = r.nextInt(120);
                byte[] a = new byte[room];
                byte[] b = new byte[room];
                Integer ours;
                Integer theirs;
                try {
                    ours = Lz4Blocks.decompress(g, 0, g.length, a, 0, 0, room, 0);
                } catch (MalformedInputException e) {
                    ours = null;
                }
                try {
                    theirs = c.decompress(g, 0, g.length, b, 0, room, 0);
                } catch (MalformedInputException e) {
                    theirs = null;
                }
                assertThat(ours).as("%s: block %s room %d", c, Arrays.toString(g), room).isEqualTo(theirs);
                if (theirs != null) {
                    accepted++;
                    assertThat(a).isEqualTo(b);
                }
            }
            assertThat(accepted).isPositive();
        }
    }

    @Test
    void rejectsMatchesOutsideTheWindowAndOverruns() {
        byte[] out = new byte[64];
        // Offset 0.
        assertThatThrownBy(() -> Lz4Blocks.decompress(new byte[] {0x10, 'a', 0, 0, 0x50, 1, 2, 3, 4, 5}, 0, 10, out, 0, 0, 64, 100))
                .isInstanceOf(MalformedInputException.class)
                .satisfies(e -> assertThat(((MalformedInputException) e).offset()).isEqualTo(102));
        // Offset 2 with 1 byte of history.
        assertThatThrownBy(() -> Lz4Blocks.decompress(new byte[] {0x10, 'a', 2, 0, 0x50, 1, 2, 3, 4, 5}, 0, 10, out, 0, 0, 64, 0))
                .isInstanceOf(MalformedInputException.class);
        // The same block with a byte of prefix before it is fine.
        out[0] = 'z';
        assertThat(Lz4Blocks.decompress(new byte[] {0x10, 'a', 2, 0, 0x50, 1, 2, 3, 4, 5}, 0, 10, out, 0, 1, 64, 0)).isEqualTo(10);
        assertThat(Arrays.copyOfRange(out, 1, 11)).containsExactly('a', 'z', 'a', 'z', 'a', 1, 2, 3, 4, 5);
        // A block that ends after a match.
        assertThatThrownBy(() -> Lz4Blocks.decompress(new byte[] {0x10, 'a', 1, 0}, 0, 4, out, 0, 0, 64, 0))
                .isInstanceOf(MalformedInputException.class);
        // Output space too small.
        assertThatThrownBy(() -> Lz4Blocks.decompress(new byte[] {0x50, 1, 2, 3, 4, 5}, 0, 6, out, 0, 0, 4, 0))
                .isInstanceOf(MalformedInputException.class);
    }
}
