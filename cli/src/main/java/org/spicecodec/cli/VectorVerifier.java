package org.spicecodec.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.spicecodec.core.ImageEncoder;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpiceChunks;
import org.spicecodec.core.SpicePalette;
import org.spicecodec.core.vectors.Decode;
import org.spicecodec.core.vectors.DigestMismatchException;
import org.spicecodec.core.vectors.GlzImage;
import org.spicecodec.core.vectors.GlzSequence;
import org.spicecodec.core.vectors.Vector;
import org.spicecodec.core.vectors.VectorSet;
import org.spicecodec.glz.GlzDecodedImage;
import org.spicecodec.glz.GlzDecoder;
import org.spicecodec.glz.GlzDecoderWindow;
import org.spicecodec.glz.GlzDictionary;
import org.spicecodec.glz.GlzEncoder;
import org.spicecodec.lz.LzDecoder;
import org.spicecodec.lz.LzEncoder;
import org.spicecodec.lz.LzImageType;
import org.spicecodec.quic.QuicDecoder;
import org.spicecodec.quic.QuicEncoder;
import org.spicecodec.quic.QuicImageType;

/**
 * Checks a vector set in both directions: the encoder must reproduce each encoded file byte
 * for byte, and decoding it to each listed type must give the listed sha256. A vector passes
 * only if every one of its checks passes; vectors of codecs this build lacks are skipped,
 * never passed.
 */
final class VectorVerifier {
    /** Codecs whose vectors the verifier can check. */
    static final List<String> SUPPORTED = List.of(CodecOption.QUIC, CodecOption.LZ, CodecOption.GLZ);

    private final VectorSet set;
    private final PrintWriter out;
    private final boolean verbose;
    private final QuicEncoder quicEncoder = new QuicEncoder();
    private final QuicDecoder quicDecoder = new QuicDecoder();
    private final LzEncoder lzEncoder = new LzEncoder();
    private final LzDecoder lzDecoder = new LzDecoder();

    int passed;
    int failed;
    /** Skipped vectors per codec, in first-seen order. */
    final Map<String, Integer> skipped = new LinkedHashMap<>();

    VectorVerifier(VectorSet set, PrintWriter out, boolean verbose) {
        this.set = set;
        this.out = out;
        this.verbose = verbose;
    }

    /** Verifies every vector (and GLZ image) whose codec matches {@code codecFilter}, or all when null. */
    void run(String codecFilter) {
        for (Vector v : set.vectors()) {
            if (codecFilter != null && !v.codec().equals(codecFilter)) {
                continue;
            }
            if (!SUPPORTED.contains(v.codec())) {
                skipped.merge(v.codec(), 1, Integer::sum);
                continue;
            }
            List<String> problems;
            if (v.codec().equals(CodecOption.GLZ)) {
                // GLZ images only make sense in order through a dictionary, so they live in sequences.
                problems = List.of("manifest: a GLZ image belongs in glz_sequences, not in vectors");
            } else {
                problems = v.codec().equals(CodecOption.LZ) ? verifyLz(v) : verifyQuic(v);
            }
            report(v, problems);
        }
        if (codecFilter == null || codecFilter.equals(CodecOption.GLZ)) {
            for (GlzSequence s : set.glzSequences()) {
                verifyGlzSequence(s);
            }
        }
    }

    private void report(Vector v, List<String> problems) {
        if (problems.isEmpty()) {
            passed++;
            if (verbose) {
                out.println("ok   " + v.id());
            }
        } else {
            failed++;
            for (String p : problems) {
                out.println("FAIL " + v.id() + ": " + p);
            }
        }
        out.flush();
    }

    /**
     * A GLZ sequence, both ways and in order: its images go through one dictionary of the
     * sequence's window (one encoder) and their streams through one decoder window, as the
     * reference did. Each image counts as one vector.
     *
     * <p>Later images depend on earlier ones, so a failure is not always confined to its image.
     * An image whose input cannot be read cannot enter the dictionary, and the encode checks of
     * the images after it are then failed as unverifiable (their ids and window would differ
     * from the reference's). An encode that merely differs from the reference leaves the
     * dictionary as the reference's (it holds the input pixels, not the output), so later
     * images are still checked. On the decode side an image that could not be decoded is
     * missing from the window; later images that refer to it fail, the others are checked,
     * and failures after a missing image name it.
     */
    private void verifyGlzSequence(GlzSequence s) {
        GlzDictionary dict = null;
        GlzDecoderWindow window = null;
        String setupProblem = null;
        try {
            if (s.windowSizePixels() > GlzDictionary.MAX_WINDOW_PIXELS) {
                throw new IllegalArgumentException("window_size_pixels " + s.windowSizePixels() + " exceeds "
                        + GlzDictionary.MAX_WINDOW_PIXELS);
            }
            dict = new GlzDictionary((int) s.windowSizePixels(), Math.max(1, s.maxEncoders()), null);
            if (s.firstImageId() != 0) {
                dict.reset(s.firstImageId());
            }
            // No waiting: an image missing here will never arrive, the sequence is decoded in one thread.
            window = new GlzDecoderWindow(s.windowSizePixels(), 0);
            if (s.firstImageId() != 0) {
                window.clear(s.firstImageId());
            }
        } catch (RuntimeException e) {
            setupProblem = "sequence " + s.id() + ": " + SpicecodecCli.describe(e);
        }
        GlzDecoder decoder = window != null ? new GlzDecoder(window) : null;
        try (GlzEncoder encoder = dict != null ? new GlzEncoder(dict) : null) {
            // The first image the dictionary lacks (its encode could not run), or -1.
            int notEncoded = -1;
            List<Integer> notDecoded = new ArrayList<>();
            for (GlzImage img : s.images()) {
                Vector v = img.vector();
                List<String> problems = new ArrayList<>();
                if (setupProblem != null) {
                    problems.add(setupProblem);
                    report(v, problems);
                    continue;
                }
                LzImageType type = LzImageType.fromValue(v.imageTypeValue());
                if (type == null || !type.name().equals(v.imageType()) || type == LzImageType.XXXA
                        || type == LzImageType.A8) {
                    problems.add("manifest: image_type " + v.imageType() + " / image_type_value "
                            + v.imageTypeValue() + " is not a GLZ type");
                    notEncoded = notEncoded < 0 ? img.index() : notEncoded;
                    notDecoded.add(img.index());
                    report(v, problems);
                    continue;
                }
                byte[] input = read(v, true, problems);
                byte[] encoded = read(v, false, problems);
                SpicePalette palette = null;
                if (v.palette() != null) {
                    try {
                        palette = new SpicePalette(0, set.readPalette(v));
                    } catch (IOException | RuntimeException e) {
                        problems.add("palette: " + SpicecodecCli.describe(e));
                    }
                }
                if (notEncoded >= 0) {
                    problems.add("encode: not checked: image " + notEncoded + " of the sequence could not be"
                            + " encoded, so the dictionary no longer matches the reference's");
                } else if (input == null) {
                    notEncoded = img.index();
                } else if (!encodeGlz(v, img, type, encoder, input, encoded, problems)) {
                    notEncoded = img.index();
                }
                if (encoded != null && decodeGlz(v, img, decoder, encoded, palette, notDecoded, problems)) {
                    // decoded and inserted into the window
                } else {
                    notDecoded.add(img.index());
                }
                report(v, problems);
            }
        }
    }

    /**
     * Encodes one image of a sequence and compares it with the reference's bytes (when they
     * could be read). Returns whether the image entered the dictionary.
     */
    private boolean encodeGlz(Vector v, GlzImage img, LzImageType type, GlzEncoder encoder, byte[] input,
                              byte[] expected, List<String> problems) {
        try {
            // The dictionary keeps the input's arrays: each image has its own, never reused.
            SpiceBitmap src = bitmap(v, type.bitmapFormat(), input);
            long bound = GlzEncoder.maxEncodedLength(src.format(), v.width(), v.height(), v.stride())
                    + 2L * src.chunks().count() + 16;
            int capacity = (int) Math.min(Math.max(bound, expected != null ? expected.length : 0),
                    Integer.MAX_VALUE - 16);
            byte[] buf = new byte[capacity];
            long id = encoder.dictionary().nextImageId();
            int n = encoder.encode(src, buf, 0, capacity);
            if (id != img.imageId()) {
                problems.add("encode: image id " + id + ", the manifest says " + img.imageId());
            }
            if (expected != null) {
                compareEncoded(v, buf, n, capacity, expected, problems);
            }
            return n != ImageEncoder.DOES_NOT_FIT;
        } catch (RuntimeException e) {
            problems.add("encode: " + SpicecodecCli.describe(e));
            return false;
        }
    }

    /**
     * Decodes one image of a sequence through the shared window and compares the result with
     * each listed decode: the reference decoder's layout, 4 bytes per pixel, rows as stored,
     * palette rows at their gross width. Returns whether the image entered the window.
     */
    private boolean decodeGlz(Vector v, GlzImage img, GlzDecoder decoder, byte[] encoded, SpicePalette palette,
                              List<Integer> notDecoded, List<String> problems) {
        String after = notDecoded.isEmpty() ? "" : " (image" + (notDecoded.size() == 1 ? " " : "s ")
                + notDecoded.stream().map(String::valueOf).collect(Collectors.joining(", "))
                + " of the sequence could not be decoded)";
        GlzDecodedImage got;
        try {
            got = decoder.decode(encoded, 0, encoded.length, palette);
        } catch (RuntimeException e) {
            problems.add("decode: " + SpicecodecCli.describe(e) + after);
            return false;
        }
        SpiceBitmapFormat own = got.format() == SpiceBitmapFormat.RGBA ? SpiceBitmapFormat.RGBA
                : SpiceBitmapFormat.RGB32;
        byte[] bytes = got.toBytes();
        String sha = VectorSet.sha256Hex(bytes, 0, bytes.length);
        int stride = got.rowPixels() * 4;
        if (got.id() != img.imageId()) {
            problems.add("decode: image id " + got.id() + " in the stream, the manifest says " + img.imageId());
        }
        for (Decode d : v.decodes()) {
            String what = "decode to " + d.toType();
            if (!d.toType().equals(own.name())) {
                problems.add(what + ": GLZ decodes a " + got.format() + " image to " + own.name() + " only");
            } else if (bytes.length != d.size() || stride != d.stride() || !sha.equals(d.sha256())) {
                problems.add(what + ": expected sha256 " + d.sha256() + " (" + d.size() + " bytes), got " + sha
                        + " (" + bytes.length + " bytes)" + after);
            }
        }
        return true;
    }

    int skippedTotal() {
        return skipped.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** "skipped 2 vectors: 2 jpeg (codec not implemented yet)", or null when none were skipped. */
    String skippedLine() {
        if (skipped.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        skipped.forEach((codec, n) -> parts.add(n + " " + codec));
        return "skipped " + skippedTotal() + " vector" + (skippedTotal() == 1 ? "" : "s") + ": "
                + String.join(", ", parts) + " (codec not implemented yet)";
    }

    String summaryLine() {
        return passed + " passed, " + failed + " failed, " + skippedTotal() + " skipped";
    }

    private List<String> verifyQuic(Vector v) {
        List<String> problems = new ArrayList<>();
        QuicImageType type = QuicImageType.fromValue(v.imageTypeValue());
        if (type == null || !type.name().equals(v.imageType())) {
            problems.add("manifest: image_type " + v.imageType() + " / image_type_value " + v.imageTypeValue()
                    + " is not a QUIC type");
            return problems;
        }
        byte[] input = read(v, true, problems);
        byte[] encoded = read(v, false, problems);
        if (input != null && encoded != null) {
            checkEncode(v, type, input, encoded, problems);
        }
        if (encoded != null) {
            for (Decode d : v.decodes()) {
                checkDecode(v, d, encoded, problems);
            }
        }
        return problems;
    }

    private List<String> verifyLz(Vector v) {
        List<String> problems = new ArrayList<>();
        LzImageType type = LzImageType.fromValue(v.imageTypeValue());
        if (type == null || !type.name().equals(v.imageType())) {
            problems.add("manifest: image_type " + v.imageType() + " / image_type_value " + v.imageTypeValue()
                    + " is not an LZ type");
            return problems;
        }
        byte[] input = read(v, true, problems);
        byte[] encoded = read(v, false, problems);
        if (input != null && encoded != null) {
            try {
                SpiceBitmap src = bitmap(v, type.bitmapFormat(), input);
                long bound = LzEncoder.maxEncodedLength(type, v.width(), v.height());
                int capacity = (int) Math.min(Math.max(bound, encoded.length), Integer.MAX_VALUE - 16);
                byte[] buf = new byte[capacity];
                int n = lzEncoder.encode(type, src, buf, 0, capacity);
                compareEncoded(v, buf, n, capacity, encoded, problems);
            } catch (RuntimeException e) {
                problems.add("encode: " + SpicecodecCli.describe(e));
            }
        }
        if (encoded != null) {
            SpicePalette palette = null;
            if (v.palette() != null) {
                try {
                    palette = new SpicePalette(0, set.readPalette(v));
                } catch (IOException | RuntimeException e) {
                    problems.add("palette: " + SpicecodecCli.describe(e));
                }
            }
            for (Decode d : v.decodes()) {
                checkLzDecode(v, type, d, encoded, palette, problems);
            }
        }
        return problems;
    }

    /**
     * LZ decodes keep the input's row order; palette images to RGB32 keep the padding pixels
     * (the row is {@code stride × pixels per byte} wide), as the reference outputs do.
     */
    private void checkLzDecode(Vector v, LzImageType type, Decode d, byte[] encoded, SpicePalette palette,
                               List<String> problems) {
        String what = "decode to " + d.toType();
        SpiceBitmapFormat target;
        try {
            target = d.toType().equals("XXXA") ? SpiceBitmapFormat.RGBA : SpiceBitmapFormat.valueOf(d.toType());
        } catch (IllegalArgumentException e) {
            problems.add(what + ": not an LZ type");
            return;
        }
        try {
            int width = type.isPalette() && target == SpiceBitmapFormat.RGB32
                    ? v.stride() * type.pixelsPerByte() : v.width();
            int stride = (int) target.minStride(width);
            SpiceBitmap dst = SpiceBitmap.of(target, width, v.height(), stride, v.topDown(),
                    new byte[Math.multiplyExact(stride, v.height())], 0);
            if (palette != null) {
                dst = dst.withPalette(palette);
            }
            lzDecoder.decode(encoded, 0, encoded.length, dst);
            byte[] got = dst.data();
            String sha = VectorSet.sha256Hex(got, 0, got.length);
            if (got.length != d.size() || stride != d.stride() || !sha.equals(d.sha256())) {
                problems.add(what + ": expected sha256 " + d.sha256() + " (" + d.size() + " bytes), got " + sha
                        + " (" + got.length + " bytes)");
            }
        } catch (RuntimeException e) {
            problems.add(what + ": " + SpicecodecCli.describe(e));
        }
    }

    /** Reads the input or the encoded file; a damaged file is a failure of the vector, not a crash. */
    private byte[] read(Vector v, boolean inputFile, List<String> problems) {
        String what = inputFile ? "input file" : "encoded file";
        try {
            return inputFile ? set.readInput(v) : set.readEncoded(v);
        } catch (DigestMismatchException e) {
            problems.add(what + " " + e.file() + ": " + e.property() + " expected " + e.expected() + ", got "
                    + e.actual());
        } catch (IOException | RuntimeException e) {
            problems.add(what + ": " + SpicecodecCli.describe(e));
        }
        return null;
    }

    private void checkEncode(Vector v, QuicImageType type, byte[] input, byte[] expected, List<String> problems) {
        try {
            SpiceBitmap src = bitmap(v, type.bitmapFormat(), input);
            long bound = quicEncoder.maxEncodedLength(src.format(), v.width(), v.height());
            int capacity = (int) Math.min(Math.max(bound, expected.length), Integer.MAX_VALUE - 16);
            byte[] buf = new byte[capacity];
            int n = quicEncoder.encode(src, buf, 0, capacity);
            compareEncoded(v, buf, n, capacity, expected, problems);
        } catch (RuntimeException e) {
            problems.add("encode: " + SpicecodecCli.describe(e));
        }
    }

    private static void compareEncoded(Vector v, byte[] buf, int n, int capacity, byte[] expected,
                                       List<String> problems) {
        if (n == ImageEncoder.DOES_NOT_FIT) {
            problems.add("encode: expected " + expected.length + " bytes, got DOES_NOT_FIT with " + capacity
                    + " bytes of room");
            return;
        }
        if (n != expected.length || !Arrays.equals(buf, 0, n, expected, 0, n)) {
            int diff = Arrays.mismatch(buf, 0, n, expected, 0, expected.length);
            problems.add("encode: expected sha256 " + v.encoded().sha256() + " (" + expected.length
                    + " bytes), got " + VectorSet.sha256Hex(buf, 0, n) + " (" + n + " bytes), first difference at"
                    + " byte " + diff);
        }
    }

    private void checkDecode(Vector v, Decode d, byte[] encoded, List<String> problems) {
        String what = "decode to " + d.toType();
        QuicImageType target;
        try {
            target = QuicImageType.valueOf(d.toType());
        } catch (IllegalArgumentException e) {
            problems.add(what + ": not a QUIC type");
            return;
        }
        try {
            // Top-down with the tightest stride: the layout of the reference QUIC decode outputs.
            SpiceBitmap dst = SpiceBitmap.allocate(target.bitmapFormat(), v.width(), v.height());
            quicDecoder.decode(encoded, 0, encoded.length, dst);
            byte[] got = dst.data();
            String sha = VectorSet.sha256Hex(got, 0, got.length);
            if (got.length != d.size() || !sha.equals(d.sha256())) {
                problems.add(what + ": expected sha256 " + d.sha256() + " (" + d.size() + " bytes), got " + sha
                        + " (" + got.length + " bytes)");
            }
        } catch (RuntimeException e) {
            problems.add(what + ": " + SpicecodecCli.describe(e));
        }
    }

    /**
     * The input as the reference encoder saw it: rows in file order, the bottom row first when
     * {@code top_down} is false, split into the listed segments if any.
     */
    private static SpiceBitmap bitmap(Vector v, SpiceBitmapFormat format, byte[] input) {
        if (v.segments() == null) {
            return SpiceBitmap.of(format, v.width(), v.height(), v.stride(), v.topDown(), input, 0);
        }
        SpiceChunks.Builder chunks = SpiceChunks.builder();
        int off = 0;
        for (int rows : v.segments()) {
            int len = Math.multiplyExact(rows, v.stride());
            chunks.add(input, off, len);
            off += len;
        }
        return SpiceBitmap.of(format, v.width(), v.height(), v.stride(), v.topDown(), chunks.build());
    }
}
