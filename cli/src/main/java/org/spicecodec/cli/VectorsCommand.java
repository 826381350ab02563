package org.spicecodec.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.spicecodec.core.vectors.Vector;
import org.spicecodec.core.vectors.VectorSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "vectors",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        usageHelpAutoWidth = true,
        description = "Work with golden vector sets (a directory with a manifest.json).",
        subcommands = VectorsCommand.Verify.class)
final class VectorsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: verify");
    }

    @Command(name = "verify",
            mixinStandardHelpOptions = true,
            versionProvider = VersionProvider.class,
            sortOptions = false,
            usageHelpAutoWidth = true,
            description = {
                "Checks every vector of DIR both ways: encoding the input must give the encoded file byte for"
                    + " byte, and decoding it to each listed type must give the listed sha256.",
                "GLZ sequences are checked in order, each through one dictionary of its window size and one"
                    + " decoder window; each image counts as one vector.",
                "Prints one line per failed check, then a line counting skipped vectors (codecs not"
                    + " implemented), and last 'N passed, N failed, N skipped'. Exit status 1 if any failed."
            })
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--codec", paramLabel = "CODEC", description = "Only vectors of this codec: quic, lz, glz.")
        String codec;

        @Option(names = {"-v", "--verbose"}, description = "Also print a line per passed vector.")
        boolean verbose;

        @Parameters(index = "0", paramLabel = "DIR", description = "The vector set's directory.")
        Path dir;

        @Override
        public Integer call() throws Exception {
            if (!Files.isDirectory(dir)) {
                throw new CliException(Files.exists(dir) ? "not a directory: " + dir : "no such directory: " + dir);
            }
            VectorSet set;
            try {
                set = VectorSet.load(dir);
            } catch (NoSuchFileException e) {
                throw new CliException(dir + " is not a vector set: it has no manifest.json");
            }
            String filter = codec == null ? null : codec.toLowerCase(Locale.ROOT);
            if (filter != null) {
                TreeSet<String> known = new TreeSet<>(java.util.List.of("quic", "lz", "glz"));
                set.allVectors().stream().map(Vector::codec).forEach(known::add);
                if (!known.contains(filter)) {
                    throw new ParameterException(spec.commandLine(), "unknown codec '" + codec + "' (known: "
                            + String.join(", ", known) + ")");
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            VectorVerifier verifier = new VectorVerifier(set, out, verbose);
            verifier.run(filter);
            String skippedLine = verifier.skippedLine();
            if (skippedLine != null) {
                out.println(skippedLine);
            }
            out.println(verifier.summaryLine());
            out.flush();
            return verifier.failed == 0 ? SpicecodecCli.EXIT_OK : SpicecodecCli.EXIT_FAILURE;
        }
    }
}
