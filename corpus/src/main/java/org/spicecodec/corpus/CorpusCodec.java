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
 */
public interface CorpusCodec {

    /** Short name used in tables, CSV and charts, e.g. {@code "QUIC"}. */
    String name();

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
}
