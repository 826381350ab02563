package org.spicecodec.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.spicecodec.core.ImageDecoder;
import org.spicecodec.core.ImageInfo;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpicePalette;
import org.spicecodec.lz.LzDecoder;
import org.spicecodec.lz.LzImageType;
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
            "Decompresses an encoded image.",
            "Writes the pixels top-down with the tightest stride (width * bytes per pixel), or a PNG when OUT"
                + " ends in .png.",
            "QUIC conversions: RGB24 <-> RGB32, RGB16 -> RGB32; GRAY and RGBA decode only to themselves.",
            "LZ conversions: RGB16, RGB24, A8 and the palette types -> RGB32 (palette types need --palette);"
                + " XXXA gives RGBA pixels with B, G, R zero."
        })
final class DecodeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CodecOption codec;

    @Option(names = {"-t", "--to-type"}, paramLabel = "TYPE",
            description = "Output pixel type, for example RGB32. Default: the stream's own type.")
    String toType;

    @Option(names = "--palette", paramLabel = "FILE",
            description = "LZ palette images: the palette, uint32 little-endian 0x00RRGGBB entries (a .pal file of"
                    + " the vector sets). Needed to decode to RGB32 or to a PNG.")
    Path palette;

    @Option(names = {"-v", "--verbose"}, description = "Print what the header says.")
    boolean verbose;

    @Parameters(index = "0", paramLabel = "IN", description = "Encoded input file.")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "Raw output file, or a .png.")
    Path out;

    @Override
    public Integer call() throws Exception {
        codec.requireSupported();
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
                } else {
                    quicTo = QuicImageType.valueOf(name);
                }
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "unknown " + (codec.isLz() ? "LZ" : "QUIC")
                        + " pixel type '" + toType + "'");
            }
        }
        byte[] data = Files.readAllBytes(in);
        if (codec.isLz()) {
            return decodeLz(data, lzTo);
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
        if (Images.isPng(out)) {
            Images.writePng(dst, out);
        } else {
            Files.write(out, Images.toTightTopDown(dst));
        }
        return SpicecodecCli.EXIT_OK;
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
        if (Images.isPng(out)) {
            Images.writePng(dst, out);
        } else {
            Files.write(out, Images.toTightTopDown(dst));
        }
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
