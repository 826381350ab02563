package org.spicecodec.bench;

import java.util.Arrays;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.glz.GlzDecoder;
import org.spicecodec.glz.GlzDecoderWindow;
import org.spicecodec.glz.GlzDictionary;
import org.spicecodec.glz.GlzEncoder;

/**
 * GLZ (RGB32) encode and decode: one 1920x1080 picture on its own, and a scrolling sequence
 * of {@value #FRAMES} frames through one dictionary (encode) or one window (decode). MB/s =
 * {@code bytes} score / 1e6, counting every frame's raw pixels.
 *
 * <p>Steady state. A GLZ dictionary keeps every image it encodes and a decoder window every
 * image it decodes, so neither may simply persist across operations:
 * <ul>
 * <li>{@code encode}: the dictionary's window is exactly one picture, so each encode evicts
 *     the previous copy, as a server does when the window is full. Every operation codes the
 *     picture with no earlier image to copy from, with nothing to reset.</li>
 * <li>{@code decode}: the window is {@linkplain GlzDecoderWindow#clear(long) cleared} at the
 *     start of each operation (well under a microsecond, against milliseconds of decoding),
 *     since the same image id cannot be inserted twice.</li>
 * <li>{@code encodeScroll}, {@code decodeScroll}: one operation is the whole sequence, from a
 *     {@linkplain GlzDictionary#reset(long) reset} dictionary or a cleared window, done in a
 *     {@code @Setup(Level.Invocation)} so the reset (a 4 MB hash table fill) is not timed. JMH
 *     warns that per-invocation setup costs timestamps and can distort operations shorter
 *     than about a millisecond; these last tens of milliseconds.</li>
 * </ul>
 *
 * <p>Allocation: decoding into a bitmap reuses the pixel arrays of the images the window has
 * released, so the decode methods allocate only a few small records per frame (about 150
 * bytes); the encode methods allocate nothing.
 */
public class GlzBenchmark extends ImageCodecBenchmark {
    /** Frames of the scrolling sequence. */
    public static final int FRAMES = 10;
    /** Rows each frame moves up from the one before: a few lines of text. */
    public static final int SCROLL_ROWS = 48;

    /** Which bundled picture; the default run uses the screenshot only (-p image=photo for the other). */
    @Param({"screenshot"})
    public String image;

    private GlzEncoder encoder;
    private GlzDecoderWindow window;
    private GlzDecoder decoder;


    @Setup(Level.Trial)
    public void setup() {
        SpiceBitmap picture = BenchImages.rgb32(image);
        // A window of one picture: each image evicts the one before (see the class comment).
        GlzDictionary dict = new GlzDictionary(picture.width() * picture.height());
        encoder = new GlzEncoder(dict);
        window = new GlzDecoderWindow(GlzDecoderWindow.DEFAULT_WINDOW_PIXELS, 0);
        decoder = new GlzDecoder(window);
        // Image 0 is what decode() decodes; every later encode must give a stream as long.
        prepare("GLZ", image, picture, encoder, decoder);

        // The steady state of encode(): image 1 on, with the earlier copy evicted.
        for (int i = 0; i < 2; i++) {
            long id = dict.nextImageId();
            int n = encoder.encode(source, encodeOut, 0, encodeOut.length);
            if (n != encodedLength()) {
                throw new IllegalStateException("GLZ encode of " + image + " image " + id + " gave " + n
                        + " bytes, image 0 gave " + encodedLength() + ": the window is not in a steady state");
            }
            window.clear(id);
            Arrays.fill(decodeData, (byte) 0);
            decoder.decode(encodeOut, 0, n, decodeDst);
            BenchImages.checkSame(source.data(), decodeData, false, "GLZ round trip of " + image + " image " + id);
        }
    }

    /** Image 0 again: the same image id cannot be inserted twice (see the class comment). */
    @Override
    void beforeDecode() {
        window.clear(0);
    }

    /**
     * The scrolling sequence: frame k is the picture moved up by k × {@value #SCROLL_ROWS} rows.
     * The dictionary and window are {@link GlzDecoderWindow#DEFAULT_WINDOW_PIXELS} (16 Mi
     * pixels, about 8 frames of 1080p), so the oldest frames leave them during the sequence.
     */
    @State(Scope.Thread)
    public static class Scroll {
        SpiceBitmap[] frames;
        int frameBytes;
        GlzDictionary dict;
        GlzEncoder encoder;
        byte[] encodeOut;
        byte[][] encoded;
        int[] encodedLengths;
        long sequenceBytes;
        GlzDecoderWindow window;
        GlzDecoder decoder;
        SpiceBitmap decodeDst;

        @Setup(Level.Trial)
        public void setup(GlzBenchmark b) {
            SpiceBitmap src = b.source;
            int w = src.width();
            int h = src.height();
            frameBytes = src.stride() * h;
            frames = new SpiceBitmap[FRAMES];
            for (int k = 0; k < FRAMES; k++) {
                frames[k] = BenchImages.scrolled(src, k * SCROLL_ROWS);
            }
            dict = new GlzDictionary((int) GlzDecoderWindow.DEFAULT_WINDOW_PIXELS);
            encoder = new GlzEncoder(dict);
            encodeOut = BenchImages.outputArray(encoder.maxEncodedLength(SpiceBitmapFormat.RGB32, w, h));
            window = new GlzDecoderWindow(GlzDecoderWindow.DEFAULT_WINDOW_PIXELS, 0);
            decoder = new GlzDecoder(window);
            decodeDst = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, w, h);

            // The streams decodeScroll() decodes, checked frame by frame through one window.
            encoded = new byte[FRAMES][];
            encodedLengths = new int[FRAMES];
            sequenceBytes = 0;
            for (int k = 0; k < FRAMES; k++) {
                int n = encoder.encode(frames[k], encodeOut, 0, encodeOut.length);
                if (n <= 0) {
                    throw new IllegalStateException("GLZ encode of scroll frame " + k + " returned " + n);
                }
                encoded[k] = Arrays.copyOf(encodeOut, n);
                encodedLengths[k] = n;
                sequenceBytes += n;
                Arrays.fill(decodeDst.data(), (byte) 0);
                decoder.decode(encoded[k], 0, n, decodeDst);
                BenchImages.checkSame(frames[k].data(), decodeDst.data(), false, "GLZ round trip of scroll frame " + k);
            }
            reset();
        }

        /** A new session on both sides before each sequence; see the class comment. */
        @Setup(Level.Invocation)
        public void reset() {
            dict.reset(0);
            window.clear(0);
        }

        /** Bytes of the whole encoded sequence. */
        public long sequenceBytes() {
            return sequenceBytes;
        }
    }

    @Benchmark
    public long encodeScroll(Scroll s, ByteCounters counter) {
        long total = 0;
        for (int k = 0; k < FRAMES; k++) {
            total += s.encoder.encode(s.frames[k], s.encodeOut, 0, s.encodeOut.length);
        }
        counter.bytes += (long) FRAMES * s.frameBytes;
        counter.encodedBytes += total;
        return total;
    }

    @Benchmark
    public byte decodeScroll(Scroll s, ByteCounters counter) {
        for (int k = 0; k < FRAMES; k++) {
            s.decoder.decode(s.encoded[k], 0, s.encodedLengths[k], s.decodeDst);
        }
        counter.bytes += (long) FRAMES * s.frameBytes;
        counter.encodedBytes += s.sequenceBytes;
        return s.decodeDst.data()[s.frameBytes / 2];
    }
}
