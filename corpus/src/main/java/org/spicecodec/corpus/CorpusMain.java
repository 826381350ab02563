package org.spicecodec.corpus;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Minimal command line for running the corpus from this module alone:
 * {@code java -cp ... org.spicecodec.corpus.CorpusMain [--corpus DIR] [--out DIR] [--video quick|full|off]}.
 * The spicecodec CLI ({@code spicecodec corpus}) is the supported entry point.
 */
public final class CorpusMain {
    private CorpusMain() {
    }

    public static void main(String[] args) {
        CorpusRunner.Builder b = CorpusRunner.builder().progress(System.err);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--corpus", "--out" -> {
                    if (i + 1 == args.length) {
                        fail(args[i] + " needs a directory");
                    }
                    Path p = Path.of(args[++i]);
                    if (args[i - 1].equals("--corpus")) {
                        b.corpus(p);
                    } else {
                        b.out(p);
                    }
                }
                case "--video" -> {
                    if (i + 1 == args.length) {
                        fail("--video needs quick, full or off");
                    }
                    try {
                        b.video(VideoMatrix.named(args[++i]));
                    } catch (IllegalArgumentException e) {
                        fail(e.getMessage());
                    }
                }
                case "-h", "--help" -> {
                    System.out.println("usage: corpus [--corpus DIR] [--out DIR] [--video quick|full|off]"
                            + "   (default: embedded corpus, ./corpus-report, quick)");
                    return;
                }
                default -> fail("unknown argument: " + args[i]);
            }
        }
        try {
            CorpusResult r = b.build().run(System.out);
            System.exit(r.ok() ? 0 : 1);
        } catch (IllegalArgumentException | IOException e) {
            fail(e.getMessage());
        }
    }

    private static void fail(String message) {
        System.err.println("corpus: " + message);
        System.exit(2);
    }
}
