package org.spicecodec.cli;

import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --codec} for the commands that run a codec; QUIC and LZ are implemented so far. */
final class CodecOption {
    static final String QUIC = "quic";
    static final String LZ = "lz";

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--codec", paramLabel = "CODEC", defaultValue = QUIC,
            description = "Codec: quic or lz (glz is not implemented yet). Default: ${DEFAULT-VALUE}.")
    String codec;

    /** Rejects codecs this build cannot run, as a usage error. */
    void requireSupported() {
        String c = codec.toLowerCase(Locale.ROOT);
        if (c.equals(QUIC) || c.equals(LZ)) {
            return;
        }
        String why = c.equals("glz") ? "is not implemented yet" : "is unknown";
        throw new ParameterException(mixee.commandLine(), "codec '" + codec + "' " + why + " (supported: quic, lz)");
    }

    /** Whether the (supported) codec is LZ. */
    boolean isLz() {
        return codec.toLowerCase(Locale.ROOT).equals(LZ);
    }
}
