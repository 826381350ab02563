package org.spicecodec.video.ffmpeg;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_I;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_NONE;
import static org.bytedeco.ffmpeg.global.avutil.FF_QP2LAMBDA;
import static org.bytedeco.ffmpeg.global.avutil.av_buffer_allocz;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_alloc_context;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_init_context;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale_frame;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVBufferRef;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.ffmpeg.swscale.SwsFilter;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.LongPointer;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.video.EncodedFrame;
import org.spicecodec.core.video.MemoryOrder;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.video.FrameCompressor;
import org.spicecodec.video.RateControlMode;
import org.spicecodec.video.UnsupportedConfigurationException;
import org.spicecodec.video.VideoEncoderConfig;

/**
 * One FFmpeg encoder (libx264, libopenh264, libx265, libvpx, libvpx-vp9 or mjpeg) behind
 * {@link FrameCompressor}: one frame in, one access unit out (Annex B with SPS/PPS on key
 * frames for H.264/H.265, x264 with access unit delimiters; raw VP8/VP9 frames; JPEGs).
 *
 * <p>Per frame: the cropped rows are copied, in memory order (a bottom-up bitmap is encoded
 * upside down, as spice-server does; the client flips it), into a reused native buffer,
 * converted to I420 by a reused {@code SwsContext} into a reused {@code AVFrame}, encoded, and
 * the packet copied into the caller's {@link EncodedFrame}. Nothing is allocated on the Java
 * heap in steady state: the packet's data address is read as a long and a single
 * {@link NativeView} is aimed at it.
 *
 * <p>Zero latency leaves no room to overlap one frame's conversion with another's encoding,
 * so the copy and the conversion are spread over the cores within the frame: a large frame's
 * rows are copied in two bands ({@link RowCopier}, one persistent worker thread, stopped by
 * {@link #close()}) and swscale converts in bands on its own threads, as x264 encodes in
 * slices. At 1920x1080 RGB32 on two cores this took the encoder from about 90 to about 125
 * frames per second with the same bytes out.
 *
 * <p>Odd sizes: H.264 and H.265 cannot code an odd width or height in 4:2:0 (their cropping
 * works in steps of two), so x264, x265 and openh264 get the frame padded to even by one
 * replicated column and/or row; {@link FfmpegVideoDecoder} crops it off again. VP8, VP9 and
 * MJPEG code the odd size exactly.
 *
 * <p>Bit-rate changes: x264 takes them while streaming (FFmpeg's wrapper calls
 * {@code x264_encoder_reconfig} on the next frame); the other encoders are reopened at the
 * next frame, which then is a key frame.
 */
final class FfmpegFrameCompressor implements FrameCompressor {
    /** H.264 level 6.2 / libvpx maxima are far above this; it bounds native allocation. */
    static final int MAX_DIMENSION = 16384;
    /**
     * Conversion filter; with no scaling it only decides how chroma is averaged. swscale
     * rather than the Java {@code I420Converter}: at 1920x1080 BGRx, row copy + swscale
     * took 0.8 + 4.5 ms of CPU per frame, the Java converter plus copying its planes into the
     * AVFrame 6.5 ms (SWS_POINT 3.3 ms but drops chroma averaging, SWS_FAST_BILINEAR changes
     * luma). Two swscale threads bring the conversion's wall time from 4.5 to about 2.7 ms.
     */
    static final int SWS_FLAGS = SWS_BILINEAR;
    /** Conversion threads at most; more than the cores only adds hand-over. */
    static final int MAX_CONVERSION_THREADS = 8;
    /** A conversion thread's band is at least this many rows. */
    static final int MIN_ROWS_PER_THREAD = 64;

    private static final int PACKET_DATA_WORD = Loader.offsetof(AVPacket.class, "data") / 8;

    private final VideoEncoderConfig config;
    private final FfmpegEncoder encoder;
    private final AVCodec codec;
    private final NativeView view = new NativeView();
    private final RowCopier rowCopier = new RowCopier();
    /**
     * Stops the row-copy worker if the compressor is dropped without {@link #close()}: the
     * worker holds the copier, not the compressor, so the compressor can become unreachable.
     * (Native frames of an unclosed compressor are still leaked; close it.)
     */
    private final Cleaner.Cleanable copierCleanup = CLEANER.register(this, rowCopier::close);
    private static final Cleaner CLEANER = Cleaner.create();

    private long bitRate;
    private boolean reopen;
    private boolean forceKey;
    private boolean closed;

    // Per-size state, replaced when the size changes.
    private AVCodecContext ctx;
    private AVFrame frame;
    private AVPacket packet;
    private LongPointer packetWords;
    private int width;
    private int height;
    private int codedWidth;
    private int codedHeight;
    private long frameIndex;

    // Per-input-format state.
    private SwsContext sws;
    private int swsFormat = -1;
    private int swsWidth;
    private int swsHeight;
    private int swsThreads;
    /** The packed input rows, in a refcounted buffer: {@code sws_scale_frame} takes references. */
    private AVFrame input;
    private ByteBuffer inputBuffer;

    FfmpegFrameCompressor(VideoEncoderConfig config, FfmpegEncoder encoder) {
        FfmpegNatives.requireLoaded();
        this.config = Objects.requireNonNull(config, "config");
        this.encoder = encoder;
        FfmpegEncoderSettings.validate(config, encoder);
        this.codec = avcodec_find_encoder_by_name(encoder.ffmpegName);
        if (codec == null || codec.isNull()) {
            throw new org.spicecodec.video.BackendUnavailableException(encoder.ffmpegName + " is not in the loaded FFmpeg natives ("
                    + FfmpegNatives.license() + ")" + (encoder.gpl ? "; " + FfmpegNatives.GPL_HINT : ""));
        }
        this.bitRate = config.bitRate();
        // Open once at a small size so that a configuration FFmpeg refuses fails here, not on
        // the first frame.
        try {
            openCodec(64, 64);
        } finally {
            freeCodec();
        }
    }

    @Override
    public VideoCodecType codec() {
        return encoder.codec;
    }

    @Override
    public String backend() {
        return "ffmpeg";
    }

    @Override
    public boolean encode(SpiceBitmap bitmap, int srcLeft, int srcTop, int srcWidth, int srcHeight,
                          long ptsNanos, EncodedFrame out) {
        Objects.requireNonNull(bitmap, "bitmap");
        Objects.requireNonNull(out, "out");
        if (closed) {
            throw new IllegalStateException("encoder closed");
        }
        int srcFormat = BitmapRows.pixelFormat(bitmap.format());
        if (srcFormat < 0) {
            throw new IllegalArgumentException("FFmpeg backend takes RGB32, RGBA, RGB24 or RGB16 bitmaps, not " + bitmap.format());
        }
        if (srcWidth < 1 || srcHeight < 1 || srcLeft < 0 || srcTop < 0
                || srcLeft > bitmap.width() - srcWidth || srcTop > bitmap.height() - srcHeight) {
            throw new IllegalArgumentException("rectangle " + srcLeft + "," + srcTop + " " + srcWidth + "x" + srcHeight
                    + " is not inside the " + bitmap.width() + "x" + bitmap.height() + " bitmap");
        }
        if (srcWidth > MAX_DIMENSION || srcHeight > MAX_DIMENSION) {
            throw new IllegalArgumentException(srcWidth + "x" + srcHeight + " exceeds " + MAX_DIMENSION + " pixels a side");
        }
        if (ctx == null || srcWidth != width || srcHeight != height || reopen) {
            open(srcWidth, srcHeight);
        }
        if (srcFormat != swsFormat || swsWidth != codedWidth || swsHeight != codedHeight) {
            prepareConversion(srcFormat);
        }
        // Memory order: a bottom-up bitmap's first stored row is its bottom row.
        int bpp = bitmap.format().bytesPerPixel();
        int firstRow = MemoryOrder.firstRow(bitmap, srcTop, srcHeight);
        rowCopier.copyIn(bitmap, firstRow, srcHeight, srcLeft * bpp, srcWidth * bpp,
                codedWidth > srcWidth ? bpp : 0, codedHeight > srcHeight, inputBuffer, codedWidth * bpp,
                swsThreads > 1);
        int r = av_frame_make_writable(frame);
        check(r, "av_frame_make_writable");
        check(sws_scale_frame(sws, frame, input), "sws_scale_frame");
        frame.pts(frameIndex++);
        frame.pict_type(forceKey ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
        if (encoder == FfmpegEncoder.MJPEG && config.rateControl() == RateControlMode.CONSTANT_QP) {
            frame.quality(config.constantQp() * FF_QP2LAMBDA);
        }
        check(avcodec_send_frame(ctx, frame), "avcodec_send_frame");
        forceKey = false;
        int length = 0;
        boolean key = false;
        // Zero-latency settings give exactly one packet; a second one would still be appended
        // so that no bytes of the stream are lost.
        while ((r = avcodec_receive_packet(ctx, packet)) >= 0) {
            int size = packet.size();
            byte[] dst = out.ensureCapacity(length + size);
            view.point(packetWords.get(PACKET_DATA_WORD), size).get(dst, length, size);
            if ((packet.flags() & AV_PKT_FLAG_KEY) != 0) {
                // x264 with intra refresh flags the frames that start a refresh cycle as key
                // frames; only an IDR/IRAP picture can be decoded on its own.
                key |= encoder.codec == VideoCodecType.H264 || encoder.codec == VideoCodecType.H265
                        ? hasRandomAccessNal(dst, length, size, encoder.codec == VideoCodecType.H265) : true;
            }
            length += size;
            av_packet_unref(packet);
        }
        if (r != AVERROR_EAGAIN()) {
            check(r, "avcodec_receive_packet");
        }
        if (length == 0) {
            return false;
        }
        out.set(length, key, out.mmTime(), ptsNanos);
        return true;
    }

    /** Whether the Annex B units in {@code d[off, off+len)} include an IDR (H.264) or IRAP (H.265) picture. */
    static boolean hasRandomAccessNal(byte[] d, int off, int len, boolean hevc) {
        int end = off + len - 3;
        for (int i = off; i < end; i++) {
            if ((d[i + 2] & 255) > 1) {
                i += 2; // no start code can begin before i + 3
            } else if (d[i] == 0 && d[i + 1] == 0 && d[i + 2] == 1) {
                int h = d[i + 3] & 255;
                if (hevc ? ((h >> 1) & 63) >= 16 && ((h >> 1) & 63) <= 23 : (h & 31) == 5) {
                    return true;
                }
                i += 3;
            }
        }
        return false;
    }

    @Override
    public void setBitRate(long bitsPerSecond) {
        if (bitsPerSecond <= 0) {
            throw new IllegalArgumentException("bit rate must be positive, got " + bitsPerSecond);
        }
        RateControlMode mode = config.rateControl();
        if (mode != RateControlMode.VBR && mode != RateControlMode.CBR || bitsPerSecond == bitRate) {
            return;
        }
        bitRate = bitsPerSecond;
        if (ctx != null && encoder == FfmpegEncoder.X264) {
            // libx264 compares these with its parameters before every frame and reconfigures.
            FfmpegEncoderSettings.setVbv(ctx, bitRate, mode == RateControlMode.VBR ? 600 : 250);
        } else {
            reopen = true;
        }
    }

    @Override
    public void requestKeyFrame() {
        forceKey = true;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        copierCleanup.clean();
        freeCodec();
        freeConversion();
    }

    private void open(int w, int h) {
        freeCodec();
        openCodec(w, h);
        reopen = false;
        width = w;
        height = h;
        frameIndex = 0;
    }

    private void openCodec(int w, int h) {
        codedWidth = encoder.needsEvenSize() ? (w + 1) & ~1 : w;
        codedHeight = encoder.needsEvenSize() ? (h + 1) & ~1 : h;
        ctx = avcodec_alloc_context3(codec);
        if (ctx == null || ctx.isNull()) {
            throw new OutOfMemoryError("avcodec_alloc_context3");
        }
        FfmpegEncoderSettings.apply(ctx, config, encoder, codedWidth, codedHeight, bitRate);
        int r = avcodec_open2(ctx, codec, (AVDictionary) null);
        if (r < 0) {
            throw new UnsupportedConfigurationException("codec", encoder.ffmpegName + " refused " + config + " at "
                    + codedWidth + "x" + codedHeight + ": " + FfmpegNatives.error(r));
        }
        frame = av_frame_alloc();
        frame.format(ctx.pix_fmt()).width(codedWidth).height(codedHeight);
        check(av_frame_get_buffer(frame, 0), "av_frame_get_buffer");
        packet = av_packet_alloc();
        packetWords = new LongPointer(packet);
    }

    private void prepareConversion(int srcFormat) {
        freeConversion();
        swsThreads = conversionThreads(config, codedHeight);
        sws = newConversion(codedWidth, codedHeight, srcFormat, ctx.pix_fmt(), swsThreads);
        int bpp = srcFormat == BitmapRows.pixelFormat(org.spicecodec.core.SpiceBitmapFormat.RGB24) ? 3
                : srcFormat == BitmapRows.pixelFormat(org.spicecodec.core.SpiceBitmapFormat.RGB16) ? 2 : 4;
        input = newInputFrame(codedWidth, codedHeight, srcFormat, bpp);
        inputBuffer = input.data(0).capacity((long) codedWidth * bpp * codedHeight).asBuffer();
        swsFormat = srcFormat;
        swsWidth = codedWidth;
        swsHeight = codedHeight;
    }

    /**
     * A same-size conversion context on {@code threads} threads. swscale splits the frame into
     * bands of output rows, each thread reading whatever source rows its band needs, so the
     * bytes are the same as with one thread; only {@code sws_scale_frame} runs the threads
     * ({@code sws_scale} uses the first band's context for the whole frame).
     */
    static SwsContext newConversion(int w, int h, int srcFormat, int dstFormat, int threads) {
        SwsContext sws = sws_alloc_context();
        if (sws == null || sws.isNull()) {
            throw new OutOfMemoryError("sws_alloc_context");
        }
        sws.src_w(w).src_h(h).src_format(srcFormat).dst_w(w).dst_h(h).dst_format(dstFormat)
                .flags(SWS_FLAGS).threads(threads);
        int r = sws_init_context(sws, (SwsFilter) null, (SwsFilter) null);
        if (r < 0) {
            sws_freeContext(sws);
            throw new IllegalStateException("swscale refused " + w + "x" + h + ": " + FfmpegNatives.error(r));
        }
        return sws;
    }

    /**
     * A zeroed packed single-plane frame in a refcounted buffer, as {@code sws_scale_frame}
     * wants its source (it takes a reference rather than copying); freed with the frame.
     */
    static AVFrame newInputFrame(int w, int h, int format, int bpp) {
        AVFrame f = av_frame_alloc();
        if (f == null || f.isNull()) {
            throw new OutOfMemoryError("av_frame_alloc");
        }
        long size = (long) w * bpp * h + 64; // swscale's SIMD may read a little past the end
        AVBufferRef buf = av_buffer_allocz(size);
        if (buf == null || buf.isNull()) {
            av_frame_free(f);
            throw new OutOfMemoryError("av_buffer_allocz " + size);
        }
        f.format(format).width(w).height(h);
        f.buf(0, buf).data(0, buf.data()).linesize(0, w * bpp);
        return f;
    }

    /**
     * swscale threads: the configuration's {@code threads} or the cores, at most
     * {@link #MAX_CONVERSION_THREADS}, and one for small frames where a band of a few rows
     * costs more to hand over than to convert.
     */
    static int conversionThreads(VideoEncoderConfig config, int height) {
        if (height < MIN_ROWS_PER_THREAD * 2) {
            return 1;
        }
        int cores = config.threads() > 0 ? config.threads() : Runtime.getRuntime().availableProcessors();
        return Math.max(1, Math.min(Math.min(cores, MAX_CONVERSION_THREADS), height / MIN_ROWS_PER_THREAD));
    }

    private void freeConversion() {
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        if (input != null) {
            av_frame_free(input);
            input = null;
            inputBuffer = null;
        }
        swsFormat = -1;
    }

    private void freeCodec() {
        if (ctx != null) {
            avcodec_free_context(ctx);
            ctx = null;
        }
        if (frame != null) {
            av_frame_free(frame);
            frame = null;
        }
        if (packet != null) {
            av_packet_free(packet);
            packet = null;
        }
    }

    private void check(int r, String what) {
        if (r < 0) {
            throw new IllegalStateException(encoder.ffmpegName + ": " + what + " failed: " + FfmpegNatives.error(r));
        }
    }
}
