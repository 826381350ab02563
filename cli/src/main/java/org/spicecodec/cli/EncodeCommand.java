package org.spicecodec.cli;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.spicecodec.core.ImageEncoder;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.lz.LzEncoder;
import org.spicecodec.lz.LzImageType;
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
            "Compresses a raw pixel file or a PNG.",
            "A raw file holds HEIGHT rows of STRIDE bytes, little-endian pixels: GRAY 1 byte, RGB16 x1r5g5b5,"
                + " RGB24 B,G,R, RGB32 B,G,R,X, RGBA B,G,R,A; for LZ also A8 1 byte, XXXA B,G,R,A (alpha coded),"
                + " PLT8 1 byte, PLT4_LE/PLT4_BE 2 pixels and PLT1_LE/PLT1_BE 8 pixels per byte."
                + " It must be exactly STRIDE * HEIGHT bytes.",
            "A PNG (IN ending in .png) is converted to TYPE, by default RGBA if it has alpha, GRAY if it is"
                + " gray (RGB32 for LZ), RGB32 otherwise."
        })
final class EncodeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CodecOption codec;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE",
            description = "Pixel type: GRAY, RGB16, RGB24, RGB32, RGBA (QUIC); PLT1_LE, PLT1_BE, PLT4_LE, PLT4_BE,"
                    + " PLT8, RGB16, RGB24, RGB32, RGBA, XXXA, A8 (LZ). Required for raw input.")
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

    @Option(names = {"-v", "--verbose"}, description = "Print the sizes and the compression ratio.")
    boolean verbose;

    @Parameters(index = "0", paramLabel = "IN", description = "Raw pixel file, or a .png.")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "Encoded output file.")
    Path out;

    /** --type resolved for the codec: the bitmap format, and the LZ type when coding LZ. */
    private SpiceBitmapFormat format;
    private LzImageType lzType;

    @Override
    public Integer call() throws Exception {
        codec.requireSupported();
        if (type != null) {
            parseType();
        }
        SpiceBitmap src = Images.isPng(in) ? fromPicture() : fromRaw();
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
            ImageEncoder encoder = new QuicEncoder();
            bound = encoder.maxEncodedLength(src.format(), src.width(), src.height());
            capacity = (int) Math.min(bound, Integer.MAX_VALUE - 16);
            buf = new byte[capacity];
            n = encoder.encode(src, buf, 0, capacity);
        }
        if (n == ImageEncoder.DOES_NOT_FIT) {
            throw new CliException("the encoded image does not fit in " + capacity + " bytes");
        }
        Files.write(out, java.util.Arrays.copyOf(buf, n));
        if (verbose) {
            long raw = src.format().minStride(src.width()) * src.height();
            spec.commandLine().getOut().printf("%s: %dx%d %s, %d bytes -> %d bytes (%.2f:1)%n", out, src.width(),
                    src.height(), typeName(src.format()), raw, n, (double) raw / n);
        }
        return SpicecodecCli.EXIT_OK;
    }

    private SpiceBitmap fromRaw() throws Exception {
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

    private SpiceBitmap fromPicture() throws Exception {
        if (stride != null || bottomUp) {
            throw usage("--stride and --bottom-up apply to raw input only, not to " + in);
        }
        BufferedImage img = Images.readPicture(in);
        if (width != null && width != img.getWidth() || height != null && height != img.getHeight()) {
            throw usage(in + " is " + img.getWidth() + "x" + img.getHeight() + ", not "
                    + (width != null ? width : img.getWidth()) + "x" + (height != null ? height : img.getHeight()));
        }
        SpiceBitmapFormat format = type != null ? this.format : Images.naturalFormat(img);
        if (codec.isLz() && format == SpiceBitmapFormat.GRAY8) {
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
        try {
            if (codec.isLz()) {
                lzType = LzImageType.valueOf(name);
                format = lzType.bitmapFormat();
            } else {
                format = QuicImageType.valueOf(name).bitmapFormat();
            }
        } catch (IllegalArgumentException e) {
            throw usage("unknown " + (codec.isLz() ? "LZ" : "QUIC") + " pixel type '" + type + "'");
        }
    }

    private String typeName(SpiceBitmapFormat f) {
        if (codec.isLz()) {
            return lzType != null ? lzType.name() : LzImageType.forFormat(f).name();
        }
        return QuicImageType.forFormat(f).name();
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
