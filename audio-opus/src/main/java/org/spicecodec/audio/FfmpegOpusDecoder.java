package org.spicecodec.audio;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.lang.ref.Cleaner;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.spicecodec.core.MalformedInputException;

/**
 * {@link OpusEngine#FFMPEG} decoder: FFmpeg's {@code libopus} decoder without extradata, i.e.
 * a plain {@code opus_decode} of each raw packet (no pre-skip, no gain), S16 interleaved, as
 * spice-gtk does. FFmpeg's wrapper has no packet-loss concealment and no FEC decoding.
 *
 * <p>The packet is copied into one native buffer allocated up front; decoded samples are read
 * through a reused view: a packet costs no Java allocation.
 */
final class FfmpegOpusDecoder implements OpusDecoderBackend {
    private static final int OFF_FRAME_DATA = Pointer.offsetof(AVFrame.class, "data");
    private static final int OFF_PACKET_DATA = Pointer.offsetof(AVPacket.class, "data");

    private final AudioParameters params;
    private final Natives natives = new Natives();
    private final Cleaner.Cleanable cleanable;
    private final FfmpegOpusSupport.ByteView bytes = new FfmpegOpusSupport.ByteView();
    private final FfmpegOpusSupport.ShortView samples = new FfmpegOpusSupport.ShortView();
    private boolean closed;

    private static final class Natives implements Runnable {
        AVCodecContext ctx;
        AVFrame frame;
        AVPacket pkt;
        BytePointer input;

        @Override
        public void run() {
            if (ctx != null) {
                avcodec_free_context(ctx);
                ctx = null;
            }
            if (frame != null) {
                av_frame_free(frame);
                frame = null;
            }
            if (pkt != null) {
                av_packet_free(pkt); // not refcounted: leaves input alone
                pkt = null;
            }
            if (input != null) {
                av_free(input);
                input = null;
            }
        }
    }

    FfmpegOpusDecoder(AudioParameters p) {
        params = p;
        AVCodec codec = avcodec_find_decoder_by_name("libopus");
        if (codec == null) {
            throw new IllegalStateException("this FFmpeg build has no libopus decoder");
        }
        cleanable = FfmpegOpusSupport.CLEANER.register(this, natives);
        try {
            AVCodecContext ctx = natives.ctx = avcodec_alloc_context3(codec);
            natives.frame = av_frame_alloc();
            natives.pkt = av_packet_alloc();
            Pointer in = av_mallocz(p.maxPacketBytes() + AV_INPUT_BUFFER_PADDING_SIZE);
            if (ctx == null || natives.frame == null || natives.pkt == null || in == null) {
                throw new OutOfMemoryError("FFmpeg allocation failed");
            }
            natives.input = new BytePointer(in).capacity(p.maxPacketBytes());
            ctx.sample_rate(48000);
            av_channel_layout_default(ctx.ch_layout(), p.channels());
            ctx.request_sample_fmt(AV_SAMPLE_FMT_S16);
            int rc = avcodec_open2(ctx, codec, (PointerPointer<?>) null);
            if (rc < 0) {
                throw new IllegalStateException("avcodec_open2(libopus decoder) failed: " + FfmpegOpusSupport.errorString(rc));
            }
            if (ctx.sample_fmt() != AV_SAMPLE_FMT_S16 || ctx.ch_layout().nb_channels() != p.channels()) {
                throw new IllegalStateException("libopus decoder opened with format " + ctx.sample_fmt() + ", "
                        + ctx.ch_layout().nb_channels() + " channels");
            }
            natives.pkt.data(natives.input).size(0);
            if (FfmpegOpusSupport.readPointer(bytes, natives.pkt, OFF_PACKET_DATA) != natives.input.address()) {
                throw new IllegalStateException("AVPacket.data offset mismatch");
            }
        } catch (RuntimeException | Error e) {
            cleanable.clean();
            throw e;
        }
    }

    @Override
    public OpusEngine engine() {
        return OpusEngine.FFMPEG;
    }

    @Override
    public int decode(byte[] p, int off, int len, short[] out, int outOff, int maxFrames, boolean fec) {
        if (closed) {
            throw new IllegalStateException("Opus decoder is closed");
        }
        if (p == null || fec) {
            throw new UnsupportedOperationException("the FFmpeg Opus engine cannot conceal a lost packet or decode FEC"
                    + " (FFmpeg's libopus decoder has neither); use OpusEngine.CONCENTUS for that");
        }
        if (len > params.maxPacketBytes()) { // validated by OpusAudioDecoder; the buffer has this size
            throw new MalformedInputException(params.maxPacketBytes(), "packet longer than " + params.maxPacketBytes());
        }
        AVCodecContext ctx = natives.ctx;
        AVFrame frame = natives.frame;
        // A non-refcounted packet: FFmpeg takes its own copy, so our buffer is free again at once.
        natives.input.put(p, off, len);
        natives.pkt.size(len);
        int rc = avcodec_send_packet(ctx, natives.pkt);
        if (rc >= 0) {
            rc = avcodec_receive_frame(ctx, frame);
        }
        if (rc < 0) {
            avcodec_flush_buffers(ctx); // OPUS_RESET_STATE, like the Concentus engine after an error
            throw new MalformedInputException(0, "libopus (FFmpeg) rejected the packet: " + FfmpegOpusSupport.errorString(rc));
        }
        try {
            int n = frame.nb_samples();
            if (n < 0 || n > maxFrames) {
                avcodec_flush_buffers(ctx);
                throw new MalformedInputException(0, "libopus decoded " + n + " samples per channel, more than " + maxFrames);
            }
            int count = n * params.channels();
            samples.at(FfmpegOpusSupport.readPointer(bytes, frame, OFF_FRAME_DATA), count).get(out, outOff, count);
            return n;
        } finally {
            av_frame_unref(frame);
        }
    }

    @Override
    public void reset() {
        if (closed) {
            throw new IllegalStateException("Opus decoder is closed");
        }
        avcodec_flush_buffers(natives.ctx);
    }

    @Override
    public void close() {
        closed = true;
        cleanable.clean();
    }
}
