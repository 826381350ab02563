package org.spicecodec.mjpeg;

import java.util.Objects;

import org.spicecodec.core.ImageLimits;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.video.MemoryOrder;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.core.video.VideoDecoder;
import org.spicecodec.jpeg.JpegDecoder;

/**
 * The client side of an MJPEG stream: each STREAM_DATA payload is one complete JPEG, decoded on
 * its own into the caller's RGB32 bitmap of the stream's size (byte 3 written 0, as
 * spice-gtk's BGRX output). Decoding goes through {@link JpegDecoder} (the JDK's ImageIO), which
 * parses and bounds the headers before decoding and turns every ImageIO error or warning into
 * {@link MalformedInputException}.
 *
 * <p><b>Row order</b>: the JPEG's first row goes to the bitmap's first row <em>in memory</em>.
 * The server encodes rows in memory order, so a destination with the same
 * {@linkplain SpiceBitmap#topDown() storage order} as the stream (TOP_DOWN flag of
 * STREAM_CREATE) gets the picture the right way up: for a bottom-up stream this is the
 * client's vertical flip.
 *
 * <p>Every frame is a key frame, so {@link #decodeFrame} always returns true or throws. Not
 * thread-safe. ImageIO allocates per frame.
 */
public final class MjpegDecoder implements VideoDecoder {
    private final JpegDecoder jpeg;
    private boolean closed;

    /** JpegDecoder fills picture order; a top-down view of the destination makes that memory order. */
    private final MemoryOrder memoryOrder = new MemoryOrder();

    /** A decoder with {@link ImageLimits#DEFAULT}. */
    public MjpegDecoder() {
        this(ImageLimits.DEFAULT);
    }

    public MjpegDecoder(ImageLimits limits) {
        this.jpeg = new JpegDecoder(Objects.requireNonNull(limits, "limits"));
    }

    @Override
    public VideoCodecType codecType() {
        return VideoCodecType.MJPEG;
    }

    /**
     * @throws MalformedInputException  if the payload is not a decodable JPEG or its size is not
     *                                  {@code out}'s
     * @throws IllegalArgumentException if {@code out} is not RGB32 or the range is outside {@code data}
     */
    @Override
    public boolean decodeFrame(byte[] data, int offset, int length, SpiceBitmap out) {
        if (closed) {
            throw new IllegalStateException("MJPEG decoder is closed");
        }
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(out, "out");
        if (offset < 0 || length < 0 || (long) offset + length > data.length) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside " + data.length + " bytes");
        }
        if (out.format() != SpiceBitmapFormat.RGB32) {
            throw new IllegalArgumentException("MJPEG frames decode to RGB32, not " + out.format());
        }
        jpeg.decode(data, offset, length, memoryOrder.view(out));
        return true;
    }

    @Override
    public void close() {
        closed = true;
    }
}
