package org.spicecodec.cli;

import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --codec} for the commands that run a codec. */
final class CodecOption {
    static final String QUIC = "quic";
    static final String LZ = "lz";
    static final String GLZ = "glz";
    static final String ZLIB_GLZ = "zlib-glz";
    static final String LZ4 = "lz4";
    static final String VMC_LZ4 = "vmc-lz4";
    static final String OPUS = "opus";
    static final String JPEG = "jpeg";
    static final String JPEG_ALPHA = "jpeg-alpha";
    static final List<String> ALL = List.of(QUIC, LZ, GLZ, ZLIB_GLZ, LZ4, VMC_LZ4, OPUS, JPEG, JPEG_ALPHA);

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--codec", paramLabel = "CODEC", defaultValue = QUIC,
            description = "Codec: quic, lz, glz, zlib-glz (GLZ sequences), lz4 (LZ4 image), vmc-lz4 (spicevmc bulk"
                    + " data), opus (audio: WAV <-> Ogg Opus), jpeg (lossy, SPICE's JPEG image), jpeg-alpha (JPEG plus LZ"
                    + " alpha: SPICE's JPEG_ALPHA image). Default: ${DEFAULT-VALUE}.")
    String codec;

    /** Rejects codecs this build cannot run, as a usage error. */
    void requireSupported() {
        if (!ALL.contains(name())) {
            throw new ParameterException(mixee.commandLine(), "codec '" + codec + "' is unknown (supported: "
                    + String.join(", ", ALL) + ")");
        }
    }

    /** The codec's name in lower case. */
    String name() {
        return codec.toLowerCase(Locale.ROOT);
    }

    boolean isLz() {
        return name().equals(LZ);
    }

    /** GLZ, plain or zlib-wrapped: the codecs that take a sequence of images. */
    boolean isGlz() {
        return name().equals(GLZ) || name().equals(ZLIB_GLZ);
    }

    boolean isZlibGlz() {
        return name().equals(ZLIB_GLZ);
    }

    boolean isLz4() {
        return name().equals(LZ4);
    }

    boolean isVmcLz4() {
        return name().equals(VMC_LZ4);
    }

    boolean isJpeg() {
        return name().equals(JPEG);
    }

    boolean isJpegAlpha() {
        return name().equals(JPEG_ALPHA);
    }

    boolean isOpus() {
        return name().equals(OPUS);
    }
}
