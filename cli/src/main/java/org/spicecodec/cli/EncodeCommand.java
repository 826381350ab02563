package org.spicecodec.cli;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.spicecodec.core.ImageEncoder;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
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
                + " RGB24 B,G,R, RGB32 B,G,R,X, RGBA B,G,R,A. It must be exactly STRIDE * HEIGHT bytes.",
            "A PNG (IN ending in .png) is converted to TYPE, by default RGBA if it has alpha, GRAY if it is"
                + " gray, RGB32 otherwise."
        })
final class EncodeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CodecOption codec;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE",
            description = "Pixel type: ${COMPLETION-CANDIDATES}. Required for raw input.")
    QuicImageType type;

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

    @Override
    public Integer call() throws Exception {
        codec.requireSupported();
        SpiceBitmap src = Images.isPng(in) ? fromPicture() : fromRaw();
        ImageEncoder encoder = new QuicEncoder();
        long bound = encoder.maxEncodedLength(src.format(), src.width(), src.height());
        int capacity = (int) Math.min(bound, Integer.MAX_VALUE - 16);
        byte[] buf = new byte[capacity];
        int n = encoder.encode(src, buf, 0, capacity);
        if (n == ImageEncoder.DOES_NOT_FIT) {
            throw new CliException("the encoded image does not fit in " + capacity + " bytes");
        }
        Files.write(out, java.util.Arrays.copyOf(buf, n));
        if (verbose) {
            long raw = src.format().minStride(src.width()) * src.height();
            spec.commandLine().getOut().printf("%s: %dx%d %s, %d bytes -> %d bytes (%.2f:1)%n", out, src.width(),
                    src.height(), QuicImageType.forFormat(src.format()), raw, n, (double) raw / n);
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
        SpiceBitmapFormat format = type.bitmapFormat();
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
        SpiceBitmapFormat format = type != null ? type.bitmapFormat() : Images.naturalFormat(img);
        return Images.toBitmap(img, format);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
