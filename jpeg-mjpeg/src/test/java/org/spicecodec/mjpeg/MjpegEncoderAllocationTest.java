package org.spicecodec.mjpeg;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.video.EncodeStatus;
import org.spicecodec.core.video.EncodedFrame;

/**
 * Steady-state allocation of the MJPEG frame path, measured with the thread's allocated-bytes
 * counter. The rate control (every per-frame, report and drop call) and the encoder's DROP and
 * refused paths must allocate nothing; the JPEG step itself is the engine's business (the JDK's
 * ImageIO writer allocates per image, so it is left out).
 */
class MjpegEncoderAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long allocated() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /** A 25 fps run with reports and server drops, through every branch of §4.4–4.10. */
    private static void drive(Ticker t, int frames) {
        for (int i = 0; i < frames; i++) {
            t.next();
            switch (t.tick % 20) {
                case 4 -> t.negativeReport();
                case 9, 14 -> t.positiveReport(200);
                case 19 -> t.rc.notifyServerFrameDrop();
                default -> {
                }
            }
        }
    }

    /**
     * Bytes allocated by {@code body} in each of five rounds. A per-frame allocation shows in
     * every round (at least 16 bytes × thousands of frames); the JIT may charge a one-off
     * hundred bytes or so to the thread while it swaps compiled code in, so the rounds are
     * judged by their minimum and a small maximum.
     */
    private static long[] rounds(Runnable body) {
        long[] used = new long[5];
        for (int r = 0; r < used.length; r++) {
            long before = allocated();
            body.run();
            used[r] = allocated() - before;
        }
        return used;
    }

    private static void assertAllocatesNothing(long[] used) {
        assertThat(java.util.Arrays.stream(used).min().getAsLong()).as("bytes per round %s",
                java.util.Arrays.toString(used)).isZero();
        assertThat(java.util.Arrays.stream(used).max().getAsLong()).as("bytes per round %s",
                java.util.Arrays.toString(used)).isLessThan(1024);
    }

    @Test
    void rateControlAllocatesNothingPerFrame() {
        Ticker t = new Ticker(new ScriptedStream(20, 25), 8_000_000, MjpegRateControlTest.SIZES_25, 40);
        drive(t, 20_000); // warm-up: class loading, JIT
        assertAllocatesNothing(rounds(() -> drive(t, 20_000)));
        // The run did take decisions on the way.
        assertThat(t.done).isGreaterThan(0);
        assertThat(t.dropped).isGreaterThan(0);
    }

    @Test
    void dropAndRefusedPathsAllocateNothing() {
        ScriptedStream stream = new ScriptedStream(20, 25);
        MjpegEncoder enc = new MjpegEncoder(8_000_000, stream, stream, new ImageIoTestEngine());
        SpiceBitmap bottomUp = Pictures.storedBottomUp(SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 64, 48));
        EncodedFrame frame = new EncodedFrame();
        // The SET search (frames at 40 ms, never dropped while it runs) ends within 5 frames;
        // after that, frames 1 ns apart are always dropped (1e9 / adjusted_fps ≫ 1 ns).
        for (int i = 0; i < 10; i++) {
            stream.atMs(40L * i);
            assertThat(enc.encodeFrame(ScriptedStream.mm(40L * i), bottomUp, frame)).isEqualTo(EncodeStatus.DONE);
        }
        assertThat(enc.rateControl().isEvaluating()).isFalse();
        enc.clientStreamReport(5, 0, ScriptedStream.mm(200), ScriptedStream.mm(360), 100, -1);
        Runnable drops = () -> {
            for (int i = 0; i < 10_000; i++) {
                stream.now++;
                if (enc.encodeFrame(ScriptedStream.mm(0), bottomUp, frame) != EncodeStatus.DROP) {
                    throw new AssertionError("not dropped");
                }
            }
        };
        drops.run();
        assertAllocatesNothing(rounds(drops));

        enc.clientStreamReport(0, -1, 0, 0, 0, 0);
        Runnable refused = () -> {
            for (int i = 0; i < 10_000; i++) {
                if (enc.encodeFrame(ScriptedStream.mm(0), bottomUp, frame) != EncodeStatus.UNSUPPORTED) {
                    throw new AssertionError("not refused");
                }
            }
        };
        refused.run();
        assertAllocatesNothing(rounds(refused));
    }
}
