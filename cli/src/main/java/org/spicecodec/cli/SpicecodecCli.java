package org.spicecodec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.vectors.VectorSetException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** The {@code spicecodec} command: encode, decode, verify golden vectors, run the corpus. */
@Command(name = "spicecodec",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Codecs of the SPICE remote-desktop protocol, byte-exact with the reference C code.",
        subcommands = {
            EncodeCommand.class,
            DecodeCommand.class,
            VectorsCommand.class,
            CorpusCommand.class,
            VideoCommand.class,
            MjpegCommand.class,
            CommandLine.HelpCommand.class
        },
        footer = {"", "Exit status: 0 success, 1 failure (bad data, failed checks, I/O error), 2 usage error.",
            "Set SPICECODEC_DEBUG=1 to see stack traces."})
public final class SpicecodecCli implements Runnable {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;

    @Spec
    CommandSpec spec;

    /** True when running as the program, so subcommands may use System.out/err directly (live progress, TTY detection). */
    boolean systemStreams;

    /** Without a subcommand, explain what there is instead of doing nothing silently. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: one of encode, decode, vectors, corpus");
    }

    /**
     * The library logs its LZ4 implementation choice at INFO, which would be noise on every
     * LZ4 command; the tool shows warnings only, unless debugging. A strong reference, since
     * java.util.logging forgets the level of a logger nobody holds.
     */
    private static final java.util.logging.Logger LZ4_LOG =
            java.util.logging.Logger.getLogger("org.spicecodec.lz4.Lz4Codec");

    public static void main(String[] args) {
        // Image conversion needs no display; without this a desktop JVM may pop up an AWT app.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        if (!debug()) {
            LZ4_LOG.setLevel(java.util.logging.Level.WARNING);
        }
        int status;
        try {
            SpicecodecCli app = new SpicecodecCli();
            app.systemStreams = true;
            status = configure(new CommandLine(app)).execute(args);
        } catch (OutOfMemoryError e) {
            // Large images can exceed the default heap; say how to fix it instead of dumping a trace.
            System.err.println("spicecodec: out of memory; give Java more heap, e.g. JAVA_TOOL_OPTIONS=-Xmx4g");
            status = EXIT_FAILURE;
        }
        System.exit(status);
    }

    /** Runs the tool in-process with the given streams; for tests and embedding. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = newCommandLine();
        cl.setOut(out);
        cl.setErr(err);
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The command line with the error handling every entry point shares. */
    public static CommandLine newCommandLine() {
        return configure(new CommandLine(new SpicecodecCli()));
    }

    private static CommandLine configure(CommandLine cl) {
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler(new UsageErrorHandler());
        cl.setExecutionExceptionHandler(new FailureHandler());
        cl.setExitCodeExceptionMapper(t -> t instanceof CliException c ? c.exitCode() : EXIT_FAILURE);
        return cl;
    }

    static boolean debug() {
        String d = System.getenv("SPICECODEC_DEBUG");
        return d != null && !d.isEmpty() && !d.equals("0");
    }

    /** Bad arguments: one line naming the problem and where to read more; exit 2. */
    private static final class UsageErrorHandler implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException ex, String[] args) {
            CommandLine cl = ex.getCommandLine();
            PrintWriter err = cl.getErr();
            if (debug()) {
                ex.printStackTrace(err);
            }
            String name = cl.getCommandSpec().qualifiedName();
            err.println(name + ": " + oneLine(ex.getMessage()) + " (see '" + name + " --help')");
            err.flush();
            return EXIT_USAGE;
        }
    }

    /** Failures while running: one line, exit 1 (or the status a {@link CliException} carries). */
    private static final class FailureHandler implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
            PrintWriter err = cl.getErr();
            if (debug()) {
                ex.printStackTrace(err);
            }
            int status = ex instanceof CliException c ? c.exitCode() : EXIT_FAILURE;
            err.println(cl.getCommandSpec().qualifiedName() + ": " + oneLine(describe(ex)));
            err.flush();
            return status;
        }
    }

    /** A user-facing description of an exception: what went wrong, without Java class names where possible. */
    static String describe(Throwable ex) {
        if (ex instanceof UncheckedIOException u && u.getCause() != null) {
            return describe(u.getCause());
        }
        if (ex instanceof CliException || ex instanceof VectorSetException) {
            return ex.getMessage();
        }
        if (ex instanceof MalformedInputException m) {
            return "malformed input at offset " + m.offset() + ": " + m.reason();
        }
        if (ex instanceof NoSuchFileException f) {
            return "no such file: " + f.getFile();
        }
        if (ex instanceof AccessDeniedException f) {
            return "permission denied: " + f.getFile();
        }
        if (ex instanceof NotDirectoryException f) {
            return "not a directory: " + f.getFile();
        }
        if (ex instanceof FileAlreadyExistsException f) {
            return "already exists: " + f.getFile();
        }
        if (ex instanceof IOException) {
            return "I/O error: " + (ex.getMessage() != null ? ex.getMessage() : ex.getClass().getSimpleName());
        }
        if (ex instanceof IllegalArgumentException && ex.getMessage() != null) {
            return ex.getMessage();
        }
        // Anything else is a bug in spicecodec; still one line, but say so.
        return "internal error: " + ex;
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        return s.strip().replaceAll("\\s*[\\r\\n]+\\s*", "; ");
    }
}
