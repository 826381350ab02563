package org.spicecodec.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.spicecodec.corpus.CorpusResult;
import org.spicecodec.corpus.CorpusRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "corpus",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Runs every codec over a corpus of pictures: checks lossless round trips, measures sizes and"
                + " speeds, prints a table and writes results.csv and chart.png.",
            "Exit status 1 if any codec failed or a lossless round trip was not exact."
        })
final class CorpusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    SpicecodecCli parent;

    @Option(names = "--corpus", paramLabel = "DIR",
            description = "Corpus directory, one folder per category (DIR/desktop/*.png, ...)."
                    + " Default: the corpus embedded in spicecodec.")
    Path corpus;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the report. Default: ${DEFAULT-VALUE}.")
    Path out = CorpusRunner.DEFAULT_OUT;

    @Option(names = "--min-time", paramLabel = "MS", defaultValue = "60",
            description = "Repeat each timing until it lasts this many milliseconds; 0 times a single run."
                    + " Default: ${DEFAULT-VALUE}.")
    long minTimeMillis;

    @Override
    public Integer call() throws Exception {
        if (minTimeMillis < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--min-time must be 0 or more, got " + minTimeMillis);
        }
        boolean system = parent != null && parent.systemStreams;
        // The runner prints to PrintStreams; in-process callers get its output through their writers.
        PrintStream stdout = system ? System.out : stream(spec.commandLine().getOut());
        PrintStream stderr = system ? System.err : stream(spec.commandLine().getErr());
        CorpusResult r = CorpusRunner.builder()
                .corpus(corpus)
                .out(out)
                .progress(stderr)
                .interactiveProgress(system && System.console() != null)
                .minMeasureMillis(minTimeMillis)
                .build()
                .run(stdout);
        stdout.flush();
        stderr.flush();
        return r.ok() ? SpicecodecCli.EXIT_OK : SpicecodecCli.EXIT_FAILURE;
    }

    private static PrintStream stream(java.io.PrintWriter w) {
        return new PrintStream(new LineOutputStream(w), true, StandardCharsets.UTF_8);
    }
}
