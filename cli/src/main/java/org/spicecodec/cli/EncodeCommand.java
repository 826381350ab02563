package org.spicecodec.cli;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.spicecodec.audio.AudioParameters;
import org.spicecodec.audio.OggOpus;
import org.spicecodec.audio.WavFile;
import org.spicecodec.core.ImageEncoder;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.glz.GlzDecoderWindow;
import org.spicecodec.jpeg.JpegAlphaEncoder;
import org.spicecodec.jpeg.JpegEncoder;
import org.spicecodec.glz.GlzDictionary;
import org.spicecodec.glz.GlzEncoder;
import org.spicecodec.glz.GlzZlib;
import org.spicecodec.lz.LzEncoder;
import org.spicecodec.lz.LzImageType;
import org.spicecodec.lz4.Lz4ImageEncoder;
import org.spicecodec.lz4.VmcLz4;
import org.spicecodec.quic.QuicEncoder;
import org.spicecodec.quic.QuicImageType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "encode",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Compresses a raw pixel file or a PNG; with glz or zlib-glz, a sequence of them through one dictionary.",
            "A raw file holds HEIGHT rows of STRIDE bytes, little-endian pixels: GRAY 1 byte, RGB16 x1r5g5b5,"
                + " RGB24 B,G,R, RGB32 B,G,R,X, RGBA B,G,R,A; for LZ also A8 1 byte, XXXA B,G,R,A (alpha coded),"
                + " PLT8 1 byte, PLT4_LE/PLT4_BE 2 pixels and PLT1_LE/PLT1_BE 8 pixels per byte."
                + " It must be exactly STRIDE * HEIGHT bytes.",
            "A PNG (IN ending in .png) is converted to TYPE, by default RGBA if it has alpha, GRAY if it is"
                + " gray (RGB32 for the codecs other than QUIC), RGB32 otherwise.",
            "glz, zlib-glz: IN... OUTDIR. The images go in order through one dictionary of --window pixels"
                + " (ids from 0) and are written as OUTDIR/00.glz, 01.glz, ...; zlib-glz writes NN.zglz"
                + " (u32 LE glz_data_size, u32 LE data_size, zlib data: the ZLIB_GLZ_RGB layout), or NN.glz"
                + " when the server would send plain GLZ (and says so).",
            "lz4: the data of an LZ4 image (no size in it: decoding needs --width and --height again).",
            "vmc-lz4: any file, as the body of a spicevmc COMPRESSED_DATA message; says so and writes nothing"
                + " when the data would be sent uncompressed as DATA.",
            "jpeg: the JPEG file of a SPICE JPEG image (the server's quality 85 unless --quality), rows top-down;"
                + " input RGB16, RGB24, RGB32 or RGBA (alpha dropped).",
            "jpeg-alpha: a SPICE JPEG_ALPHA image body (flags, jpeg_size, data_size, JPEG of the colours, LZ XXXA"
                + " alpha); input RGBA (a PNG with alpha).",
            "opus: a 16-bit PCM WAV at 48 kHz, stereo (SPICE's Opus profile; resample first otherwise) to an"
                + " Ogg Opus file of 10 ms packets, as SPICE's playback channel sends them."
        })
final class EncodeCommand implements Callable<Integer> {
    /** Ogg stream serial of the files written by --codec opus ("SPIC"). */
    private static final int OGG_SERIAL = 0x53504943;

    @Spec
    CommandSpec spec;

    @Mixin
    CodecOption codec;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE",
            description = "Pixel type: GRAY, RGB16, RGB24, RGB32, RGBA (QUIC); PLT1_LE, PLT1_BE, PLT4_LE, PLT4_BE,"
                    + " PLT8, RGB16, RGB24, RGB32, RGBA, XXXA, A8 (LZ; GLZ the same without XXXA and A8);"
                    + " RGB16, RGB24, RGB32, RGBA (LZ4). Required for raw input.")
    String type;

    @Option(names = {"-W", "--width"}, paramLabel = "W", description = "Width in pixels. Required for raw input.")
    Integer width;

    @Option(names = {"-H", "--height"}, paramLabel = "H", description = "Height in pixels. Required for raw input.")
    Integer height;

    @Option(names = "--stride", paramLabel = "S",
            description = "Bytes from one row to the next in a raw file. Default: width * bytes per pixel.")
    Integer stride;

    @Option(names = "--bottom-up",
            description = "The raw file holds the bottom row first (a SPICE bitmap without the TOP_DOWN flag).")
    boolean bottomUp;

    @Option(names = "--window", paramLabel = "PIXELS",
            description = "glz, zlib-glz: the dictionary size in pixels (the client's glz_dictionary_window_size),"
                    + " 1 to 33554432. Default: 16777216.")
    Long window;

    @Option(names = {"-q", "--quality"}, paramLabel = "Q",
            description = "jpeg, jpeg-alpha: the JPEG quality, 1 to 100 on libjpeg's scale. Default: 85 (spice-server's).")
    Integer quality;

    @Option(names = {"-v", "--verbose"}, description = "Print the sizes and the compression ratio.")
    boolean verbose;

    // One list rather than IN and OUT, so that GLZ can take several inputs before its output directory.
    @Parameters(arity = "2..*", paramLabel = "IN... OUT", hideParamSyntax = true,
            description = "Input files (raw pixels or .png; one, except for glz and zlib-glz), then the output"
                    + " file, or for glz and zlib-glz the output directory.")
    List<Path> files;

    /** --type resolved for the codec: the bitmap format, and the LZ type when coding LZ or GLZ. */
    private SpiceBitmapFormat format;
    private LzImageType lzType;

    @Override
    public Integer call() throws Exception {
        codec.requireSupported();
        checkOptions();
        if (type != null) {
            parseType();
        }
        List<Path> inputs = files.subList(0, files.size() - 1);
        Path out = files.get(files.size() - 1);
        if (codec.isGlz()) {
            return encodeGlzSequence(inputs, out);
        }
        Path in = inputs.get(0);
        if (codec.isVmcLz4()) {
            return encodeVmc(in, out);
        }
        if (codec.isOpus()) {
            return encodeOpus(in, out);
        }
        SpiceBitmap src = read(in);
        long bound;
        byte[] buf;
        int capacity;
        int n;
        if (codec.isLz()) {
            LzImageType t = lzType != null ? lzType : LzImageType.forFormat(src.format());
            bound = LzEncoder.maxEncodedLength(t, src.width(), src.height());
            capacity = (int) Math.min(bound, Integer.MAX_VALUE - 16);
            buf = new byte[capacity];
            n = new LzEncoder().encode(t, src, buf, 0, capacity);
        } else {
            int q = quality != null ? quality : JpegEncoder.DEFAULT_QUALITY;
            ImageEncoder encoder = codec.isLz4() ? new Lz4ImageEncoder()
                    : codec.isJpeg() ? new JpegEncoder(q)
                    : codec.isJpegAlpha() ? new JpegAlphaEncoder(q)
                    : new QuicEncoder();
            if (!encoder.supports(src.format())) {
                throw usage("--codec " + codec.name() + " cannot encode " + typeName(src.format()) + " pixels");
            }
            bound = encoder.maxEncodedLength(src.format(), src.width(), src.height());
            capacity = (int) Math.min(bound, Integer.MAX_VALUE - 16);
            buf = new byte[capacity];
            n = encoder.encode(src, buf, 0, capacity);
        }
        if (n == ImageEncoder.DOES_NOT_FIT) {
            throw new CliException("the encoded image does not fit in " + capacity + " bytes");
        }
        Files.write(out, Arrays.copyOf(buf, n));
        if (verbose) {
            long raw = src.format().minStride(src.width()) * src.height();
            spec.commandLine().getOut().printf("%s: %dx%d %s, %d bytes -> %d bytes (%.2f:1)%n", out, src.width(),
                    src.height(), typeName(src.format()), raw, n, (double) raw / n);
        }
        return SpicecodecCli.EXIT_OK;
    }

    /** Option combinations that make no sense for the codec are usage errors, found before any work. */
    private void checkOptions() {
        if (quality != null && !codec.isJpeg() && !codec.isJpegAlpha()) {
            throw usage("--quality applies to --codec jpeg and jpeg-alpha only");
        }
        if (quality != null && (quality < 1 || quality > 100)) {
            throw usage("--quality must be 1 to 100, got " + quality);
        }
        if (!codec.isGlz() && files.size() != 2) {
            throw usage("--codec " + codec.name() + " takes one input and one output (IN OUT); several inputs"
                    + " are for --codec glz or zlib-glz");
        }
        if (window != null && !codec.isGlz()) {
            throw usage("--window applies to --codec glz and zlib-glz only");
        }
        if (window != null && (window < 1 || window > GlzDictionary.MAX_WINDOW_PIXELS)) {
            throw usage("--window must be 1 to " + GlzDictionary.MAX_WINDOW_PIXELS + " pixels, got " + window);
        }
        if ((codec.isVmcLz4() || codec.isOpus()) && (type != null || width != null || height != null || stride != null || bottomUp)) {
            throw usage("--codec " + codec.name() + " does not code pixels: --type, --width, --height,"
                    + " --stride and --bottom-up do not apply");
        }
    }

    /** A WAV in SPICE's Opus profile to an Ogg Opus file that ordinary players open. */
    private Integer encodeOpus(Path in, Path out) throws Exception {
        WavFile wav;
        try {
            wav = WavFile.read(Files.readAllBytes(in));
        } catch (MalformedInputException e) {
            throw new CliException(in + ": not a 16-bit PCM WAV file (offset " + e.offset() + "): " + e.reason());
        }
        AudioParameters params = AudioParameters.spiceDefault();
        // No resampling or remixing here: the tool codes exactly what SPICE would carry.
        if (wav.sampleRate() != params.sampleRate() || wav.channels() != params.channels()) {
            throw usage(in + " is " + wav.sampleRate() + " Hz, " + wav.channels() + " channel(s): --codec opus"
                    + " needs a 16-bit WAV at 48000 Hz, stereo (SPICE's profile)");
        }
        // A fixed stream serial keeps the output reproducible.
        byte[] ogg = OggOpus.encode(wav.samples(), params, OGG_SERIAL);
        Files.write(out, ogg);
        if (verbose) {
            long raw = 2L * wav.samples().length;
            spec.commandLine().getOut().printf("%s: %.2f s of 48 kHz stereo, %d bytes -> Ogg Opus %d bytes (%.2f:1)%n",
                    out, wav.frames() / 48000.0, raw, ogg.length, (double) raw / ogg.length);
        }
        return SpicecodecCli.EXIT_OK;
    }

    /** The body of a spicevmc COMPRESSED_DATA message, or a note that the data would go as DATA. */
    private Integer encodeVmc(Path in, Path out) throws Exception {
        byte[] payload = Files.readAllBytes(in);
        byte[] body = new byte[VmcLz4.maxBodyLength(payload.length)];
        int n = new VmcLz4().compress(payload, 0, payload.length, body, 0);
        PrintWriter w = spec.commandLine().getOut();
        if (n == VmcLz4.SEND_AS_DATA) {
            // Not an error: the protocol sends such payloads as they are, so there is no body to write.
            String why = VmcLz4.shouldCompress(payload.length) ? "LZ4 does not make it smaller"
                    : "payloads of " + VmcLz4.COMPRESS_THRESHOLD + " bytes or fewer are never compressed";
            w.printf("%s: %d bytes would be sent raw, as a DATA message (%s); %s not written%n", in, payload.length,
                    why, out);
            return SpicecodecCli.EXIT_OK;
        }
        Files.write(out, Arrays.copyOf(body, n));
        if (verbose) {
            w.printf("%s: %d bytes -> COMPRESSED_DATA body of %d bytes (%.2f:1)%n", out, payload.length, n,
                    (double) payload.length / n);
        }
        return SpicecodecCli.EXIT_OK;
    }

    /**
     * Encodes the inputs in order through one dictionary and one encoder, as one display
     * channel of spice-server would; later images may refer to earlier ones.
     */
    private Integer encodeGlzSequence(List<Path> inputs, Path outDir) throws Exception {
        if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
            throw new CliException(outDir + " is not a directory: --codec " + codec.name()
                    + " writes one file per image into an output directory");
        }
        // Read every input before writing anything, so a bad one leaves no partial sequence behind.
        List<SpiceBitmap> images = new ArrayList<>();
        for (Path in : inputs) {
            SpiceBitmap src = read(in);
            if (codec.isZlibGlz() && src.format().isPalette()) {
                throw usage("zlib-glz carries RGB16, RGB24, RGB32 and RGBA only (spice-server never sends a palette"
                        + " image as GLZ); use --codec glz for " + src.format());
            }
            images.add(src);
        }
        Files.createDirectories(outDir);
        long windowPixels = window != null ? window : GlzDecoderWindow.DEFAULT_WINDOW_PIXELS;
        GlzDictionary dict = new GlzDictionary((int) windowPixels);
        int digits = Math.max(2, String.valueOf(images.size() - 1).length());
        PrintWriter w = spec.commandLine().getOut();
        try (GlzEncoder encoder = new GlzEncoder(dict); GlzZlib zlib = codec.isZlibGlz() ? new GlzZlib() : null) {
            for (int i = 0; i < images.size(); i++) {
                SpiceBitmap src = images.get(i);
                Path in = inputs.get(i);
                long bound = GlzEncoder.maxEncodedLength(src.format(), src.width(), src.height(), src.stride());
                int capacity = (int) Math.min(bound + 2L * src.chunks().count() + 16, Integer.MAX_VALUE - 16);
                byte[] buf = new byte[capacity];
                int n;
                try {
                    n = encoder.encode(src, buf, 0, capacity);
                } catch (IllegalArgumentException e) {
                    // A stride GLZ refuses, or an image larger than the window: the arguments are wrong.
                    throw new CliException(in + ": " + e.getMessage(), SpicecodecCli.EXIT_USAGE);
                }
                if (n == ImageEncoder.DOES_NOT_FIT) {
                    throw new CliException(in + ": the encoded image does not fit in " + capacity + " bytes");
                }
                String name = String.format("%0" + digits + "d", i);
                long raw = src.format().minStride(src.width()) * src.height();
                if (zlib != null) {
                    byte[] z = new byte[8 + n];
                    int zn = zlib.compress(buf, 0, n, z, 8, n);
                    if (zn >= 0) {
                        putLe32(z, 0, n);
                        putLe32(z, 4, zn);
                        Path out = outDir.resolve(name + ".zglz");
                        Files.write(out, Arrays.copyOf(z, 8 + zn));
                        if (verbose) {
                            describeGlz(w, out, src, buf, raw, n);
                            w.printf("%s: zlib-wrapped, %d bytes (%.2f:1)%n", out, 8 + zn, (double) raw / (8 + zn));
                        }
                        continue;
                    }
                }
                Path out = outDir.resolve(name + ".glz");
                Files.write(out, Arrays.copyOf(buf, n));
                if (zlib != null) {
                    w.printf("%s: sent as plain GLZ (%s)%n", out, n < GlzZlib.MIN_GLZ_SIZE
                            ? "under " + GlzZlib.MIN_GLZ_SIZE + " bytes" : "zlib does not make it smaller");
                }
                if (verbose) {
                    describeGlz(w, out, src, buf, raw, n);
                }
            }
        }
        return SpicecodecCli.EXIT_OK;
    }

    private void describeGlz(PrintWriter w, Path out, SpiceBitmap src, byte[] glz, long raw, int n) {
        long id = (be32(glz, 21) & 0xFFFFFFFFL) << 32 | (be32(glz, 25) & 0xFFFFFFFFL);
        long headDist = be32(glz, 29) & 0xFFFFFFFFL;
        w.printf("%s: %dx%d %s, image id %d, win_head_dist %d, %d bytes -> GLZ %d bytes (%.2f:1)%n", out, src.width(),
                src.height(), typeName(src.format()), id, headDist, raw, n, (double) raw / n);
    }

    private static int be32(byte[] b, int o) {
        return (b[o] & 0xFF) << 24 | (b[o + 1] & 0xFF) << 16 | (b[o + 2] & 0xFF) << 8 | (b[o + 3] & 0xFF);
    }

    private static void putLe32(byte[] b, int o, int v) {
        b[o] = (byte) v;
        b[o + 1] = (byte) (v >>> 8);
        b[o + 2] = (byte) (v >>> 16);
        b[o + 3] = (byte) (v >>> 24);
    }

    private SpiceBitmap read(Path in) throws Exception {
        return Images.isPng(in) ? fromPicture(in) : fromRaw(in);
    }

    private SpiceBitmap fromRaw(Path in) throws Exception {
        if (type == null || width == null || height == null) {
            throw usage("raw input needs --type, --width and --height");
        }
        if (width < 1 || height < 1) {
            throw usage("--width and --height must be positive, got " + width + "x" + height);
        }
        SpiceBitmapFormat format = this.format;
        long minStride = format.minStride(width);
        int s = stride != null ? stride : (int) Math.min(minStride, Integer.MAX_VALUE);
        if (s < minStride) {
            throw usage("--stride " + s + " is below " + minStride + ", the size of a row of " + width + " " + type
                    + " pixels");
        }
        return Images.readRaw(in, format, width, height, s, !bottomUp);
    }

    private SpiceBitmap fromPicture(Path in) throws Exception {
        if (stride != null || bottomUp) {
            throw usage("--stride and --bottom-up apply to raw input only, not to " + in);
        }
        BufferedImage img = Images.readPicture(in);
        if (width != null && width != img.getWidth() || height != null && height != img.getHeight()) {
            throw usage(in + " is " + img.getWidth() + "x" + img.getHeight() + ", not "
                    + (width != null ? width : img.getWidth()) + "x" + (height != null ? height : img.getHeight()));
        }
        SpiceBitmapFormat format = type != null ? this.format : Images.naturalFormat(img);
        // Only QUIC codes gray; the others take gray pictures as colour.
        if (!codec.name().equals(CodecOption.QUIC) && format == SpiceBitmapFormat.GRAY8) {
            format = SpiceBitmapFormat.RGB32;
        }
        if (format.isPalette()) {
            throw usage("a picture cannot be converted to the palette type " + type);
        }
        return Images.toBitmap(img, format);
    }

    /** Resolves --type for the chosen codec; a type the codec lacks is a usage error. */
    private void parseType() {
        String name = type.toUpperCase(Locale.ROOT);
        String codecName = codec.isGlz() ? "GLZ" : codec.isLz4() ? "LZ4" : codec.isLz() ? "LZ" : "QUIC";
        try {
            if (codec.isLz() || codec.isGlz()) {
                lzType = LzImageType.valueOf(name);
                format = lzType.bitmapFormat();
                if (codec.isGlz() && (lzType == LzImageType.XXXA || lzType == LzImageType.A8)) {
                    throw usage("GLZ cannot code " + name + " (it codes PLT1_LE, PLT1_BE, PLT4_LE, PLT4_BE, PLT8,"
                            + " RGB16, RGB24, RGB32, RGBA)");
                }
            } else if (codec.isLz4()) {
                format = SpiceBitmapFormat.valueOf(name);
                if (!Lz4ImageEncoder.isLz4Format(format)) {
                    throw new IllegalArgumentException(name);
                }
            } else {
                format = QuicImageType.valueOf(name).bitmapFormat();
            }
        } catch (IllegalArgumentException e) {
            throw usage("unknown " + codecName + " pixel type '" + type + "'"
                    + (codec.isLz4() ? " (LZ4 codes RGB16, RGB24, RGB32, RGBA)" : ""));
        }
    }

    private String typeName(SpiceBitmapFormat f) {
        if (codec.isLz() || codec.isGlz()) {
            return lzType != null ? lzType.name() : LzImageType.forFormat(f).name();
        }
        QuicImageType q = QuicImageType.forFormat(f);
        return q != null ? q.name() : f.name();
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
