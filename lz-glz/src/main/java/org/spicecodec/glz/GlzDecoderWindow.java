package org.spicecodec.glz;

import java.util.Arrays;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The client-side GLZ window (spice-gtk's {@code SpiceGlzDecoderWindow}): the decoded images
 * later images may refer to, keyed by image id, shared by all display channels of a session.
 *
 * <p>Release rule, as in the reference: {@code tailGap} is the smallest id not yet received;
 * after each insertion, with {@code T} the image {@code tailGap − 1}, every image older than
 * {@code T.id − T.winHeadDist} is dropped. The server never refers below the head it
 * announced, so nothing dropped is needed again.
 *
 * <p>Buffer recycling: the pixel arrays of images decoded into a caller's bitmap (which the
 * window never hands out) go to a small pool when the window drops them (release rule or
 * {@link #clear}) and no decoder is still reading them, and later images of the same pixel
 * count reuse them, so steady-state decoding allocates no pixel memory. The pool holds at
 * most {@value #MAX_POOLED} arrays and at most {@code 2 × windowPixels} pixels in all (a full
 * window dropped by {@link #clear} plus the images being decoded when it was full, so that a
 * session restarting on the same screen allocates nothing); {@link #trimPool()} empties it.
 * Images handed to callers are never recycled.
 *
 * <p>Thread-safe. A decoder that needs an image which has not arrived yet (it travels on
 * another channel) waits for it up to the configured timeout.
 */
public final class GlzDecoderWindow {
    /** Default window: 16 M pixels, spice-gtk's largest default. */
    public static final long DEFAULT_WINDOW_PIXELS = 16L << 20;
    /** Default wait for an image from another channel. */
    public static final long DEFAULT_WAIT_MILLIS = 5000;

    private final long windowPixels;
    private final long waitNanos;
    private final long maxHeldPixels;
    private long heldPixels;
    private final TreeMap<Long, GlzDecodedImage> images = new TreeMap<>();
    private long tailGap;
    /** Ids below this have been released (or skipped): they will never be available. */
    private long releasedBelow;
    /** Bumped by {@link #clear}, so waiters of the previous session give up. */
    private long generation;

    /** Most pixel arrays the pool keeps. */
    static final int MAX_POOLED = 64;
    /** Released pixel arrays waiting for reuse; slots {@code [0, pooledCount)} are used. */
    private final int[][] pool = new int[MAX_POOLED][];
    private int pooledCount;
    private long pooledPixels;
    private final long maxPooledPixels;

    /**
     * @param windowPixels the window size announced to the server (glz_dictionary_window_size):
     *                     larger images are rejected as malformed
     * @param waitMillis   how long a decoder waits for a referenced image that has not arrived
     */
    public GlzDecoderWindow(long windowPixels, long waitMillis) {
        this(windowPixels, waitMillis, windowPixels > Long.MAX_VALUE / 8 ? Long.MAX_VALUE : 8 * windowPixels);
    }

    /**
     * @param maxHeldPixels bound on the pixels of all images held at once (images wait here
     *                      while an older id is missing); an image that would exceed it is
     *                      rejected as malformed. The default is 8 × {@code windowPixels}.
     */
    public GlzDecoderWindow(long windowPixels, long waitMillis, long maxHeldPixels) {
        if (maxHeldPixels < windowPixels) {
            throw new IllegalArgumentException("maxHeldPixels must be at least the window size");
        }
        this.maxHeldPixels = maxHeldPixels;
        if (windowPixels < 1) {
            throw new IllegalArgumentException("window size must be positive");
        }
        if (waitMillis < 0) {
            throw new IllegalArgumentException("wait must not be negative");
        }
        this.windowPixels = windowPixels;
        this.maxPooledPixels = Math.min(maxHeldPixels, windowPixels > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : 2 * windowPixels);
        this.waitNanos = TimeUnit.MILLISECONDS.toNanos(waitMillis);
    }

    public GlzDecoderWindow() {
        this(DEFAULT_WINDOW_PIXELS, DEFAULT_WAIT_MILLIS);
    }

    public long windowPixels() {
        return windowPixels;
    }

    public long waitMillis() {
        return TimeUnit.NANOSECONDS.toMillis(waitNanos);
    }

    /** Drops every image and restarts at id 0 (new session, migration, cache reset). */
    public void clear() {
        clear(0);
    }

    /** Drops every image; the next image expected is {@code nextId}. */
    public synchronized void clear(long nextId) {
        for (GlzDecodedImage g : images.values()) {
            release(g);
        }
        images.clear();
        heldPixels = 0;
        tailGap = nextId;
        releasedBelow = nextId;
        generation++;
        notifyAll();
    }

    /** Number of images held. */
    public synchronized int size() {
        return images.size();
    }

    /** Whether image {@code id} is held now. */
    public synchronized boolean contains(long id) {
        return images.containsKey(id);
    }

    /** Smallest id not received yet. */
    public synchronized long tailGap() {
        return tailGap;
    }

    /** Status of {@link #await}. */
    static final int FOUND = 0;
    static final int GONE = 1;
    static final int TIMEOUT = 2;
    static final int INTERRUPTED = 3;
    static final int CLEARED = 4;

    /**
     * Waits for image {@code id}; returns it in {@code result[0]} with status FOUND, or another
     * status. A found image is pinned (its pixels are not recycled) until {@link #unpin};
     * {@code done} (may be null), the caller's previous reference, is unpinned first under the
     * same lock.
     */
    synchronized int await(long id, GlzDecodedImage[] result, GlzDecodedImage done) {
        unpin(done);
        long gen = generation;
        long deadline = System.nanoTime() + waitNanos;
        while (true) {
            GlzDecodedImage img = images.get(id);
            if (img != null) {
                img.pins++;
                result[0] = img;
                return FOUND;
            }
            if (id < releasedBelow) {
                return GONE;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return TIMEOUT;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return INTERRUPTED;
            }
            if (generation != gen) {
                return CLEARED;
            }
        }
    }

    /** Pixels held now. */
    public synchronized long heldPixels() {
        return heldPixels;
    }

    /** Whether an image of {@code pixels} more would exceed the bound on held pixels. */
    synchronized boolean wouldOverflow(long pixels) {
        return heldPixels + pixels > maxHeldPixels;
    }

    static final int INSERTED = 0;
    static final int DUPLICATE = 1;
    static final int OVERFLOW = 2;

    /** Inserts a decoded image and applies the release rule. */
    synchronized int insert(GlzDecodedImage img) {
        return insert(img, false);
    }

    /**
     * Inserts a decoded image and applies the release rule; with {@code pin}, the image is
     * pinned for the caller (who must {@link #unpin} it) if inserted.
     */
    synchronized int insert(GlzDecodedImage img, boolean pin) {
        long id = img.id();
        if (id < releasedBelow || images.containsKey(id)) {
            return DUPLICATE;
        }
        if (wouldOverflow(img.pixelCount())) {
            return OVERFLOW;
        }
        if (pin) {
            img.pins++;
        }
        images.put(id, img);
        heldPixels += img.pixelCount();
        while (images.containsKey(tailGap)) {
            tailGap++;
        }
        GlzDecodedImage t = images.get(tailGap - 1);
        if (t != null) {
            long bound = t.id() - t.winHeadDist();
            if (bound > releasedBelow) {
                // oldest first by key: unlike headMap(...).values(), allocates no views or iterators
                while (!images.isEmpty() && images.firstKey() < bound) {
                    GlzDecodedImage g = images.remove(images.firstKey());
                    heldPixels -= g.pixelCount();
                    release(g);
                }
                releasedBelow = bound;
            }
        }
        notifyAll();
        return INSERTED;
    }

    /** Ends a pin from {@link #await} or {@link #insert(GlzDecodedImage, boolean)}; either may be null. */
    synchronized void unpin(GlzDecodedImage a, GlzDecodedImage b) {
        unpin(a);
        unpin(b);
    }

    private void unpin(GlzDecodedImage img) {
        if (img != null && --img.pins == 0 && img.released) {
            recycle(img.pixels, img.pooled);
        }
    }

    /** The window no longer holds {@code img}; its pixels are recycled once no decoder reads them. */
    private void release(GlzDecodedImage img) {
        img.released = true;
        if (img.pins == 0) {
            recycle(img.pixels, img.pooled);
        }
    }

    private void recycle(int[] px, boolean pooled) {
        // Arrays handed to callers are theirs; only window-private ones are reused.
        if (pooled) {
            giveBuffer(px);
        }
    }

    /**
     * A pooled pixel array of exactly {@code count} pixels (contents undefined), or null: the
     * caller then allocates one. The array belongs to the caller until it gives it back or
     * inserts an image made with it.
     */
    synchronized int[] takeBuffer(int count) {
        for (int i = pooledCount - 1; i >= 0; i--) {
            int[] b = pool[i];
            if (b.length == count) {
                pool[i] = pool[--pooledCount];
                pool[pooledCount] = null;
                pooledPixels -= count;
                return b;
            }
        }
        return null;
    }

    /**
     * Offers an array no one uses any more to the pool; dropped (left to the GC) when the pool
     * is full, so the pool never holds more than {@value #MAX_POOLED} arrays or two windows of pixels.
     */
    synchronized void giveBuffer(int[] px) {
        if (px.length == 0 || pooledPixels + px.length > maxPooledPixels) {
            return;
        }
        if (pooledCount == MAX_POOLED) {
            // keep the newest: it is the likeliest size of the next images
            pooledPixels -= pool[0].length;
            System.arraycopy(pool, 1, pool, 0, MAX_POOLED - 1);
            pooledCount--;
        }
        pool[pooledCount++] = px;
        pooledPixels += px.length;
    }

    /** Pixels held by the pool of recycled arrays. */
    public synchronized long pooledPixels() {
        return pooledPixels;
    }

    /** Drops the pool of recycled pixel arrays (left to the GC), e.g. after a session ends. */
    public synchronized void trimPool() {
        Arrays.fill(pool, 0, pooledCount, null);
        pooledCount = 0;
        pooledPixels = 0;
    }
}
