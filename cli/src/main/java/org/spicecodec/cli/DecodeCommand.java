package org.spicecodec.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.spicecodec.core.ImageDecoder;
import org.spicecodec.core.ImageInfo;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
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
            "QUIC conversions: RGB24 <-> RGB32, RGB16 -> RGB32; GRAY and RGBA decode only to themselves."
        })
final class DecodeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CodecOption codec;

    @Option(names = {"-t", "--to-type"}, paramLabel = "TYPE",
            description = "Output pixel type: ${COMPLETION-CANDIDATES}. Default: the stream's own type.")
    QuicImageType toType;

    @Option(names = {"-v", "--verbose"}, description = "Print what the header says.")
    boolean verbose;

    @Parameters(index = "0", paramLabel = "IN", description = "Encoded input file.")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "Raw output file, or a .png.")
    Path out;

    @Override
    public Integer call() throws Exception {
        codec.requireSupported();
        byte[] data = Files.readAllBytes(in);
        ImageDecoder decoder = new QuicDecoder();
        SpiceBitmap dst;
        try {
            ImageInfo info = decoder.readInfo(data, 0, data.length);
            SpiceBitmapFormat target = toType != null ? toType.bitmapFormat() : info.format();
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

    private static String name(SpiceBitmapFormat f) {
        QuicImageType t = QuicImageType.forFormat(f);
        return t != null ? t.name() : f.name();
    }
}
