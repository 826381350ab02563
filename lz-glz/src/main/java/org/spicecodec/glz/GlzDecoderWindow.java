package org.spicecodec.glz;

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
     * Waits for image {@code id}; returns it in {@code result[0]} with status FOUND, or another status.
     */
    synchronized int await(long id, GlzDecodedImage[] result) {
        long gen = generation;
        long deadline = System.nanoTime() + waitNanos;
        while (true) {
            GlzDecodedImage img = images.get(id);
            if (img != null) {
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
        long id = img.id();
        if (id < releasedBelow || images.containsKey(id)) {
            return DUPLICATE;
        }
        if (wouldOverflow(img.pixelCount())) {
            return OVERFLOW;
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
                var gone = images.headMap(bound);
                for (GlzDecodedImage g : gone.values()) {
                    heldPixels -= g.pixelCount();
                }
                gone.clear();
                releasedBelow = bound;
            }
        }
        notifyAll();
        return INSERTED;
    }
}
