package org.spicecodec.corpus;

import org.spicecodec.core.ImageDecoder;
import org.spicecodec.core.ImageEncoder;
import org.spicecodec.core.ImageLimits;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.lz.LzDecoder;
import org.spicecodec.lz.LzEncoder;
import org.spicecodec.lz4.Lz4Codec;
import org.spicecodec.lz4.Lz4ImageDecoder;
import org.spicecodec.lz4.Lz4ImageEncoder;
import org.spicecodec.quic.QuicDecoder;
import org.spicecodec.quic.QuicEncoder;

/**
 * One of the library's per-image codecs as the corpus sees it: an {@link ImageEncoder} and the
 * matching {@link ImageDecoder}. A format is supported when the encoder takes it and the decoder
 * gives it back in the same format, since the runner compares against the source.
 */
public final class ImageCodecAdapter implements CorpusCodec {
    private final String name;
    private final boolean lossless;
    private final ImageEncoder encoder;
    private final ImageDecoder decoder;

    public ImageCodecAdapter(String name, boolean lossless, ImageEncoder encoder, ImageDecoder decoder) {
        this.name = name;
        this.lossless = lossless;
        this.encoder = encoder;
        this.decoder = decoder;
    }

    /** The library's QUIC codec (lossless). */
    public static ImageCodecAdapter quic() {
        return new ImageCodecAdapter("QUIC", true, new QuicEncoder(), new QuicDecoder());
    }

    /** The library's LZ codec (lossless): RGB32 as LZ_RGB32, RGBA as LZ_RGBA. */
    public static ImageCodecAdapter lz() {
        return new ImageCodecAdapter("LZ", true, new LzEncoder(), new LzDecoder());
    }

    /**
     * The library's LZ4 image payload (lossless), on {@link Lz4Codec#getDefault()}: the JNI
     * library when it loads, else the pure-Java port (the {@code spicecodec.lz4.impl} property
     * chooses). The size counted is the payload: the two header bytes and the length-prefixed blocks.
     */
    public static ImageCodecAdapter lz4() {
        return lz4(Lz4Codec.getDefault());
    }

    /** The LZ4 image payload on the given LZ4 implementation. */
    public static ImageCodecAdapter lz4(Lz4Codec codec) {
        return new ImageCodecAdapter("LZ4", true, new Lz4ImageEncoder(codec),
                new Lz4ImageDecoder(ImageLimits.DEFAULT, codec));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isLossless() {
        return lossless;
    }

    @Override
    public boolean supports(SpiceBitmapFormat format) {
        return encoder.supports(format) && decoder.canDecode(format, format);
    }

    @Override
    public long maxEncodedLength(SpiceBitmapFormat format, int width, int height) {
        return encoder.maxEncodedLength(format, width, height);
    }

    @Override
    public int encode(SpiceBitmap src, byte[] out) {
        return encoder.encode(src, out, 0, out.length);
    }

    @Override
    public void decode(byte[] in, int length, SpiceBitmap dst) {
        decoder.decode(in, 0, length, dst);
    }
}
