package org.spicecodec.video.jcodec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.video.EncodedFrame;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.core.video.VideoDecoder;
import org.spicecodec.video.BackendUnavailableException;
import org.spicecodec.video.FrameCompressor;
import org.spicecodec.video.VideoBackend;
import org.spicecodec.video.VideoBackends;
import org.spicecodec.video.VideoEncoderConfig;

/** The VideoBackends chooser passing over a backend that cannot run here and landing on JCodec. */
class JcodecBackendChooserTest {

    /** A backend that cannot run here, as one whose natives failed to load would report. */
    private record Unavailable(String reason) implements VideoBackend {
        @Override
        public String name() {
            return "unavailable";
        }

        @Override
        public String unavailableReason(VideoCodecType codec) {
            return reason;
        }

        @Override
        public String decoderUnavailableReason(VideoCodecType codec) {
            return reason;
        }

        @Override
        public FrameCompressor openEncoder(VideoEncoderConfig config) {
            throw new BackendUnavailableException(reason);
        }

        @Override
        public VideoDecoder openDecoder(VideoCodecType codec) {
            throw new BackendUnavailableException(reason);
        }
    }

    @Test
    void fallsBackToJcodecAndReportsTheReasonOnce() {
        // Unique per run: the chooser reports each reason once per JVM.
        String reason = "natives did not load (test " + System.nanoTime() + ")";
        List<String> warnings = new CopyOnWriteArrayList<>();
        SimpleFormatter fmt = new SimpleFormatter();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel() == Level.WARNING) {
                    warnings.add(fmt.formatMessage(r));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger jul = Logger.getLogger("org.spicecodec.video");
        jul.addHandler(h);
        try {
            VideoBackends backends = VideoBackends.of(new Unavailable(reason), new JcodecBackend());
            assertThat(backends.encoderBackend(VideoCodecType.H264).name()).isEqualTo("jcodec");
            EncodedFrame out = new EncodedFrame();
            for (int i = 0; i < 3; i++) {
                try (FrameCompressor enc = backends.openEncoder(
                        VideoEncoderConfig.builder(VideoCodecType.H264).constantQp(26).build())) {
                    assertThat(enc.backend()).isEqualTo("jcodec");
                    assertThat(enc.encode(SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 32, 32), 0, 0, 32, 32, 0, out))
                            .isTrue();
                    assertThat(out.keyFrame()).isTrue();
                }
            }
            try (VideoDecoder dec = backends.openDecoder(VideoCodecType.H264)) {
                SpiceBitmap pic = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 32, 32);
                assertThat(dec.decodeFrame(out.data(), 0, out.length(), pic)).isTrue();
            }
            assertThat(warnings.stream().filter(w -> w.contains(reason) && w.contains("encode H264")))
                    .as("%s", warnings).hasSize(1);
            assertThat(warnings.stream().filter(w -> w.contains(reason) && w.contains("decode H264")))
                    .as("%s", warnings).hasSize(1);
            assertThat(warnings.get(0)).contains("unavailable").contains("trying the next backend");

            // Nobody can encode H.265: the error lists every backend's reason.
            assertThatThrownBy(() -> backends.openEncoder(VideoEncoderConfig.spice(VideoCodecType.H265)))
                    .isInstanceOf(BackendUnavailableException.class)
                    .hasMessageContaining(reason)
                    .hasMessageContaining("jcodec: JCodec encodes only H.264; use the FFmpeg or GStreamer backend for H265");
        } finally {
            jul.removeHandler(h);
        }
    }

    @Test
    void theBuiltInNameLoadsThisBackend() {
        assertThat(VideoBackends.builtIn("jcodec")).isInstanceOf(JcodecBackend.class);
        assertThat(VideoBackends.withOrder("jcodec").encoderBackend(VideoCodecType.H264).name()).isEqualTo("jcodec");
    }
}
