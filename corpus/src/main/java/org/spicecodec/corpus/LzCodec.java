package org.spicecodec.corpus;

import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.lz.LzDecoder;
import org.spicecodec.lz.LzEncoder;

/** The library's LZ codec (lossless): RGB32 as LZ_RGB32, RGBA as LZ_RGBA. */
public final class LzCodec implements CorpusCodec {
    private final LzEncoder encoder = new LzEncoder();
    private final LzDecoder decoder = new LzDecoder();

    @Override
    public String name() {
        return "LZ";
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
