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
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
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
import org.spicecodec.video.I420Converter;
import org.spicecodec.video.RateControlMode;
import org.spicecodec.video.UnsupportedConfigurationException;
import org.spicecodec.video.VideoEncoderConfig;

/**
 * One FFmpeg encoder (libx264, libopenh264, libx265, libvpx, libvpx-vp9 or mjpeg) behind
 * {@link FrameCompressor}: one frame in, one access unit out (Annex B with SPS/PPS on key
 * frames for H.264/H.265, x264 with access unit delimiters; raw VP8/VP9 frames; JPEGs).
 *
 * <p>Per frame: the rectangle, in memory order (a bottom-up bitmap is encoded upside down, as
 * spice-server does; the client flips it), is converted to I420 by {@link I420Converter} a row
 * pair at a time straight into a reused {@code AVFrame}'s planes, encoded, and the packet
 * copied into the caller's {@link EncodedFrame}. Only MJPEG, whose frames are full-range
 * {@code yuvj420p}, goes through swscale (rows copied into a native buffer first). Nothing is
 * allocated on the Java heap in steady state: the packet's data address is read as a long and a
 * single {@link NativeView} is aimed at it.
 *
 * <p>Zero latency leaves no room to overlap one frame's conversion with another's encoding
 * inside {@link #encode}, so the conversion is spread over the cores within the frame: the
 * caller converts the top half of the row pairs while one persistent worker ({@link BandWorker},
 * stopped by {@link #close()}) converts the bottom half, as x264 encodes in slices.
 * {@link FfmpegFramePipeline} also overlaps frames, with two frame slots (the conversion
 * still on two bands, beside the encoding thread). At 1920x1080 RGB32 on two cores: row copy + swscale (2 threads)
 * took about 3.2 ms of wall time per frame, the Java converter on two bands about 2 ms; x264
 * ultrafast about 4 ms.
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
     * swscale's filter for MJPEG's full-range conversion; with no scaling it only decides how
     * chroma is averaged. (For the limited-range encoders I420Converter took over: at 1920x1080
     * BGRx it needs 3.4 ms of CPU where the row copy + swscale needed 0.8 + 4.5 ms.)
     */
    static final int SWS_FLAGS = SWS_BILINEAR;
    /** Conversion threads at most; more than the cores only adds hand-over. */
    static final int MAX_CONVERSION_THREADS = 8;
    /** A conversion thread's band is at least this many rows. */
    static final int MIN_ROWS_PER_THREAD = 64;

    private static final int PACKET_DATA_WORD = Loader.offsetof(AVPacket.class, "data") / 8;
    private static final int FRAME_DATA_WORD = Loader.offsetof(AVFrame.class, "data") / 8;

    private final VideoEncoderConfig config;
    private final FfmpegEncoder encoder;
    private final AVCodec codec;
    private final NativeView view = new NativeView();
    private final BandWorker bands;
    /** Every native object this compressor owns, so that they can be freed without it. */
    private final Natives natives;
    /**
     * Stops the conversion worker and frees the natives if the compressor is dropped without
     * {@link #close()}: neither refers to the compressor, so it can become unreachable.
     */
    private final Cleaner.Cleanable cleanup;
    /** Name of the conversion worker thread. */
    static final String CONVERSION_THREAD = "spice-ffmpeg-convert";
    private static final Cleaner CLEANER = Cleaner.create();

    private long bitRate;
    private boolean reopen;
    private boolean forceKey;
    private boolean closed;

    // Per-size state, replaced when the size changes.
    private AVCodecContext ctx;
    /** Conversion targets: one for {@link #encode}, two when a pipeline double-buffers. */
    private final AVFrame[] frames;
    private AVPacket packet;
    private LongPointer packetWords;
    private int width;
    private int height;
    private int codedWidth;
    private int codedHeight;
    private long frameIndex;

    /** Per slot, the three planes of its AVFrame as buffers, and the data address they were made for. */
    private ByteBuffer[][] planes;
    private long[] planesAddress;
    private LongPointer[] frameWords;
    private int[] linesize = new int[3];
    /** Per band: two luma rows and a U and a V row, converted here, then put into the planes. */
    private final byte[][] yRows = new byte[2][];
    private final byte[][] uRow = new byte[2][];
    private final byte[][] vRow = new byte[2][];

    // The frame being converted, read by both band threads (published by the band hand-over).
    private SpiceBitmap job;
    private int jobLeft;
    private int jobTop;
    private int jobWidth;
    private int jobHeight;
    private int jobSlot;
    private final BandWorker.Band convertPairs = this::convertPairs;
    private final BandWorker.Band copyRows = this::copyRows;
    private final MemoryOrder memoryOrder = new MemoryOrder();

    // Per-input-format state, for conversions swscale does (to MJPEG's full-range yuvj420p).
    private SwsContext sws;
    private int swsFormat = -1;
    private int swsWidth;
    private int swsHeight;
    private int swsThreads;
    /** The packed input rows, in a refcounted buffer: {@code sws_scale_frame} takes references. */
    private AVFrame input;
    private ByteBuffer inputBuffer;

    FfmpegFrameCompressor(VideoEncoderConfig config, FfmpegEncoder encoder) {
        this(config, encoder, 1);
    }

    /** With {@code slots} conversion targets (2 for {@link FfmpegFramePipeline}). */
    FfmpegFrameCompressor(VideoEncoderConfig config, FfmpegEncoder encoder, int slots) {
        FfmpegNatives.requireLoaded();
        this.frames = new AVFrame[slots];
        BandWorker b = new BandWorker(CONVERSION_THREAD);
        Natives n = new Natives(frames);
        this.bands = b;
        this.natives = n;
        this.cleanup = CLEANER.register(this, () -> {
            b.close();
            n.freeCodec();
            n.freeConversion();
        });
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
        Objects.requireNonNull(out, "out");
        try {
            prepare(bitmap, srcLeft, srcTop, srcWidth, srcHeight);
            convert(bitmap, srcLeft, srcTop, srcWidth, srcHeight, 0);
            return encodeConverted(0, takeKeyRequest(), ptsNanos, out);
        } finally {
            // The Cleaner frees the natives once this object is unreachable: not during a call.
            java.lang.ref.Reference.reachabilityFence(this);
        }
    }

    /**
     * Checks the frame and the rectangle, and reopens the codec and the conversion when the
     * size, the pixel format or (for encoders that cannot change it while streaming) the bit
     * rate changed. A {@link FfmpegFramePipeline} calls it while the previous frame encodes,
     * but first waits for nothing to be in flight whenever {@link #needsReopen} says the codec
     * will be reopened; otherwise it touches only the conversion state.
     *
     * @return whether the codec was (re)opened: the next frame is a key frame
     */
    boolean prepare(SpiceBitmap bitmap, int srcLeft, int srcTop, int srcWidth, int srcHeight) {
        Objects.requireNonNull(bitmap, "bitmap");
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
        boolean opened = false;
        if (needsReopen(srcWidth, srcHeight)) {
            open(srcWidth, srcHeight);
            opened = true;
        }
        if (srcFormat != swsFormat || swsWidth != codedWidth || swsHeight != codedHeight) {
            prepareConversion(srcFormat);
        }
        return opened;
    }

    /** Whether the next frame of this size makes {@link #prepare} reopen the codec. */
    boolean needsReopen(int srcWidth, int srcHeight) {
        return ctx == null || srcWidth != width || srcHeight != height || reopen;
    }

    /**
     * Copies the rectangle's rows and converts them into frame {@code slot}; {@link #prepare}
     * must have accepted the same arguments. Touches only the conversion state, never the codec.
     */
    void convert(SpiceBitmap bitmap, int srcLeft, int srcTop, int srcWidth, int srcHeight, int slot) {
        AVFrame target = frames[slot];
        check(av_frame_make_writable(target), "av_frame_make_writable");
        // Memory order: a bottom-up bitmap's first stored row is its bottom row.
        job = memoryOrder.view(bitmap);
        jobLeft = srcLeft;
        jobTop = MemoryOrder.firstRow(bitmap, srcTop, srcHeight);
        jobWidth = srcWidth;
        jobHeight = srcHeight;
        jobSlot = slot;
        boolean parallel = swsThreads > 1;
        try {
            if (sws == null) {
                refreshPlanes(slot);
                int pairs = (srcHeight + 1) >>> 1;
                bands.run(convertPairs, pairs, pairs / 2, parallel);
            } else {
                bands.run(copyRows, srcHeight, srcHeight / 2, parallel
                        && (long) srcHeight * srcWidth * bitmap.format().bytesPerPixel() >= MIN_PARALLEL_COPY_BYTES);
                check(sws_scale_frame(sws, target, input), "sws_scale_frame");
            }
        } finally {
            job = null; // hold no frame between calls
        }
    }

    /** Below this many bytes a copy is not worth waking a thread for. */
    static final int MIN_PARALLEL_COPY_BYTES = 1 << 20;

    /**
     * Row pairs {@code [from, to)} through {@link I420Converter#rgbToI420Pair} into this band's
     * row buffers, padded to the coded width by the last luma column, then into the planes.
     * A pair's second row is written only inside the coded height: VP8/VP9 code odd heights.
     */
    private void convertPairs(int from, int to, int band) {
        byte[] y = yRows[band];
        byte[] u = uRow[band];
        byte[] v = vRow[band];
        ByteBuffer[] p = planes[jobSlot];
        int cw = (codedWidth + 1) >>> 1;
        int w = jobWidth;
        boolean padColumn = codedWidth > w;
        for (int j = from; j < to; j++) {
            I420Converter.rgbToI420Pair(job, jobLeft, jobTop, w, jobHeight, j, y, 0, codedWidth, u, 0, v, 0,
                    I420Converter.UNSIGNED_SAMPLES);
            if (padColumn) {
                y[w] = y[w - 1];
                y[codedWidth + w] = y[codedWidth + w - 1];
            }
            p[0].put(2 * j * linesize[0], y, 0, codedWidth);
            if (2 * j + 1 < codedHeight) {
                p[0].put((2 * j + 1) * linesize[0], y, codedWidth, codedWidth);
            }
            p[1].put(j * linesize[1], u, 0, cw);
            p[2].put(j * linesize[2], v, 0, cw);
        }
    }

    /** Rows {@code [from, to)} of the rectangle into swscale's packed input, padded to the coded size. */
    private void copyRows(int from, int to, int band) {
        int bpp = job.format().bytesPerPixel();
        BitmapRows.copyIn(job, jobTop + from, to - from, jobLeft * bpp, jobWidth * bpp,
                codedWidth > jobWidth ? bpp : 0, to == jobHeight && codedHeight > jobHeight, inputBuffer, from,
                codedWidth * bpp);
    }

    /**
     * The plane buffers of frame {@code slot}, remade if its data moved ({@code av_frame_make_writable}
     * reallocates a frame that something else still references; FFmpeg's encoders let go of it
     * after each frame, so in practice this happens once per size).
     */
    private void refreshPlanes(int slot) {
        long address = frameWords[slot].get(FRAME_DATA_WORD);
        if (planes[slot][0] != null && address == planesAddress[slot]) {
            return;
        }
        AVFrame f = frames[slot];
        int cw = (codedWidth + 1) >>> 1;
        int ch = (codedHeight + 1) >>> 1;
        for (int i = 0; i < 3; i++) {
            linesize[i] = f.linesize(i);
            int rows = i == 0 ? codedHeight : ch;
            int bytes = i == 0 ? codedWidth : cw;
            planes[slot][i] = f.data(i).capacity((long) linesize[i] * (rows - 1) + bytes).asBuffer();
        }
        planesAddress[slot] = address;
    }

    /**
     * Encodes the converted frame {@code slot} into {@code out}. Touches only the codec, so a
     * pipeline may run it on another thread while the next frame is converted into the other slot.
     */
    boolean encodeConverted(int slot, boolean key, long ptsNanos, EncodedFrame out) {
        AVFrame frame = frames[slot];
        frame.pts(frameIndex++);
        frame.pict_type(key ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
        if (encoder == FfmpegEncoder.MJPEG && config.rateControl() == RateControlMode.CONSTANT_QP) {
            frame.quality(config.constantQp() * FF_QP2LAMBDA);
        }
        check(avcodec_send_frame(ctx, frame), "avcodec_send_frame");
        int r;
        int length = 0;
        boolean keyOut = false;
        // Zero-latency settings give exactly one packet; a second one would still be appended
        // so that no bytes of the stream are lost.
        while ((r = avcodec_receive_packet(ctx, packet)) >= 0) {
            int size = packet.size();
            byte[] dst = out.ensureCapacity(length + size);
            view.point(packetWords.get(PACKET_DATA_WORD), size).get(dst, length, size);
            if ((packet.flags() & AV_PKT_FLAG_KEY) != 0) {
                // x264 with intra refresh flags the frames that start a refresh cycle as key
                // frames; only an IDR/IRAP picture can be decoded on its own.
                keyOut |= encoder.codec == VideoCodecType.H264 || encoder.codec == VideoCodecType.H265
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
        out.set(length, keyOut, out.mmTime(), ptsNanos);
        return true;
    }

    /** Frame {@code slot} as converted, for tests. */
    AVFrame converted(int slot) {
        return frames[slot];
    }

    /** Whether {@link #setBitRate} reopens the codec (every encoder but x264) rather than reconfiguring it. */
    boolean bitRateChangeReopens() {
        return encoder != FfmpegEncoder.X264;
    }

    /** Whether a key frame was requested and not yet taken (the pipeline takes it for the next frame). */
    boolean takeKeyRequest() {
        boolean k = forceKey;
        forceKey = false;
        return k;
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
            java.lang.ref.Reference.reachabilityFence(this);
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
        cleanup.clean();
        freeCodec();
        freeConversion();
    }

    private void open(int w, int h) {
        freeCodec();
        try {
            openCodec(w, h);
        } catch (RuntimeException | Error e) {
            // Leave nothing half-open: with ctx null the next frame opens again.
            freeCodec();
            throw e;
        }
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
            ctx = null;
            throw new OutOfMemoryError("avcodec_alloc_context3");
        }
        natives.ctx = ctx;
        Natives.LIVE_CONTEXTS.incrementAndGet();
        FfmpegEncoderSettings.apply(ctx, config, encoder, codedWidth, codedHeight, bitRate);
        int r = avcodec_open2(ctx, codec, (AVDictionary) null);
        if (r < 0) {
            throw new UnsupportedConfigurationException("codec", encoder.ffmpegName + " refused " + config + " at "
                    + codedWidth + "x" + codedHeight + ": " + FfmpegNatives.error(r));
        }
        for (int i = 0; i < frames.length; i++) {
            AVFrame f = av_frame_alloc();
            if (f == null || f.isNull()) {
                throw new OutOfMemoryError("av_frame_alloc");
            }
            frames[i] = f;
            f.format(ctx.pix_fmt()).width(codedWidth).height(codedHeight);
            check(av_frame_get_buffer(f, 0), "av_frame_get_buffer");
        }
        planes = new ByteBuffer[frames.length][3];
        planesAddress = new long[frames.length];
        frameWords = new LongPointer[frames.length];
        for (int i = 0; i < frames.length; i++) {
            frameWords[i] = new LongPointer(frames[i]);
        }
        for (int band = 0; band < 2; band++) {
            yRows[band] = new byte[2 * codedWidth];
            uRow[band] = new byte[(codedWidth + 1) / 2];
            vRow[band] = new byte[(codedWidth + 1) / 2];
        }
        packet = av_packet_alloc();
        natives.packet = packet;
        packetWords = new LongPointer(packet);
    }

    private void prepareConversion(int srcFormat) {
        freeConversion();
        swsThreads = conversionThreads(config, codedHeight);
        if (ctx.pix_fmt() != AV_PIX_FMT_YUV420P) { // else I420Converter writes the planes, no swscale
            sws = newConversion(codedWidth, codedHeight, srcFormat, ctx.pix_fmt(), swsThreads);
            natives.sws = sws;
            int bpp = srcFormat == BitmapRows.pixelFormat(org.spicecodec.core.SpiceBitmapFormat.RGB24) ? 3
                    : srcFormat == BitmapRows.pixelFormat(org.spicecodec.core.SpiceBitmapFormat.RGB16) ? 2 : 4;
            input = newInputFrame(codedWidth, codedHeight, srcFormat, bpp);
            natives.input = input;
            inputBuffer = input.data(0).capacity((long) codedWidth * bpp * codedHeight).asBuffer();
        }
        // Last: a conversion that failed to set up is tried again on the next frame.
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
        natives.freeConversion();
        sws = null;
        input = null;
        inputBuffer = null;
        swsFormat = -1;
    }

    private void freeCodec() {
        natives.freeCodec(); // also clears the frame slots, which it shares
        ctx = null;
        packet = null;
    }

    /**
     * The compressor's native objects. Freed by {@link #close()}, or by the Cleaner when a
     * compressor is dropped unclosed: it must not refer to the compressor.
     */
    static final class Natives {
        /** Codec contexts allocated and not yet freed, all compressors together (for tests). */
        static final java.util.concurrent.atomic.AtomicInteger LIVE_CONTEXTS = new java.util.concurrent.atomic.AtomicInteger();

        AVCodecContext ctx;
        final AVFrame[] frames;
        AVPacket packet;
        SwsContext sws;
        AVFrame input;

        Natives(AVFrame[] frames) {
            this.frames = frames;
        }

        void freeCodec() {
            if (ctx != null) {
                avcodec_free_context(ctx);
                ctx = null;
                LIVE_CONTEXTS.decrementAndGet();
            }
            for (int i = 0; i < frames.length; i++) {
                if (frames[i] != null) {
                    av_frame_free(frames[i]);
                    frames[i] = null;
                }
            }
            if (packet != null) {
                av_packet_free(packet);
                packet = null;
            }
        }

        void freeConversion() {
            if (sws != null) {
                sws_freeContext(sws);
                sws = null;
            }
            if (input != null) {
                av_frame_free(input);
                input = null;
            }
        }
    }

    private void check(int r, String what) {
        if (r < 0) {
            throw new IllegalStateException(encoder.ffmpegName + ": " + what + " failed: " + FfmpegNatives.error(r));
        }
    }
}
