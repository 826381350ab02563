package org.spicecodec.video.ffmpeg;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;
import org.spicecodec.core.SpiceBitmap;

/**
 * Copies a frame's rows into the encoder's native input buffer on two threads: the caller
 * copies the top band while one persistent worker copies the bottom band (a 1920x1080 RGB32
 * frame is 8 MB, about 1 ms of one core). The worker is started on the first large frame and
 * stopped by {@link #close()}.
 *
 * <p>Hand-over without allocation: the job is written into plain fields, published by the
 * volatile {@code requested} counter and the worker unparked; the worker answers through the
 * volatile {@code completed} counter and unparks the caller, who spins briefly before parking
 * since the two bands finish at about the same time.
 */
final class RowCopier implements AutoCloseable {
    /** Below this many bytes a copy is not worth waking a thread for. */
    static final int MIN_PARALLEL_BYTES = 1 << 20;
    /** Spin iterations before parking (a few microseconds). */
    private static final int SPINS = 2000;

    private Thread worker;
    private volatile boolean stop;
    private volatile int requested;
    private volatile int completed;
    private volatile Throwable failure;

    // The job, published by the write of `requested`.
    private Thread caller;
    private SpiceBitmap bitmap;
    private int firstRow;
    private int rows;
    private int skipBytes;
    private int rowBytes;
    private int padBytes;
    private boolean padRow;
    private ByteBuffer dst;
    private int dstFirstRow;
    private int dstStride;

    /**
     * {@link BitmapRows#copyIn}, split in two bands when {@code parallel} and the frame is large;
     * returns when all rows are in {@code dst}.
     */
    void copyIn(SpiceBitmap bm, int first, int n, int skip, int bytes, int pad, boolean padLastRow,
                ByteBuffer to, int stride, boolean parallel) {
        if (!parallel || stop || n < 2 || (long) n * bytes < MIN_PARALLEL_BYTES) {
            BitmapRows.copyIn(bm, first, n, skip, bytes, pad, padLastRow, to, 0, stride);
            return;
        }
        if (worker == null) {
            start();
        }
        int top = n / 2;
        caller = Thread.currentThread();
        bitmap = bm;
        firstRow = first + top;
        rows = n - top;
        skipBytes = skip;
        rowBytes = bytes;
        padBytes = pad;
        padRow = padLastRow;
        dst = to;
        dstFirstRow = top;
        dstStride = stride;
        int job = requested + 1;
        requested = job;
        LockSupport.unpark(worker);
        Throwable mine = null;
        try {
            BitmapRows.copyIn(bm, first, top, skip, bytes, pad, false, to, 0, stride);
        } catch (RuntimeException | Error e) {
            mine = e; // still wait: the worker must not write into the buffer after we return
        }
        awaitCompleted(job);
        bitmap = null; // hold no frame between calls
        dst = null;
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
    }

    private void awaitCompleted(int job) {
        for (int i = 0; completed != job; i++) {
            if (i < SPINS) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
    }

    private void start() {
        Thread t = new Thread(this::run, "spice-ffmpeg-row-copy");
        t.setDaemon(true); // an encoder left unclosed must not keep the JVM alive
        worker = t;
        t.start();
    }

    private void run() {
        int done = 0;
        while (!stop) {
            int job = requested;
            if (job == done) {
                // No spinning here: the caller is busy with its own band while we wake up,
                // and an idle spin would take CPU from the encoder's threads.
                LockSupport.park(this);
                continue;
            }
            try {
                BitmapRows.copyIn(bitmap, firstRow, rows, skipBytes, rowBytes, padBytes, padRow, dst, dstFirstRow, dstStride);
            } catch (Throwable t) {
                failure = t;
            }
            done = job;
            Thread c = caller;
            completed = job;
            LockSupport.unpark(c);
        }
    }

    /** Stops the worker (it owns nothing native; the buffer stays the caller's). */
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
