package org.spicecodec.corpus;

import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.quic.QuicDecoder;
import org.spicecodec.quic.QuicEncoder;

/** The library's QUIC codec (lossless). */
public final class QuicCodec implements CorpusCodec {
    private final QuicEncoder encoder = new QuicEncoder();
    private final QuicDecoder decoder = new QuicDecoder();

    @Override
    public String name() {
        return "QUIC";
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
