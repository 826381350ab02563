package org.spicecodec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Runs the CLI in-process and captures what it prints. */
final class CliTestSupport {
    private CliTestSupport() {
    }

    record Run(int status, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }

        String lastLine() {
            List<String> lines = outLines();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }

    static Run run(Object... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] a = Stream.of(args).map(String::valueOf).toArray(String[]::new);
        int status = SpicecodecCli.run(new PrintWriter(out), new PrintWriter(err), a);
        return new Run(status, out.toString(), err.toString());
    }

    /** The mini vector set on the test classpath: three QUIC vectors copied from the public set. */
    static Path miniSet() {
        try {
            return Path.of(CliTestSupport.class.getResource("/vectors-mini/manifest.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A writable copy of the mini set under {@code dir}. */
    static Path copyMiniSet(Path dir) throws IOException {
        return copyTree(miniSet(), dir);
    }

    /** The vendored public set (surefire runs in the cli directory). */
    static Path vendoredSet() {
        return Path.of("..", "vectors");
    }

    /** A writable copy of the vendored public set under {@code dir} (19 MB). */
    static Path copyVendoredSet(Path dir) throws IOException {
        return copyTree(vendoredSet(), dir);
    }

    private static Path copyTree(Path src, Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(src)) {
            files.forEach(p -> {
                try {
                    Path dst = dir.resolve(src.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(dst);
                    } else {
                        Files.copy(p, dst);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return dir;
    }
}
