package org.spicecodec.core.video;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;

/** The simulator's own arithmetic, checked with an encoder that sends fixed-size frames. */
class StreamSimulationTest {
    private static final SpiceBitmap FRAME = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 16, 16);

    /** Sends every frame at {@code size} bytes and records what it is told. */
    private static final class FixedSizeEncoder implements VideoEncoder {
        final int size;
        final MonotonicClock clock;
        final List<int[]> reports = new ArrayList<>();
        final List<Long> reportTimes = new ArrayList<>();
        int serverDrops;

        FixedSizeEncoder(int size, MonotonicClock clock) {
            this.size = size;
            this.clock = clock;
        }

        @Override
        public VideoCodecType codecType() {
            return VideoCodecType.MJPEG;
        }

        @Override
        public EncodeStatus encodeFrame(int mm, SpiceBitmap b, int l, int t, int w, int h, EncodedFrame out) {
            out.ensureCapacity(size);
            out.set(size, true, mm, clock.nanoTime());
            return EncodeStatus.DONE;
        }

        @Override
        public void clientStreamReport(int frames, int drops, int start, int end, int delay, int audio) {
            reports.add(new int[] {frames, drops, start, end, delay, audio});
            reportTimes.add(clock.nanoTime());
        }

        @Override
        public void notifyServerFrameDrop() {
            serverDrops++;
        }

        @Override
        public long getBitRate() {
            return 0;
        }

        @Override
        public VideoEncoderStats getStats() {
            return new VideoEncoderStats(0, 0, 0);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aFastLinkDeliversEveryFrameOnTime() {
        FixedSizeEncoder[] enc = new FixedSizeEncoder[1];
        // 10 kB frames at 25 fps = 2 Mbit/s over a 10 Mbit/s link with 20 ms RTT.
        StreamSimulation sim = new StreamSimulation(10_000_000, 20, 25);
        StreamSimulation.Result r = sim.run(100, i -> FRAME, (cb, clock) -> enc[0] = new FixedSizeEncoder(10_000, clock),
                null, null);
        assertThat(r.offered()).isEqualTo(100);
        assertThat(r.encoded()).isEqualTo(100);
        assertThat(r.serverDrops()).isZero();
        assertThat(r.delivered()).isEqualTo(100);
        assertThat(r.late()).isZero();
        // Every 5 frames a report; the last one is still travelling when the run ends? No: the
        // 100th frame arrives at 3.96 s + 8 ms + 10 ms and its report at +10 ms, before 4 s.
        assertThat(r.reports()).isEqualTo(20);
        int[] first = enc[0].reports.get(0);
        assertThat(first[0]).isEqualTo(5);
        assertThat(first[1]).isZero();
        assertThat(first[2]).isEqualTo(StreamSimulation.FIRST_MM_TIME);
        assertThat(first[3]).isEqualTo(StreamSimulation.FIRST_MM_TIME + 160);
        // Frame 4 is offered at 160 ms, sent in 8 ms, arrives 10 ms later: margin 400 - 18.
        assertThat(first[4]).isEqualTo(382);
        assertThat(first[5]).isEqualTo(-1);
        // The report reaches the server one RTT after the frame was sent: 160 + 8 + 20 ms.
        assertThat(enc[0].reportTimes.get(0)).isEqualTo(188_000_000L);
        assertThat(r.seconds()).hasSize(4);
        assertThat(r.seconds().get(1).bitRate()).isEqualTo(25 * 10_000 * 8);
    }

    @Test
    void aSlowLinkReplacesQueuedFramesAndMakesThemLate() {
        FixedSizeEncoder[] enc = new FixedSizeEncoder[1];
        // 20 kB frames need 160 ms each on 1 Mbit/s; one comes every 40 ms.
        StreamSimulation sim = new StreamSimulation(1_000_000, 0, 25);
        StreamSimulation.Result r = sim.run(250, i -> FRAME, (cb, clock) -> enc[0] = new FixedSizeEncoder(20_000, clock),
                null, null);
        assertThat(r.encoded()).isEqualTo(250);
        // The link carries 6.25 frames a second: about 62 in 10 s, the rest are replaced.
        assertThat(r.delivered()).isBetween(61, 63);
        assertThat(r.serverDrops()).isEqualTo(enc[0].serverDrops).isBetween(186, 189);
        // Each frame waits up to 160 ms, then takes 160 ms: within the 400 ms latency.
        assertThat(r.late()).isZero();
        assertThat(r.seconds().get(5).bitRate()).isBetween(960_000L, 1_000_000L);
    }

    @Test
    void framesSlowerThanTheLatencyArriveLate() {
        // 60 kB frames take 480 ms on 1 Mbit/s: more than the 400 ms latency.
        StreamSimulation sim = new StreamSimulation(1_000_000, 0, 5);
        StreamSimulation.Result r = sim.run(20, i -> FRAME, (cb, clock) -> new FixedSizeEncoder(60_000, clock),
                null, null);
        assertThat(r.late()).isEqualTo(r.delivered()).isPositive();
        assertThat(r.reports()).isPositive();
    }
}
