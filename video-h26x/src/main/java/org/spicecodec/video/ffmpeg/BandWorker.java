package org.spicecodec.video.ffmpeg;

import java.util.concurrent.locks.LockSupport;

/**
 * Splits per-frame work (converting row pairs, or copying rows) between the caller and one
 * persistent worker thread: the caller does the first band while the worker does the second.
 * The worker is started on the first parallel job and stopped by {@link #close()}.
 *
 * <p>Hand-over without allocation: the job is written into plain fields, published by the
 * volatile {@code requested} counter and the worker unparked; the worker answers through the
 * volatile {@code completed} counter and unparks the caller, who spins briefly before parking
 * since the two bands finish at about the same time. A failure in either band is rethrown to
 * the caller after both have finished, so the worker never writes after {@link #run} returns.
 */
final class BandWorker implements AutoCloseable {
    /** Work on items {@code [from, to)}; {@code band} is 0 on the caller's thread, 1 on the worker. */
    @FunctionalInterface
    interface Band {
        void run(int from, int to, int band);
    }

    /** Spin iterations before parking (a few microseconds). */
    private static final int SPINS = 2000;

    private final String threadName;
    private Thread worker;
    private volatile boolean stop;
    private volatile int requested;
    private volatile int completed;
    private volatile Throwable failure;

    // The job, published by the write of `requested`.
    private Thread caller;
    private Band task;
    private int from;
    private int to;

    BandWorker(String threadName) {
        this.threadName = threadName;
    }

    /**
     * Runs {@code task} over {@code [0, count)}: {@code [0, split)} here and {@code [split, count)}
     * on the worker when {@code parallel} (and the worker has not been stopped), else all here.
     * Returns when both bands are done.
     */
    void run(Band job, int count, int split, boolean parallel) {
        if (!parallel || stop || split <= 0 || split >= count) {
            job.run(0, count, 0);
            return;
        }
        if (worker == null && !start()) {
            job.run(0, count, 0);
            return;
        }
        caller = Thread.currentThread();
        task = job;
        from = split;
        to = count;
        int n = requested + 1;
        requested = n;
        LockSupport.unpark(worker);
        Throwable mine = null;
        try {
            job.run(0, split, 0);
        } catch (Throwable e) {
            mine = e; // still wait: the worker must not write after we return
        }
        boolean interrupted = false;
        for (int i = 0; completed != n; i++) {
            if (i < SPINS) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
                interrupted |= Thread.interrupted(); // else park would return at once: a spin
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        task = null; // hold no frame between calls
        Throwable theirs = failure;
        failure = null;
        if (mine == null) {
            mine = theirs;
        }
        if (mine instanceof RuntimeException re) {
            throw re;
        }
        if (mine instanceof Error er) {
            throw er;
        }
        if (mine != null) {
            throw new IllegalStateException(mine);
        }
    }

    /** Starts the worker; false (and work stays on the caller) if no thread can be started. */
    private boolean start() {
        Thread t = new Thread(this::loop, threadName);
        t.setDaemon(true); // an encoder left unclosed must not keep the JVM alive
        try {
            t.start();
        } catch (OutOfMemoryError e) {
            stop = true; // "unable to create native thread": carry on single-threaded
            return false;
        }
        worker = t;
        return true;
    }

    private void loop() {
        int done = 0;
        while (!stop) {
            int n = requested;
            if (n == done) {
                // No spinning here: the caller is busy with its own band while we wake up,
                // and an idle spin would take CPU from the encoder's threads.
                LockSupport.park(this);
                Thread.interrupted(); // nobody interrupts this thread on purpose; never spin
                continue;
            }
            try {
                task.run(from, to, 1);
            } catch (Throwable t) {
                failure = t;
            }
            done = n;
            Thread c = caller;
            completed = n;
            LockSupport.unpark(c);
        }
    }

    /** Stops the worker (it owns nothing native). Later jobs run on the caller's thread. */
    @Override
    public void close() {
        stop = true;
        Thread t = worker;
        if (t != null) {
            LockSupport.unpark(t);
            worker = null;
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether a worker thread is running (for tests). */
    boolean running() {
        return worker != null && worker.isAlive();
    }
}
