package org.spicecodec.core.video;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;
import org.spicecodec.core.SpiceBitmap;

/**
 * Replays a frame sequence through a {@link VideoEncoder} over a simulated link, in virtual
 * time, so that rate control can be watched and tested deterministically.
 *
 * <p>The model, kept simple on purpose:
 * <ul>
 * <li>Frames come at the source frame rate; frame {@code i} is offered at {@code i / fps} s
 *     with the server mm-time of that instant.</li>
 * <li>The link sends one frame at a time at {@code linkBitsPerSecond}, then the frame travels
 *     RTT/2. A frame that is still waiting while the next one is encoded is replaced, and the
 *     encoder is told ({@link VideoEncoder#notifyServerFrameDrop()}), as spice-server does
 *     with a stream's queued frame (streams.md §2.7).</li>
 * <li>The client's mm-time runs {@code latency} ms behind the server's: 400 ms
 *     (MM_TIME_DELTA) at first, raised, never lowered, by the encoder's playback delay
 *     requests, as {@code reds_set_client_mm_time_latency} does. Late frames count as drops
 *     in a {@link StreamReportWindow}, whose reports reach the encoder RTT/2 later.</li>
 * </ul>
 * Time is read by the encoder only through the {@link MonotonicClock} given to the factory.
 */
public final class StreamSimulation {
    /** spice-server's initial mm-time latency (MM_TIME_DELTA), ms. */
    public static final int INITIAL_LATENCY_MS = 400;
    /** The server mm-time of the first frame: far from 0, which SPICE's rate control treats as "unset". */
    public static final int FIRST_MM_TIME = 1_000_000;

    /** Creates the encoder under test with the simulation's callbacks and clock. */
    @FunctionalInterface
    public interface EncoderFactory {
        VideoEncoder create(VideoStreamCallbacks callbacks, MonotonicClock clock);
    }

    /** What happened in one second of the simulation. */
    public record Second(int second, int offered, int encoded, int encoderDrops, int serverDrops, int late,
                         long bytesSent, long encoderBitRate, double quality, int targetFps, int latencyMs) {
        /** Bits per second actually sent in this second. */
        public long bitRate() {
            return bytesSent * 8;
        }
    }

    /** The whole run. */
    public record Result(List<Second> seconds, int offered, int encoded, int encoderDrops, int serverDrops,
                         int delivered, int late, int reports, long bytesSent, boolean unsupported) {
    }

    private final long linkBitsPerSecond;
    private final int roundTripMs;
    private final int sourceFps;

    /**
     * @param linkBitsPerSecond the link's rate
     * @param roundTripMs       the round-trip time; each direction takes half
     * @param sourceFps         the rate at which frames are offered
     */
    public StreamSimulation(long linkBitsPerSecond, int roundTripMs, int sourceFps) {
        if (linkBitsPerSecond < 1000 || roundTripMs < 0 || roundTripMs > 60_000 || sourceFps < 1 || sourceFps > 240) {
            throw new IllegalArgumentException("link " + linkBitsPerSecond + " bit/s, RTT " + roundTripMs
                    + " ms, " + sourceFps + " fps");
        }
        this.linkBitsPerSecond = linkBitsPerSecond;
        this.roundTripMs = roundTripMs;
        this.sourceFps = sourceFps;
    }

    private static final class Frame {
        final int mmTime;
        final int size;
        final byte[] data;

        Frame(int mmTime, int size, byte[] data) {
            this.mmTime = mmTime;
            this.size = size;
            this.data = data;
        }
    }

    private record Report(long deliverNs, int frames, int drops, int start, int end, int delay) {
    }

    /** A sink for the frames that reach the client, in order (for writing an MJPEG file, say). */
    @FunctionalInterface
    public interface DeliveredFrames {
        void frame(int mmTime, byte[] data, int length, boolean late);
    }

    /**
     * Runs {@code frameCount} frames.
     *
     * @param frames       frame {@code i} of the sequence (called once per offered frame)
     * @param quality      the encoder's current quality for the per-second table, or null
     * @param delivered    receives every frame that reaches the client, or null
     */
    public Result run(int frameCount, IntFunction<SpiceBitmap> frames, EncoderFactory factory,
                      DoubleSupplier quality, DeliveredFrames delivered) {
        return run(frameCount, frames, factory, quality, null, delivered);
    }

    /**
     * As {@link #run(int, IntFunction, EncoderFactory, DoubleSupplier, DeliveredFrames)}, also
     * recording the encoder's target frame rate at the end of each second.
     */
    public Result run(int frameCount, IntFunction<SpiceBitmap> frames, EncoderFactory factory,
                      DoubleSupplier quality, IntSupplier targetFps, DeliveredFrames delivered) {
        Objects.requireNonNull(frames, "frames");
        Objects.requireNonNull(factory, "factory");
        State s = new State(delivered);
        try (VideoEncoder encoder = factory.create(s, s)) {
            s.encoder = encoder;
            EncodedFrame out = new EncodedFrame();
            long periodNs = 1_000_000_000L / sourceFps;
            for (int i = 0; i < frameCount; i++) {
                long t = i * periodNs;
                s.advanceTo(t);
                s.closeSecondsBefore(t, encoder, quality, targetFps);
                int mm = FIRST_MM_TIME + (int) (t / 1_000_000);
                s.cur.offered++;
                s.offered++;
                EncodeStatus st = encoder.encodeFrame(mm, frames.apply(i), out);
                if (st == EncodeStatus.UNSUPPORTED) {
                    s.unsupported = true;
                    break;
                }
                if (st == EncodeStatus.DROP) {
                    s.cur.encoderDrops++;
                    s.encoderDrops++;
                    continue;
                }
                s.cur.encoded++;
                s.encoded++;
                byte[] copy = delivered != null ? out.toByteArray() : null;
                s.enqueue(t, new Frame(mm, out.length(), copy));
            }
            long end = frameCount * periodNs;
            s.advanceTo(end);
            s.closeSecondsBefore(end + 1, encoder, quality, targetFps);
        }
        return new Result(List.copyOf(s.seconds), s.offered, s.encoded, s.encoderDrops, s.serverDrops,
                s.deliveredCount, s.late, s.reports, s.bytesSent, s.unsupported);
    }

    private final class State implements VideoStreamCallbacks, MonotonicClock {
        final DeliveredFrames sink;
        final StreamReportWindow window = new StreamReportWindow();
        final ArrayDeque<Report> reportsInFlight = new ArrayDeque<>();
        final List<Second> seconds = new ArrayList<>();
        final long oneWayNs = roundTripMs * 1_000_000L / 2;
        VideoEncoder encoder;
        long now;
        int latencyMs = INITIAL_LATENCY_MS;

        Frame sending;
        long sendingDoneNs;
        Frame waiting;

        int offered, encoded, encoderDrops, serverDrops, deliveredCount, late, reports;
        long bytesSent;
        boolean unsupported;
        Counters cur = new Counters();
        int second;

        State(DeliveredFrames sink) {
            this.sink = sink;
        }

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public int roundTripMs() {
            return roundTripMs;
        }

        @Override
        public int sourceFps() {
            return sourceFps;
        }

        @Override
        public void updateClientPlaybackDelay(int delayMs) {
            if (delayMs > latencyMs) {
                latencyMs = delayMs;
            }
        }

        void enqueue(long t, Frame f) {
            if (sending == null) {
                start(t, f);
            } else {
                if (waiting != null) {
                    serverDrops++;
                    cur.serverDrops++;
                    encoder.notifyServerFrameDrop();
                }
                waiting = f;
            }
        }

        private void start(long t, Frame f) {
            sending = f;
            sendingDoneNs = t + (long) Math.ceil(f.size * 8.0 * 1e9 / linkBitsPerSecond);
        }

        /** Runs every transmission end and report delivery up to {@code t}, in time order. */
        void advanceTo(long t) {
            while (true) {
                long nextSend = sending != null ? sendingDoneNs : Long.MAX_VALUE;
                long nextReport = reportsInFlight.isEmpty() ? Long.MAX_VALUE : reportsInFlight.peekFirst().deliverNs;
                long next = Math.min(nextSend, nextReport);
                if (next > t) {
                    break;
                }
                now = next;
                if (nextReport <= nextSend) {
                    Report r = reportsInFlight.pollFirst();
                    reports++;
                    encoder.clientStreamReport(r.frames, r.drops, r.start, r.end, r.delay, StreamReportWindow.NO_AUDIO);
                } else {
                    Frame f = sending;
                    sending = null;
                    bytesSent += f.size;
                    cur.bytes += f.size;
                    arrive(f, sendingDoneNs + oneWayNs);
                    if (waiting != null) {
                        Frame w = waiting;
                        waiting = null;
                        start(now, w);
                    }
                }
            }
            now = t;
        }

        private void arrive(Frame f, long arrivalNs) {
            long arrivalMs = arrivalNs / 1_000_000;
            int clientMm = FIRST_MM_TIME + (int) arrivalMs - latencyMs;
            boolean isLate = f.mmTime - clientMm < 0;
            deliveredCount++;
            if (isLate) {
                late++;
                cur.late++;
            }
            if (sink != null) {
                sink.frame(f.mmTime, f.data, f.size, isLate);
            }
            if (window.frameArrived(f.mmTime, clientMm, arrivalMs)) {
                reportsInFlight.addLast(new Report(arrivalNs + oneWayNs, window.reportFrames(), window.reportDrops(),
                        window.reportStartMmTime(), window.reportEndMmTime(), window.reportLastFrameDelay()));
            }
        }

        void closeSecondsBefore(long t, VideoEncoder enc, DoubleSupplier quality, IntSupplier targetFps) {
            while ((long) (second + 1) * 1_000_000_000L <= t) {
                seconds.add(new Second(second, cur.offered, cur.encoded, cur.encoderDrops, cur.serverDrops, cur.late,
                        cur.bytes, enc.getBitRate(), quality != null ? quality.getAsDouble() : Double.NaN,
                        targetFps != null ? targetFps.getAsInt() : -1, latencyMs));
                cur = new Counters();
                second++;
            }
        }
    }

    private static final class Counters {
        int offered, encoded, encoderDrops, serverDrops, late;
        long bytes;
    }
}
