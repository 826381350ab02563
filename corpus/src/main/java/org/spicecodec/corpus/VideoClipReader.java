package org.spicecodec.corpus;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR0;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;
import static org.bytedeco.ffmpeg.global.swscale.SWS_ACCURATE_RND;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BITEXACT;
import static org.bytedeco.ffmpeg.global.swscale.SWS_POINT;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.spicecodec.core.ImageLimits;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;

/**
 * Demuxes and decodes a corpus clip with FFmpeg (JavaCPP natives, the ones video-h26x brings)
 * into RGB32 frames. The corpus clips are lossless H.264 RGB (High 4:4:4 Predictive, GBR
 * planes), so converting the decoder's GBR planes to B, G, R, X is a pure reordering of bytes:
 * the frames are the captured framebuffer, bit for bit.
 *
 * <p>The file is untrusted: sizes are checked against {@link ImageLimits#DEFAULT} and the
 * memory cap before any frame is allocated, and every FFmpeg error becomes an
 * {@link IOException} naming the step and FFmpeg's message.
 */
public final class VideoClipReader {
    /** {@code AVERROR(EAGAIN)} on Linux: the decoder wants more input before it can output. */
    private static final int AVERROR_EAGAIN = -11;

    static {
        // FFmpeg's own warnings would interleave with the report; errors are still shown.
        av_log_set_level(AV_LOG_ERROR);
    }

    private VideoClipReader() {
    }

    /**
     * Reads at most {@code maxFrames} frames, and no more than {@code maxBytes} bytes of decoded
     * RGB32 pixels, from the start of {@code file}.
     *
     * @throws IOException if FFmpeg cannot open or decode the file, or it has no video stream
     */
    public static VideoClip read(Path file, int maxFrames, long maxBytes) throws IOException {
        if (maxFrames < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("maxFrames and maxBytes must be positive: " + maxFrames + ", " + maxBytes);
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IOException("not a readable file: " + file);
        }
        AVFormatContext fmt = avformat_alloc_context();
        AVCodecContext dec = null;
        AVPacket pkt = null;
        AVFrame frame = null;
        SwsContext sws = null;
        BytePointer dst = null;
        PointerPointer<BytePointer> dstPlanes = null;
        IntPointer dstStrides = null;
        boolean opened = false;
        try {
            check(avformat_open_input(fmt, file.toString(), null, null), "open", file);
            opened = true;
            check(avformat_find_stream_info(fmt, (PointerPointer<?>) null), "read stream info of", file);
            int index = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, (PointerPointer<?>) null, 0);
            if (index < 0) {
                throw new IOException("no video stream in " + file + " (" + error(index) + ")");
            }
            AVStream stream = fmt.streams(index);
            AVCodecParameters par = stream.codecpar();
            int w = par.width();
            int h = par.height();
            try {
                ImageLimits.DEFAULT.check(w, h, 0);
            } catch (RuntimeException e) {
                throw new IOException("video stream of " + file + " has an unusable size " + w + "x" + h, e);
            }
            long frameBytes = 4L * w * h;
            int limit = (int) Math.max(1, Math.min(maxFrames, maxBytes / frameBytes));
            if (maxBytes < frameBytes) {
                throw new IOException(file + ": one " + w + "x" + h + " frame exceeds the memory cap of "
                        + maxBytes + " bytes");
            }
            double fps = rate(stream.avg_frame_rate());
            if (!(fps > 0)) {
                fps = rate(stream.r_frame_rate());
            }
            if (!(fps > 0) || fps > 1000) {
                throw new IOException(file + ": no usable frame rate in the video stream");
            }
            AVCodec codec = avcodec_find_decoder(par.codec_id());
            if (codec == null) {
                throw new IOException("FFmpeg has no decoder for the video of " + file + " (codec id "
                        + par.codec_id() + ")");
            }
            dec = avcodec_alloc_context3(codec);
            if (dec == null) {
                throw new IOException("cannot allocate a decoder context");
            }
            check(avcodec_parameters_to_context(dec, par), "configure the decoder for", file);
            check(avcodec_open2(dec, codec, (PointerPointer<?>) null), "open the decoder for", file);

            pkt = av_packet_alloc();
            frame = av_frame_alloc();
            List<SpiceBitmap> frames = new ArrayList<>();
            int stride = (int) SpiceBitmapFormat.RGB32.minStride(w);
            // sws_scale writes whole aligned rows; convert into one native row buffer sized for
            // the frame, then copy into the Java bitmap.
            int nativeStride = (stride + 63) & ~63;
            dst = new BytePointer((long) nativeStride * h);
            dstPlanes = new PointerPointer<>(dst, null, null, null);
            dstStrides = new IntPointer(nativeStride, 0, 0, 0);
            int lastFormat = -1;
            boolean eof = false;
            boolean truncated = false;
            while (!eof && !truncated) {
                int r = av_read_frame(fmt, pkt);
                if (r == AVERROR_EOF) {
                    eof = true;
                    check(avcodec_send_packet(dec, null), "flush the decoder of", file);
                } else {
                    check(r, "read a packet from", file);
                    if (pkt.stream_index() != index) {
                        av_packet_unref(pkt);
                        continue;
                    }
                    r = avcodec_send_packet(dec, pkt);
                    av_packet_unref(pkt);
                    if (r != AVERROR_EAGAIN) {
                        check(r, "decode a packet of", file);
                    }
                }
                while (true) {
                    r = avcodec_receive_frame(dec, frame);
                    if (r == AVERROR_EAGAIN || r == AVERROR_EOF) {
                        break;
                    }
                    check(r, "decode a frame of", file);
                    if (frame.width() != w || frame.height() != h) {
                        throw new IOException(file + ": frame " + frames.size() + " is " + frame.width() + "x"
                                + frame.height() + ", the stream says " + w + "x" + h);
                    }
                    if (frames.size() == limit) {
                        // One frame past the limit: the clip is longer than what is kept.
                        truncated = true;
                        break;
                    }
                    {
                        if (sws == null || frame.format() != lastFormat) {
                            sws_freeContext(sws);
                            // Same size, so no scaling: point sampling and bit-exact conversion.
                            sws = sws_getContext(w, h, frame.format(), w, h, AV_PIX_FMT_BGR0,
                                    SWS_POINT | SWS_BITEXACT | SWS_ACCURATE_RND, null, null, (double[]) null);
                            if (sws == null) {
                                throw new IOException(file + ": cannot convert pixel format " + frame.format()
                                        + " to BGR0");
                            }
                            lastFormat = frame.format();
                        }
                        int rows = sws_scale(sws, frame.data(), frame.linesize(), 0, h, dstPlanes, dstStrides);
                        if (rows != h) {
                            throw new IOException(file + ": pixel conversion gave " + rows + " of " + h + " rows");
                        }
                        byte[] pixels = new byte[stride * h];
                        for (int y = 0; y < h; y++) {
                            dst.position((long) y * nativeStride).get(pixels, y * stride, stride);
                        }
                        dst.position(0);
                        frames.add(SpiceBitmap.of(SpiceBitmapFormat.RGB32, w, h, pixels));
                    }
                }
            }
            if (frames.isEmpty()) {
                throw new IOException(file + ": the video stream holds no decodable frame");
            }
            return new VideoClip(w, h, fps, frames, truncated);
        } finally {
            // Native memory goes back now, not whenever the garbage collector gets to it.
            if (dst != null) {
                dst.close();
            }
            if (dstPlanes != null) {
                dstPlanes.close();
            }
            if (dstStrides != null) {
                dstStrides.close();
            }
            sws_freeContext(sws);
            if (frame != null) {
                av_frame_free(frame);
            }
            if (pkt != null) {
                av_packet_free(pkt);
            }
            if (dec != null) {
                avcodec_free_context(dec);
            }
            if (opened) {
                avformat_close_input(fmt);
            } else {
                org.bytedeco.ffmpeg.global.avformat.avformat_free_context(fmt);
            }
        }
    }

    private static double rate(AVRational r) {
        return r == null || r.den() == 0 || r.num() <= 0 ? 0 : av_q2d(r);
    }

    private static void check(int ret, String what, Path file) throws IOException {
        if (ret < 0) {
            throw new IOException("FFmpeg cannot " + what + " " + file + ": " + error(ret));
        }
    }

    private static String error(int code) {
        byte[] buf = new byte[256];
        if (av_strerror(code, buf, buf.length) < 0) {
            return "error " + code;
        }
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8) + " (" + code + ")";
    }
}
