package org.spicecodec.video.ffmpeg;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.video.EncodedFrame;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.video.FramePipeline;
import org.spicecodec.video.VideoEncoderConfig;

/**
 * {@link FramePipeline} over {@link FfmpegFrameCompressor}: the caller's thread copies and
 * converts frame N+1 into one of two {@code AVFrame}s while an encoding thread sends frame N
 * to the codec and hands its packet to the sink.
 *
 * <p>The two threads share nothing but the slots: conversion state (band worker, swscale
 * context, input buffer) is the caller's, the codec context and packet the encoding thread's.
 * Whatever touches both, a new size and a bit-rate change that reopens the codec (every
 * encoder but x264), first waits until nothing is in flight. x264's bit-rate changes travel
 * with the frame they apply to and are made on the encoding thread (or, when that frame
 * reopens the codec anyway, before the reopening, as the synchronous encoder does).
 *
 * <p>Hand-over without allocation: frame n uses slot {@code n & 1}; the caller publishes it by
 * the volatile {@code submitted} count and the encoding thread answers by {@code encoded}.
 * Waiting spins for a few microseconds, then parks; parks are bounded (1 ms for the caller,
 * 100 ms for the idle encoding thread), so even a lost wake-up could not hang either. A pipeline dropped without {@link #close()}
 * is cleaned up: the thread holds only the {@link Engine}, and a {@link Cleaner} stops it and
 * frees the codec (unless the sink itself refers to the pipeline, which keeps it reachable).
 * Every public method fences the pipeline's reachability so that the Cleaner cannot free the
 * codec under a call in progress.
 */
final class FfmpegFramePipeline implements FramePipeline {
    private static final Cleaner CLEANER = Cleaner.create();

    private final Engine engine;
    private final Cleaner.Cleanable cleanup;

    FfmpegFramePipeline(VideoEncoderConfig config, FfmpegEncoder encoder, Sink sink) {
        this.engine = new Engine(new FfmpegFrameCompressor(config, encoder, 2), Objects.requireNonNull(sink, "sink"));
        this.cleanup = CLEANER.register(this, engine::shutdown);
    }

    @Override
    public VideoCodecType codec() {
        return engine.compressor.codec();
    }

    @Override
    public String backend() {
        return "ffmpeg";
    }

    @Override
    public void submit(SpiceBitmap bitmap, int srcLeft, int srcTop, int srcWidth, int srcHeight, long ptsNanos) {
        try {
            engine.submit(bitmap, srcLeft, srcTop, srcWidth, srcHeight, ptsNanos);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public void flush() {
        try {
            engine.checkCaller();
            engine.awaitEncoded(engine.submitted);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public void setBitRate(long bitsPerSecond) {
        try {
            engine.setBitRate(bitsPerSecond);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public void requestKeyFrame() {
        engine.checkCaller();
        engine.checkUsable();
        engine.keyRequested = true;
    }

    /**
     * Flushes and frees. A frame that failed on the encoding thread and has not been reported
     * by an earlier call is reported here (after freeing), so that no loss goes unnoticed.
     */
    @Override
    public void close() {
        if (engine.closed) {
            return;
        }
        engine.checkCaller(); // from the sink: throw rather than wait for (and join) ourselves
        IllegalStateException failed = null;
        try {
            if (engine.failure == null) {
                engine.awaitEncoded(engine.submitted);
            }
        } catch (IllegalStateException e) {
            failed = e; // a frame failed while we waited: thrown once the codec is freed
        } finally {
            cleanup.clean();
            Reference.reachabilityFence(this);
        }
        if (failed != null) {
            throw failed;
        }
        if (engine.failure != null && !engine.failureReported) {
            throw engine.failed();
        }
    }

    /** The state both threads share; never refers back to the pipeline object. */
    static final class Engine implements Runnable {
        private static final int SPINS = 4000;
        private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

        final FfmpegFrameCompressor compressor;
        private final Sink sink;
        private final EncodedFrame out = new EncodedFrame(1 << 16);

        // Per slot, written by the caller before publishing the frame.
        private final long[] pts = new long[2];
        private final boolean[] key = new boolean[2];
        private final long[] bitRate = new long[2];

        volatile long submitted;
        private volatile long encoded;
        volatile Throwable failure;
        private volatile boolean stop;
        private volatile Thread caller;
        volatile boolean closed;
        /** Whether the caller has been told about {@link #failure}. */
        boolean failureReported;
        private volatile Thread worker;

        // Caller-side requests, taken by the next submitted frame.
        boolean keyRequested;
        private long pendingBitRate;

        Engine(FfmpegFrameCompressor compressor, Sink sink) {
            this.compressor = compressor;
            this.sink = sink;
        }

        void submit(SpiceBitmap bitmap, int srcLeft, int srcTop, int srcWidth, int srcHeight, long ptsNanos) {
            Objects.requireNonNull(bitmap, "bitmap");
            checkCaller();
            checkUsable();
            long n = submitted;
            if (compressor.needsReopen(srcWidth, srcHeight)) {
                awaitEncoded(n); // the codec and both slots are about to be replaced
                if (pendingBitRate > 0) {
                    // Open at the new rate, as the synchronous encoder would.
                    compressor.setBitRate(pendingBitRate);
                    pendingBitRate = 0;
                }
            }
            boolean opened = compressor.prepare(bitmap, srcLeft, srcTop, srcWidth, srcHeight);
            awaitEncoded(n - 1); // frame n - 2, the slot's last user, is done
            int s = (int) (n & 1);
            compressor.convert(bitmap, srcLeft, srcTop, srcWidth, srcHeight, s);
            Thread w = worker;
            if (w == null) {
                w = new Thread(this, "spice-ffmpeg-encode");
                w.setDaemon(true); // an unclosed pipeline must not keep the JVM alive
                w.start(); // if this throws, nothing was published and no request was taken
                worker = w;
            }
            pts[s] = ptsNanos;
            key[s] = compressor.takeKeyRequest() | keyRequested | opened;
            keyRequested = false;
            bitRate[s] = pendingBitRate;
            pendingBitRate = 0;
            submitted = n + 1;
            LockSupport.unpark(w);
        }

        /** The sink runs on the encoding thread; a call back into the pipeline from there would wait for itself. */
        void checkCaller() {
            if (Thread.currentThread() == worker) {
                throw new IllegalStateException("the sink must not call the pipeline back (it runs on the encoding thread)");
            }
        }

        void setBitRate(long bitsPerSecond) {
            if (bitsPerSecond <= 0) {
                throw new IllegalArgumentException("bit rate must be positive, got " + bitsPerSecond);
            }
            checkCaller();
            checkUsable();
            if (compressor.bitRateChangeReopens()) {
                awaitEncoded(submitted); // the codec reopens on the caller's thread at the next frame
                compressor.setBitRate(bitsPerSecond);
            } else {
                pendingBitRate = bitsPerSecond;
            }
        }

        void checkUsable() {
            if (closed) {
                throw new IllegalStateException("pipeline closed");
            }
            if (failure != null) {
                throw failed();
            }
        }

        /** The exception that reports {@link #failure} to the caller (once reported, close() stays quiet). */
        IllegalStateException failed() {
            failureReported = true;
            return new IllegalStateException("a frame failed on the encoding thread: " + failure, failure);
        }

        /**
         * Waits until at least {@code count} frames have been delivered (or one failed). An
         * interrupt does not end the wait (the frames are in flight either way) but is kept.
         */
        void awaitEncoded(long count) {
            if (encoded >= count) {
                return;
            }
            caller = Thread.currentThread();
            boolean interrupted = false;
            try {
                for (int i = 0; encoded < count; i++) {
                    if (failure != null) {
                        checkUsable();
                    }
                    if (i < SPINS) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.parkNanos(this, PARK_NANOS);
                        interrupted |= Thread.interrupted(); // else park would return at once: a spin
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void run() {
            long done = 0;
            while (true) {
                if (done == submitted) {
                    if (stop) {
                        return;
                    }
                    LockSupport.parkNanos(this, PARK_NANOS * 100);
                    Thread.interrupted(); // nobody interrupts this thread on purpose; never spin
                    continue;
                }
                int s = (int) (done & 1);
                try {
                    if (bitRate[s] > 0) {
                        compressor.setBitRate(bitRate[s]);
                    }
                    boolean produced = compressor.encodeConverted(s, key[s], pts[s], out);
                    sink.accept(pts[s], produced ? out : null);
                } catch (Throwable t) {
                    failure = t;
                    LockSupport.unpark(caller);
                    return; // the frames after a failed one are never encoded
                }
                done++;
                encoded = done;
                LockSupport.unpark(caller);
            }
        }

        /** Stops the encoding thread (after what is in flight) and frees the codec; idempotent. */
        void shutdown() {
            if (closed) {
                return;
            }
            closed = true;
            stop = true;
            Thread t = worker;
            if (t != null && t != Thread.currentThread()) {
                LockSupport.unpark(t);
                // The codec must not be freed under the encoding thread: wait, interrupted or not.
                boolean interrupted = false;
                while (t.isAlive()) {
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            compressor.close();
        }
    }
}
