package org.spicecodec.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop: FFmpeg's own Ogg demuxer and Opus decoder (the libraries bundled with the
 * org.bytedeco:ffmpeg jar, so no system ffmpeg is needed) must open the .opus files we write.
 */
class FfmpegLibInteropTest {

    @Test
    void libavformatReadsAndLibavcodecDecodesOurOggOpus(@TempDir Path dir) throws Exception {
        try {
            org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.global.avformat.class);
        } catch (Throwable e) { // only linux-x86_64 natives are on the test class path
            org.junit.jupiter.api.Assumptions.assumeTrue(false,
                    "FFmpeg natives (org.bytedeco:ffmpeg:linux-x86_64) cannot load here: " + e);
        }
        WavFile wav = AudioTestSupport.load(AudioTestSupport.SPEECH);
        Path file = dir.resolve("x.opus");
        Files.write(file, OggOpus.encode(wav.samples(), AudioParameters.spiceDefault(), 42));

        short[] decoded = decodeWithFfmpeg(file);
        int lag = AudioTestSupport.bestLag(wav.samples(), decoded, 2, 400);
        double snr = AudioTestSupport.segmentalSnr(wav.samples(), decoded, 2, lag);
        System.out.printf("FFmpeg decode of our Ogg Opus: %d frames (input %d), lag %d, segSNR %.2f dB%n",
                decoded.length / 2, wav.frames(), lag, snr);
        // FFmpeg applies OpusHead pre-skip and the final granule's end trim.
        assertThat(lag).isZero();
        assertThat(decoded.length).isEqualTo(wav.samples().length);
        assertThat(snr).isGreaterThan(FLOOR_DB);
    }

    /** 3 dB under the in-library speech floor measurement (23.5 dB) is 20.5 dB; FFmpeg's decoder is independent. */
    private static final double FLOOR_DB = 20.5;

    private static short[] decodeWithFfmpeg(Path file) {
        AVFormatContext fmt = new AVFormatContext(null);
        assertThat(avformat_open_input(fmt, file.toString(), null, null)).as("avformat_open_input").isZero();
        try {
            assertThat(avformat_find_stream_info(fmt, (PointerPointer<?>) null)).isGreaterThanOrEqualTo(0);
            assertThat(fmt.nb_streams()).isEqualTo(1);
            var par = fmt.streams(0).codecpar();
            assertThat(par.codec_id()).isEqualTo(AV_CODEC_ID_OPUS);
            assertThat(par.ch_layout().nb_channels()).isEqualTo(2);
            AVCodec codec = avcodec_find_decoder(par.codec_id());
            AVCodecContext ctx = avcodec_alloc_context3(codec);
            assertThat(avcodec_parameters_to_context(ctx, par)).isZero();
            ctx.pkt_timebase(fmt.streams(0).time_base()); // lets libavcodec apply pre-skip/end trim quietly
            assertThat(avcodec_open2(ctx, codec, (PointerPointer<?>) null)).isZero();
            AVPacket pkt = av_packet_alloc();
            AVFrame frame = av_frame_alloc();
            short[] out = new short[1 << 16];
            int n = 0;
            while (av_read_frame(fmt, pkt) >= 0) {
                assertThat(avcodec_send_packet(ctx, pkt)).isZero();
                av_packet_unref(pkt);
                n = drain(ctx, frame, out, n, 0);
                out = n + 20000 > out.length ? Arrays.copyOf(out, out.length * 2) : out;
            }
            avcodec_send_packet(ctx, null);
            n = drain(ctx, frame, out = Arrays.copyOf(out, out.length + 40000), n, 0);
            av_frame_free(frame);
            av_packet_free(pkt);
            avcodec_free_context(ctx);
            return Arrays.copyOf(out, n);
        } finally {
            avformat_close_input(fmt);
        }
    }

    private static int drain(AVCodecContext ctx, AVFrame frame, short[] out, int n, int unused) {
        while (avcodec_receive_frame(ctx, frame) == 0) {
            int samples = frame.nb_samples();
            int ch = frame.ch_layout().nb_channels();
            float[][] planes = new float[ch][samples];
            if (frame.format() == AV_SAMPLE_FMT_FLTP) {
                for (int c = 0; c < ch; c++) {
                    new FloatPointer(frame.data(c)).get(planes[c]);
                }
            } else if (frame.format() == AV_SAMPLE_FMT_FLT) {
                float[] inter = new float[samples * ch];
                new FloatPointer(frame.data(0)).get(inter);
                for (int i = 0; i < samples; i++) {
                    for (int c = 0; c < ch; c++) {
                        planes[c][i] = inter[i * ch + c];
                    }
                }
            } else {
                throw new AssertionError("unexpected sample format " + frame.format());
            }
            for (int i = 0; i < samples; i++) {
                for (int c = 0; c < ch; c++) {
                    float v = Math.max(-1f, Math.min(1f, planes[c][i])) * 32767f;
                    out[n++] = (short) Math.round(v);
                }
            }
            av_frame_unref(frame);
        }
        return n;
    }
}
