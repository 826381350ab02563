package org.spicecodec.video.gstreamer;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.core.video.VideoDecoder;
import org.spicecodec.video.AnnexB;

/**
 * H.264/H.265 decoding through a GStreamer pipeline from {@code appsrc name=src} to
 * {@code appsink name=sink} that ends in BGRx, such as {@link GstreamerPipelines#H264_DECODER}
 * or the decodebin variant.
 *
 * <p>Each STREAM_DATA payload is one Annex B access unit. Its structure (start codes, NAL
 * headers) is checked before it reaches GStreamer, because parsers drop garbage silently.
 * appsrc is made live so libav decodes with slice threads and keeps no frames back: a picture
 * comes out per access unit. Waits are bounded: an error or warning an element posts ends the
 * wait at once and becomes a {@link MalformedInputException} (as does a picture of another
 * size than the caller's bitmap), and the pipeline restarts so that the next key frame decodes
 * again. A payload with slices that yields no picture within the wait (libav conceals most
 * damage, and drops what it cannot use without a message) returns {@code false}; a payload
 * without slices returns {@code false} at once. Once running, a frame allocates nothing on the
 * Java heap. Not thread-safe.
 *
 * <p>Colours are what spice-gtk shows, videoconvert's I420-to-BGRx conversion included: in
 * GStreamer 1.22 it maps limited-range luma Y to about (Y - 128) * 255 / 219 + 128, 2.4
 * levels darker than BT.601's (Y - 16) * 255 / 219 (Y 128 gives 128, not 130), which costs
 * 2 to 4 dB of PSNR against FFmpeg's decoder on the same stream.
 */
public final class GstreamerDecoder implements VideoDecoder {
    /** The first picture includes negotiation and decoder set-up. */
    static final long FIRST_FRAME_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Later pictures: 16 times the last decode time, within these bounds. */
    static final long MIN_FRAME_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    static final long MAX_FRAME_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Largest payload accepted: a 16384x16384 BGRx picture. */
    static final int MAX_PAYLOAD = 1 << 30;
    private static final long FRAME_DURATION = 1_000_000_000L / 30;

    private final VideoCodecType codec;
    private final String description;
    private AppPipeline pipe;
    private long frames;
    private boolean pictureSeen;
    private long lastDecodeNanos;
    /** Stream bytes pushed before this payload, for MalformedInputException offsets. */
    private long streamOffset;

    GstreamerDecoder(VideoCodecType codec, String description) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.description = Objects.requireNonNull(description, "description");
        start();
    }

    private void start() {
        AppPipeline p = AppPipeline.parse(description);
        try {
            p.setSourceCaps(codec == VideoCodecType.H264
                    ? "video/x-h264,stream-format=byte-stream,alignment=au"
                    : "video/x-h265,stream-format=byte-stream,alignment=au");
            // A live source makes libav use slice threads (no frame delay), as spice-gtk's decoder.
            p.src.set("is-live", true);
            p.src.set("format", org.freedesktop.gstreamer.Format.TIME);
            p.play();
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
        pipe = p;
        pictureSeen = false;
    }

    @Override
    public VideoCodecType codecType() {
        return codec;
    }

    /** The pipeline description this decoder runs. */
    public String pipelineDescription() {
        return description;
    }

    @Override
    public boolean decodeFrame(byte[] data, int offset, int length, SpiceBitmap out) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(out, "out");
        if (offset < 0 || length < 0 || length > data.length - offset) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside an array of "
                    + data.length + " bytes");
        }
        if (out.format() != SpiceBitmapFormat.RGB32 || !out.isContiguous()) {
            throw new IllegalArgumentException("the decoder writes contiguous RGB32 bitmaps, not " + out);
        }
        if (length == 0) {
            throw new MalformedInputException(streamOffset, "empty " + codec + " payload");
        }
        if (length > MAX_PAYLOAD) {
            throw new MalformedInputException(streamOffset, length + "-byte payload exceeds " + MAX_PAYLOAD);
        }
        long at = streamOffset;
        streamOffset += length;
        boolean picture = AnnexB.checkNalUnits(codec, data, offset, offset + length, at);
        if (pipe == null) {
            start();
        }
        pipe.clearWarning();
        long buffer = pipe.allocateAndMap(length);
        pipe.mappedData().write(0, data, offset, length);
        long pts = frames * FRAME_DURATION;
        long pushed = System.nanoTime();
        int flow = pipe.unmapAndPush(buffer, pts, FRAME_DURATION);
        frames++;
        if (flow != GstNative.FLOW_OK) {
            throw malformed(at, "appsrc refused the payload (GstFlowReturn " + flow + ")");
        }
        long sample = 0;
        if (picture) {
            long deadline = pushed + timeout();
            while (true) {
                sample = pipe.pull(Math.max(0, deadline - System.nanoTime()));
                if (sample == 0) {
                    break;
                }
                // A picture from an earlier payload whose wait had run out: skip it.
                long buf = GstNative.Core.gst_sample_get_buffer(sample);
                if (buf != 0 && Long.compareUnsigned(pipe.pts(buf), pts) < 0) {
                    AppPipeline.release(sample);
                    sample = 0;
                    continue;
                }
                break;
            }
        } else {
            // Parameter sets alone give no picture: do not wait for one.
            sample = pipe.poll();
        }
        String problem = pipe.error() != null ? pipe.error() : pipe.warning();
        if (sample == 0) {
            if (problem != null) {
                throw malformed(at, problem);
            }
            return false;
        }
        if (picture) {
            lastDecodeNanos = System.nanoTime() - pushed;
        }
        try {
            if (problem != null) {
                throw malformed(at, problem);
            }
            long w = pipe.capsInt(sample, false);
            long h = pipe.capsInt(sample, true);
            if (w != out.width() || h != out.height()) {
                throw malformed(at, "decoded a " + w + "x" + h + " picture into a " + out.width() + "x"
                        + out.height() + " stream");
            }
            long buf = pipe.mapSample(sample);
            if (buf == 0) {
                throw malformed(at, "the decoder's sample has no readable buffer");
            }
            try {
                int rowBytes = out.width() * 4;
                long needed = (long) rowBytes * out.height();
                if (pipe.mappedSize() < needed) {
                    throw malformed(at, "decoded picture has " + pipe.mappedSize() + " bytes, BGRx "
                            + out.width() + "x" + out.height() + " needs " + needed);
                }
                byte[] dst = out.data();
                int base = out.offset();
                int stride = out.stride();
                if (stride == rowBytes && out.topDown()) {
                    pipe.mappedData().read(0, dst, base, (int) needed);
                } else {
                    for (int y = 0; y < out.height(); y++) {
                        int row = out.topDown() ? y : out.height() - 1 - y;
                        pipe.mappedData().read((long) y * rowBytes, dst, base + row * stride, rowBytes);
                    }
                }
            } finally {
                pipe.unmap(buf);
            }
        } finally {
            AppPipeline.release(sample);
        }
        pictureSeen = true;
        return true;
    }

    /**
     * How long to wait for this payload's picture. GStreamer's parsers and libav drop data they
     * cannot use without a message, so a missing picture is only known by waiting; the wait
     * follows the decoder's own speed, and a picture that comes later is recognised by its
     * timestamp and skipped.
     */
    private long timeout() {
        if (!pictureSeen) {
            return FIRST_FRAME_TIMEOUT_NANOS;
        }
        return Math.max(MIN_FRAME_TIMEOUT_NANOS, Math.min(MAX_FRAME_TIMEOUT_NANOS, 16 * lastDecodeNanos));
    }

    /** Drops the failed pipeline (the next payload restarts it) and builds the exception. */
    private MalformedInputException malformed(long at, String reason) {
        close();
        return new MalformedInputException(at, "GStreamer " + codec + " decoder: " + reason);
    }

    @Override
    public void close() {
        if (pipe != null) {
            pipe.close();
            pipe = null;
        }
    }
}
