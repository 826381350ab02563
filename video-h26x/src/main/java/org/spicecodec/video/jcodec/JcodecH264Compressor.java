package org.spicecodec.video.jcodec;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Objects;
import org.jcodec.codecs.h264.H264Encoder;
import org.jcodec.codecs.h264.encode.DumbRateControl;
import org.jcodec.codecs.h264.encode.RateControl;
import org.jcodec.codecs.h264.io.model.SliceType;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;
import org.jcodec.common.model.Rect;
import org.jcodec.common.model.Size;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.video.EncodedFrame;
import org.spicecodec.core.video.MemoryOrder;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.video.FrameCompressor;
import org.spicecodec.video.I420Converter;
import org.spicecodec.video.UnsupportedConfigurationException;
import org.spicecodec.video.VideoEncoderConfig;

/**
 * JCodec's pure-Java H.264 encoder behind {@link FrameCompressor}.
 *
 * <p>What JCodec 0.2.5 codes: Constrained Baseline (profile_idc 66, CAVLC), one slice per
 * picture, IDR pictures of I16x16 macroblocks and P pictures of P16x16 macroblocks with one
 * reference, no B pictures and no look-ahead, so every input frame comes out at once.
 * Each key frame carries its SPS and PPS, every NAL unit has a 4-byte start code.
 * JCodec itself never skips a macroblock and codes all residual blocks, about 50 bits per
 * macroblock whatever the QP; so macroblocks whose input did not change get JCodec's own
 * reconstruction as input ({@link StillMacroblocks}), and P macroblocks that need no bits are
 * rewritten as P_Skip ({@link SkipRewriter}): 410, 320 and 295 kbit/s at QP 22, 30 and 38 on
 * the corpus terminal clip instead of 1112, 1145 and 1106.
 *
 * <p>Configuration mapping:
 * <ul>
 * <li>CONSTANT_QP: every macroblock at {@code constantQp}, except that a picture too big for
 *     JCodec's slice buffer (width x height bytes: noise at a QP below about 13) is coded
 *     again 6 QPs higher, and the next pictures step back 3 QPs each (all modes).
 * <li>QP_RANGE: JCodec's own {@code DumbRateControl} (QP 20 for IDR, 26 for P pictures,
 *     raised per macroblock when one exceeds its share of the frame budget), with every QP
 *     clamped to {@code qpMin..qpMax}.
 * <li>VBR and CBR: {@link FrameBitRate}, a frame-level controller of ours on JCodec's
 *     rate-control interface: one QP per picture, moved after each picture by the log ratio of
 *     its size to the per-frame budget {@code bitRate / frameRate}, less a tenth of the
 *     accumulated excess; QPs within {@code qpMin..qpMax} (default 10..51).
 *     {@link #setBitRate} changes the budget at once. Both modes behave alike (JCodec has no
 *     VBV). JCodec's own {@code H264FixedRateControl} is not used: it restarts every P picture
 *     at QP 30 and cannot go above it, so it misses low targets by a factor of two and more.
 * <li>gopLength: an IDR picture every that many frames; -1 keeps JCodec's 25.
 * <li>tune {@code zerolatency} is what JCodec always does; threads 0 or 1, slices 1, profile
 *     baseline or constrained-baseline are what it does too. Presets, other tunes, intra
 *     refresh, sliced threads, more slices or threads and other profiles are rejected
 *     with {@link UnsupportedConfigurationException} naming the field.
 * </ul>
 *
 * <p>Input goes through {@link I420Converter} into JCodec's signed-sample planes. BT.601
 * limited range; the SPS has no VUI, so decoders assume exactly that. JCodec requires its
 * {@code YUV420J} tag on input pictures, which only names the layout here: the encoder does
 * not convert colours. Odd sizes are coded one column/row larger (4:2:0 crops in steps of 2),
 * the last column/row repeated.
 */
final class JcodecH264Compressor implements FrameCompressor {
    /** JCodec's default key frame interval (H264Encoder.KEY_INTERVAL_DEFAULT). */
    static final int DEFAULT_GOP = 25;

    private final VideoEncoderConfig config;
    private final int gop;
    private final Clamped rateControl;
    private final FrameBitRate bitRateControl;
    private long bitRate;
    private H264Encoder encoder;
    private SkipRewriter skipRewriter;
    private StillMacroblocks still;
    private int width;
    private int height;
    private Picture picture;
    private int frameInGop;
    private boolean keyRequested;
    private byte[] outArray;
    private ByteBuffer outBuffer;
    private boolean closed;

    JcodecH264Compressor(VideoEncoderConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        check(config);
        this.gop = config.gopLength() > 0 ? config.gopLength() : DEFAULT_GOP;
        this.bitRate = config.bitRate();
        int lo = config.qpMin() >= 0 ? config.qpMin() : 0;
        int hi = config.qpMax() >= 0 ? config.qpMax() : 51;
        RateControl base;
        switch (config.rateControl()) {
            case CONSTANT_QP -> {
                bitRateControl = null;
                base = new ConstantQp(config.constantQp());
                lo = 0;
                hi = 51;
            }
            case QP_RANGE -> {
                bitRateControl = null;
                base = new DumbRateControl();
            }
            default -> {
                bitRateControl = new FrameBitRate(config.qpMin() >= 0 ? lo : 10, hi, config.frameRate());
                base = bitRateControl;
            }
        }
        rateControl = new Clamped(base, lo, hi);
    }

    /** Rejects what JCodec cannot do, naming the field (see the class comment). */
    static void check(VideoEncoderConfig c) {
        if (c.codec() != VideoCodecType.H264) {
            throw new UnsupportedConfigurationException("codec", "JCodec encodes only H.264, not " + c.codec());
        }
        if (c.preset() != null) {
            throw new UnsupportedConfigurationException("preset", "JCodec has one speed and no x264 presets; got '"
                    + c.preset() + "'");
        }
        if (c.tune() != null && !c.tune().equalsIgnoreCase("zerolatency")) {
            throw new UnsupportedConfigurationException("tune", "JCodec has no tunings; only 'zerolatency', which"
                    + " it always is, is accepted; got '" + c.tune() + "'");
        }
        if (c.intraRefresh()) {
            throw new UnsupportedConfigurationException("intraRefresh",
                    "JCodec codes IDR and P pictures only; it has no periodic intra refresh");
        }
        if (c.slicedThreads()) {
            throw new UnsupportedConfigurationException("slicedThreads", "JCodec encodes on one thread");
        }
        if (c.threads() > 1) {
            throw new UnsupportedConfigurationException("threads", "JCodec encodes on one thread; got " + c.threads());
        }
        if (c.slices() > 1) {
            throw new UnsupportedConfigurationException("slices", "JCodec writes one slice per picture; got "
                    + c.slices());
        }
        if (c.profile() != null) {
            String p = c.profile().toLowerCase(Locale.ROOT).replace('_', '-');
            if (!p.equals("baseline") && !p.equals("constrained-baseline")) {
                throw new UnsupportedConfigurationException("profile",
                        "JCodec writes Constrained Baseline only; got '" + c.profile() + "'");
            }
        }
    }

    @Override
    public VideoCodecType codec() {
        return VideoCodecType.H264;
    }

    @Override
    public String backend() {
        return "jcodec";
    }

    @Override
    public boolean encode(SpiceBitmap bitmap, int srcLeft, int srcTop, int srcWidth, int srcHeight,
                          long ptsNanos, EncodedFrame out) {
        if (closed) {
            throw new IllegalStateException("encoder is closed");
        }
        Objects.requireNonNull(bitmap, "bitmap");
        Objects.requireNonNull(out, "out");
        SpiceBitmapFormat f = bitmap.format();
        if (f != SpiceBitmapFormat.RGB32 && f != SpiceBitmapFormat.RGBA && f != SpiceBitmapFormat.RGB24
                && f != SpiceBitmapFormat.RGB16) {
            throw new IllegalArgumentException("JCodec encodes RGB32, RGBA, RGB24 and RGB16 bitmaps, not " + f);
        }
        if (srcWidth < 1 || srcHeight < 1 || srcLeft < 0 || srcTop < 0
                || (long) srcLeft + srcWidth > bitmap.width() || (long) srcTop + srcHeight > bitmap.height()) {
            throw new IllegalArgumentException("rectangle " + srcWidth + "x" + srcHeight + " at (" + srcLeft + ", "
                    + srcTop + ") is outside the " + bitmap.width() + "x" + bitmap.height() + " bitmap");
        }
        if (srcWidth > 16384 || srcHeight > 16384) {
            throw new IllegalArgumentException("H.264 level limits: " + srcWidth + "x" + srcHeight + " is too large");
        }
        if (encoder == null || srcWidth != width || srcHeight != height) {
            reopen(srcWidth, srcHeight);
        }
        byte[][] planes = picture.getData();
        int stride = picture.getWidth();
        int cstride = stride >> 1;
        // Memory order, as spice-server (streams.md §2.9): a bottom-up bitmap is read as if it
        // were top-down, so the picture comes out upside down and the client flips it.
        SpiceBitmap rows = memoryOrder.view(bitmap);
        int top = MemoryOrder.firstRow(bitmap, srcTop, srcHeight);
        I420Converter.rgbToI420(rows, srcLeft, top, srcWidth, srcHeight, planes[0], 0, stride,
                planes[1], 0, cstride, planes[2], 0, cstride, I420Converter.SIGNED_SAMPLES);
        padEdges(planes[0], stride, srcWidth, srcHeight, picture.getHeight());
        padEdges(planes[1], cstride, (srcWidth + 1) >> 1, (srcHeight + 1) >> 1, picture.getHeight() >> 1);
        padEdges(planes[2], cstride, (srcWidth + 1) >> 1, (srcHeight + 1) >> 1, picture.getHeight() >> 1);

        // Worst case: every slice byte escaped (x1.5) plus the parameter sets; JCodec's own slice
        // buffer holds width x height bytes.
        int capacity = picture.getWidth() * picture.getHeight() * 3 / 2 + 1024;
        byte[] arr = out.ensureCapacity(capacity);
        if (arr != outArray) {
            outArray = arr;
            outBuffer = ByteBuffer.wrap(arr);
        }
        outBuffer.clear();
        boolean idr = keyRequested || frameInGop == 0;
        // Unchanged macroblocks take JCodec's reconstruction as input: zero residual, then P_Skip.
        still.apply(encoder, planes, !idr);
        ByteBuffer coded = null;
        while (coded == null) {
            try {
                // doEncodeFrame, not encodeFrame/encodeIDRFrame: those keep a GOP counter that
                // cannot be restarted without coding the next frame as an IDR too.
                coded = encoder.doEncodeFrame(picture, outBuffer, idr, idr ? 0 : frameInGop,
                        idr ? SliceType.I : SliceType.P);
            } catch (BufferOverflowException e) {
                // JCodec codes the slice into a buffer of width x height bytes; a noisy picture
                // at a low QP needs more (random pixels overflow it below QP 13). Code the same
                // picture again 6 QPs higher (half the bits); the failed attempt changed no
                // encoder state that the next attempt keeps.
                if (!rateControl.raise()) {
                    keyRequested = true; // JCodec may have started new parameter sets
                    throw new IllegalStateException("JCodec cannot code this " + srcWidth + "x" + srcHeight
                            + " picture even at QP 51", e);
                }
                outBuffer.clear();
            }
        }
        rateControl.relax();
        int length = coded.remaining();
        if (!idr && coded.hasArray() && coded.array() == arr && coded.arrayOffset() + coded.position() == 0) {
            // JCodec never skips a macroblock: turn the ones that need no bits into P_Skip.
            length = skipRewriter.rewrite(arr, length);
        }
        keyRequested = false;
        frameInGop = idr ? 1 : frameInGop + 1;
        if (frameInGop >= gop) {
            frameInGop = 0;
        }
        if (bitRateControl != null) {
            bitRateControl.pictureDone(8L * length, idr);
        }
        out.set(length, idr, out.mmTime(), ptsNanos);
        return true;
    }

    /** Repeats the last column and row into JCodec's macroblock padding. */
    private static void padEdges(byte[] plane, int stride, int w, int h, int rows) {
        if (w < stride) {
            for (int y = 0; y < h; y++) {
                int row = y * stride;
                java.util.Arrays.fill(plane, row + w, row + stride, plane[row + w - 1]);
            }
        }
        for (int y = h; y < rows; y++) {
            System.arraycopy(plane, (h - 1) * stride, plane, y * stride, stride);
        }
    }

    private void reopen(int w, int h) {
        width = w;
        height = h;
        int codedWidth = w + (w & 1);
        int codedHeight = h + (h & 1);
        int pw = (codedWidth + 15) & ~15;
        int ph = (codedHeight + 15) & ~15;
        byte[][] planes = {new byte[pw * ph], new byte[pw * ph / 4], new byte[pw * ph / 4]};
        // The crop makes JCodec write frame cropping for the coded size into the SPS.
        picture = new Picture(pw, ph, planes, null, ColorSpace.YUV420J, 0, new Rect(0, 0, codedWidth, codedHeight));
        skipRewriter = new SkipRewriter(pw >> 4, ph >> 4);
        still = new StillMacroblocks(pw, ph);
        rateControl.listener = skipRewriter;
        encoder = new H264Encoder(rateControl);
        // Only sizes frame_num in the SPS; the GOP itself is counted here.
        encoder.setKeyInterval(Math.min(gop, 1 << 16));
        frameInGop = 0;
        if (bitRateControl != null) {
            bitRateControl.setTarget(bitRate);
        }
    }

    /** VBR/CBR: a new per-frame budget from the next picture on. */
    @Override
    public void setBitRate(long bitsPerSecond) {
        if (bitRateControl == null) {
            return; // QP modes ignore bit rates
        }
        if (bitsPerSecond <= 0) {
            throw new IllegalArgumentException("bit rate must be positive, got " + bitsPerSecond);
        }
        bitRate = bitsPerSecond;
        bitRateControl.setTarget(bitsPerSecond);
    }

    @Override
    public void requestKeyFrame() {
        keyRequested = true;
    }

    @Override
    public void close() {
        closed = true;
        encoder = null;
        picture = null;
    }

    /** One QP for every macroblock of a picture: no per-macroblock deltas. */
    abstract static class PictureQp implements RateControl {
        abstract int qp();

        @Override
        public int startPicture(Size size, int maxSize, SliceType sliceType) {
            return qp();
        }

        @Override
        public int initialQpDelta() {
            return 0;
        }

        @Override
        public int accept(int bits) {
            return 0;
        }
    }

    /** Every macroblock at one QP. */
    static final class ConstantQp extends PictureQp {
        private final int qp;

        ConstantQp(int qp) {
            this.qp = qp;
        }

        @Override
        int qp() {
            return qp;
        }
    }

    /**
     * One QP per picture, steered towards {@code bitRate / frameRate} bits per picture. After
     * each picture the excess over the budget accumulates (bounded to two seconds' worth); the
     * next P picture aims at the budget less a tenth of that excess, and the QP moves by
     * {@code 6 log2(size / aim)} (6 QP steps halve the size), at most 4 per picture. Key
     * frames only add to the excess: they are meant to be larger.
     */
    static final class FrameBitRate extends PictureQp {
        private final int lo;
        private final int hi;
        private final int fps;
        private double target;
        private double excess;
        private int qp = 26;

        FrameBitRate(int lo, int hi, int fps) {
            this.lo = lo;
            this.hi = hi;
            this.fps = fps;
            this.qp = Math.max(lo, Math.min(hi, qp));
        }

        void setTarget(long bitsPerSecond) {
            target = (double) bitsPerSecond / fps;
        }

        void pictureDone(long bits, boolean key) {
            excess = Math.max(-2 * fps * target, Math.min(2 * fps * target, excess + bits - target));
            if (key) {
                return;
            }
            double aim = Math.max(target / 4, target - excess / 10);
            int delta = (int) Math.round(6 * Math.log(Math.max(1, bits) / aim) / Math.log(2));
            qp = Math.max(lo, Math.min(hi, qp + Math.max(-4, Math.min(4, delta))));
        }

        @Override
        int qp() {
            return qp;
        }
    }

    /**
     * Keeps a JCodec rate control's QPs inside {@code lo..hi}: JCodec starts each picture at
     * the slice QP and adds the per-macroblock deltas; this tracks the running QP and drops
     * any delta that would leave the range. {@link #raise} adds headroom after a picture
     * overflowed JCodec's slice buffer (then up to QP 51); {@link #relax} takes 3 of it back
     * per coded picture.
     */
    static final class Clamped implements RateControl {
        private final RateControl inner;
        private final int lo;
        private final int hi;
        private int boost;
        private int qp;
        /** Told each macroblock's size in bits, for {@link SkipRewriter}. */
        SkipRewriter listener;

        Clamped(RateControl inner, int lo, int hi) {
            this.inner = inner;
            this.lo = lo;
            this.hi = hi;
        }

        boolean raise() {
            if (qp >= 51 || boost > 51) {
                return false;
            }
            boost += 6;
            return true;
        }

        void relax() {
            boost = Math.max(0, boost - 3);
        }

        private int top() {
            return boost > 0 ? 51 : hi;
        }

        @Override
        public int startPicture(Size size, int maxSize, SliceType sliceType) {
            qp = Math.max(lo, Math.min(top(), inner.startPicture(size, maxSize, sliceType) + boost));
            if (listener != null) {
                listener.startPicture();
            }
            return qp;
        }

        @Override
        public int initialQpDelta() {
            return step(inner.initialQpDelta());
        }

        @Override
        public int accept(int bits) {
            int delta = step(inner.accept(bits));
            if (delta == 0 && listener != null) {
                // JCodec keeps a macroblock once accept returns 0 (else it codes it again).
                listener.macroblockCoded(bits);
            }
            return delta;
        }

        private int step(int delta) {
            int next = Math.max(lo, Math.min(top(), qp + delta));
            int d = next - qp;
            qp = next;
            return d;
        }
    }

    private final MemoryOrder memoryOrder = new MemoryOrder();
}
