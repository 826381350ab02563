package org.spicecodec.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.video.VideoBackend;
import org.spicecodec.video.VideoBackends;

/**
 * The video category over a temporary corpus holding the embedded terminal excerpt (first 8
 * frames) and a broken clip, with every built-in backend plus one that does not exist: rows
 * for every backend that can encode here, a printed reason for every one that cannot.
 */
class CorpusVideoRunTest {
    @TempDir
    Path tmp;

    private static final List<String> BACKENDS = List.of("ffmpeg", "gstreamer", "jcodec", "nosuch");
    private static final List<VideoCodecType> CODECS = List.of(VideoCodecType.H264, VideoCodecType.VP8,
            VideoCodecType.MJPEG);

    @Test
    void everyAvailableBackendGivesRowsAndEveryOtherIsSkippedWithItsReason() throws IOException {
        Path root = tmp.resolve("corpus");
        Files.createDirectories(root.resolve("video"));
        CorpusVideoItem terminal = Corpus.embeddedDefault().videoItems().stream()
                .filter(v -> v.name().contains("terminal")).findFirst().orElseThrow();
        Files.move(terminal.source().open().file(), root.resolve("video/terminal.mkv"));
        Files.write(root.resolve("video/broken.mkv"), new byte[16]);

        VideoMatrix matrix = VideoMatrix.quick().withMaxFrames(8).withPresets(List.of("ultrafast"))
                .withCodecs(CODECS).withBackends(BACKENDS);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        CorpusResult r = CorpusRunner.builder().minMeasureMillis(0).corpus(root).out(tmp.resolve("report"))
                .video(matrix).progress(new PrintStream(progress, true, StandardCharsets.UTF_8))
                .build().run(new PrintStream(text, true, StandardCharsets.UTF_8));
        String printed = text.toString(StandardCharsets.UTF_8);
        String log = progress.toString(StandardCharsets.UTF_8);
        System.out.println(printed);

        assertThat(r.videoFailures()).as(printed).isEmpty();
        assertThat(r.unreadable()).singleElement().asString().startsWith("video/broken.mkv");
        assertThat(r.measurements()).isEmpty();

        // Rows for each codec on each backend that says it can encode it; the reason otherwise.
        int available = 0;
        for (String name : BACKENDS.subList(0, 3)) {
            VideoBackend b = VideoBackends.builtIn(name);
            for (VideoCodecType codec : CODECS) {
                String reason = b.unavailableReason(codec);
                List<CorpusVideoMeasurement> rows = r.video().stream()
                        .filter(m -> m.backend().equals(name) && m.codec().equals(codec.name())).toList();
                if (reason == null) {
                    available++;
                    assertThat(rows).as("%s on %s", codec, name).hasSize(3).allSatisfy(m -> {
                        assertThat(m.path()).isEqualTo("video/terminal.mkv");
                        assertThat(m.frames()).isEqualTo(8);
                        assertThat(m.framesEncoded()).isBetween(1, 8);
                        assertThat(m.kbps()).isPositive();
                        assertThat(m.encodeFps()).isPositive();
                    });
                } else {
                    assertThat(rows).as("%s on %s", codec, name).isEmpty();
                    assertThat(log).as("skip reason of %s on %s", codec, name).contains(reason);
                    assertThat(r.videoSkipped()).anyMatch(s -> s.contains(reason));
                }
            }
        }
        assertThat(available).as("FFmpeg's LGPL natives from Maven encode H.264 (OpenH264), VP8 and MJPEG")
                .isGreaterThanOrEqualTo(3);
        assertThat(log).contains("nosuch: skipped, the backend cannot be created", "unknown video backend 'nosuch'");
        assertThat(printed).contains("Skipped or adapted", "nosuch");

        // Lower QP: higher PSNR and more bits, for H.264 on every backend that ran it.
        Map<String, List<CorpusVideoMeasurement>> h264 = r.video().stream()
                .filter(m -> m.codec().equals("H264") && m.rateMode().equals("qp") && m.framesDecoded() > 0)
                .collect(Collectors.groupingBy(CorpusVideoMeasurement::series));
        assertThat(h264).isNotEmpty();
        for (List<CorpusVideoMeasurement> series : h264.values()) {
            List<CorpusVideoMeasurement> byQp = new ArrayList<>(series);
            byQp.sort((a, b) -> Integer.compare(a.rateValue(), b.rateValue()));
            assertThat(byQp).extracting(CorpusVideoMeasurement::rateValue).containsExactly(22, 30, 38);
            for (int i = 1; i < byQp.size(); i++) {
                CorpusVideoMeasurement finer = byQp.get(i - 1);
                CorpusVideoMeasurement coarser = byQp.get(i);
                assertThat(finer.psnrRgbDb()).as("%s: PSNR at qp %d vs %d", finer.series(), finer.rateValue(),
                        coarser.rateValue()).isGreaterThan(coarser.psnrRgbDb());
                assertThat(finer.psnrYDb()).isGreaterThan(coarser.psnrYDb());
                assertThat(finer.kbps()).as("%s: kbit/s at qp %d vs %d", finer.series(), finer.rateValue(),
                        coarser.rateValue()).isGreaterThan(coarser.kbps());
            }
            // Screen text at qp 22 stays readable, at any backend.
            assertThat(byQp.get(0).psnrRgbDb()).as(byQp.get(0).series()).isGreaterThan(30).isLessThan(100);
        }

        List<String> csv = Files.readAllLines(r.videoCsv());
        assertThat(csv.get(0)).startsWith("category,file,width,height,fps,frames,codec,backend,decoder,preset,"
                + "rate_mode,rate_value,frames_encoded,frames_decoded,bytes,kbit_s,psnr_rgb_db,psnr_y_db");
        assertThat(csv).hasSize(1 + r.video().size());
        assertThat(csv.get(1).split(",", -1)).startsWith("video", "terminal.mkv", "640", "360", "25.000", "8");
        BufferedImage chart = ImageIO.read(r.videoChart().toFile());
        assertThat(chart.getWidth()).isGreaterThan(500);
        assertThat(printed).contains("PSNR-RGB", "video.csv", "video.png", "could not be read", "broken.mkv");
    }

    /**
     * A backend that refuses constant QP gets the matrix's bit rates instead, and says so. The
     * refusal is the only thing added to the real FFmpeg backend, which does the encoding.
     */
    @Test
    void aBackendRefusingConstantQpIsMeasuredAtBitRatesWithANote() throws IOException {
        VideoBackend ffmpeg = VideoBackends.builtIn("ffmpeg");
        org.junit.jupiter.api.Assumptions.assumeTrue(ffmpeg.unavailableReason(VideoCodecType.H264) == null,
                () -> "FFmpeg cannot encode H.264 here: " + ffmpeg.unavailableReason(VideoCodecType.H264));
        VideoBackend noQp = new VideoBackend() {
            @Override
            public String name() {
                return "ffmpeg";
            }

            @Override
            public String unavailableReason(VideoCodecType codec) {
                return ffmpeg.unavailableReason(codec);
            }

            @Override
            public String decoderUnavailableReason(VideoCodecType codec) {
                return ffmpeg.decoderUnavailableReason(codec);
            }

            @Override
            public org.spicecodec.video.FrameCompressor openEncoder(org.spicecodec.video.VideoEncoderConfig config) {
                if (config.rateControl() == org.spicecodec.video.RateControlMode.CONSTANT_QP) {
                    throw new org.spicecodec.video.UnsupportedConfigurationException("constantQp", "not here");
                }
                return ffmpeg.openEncoder(config);
            }

            @Override
            public org.spicecodec.core.video.VideoDecoder openDecoder(VideoCodecType codec) {
                return ffmpeg.openDecoder(codec);
            }
        };
        VideoMatrix m = VideoMatrix.quick().withCodecs(List.of(VideoCodecType.H264)).withBackends(List.of("ffmpeg"))
                .withPresets(List.of("ultrafast"));
        CorpusVideo video = new CorpusVideo(m, n -> noQp);
        CorpusVideoItem item = Corpus.embeddedDefault().videoItems().get(0);
        Path file = tmp.resolve("clip.mkv");
        Files.move(item.source().open().file(), file);
        VideoClip clip = VideoClipReader.read(file, 6, 1L << 30);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        List<CorpusVideoMeasurement> rows = video.measure(item, clip,
                new Progress(new PrintStream(progress, true, StandardCharsets.UTF_8), false, 1), 0);
        assertThat(rows).extracting(CorpusVideoMeasurement::rateMode).containsOnly("vbr");
        assertThat(rows).extracting(CorpusVideoMeasurement::rateValue).containsExactly(500, 2000, 6000);
        assertThat(rows).allSatisfy(r -> assertThat(r.ok()).as(r.error()).isTrue());
        assertThat(video.skipped()).anyMatch(l -> l.contains("constant QP refused") && l.contains("not here"));
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("constant QP refused");
    }

    @Test
    void psnrOfKnownDifferences() {
        SpiceBitmap a = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 4, 2);
        SpiceBitmap b = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 4, 2);
        b.data()[3] = 99; // the X byte does not count
        assertThat(CorpusVideo.psnr(a, b)).containsExactly(CorpusVideo.IDENTICAL_DB, CorpusVideo.IDENTICAL_DB);
        // Every green byte off by 16: RGB MSE = 256 / 3; luma error 0.587 * 16 everywhere.
        for (int p = 1; p < b.data().length; p += 4) {
            b.data()[p] = 16;
        }
        double[] db = CorpusVideo.psnr(a, b);
        assertThat(db[0]).isCloseTo(10 * Math.log10(255.0 * 255 * 3 / 256), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(db[1]).isCloseTo(10 * Math.log10(255.0 * 255 / (0.587 * 16 * 0.587 * 16)),
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(CorpusRunner.colourPsnr(a, b)).isCloseTo(db[0], org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void displayOrderFollowsTheEncodersTimestamps() {
        long frame = 40_000_000L; // 25 fps
        assertThat(CorpusVideo.displayOrder(new long[] {0, 2 * frame, frame}, 3, 25, 5)).containsExactly(0, 1, 2);
        // Timestamps that name no distinct input frame: output order.
        assertThat(CorpusVideo.displayOrder(new long[] {0, 0, frame}, 3, 25, 5)).containsExactly(0, 1, 2);
        assertThat(CorpusVideo.displayOrder(new long[] {0, 9 * frame}, 2, 25, 5)).containsExactly(0, 1);
    }

    @Test
    void matrixNamesAndValidation() {
        assertThat(VideoMatrix.named("off")).isNull();
        assertThat(VideoMatrix.named("FULL").name()).isEqualTo("full");
        assertThat(VideoMatrix.named("quick").presets()).contains("ultrafast");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> VideoMatrix.named("huge"))
                .hasMessageContaining("quick, full or off");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> VideoMatrix.quick().withQps(VideoCodecType.VP9, List.of()))
                .hasMessageContaining("no QPs given for VP9");
    }
}
