package org.spicecodec.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.spicecodec.audio.OggOpus;
import org.spicecodec.audio.OggOpusReader;
import org.spicecodec.audio.WavFile;
import org.spicecodec.core.ImageDecoder;
import org.spicecodec.core.ImageInfo;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpicePalette;
import org.spicecodec.glz.GlzDecodedImage;
import org.spicecodec.glz.GlzDecoder;
import org.spicecodec.glz.GlzDecoderWindow;
import org.spicecodec.jpeg.JpegAlphaDecoder;
import org.spicecodec.jpeg.JpegDecoder;
import org.spicecodec.lz.LzDecoder;
import org.spicecodec.lz.LzImageType;
import org.spicecodec.lz4.Lz4ImageDecoder;
import org.spicecodec.lz4.Lz4ImageEncoder;
import org.spicecodec.lz4.VmcLz4;
import org.spicecodec.quic.QuicDecoder;
import org.spicecodec.quic.QuicImageType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "decode",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Decompresses an encoded image; with glz or zlib-glz, a sequence of them through one window.",
            "Writes the pixels top-down with the tightest stride (width * bytes per pixel), or a PNG when OUT"
                + " ends in .png.",
            "QUIC conversions: RGB24 <-> RGB32, RGB16 -> RGB32; GRAY and RGBA decode only to themselves.",
            "LZ conversions: RGB16, RGB24, A8 and the palette types -> RGB32 (palette types need --palette);"
                + " XXXA gives RGBA pixels with B, G, R zero.",
            "glz, zlib-glz: IN... OUTDIR. The images are decoded in order through one window (as the client's"
                + " display channels share it) into OUTDIR/00.raw, 01.raw, ... (NN.png with --png): RGBA images"
                + " as RGBA, all others as RGB32 (palette images need --palette). zlib-glz reads NN.zglz bodies"
                + " and plain .glz files alike.",
            "lz4: needs --width and --height, which the LZ4 payload does not hold; decodes to its own type.",
            "vmc-lz4: a spicevmc COMPRESSED_DATA body back to the bytes it carries.",
            "jpeg: a JPEG file (SPICE's JPEG image) to RGB32, or RGB24 with --to-type RGB24.",
            "jpeg-alpha: a JPEG_ALPHA image body to RGBA.",
            "opus: an Ogg Opus file to a 16-bit PCM WAV at 48 kHz with the file's channel count, pre-skip"
                + " removed and trimmed to the stream's length."
        })
final class DecodeCommand implements Callable<Integer> {
    /** The first bytes of every GLZ stream; a zlib-GLZ body cannot start with them (see decodeGlzSequence). */
    private static final int GLZ_MAGIC = 0x20205A4C;

    @Spec
    CommandSpec spec;

    @Mixin
    CodecOption codec;

    @Option(names = {"-t", "--to-type"}, paramLabel = "TYPE",
            description = "Output pixel type, for example RGB32. Default: the stream's own type (GLZ: RGBA for"
                    + " RGBA, else RGB32).")
    String toType;

    @Option(names = "--palette", paramLabel = "FILE",
            description = "LZ and GLZ palette images: the palette, uint32 little-endian 0x00RRGGBB entries (a .pal"
                    + " file of the vector sets). LZ needs it to decode to RGB32 or to a PNG, GLZ always.")
    Path palette;

    @Option(names = {"-W", "--width"}, paramLabel = "W",
            description = "lz4: the image width from the image descriptor (required).")
    Integer width;

    @Option(names = {"-H", "--height"}, paramLabel = "H",
            description = "lz4: the image height from the image descriptor (required).")
    Integer height;

    @Option(names = "--window", paramLabel = "PIXELS",
            description = "glz, zlib-glz: the window size in pixels (glz_dictionary_window_size); larger images"
                    + " are refused. Default: 16777216.")
    Long window;

    @Option(names = "--png", description = "glz, zlib-glz: write OUTDIR/NN.png instead of NN.raw.")
    boolean png;

    @Option(names = {"-v", "--verbose"}, description = "Print what the header says.")
    boolean verbose;

    // One list rather than IN and OUT, so that GLZ can take several inputs before its output directory.
    @Parameters(arity = "2..*", paramLabel = "IN... OUT", hideParamSyntax = true,
            description = "Encoded input files (one, except for glz and zlib-glz), then the output file (raw, or"
                    + " .png), or for glz and zlib-glz the output directory.")
    List<Path> files;

    private Path in;
    private Path out;

    @Override
    public Integer call() throws Exception {
        codec.requireSupported();
        checkOptions();
        out = files.get(files.size() - 1);
        if (codec.isGlz()) {
            return decodeGlzSequence(files.subList(0, files.size() - 1), out);
        }
        in = files.get(0);
        if (codec.isVmcLz4()) {
            return decodeVmc();
        }
        if (codec.isOpus()) {
            return decodeOpus();
        }
        if (codec.isJpeg() || codec.isJpegAlpha()) {
            return decodeJpeg();
        }
        // The output type is checked before any file is read: a bad name is a usage error.
        QuicImageType quicTo = null;
        SpiceBitmapFormat lzTo = null;
        if (toType != null) {
            String name = toType.toUpperCase(Locale.ROOT);
            try {
                if (codec.isLz()) {
                    lzTo = name.equals("XXXA") ? SpiceBitmapFormat.RGBA : SpiceBitmapFormat.valueOf(name);
                    if (LzImageType.forFormat(lzTo) == null) {
                        throw new IllegalArgumentException(name);
                    }
                } else if (codec.isLz4()) {
                    lzTo = SpiceBitmapFormat.valueOf(name);
                    if (!Lz4ImageEncoder.isLz4Format(lzTo)) {
                        throw new IllegalArgumentException(name);
                    }
                } else {
                    quicTo = QuicImageType.valueOf(name);
                }
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "unknown " + (codec.isLz() ? "LZ"
                        : codec.isLz4() ? "LZ4" : "QUIC") + " pixel type '" + toType + "'");
            }
        }
        byte[] data = Files.readAllBytes(in);
        if (codec.isLz()) {
            return decodeLz(data, lzTo);
        }
        if (codec.isLz4()) {
            return decodeLz4(data, lzTo);
        }
        ImageDecoder decoder = new QuicDecoder();
        SpiceBitmap dst;
        try {
            ImageInfo info = decoder.readInfo(data, 0, data.length);
            SpiceBitmapFormat target = quicTo != null ? quicTo.bitmapFormat() : info.format();
            if (!decoder.canDecode(info.format(), target)) {
                throw new ParameterException(spec.commandLine(), "cannot decode a QUIC image of type "
                        + name(info.format()) + " to " + name(target));
            }
            if (verbose) {
                spec.commandLine().getOut().printf("%s: QUIC %s %dx%d -> %s%n", in, name(info.format()), info.width(),
                        info.height(), name(target));
            }
            dst = SpiceBitmap.allocate(target, info.width(), info.height());
            decoder.decode(data, 0, data.length, dst);
        } catch (MalformedInputException e) {
            throw new CliException(in + ": malformed QUIC stream at offset " + e.offset() + ": " + e.reason());
        }
        write(dst, out);
        return SpicecodecCli.EXIT_OK;
    }

    /** Option combinations that make no sense for the codec are usage errors, found before any file is read. */
    private void checkOptions() {
        if (!codec.isGlz() && files.size() != 2) {
            throw usage("--codec " + codec.name() + " takes one input and one output (IN OUT); several inputs"
                    + " are for --codec glz or zlib-glz");
        }
        if (codec.isLz4() && (width == null || height == null)) {
            throw usage("an LZ4 image does not hold its size: give --width and --height (the image descriptor's)");
        }
        if (!codec.isLz4() && (width != null || height != null)) {
            throw usage("--width and --height apply to --codec lz4 only (other streams hold their size)");
        }
        if (width != null && (width < 1 || height < 1)) {
            throw usage("--width and --height must be positive, got " + width + "x" + height);
        }
        if (!codec.isGlz() && (window != null || png)) {
            throw usage("--window and --png apply to --codec glz and zlib-glz only");
        }
        if (window != null && window < 1) {
            throw usage("--window must be positive, got " + window);
        }
        if (palette != null && !codec.isLz() && !codec.isGlz()) {
            throw usage("--palette applies to --codec lz, glz and zlib-glz only");
        }
        if (codec.isVmcLz4() && toType != null) {
            throw usage("--to-type does not apply to --codec vmc-lz4, which gives back bytes");
        }
        if (codec.isOpus() && toType != null) {
            throw usage("--to-type does not apply to --codec opus, which gives back a 16-bit WAV");
        }
    }

    /** A JPEG or JPEG_ALPHA body; JPEG_ALPHA rows come out top-down whatever its flag said. */
    private Integer decodeJpeg() throws Exception {
        SpiceBitmapFormat target = SpiceBitmapFormat.RGB32;
        if (toType != null) {
            String name = toType.toUpperCase(Locale.ROOT);
            target = switch (name) {
                case "RGB32" -> SpiceBitmapFormat.RGB32;
                case "RGB24" -> SpiceBitmapFormat.RGB24;
                case "RGBA" -> SpiceBitmapFormat.RGBA;
                default -> throw usage("--codec " + codec.name() + " decodes to RGB32 or RGB24 (jpeg) or RGBA"
                        + " (jpeg-alpha), not '" + toType + "'");
            };
            if (codec.isJpegAlpha() != (target == SpiceBitmapFormat.RGBA)) {
                throw usage("--codec " + codec.name() + " cannot decode to " + name);
            }
        }
        byte[] data = Files.readAllBytes(in);
        SpiceBitmap dst;
        try {
            ImageDecoder decoder = codec.isJpegAlpha() ? new JpegAlphaDecoder() : new JpegDecoder();
            ImageInfo info = decoder.readInfo(data, 0, data.length);
            if (codec.isJpegAlpha()) {
                target = SpiceBitmapFormat.RGBA;
            }
            if (verbose) {
                spec.commandLine().getOut().printf("%s: %s %dx%d -> %s%n", in, codec.isJpegAlpha() ? "JPEG_ALPHA"
                        : "JPEG", info.width(), info.height(), target);
            }
            dst = SpiceBitmap.allocate(target, info.width(), info.height());
            decoder.decode(data, 0, data.length, dst);
        } catch (MalformedInputException e) {
            throw new CliException(in + ": malformed " + (codec.isJpegAlpha() ? "JPEG_ALPHA image" : "JPEG")
                    + " at offset " + e.offset() + ": " + e.reason());
        }
        write(dst, out);
        return SpicecodecCli.EXIT_OK;
    }

    /** Ogg Opus to a 48 kHz WAV; Opus always decodes at 48 kHz here, whatever rate the header names. */
    private Integer decodeOpus() throws Exception {
        byte[] file = Files.readAllBytes(in);
        OggOpusReader.OggOpusFile head;
        short[] pcm;
        try {
            head = OggOpusReader.read(file);
            pcm = OggOpus.decode(file);
        } catch (MalformedInputException e) {
            throw new CliException(in + ": not a valid Ogg Opus file (offset " + e.offset() + "): " + e.reason());
        }
        Files.write(out, new WavFile(48000, head.channels(), pcm).toBytes());
        if (verbose) {
            spec.commandLine().getOut().printf("%s: Ogg Opus, %d channel(s), pre-skip %d, %.2f s -> %d bytes of"
                    + " PCM%n", in, head.channels(), head.preSkip(), pcm.length / (double) head.channels() / 48000,
                    2L * pcm.length);
        }
        return SpicecodecCli.EXIT_OK;
    }

    private Integer decodeVmc() throws Exception {
        byte[] body = Files.readAllBytes(in);
        byte[] payload;
        try {
            payload = new VmcLz4().decompress(body);
        } catch (MalformedInputException e) {
            throw new CliException(in + ": malformed COMPRESSED_DATA body at offset " + e.offset() + ": "
                    + e.reason());
        }
        Files.write(out, payload);
        if (verbose) {
            spec.commandLine().getOut().printf("%s: COMPRESSED_DATA body of %d bytes -> %d bytes%n", in, body.length,
                    payload.length);
        }
        return SpicecodecCli.EXIT_OK;
    }

    private Integer decodeLz4(byte[] data, SpiceBitmapFormat to) throws Exception {
        Lz4ImageDecoder decoder = new Lz4ImageDecoder();
        SpiceBitmap dst;
        try {
            ImageInfo info = decoder.readInfo(data, 0, data.length, width, height);
            if (to != null && to != info.format()) {
                throw usage("an LZ4 image decodes only to its own type, here " + info.format() + ", not " + to);
            }
            if (verbose) {
                spec.commandLine().getOut().printf("%s: LZ4 %s %dx%d %s%n", in, info.format(), width, height,
                        info.topDown() ? "top-down" : "bottom-up");
            }
            // In the stream's row order; written out top-down below.
            dst = decoder.decode(data, 0, data.length, width, height);
        } catch (MalformedInputException e) {
            throw new CliException(in + ": malformed LZ4 image at offset " + e.offset() + ": " + e.reason());
        }
        write(dst, out);
        return SpicecodecCli.EXIT_OK;
    }

    /**
     * Decodes the inputs in order through one window, as spice-gtk does for a session: each
     * image may refer to the ones before it, so they must come in the order they were encoded.
     */
    private Integer decodeGlzSequence(List<Path> inputs, Path outDir) throws Exception {
        SpiceBitmapFormat glzTo = null;
        if (toType != null) {
            String name = toType.toUpperCase(Locale.ROOT);
            if (!name.equals("RGB32") && !name.equals("RGBA")) {
                throw usage("GLZ decodes to RGB32 (or RGBA for RGBA images) only, not to " + toType);
            }
            glzTo = SpiceBitmapFormat.valueOf(name);
        }
        if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
            throw new CliException(outDir + " is not a directory: --codec " + codec.name()
                    + " writes one file per image into an output directory");
        }
        SpicePalette pal = palette != null ? readPalette(palette) : null;
        long windowPixels = window != null ? window : GlzDecoderWindow.DEFAULT_WINDOW_PIXELS;
        // No waiting: every image the sequence refers to comes before it on the command line.
        GlzDecoder decoder = new GlzDecoder(new GlzDecoderWindow(windowPixels, 0));
        Files.createDirectories(outDir);
        int digits = Math.max(2, String.valueOf(inputs.size() - 1).length());
        for (int i = 0; i < inputs.size(); i++) {
            in = inputs.get(i);
            byte[] data = Files.readAllBytes(in);
            GlzDecodedImage img;
            try {
                // A zlib-GLZ body starts with glz_data_size (LE), which would have to exceed 2^30 to
                // equal the GLZ magic; so the first four bytes tell the two kinds apart.
                if (data.length >= 4 && be32(data, 0) == GLZ_MAGIC || !codec.isZlibGlz()) {
                    GlzDecoder.Header h = decoder.readHeader(data, 0, data.length);
                    checkGlzTarget(h.format(), glzTo);
                    if (h.format().isPalette() && pal == null) {
                        throw usage(in + ": a GLZ " + h.format() + " image needs --palette to be decoded");
                    }
                    img = decoder.decode(data, 0, data.length, pal);
                } else {
                    if (data.length < 8) {
                        throw new CliException(in + ": malformed zlib-GLZ body: " + data.length
                                + " bytes, shorter than its 8-byte header");
                    }
                    long glzSize = le32(data, 0) & 0xFFFFFFFFL;
                    long dataSize = le32(data, 4) & 0xFFFFFFFFL;
                    if (dataSize != data.length - 8) {
                        throw new CliException(in + ": malformed zlib-GLZ body at offset 4: data_size " + dataSize
                                + " but " + (data.length - 8) + " bytes follow the header");
                    }
                    int size = (int) Math.min(glzSize, Integer.MAX_VALUE);
                    img = decoder.decodeZlib(data, 8, data.length - 8, size);
                    checkGlzTarget(img.format(), glzTo);
                }
            } catch (MalformedInputException e) {
                String hint = "";
                if (!codec.isZlibGlz() && e.offset() == 0 && data.length >= 4 && be32(data, 0) != GLZ_MAGIC) {
                    hint = " (for a zlib-GLZ body use --codec zlib-glz)";
                } else if (e.reason().contains("did not arrive")) {
                    hint = " (give the sequence's images in order, from its first one)";
                }
                throw new CliException(in + ": malformed " + (codec.isZlibGlz() ? "zlib-GLZ" : "GLZ") + " stream at"
                        + " offset " + e.offset() + ": " + e.reason() + hint);
            }
            SpiceBitmapFormat target = img.format() == SpiceBitmapFormat.RGBA ? SpiceBitmapFormat.RGBA
                    : SpiceBitmapFormat.RGB32;
            SpiceBitmap dst = toPicture(img, target);
            Path o = outDir.resolve(String.format("%0" + digits + "d", i) + (png ? ".png" : ".raw"));
            write(dst, o);
            if (verbose) {
                spec.commandLine().getOut().printf("%s: GLZ %s %dx%d %s, image id %d, win_head_dist %d -> %s %s%n", in,
                        img.format(), img.width(), img.height(), img.topDown() ? "top-down" : "bottom-up", img.id(),
                        img.winHeadDist(), target, o);
            }
        }
        return SpicecodecCli.EXIT_OK;
    }

    private void checkGlzTarget(SpiceBitmapFormat encoded, SpiceBitmapFormat to) {
        SpiceBitmapFormat own = encoded == SpiceBitmapFormat.RGBA ? SpiceBitmapFormat.RGBA : SpiceBitmapFormat.RGB32;
        if (to != null && to != own) {
            throw usage(in + ": a GLZ " + encoded + " image decodes to " + own + " only, not to " + to);
        }
    }

    /** The decoded image top-down, without the padding pixels palette rows carry. */
    private static SpiceBitmap toPicture(GlzDecodedImage img, SpiceBitmapFormat target) {
        int w = img.width();
        int h = img.height();
        byte[] b = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 4)];
        int o = 0;
        for (int y = 0; y < h; y++) {
            int s = (img.topDown() ? y : h - 1 - y) * img.rowPixels();
            for (int x = 0; x < w; x++, o += 4) {
                int v = img.pixel(s + x);
                b[o] = (byte) v;
                b[o + 1] = (byte) (v >>> 8);
                b[o + 2] = (byte) (v >>> 16);
                b[o + 3] = (byte) (v >>> 24);
            }
        }
        return SpiceBitmap.of(target, w, h, b);
    }

    private static int be32(byte[] b, int o) {
        return (b[o] & 0xFF) << 24 | (b[o + 1] & 0xFF) << 16 | (b[o + 2] & 0xFF) << 8 | (b[o + 3] & 0xFF);
    }

    private static int le32(byte[] b, int o) {
        return (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8 | (b[o + 2] & 0xFF) << 16 | (b[o + 3] & 0xFF) << 24;
    }

    private static void write(SpiceBitmap bm, Path file) throws java.io.IOException {
        if (Images.isPng(file)) {
            Images.writePng(bm, file);
        } else {
            Files.write(file, Images.toTightTopDown(bm));
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private Integer decodeLz(byte[] data, SpiceBitmapFormat lzTo) throws Exception {
        LzDecoder decoder = new LzDecoder();
        SpiceBitmap dst;
        try {
            LzImageType t = decoder.readType(data, 0, data.length);
            ImageInfo info = decoder.readInfo(data, 0, data.length);
            SpiceBitmapFormat target = lzTo != null ? lzTo : t.bitmapFormat();
            if (!t.decodesTo(target)) {
                throw new ParameterException(spec.commandLine(), "cannot decode an LZ image of type " + t + " to "
                        + (toType != null ? toType.toUpperCase(Locale.ROOT) : target.name()));
            }
            SpicePalette pal = palette != null ? readPalette(palette) : null;
            if (pal == null && t.isPalette() && (target == SpiceBitmapFormat.RGB32 || Images.isPng(out))) {
                throw new ParameterException(spec.commandLine(), "an LZ " + t + " image needs --palette to be"
                        + " decoded to RGB32 or PNG");
            }
            if (verbose) {
                spec.commandLine().getOut().printf("%s: LZ %s %dx%d %s -> %s%n", in, t, info.width(), info.height(),
                        info.topDown() ? "top-down" : "bottom-up", target);
            }
            // Top-down, tightest stride: bottom-up streams come out flipped into picture order.
            dst = SpiceBitmap.allocate(target, info.width(), info.height()).withPalette(pal);
            decoder.decode(data, 0, data.length, dst);
        } catch (MalformedInputException e) {
            throw new CliException(in + ": malformed LZ stream at offset " + e.offset() + ": " + e.reason());
        }
        write(dst, out);
        return SpicecodecCli.EXIT_OK;
    }

    private static SpicePalette readPalette(Path file) throws java.io.IOException {
        byte[] b = Files.readAllBytes(file);
        if (b.length == 0 || b.length % 4 != 0 || b.length > 256 * 4) {
            throw new CliException(file + ": a palette is 1 to 256 uint32 entries, not " + b.length + " bytes");
        }
        int[] ents = new int[b.length / 4];
        for (int i = 0; i < ents.length; i++) {
            ents[i] = (b[4 * i] & 0xFF) | (b[4 * i + 1] & 0xFF) << 8 | (b[4 * i + 2] & 0xFF) << 16
                    | (b[4 * i + 3] & 0xFF) << 24;
        }
        return new SpicePalette(0, ents);
    }

    private static String name(SpiceBitmapFormat f) {
        QuicImageType t = QuicImageType.forFormat(f);
        return t != null ? t.name() : f.name();
    }
}
