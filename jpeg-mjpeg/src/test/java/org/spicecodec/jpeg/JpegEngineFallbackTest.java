package org.spicecodec.jpeg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real fallback: a JVM whose class path lacks the linux-x86_64 native jars cannot load FFmpeg,
 * so {@link JpegEngines#create()} gives ImageIO, logs the reason once, and
 * {@link JpegEngines#ffmpeg()} names the failure.
 */
class JpegEngineFallbackTest {

    private static List<String> testClassPath() {
        // Surefire runs tests from a manifest-only jar and passes the real path in this property.
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.asList(cp.split(File.pathSeparator));
    }

    private static String run(List<String> classPath, Path dir, String... props) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-cp", String.join(File.pathSeparator, classPath)));
        cmd.addAll(Arrays.asList(props));
        cmd.add(EngineProbeMain.class.getName());
        Path log = dir.resolve("out.txt");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void withoutNativeJarsTheEngineIsImageIoAndTheReasonIsLoggedOnce(@TempDir Path dir) throws Exception {
        List<String> all = testClassPath();
        List<String> noNatives = all.stream().filter(e -> !e.contains("linux-x86_64")).collect(Collectors.toList());
        assertThat(noNatives.size()).as("the test class path holds the native jars").isLessThan(all.size());

        String out = run(noNatives, dir, "-Dorg.bytedeco.javacpp.cachedir=" + dir.resolve("cache"));
        assertThat(out).contains("engine=imageio,imageio").contains("bytes=");
        assertThat(out).contains("ffmpeg=unavailable: FFmpeg natives (org.bytedeco:ffmpeg for linux-x86_64) cannot load");
        // System.Logger (java.util.logging by default) prints the fallback once for two create() calls.
        int first = out.indexOf("JPEG engine: using ImageIO (pure Java) because FFmpeg natives");
        assertThat(first).as(out).isNotNegative();
        assertThat(out.indexOf("JPEG engine: using ImageIO", first + 1)).isNegative();

        // Forcing FFmpeg cannot bring the natives back: still ImageIO, with the reason.
        String forced = run(noNatives, dir, "-D" + JpegEngines.PROPERTY + "=ffmpeg",
                "-Dorg.bytedeco.javacpp.cachedir=" + dir.resolve("cache"));
        assertThat(forced).contains("engine=imageio,imageio").contains("because FFmpeg natives");
    }

    @Test
    void withNativeJarsTheDefaultIsFfmpegAndThePropertyForcesImageIo(@TempDir Path dir) throws Exception {
        List<String> all = testClassPath();
        assertThat(run(all, dir)).contains("engine=ffmpeg,ffmpeg").contains("ffmpeg=ok")
                .doesNotContain("using ImageIO");
        assertThat(run(all, dir, "-D" + JpegEngines.PROPERTY + "=imageio")).contains("engine=imageio,imageio")
                .doesNotContain("using ImageIO");
    }
}
