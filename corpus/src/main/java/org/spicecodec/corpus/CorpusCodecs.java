package org.spicecodec.corpus;

import java.util.List;

/** The codecs a corpus run compares by default. */
public final class CorpusCodecs {
    private CorpusCodecs() {
    }

    /**
     * Fresh instances of every codec the library has (QUIC, LZ, GLZ, zlib-GLZ, LZ4, and the lossy
     * JPEG at spice-server's quality 85), followed by the PNG yardstick. New codecs go here, in the
     * order they should appear in reports.
     */
    public static List<CorpusCodec> defaults() {
        return List.of(ImageCodecAdapter.quic(), ImageCodecAdapter.lz(), GlzCodec.glz(), GlzCodec.zlibGlz(),
                ImageCodecAdapter.lz4(), new JpegCodec(), new PngCodec());
    }
}
