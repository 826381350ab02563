package org.spicecodec.video.ffmpeg;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_LOW_DELAY;
import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avcodec.AV_EF_EXPLODE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR0;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.swscale.SWS_ACCURATE_RND;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.core.video.VideoDecoder;

/**
 * FFmpeg's h264, hevc, vp8, vp9 or mjpeg decoder for one SPICE stream. Each STREAM_DATA
 * payload is one whole access unit (frame), so it goes to the decoder as one packet, without
 * a parser. The picture is converted to BGRx by a reused {@code SwsContext} and copied into
 * the caller's bitmap row by row, in memory order (as the encoder reads it).
 *
 * <p>Errors: the decoder runs with {@code AV_EF_EXPLODE}, so damage it detects fails the
 * call instead of being concealed; a rejected packet, a frame FFmpeg flags as corrupt or a
 * picture of another size than the bitmap raise {@link MalformedInputException} (offset 0:
 * FFmpeg does not say where), after which the decoder starts afresh (a new FFmpeg context, as
 * after a seek): the next payload must be a key frame. VP8 frame headers are also checked here, as FFmpeg conceals a
 * truncated first partition. Like any decoder with error concealment, FFmpeg cannot notice
 * every damage: a frame that merely lacks its last slices or partitions decodes concealed. A payload that yields no picture returns {@code false}. The
 * decoder's pixel limit is set from the bitmap, so a hostile header cannot make FFmpeg
 * allocate a larger picture.
 *
 * <p>H.264/H.265 streams of odd width or height come padded to even from the encoder
 * ({@link FfmpegFrameCompressor}); a picture at most one column and one row larger than an
 * odd-sized bitmap is therefore accepted and cropped.
 */
final class FfmpegVideoDecoder implements VideoDecoder {
    /** A STREAM_DATA payload larger than this is refused before anything is copied. */
    static final int MAX_PAYLOAD = 64 << 20;

    private final VideoCodecType codecType;
    private final String decoderName;
    private final AVCodec codec;
    private AVCodecContext ctx;
    private AVFrame frame;
    private AVPacket packet;
    @SuppressWarnings("rawtypes")
    private PointerPointer framePlanes;
    private IntPointer frameStrides;

    private BytePointer input;
    private ByteBuffer inputBuffer;

    private SwsContext sws;
    private int swsWidth;
    private int swsHeight;
    private int swsFormat = -1;
    private BytePointer output;
    private ByteBuffer outputBuffer;
    private final PointerPointer<BytePointer> outPlanes = new PointerPointer<>(4);
    private final IntPointer outStrides = new IntPointer(4);
    private boolean closed;
    /** The context, frame, packet and conversion, freed by close() or, if never closed, by the Cleaner. */
    private final Natives natives = new Natives();
    private final java.lang.ref.Cleaner.Cleanable cleanup;
    private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();

    /** What a dropped decoder leaves to free; must not refer to the decoder. */
    static final class Natives implements Runnable {
        /** Decoder contexts allocated and not yet freed (for tests). */
        static final java.util.concurrent.atomic.AtomicInteger LIVE_CONTEXTS = new java.util.concurrent.atomic.AtomicInteger();

        AVCodecContext ctx;
        AVFrame frame;
        AVPacket packet;
        SwsContext sws;

        @Override
        public void run() {
            if (ctx != null) {
                avcodec_free_context(ctx);
                ctx = null;
                LIVE_CONTEXTS.decrementAndGet();
            }
            if (frame != null) {
                av_frame_free(frame);
                frame = null;
            }
            if (packet != null) {
                av_packet_free(packet);
                packet = null;
            }
            if (sws != null) {
                sws_freeContext(sws);
                sws = null;
            }
        }
    }

    FfmpegVideoDecoder(VideoCodecType codecType) {
        FfmpegNatives.requireLoaded();
        this.codecType = Objects.requireNonNull(codecType, "codecType");
        this.decoderName = FfmpegNatives.decoderName(codecType);
        codec = avcodec_find_decoder_by_name(decoderName);
        if (codec == null || codec.isNull()) {
            throw new org.spicecodec.video.BackendUnavailableException("the FFmpeg natives have no " + decoderName + " decoder");
        }
        cleanup = CLEANER.register(this, natives);
        openContext();
        frame = av_frame_alloc();
        natives.frame = frame;
        framePlanes = frame.data();
        frameStrides = frame.linesize();
        packet = av_packet_alloc();
        natives.packet = packet;
        ensureInput(64 * 1024);
    }

    /** A fresh decoder context (frees the current one, if any). */
    private void openContext() {
        if (ctx != null) {
            avcodec_free_context(ctx);
            ctx = null;
            natives.ctx = null;
            Natives.LIVE_CONTEXTS.decrementAndGet();
        }
        AVCodecContext c = avcodec_alloc_context3(codec);
        if (c == null || c.isNull()) {
            cleanup.clean();
            closed = true;
            throw new OutOfMemoryError("avcodec_alloc_context3");
        }
        ctx = c;
        natives.ctx = c;
        Natives.LIVE_CONTEXTS.incrementAndGet();
        // Slice threads only: frame threads would hold pictures back by a frame per thread.
        c.thread_count(0).thread_type(FfmpegNatives.FF_THREAD_SLICE);
        c.flags(c.flags() | AV_CODEC_FLAG_LOW_DELAY);
        c.err_recognition(c.err_recognition() | AV_EF_EXPLODE);
        int r = avcodec_open2(c, codec, (AVDictionary) null);
        if (r < 0) {
            cleanup.clean();
            closed = true;
            throw new IllegalStateException("cannot open the FFmpeg " + decoderName + " decoder: " + FfmpegNatives.error(r));
        }
    }

    @Override
    public VideoCodecType codecType() {
        return codecType;
    }

    @Override
    public boolean decodeFrame(byte[] data, int offset, int length, SpiceBitmap out) {
        try {
            return decode(data, offset, length, out);
        } finally {
            // The Cleaner frees the natives once this object is unreachable: not during a call.
            java.lang.ref.Reference.reachabilityFence(this);
        }
    }

    private boolean decode(byte[] data, int offset, int length, SpiceBitmap out) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(out, "out");
        if (closed) {
            throw new IllegalStateException("decoder closed");
        }
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside an array of " + data.length);
        }
        if (out.format() != SpiceBitmapFormat.RGB32) {
            throw new IllegalArgumentException("the decoder writes RGB32 bitmaps, not " + out.format());
        }
        if (length == 0) {
            throw new MalformedInputException(0, "empty " + codecType + " frame");
        }
        if (length > MAX_PAYLOAD) {
            throw new MalformedInputException(0, codecType + " frame of " + length + " bytes exceeds " + MAX_PAYLOAD);
        }
        if (codecType == VideoCodecType.VP8) {
            checkVp8Header(data, offset, length);
        }
        try {
            return send(data, offset, length, out);
        } catch (MalformedInputException e) {
            // FFmpeg may keep state from the damaged packet: the rest of a packet holding more
            // than one picture, a reorder delay its heuristics raised (h264 never lowers it,
            // even at an IDR, so every later picture would come out late or not at all).
            // Start afresh, as after a seek: the next payload must be a key frame.
            openContext();
            throw e;
        }
    }

    private boolean send(byte[] data, int offset, int length, SpiceBitmap out) {
        // The limit applies to FFmpeg's buffers, which are padded to whole macroblocks/superblocks
        // and aligned; the picture size itself is checked after decoding.
        ctx.max_pixels((long) (((out.width() + 63) & ~63) + 128) * (((out.height() + 63) & ~63) + 128));
        ensureInput(length);
        inputBuffer.put(0, data, offset, length);
        // FFmpeg's bitstream readers may look a little past the end: those bytes must be 0.
        for (int i = 0; i < AV_INPUT_BUFFER_PADDING_SIZE; i++) {
            inputBuffer.put(length + i, (byte) 0);
        }
        packet.data(input).size(length);
        int r = avcodec_send_packet(ctx, packet);
        packet.data(null).size(0);
        if (r < 0 && r != AVERROR_EAGAIN()) {
            throw new MalformedInputException(0, "FFmpeg " + decoderName + " rejected the frame: " + FfmpegNatives.error(r));
        }
        boolean wrote = false;
        while ((r = avcodec_receive_frame(ctx, frame)) >= 0) {
            try {
                if ((frame.flags() & FfmpegNatives.AV_FRAME_FLAG_CORRUPT) != 0 || frame.decode_error_flags() != 0) {
                    throw new MalformedInputException(0, "FFmpeg " + decoderName + " decoded a damaged picture");
                }
                writePicture(out);
                wrote = true;
            } finally {
                av_frame_unref(frame);
            }
        }
        if (r != AVERROR_EAGAIN()) {
            throw new MalformedInputException(0, "FFmpeg " + decoderName + " failed to decode: " + FfmpegNatives.error(r));
        }
        // SPICE shows each payload's picture as it arrives, so a stream never reorders (our
        // encoders make no B-frames). A payload that makes the decoder hold pictures back (an
        // SPS that declares reordering, or h264's heuristics raising the delay on a damaged
        // packet, which no IDR lowers again) would delay or swallow every later picture.
        if (ctx.has_b_frames() > 0) {
            throw new MalformedInputException(0, codecType + " stream makes the decoder hold " + ctx.has_b_frames()
                    + " picture(s) back for reordering; SPICE frames are shown as they arrive");
        }
        return wrote;
    }

    /**
     * The VP8 frame tag (RFC 6386 §9.1) and key-frame start code. FFmpeg's vp8 decoder
     * conceals a truncated first partition instead of failing, so its size is checked here.
     */
    static void checkVp8Header(byte[] d, int off, int len) {
        if (len < 3) {
            throw new MalformedInputException(len, "VP8 frame of " + len + " bytes is shorter than its 3-byte tag");
        }
        int tag = (d[off] & 255) | (d[off + 1] & 255) << 8 | (d[off + 2] & 255) << 16;
        boolean key = (tag & 1) == 0;
        int firstPartition = tag >>> 5;
        int header = 3;
        if (key) {
            if (len < 10) {
                throw new MalformedInputException(len, "VP8 key frame of " + len + " bytes is shorter than its 10-byte header");
            }
            if ((d[off + 3] & 255) != 0x9d || (d[off + 4] & 255) != 0x01 || (d[off + 5] & 255) != 0x2a) {
                throw new MalformedInputException(3, "VP8 key frame lacks the start code 9d 01 2a");
            }
            header = 10;
        }
        if (firstPartition > len - header) {
            throw new MalformedInputException(len, "VP8 first partition of " + firstPartition + " bytes from offset "
                    + header + " runs past the " + len + "-byte frame");
        }
    }

    private void writePicture(SpiceBitmap out) {
        int fw = frame.width();
        int fh = frame.height();
        int w = out.width();
        int h = out.height();
        boolean padded = codecType == VideoCodecType.H264 || codecType == VideoCodecType.H265;
        boolean widthOk = fw == w || padded && (w & 1) == 1 && fw == w + 1;
        boolean heightOk = fh == h || padded && (h & 1) == 1 && fh == h + 1;
        if (!widthOk || !heightOk) {
            throw new MalformedInputException(0, codecType + " picture is " + fw + "x" + fh + ", the stream is " + w + "x" + h);
        }
        int fmt = frame.format();
        if (sws == null || fmt != swsFormat || w != swsWidth || h != swsHeight) {
            prepareConversion(w, h, fmt);
        }
        // Converting only w x h of the frame's planes crops the padding.
        sws_scale(sws, framePlanes, frameStrides, 0, h, outPlanes, outStrides);
        BitmapRows.copyOut(outputBuffer, w * 4, h, w * 4, out);
    }

    private void prepareConversion(int w, int h, int fmt) {
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
            natives.sws = null;
        }
        sws = sws_getContext(w, h, fmt, w, h, AV_PIX_FMT_BGR0, SWS_BILINEAR | SWS_ACCURATE_RND, null, null,
                (DoublePointer) null);
        natives.sws = sws;
        if (sws == null || sws.isNull()) {
            throw new MalformedInputException(0, "no conversion from pixel format " + fmt + " to BGRx");
        }
        long size = (long) w * h * 4;
        if (output == null || output.capacity() < size + 64) {
            if (output != null) {
                output.close();
            }
            output = new BytePointer(size + 64);
            outputBuffer = output.asBuffer();
            outPlanes.put(0, output);
        }
        outStrides.put(0, w * 4);
        swsFormat = fmt;
        swsWidth = w;
        swsHeight = h;
    }

    private void ensureInput(int length) {
        long need = (long) length + AV_INPUT_BUFFER_PADDING_SIZE;
        if (input == null || input.capacity() < need) {
            long cap = Math.max(need, input == null ? 0 : 2 * input.capacity());
            if (input != null) {
                input.close();
            }
            input = new BytePointer(cap);
            inputBuffer = input.asBuffer();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        cleanup.clean();
        ctx = null;
        frame = null;
        packet = null;
        sws = null;
        if (output != null) {
            output.close();
        }
        input.close();
        outPlanes.close();
        outStrides.close();
    }
}
