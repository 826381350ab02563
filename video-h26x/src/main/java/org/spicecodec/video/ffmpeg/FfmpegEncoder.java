package org.spicecodec.video.ffmpeg;

import org.spicecodec.core.video.VideoCodecType;

/** The FFmpeg encoders this backend drives, by their {@code avcodec_find_encoder_by_name} names. */
enum FfmpegEncoder {
    X264("libx264", VideoCodecType.H264, true),
    OPENH264("libopenh264", VideoCodecType.H264, false),
    X265("libx265", VideoCodecType.H265, true),
    VP8("libvpx", VideoCodecType.VP8, false),
    VP9("libvpx-vp9", VideoCodecType.VP9, false),
    MJPEG("mjpeg", VideoCodecType.MJPEG, false);

    final String ffmpegName;
    final VideoCodecType codec;
    /** Whether the encoder is GPL and only in the linux-x86_64-gpl natives. */
    final boolean gpl;

    FfmpegEncoder(String ffmpegName, VideoCodecType codec, boolean gpl) {
        this.ffmpegName = ffmpegName;
        this.codec = codec;
        this.gpl = gpl;
    }

    /**
     * H.264 and H.265 code 4:2:0 in whole chroma samples: neither x264, x265 nor the
     * bitstreams' cropping (in units of two luma samples) can express an odd width or
     * height, so such frames are padded by one replicated column/row (see
     * {@link FfmpegFrameCompressor}). VP8, VP9 and MJPEG take odd sizes as they are.
     */
    boolean needsEvenSize() {
        return codec == VideoCodecType.H264 || codec == VideoCodecType.H265;
    }

    static FfmpegEncoder byName(String name) {
        for (FfmpegEncoder e : values()) {
            if (e.ffmpegName.equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown FFmpeg encoder '" + name + "'");
    }
}
