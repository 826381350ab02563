package org.spicecodec.video.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.spicecodec.video.ffmpeg.FfmpegTestFrames.cat;
import static org.spicecodec.video.ffmpeg.FfmpegTestFrames.crop;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.video.EncodedFrame;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.video.FrameCompressor;
import org.spicecodec.video.FramePipeline;
import org.spicecodec.video.RateControlMode;
import org.spicecodec.video.VideoEncoderConfig;
import org.spicecodec.video.jcodec.JcodecBackend;

/** The FFmpeg pipeline gives exactly the synchronous encoder's stream, and survives its edge cases. */
class FfmpegFramePipelineTest {
    private static final FfmpegBackend BACKEND = FfmpegEncoderTest.BACKEND;

    /** One encoded frame as the sink saw it. */
    record Unit(long pts, byte[] bytes, boolean key) {
        static Unit of(long pts, EncodedFrame f) {
            return f == null ? new Unit(pts, null, false)
                    : new Unit(pts, Arrays.copyOf(f.data(), f.length()), f.keyFrame());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Unit u && u.pts == pts && u.key == key && Arrays.equals(u.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(pts);
        }

        @Override
        public String toString() {
            return "frame " + pts + (key ? " key " : " ") + (bytes == null ? "dropped" : bytes.length + " bytes");
        }
    }

    /** Six frames of the cat scrolled by 3 rows each; the runs cycle them (frames 8 to 11 at an odd, smaller size). */
    private static final SpiceBitmap[] FRAMES = new SpiceBitmap[6];

    static {
        SpiceBitmap cat = cat();
        for (int i = 0; i < FRAMES.length; i++) {
            FRAMES[i] = crop(cat, 0, 3 * i, 448, 280);
        }
    }

    /** What the script does at step i: -1 nothing, else a bit rate or a key-frame request. */
    private interface Script {
        void step(int i, FrameCompressor enc, FramePipeline pipe);
    }

    private static List<Unit> runSync(VideoEncoderConfig config, int n, Script script) {
        List<Unit> out = new ArrayList<>();
        try (FrameCompressor enc = BACKEND.openEncoder(config)) {
            EncodedFrame f = new EncodedFrame();
            for (int i = 0; i < n; i++) {
                script.step(i, enc, null);
                SpiceBitmap b = FRAMES[i % FRAMES.length];
                int w = i >= 8 && i < 12 ? 321 : 448; // odd: padded for H.264/H.265, exact for VP8
                int h = i >= 8 && i < 12 ? 239 : 240;
                boolean produced = enc.encode(b, 0, 0, w, h, i * 1000L, f);
                out.add(Unit.of(i * 1000L, produced ? f : null));
            }
        }
        return out;
    }

    private static List<Unit> runPipelined(VideoEncoderConfig config, int n, Script script) {
        List<Unit> out = new ArrayList<>();
        try (FramePipeline pipe = BACKEND.openPipeline(config, (pts, f) -> out.add(Unit.of(pts, f)))) {
            for (int i = 0; i < n; i++) {
                script.step(i, null, pipe);
                SpiceBitmap b = FRAMES[i % FRAMES.length];
                int w = i >= 8 && i < 12 ? 321 : 448; // odd: padded for H.264/H.265, exact for VP8
                int h = i >= 8 && i < 12 ? 239 : 240;
                pipe.submit(b, 0, 0, w, h, i * 1000L);
            }
            pipe.flush();
            assertThat(out).hasSize(n);
        }
        return out;
    }

    /**
     * Same frames, same requests, same bytes: sizes changing twice (a reopen with both slots
     * in use), a key frame asked for, and bit-rate changes (x264 takes them with the frame,
     * VP8 reopens after draining).
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"H264, CONSTANT_QP", "H264, VBR", "VP8, VBR", "H265, CBR", "MJPEG, CONSTANT_QP"})
    void givesTheSynchronousEncodersStream(VideoCodecType codec, RateControlMode mode) {
        VideoEncoderConfig.Builder b = VideoEncoderConfig.builder(codec);
        if (mode != RateControlMode.CONSTANT_QP) {
            // x264's and x265's VBV with slice/WPP threads is not deterministic even between
            // two synchronous runs (rows' sizes reach the rate control in thread order).
            b.threads(1);
        }
        if (mode == RateControlMode.CONSTANT_QP) {
            b.constantQp(codec == VideoCodecType.MJPEG ? 4 : 24);
        } else if (mode == RateControlMode.VBR) {
            b.bitRate(2_000_000);
        } else {
            b.bitRate(1_500_000).rateControl(RateControlMode.CBR);
        }
        VideoEncoderConfig config = b.build();
        Script script = (i, enc, pipe) -> {
            if (i == 5 || i == 14) {
                if (enc != null) {
                    enc.requestKeyFrame();
                } else {
                    pipe.requestKeyFrame();
                }
            }
            if (i == 3 || i == 8 || i == 13) {
                // Frame 8 also changes size: the codec reopens at the new rate in both.
                long rate = i == 3 ? 300_000 : i == 8 ? 1_000_000 : 4_000_000;
                if (enc != null) {
                    enc.setBitRate(rate);
                } else {
                    pipe.setBitRate(rate);
                }
            }
        };
        List<Unit> sync = runSync(config, 18, script);
        List<Unit> piped = runPipelined(config, 18, script);
        assertThat(piped).containsExactlyElementsOf(sync);
        assertThat(sync.get(5).key()).isTrue();
        assertThat(sync.get(8).key()).as("new size").isTrue();
        assertThat(sync.get(12).key()).as("size back").isTrue();
        assertThat(sync.get(14).key()).isTrue();
        if (codec != VideoCodecType.MJPEG) {
            assertThat(sync.get(6).key()).isFalse();
        }
    }

    @Test
    void aFailingSinkStopsThePipelineWithItsCause() {
        VideoEncoderConfig config = VideoEncoderConfig.builder(VideoCodecType.H264).constantQp(30).build();
        int[] seen = new int[1];
        FramePipeline pipe = BACKEND.openPipeline(config, (pts, f) -> {
            if (++seen[0] == 2) {
                throw new IllegalStateException("sink full");
            }
        });
        try {
            pipe.submit(FRAMES[0], 0, 0, 448, 240, 0);
            pipe.submit(FRAMES[1], 0, 0, 448, 240, 1);
            assertThatThrownBy(() -> {
                pipe.flush();
                pipe.submit(FRAMES[2], 0, 0, 448, 240, 2);
            }).isInstanceOf(IllegalStateException.class).hasMessageContaining("encoding thread")
                    .hasRootCauseMessage("sink full");
            assertThatThrownBy(() -> pipe.submit(FRAMES[2], 0, 0, 448, 240, 3)).isInstanceOf(IllegalStateException.class);
            assertThat(seen[0]).isEqualTo(2);
        } finally {
            pipe.close();
        }
        assertThatThrownBy(() -> pipe.submit(FRAMES[2], 0, 0, 448, 240, 3)).hasMessageContaining("closed");
        pipe.close(); // twice is fine
    }

    @Test
    void badArgumentsAreRejectedOnTheCallersThreadAndThePipelineGoesOn() {
        VideoEncoderConfig config = VideoEncoderConfig.builder(VideoCodecType.H264).constantQp(30).build();
        List<Long> got = new ArrayList<>();
        try (FramePipeline pipe = BACKEND.openPipeline(config, (pts, f) -> got.add(pts))) {
            pipe.submit(FRAMES[0], 0, 0, 448, 240, 0);
            assertThatThrownBy(() -> pipe.submit(FRAMES[0], 1, 0, 448, 240, 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> pipe.setBitRate(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> pipe.submit(null, 0, 0, 1, 1, 1)).isInstanceOf(NullPointerException.class);
            pipe.submit(FRAMES[1], 0, 0, 448, 240, 2);
            pipe.flush();
            assertThat(got).containsExactly(0L, 2L);
            assertThat(pipe.codec()).isEqualTo(VideoCodecType.H264);
            assertThat(pipe.backend()).isEqualTo("ffmpeg");
        }
    }

    @Test
    void aSinkThatCallsBackEndsThePipelineInsteadOfWaitingForItself() {
        VideoEncoderConfig config = VideoEncoderConfig.builder(VideoCodecType.H264).constantQp(30).build();
        FramePipeline[] self = new FramePipeline[1];
        try (FramePipeline pipe = BACKEND.openPipeline(config, (pts, f) -> self[0].flush())) {
            self[0] = pipe;
            pipe.submit(FRAMES[0], 0, 0, 448, 240, 0);
            assertThatThrownBy(() -> {
                pipe.flush();
                pipe.submit(FRAMES[1], 0, 0, 448, 240, 1);
            }).isInstanceOf(IllegalStateException.class).hasRootCauseMessage(
                    "the sink must not call the pipeline back (it runs on the encoding thread)");
        }
    }

    /** A frame that fails while close() waits for it is reported by close(), after freeing. */
    @Test
    @org.junit.jupiter.api.Timeout(value = 30, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aFailureDuringCloseIsReportedByClose() {
        VideoEncoderConfig config = VideoEncoderConfig.builder(VideoCodecType.H264).constantQp(30).build();
        FramePipeline pipe = BACKEND.openPipeline(config, (pts, f) -> {
            try {
                Thread.sleep(300); // so that close() is already waiting when this fails
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("disk full at " + pts);
        });
        pipe.submit(FRAMES[0], 0, 0, 448, 240, 5);
        assertThatThrownBy(pipe::close).isInstanceOf(IllegalStateException.class).hasRootCauseMessage("disk full at 5");
        pipe.close(); // closed now: nothing more to say
        assertThatThrownBy(() -> pipe.submit(FRAMES[0], 0, 0, 448, 240, 6)).hasMessageContaining("closed");
    }

    /** close() from the sink throws there (ending the pipeline) instead of joining its own thread. */
    @Test
    @org.junit.jupiter.api.Timeout(value = 30, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aSinkThatClosesThePipelineDoesNotHangIt() {
        VideoEncoderConfig config = VideoEncoderConfig.builder(VideoCodecType.H264).constantQp(30).build();
        FramePipeline[] self = new FramePipeline[1];
        long before = encodeThreads();
        FramePipeline pipe = BACKEND.openPipeline(config, (pts, f) -> self[0].close());
        self[0] = pipe;
        pipe.submit(FRAMES[0], 0, 0, 448, 240, 0);
        assertThatThrownBy(pipe::flush).isInstanceOf(IllegalStateException.class)
                .hasRootCauseMessage("the sink must not call the pipeline back (it runs on the encoding thread)");
        pipe.close(); // the failure was reported by flush
        assertThat(encodeThreads()).isEqualTo(before);
    }

    /** A size the codec refuses to open fails that frame only; the encoder goes on at other sizes. */
    @Test
    void aSizeTheCodecRefusesLeavesTheEncoderUsable() {
        SpiceBitmap huge = SpiceBitmap.allocate(org.spicecodec.core.SpiceBitmapFormat.RGB32, 16384, 2);
        VideoEncoderConfig config = VideoEncoderConfig.builder(VideoCodecType.VP8).constantQp(20).build();
        try (FrameCompressor enc = BACKEND.openEncoder(config)) {
            EncodedFrame f = new EncodedFrame();
            assertThat(enc.encode(FRAMES[0], 0, 0, 448, 240, 0, f)).isTrue();
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> enc.encode(huge, 0, 0, 16384, 2, 1, f))
                        .isInstanceOf(org.spicecodec.video.UnsupportedConfigurationException.class);
            }
            assertThat(enc.encode(FRAMES[1], 0, 0, 448, 240, 2, f)).isTrue();
            assertThat(f.keyFrame()).isTrue(); // reopened
        }
        List<Long> got = new ArrayList<>();
        try (FramePipeline pipe = BACKEND.openPipeline(config, (pts, f) -> got.add(pts))) {
            pipe.submit(FRAMES[0], 0, 0, 448, 240, 0);
            assertThatThrownBy(() -> pipe.submit(huge, 0, 0, 16384, 2, 1))
                    .isInstanceOf(org.spicecodec.video.UnsupportedConfigurationException.class);
            pipe.submit(FRAMES[1], 0, 0, 448, 240, 2);
            pipe.flush();
            assertThat(got).containsExactly(0L, 2L);
        }
    }

    @Test
    void theSynchronousPipelineKeepsTheSameContract() {
        VideoEncoderConfig config = VideoEncoderConfig.builder(VideoCodecType.H264).constantQp(30).build();
        int[] calls = new int[1];
        FramePipeline pipe = FramePipeline.synchronous(new JcodecBackend().openEncoder(config), (pts, f) -> {
            if (++calls[0] == 2) {
                throw new IllegalStateException("sink full");
            }
        });
        pipe.submit(FRAMES[0], 0, 0, 448, 240, 0);
        assertThatThrownBy(() -> pipe.submit(FRAMES[0], 1, 0, 448, 240, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pipe.submit(FRAMES[1], 0, 0, 448, 240, 2)).hasMessage("sink full");
        assertThatThrownBy(() -> pipe.submit(FRAMES[1], 0, 0, 448, 240, 3)).isInstanceOf(IllegalStateException.class)
                .hasRootCauseMessage("sink full");
        assertThatThrownBy(() -> pipe.setBitRate(1000)).isInstanceOf(IllegalStateException.class);
        pipe.close();
        assertThatThrownBy(pipe::requestKeyFrame).hasMessageContaining("closed");
        assertThat(calls[0]).isEqualTo(2);
    }

    static Thread encodeThread() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("spice-ffmpeg-encode") && t.isAlive()).findFirst().orElse(null);
    }

    static long encodeThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("spice-ffmpeg-encode") && t.isAlive()).count();
    }

    /** Steady state: no heap allocation per frame on either thread. */
    @Test
    void steadyStateAllocatesNothingPerFrame() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        VideoEncoderConfig config = VideoEncoderConfig.builder(VideoCodecType.H264).constantQp(30).build();
        long[] bytes = new long[1];
        long before = encodeThreads();
        try (FramePipeline pipe = BACKEND.openPipeline(config, (pts, f) -> bytes[0] += f.length())) {
            for (int i = 0; i < 30; i++) {
                pipe.submit(FRAMES[i % FRAMES.length], 0, 0, 448, 240, i);
            }
            pipe.flush();
            Thread worker = encodeThread();
            assertThat(encodeThreads()).isEqualTo(before + 1);
            long me = Thread.currentThread().getId();
            long caller0 = mx.getThreadAllocatedBytes(me);
            long worker0 = mx.getThreadAllocatedBytes(worker.getId());
            for (int i = 0; i < 200; i++) {
                pipe.submit(FRAMES[i % FRAMES.length], 0, 0, 448, 240, 30 + i);
            }
            pipe.flush();
            long callerPerFrame = (mx.getThreadAllocatedBytes(me) - caller0) / 200;
            long workerPerFrame = (mx.getThreadAllocatedBytes(worker.getId()) - worker0) / 200;
            assertThat(callerPerFrame).as("caller bytes per frame").isLessThan(64);
            assertThat(workerPerFrame).as("encoding thread bytes per frame").isLessThan(64);
            assertThat(bytes[0]).isGreaterThan(0);
        }
        assertThat(encodeThreads()).isEqualTo(before);
    }

    /** A pipeline dropped without close() lets its thread go (and frees its codec) once collected. */
    @Test
    void anUnclosedPipelineIsCleanedUp() throws InterruptedException {
        long before = encodeThreads();
        submitAndDrop();
        assertThat(encodeThreads()).isEqualTo(before + 1);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (encodeThreads() > before && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertThat(encodeThreads()).isEqualTo(before);
    }

    private static void submitAndDrop() {
        FramePipeline pipe = BACKEND.openPipeline(VideoEncoderConfig.builder(VideoCodecType.H264).constantQp(30).build(),
                (pts, f) -> { });
        pipe.submit(FRAMES[0], 0, 0, 448, 240, 0);
        pipe.flush();
    }

    /** Backends without a pipeline of their own encode inside submit, through the same interface. */
    @Test
    void otherBackendsGiveASynchronousPipeline() {
        List<Unit> got = new ArrayList<>();
        VideoEncoderConfig config = VideoEncoderConfig.builder(VideoCodecType.H264).constantQp(30).build();
        try (FramePipeline pipe = new JcodecBackend().openPipeline(config, (pts, f) -> got.add(Unit.of(pts, f)))) {
            pipe.submit(FRAMES[0], 0, 0, 448, 240, 7);
            assertThat(got).hasSize(1); // delivered before submit returned
            pipe.requestKeyFrame();
            pipe.submit(FRAMES[1], 0, 0, 448, 240, 8);
            assertThat(got.get(1).key()).isTrue();
            assertThat(got.get(0).bytes().length).isGreaterThan(100);
            assertThat(pipe.backend()).isEqualTo("jcodec");
        }
    }
}
