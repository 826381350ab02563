package org.spicecodec.jpeg;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.swscale.SWS_ACCURATE_RND;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.SWS_FULL_CHR_H_INT;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;

/** FFmpeg's own MJPEG decoder (libavcodec through JavaCPP) as an independent JPEG reader. */
final class FfmpegJpegDecoding {
    private FfmpegJpegDecoding() {
    }

    /** Decodes one JPEG into a top-down RGB24 bitmap; fails if libavcodec rejects it. */
    static SpiceBitmap decode(byte[] jpeg) {
        AVCodec codec = avcodec_find_decoder(AV_CODEC_ID_MJPEG);
        AVCodecContext ctx = avcodec_alloc_context3(codec);
        AVPacket pkt = av_packet_alloc();
        AVFrame frame = av_frame_alloc();
        try {
            check(avcodec_open2(ctx, codec, (PointerPointer<?>) null), "avcodec_open2");
            check(av_new_packet(pkt, jpeg.length), "av_new_packet");
            pkt.data().put(jpeg, 0, jpeg.length);
            check(avcodec_send_packet(ctx, pkt), "avcodec_send_packet");
            check(avcodec_receive_frame(ctx, frame), "avcodec_receive_frame");
            int w = frame.width();
            int h = frame.height();
            SwsContext sws = sws_getContext(w, h, frame.format(), w, h, AV_PIX_FMT_BGR24,
                    SWS_BILINEAR | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, null, null, (DoublePointer) null);
            // libavutil's own padded buffer: swscale's SIMD may write past a row's last pixel.
            AVFrame rgb = av_frame_alloc();
            try {
                rgb.format(AV_PIX_FMT_BGR24);
                rgb.width(w);
                rgb.height(h);
                check(av_frame_get_buffer(rgb, 0), "av_frame_get_buffer");
                if (sws_scale(sws, frame.data(), frame.linesize(), 0, h, rgb.data(), rgb.linesize()) != h) {
                    throw new AssertionError("sws_scale failed");
                }
                byte[] d = new byte[w * h * 3];
                BytePointer p = rgb.data(0);
                for (int y = 0; y < h; y++) {
                    p.position((long) y * rgb.linesize(0)).get(d, y * w * 3, w * 3);
                }
                return SpiceBitmap.of(SpiceBitmapFormat.RGB24, w, h, d);
            } finally {
                av_frame_free(rgb);
                sws_freeContext(sws);
            }
        } finally {
            av_frame_free(frame);
            av_packet_free(pkt);
            avcodec_free_context(ctx);
        }
    }

    private static void check(int err, String what) {
        if (err < 0) {
            throw new AssertionError("FFmpeg " + what + " failed: " + err);
        }
    }
}
