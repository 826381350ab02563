package org.spicecodec.jpeg;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_BITEXACT;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_QSCALE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR0;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.FF_QP2LAMBDA;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;
import static org.bytedeco.ffmpeg.global.swscale.SWS_ACCURATE_RND;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_ITU601;
import static org.bytedeco.ffmpeg.global.swscale.SWS_POINT;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.ShortPointer;
import org.spicecodec.core.RowCursor;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.video.EncodedFrame;

/**
 * The native JPEG engine: FFmpeg's {@code mjpeg} encoder (libavcodec through JavaCPP) on
 * full-range 4:2:0 ({@code yuvj420p}) input, baseline, the standard Huffman tables
 * ({@code huffman=default}, as libjpeg), JFIF.
 *
 * <p>Quality means the IJG quality: the encoder gets libjpeg's {@code jpeg_set_quality(q, TRUE)}
 * luma and chroma tables as {@code intra_matrix}/{@code chroma_intra_matrix} (natural order,
 * which libavcodec reads per picture and multiplies by {@code qscale / 8}) and a fixed
 * {@code qscale} of 8, so the 63 AC entries of each DQT table equal libjpeg's. The DC entry is
 * the one difference: libavcodec's MJPEG encoder always quantizes DC by 8 (its
 * {@code intra_dc_precision} 0 scale) whatever the matrix says, where libjpeg has 16 × scale
 * (luma) and 17 × scale (chroma): 5 at quality 85, 8 at 75, 16 at 50, 40/43 at 20. The DQT
 * carries the 8, so every decoder reads the frame right; only the DC precision differs.
 *
 * <p>The rectangle's rows are copied, top row first, into a native frame of the bitmap's own
 * layout (bgr0 or bgr24; RGB16 is widened to bgr0 on the way) and {@code sws_scale} converts
 * that to full-range BT.601 4:2:0. Measured on the 1080p photo: row copy plus
 * {@code sws_scale} about 4 ms a frame against 7.5 ms for a Java converter (libjpeg's
 * fixed-point weights, 2×2 chroma means), which was 0.5 dB better in PSNR; encoding then
 * takes about 7 ms more. The codec context, frames, scaler, packet and
 * matrices are kept while the size and format stay the same; the steady state allocates
 * nothing.
 */
public final class FfmpegJpegFrameEncoder implements JpegFrameEncoder {
    /** libavcodec's {@code FF_THREAD_SLICE} (not exported by the JavaCPP presets). */
    private static final int FF_THREAD_SLICE = 2;
    /** The {@code qscale} that makes libavcodec's DQT equal the given matrices ((m * 8) >> 3). */
    private static final int QSCALE = 8;
    /**
     * libavcodec threads per encoder ({@code spicecodec.jpeg.ffmpeg.threads}, 0 = automatic).
     * 1 by default: automatic slice threading measured no faster on 1080p here (14.9–15.3 ms
     * against 14.8–14.9 ms a frame on a shared 2-core machine), its restart-marked slices
     * cost bytes, and each MJPEG stream already runs on its own thread.
     */
    static final int THREADS = Math.max(0, Integer.getInteger("spicecodec.jpeg.ffmpeg.threads", 1));

    /**
     * Same-size conversion: SWS_POINT picks swscale's cheapest path (chroma averaged
     * horizontally, taken from one row of two vertically). Measured on the 1080p photo at q85:
     * 37.8 dB, against 37.8–38.0 dB for BILINEAR/AREA at 1.2–1.6× its time.
     */
    private static final int SWS_FLAGS = SWS_POINT;

    private static final String UNAVAILABLE = probe();

    private final AVCodec codec;
    private final AVPacket packet;
    private final LongPointer packetWords;
    private final int packetDataWord;
    private final NativeView view = new NativeView();
    private final RowCursor rows = new RowCursor();
    private final short[] lumaTable = new short[64];
    private final short[] chromaTable = new short[64];
    /** RGB16 rows widened to B, G, R, X. */
    private byte[] widened = new byte[0];

    private AVCodecContext ctx;
    private AVFrame frame;
    private PointerPointer<?> frameData;
    private IntPointer frameLines;
    private SpiceBitmapFormat srcFormat;
    private AVFrame staging;
    private long stagingData;
    private int stagingStride;
    private PointerPointer<?> stagingPlanes;
    private IntPointer stagingLines;
    private SwsContext scaler;
    private ShortPointer lumaMatrix;
    private ShortPointer chromaMatrix;
    private int width;
    private int height;
    private int quality;
    private long pts;
    private boolean closed;
    /**
     * The packet, codec context (with its matrices), frames and scaler, freed by close() or,
     * if never closed, by the Cleaner. Every pointer above is set or cleared in it at once.
     */
    private final Natives natives = new Natives();
    private final java.lang.ref.Cleaner.Cleanable cleanup;
    private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();

    /** What a dropped encoder leaves to free; must not refer to the encoder. */
    static final class Natives implements Runnable {
        /** Codec contexts allocated and not yet freed (for tests). */
        static final java.util.concurrent.atomic.AtomicInteger LIVE_CONTEXTS = new java.util.concurrent.atomic.AtomicInteger();

        AVPacket packet;
        AVCodecContext ctx;
        AVFrame frame;
        AVFrame staging;
        SwsContext scaler;

        void freeScaler() {
            if (scaler != null) {
                sws_freeContext(scaler);
                scaler = null;
            }
            if (staging != null) {
                av_frame_free(staging);
                staging = null;
            }
        }

        void freeCodec() {
            if (frame != null) {
                av_frame_free(frame);
                frame = null;
            }
            if (ctx != null) {
                // Frees intra_matrix and chroma_intra_matrix too (they come from av_malloc).
                avcodec_free_context(ctx);
                ctx = null;
                LIVE_CONTEXTS.decrementAndGet();
            }
        }

        @Override
        public void run() {
            freeScaler();
            freeCodec();
            if (packet != null) {
                av_packet_free(packet);
                packet = null;
            }
        }
    }

    /**
     * An encoder on the FFmpeg libraries bundled with org.bytedeco:ffmpeg.
     *
     * @throws JpegEngineUnavailableException when the natives cannot load here
     */
    public FfmpegJpegFrameEncoder() {
        if (UNAVAILABLE != null) {
            throw new JpegEngineUnavailableException(UNAVAILABLE, null);
        }
        codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
        packet = av_packet_alloc();
        if (packet == null || packet.isNull()) {
            throw new OutOfMemoryError("av_packet_alloc");
        }
        // AVPacket.data read as a raw word: packet.data() would create a BytePointer per frame.
        int off = Loader.offsetof(AVPacket.class, "data");
        if (off < 0 || off % 8 != 0) {
            av_packet_free(packet);
            throw new JpegEngineUnavailableException("cannot locate AVPacket.data (offset " + off + ")", null);
        }
        packetDataWord = off / 8;
        packetWords = new LongPointer(packet);
        natives.packet = packet;
        cleanup = CLEANER.register(this, natives);
    }

    /** Null when FFmpeg's mjpeg encoder can be used here; otherwise why not. */
    public static String unavailableReason() {
        return UNAVAILABLE;
    }

    private static String probe() {
        String platform = "?";
        try {
            platform = Loader.getPlatform();
            Loader.load(avcodec.class);
            Loader.load(swscale.class);
            if (avcodec_find_encoder(AV_CODEC_ID_MJPEG) == null) {
                return "the FFmpeg build on " + platform + " has no mjpeg encoder";
            }
            return null;
        } catch (LinkageError | RuntimeException e) {
            return "FFmpeg natives (org.bytedeco:ffmpeg for " + platform + ") cannot load: " + e;
        }
    }

    @Override
    public String engine() {
        return "ffmpeg";
    }

    @Override
    public int encode(SpiceBitmap src, int left, int top, int width, int height, int quality, EncodedFrame out) {
        try {
            return encodeFrame(src, left, top, width, height, quality, out);
        } finally {
            // The Cleaner frees the natives once this object is unreachable: not during a call.
            java.lang.ref.Reference.reachabilityFence(this);
        }
    }

    private int encodeFrame(SpiceBitmap src, int left, int top, int width, int height, int quality, EncodedFrame out) {
        FrameRects.check(src, left, top, width, height, quality, out);
        if (closed) {
            throw new IllegalStateException("encoder is closed");
        }
        if (ctx == null || width != this.width || height != this.height) {
            open(width, height);
        }
        if (scaler == null || src.format() != srcFormat) {
            openScaler(src.format());
        }
        if (quality != this.quality) {
            setQuality(quality);
        }
        check(av_frame_make_writable(frame), "av_frame_make_writable");
        stage(src, left, top, width, height);
        if (sws_scale(scaler, stagingPlanes, stagingLines, 0, height, frameData, frameLines) != height) {
            throw new IllegalStateException("sws_scale did not convert " + height + " rows");
        }
        frame.pts(pts++);
        // Fixed qscale: the lambda of a frame in a QSCALE context is its quantizer.
        frame.quality(QSCALE * FF_QP2LAMBDA);
        check(avcodec_send_frame(ctx, frame), "avcodec_send_frame");
        check(avcodec_receive_packet(ctx, packet), "avcodec_receive_packet");
        try {
            int n = packet.size();
            byte[] dst = out.ensureCapacity(n);
            view.at(packetWords.get(packetDataWord), n).get(dst, 0, n);
            out.set(n, true, out.mmTime(), out.ptsNanos());
            return n;
        } finally {
            av_packet_unref(packet);
        }
    }

    private void open(int w, int h) {
        release();
        AVCodecContext c = avcodec_alloc_context3(codec);
        if (c == null || c.isNull()) {
            throw new OutOfMemoryError("avcodec_alloc_context3");
        }
        ctx = c;
        natives.ctx = c;
        Natives.LIVE_CONTEXTS.incrementAndGet();
        c.width(w);
        c.height(h);
        c.pix_fmt(AV_PIX_FMT_YUVJ420P);
        c.color_range(AVCOL_RANGE_JPEG);
        c.time_base().num(1).den(25);
        // A known aspect ratio makes libavcodec write the JFIF APP0 segment, as libjpeg does.
        c.sample_aspect_ratio().num(1).den(1);
        // BITEXACT drops the "Lavc" COM segment; QSCALE fixes the quantizer (no rate control).
        c.flags(c.flags() | AV_CODEC_FLAG_QSCALE | AV_CODEC_FLAG_BITEXACT);
        c.global_quality(QSCALE * FF_QP2LAMBDA);
        c.thread_count(THREADS);
        c.thread_type(FF_THREAD_SLICE);
        // avcodec_free_context frees these with av_free, so they come from av_malloc; each is
        // handed to the context as soon as it exists, so a failure in between leaks nothing.
        lumaMatrix = matrix();
        c.intra_matrix(lumaMatrix);
        chromaMatrix = matrix();
        c.chroma_intra_matrix(chromaMatrix);
        quality = 0;
        setQuality(JpegEncoder.DEFAULT_QUALITY);
        AVDictionary opts = new AVDictionary(null);
        try {
            av_dict_set(opts, "huffman", "default", 0);
            check(avcodec_open2(c, codec, opts), "avcodec_open2 mjpeg " + w + "x" + h);
        } finally {
            av_dict_free(opts);
        }
        AVFrame f = av_frame_alloc();
        if (f == null || f.isNull()) {
            throw new OutOfMemoryError("av_frame_alloc");
        }
        frame = f;
        natives.frame = f;
        f.format(AV_PIX_FMT_YUVJ420P);
        f.width(w);
        f.height(h);
        f.color_range(AVCOL_RANGE_JPEG);
        check(av_frame_get_buffer(f, 0), "av_frame_get_buffer");
        // Views of the frame's own data[]/linesize[]: they follow av_frame_make_writable.
        frameData = f.data();
        frameLines = f.linesize();
        width = w;
        height = h;
        pts = 0;
    }

    private static ShortPointer matrix() {
        Pointer p = av_malloc(64 * 2);
        if (p == null || p.isNull()) {
            throw new OutOfMemoryError("av_malloc");
        }
        return new ShortPointer(p).capacity(64);
    }

    /** Installs libjpeg's tables for {@code q}; libavcodec reads them again for every picture. */
    private void setQuality(int q) {
        int[] l = JpegQuantTables.luma(q);
        int[] c = JpegQuantTables.chroma(q);
        for (int i = 0; i < 64; i++) {
            lumaTable[i] = (short) l[i];
            chromaTable[i] = (short) c[i];
        }
        lumaMatrix.position(0).put(lumaTable, 0, 64);
        chromaMatrix.position(0).put(chromaTable, 0, 64);
        quality = q;
    }

    /** The bitmap format's FFmpeg twin: the same bytes in memory, so rows copy unchanged. */
    private static int pixFmt(SpiceBitmapFormat f) {
        return switch (f) {
            case RGB32, RGBA -> AV_PIX_FMT_BGR0; // B, G, R, X: alpha ignored as spice-server does
            case RGB24 -> AV_PIX_FMT_BGR24;
            // swscale widens 5-bit channels its own way; SPICE's (v << 3) | (v >> 2) is done here.
            case RGB16 -> AV_PIX_FMT_BGR0;
            default -> throw new IllegalArgumentException("JPEG does not code " + f);
        };
    }

    /** A staging frame in the bitmap's layout and a scaler from it to the codec's yuvj420p. */
    private void openScaler(SpiceBitmapFormat f) {
        releaseScaler();
        int fmt = pixFmt(f);
        AVFrame s = av_frame_alloc();
        if (s == null || s.isNull()) {
            throw new OutOfMemoryError("av_frame_alloc");
        }
        staging = s;
        natives.staging = s;
        s.format(fmt);
        s.width(width);
        s.height(height);
        check(av_frame_get_buffer(s, 0), "av_frame_get_buffer");
        stagingPlanes = s.data();
        stagingLines = s.linesize();
        stagingData = new LongPointer(stagingPlanes).get(0);
        stagingStride = s.linesize(0);
        // Same size: SWS_POINT only picks the cheapest path; chroma is still filtered horizontally.
        // Target yuv420p with full range set explicitly: the same planes as the codec's
        // yuvj420p, without swscale's warning about the deprecated yuvj formats.
        // ACCURATE_RND keeps bgr24 off swscale's special bgr24-to-yv12 path, which ignores the
        // full range set below (measured: 26 dB instead of 35 on the astronaut).
        int flags = fmt == AV_PIX_FMT_BGR24 ? SWS_FLAGS | SWS_ACCURATE_RND : SWS_FLAGS;
        SwsContext c = sws_getContext(width, height, fmt, width, height, AV_PIX_FMT_YUV420P, flags,
                null, null, (DoublePointer) null);
        if (c == null || c.isNull()) {
            throw new IllegalStateException("sws_getContext " + f + " -> yuv420p " + width + "x" + height + " failed");
        }
        natives.scaler = c;
        IntPointer bt601 = sws_getCoefficients(SWS_CS_ITU601);
        if (sws_setColorspaceDetails(c, bt601, 1, bt601, 1, 0, 1 << 16, 1 << 16) < 0) {
            // scaler is still null, so the next frame retries; releaseScaler frees c and staging.
            releaseScaler();
            throw new IllegalStateException("swscale cannot convert " + f + " to full-range BT.601");
        }
        scaler = c;
        srcFormat = f;
    }

    /** Copies the rectangle's rows, top row first, into the staging frame. */
    private void stage(SpiceBitmap src, int left, int top, int w, int h) {
        SpiceBitmapFormat f = src.format();
        int bpp = f.bytesPerPixel();
        int n = f == SpiceBitmapFormat.RGB16 ? w * 4 : w * bpp;
        if (f == SpiceBitmapFormat.RGB16 && widened.length < n) {
            widened = new byte[n];
        }
        FrameRects.seek(rows, src, top);
        for (int y = 0; y < h; y++) {
            rows.next();
            NativeView dst = view.at(stagingData + (long) y * stagingStride, n);
            if (f == SpiceBitmapFormat.RGB16) {
                widen(rows.array, rows.offset + left * 2, w, widened);
                dst.put(widened, 0, n);
            } else {
                dst.put(rows.array, rows.offset + left * bpp, n);
            }
        }
    }

    /** x1r5g5b5 little-endian words to B, G, R, X bytes, channels widened as spice-server does. */
    private static void widen(byte[] s, int p, int w, byte[] d) {
        for (int x = 0, q = 0; x < w; x++, p += 2, q += 4) {
            int v = (s[p] & 0xFF) | (s[p + 1] & 0xFF) << 8;
            d[q] = (byte) FrameRects.expand5(v);
            d[q + 1] = (byte) FrameRects.expand5(v >>> 5);
            d[q + 2] = (byte) FrameRects.expand5(v >>> 10);
            d[q + 3] = 0;
        }
    }

    private static void check(int err, String what) {
        if (err < 0) {
            byte[] msg = new byte[128];
            av_strerror(err, msg, msg.length);
            int n = 0;
            while (n < msg.length && msg[n] != 0) {
                n++;
            }
            throw new IllegalStateException(what + " failed: " + err + " ("
                    + new String(msg, 0, n, java.nio.charset.StandardCharsets.US_ASCII) + ")");
        }
    }

    /** Frees the scaler and staging frame through the holder, then forgets every view of them. */
    private void releaseScaler() {
        natives.freeScaler();
        scaler = null;
        staging = null;
        stagingPlanes = null;
        stagingLines = null;
        stagingData = 0;
        srcFormat = null;
    }

    /** Frees the scaler, frame and codec context (with its matrices) through the holder. */
    private void release() {
        releaseScaler();
        natives.freeCodec();
        frame = null;
        frameData = null;
        frameLines = null;
        ctx = null;
        lumaMatrix = null;
        chromaMatrix = null;
        width = 0;
        height = 0;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            release();
            // Frees the packet (and anything release() left); runs the holder at most once.
            cleanup.clean();
        }
    }
}
