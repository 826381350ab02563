package org.spicecodec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spicecodec.cli.CliTestSupport.copyMiniSet;
import static org.spicecodec.cli.CliTestSupport.copyVendoredSet;
import static org.spicecodec.cli.CliTestSupport.miniSet;
import static org.spicecodec.cli.CliTestSupport.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spicecodec.cli.CliTestSupport.Run;
import org.spicecodec.core.vectors.VectorSet;

class VectorsVerifyTest {
    private static final String RGB24_ID = "quic/rgb24_33x9_stride4";
    private static final String RGB24_QUIC = "quic/rgb24_33x9_stride4.quic";
    private static final String RGB24_QUIC_SHA = "5c93f98bc4c829892ef2b3fdd1c24114dbe267dbccbcb32dbd4e879920504a58";

    /** A vector entry whose files do not exist. */
    private static final String ENTRY = "\"image_type\": \"RGB24\", \"image_type_value\": 7, \"width\": 1,"
            + " \"height\": 1, \"stride\": 3, \"top_down\": true, \"segments\": null,"
            + " \"input\": {\"file\": \"inputs/none.raw.gz\", \"size\": 3, \"sha256\": \"" + "1".repeat(64) + "\"},"
            + " \"palette\": null,"
            + " \"encoded\": {\"file\": \"none\", \"size\": 9, \"sha256\": \"" + "2".repeat(64) + "\"},"
            + " \"decodes\": []";

    @TempDir
    Path tmp;

    @Test
    void miniSetPassesBothWays() {
        Run r = run("vectors", "verify", miniSet());
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).isZero();
        assertThat(r.outLines()).containsExactly("3 passed, 0 failed, 0 skipped");
    }

    @Test
    void verboseListsEveryPassedVector() {
        Run r = run("vectors", "verify", "-v", miniSet());
        assertThat(r.status()).isZero();
        assertThat(r.outLines()).containsExactly("ok   quic/gray_1x1", "ok   quic/rgba_icon_small_bottom_up",
                "ok   " + RGB24_ID, "3 passed, 0 failed, 0 skipped");
    }

    @Test
    void aDamagedEncodedFileFailsItsVector() throws Exception {
        Path set = copyMiniSet(tmp);
        flipByte(set.resolve(RGB24_QUIC), 60);
        Run r = run("vectors", "verify", set);
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEmpty();
        assertThat(r.outLines()).hasSize(2);
        assertThat(r.outLines().get(0))
                .startsWith("FAIL " + RGB24_ID + ": encoded file " + RGB24_QUIC + ": sha256 expected " + RGB24_QUIC_SHA
                        + ", got ");
        assertThat(r.lastLine()).isEqualTo("2 passed, 1 failed, 0 skipped");
    }

    /** A wrong stream whose digest the manifest agrees with: the codec checks themselves must catch it. */
    @Test
    void aWrongStreamFailsTheEncodeAndDecodeChecks() throws Exception {
        Path set = copyMiniSet(tmp);
        byte[] b = flipByte(set.resolve(RGB24_QUIC), 60);
        editManifest(set, RGB24_QUIC_SHA, VectorSet.sha256Hex(b, 0, b.length));
        Run r = run("vectors", "verify", set);
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.outLines()).hasSize(4);
        assertThat(r.outLines().get(0)).startsWith("FAIL " + RGB24_ID + ": encode: expected sha256 ")
                .endsWith("(920 bytes), first difference at byte 60");
        assertThat(r.outLines().get(1)).startsWith("FAIL " + RGB24_ID + ": decode to RGB24: expected sha256 ");
        assertThat(r.outLines().get(2)).startsWith("FAIL " + RGB24_ID + ": decode to RGB32: expected sha256 ");
        assertThat(r.lastLine()).isEqualTo("2 passed, 1 failed, 0 skipped");
    }

    @Test
    void aWrongDecodeDigestFailsOnlyThatCheck() throws Exception {
        Path set = copyMiniSet(tmp);
        // The digest of the icon's one decode (bottom-up input, top-down output), listed once in the manifest.
        String decodeSha = "ce723c7ee18ec0a2bb74f340f67c3b800e1a069048569dd7b9ec248cbfd59471";
        editManifest(set, decodeSha, "0".repeat(64));
        Run r = run("vectors", "verify", set);
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.outLines()).containsExactly(
                "FAIL quic/rgba_icon_small_bottom_up: decode to RGBA: expected sha256 " + "0".repeat(64)
                        + " (9216 bytes), got " + decodeSha + " (9216 bytes)",
                "2 passed, 1 failed, 0 skipped");
    }

    @Test
    void aMissingFileFailsItsVectorWithoutAStackTrace() throws Exception {
        Path set = copyMiniSet(tmp);
        Files.delete(set.resolve("inputs/gray_1x1_gray.raw.gz"));
        Run r = run("vectors", "verify", set);
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.outLines().get(0)).startsWith("FAIL quic/gray_1x1: input file: no such file: ")
                .endsWith("gray_1x1_gray.raw.gz");
        assertThat(r.lastLine()).isEqualTo("2 passed, 1 failed, 0 skipped");
        assertThat(r.out() + r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void otherCodecsAreSkippedNeverPassed() throws Exception {
        Path set = copyMiniSet(tmp);
        editManifest(set, "\"vectors\": [", "\"vectors\": [{\"id\": \"jpeg/one\", \"codec\": \"jpeg\", " + ENTRY
                + "}, {\"id\": \"jpeg/two\", \"codec\": \"jpeg\", " + ENTRY + "},");

        Run all = run("vectors", "verify", set);
        assertThat(all.status()).isZero();
        assertThat(all.outLines()).containsExactly("skipped 2 vectors: 2 jpeg (codec not implemented yet)",
                "3 passed, 0 failed, 2 skipped");

        Run quic = run("vectors", "verify", "--codec", "quic", set);
        assertThat(quic.outLines()).containsExactly("3 passed, 0 failed, 0 skipped");

        Run jpeg = run("vectors", "verify", "--codec", "JPEG", set);
        assertThat(jpeg.status()).isZero();
        assertThat(jpeg.outLines()).containsExactly("skipped 2 vectors: 2 jpeg (codec not implemented yet)",
                "0 passed, 0 failed, 2 skipped");

        // LZ is implemented: a vector whose files are missing fails instead of being skipped.
        editManifest(set, "\"vectors\": [", "\"vectors\": [{\"id\": \"lz/one\", \"codec\": \"lz\", " + ENTRY + "},");
        Run lz = run("vectors", "verify", "--codec", "LZ", set);
        assertThat(lz.status()).isEqualTo(1);
        assertThat(lz.lastLine()).isEqualTo("0 passed, 1 failed, 0 skipped");
    }

    /** A GLZ sequence whose files are missing: every image fails, none is skipped, and nothing crashes. */
    @Test
    void glzIsImplementedSoMissingFilesFail() throws Exception {
        Path set = copyMiniSet(tmp);
        editManifest(set, "\"glz_sequences\": []", "\"glz_sequences\": [{\"id\": \"glz/s\", \"window_size_pixels\": 9,"
                + " \"encoder_id\": 0, \"max_encoders\": 1, \"first_image_id\": 0, \"images\": ["
                + "{\"index\": 0, \"image_id\": 0, \"win_head_dist\": 0, " + ENTRY + "},"
                + "{\"index\": 1, \"image_id\": 1, \"win_head_dist\": 1, " + ENTRY + "}]}]");
        Run glz = run("vectors", "verify", "--codec", "GLZ", set);
        assertThat(glz.status()).isEqualTo(1);
        assertThat(glz.outLines()).contains("FAIL glz/s/01: encode: not checked: image 0 of the sequence could not be"
                + " encoded, so the dictionary no longer matches the reference's");
        assertThat(glz.lastLine()).isEqualTo("0 passed, 2 failed, 0 skipped");
        assertThat(glz.out() + glz.err()).doesNotContain("Exception").doesNotContain("\tat ");

        Run all = run("vectors", "verify", set);
        assertThat(all.lastLine()).isEqualTo("3 passed, 2 failed, 0 skipped");
    }

    /** The whole vendored public set, every codec both ways: nothing may be skipped any more. */
    @Test
    void vendoredSetPassesCompletely() {
        Run r = run("vectors", "verify", Path.of("..", "vectors"));
        assertThat(r.err()).isEmpty();
        assertThat(r.outLines()).containsExactly("131 passed, 0 failed, 0 skipped");
        assertThat(r.status()).isZero();
    }

    @Test
    void vendoredGlzSequencesPass() {
        Run r = run("vectors", "verify", "--codec", "glz", "-v", Path.of("..", "vectors"));
        assertThat(r.err()).isEmpty();
        assertThat(r.outLines()).hasSize(40).contains("ok   glz/scroll/00", "ok   glz/mixed/14",
                "ok   glz/desktop_1080/00");
        assertThat(r.lastLine()).isEqualTo("39 passed, 0 failed, 0 skipped");
        assertThat(r.status()).isZero();
    }

    /**
     * A damaged stream in the middle of a sequence fails its image. The encoder does not need
     * the file, so every later encode is still checked and passes; later decodes that refer to
     * the lost image fail and say which image is missing.
     */
    @Test
    void aDamagedGlzFileFailsItsImage() throws Exception {
        Path set = copyVendoredSet(tmp.resolve("set"));
        flipByte(set.resolve("glz/repeat/01.glz"), 200);
        Run r = run("vectors", "verify", "--codec", "glz", set);
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEmpty();
        List<String> fails = r.outLines().stream().filter(l -> l.startsWith("FAIL ")).toList();
        assertThat(fails.get(0)).startsWith("FAIL glz/repeat/01: encoded file glz/repeat/01.glz: sha256 expected ");
        assertThat(fails).allMatch(l -> l.startsWith("FAIL glz/repeat/"));
        assertThat(fails).noneMatch(l -> l.contains(": encode:"));
        assertThat(fails.subList(1, fails.size()))
                .allMatch(l -> l.contains(": decode: ") && l.contains("of the sequence could not be decoded)"));
        long failedImages = fails.stream().map(l -> l.substring(5, l.indexOf(':'))).distinct().count();
        assertThat(r.lastLine()).isEqualTo((39 - failedImages) + " passed, " + failedImages + " failed, 0 skipped");

        // A wrong stream that the manifest agrees with: the encoder and decoder checks catch it.
        byte[] b = Files.readAllBytes(set.resolve("glz/repeat/01.glz"));
        String oldSha = VectorSet.load(set).find("glz/repeat/01").encoded().sha256();
        editManifest(set, oldSha, VectorSet.sha256Hex(b, 0, b.length));
        Run wrong = run("vectors", "verify", "--codec", "glz", set);
        assertThat(wrong.status()).isEqualTo(1);
        assertThat(wrong.outLines()).anyMatch(l -> l.startsWith("FAIL glz/repeat/01: encode: expected sha256 ")
                && l.endsWith("first difference at byte 200"));
    }

    @Test
    void anUnknownCodecIsAUsageError() {
        Run r = run("vectors", "verify", "--codec", "jpeg", miniSet());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("spicecodec vectors verify: unknown codec 'jpeg' (known: glz, lz, quic)"
                + " (see 'spicecodec vectors verify --help')" + System.lineSeparator());
    }

    @Test
    void notAVectorSet() throws Exception {
        Run missing = run("vectors", "verify", tmp.resolve("absent"));
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err().strip()).isEqualTo("spicecodec vectors verify: no such directory: " + tmp.resolve("absent"));

        Run empty = run("vectors", "verify", tmp);
        assertThat(empty.status()).isEqualTo(1);
        assertThat(empty.err()).contains("is not a vector set: it has no manifest.json");

        Files.writeString(tmp.resolve("manifest.json"), "{\"format_version\": 1,\n \"vectors\": [}");
        Run broken = run("vectors", "verify", tmp);
        assertThat(broken.status()).isEqualTo(1);
        assertThat(broken.err().lines()).hasSize(1);
        assertThat(broken.err()).contains("malformed JSON at line 2, column 14");
    }

    private static byte[] flipByte(Path file, int at) throws Exception {
        byte[] b = Files.readAllBytes(file);
        b[at] ^= 0x10;
        Files.write(file, b);
        return b;
    }

    private static void editManifest(Path set, String from, String to) throws Exception {
        Path m = set.resolve("manifest.json");
        String s = Files.readString(m);
        assertThat(s).contains(from);
        Files.writeString(m, s.replace(from, to));
    }
}
