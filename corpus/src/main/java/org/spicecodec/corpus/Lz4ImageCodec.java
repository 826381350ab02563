package org.spicecodec.corpus;

import org.spicecodec.core.ImageLimits;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.lz4.Lz4Codec;
import org.spicecodec.lz4.Lz4ImageDecoder;
import org.spicecodec.lz4.Lz4ImageEncoder;

/**
 * The library's LZ4 image payload (lossless), on {@link Lz4Codec#getDefault()}: the JNI
 * library when it loads, else the pure-Java port (the {@code spicecodec.lz4.impl} property
 * chooses). The size counted is the payload: the two header bytes and the length-prefixed blocks.
 */
public final class Lz4ImageCodec implements CorpusCodec {
    private final Lz4ImageEncoder encoder;
    private final Lz4ImageDecoder decoder;

    public Lz4ImageCodec() {
        this(Lz4Codec.getDefault());
    }

    public Lz4ImageCodec(Lz4Codec codec) {
        encoder = new Lz4ImageEncoder(codec);
        decoder = new Lz4ImageDecoder(ImageLimits.DEFAULT, codec);
    }

    @Override
    public String name() {
        return "LZ4";
    }

    @Override
    public boolean isLossless() {
        return true;
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
