package org.spicecodec.corpus;

import org.spicecodec.core.ImageEncoder;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.video.EncodedFrame;
import org.spicecodec.jpeg.JpegAlphaDecoder;
import org.spicecodec.jpeg.JpegAlphaEncoder;
import org.spicecodec.jpeg.JpegDecoder;
import org.spicecodec.jpeg.JpegEncoder;
import org.spicecodec.jpeg.JpegEngines;
import org.spicecodec.jpeg.JpegFrameEncoder;

/**
 * The library's JPEG at spice-server's fixed quality 85 (lossy), the way the server sends a
 * picture it judges photographic: RGB32 as a JPEG image, through the engine
 * {@link JpegEngines#create()} picks (FFmpeg when its natives load, else ImageIO); RGBA as
 * JPEG_ALPHA (the colour as JPEG, the alpha channel losslessly as LZ). Decoded with
 * {@link JpegDecoder} / {@link JpegAlphaDecoder}. The runner measures its PSNR instead of
 * checking a lossless round trip; an alpha channel that does not come back exactly is a failure.
 */
public final class JpegCodec implements CorpusCodec {
    /** spice-server's {@code jpeg_quality}. */
    public static final int QUALITY = JpegEncoder.DEFAULT_QUALITY;

    private final JpegFrameEncoder engine = JpegEngines.create();
    private final EncodedFrame frame = new EncodedFrame(256 * 1024);
    private final JpegDecoder decoder = new JpegDecoder();
    private final JpegAlphaEncoder alphaEncoder = new JpegAlphaEncoder(QUALITY);
    private final JpegAlphaDecoder alphaDecoder = new JpegAlphaDecoder();

    @Override
    public String name() {
        return "JPEG-q" + QUALITY;
    }

    @Override
    public String description() {
        return "JPEG at quality " + QUALITY + ", " + engine.engine() + " engine; RGBA as JPEG_ALPHA";
    }

    /** The JPEG engine coding RGB32 pictures ("ffmpeg" or "imageio"). */
    public String engine() {
        return engine.engine();
    }

    @Override
    public boolean isLossless() {
        return false;
    }

    @Override
    public boolean supports(SpiceBitmapFormat format) {
        return format == SpiceBitmapFormat.RGB32 || format == SpiceBitmapFormat.RGBA;
    }

    @Override
    public long maxEncodedLength(SpiceBitmapFormat format, int width, int height) {
        check(format);
        // A baseline 4:2:0 JPEG's worst case, whichever engine writes it.
        return format == SpiceBitmapFormat.RGBA ? alphaEncoder.maxEncodedLength(format, width, height)
                : new JpegEncoder(QUALITY).maxEncodedLength(format, width, height);
    }

    @Override
    public int encode(SpiceBitmap src, byte[] out) {
        check(src.format());
        if (src.format() == SpiceBitmapFormat.RGBA) {
            return alphaEncoder.encode(src, out, 0, out.length);
        }
        int n = engine.encode(src, 0, 0, src.width(), src.height(), QUALITY, frame);
        if (n > out.length) {
            return ImageEncoder.DOES_NOT_FIT;
        }
        System.arraycopy(frame.data(), 0, out, 0, n);
        return n;
    }

    @Override
    public void decode(byte[] in, int length, SpiceBitmap dst) {
        check(dst.format());
        if (dst.format() == SpiceBitmapFormat.RGBA) {
            alphaDecoder.decode(in, 0, length, dst);
        } else {
            decoder.decode(in, 0, length, dst);
        }
    }

    private void check(SpiceBitmapFormat format) {
        if (!supports(format)) {
            throw new IllegalArgumentException("JPEG adapter does not handle " + format);
        }
    }
}
