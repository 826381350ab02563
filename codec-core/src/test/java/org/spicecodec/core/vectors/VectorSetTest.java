package org.spicecodec.core.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads {@code vectors-mini}: three QUIC vectors copied byte for byte from the public set,
 * with their manifest entries copied verbatim.
 */
class VectorSetTest {
    private static final String GRAY_1X1_SHA = "08f271887ce94707da822d5263bae19d5519cb3614e0daedc4c7ce5dab7473f1";

    @TempDir
    Path tmp;

    static Path miniSet() throws URISyntaxException {
        return Path.of(VectorSetTest.class.getResource("/vectors-mini/manifest.json").toURI()).getParent();
    }

    /** A writable copy of the mini set, to damage. */
    private Path copyOfMiniSet() throws Exception {
        Path src = miniSet();
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path dst = tmp.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dst);
                } else {
                    Files.copy(p, dst);
                }
            }
        }
        return tmp;
    }

    private static void editManifest(Path dir, String from, String to) throws IOException {
        Path m = dir.resolve("manifest.json");
        String s = Files.readString(m);
        assertThat(s).contains(from);
        Files.writeString(m, s.replace(from, to));
    }

    @Test
    void parsesTheManifest() throws Exception {
        VectorSet set = VectorSet.load(miniSet());
        assertThat(set.setName()).isEqualTo("public");
        assertThat(set.manifest()).containsKeys("reference", "inputs", "palettes");
        assertThat(set.glzSequences()).isEmpty();
        assertThat(set.vectors()).extracting(Vector::id)
                .containsExactlyInAnyOrder("quic/gray_1x1", "quic/rgb24_33x9_stride4", "quic/rgba_icon_small_bottom_up");
        assertThat(set.vectors("quic")).hasSize(3);
        assertThat(set.vectors("lz")).isEmpty();

        Vector v = set.find("quic/rgb24_33x9_stride4");
        assertThat(v.codec()).isEqualTo("quic");
        assertThat(v.imageType()).isEqualTo("RGB24");
        assertThat(v.imageTypeValue()).isEqualTo(3);
        assertThat(v.width()).isEqualTo(33);
        assertThat(v.height()).isEqualTo(9);
        assertThat(v.stride()).isEqualTo(100);
        assertThat(v.topDown()).isTrue();
        assertThat(v.segments()).isNull();
        assertThat(v.palette()).isNull();
        assertThat(v.input()).isEqualTo(new FileRef("inputs/rgb24_33x9_stride4_rgb24.raw.gz", 900L,
                "52d211a8e25cc37cbd54c7ef572763785980d195e7de19d1a0b9ae4483a461af"));
        assertThat(v.encoded().file()).isEqualTo("quic/rgb24_33x9_stride4.quic");
        assertThat(v.encoded().size()).isEqualTo(920L);
        assertThat(v.tags()).contains("stride_padding");
        assertThat(v.decodes()).hasSize(2);
        Decode d = v.decodes().get(1);
        assertThat(d.toType()).isEqualTo("RGB32");
        assertThat(d.rowOrder()).isEqualTo("top_down");
        assertThat(d.stride()).isEqualTo(33 * 4);
        assertThat(d.size()).isEqualTo(33 * 4 * 9);
        assertThat(d.equalsInput()).isFalse();
        assertThat(d.matchesDocumentedRule()).isTrue();
        assertThat(d.file()).isEqualTo("decoded/quic__rgb24_33x9_stride4.RGB32.raw.gz");

        Vector bottomUp = set.find("quic/rgba_icon_small_bottom_up");
        assertThat(bottomUp.topDown()).isFalse();
        assertThat(bottomUp.hasTag("bottom_up")).isTrue();
    }

    @Test
    void readsAndChecksEveryFile() throws Exception {
        VectorSet set = VectorSet.load(miniSet());
        for (Vector v : set.vectors()) {
            byte[] in = set.readInput(v);
            assertThat(in).hasSize(v.stride() * v.height());
            assertThat(VectorSet.sha256Hex(in, 0, in.length)).isEqualTo(v.input().sha256());
            byte[] enc = set.readEncoded(v);
            assertThat((long) enc.length).isEqualTo(v.encoded().size());
            // QUIC magic, little-endian
            assertThat(new String(enc, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("QUIC");
            for (Decode d : v.decodes()) {
                byte[] out = set.readDecoded(d);
                if (d.file() == null) {
                    assertThat(out).isNull();
                } else {
                    assertThat((long) out.length).isEqualTo(d.size());
                }
            }
            assertThat(set.readPalette(v)).isNull();
        }
        assertThat(VectorSet.sha256Hex(set.readInput(set.find("quic/gray_1x1")), 0, 1)).isEqualTo(GRAY_1X1_SHA);
    }

    @Test
    void sha256HexHonoursTheRange() {
        byte[] abc = "xxabcxx".getBytes(StandardCharsets.US_ASCII);
        assertThat(VectorSet.sha256Hex(abc, 2, 3))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(VectorSet.sha256Hex(new byte[0], 0, 0))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void reportsAWrongInputDigest() throws Exception {
        Path dir = copyOfMiniSet();
        String wrong = "0".repeat(64);
        editManifest(dir, GRAY_1X1_SHA, wrong);
        VectorSet set = VectorSet.load(dir);
        Vector v = set.find("quic/gray_1x1");
        assertThatThrownBy(() -> set.readInput(v))
                .isInstanceOfSatisfying(DigestMismatchException.class, e -> {
                    assertThat(e.file()).isEqualTo("inputs/gray_1x1_gray.raw.gz");
                    assertThat(e.property()).isEqualTo("sha256");
                    assertThat(e.expected()).isEqualTo(wrong);
                    assertThat(e.actual()).isEqualTo(GRAY_1X1_SHA);
                })
                .hasMessageContaining("inputs/gray_1x1_gray.raw.gz: sha256 mismatch");
    }

    @Test
    void reportsADamagedEncodedFile() throws Exception {
        Path dir = copyOfMiniSet();
        Path enc = dir.resolve("quic/rgb24_33x9_stride4.quic");
        byte[] b = Files.readAllBytes(enc);
        b[100] ^= 1;
        Files.write(enc, b);
        VectorSet set = VectorSet.load(dir);
        assertThatThrownBy(() -> set.readEncoded(set.find("quic/rgb24_33x9_stride4")))
                .isInstanceOfSatisfying(DigestMismatchException.class,
                        e -> assertThat(e.property()).isEqualTo("sha256"));
    }

    @Test
    void reportsATruncatedEncodedFile() throws Exception {
        Path dir = copyOfMiniSet();
        Path enc = dir.resolve("quic/rgb24_33x9_stride4.quic");
        byte[] b = Files.readAllBytes(enc);
        Files.write(enc, java.util.Arrays.copyOf(b, b.length - 4));
        VectorSet set = VectorSet.load(dir);
        assertThatThrownBy(() -> set.readEncoded(set.find("quic/rgb24_33x9_stride4")))
                .isInstanceOfSatisfying(DigestMismatchException.class, e -> {
                    assertThat(e.property()).isEqualTo("size");
                    assertThat(e.expected()).isEqualTo("920 bytes");
                    assertThat(e.actual()).isEqualTo("916 bytes");
                });
    }

    @Test
    void reportsARawFileOfTheWrongSize() throws Exception {
        Path dir = copyOfMiniSet();
        Path in = dir.resolve("inputs/gray_1x1_gray.raw.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(in))) {
            out.write(new byte[] {1, 2});
        }
        VectorSet set = VectorSet.load(dir);
        assertThatThrownBy(() -> set.readInput(set.find("quic/gray_1x1")))
                .isInstanceOfSatisfying(DigestMismatchException.class, e -> {
                    assertThat(e.property()).isEqualTo("size");
                    assertThat(e.actual()).isEqualTo("2 bytes");
                });
        Files.write(in, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> set.readInput(set.find("quic/gray_1x1")))
                .isInstanceOf(VectorSetException.class)
                .hasMessageContaining("not a valid gzip stream");
    }

    @Test
    void refusesFilesOutsideTheSet() throws Exception {
        Path dir = copyOfMiniSet();
        editManifest(dir, "\"quic/gray_1x1.quic\"", "\"../../etc/passwd\"");
        VectorSet set = VectorSet.load(dir);
        assertThatThrownBy(() -> set.readEncoded(set.find("quic/gray_1x1")))
                .isInstanceOf(VectorSetException.class)
                .hasMessageContaining("leaves the set's directory");
    }

    @Test
    void reportsMalformedJsonWithItsPosition() throws Exception {
        Path dir = copyOfMiniSet();
        editManifest(dir, "\"format_version\": 1,", "\"format_version\": 1,,");
        assertThatThrownBy(() -> VectorSet.load(dir))
                .isInstanceOf(VectorSetException.class)
                .hasCauseInstanceOf(JsonException.class)
                .hasMessageContaining("manifest.json: malformed JSON at line 2, column 22");
    }

    @Test
    void reportsAnInvalidManifestByJsonPath() throws Exception {
        Path dir = copyOfMiniSet();
        editManifest(dir, "\"to_type\": \"GRAY\"", "\"to_type\": 7");
        assertThatThrownBy(() -> VectorSet.load(dir))
                .isInstanceOf(VectorSetException.class)
                .hasMessageContaining("vectors[")
                .hasMessageContaining(".decodes[0].to_type: expected a string, found number 7");
    }

    @Test
    void rejectsAnInputSizeThatIsNotStrideTimesHeight() throws Exception {
        Path dir = copyOfMiniSet();
        editManifest(dir, "\"size\": 900,", "\"size\": 901,");
        assertThatThrownBy(() -> VectorSet.load(dir))
                .isInstanceOf(VectorSetException.class)
                .hasMessageContaining("input.size: 901 is not stride * height = 900");
    }

    @Test
    void rejectsAnUnknownFormatVersion() throws Exception {
        Path dir = copyOfMiniSet();
        editManifest(dir, "\"format_version\": 1,", "\"format_version\": 2,");
        assertThatThrownBy(() -> VectorSet.load(dir))
                .isInstanceOf(VectorSetException.class)
                .hasMessageContaining("format_version: 2 is not supported");
    }

    @Test
    void missingManifestIsNoSuchFile() {
        assertThatThrownBy(() -> VectorSet.load(tmp.resolve("nowhere")))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void readsPalettesAndGlzSequences() throws Exception {
        // A hand-made set: one LZ PLT8 vector with a 2-entry palette, and a GLZ sequence of one image.
        Files.createDirectories(tmp.resolve("palettes"));
        byte[] pal = {0x30, 0x20, 0x10, 0, (byte) 0xFF, (byte) 0xEE, (byte) 0xDD, 0};
        Files.write(tmp.resolve("palettes/p.pal"), pal);
        String palSha = VectorSet.sha256Hex(pal, 0, pal.length);
        String dummy = "a".repeat(64);
        String entry = "\"image_type\": \"PLT8\", \"image_type_value\": 5, \"width\": 2, \"height\": 3, \"stride\": 2,"
                + " \"top_down\": true, \"segments\": [1, 2],"
                + " \"input\": {\"file\": \"inputs/x.raw.gz\", \"size\": 6, \"sha256\": \"" + dummy + "\"},"
                + " \"palette\": {\"file\": \"palettes/p.pal\", \"num_ents\": 2, \"sha256\": \"" + palSha + "\"},"
                + " \"encoded\": {\"file\": \"x\", \"size\": 1, \"sha256\": \"" + dummy + "\"},"
                + " \"decodes\": [{\"to_type\": \"RGB32\", \"row_order\": \"as_input\", \"stride\": 8, \"size\": 24,"
                + " \"sha256\": \"" + dummy + "\", \"equals_input\": false, \"matches_documented_rule\": null}]";
        Files.writeString(tmp.resolve("manifest.json"), "{\"format_version\": 1, \"set\": \"test\","
                + " \"vectors\": [{\"id\": \"lz/p\", \"codec\": \"lz\", " + entry + ", \"tags\": [\"palette\"]}],"
                + " \"glz_sequences\": [{\"id\": \"glz/s\", \"window_size_pixels\": 1000, \"encoder_id\": 0,"
                + " \"max_encoders\": 1, \"first_image_id\": 0, \"images\": [{\"index\": 0, \"image_id\": 0,"
                + " \"win_head_dist\": 0, \"evicted_during_encode\": [], " + entry + "}]}]}");
        VectorSet set = VectorSet.load(tmp);
        Vector v = set.find("lz/p");
        assertThat(v.segments()).containsExactly(1, 2);
        assertThat(v.decodes().get(0).matchesDocumentedRule()).isNull();
        assertThat(set.readPalette(v)).containsExactly(0x102030, 0xDDEEFF);

        GlzSequence s = set.glzSequences().get(0);
        assertThat(s.windowSizePixels()).isEqualTo(1000);
        GlzImage img = s.images().get(0);
        assertThat(img.vector().id()).isEqualTo("glz/s/00");
        assertThat(img.vector().codec()).isEqualTo("glz");
        assertThat(img.winHeadDist()).isZero();
        assertThat(set.allVectors()).extracting(Vector::id).containsExactly("lz/p", "glz/s/00");

        Files.write(tmp.resolve("palettes/p.pal"), new byte[] {1, 2, 3, 4});
        assertThatThrownBy(() -> set.readPalette(v)).isInstanceOf(DigestMismatchException.class);
    }

    /** The full public set, when this machine has it: every entry must parse. */
    @Test
    void loadsTheFullPublicSet() throws Exception {
        Path full = Path.of("/work/shared/vectors");
        assumeTrue(Files.isRegularFile(full.resolve("manifest.json")), "public vector set not present");
        VectorSet set = VectorSet.load(full);
        assertThat(set.vectors("quic")).hasSize(42);
        assertThat(set.vectors("lz")).hasSize(50);
        assertThat(set.glzSequences()).hasSize(5);
        assertThat(set.allVectors()).hasSize(92 + 39);
        Vector plt = set.vectors().stream().filter(v -> v.palette() != null).findFirst().orElseThrow();
        assertThat(set.readPalette(plt)).hasSize(plt.palette().numEnts());
    }
}
