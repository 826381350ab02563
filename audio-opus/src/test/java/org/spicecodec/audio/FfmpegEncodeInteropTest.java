package org.spicecodec.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.ShortPointer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Reverse interop: raw Opus packets made by FFmpeg's encoder (libopus when the bundled build
 * has it, else FFmpeg's native experimental {@code opus} encoder), 48 kHz stereo, 10 ms
 * frames, 100 kbit/s, must decode with our {@link OpusAudioDecoder} in SPICE's profile.
 * The bundled org.bytedeco FFmpeg build has libopus (measured: 20.5 dB segSNR on the music clip).
 */
class FfmpegEncodeInteropTest {
    /** Measured on the music clip: libopus 20.5 dB, native encoder 19.1 dB segSNR; ~3 dB under each. */
    private static final double LIBOPUS_FLOOR_DB = 17.5;
    private static final double NATIVE_FLOOR_DB = 16.0;

    /** {@code frameSize}: samples per channel the encoder takes per input frame (not per packet). */
    private record Encoded(String encoder, int frameSize, List<byte[]> packets) {
    }

    @Test
    void ourDecoderDecodesFfmpegEncodedPackets() {
        try {
            org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.global.avcodec.class);
        } catch (Throwable e) { // only linux-x86_64 natives are on the test class path
            Assumptions.assumeTrue(false, "FFmpeg natives (org.bytedeco:ffmpeg:linux-x86_64) cannot load here: " + e);
        }
        WavFile wav = AudioTestSupport.load(AudioTestSupport.MUSIC);
        assertThat(wav.sampleRate()).isEqualTo(48000);
        assertThat(wav.channels()).isEqualTo(2);
        Encoded enc = encodeWithFfmpeg(wav.samples());

        // Both encoders are asked for 10 ms packets, so SPICE's own decoder profile must take them.
        AudioParameters p = AudioParameters.spiceDefault();
        OpusAudioDecoder dec = new OpusAudioDecoder(p);
        short[] out = new short[enc.packets().size() * p.samplesPerFrame()];
        int frames = 0;
        long bytes = 0;
        for (byte[] pkt : enc.packets()) {
            // SPICE's limit: a 10 ms packet at ~100 kbit/s is far below 480 bytes.
            assertThat(pkt.length).isBetween(1, AudioParameters.SPICE_MAX_PACKET_BYTES);
            frames += dec.decode(pkt, 0, pkt.length, out, frames * 2);
            bytes += pkt.length;
        }
        assertThat(frames).isEqualTo(enc.packets().size() * 480);
        int lag = AudioTestSupport.bestLag(wav.samples(), out, 2, 1000);
        double snr = AudioTestSupport.segmentalSnr(wav.samples(), out, 2, lag);
        System.out.printf("FFmpeg %s -> OpusAudioDecoder: %d packets (input frames of %d), %.1f kbit/s, lag %d,"
                + " segSNR %.2f dB%n", enc.encoder(), enc.packets().size(), enc.frameSize(),
                bytes * 8.0 / (frames / 48000.0) / 1000, lag, snr);
        assertThat(snr).isGreaterThan(enc.encoder().equals("libopus") ? LIBOPUS_FLOOR_DB : NATIVE_FLOOR_DB);
    }

    /** Encodes interleaved 48 kHz stereo S16 into raw Opus packets of 10 ms each. */
    private static Encoded encodeWithFfmpeg(short[] pcm) {
        AVCodec codec = avcodec_find_encoder_by_name("libopus");
        String name = "libopus";
        if (codec == null) {
            codec = avcodec_find_encoder_by_name("opus");
            name = "opus";
        }
        Assumptions.assumeTrue(codec != null, "this FFmpeg build has neither the libopus nor the native opus encoder");
        boolean libopus = name.equals("libopus");
        AVCodecContext ctx = avcodec_alloc_context3(codec);
        try {
            ctx.sample_rate(48000);
            av_channel_layout_default(ctx.ch_layout(), 2);
            // libopus takes interleaved S16 as is; the native encoder wants planar float.
            ctx.sample_fmt(libopus ? AV_SAMPLE_FMT_S16 : AV_SAMPLE_FMT_FLTP);
            ctx.bit_rate(100_000);
            ctx.time_base().num(1).den(48000);
            if (libopus) {
                av_opt_set(ctx.priv_data(), "frame_duration", "10", 0);
            } else {
                ctx.strict_std_compliance(FF_COMPLIANCE_EXPERIMENTAL);
                av_opt_set(ctx.priv_data(), "opus_delay", "10", 0);
            }
            int rc = avcodec_open2(ctx, codec, (PointerPointer<?>) null);
            Assumptions.assumeTrue(rc == 0, "FFmpeg's " + name + " encoder does not open: " + rc);
            int fs = ctx.frame_size();
            if (libopus) {
                assertThat(fs).as("frame size of libopus").isEqualTo(480);
            } else {
                // The native encoder takes 2.5 ms CELT frames and groups opus_delay's worth per packet.
                assertThat(AudioParameters.isOpusFrameSize(48000, fs)).as("frame size " + fs).isTrue();
            }

            AVFrame frame = av_frame_alloc();
            AVPacket pkt = av_packet_alloc();
            List<byte[]> packets = new ArrayList<>();
            int total = pcm.length / 2;
            for (int start = 0; start < total; start += fs) {
                frame.nb_samples(fs);
                frame.format(ctx.sample_fmt());
                av_channel_layout_copy(frame.ch_layout(), ctx.ch_layout());
                frame.sample_rate(48000);
                assertThat(av_frame_get_buffer(frame, 0)).isZero();
                int n = Math.min(fs, total - start);
                if (libopus) {
                    short[] chunk = new short[fs * 2];
                    System.arraycopy(pcm, start * 2, chunk, 0, n * 2);
                    new ShortPointer(frame.data(0)).put(chunk);
                } else {
                    for (int c = 0; c < 2; c++) {
                        float[] plane = new float[fs];
                        for (int i = 0; i < n; i++) {
                            plane[i] = pcm[(start + i) * 2 + c] / 32768f;
                        }
                        new FloatPointer(frame.data(c)).put(plane);
                    }
                }
                frame.pts(start);
                assertThat(avcodec_send_frame(ctx, frame)).isZero();
                av_frame_unref(frame);
                drain(ctx, pkt, packets);
            }
            avcodec_send_frame(ctx, null); // flush the encoder's delay
            drain(ctx, pkt, packets);
            av_packet_free(pkt);
            av_frame_free(frame);
            return new Encoded(name, fs, packets);
        } finally {
            avcodec_free_context(ctx);
        }
    }

    private static void drain(AVCodecContext ctx, AVPacket pkt, List<byte[]> packets) {
        while (avcodec_receive_packet(ctx, pkt) == 0) {
            byte[] b = new byte[pkt.size()];
            new BytePointer(pkt.data()).get(b);
            packets.add(b);
            av_packet_unref(pkt);
        }
    }
}
