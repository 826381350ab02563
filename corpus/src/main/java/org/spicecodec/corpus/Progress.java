package org.spicecodec.corpus;

import java.io.PrintStream;

/**
 * Progress on a side stream. On a terminal: one line rewritten in place with {@code \r}.
 * Otherwise (a log, a pipe): a plain line at most every few seconds, so logs stay short.
 */
final class Progress {
    private static final int WIDTH = 100;
    private static final long PLAIN_INTERVAL_NANOS = 2_000_000_000L;

    private final PrintStream ps;
    private final boolean interactive;
    private final int total;
    private final long start = System.nanoTime();
    private long lastPlain = Long.MIN_VALUE;
    private int shown;

    /** {@code ps} may be null for no progress at all. */
    Progress(PrintStream ps, boolean interactive, int total) {
        this.ps = ps;
        this.interactive = interactive;
        this.total = total;
    }

    /** Shows that {@code done} of the items are finished and {@code current} is under way. */
    void update(int done, String current) {
        if (ps == null) {
            return;
        }
        String text = String.format("[%" + digits() + "d/%d] %3d%%  %s", done, total,
                total == 0 ? 100 : done * 100 / total, current);
        if (interactive) {
            if (text.length() > WIDTH) {
                text = text.substring(0, WIDTH - 3) + "...";
            }
            // Pad with spaces to wipe the tail of a longer previous line.
            ps.print("\r" + text + " ".repeat(Math.max(0, shown - text.length())));
            shown = text.length();
            ps.flush();
        } else {
            long now = System.nanoTime();
            if (lastPlain == Long.MIN_VALUE || now - lastPlain >= PLAIN_INTERVAL_NANOS) {
                ps.println(text);
                lastPlain = now;
            }
        }
    }

    /** Prints a message on its own line, keeping the progress line intact below it. */
    void message(String line) {
        if (ps == null) {
            return;
        }
        if (interactive && shown > 0) {
            ps.print("\r" + " ".repeat(shown) + "\r");
            shown = 0;
        }
        ps.println(line);
        ps.flush();
    }

    /** Ends the progress display with a final count and the elapsed time. */
    void finish() {
        if (ps == null) {
            return;
        }
        String text = String.format("[%d/%d] done in %.1f s", total, total, (System.nanoTime() - start) / 1e9);
        if (interactive) {
            ps.println("\r" + text + " ".repeat(Math.max(0, shown - text.length())));
            shown = 0;
        } else {
            ps.println(text);
        }
        ps.flush();
    }

    private int digits() {
        return Integer.toString(Math.max(total, 1)).length();
    }
}
