package org.spicecodec.corpus;

import org.spicecodec.core.ImageEncoder;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;

/**
 * One codec as the corpus runner sees it: encode a bitmap into an array, decode it back into a
 * bitmap of the same format and size. Adapters wrap the library's codecs (and yardsticks such
 * as PNG); add a new one to {@link CorpusCodecs#defaults()}.
 *
 * <p>Instances may keep scratch state and need not be thread-safe.
 *
 * <p><b>Sequences.</b> Most codecs code every image on its own: the runner may then call
 * {@link #encode} and {@link #decode} on the same image as often as it likes (it repeats them
 * to time them). A codec whose output depends on the images before it (GLZ, with its
 * dictionary of recent images) says so with {@link #isSequential()}. The runner then treats
 * each category of the corpus as one sequence: it calls {@link #startSequence()} before the
 * category's first image, and for every image, in corpus order, calls {@code encode} exactly
 * once and then {@code decode} exactly once on that output, so the codec's encoder and
 * decoder state stay in step as a server's and a client's would. Such a codec's timings are
 * of that single run.
 */
public interface CorpusCodec {

    /** Short name used in tables, CSV and charts, e.g. {@code "QUIC"}. */
    String name();

    /** One line on what exactly runs (settings, engine), for reports; the name by default. */
    default String description() {
        return name();
    }

    /** Whether decode(encode(x)) must give x back exactly; the runner checks it for these. */
    boolean isLossless();

    /** Whether this codec can encode bitmaps of {@code format} (and decode them into the same format). */
    boolean supports(SpiceBitmapFormat format);

    /** Size of an output array that is always large enough for {@link #encode}. */
    long maxEncodedLength(SpiceBitmapFormat format, int width, int height);

    /**
     * Encodes {@code src} into {@code out} from offset 0.
     *
     * @return bytes written, or {@link ImageEncoder#DOES_NOT_FIT} if {@code out} is too small
     */
    int encode(SpiceBitmap src, byte[] out);

    /** Decodes {@code in[0, length)} into {@code dst}, which has the source's format and size. */
    void decode(byte[] in, int length, SpiceBitmap dst);

    /**
     * Whether this codec keeps state from image to image, so that an image may be coded
     * against earlier ones; see the class comment for how the runner drives such a codec.
     * Default {@code false}.
     */
    default boolean isSequential() {
        return false;
    }

    /**
     * Forgets every earlier image: the next {@link #encode} starts a new sequence (a new
     * session, for GLZ). Called before the first image of each category, and after a failure
     * so that the encoder and decoder state are back in step. Does nothing by default.
     */
    default void startSequence() {
    }
}
