package org.spicecodec.glz;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import org.spicecodec.core.ImageDecoder;
import org.spicecodec.core.ImageInfo;
import org.spicecodec.core.ImageLimits;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.RowCursor;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpiceImageType;
import org.spicecodec.core.SpicePalette;

/**
 * GLZ decoder (spice-gtk's {@code decode-glz.c}): decodes one image to 32-bit pixels, resolving
 * references to earlier images through a shared {@link GlzDecoderWindow}, then inserts the
 * result into that window.
 *
 * <p>Everything read from the stream is checked before use; bad input raises
 * {@link MalformedInputException} only. One decoder per thread (channel); the window is shared.
 */
public final class GlzDecoder implements ImageDecoder {
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final GlzDecoderWindow window;
    private final ImageLimits limits;
    private final GlzDecodedImage[] found = new GlzDecodedImage[1];
    private final RowCursor cursor = new RowCursor();

    // per-image state
    private byte[] in;
    private int base;
    private int ip;
    private int end;
    private long id;
    private long winHeadDist;
    private GlzDecodedImage cachedRef;
    /** References into other images decoded so far (for tests and statistics). */
    long crossImageReferences;

    public GlzDecoder(GlzDecoderWindow window, ImageLimits limits) {
        this.window = Objects.requireNonNull(window, "window");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public GlzDecoder(GlzDecoderWindow window) {
        this(window, ImageLimits.DEFAULT);
    }

    public GlzDecoderWindow window() {
        return window;
    }

    @Override
    public SpiceImageType imageType() {
        return SpiceImageType.GLZ_RGB;
    }

    @Override
    public ImageInfo readInfo(byte[] in, int offset, int length) {
        Header h = readHeader(in, offset, length);
        return new ImageInfo(SpiceImageType.GLZ_RGB, h.format(), h.width(), h.height(), h.topDown());
    }

    /** RGBA streams decode to RGBA, every other GLZ type to RGB32 (the reference's only modes). */
    @Override
    public boolean canDecode(SpiceBitmapFormat encoded, SpiceBitmapFormat target) {
        if (GlzFormat.fromFormat(encoded) < 0) {
            return false;
        }
        return encoded == SpiceBitmapFormat.RGBA ? target == SpiceBitmapFormat.RGBA
                : target == SpiceBitmapFormat.RGB32;
    }

    /**
     * Decodes into {@code dst} (RGB32, or RGBA for RGBA streams; palette streams use
     * {@code dst}'s palette) in {@code dst}'s own row order, and inserts the image into the window.
     *
     * <p>The allocation-free path: the window's copy of the image is never handed out, so its
     * pixel array is taken from the window's pool of released arrays and returns there when
     * the window drops the image. In steady state (same-size images, old ones leaving the
     * window) no pixel memory is allocated; what remains per image is the image record and
     * the window's index entry (about 150 bytes).
     */
    @Override
    public void decode(byte[] in, int offset, int length, SpiceBitmap dst) {
        Objects.requireNonNull(dst, "dst");
        Header h = readHeader(in, offset, length);
        if (!canDecode(h.format(), dst.format())) {
            throw new MalformedInputException(8, "a " + h.format() + " stream cannot be decoded to " + dst.format());
        }
        if (dst.width() != h.width() || dst.height() != h.height()) {
            throw new MalformedInputException(9, "stream is " + h.width() + "x" + h.height() + ", destination "
                    + dst.width() + "x" + dst.height());
        }
        // The image stays window-private, so its pixel array can come from (and go back to)
        // the window's pool; it is pinned until copied out so no other thread recycles it.
        GlzDecodedImage img = decodeImage(in, offset, length, h, dst.palette(), true);
        try {
            int[] px = img.pixels;
            int rowPx = img.rowPixels();
            int w = h.width();
            int height = h.height();
            cursor.reset(dst, true);
            for (int p = 0; cursor.next(); p++) {
                // stream rows are in the sender's storage order
                int s = (h.topDown() ? p : height - 1 - p) * rowPx;
                byte[] a = cursor.array;
                int o = cursor.offset;
                // one 4-byte store per pixel (RowCursor rows hold w * 4 bytes)
                for (int x = s, e = s + w; x < e; x++, o += 4) {
                    INT_LE.set(a, o, px[x]);
                }
            }
        } finally {
            window.unpin(img, null);
        }
    }

    /** The fields of a GLZ header. */
    public record Header(SpiceBitmapFormat format, int width, int height, int stride, boolean topDown, long imageId,
                         long winHeadDist) {
    }

    /** Parses and validates the 33-byte header of {@code in[offset, offset + length)}. */
    public Header readHeader(byte[] in, int offset, int length) {
        checkRange(in, offset, length);
        if (length < GlzFormat.HEADER_SIZE) {
            throw new MalformedInputException(length, "truncated header: " + length + " of 33 bytes");
        }
        int magic = be32(in, offset);
        if (magic != GlzFormat.MAGIC) {
            throw new MalformedInputException(0, String.format("bad magic 0x%08x", magic));
        }
        int version = be32(in, offset + 4);
        if (version != GlzFormat.VERSION) {
            throw new MalformedInputException(4, String.format("unsupported version 0x%08x", version));
        }
        int tb = in[offset + 8] & 0xFF;
        int type = tb & 0x0F;
        if (!GlzFormat.isValid(type)) {
            throw new MalformedInputException(8, "image type " + type + " is not a GLZ type");
        }
        boolean topDown = (tb >> 4) != 0;
        long width = be32(in, offset + 9) & 0xFFFFFFFFL;
        long height = be32(in, offset + 13) & 0xFFFFFFFFL;
        long stride = be32(in, offset + 17) & 0xFFFFFFFFL;
        long imageId = ((long) be32(in, offset + 21) << 32) | (be32(in, offset + 25) & 0xFFFFFFFFL);
        long dist = be32(in, offset + 29) & 0xFFFFFFFFL;
        limits.check(width, height, 9, 13);
        if (GlzFormat.isPalette(type)) {
            int ppb = GlzFormat.ppb(type);
            long need = (width + ppb - 1) / ppb;
            if (stride != need) {
                throw new MalformedInputException(17, "stride " + stride + " for a palette row of " + width
                        + " pixels must be " + need);
            }
        } else if (stride != width * GlzFormat.bytesPerUnit(type)) {
            throw new MalformedInputException(17, "stride " + stride + " is not width * bytes per pixel");
        }
        if (stride * height > (1L << 30) - 1) {
            throw new MalformedInputException(17, "stride * height exceeds 2^30 - 1");
        }
        long gross = grossPixels(type, width, height, stride);
        if (gross > limits.maxPixels() || gross > window.windowPixels()) {
            throw new MalformedInputException(9, "image of " + gross + " pixels exceeds the window of "
                    + window.windowPixels() + " pixels or the limits");
        }
        if (imageId < 0) {
            throw new MalformedInputException(21, "image id " + Long.toUnsignedString(imageId) + " out of range");
        }
        if (dist > imageId) {
            throw new MalformedInputException(29, "win_head_dist " + dist + " exceeds image id " + imageId);
        }
        return new Header(GlzFormat.toFormat(type), (int) width, (int) height, (int) stride, topDown, imageId, dist);
    }

    private static long grossPixels(int type, long width, long height, long stride) {
        return GlzFormat.isPalette(type) ? stride * GlzFormat.ppb(type) * height : width * height;
    }

    /** Decodes an image without a palette (the only way spice-gtk calls it). */
    public GlzDecodedImage decode(byte[] in, int offset, int length) {
        return decode(in, offset, length, (SpicePalette) null);
    }

    /**
     * Decodes one GLZ image and inserts it into the window. The returned image has its own
     * newly allocated pixel array, never recycled, so it stays valid after the window drops it;
     * use {@link #decode(byte[], int, int, SpiceBitmap)} to decode without allocating one.
     *
     * @param palette needed for palette types only
     * @throws MalformedInputException if the stream is bad, refers to an image that is gone,
     *                                 or waits longer than the window's timeout for one
     */
    public GlzDecodedImage decode(byte[] in, int offset, int length, SpicePalette palette) {
        // Handed to the caller, so never pooled: it stays valid after the window drops it.
        return decodeImage(in, offset, length, readHeader(in, offset, length), palette, false);
    }

    /**
     * Decodes the image whose header {@code h} was read from {@code in[offset, offset + length)}
     * and inserts it. With {@code pooled}, the pixel array comes from the window's pool and the
     * returned image is pinned for the caller, who must unpin it and never hand it out.
     */
    private GlzDecodedImage decodeImage(byte[] in, int offset, int length, Header h, SpicePalette palette,
                                        boolean pooled) {
        int type = h.format().value();
        int[] ents = null;
        if (GlzFormat.isPalette(type)) {
            if (palette == null) {
                throw new MalformedInputException(8, "palette image without a palette");
            }
            ents = palette.entries();
            if (ents.length == 0 || (GlzFormat.ppb(type) == 8 && ents.length < 2)) {
                throw new MalformedInputException(8, "palette of " + ents.length + " entries is too small");
            }
        }
        int rowPixels = GlzFormat.isPalette(type) ? h.stride() * GlzFormat.ppb(type) : h.width();
        int count = (int) grossPixels(type, h.width(), h.height(), h.stride());
        if (window.wouldOverflow(count)) {
            throw new MalformedInputException(21, "the window already holds too many images waiting for a missing id");
        }
        // Every pixel is written before it is read (references only look back), so a recycled
        // array needs no clearing.
        int[] px = pooled ? window.takeBuffer(count) : null;
        if (px == null) {
            px = new int[count];
        }
        boolean inserted = false;
        this.in = in;
        this.base = offset;
        this.ip = offset + GlzFormat.HEADER_SIZE;
        this.end = offset + length;
        this.id = h.imageId();
        this.winHeadDist = h.winHeadDist();
        this.cachedRef = null;
        try {
            decodePass(px, type, ents, false);
            if (type == GlzFormat.RGBA) {
                decodePass(px, type, null, true);
            }
            GlzDecodedImage img = new GlzDecodedImage(h.imageId(), h.winHeadDist(), h.format(), h.width(), h.height(),
                    h.stride(), h.topDown(), rowPixels, px, pooled);
            int status = window.insert(img, pooled);
            if (status == GlzDecoderWindow.DUPLICATE) {
                throw new MalformedInputException(21, "image id " + h.imageId() + " was already received or released");
            } else if (status == GlzDecoderWindow.OVERFLOW) {
                throw new MalformedInputException(21, "the window already holds too many images waiting for a missing id");
            }
            inserted = true;
            return img;
        } finally {
            GlzDecodedImage ref = this.cachedRef;
            this.in = null;
            this.cachedRef = null;
            if (ref != null) {
                window.unpin(ref, null);
            }
            if (pooled && !inserted) {
                // never reached the window: the array is still ours alone
                window.giveBuffer(px);
            }
        }
    }

    /**
     * Inflates a ZLIB_GLZ_RGB payload ({@code glz_data_size} known from the message) and decodes it.
     */
    public GlzDecodedImage decodeZlib(byte[] zlib, int offset, int length, int glzDataSize) {
        checkRange(zlib, offset, length);
        if (glzDataSize < GlzFormat.HEADER_SIZE || glzDataSize > (1 << 30)) {
            throw new MalformedInputException(0, "glz_data_size " + glzDataSize + " out of range");
        }
        // read the header first so a hostile size cannot make us allocate much
        Inflater inf = new Inflater();
        try {
            inf.setInput(zlib, offset, length);
            byte[] head = new byte[GlzFormat.HEADER_SIZE];
            int n = inflateFully(inf, head, 0, head.length);
            if (n < head.length) {
                throw new MalformedInputException(0, "zlib data ends inside the GLZ header");
            }
            Header h = readHeader(head, 0, head.length);
            int t = h.format().value();
            long units = (long) h.height() * h.stride() / GlzFormat.bytesPerUnit(t);
            long maxSize = GlzFormat.HEADER_SIZE + 2 * (units * 3 + units / 32 + 2);
            if (glzDataSize > maxSize) {
                throw new MalformedInputException(0, "glz_data_size " + glzDataSize + " too large for the image");
            }
            byte[] glz = new byte[glzDataSize];
            System.arraycopy(head, 0, glz, 0, head.length);
            n += inflateFully(inf, glz, head.length, glzDataSize - head.length);
            if (n != glzDataSize || !inf.finished()) {
                throw new MalformedInputException(0, "zlib data inflates to a size other than glz_data_size "
                        + glzDataSize);
            }
            return decode(glz, 0, glz.length);
        } finally {
            inf.end();
        }
    }

    private static int inflateFully(Inflater inf, byte[] b, int off, int len) {
        int total = 0;
        try {
            while (total < len) {
                int n = inf.inflate(b, off + total, len - total);
                if (n == 0) {
                    if (inf.finished() || inf.needsInput() || inf.needsDictionary()) {
                        break;
                    }
                }
                total += n;
            }
        } catch (DataFormatException e) {
            throw new MalformedInputException(0, "bad zlib data: " + e.getMessage());
        }
        return total;
    }

    // ------------------------------------------------------------------ token decoding

    private int next() {
        if (ip >= end) {
            throw new MalformedInputException(ip - base, "truncated stream");
        }
        return in[ip++] & 0xFF;
    }

    private void decodePass(int[] px, int type, int[] ents, boolean alpha) {
        final int count = px.length;
        final int ppb = alpha ? 1 : GlzFormat.ppb(type);
        final int bias = alpha || GlzFormat.isPalette(type) ? 2 : type == GlzFormat.RGB16 ? 1 : 0;
        int pos = 0;
        while (pos < count) {
            int tokenAt = ip - base;
            int c = next();
            if (c < 32) {
                int run = c + 1;
                if ((long) run * ppb > count - pos) {
                    throw new MalformedInputException(tokenAt, "literal run of " + run + " past the image end");
                }
                pos = literals(px, pos, run, type, ents, alpha, tokenAt);
                continue;
            }
            long len = c >>> 5;
            boolean far = (c & 0x10) != 0;
            long pix = c & 0x0F;
            if (len == 7) {
                int b;
                do {
                    b = next();
                    len += b;
                } while (b == 255);
            }
            pix |= (long) next() << 4;
            int ctl = next();
            int k = ctl >>> 6;
            long imageDist;
            if (!far) {
                imageDist = ctl & 0x3F;
                for (int j = 0; j < k; j++) {
                    imageDist |= (long) next() << (6 + 8 * j);
                }
            } else {
                pix |= (long) (ctl & 0x1F) << 12;
                imageDist = 0;
                for (int j = 0; j < k; j++) {
                    imageDist |= (long) next() << (8 * j);
                }
                if ((ctl & 0x20) != 0) {
                    pix |= (long) next() << 17;
                }
            }
            long n = (len + bias) * ppb;
            if (n > count - pos) {
                throw new MalformedInputException(tokenAt, "reference of " + n + " pixels past the image end");
            }
            int length = (int) n;
            if (imageDist == 0) {
                long offset = (pix + 1) * ppb;
                if (offset > pos) {
                    throw new MalformedInputException(tokenAt, "reference " + offset + " pixels back, only " + pos
                            + " decoded");
                }
                int src = pos - (int) offset;
                if (alpha) {
                    for (int i = 0; i < length; i++) {
                        px[pos + i] = (px[pos + i] & 0x00FFFFFF) | (px[src + i] & 0xFF000000);
                    }
                } else if (offset >= length) {
                    System.arraycopy(px, src, px, pos, length);
                } else if (offset == 1) {
                    // a run of the previous pixel
                    Arrays.fill(px, pos, pos + length, px[src]);
                } else {
                    for (int i = 0; i < length; i++) {
                        px[pos + i] = px[src + i];
                    }
                }
            } else {
                int[] rp = reference(imageDist, tokenAt).pixels;
                crossImageReferences++;
                long start = pix * ppb;
                if (start + length > rp.length) {
                    throw new MalformedInputException(tokenAt, "reference to pixels " + start + ".." + (start + length)
                            + " of an image of " + rp.length);
                }
                int s = (int) start;
                if (alpha) {
                    for (int i = 0; i < length; i++) {
                        px[pos + i] = (px[pos + i] & 0x00FFFFFF) | (rp[s + i] & 0xFF000000);
                    }
                } else {
                    System.arraycopy(rp, s, px, pos, length);
                }
            }
            pos += length;
        }
    }

    /** The earlier image {@code id − imageDist}, waiting for it if it has not arrived. */
    private GlzDecodedImage reference(long imageDist, int tokenAt) {
        if (imageDist > winHeadDist) {
            throw new MalformedInputException(tokenAt, "image distance " + imageDist + " reaches behind the window head ("
                    + winHeadDist + ")");
        }
        long refId = id - imageDist;
        GlzDecodedImage c = cachedRef;
        if (c != null && c.id() == refId) {
            return c;
        }
        // pins the new reference and unpins the previous one in one lock
        int status = window.await(refId, found, c);
        cachedRef = null;
        GlzDecodedImage img = found[0];
        found[0] = null;
        switch (status) {
            case GlzDecoderWindow.FOUND:
                cachedRef = img;
                return img;
            case GlzDecoderWindow.GONE:
                throw new MalformedInputException(tokenAt, "referenced image " + refId + " has left the window");
            case GlzDecoderWindow.TIMEOUT:
                throw new MalformedInputException(tokenAt, "referenced image " + refId + " did not arrive within "
                        + window.waitMillis() + " ms");
            case GlzDecoderWindow.CLEARED:
                throw new MalformedInputException(tokenAt, "window cleared while waiting for image " + refId);
            default:
                throw new MalformedInputException(tokenAt, "interrupted while waiting for image " + refId);
        }
    }

    private int literals(int[] px, int pos, int run, int type, int[] ents, boolean alpha, int tokenAt) {
        final byte[] b = in;
        if (alpha) {
            need(run, tokenAt);
            for (int i = 0; i < run; i++) {
                px[pos] = (px[pos] & 0x00FFFFFF) | (b[ip++] & 0xFF) << 24;
                pos++;
            }
            return pos;
        }
        switch (type) {
            case GlzFormat.RGB16:
                need(2 * run, tokenAt);
                for (int i = 0; i < run; i++) {
                    int hi = b[ip] & 0xFF;
                    int lo = b[ip + 1] & 0xFF;
                    ip += 2;
                    int r = (hi >> 2) & 31;
                    int g = ((hi & 3) << 3) | (lo >> 5);
                    int bl = lo & 31;
                    px[pos++] = ((r << 3) | (r >> 2)) << 16 | ((g << 3) | (g >> 2)) << 8 | ((bl << 3) | (bl >> 2));
                }
                return pos;
            case GlzFormat.RGB24:
            case GlzFormat.RGB32:
            case GlzFormat.RGBA:
                need(3 * run, tokenAt);
                for (int i = 0; i < run; i++) {
                    px[pos++] = (b[ip] & 0xFF) | (b[ip + 1] & 0xFF) << 8 | (b[ip + 2] & 0xFF) << 16;
                    ip += 3;
                }
                return pos;
            default:
                need(run, tokenAt);
                for (int i = 0; i < run; i++) {
                    pos = paletteByte(px, pos, b[ip++] & 0xFF, type, ents, tokenAt);
                }
                return pos;
        }
    }

    private int paletteByte(int[] px, int pos, int v, int type, int[] ents, int tokenAt) {
        switch (type) {
            case GlzFormat.PLT1_LE:
                for (int bit = 0; bit < 8; bit++) {
                    px[pos++] = ents[(v >> bit) & 1] & 0x00FFFFFF;
                }
                return pos;
            case GlzFormat.PLT1_BE:
                for (int bit = 7; bit >= 0; bit--) {
                    px[pos++] = ents[(v >> bit) & 1] & 0x00FFFFFF;
                }
                return pos;
            case GlzFormat.PLT4_LE:
                px[pos++] = ents[(v & 15) % ents.length] & 0x00FFFFFF;
                px[pos++] = ents[(v >> 4) % ents.length] & 0x00FFFFFF;
                return pos;
            case GlzFormat.PLT4_BE:
                px[pos++] = ents[(v >> 4) % ents.length] & 0x00FFFFFF;
                px[pos++] = ents[(v & 15) % ents.length] & 0x00FFFFFF;
                return pos;
            default:
                if (v >= ents.length) {
                    throw new MalformedInputException(tokenAt, "palette index " + v + " beyond " + ents.length
                            + " entries");
                }
                px[pos++] = ents[v] & 0x00FFFFFF;
                return pos;
        }
    }

    private void need(int bytes, int tokenAt) {
        if (end - ip < bytes) {
            throw new MalformedInputException(tokenAt, "literal run truncated: " + bytes + " bytes needed, "
                    + (end - ip) + " left");
        }
    }

    private static int be32(byte[] b, int o) {
        return (b[o] & 0xFF) << 24 | (b[o + 1] & 0xFF) << 16 | (b[o + 2] & 0xFF) << 8 | (b[o + 3] & 0xFF);
    }

    private static void checkRange(byte[] in, int offset, int length) {
        Objects.requireNonNull(in, "in");
        if (offset < 0 || length < 0 || offset > in.length - length) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside array of " + in.length);
        }
    }
}
