package org.spicecodec.lz4;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** {@link Lz4Codec#getDefault()} obeys the system property, in a fresh JVM. */
class Lz4DefaultPropertyTest {

    /** Run in the child JVM: prints the default codec's implementation. */
    public static void main(String[] args) {
        System.out.println("IMPL=" + Lz4Codec.getDefault().impl());
    }

    private static String run(String setting) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-D" + Lz4Codec.IMPL_PROPERTY + "=" + setting,
                "-cp", System.getProperty("java.class.path"), Lz4DefaultPropertyTest.class.getName()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void javaIsForcedByTheProperty() throws Exception {
        String out = run("java");
        assertThat(out).contains("IMPL=JAVA").contains("spicecodec LZ4: using java (safe)");
        // The JNI library is not even loaded, so no JVM warning about it.
        assertThat(out).doesNotContain("loadLibrary");
    }

    @Test
    void nativeIsUsedWhenAskedForAndAvailable() throws Exception {
        String out = run("native");
        assertThat(out).contains(Lz4Codec.nativeAvailable() ? "IMPL=NATIVE" : "IMPL=JAVA");
    }
}
