package org.spicecodec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.spicecodec.cli.CliTestSupport.miniSet;
import static org.spicecodec.cli.CliTestSupport.run;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spicecodec.cli.CliTestSupport.Run;

class UsageTest {
    @TempDir
    Path tmp;

    @Test
    void helpListsTheCommands() {
        Run r = run("--help");
        assertThat(r.status()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).startsWith("Usage: spicecodec [-hV] [COMMAND]")
                .contains("encode", "decode", "vectors", "corpus");
    }

    @ParameterizedTest
    @ValueSource(strings = {"encode", "decode", "vectors", "corpus"})
    void everyCommandHasHelp(String command) {
        Run r = run(command, "--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("Usage: spicecodec " + command);
        assertThat(run("help", command).out()).isEqualTo(r.out());
    }

    @Test
    void verifyHasHelp() {
        Run r = run("vectors", "verify", "--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("Usage: spicecodec vectors verify");
    }

    @Test
    void versionNamesTheProject() {
        Run r = run("--version");
        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("spicecodec ").doesNotContain("unknown").doesNotContain("${");
        assertThat(run("encode", "--version").out()).isEqualTo(r.out());
    }

    /** Each case is a usage mistake: exit 2, one line on stderr, nothing on stdout, no stack trace. */
    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "bogus",
        "vectors",
        "encode",
        "encode in.raw",
        "encode in.raw out.quic",
        "encode --type RGB32 in.raw out.quic",
        "encode --type RGB99 -W 2 -H 2 in.raw out.quic",
        "encode --type RGB32 -W abc -H 2 in.raw out.quic",
        "encode --type RGB32 -W 0 -H 2 in.raw out.quic",
        "encode --type RGB32 -W 4 -H 2 --stride 15 in.raw out.quic",
        "encode --codec glz --type XXXA -W 4 -H 2 in.raw outdir",
        "encode --codec glz --window 0 --type RGB32 -W 4 -H 2 in.raw outdir",
        "encode --window 100 --type RGB32 -W 4 -H 2 in.raw out.quic",
        "encode --codec quic --type RGB32 -W 4 -H 2 a.raw b.raw out.quic",
        "encode --codec lz4 --type GRAY -W 4 -H 2 in.raw out.lz4",
        "encode --codec vmc-lz4 --type RGB32 in.bin out.body",
        "encode --codec lz --type GRAY -W 4 -H 2 in.raw out.lz",
        "decode --codec lz --to-type GRAY in.lz out.raw",
        "encode --codec nope --type RGB32 -W 4 -H 2 in.raw out.quic",
        "encode --stride 10 in.png out.quic",
        "encode --type RGB32 -W 4 -H 2 in.raw out.quic extra",
        "decode",
        "decode in.quic",
        "decode --to-type CMYK in.quic out.raw",
        "decode --codec webp in.quic out.raw",
        "decode --codec lz4 in.lz4 out.raw",
        "decode --codec lz4 -W 4 in.lz4 out.raw",
        "decode --codec lz4 -W 0 -H 4 in.lz4 out.raw",
        "decode --codec quic -W 4 -H 4 in.quic out.raw",
        "decode --codec glz --to-type RGB24 a.glz outdir",
        "decode --codec lz --png in.lz out.raw",
        "decode --codec vmc-lz4 --to-type RGB32 in.body out.bin",
        "decode --codec quic a.quic b.quic out.raw",
        "vectors verify",
        "vectors verify --codec",
        "corpus --min-time -1",
        "corpus --unknown",
    })
    void usageErrors(String args) {
        Run r = run((Object[]) (args.isEmpty() ? new String[0] : args.split(" ")));
        assertThat(r.status()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("spicecodec").contains("--help')")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void missingInputIsAFailureNotAUsageError() {
        Run r = run("decode", tmp.resolve("nope.quic"), tmp.resolve("o.raw"));
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("spicecodec decode: no such file: " + tmp.resolve("nope.quic"));

        Run e = run("encode", "-t", "GRAY", "-W", 1, "-H", 1, tmp.resolve("nope.raw"), tmp.resolve("o"));
        assertThat(e.status()).isEqualTo(1);
        assertThat(e.err().strip()).isEqualTo("spicecodec encode: no such file: " + tmp.resolve("nope.raw"));
    }

    @Test
    void unwritableOutputIsAFailure() {
        Path out = tmp.resolve("missing-dir/o.raw");
        Run r = run("decode", miniSet().resolve("quic/gray_1x1.quic"), out);
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("spicecodec decode: no such file: " + out);
        Run png = run("decode", miniSet().resolve("quic/gray_1x1.quic"), tmp.resolve("missing-dir/o.png"));
        assertThat(png.status()).isEqualTo(1);
        assertThat(png.err()).contains("no such file");
    }

    @Test
    void unreadablePngIsAFailure() throws Exception {
        Path fake = tmp.resolve("fake.png");
        java.nio.file.Files.writeString(fake, "not a png");
        Run r = run("encode", fake, tmp.resolve("o.quic"));
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("not a readable image");
    }
}
