package org.spicecodec.audio;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.lang.ref.Cleaner;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * {@link OpusEngine#FFMPEG} encoder: FFmpeg's {@code libopus} encoder with SPICE's profile.
 * SPICE sets only the application, so everything else must be libopus's own default, which
 * FFmpeg's wrapper would otherwise override: complexity 9 (FFmpeg defaults to 10), constrained
 * VBR (FFmpeg defaults to unconstrained), and the OPUS_AUTO bit rate, which FFmpeg cannot
 * express (its {@code b=0} means 96 kbit/s for stereo) and is therefore given as the value
 * libopus computes for it, {@code 60 * Fs / frameSize + Fs * channels} (102 kbit/s).
 *
 * <p>One AVFrame and one AVPacket are reused; samples go straight into the frame's buffer and
 * the packet is read through a reused view, so a frame costs no Java allocation.
 */
final class FfmpegOpusEncoder implements OpusEncoderBackend {
    private static final int OFF_FRAME_DATA = Pointer.offsetof(AVFrame.class, "data");
    private static final int OFF_PACKET_DATA = Pointer.offsetof(AVPacket.class, "data");

    private final AudioParameters params;
    private final AVCodec codec;
    private final Natives natives = new Natives();
    private final Cleaner.Cleanable cleanable;
    private final FfmpegOpusSupport.ByteView bytes = new FfmpegOpusSupport.ByteView();
    private final FfmpegOpusSupport.ShortView samples = new FfmpegOpusSupport.ShortView();
    private int lookahead;
    private long pts;
    private boolean closed;

    /** Native state, freed by {@link #close()} or, if forgotten, by the cleaner. */
    private static final class Natives implements Runnable {
        AVCodecContext ctx;
        AVFrame frame;
        AVPacket pkt;

        @Override
        public void run() {
            freeContext();
            if (frame != null) {
                av_frame_free(frame);
                frame = null;
            }
            if (pkt != null) {
                av_packet_free(pkt);
                pkt = null;
            }
        }

        void freeContext() {
            if (ctx != null) {
                // Drain the packet libopus still owes for its lookahead, which FFmpeg would
                // otherwise report as "frames left in the queue on closing".
                if (pkt != null && avcodec_send_frame(ctx, null) >= 0) {
                    while (avcodec_receive_packet(ctx, pkt) >= 0) {
                        av_packet_unref(pkt);
                    }
                }
                avcodec_free_context(ctx);
                ctx = null;
            }
        }
    }

    FfmpegOpusEncoder(AudioParameters p) {
        params = p;
        codec = avcodec_find_encoder_by_name("libopus");
        if (codec == null) {
            throw new IllegalStateException("this FFmpeg build has no libopus encoder");
        }
        cleanable = FfmpegOpusSupport.CLEANER.register(this, natives);
        try {
            openContext();
            AVFrame frame = natives.frame = av_frame_alloc();
            natives.pkt = av_packet_alloc();
            if (frame == null || natives.pkt == null) {
                throw new OutOfMemoryError("av_frame_alloc/av_packet_alloc");
            }
            frame.nb_samples(p.frameSize());
            frame.format(AV_SAMPLE_FMT_S16);
            frame.sample_rate(p.sampleRate());
            check(av_channel_layout_copy(frame.ch_layout(), natives.ctx.ch_layout()), "av_channel_layout_copy");
            check(av_frame_get_buffer(frame, 0), "av_frame_get_buffer");
            // The no-allocation reads below rely on JavaCPP's field offsets: check them once.
            if (FfmpegOpusSupport.readPointer(bytes, frame, OFF_FRAME_DATA) != frame.data(0).address()) {
                throw new IllegalStateException("AVFrame.data offset mismatch");
            }
        } catch (RuntimeException | Error e) {
            cleanable.clean();
            throw e;
        }
    }

    private void openContext() {
        AVCodecContext ctx = natives.ctx = avcodec_alloc_context3(codec);
        if (ctx == null) {
            throw new OutOfMemoryError("avcodec_alloc_context3");
        }
        ctx.sample_rate(params.sampleRate());
        av_channel_layout_default(ctx.ch_layout(), params.channels());
        ctx.sample_fmt(AV_SAMPLE_FMT_S16);
        ctx.time_base().num(1).den(params.sampleRate());
        ctx.bit_rate(OpusEngines.effectiveBitrate(params));
        ctx.compression_level(params.complexity());
        Pointer priv = ctx.priv_data();
        check(av_opt_set(priv, "application", switch (params.application()) {
            case AUDIO -> "audio";
            case VOIP -> "voip";
            case RESTRICTED_LOWDELAY -> "lowdelay";
        }, 0), "option application");
        check(av_opt_set(priv, "frame_duration", Double.toString(params.frameSize() * 1000.0 / params.sampleRate()), 0),
                "option frame_duration");
        check(av_opt_set(priv, "vbr", "constrained", 0), "option vbr");
        check(avcodec_open2(ctx, codec, (PointerPointer<?>) null), "avcodec_open2(libopus encoder)");
        if (ctx.frame_size() != params.frameSize()) {
            throw new IllegalStateException("libopus encoder frame size " + ctx.frame_size() + ", expected " + params.frameSize());
        }
        lookahead = ctx.initial_padding();
        pts = 0;
    }

    private static void check(int rc, String what) {
        if (rc < 0) {
            throw new IllegalStateException(what + " failed: " + FfmpegOpusSupport.errorString(rc));
        }
    }

    @Override
    public OpusEngine engine() {
        return OpusEngine.FFMPEG;
    }

    @Override
    public int lookahead() {
        return lookahead;
    }

    @Override
    public int encode(short[] pcm, int off, byte[] out, int outOff, int room) {
        ensureOpen();
        AVCodecContext ctx = natives.ctx;
        AVFrame frame = natives.frame;
        AVPacket pkt = natives.pkt;
        // The encoder drops its reference once the packet is out, so the buffer is ours again;
        // should it not be, copy-on-write rather than overwrite samples still in use.
        if (av_frame_is_writable(frame) == 0) {
            check(av_frame_make_writable(frame), "av_frame_make_writable");
        }
        int n = params.samplesPerFrame();
        samples.at(FfmpegOpusSupport.readPointer(bytes, frame, OFF_FRAME_DATA), n).put(pcm, off, n);
        frame.pts(pts);
        pts += params.frameSize();
        check(avcodec_send_frame(ctx, frame), "avcodec_send_frame(libopus)");
        // libopus codes each frame at once: one frame in, one packet out.
        check(avcodec_receive_packet(ctx, pkt), "avcodec_receive_packet(libopus)");
        try {
            int size = pkt.size();
            if (size > room) {
                throw new IllegalStateException("libopus made a " + size + "-byte packet; only " + room
                        + " bytes of room (FFmpeg cannot give libopus a byte budget)");
            }
            bytes.at(FfmpegOpusSupport.readPointer(bytes, pkt, OFF_PACKET_DATA), size).get(out, outOff, size);
            return size;
        } finally {
            av_packet_unref(pkt);
        }
    }

    /** libopus's FFmpeg wrapper cannot be flushed; a fresh context is the freshly created state. */
    @Override
    public void reset() {
        ensureOpen();
        natives.freeContext();
        openContext();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("Opus encoder is closed");
        }
    }

    @Override
    public void close() {
        closed = true;
        cleanable.clean();
    }
}
