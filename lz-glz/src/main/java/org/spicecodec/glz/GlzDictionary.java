package org.spicecodec.glz;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;


/**
 * The server-side GLZ dictionary: the window of recently encoded images (measured in pixels)
 * plus the shared hash table, as in spice-server's {@code glz-encoder-dict.c}. One exists per
 * client connection and is shared by up to {@code maxEncoders} {@link GlzEncoder}s, possibly
 * on different threads.
 *
 * <p>The window bookkeeping (segment slots, their free list and its order, the head rules, the
 * deferral of evictions while other encoders are busy) follows the reference exactly, because
 * stale hash entries are resolved through segment slot numbers: reusing slots in a different
 * order would change which matches are found, and so the output bytes.
 *
 * <p>The dictionary does not copy pixels: it keeps references to the arrays of every image
 * still in its window. Callers must not modify an image's rows until the image has been
 * evicted (see the eviction listener) or {@linkplain #killImage killed}.
 *
 * <p>Thread safety: window updates happen under one lock (the reference's {@code dict->lock}).
 * Encoding itself reads the hash table and the window without locking, as the reference does;
 * every value read that way is validated before use (slot range, segment bounds, window head),
 * so a racy read can only cost a match, never produce a wrong stream. With several encoders,
 * segment slot metadata is kept in objects that are never changed once published, so a reader
 * never sees a half-updated slot. A single-encoder dictionary has no concurrent reader, so it
 * reuses evicted image records and slot objects and allocates nothing per image once warm.
 */
public final class GlzDictionary {
    /** Largest window accepted by the reference ({@code LZ_MAX_WINDOW_SIZE}), in pixels. */
    public static final int MAX_WINDOW_PIXELS = 1 << 25;
    /** The default number of encoders sharing a dictionary in SPICE ({@code MAX_CACHE_CLIENTS}). */
    public static final int DEFAULT_MAX_ENCODERS = 4;

    static final int HASH_LOG = 20;
    static final int HASH_SIZE = 1 << HASH_LOG;
    static final int HASH_MASK = HASH_SIZE - 1;
    static final int NULL_SEG = -1;
    private static final int INIT_SEGS = 1000;

    /**
     * A window image; the handle returned by {@link GlzEncoder} for {@link #killImage}. A handle
     * is valid while its image is in the window: a single-encoder dictionary reuses the record
     * of an evicted image for a later one (as the reference reuses its image structs), so kill
     * an image only before the eviction listener has been called for it.
     */
    public static final class Image {
        // Written only under the dictionary lock, before the image's segments are published.
        long id;
        int type;
        long size;
        Object userContext;
        int firstSeg;
        int[] segs = EMPTY;
        int segCount;
        Image next;
        volatile boolean alive;

        Image() {
        }

        /** The GLZ image id written in this image's header. */
        public long id() {
            return id;
        }

        /** The context object given when the image was encoded. */
        public Object userContext() {
            return userContext;
        }
    }

    private static final int[] EMPTY = new int[0];

    /**
     * Slot content. With several encoders each new segment is a new object, published with a
     * release store and never changed, so racy readers always see a consistent segment. A
     * single-encoder dictionary has no reader while the window changes (its one encoder
     * changes it itself, between encodings), so each slot's object is reused in place.
     */
    static final class Segment {
        Image image;
        byte[] data;
        int start;
        /** Units (bytes for palette types, pixels otherwise) in the segment. */
        int units;
        long pixelsNum;
        long pixelsSoFar;

        void set(Image image, byte[] data, int start, int units, long pixelsNum, long pixelsSoFar) {
            this.image = image;
            this.data = data;
            this.start = start;
            this.units = units;
            this.pixelsNum = pixelsNum;
            this.pixelsSoFar = pixelsSoFar;
        }
    }

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Segment[].class);

    /** Reads slot {@code i} (acquire: pairs with the release store that published it). */
    static Segment slot(Segment[] s, int i) {
        return (Segment) SLOT.getAcquire(s, i);
    }

    private final int windowSize;
    private final int maxEncoders;
    private final ReentrantLock lock = new ReentrantLock();
    private final Consumer<Object> evictionListener;
    /** Whether records are reused: only with one encoder (see {@link Segment}). */
    private final boolean recycle;
    /** Evicted image records waiting for reuse (single-encoder dictionaries only). */
    private Image freeImages;

    // Hash table: (segment slot << 32 | unit index in the segment), one long per entry so a
    // lookup touches one cache line (the table is 8 MB; lookups are random). Zero-filled like
    // the reference, so an untouched entry means "slot 0, unit 0".
    final long[] hashTab = new long[HASH_SIZE];

    /** Slot contents; replaced (never mutated) on growth, read without the lock. */
    volatile Segment[] segs;
    // The following are only touched under the lock.
    private int[] segNext;
    private int usedSegsHead;
    private int usedSegsTail;
    private int freeSegsHead;
    private Image usedImagesHead;
    private Image usedImagesTail;
    private long pixelsSoFar;
    private long nextImageId;
    /** Per encoder: the slot of its window head while it encodes, else NULL_SEG. */
    final int[] encoderHeads;
    private final boolean[] encoderTaken;
    /** How often an image was added while another encoder was busy (tests, statistics). */
    long overlappingEncodes;

    /**
     * @param windowSizePixels the window size the client announced, in pixels (at most 2^25)
     * @param maxEncoders      how many encoders may share the dictionary (SPICE uses 4)
     * @param evictionListener called (under the dictionary lock) with the user context of each
     *                         live image that leaves the window; may be {@code null}
     */
    public GlzDictionary(int windowSizePixels, int maxEncoders, Consumer<Object> evictionListener) {
        if (windowSizePixels < 1 || windowSizePixels > MAX_WINDOW_PIXELS) {
            throw new IllegalArgumentException("window size " + windowSizePixels + " is outside 1.." + MAX_WINDOW_PIXELS);
        }
        if (maxEncoders < 1 || maxEncoders > 255) {
            throw new IllegalArgumentException("maxEncoders " + maxEncoders + " is outside 1..255");
        }
        this.windowSize = windowSizePixels;
        this.maxEncoders = maxEncoders;
        this.evictionListener = evictionListener;
        this.recycle = maxEncoders == 1;
        this.encoderHeads = new int[maxEncoders];
        this.encoderTaken = new boolean[maxEncoders];
        this.segs = new Segment[INIT_SEGS];
        this.segNext = new int[INIT_SEGS];
        resetWindow();
        this.nextImageId = 0;
    }

    /** A dictionary for one encoder with no eviction listener. */
    public GlzDictionary(int windowSizePixels) {
        this(windowSizePixels, 1, null);
    }

    public int windowSizePixels() {
        return windowSize;
    }

    public int maxEncoders() {
        return maxEncoders;
    }

    /** The id the next encoded image will get. */
    public long nextImageId() {
        lock.lock();
        try {
            return nextImageId;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Empties the window and the hash table and restarts ids at {@code firstImageId} (0 for a
     * new session; the migrated last image id after migration). Must not be called while an
     * encoder is encoding.
     */
    public void reset(long firstImageId) {
        lock.lock();
        try {
            for (int h : encoderHeads) {
                if (h != NULL_SEG) {
                    throw new IllegalStateException("reset while an encoder is encoding");
                }
            }
            Image img = usedImagesHead;
            while (img != null) {
                Image next = img.next;
                freeImage(img);
                img = next;
            }
            Arrays.fill(hashTab, 0);
            segs = new Segment[segs.length];
            resetWindow();
            nextImageId = firstImageId;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Marks an image as no longer referencable (the server freed its pixels) without removing
     * it from the window accounting, like {@code glz_enc_dictionary_remove_image}. As in the
     * reference, call it while no encoder of this dictionary is encoding: an encoder already
     * running may have validated the image before it was killed and still read its pixels.
     */
    public void killImage(Image image) {
        Objects.requireNonNull(image, "image");
        lock.lock();
        try {
            image.alive = false;
        } finally {
            lock.unlock();
        }
    }

    private void resetWindow() {
        int n = segNext.length;
        for (int i = 0; i < n; i++) {
            segNext[i] = i + 1;
        }
        segNext[n - 1] = NULL_SEG;
        freeSegsHead = 0;
        usedSegsHead = NULL_SEG;
        usedSegsTail = NULL_SEG;
        Arrays.fill(encoderHeads, NULL_SEG);
        usedImagesHead = null;
        usedImagesTail = null;
        pixelsSoFar = 0;
    }

    int acquireEncoderId() {
        lock.lock();
        try {
            for (int i = 0; i < maxEncoders; i++) {
                if (!encoderTaken[i]) {
                    encoderTaken[i] = true;
                    return i;
                }
            }
            throw new IllegalStateException("all " + maxEncoders + " encoder slots of the dictionary are taken");
        } finally {
            lock.unlock();
        }
    }

    void releaseEncoderId(int id) {
        lock.lock();
        try {
            encoderTaken[id] = false;
        } finally {
            lock.unlock();
        }
    }

    /** Window accounting size of an image: pixels for RGB types, bytes × ppb for palettes. */
    static long pixelsNum(int type, long lines, long stride) {
        return GlzFormat.isPalette(type) ? lines * stride * GlzFormat.ppb(type)
                : lines * stride / GlzFormat.bytesPerUnit(type);
    }

    /**
     * Adds an image to the window (dropping old ones as the reference does) and marks the
     * encoder busy. Returns the new image; {@code out[0]} receives win_head_dist.
     */
    Image preEncode(int encoderId, int type, int height, int stride, byte[][] chunkData, int[] chunkStart,
                    int[] chunkLines, int chunkCount, Object userContext, long[] headDistOut) {
        lock.lock();
        try {
            if (encoderHeads[encoderId] != NULL_SEG) {
                throw new IllegalStateException("encoder " + encoderId + " is already encoding");
            }
            long size = pixelsNum(type, height, stride);
            if (size > windowSize) {
                throw new IllegalArgumentException("image of " + size + " pixels is bigger than the window of "
                        + windowSize);
            }
            Image newHead = newHead(size);
            if (!inUse()) {
                removeHead(newHead);
            } else {
                overlappingEncodes++;
            }
            Image img = addImage(type, size, height, stride, chunkData, chunkStart, chunkLines, chunkCount,
                    userContext);
            if (newHead != null) {
                encoderHeads[encoderId] = newHead.firstSeg;
                headDistOut[0] = (img.id - newHead.id) & 0xFFFFFFFFL;
            } else {
                encoderHeads[encoderId] = img.firstSeg;
                headDistOut[0] = 0;
            }
            return img;
        } finally {
            lock.unlock();
        }
    }

    /** Ends an encoding: frees what no busy encoder needs any more. */
    void postEncode(int encoderId) {
        lock.lock();
        try {
            Segment[] s = segs;
            int early = NULL_SEG;
            for (int i = 0; i < maxEncoders; i++) {
                if (i != encoderId && isEarlier(s, encoderHeads[i], early)) {
                    early = encoderHeads[i];
                }
            }
            if (isEarlier(s, usedSegsHead, early)) {
                early = usedSegsHead;
            }
            int mine = encoderHeads[encoderId];
            if (early != NULL_SEG && isEarlier(s, mine, early)) {
                removeHead(s[early].image);
            }
            encoderHeads[encoderId] = NULL_SEG;
        } finally {
            lock.unlock();
        }
    }

    private static boolean isEarlier(Segment[] s, int dst, int src) {
        return src == NULL_SEG || (dst != NULL_SEG && s[dst].pixelsSoFar < s[src].pixelsSoFar);
    }

    private boolean inUse() {
        for (int h : encoderHeads) {
            if (h != NULL_SEG) {
                return true;
            }
        }
        return false;
    }

    /** The logical head after adding an image of {@code size} pixels; null = no head. */
    private Image newHead(long size) {
        if (usedImagesHead == null) {
            return null;
        }
        Segment[] s = segs;
        Segment head = s[usedSegsHead];
        Segment tail = s[usedSegsTail];
        Image cur = head.image;
        // 32-bit unsigned arithmetic, as in the reference
        long win = (tail.pixelsNum + tail.pixelsSoFar - head.pixelsSoFar) & 0xFFFFFFFFL;
        while (cur != null && ((win + size) & 0xFFFFFFFFL) > windowSize) {
            win = (win - cur.size) & 0xFFFFFFFFL;
            cur = cur.next;
        }
        return cur;
    }

    /** Physically removes the images from the oldest up to (excluding) {@code end}. */
    private void removeHead(Image end) {
        while (usedImagesHead != end && usedImagesHead != null) {
            Image img = usedImagesHead;
            freeImageSegs(img);
            usedImagesHead = img.next;
            freeImage(img);
        }
        if (usedImagesHead == null) {
            usedSegsHead = NULL_SEG;
            usedSegsTail = NULL_SEG;
            usedImagesTail = null;
        } else {
            usedSegsHead = end.firstSeg;
        }
    }

    private void freeImage(Image img) {
        if (img.alive && evictionListener != null) {
            evictionListener.accept(img.userContext);
        }
        img.alive = false;
        if (recycle) {
            img.userContext = null;
            img.next = freeImages;
            freeImages = img;
        }
    }

    /** Pushes the image's slots, first to last, onto the front of the free list. */
    private void freeImageSegs(Image img) {
        int oldFree = freeSegsHead;
        freeSegsHead = img.firstSeg;
        Segment[] s = segs;
        int seg = img.firstSeg;
        int next = segNext[seg];
        while (next != NULL_SEG && s[next] != null && s[next].image == img) {
            seg = next;
            next = segNext[seg];
        }
        segNext[seg] = oldFree;
    }

    private int allocSeg() {
        if (freeSegsHead == NULL_SEG) {
            growSegs();
        }
        int id = freeSegsHead;
        freeSegsHead = segNext[id];
        return id;
    }

    private void growSegs() {
        int quota = segNext.length;
        int newQuota = quota * 2;
        if (newQuota < 0 || newQuota > (1 << 28)) {
            throw new IllegalStateException("overflow in image segments window");
        }
        Segment[] ns = Arrays.copyOf(segs, newQuota);
        int[] nn = Arrays.copyOf(segNext, newQuota);
        for (int i = quota; i < newQuota; i++) {
            nn[i] = i + 1;
        }
        nn[newQuota - 1] = freeSegsHead;
        freeSegsHead = quota;
        segNext = nn;
        segs = ns;
    }

    private Image addImage(int type, long size, int height, int stride, byte[][] chunkData, int[] chunkStart,
                           int[] chunkLines, int chunkCount, Object userContext) {
        Image img = freeImages;
        if (img != null) {
            freeImages = img.next;
            img.next = null;
        } else {
            img = new Image();
        }
        img.id = nextImageId++;
        img.type = type;
        img.size = size;
        img.userContext = userContext;
        if (img.segs.length < chunkCount) {
            img.segs = new int[chunkCount];
        }
        int bpu = GlzFormat.bytesPerUnit(type);
        int prev = NULL_SEG;
        for (int c = 0; c < chunkCount; c++) {
            int lines = chunkLines[c];
            int id = allocSeg();
            // the reference computes size * lines / height in unsigned 32-bit arithmetic
            long pixNum = ((size * lines) & 0xFFFFFFFFL) / height;
            int units = (int) ((long) lines * stride / bpu);
            Segment seg = recycle ? segs[id] : null;
            if (seg == null) {
                seg = new Segment();
            }
            seg.set(img, chunkData[c], chunkStart[c], units, pixNum, pixelsSoFar);
            pixelsSoFar += pixNum;
            if (c == 0) {
                img.firstSeg = id; // before the release store below, for racy readers
            }
            SLOT.setRelease(segs, id, seg);
            segNext[id] = NULL_SEG;
            if (c != 0) {
                segNext[prev] = id;
            }
            img.segs[c] = id;
            prev = id;
        }
        img.segCount = chunkCount;
        if (usedSegsTail == NULL_SEG) {
            usedSegsHead = img.firstSeg;
        } else {
            segNext[usedSegsTail] = img.firstSeg;
        }
        usedSegsTail = prev;
        if (usedImagesTail != null) {
            usedImagesTail.next = img;
        }
        usedImagesTail = img;
        if (usedImagesHead == null) {
            usedImagesHead = img;
        }
        img.alive = true;
        return img;
    }
}
