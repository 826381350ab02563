package org.spicecodec.quic.imageio;

import java.io.IOException;
import java.util.Locale;
import javax.imageio.ImageReader;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;

/** Registers {@link QuicImageReader} with ImageIO: QUIC streams are recognised by their magic. */
public final class QuicImageReaderSpi extends ImageReaderSpi {
    static final String[] NAMES = {"quic", "QUIC"};
    static final String[] SUFFIXES = {"quic"};
    static final String[] MIME_TYPES = {"image/x-spice-quic"};

    public QuicImageReaderSpi() {
        super("spicecodec", "0.1", NAMES, SUFFIXES, MIME_TYPES, QuicImageReader.class.getName(),
                new Class<?>[] {ImageInputStream.class}, new String[] {QuicImageWriterSpi.class.getName()},
                false, null, null, null, null, false, null, null, null, null);
    }

    @Override
    public boolean canDecodeInput(Object source) throws IOException {
        if (!(source instanceof ImageInputStream in)) {
            return false;
        }
        byte[] magic = new byte[4];
        in.mark();
        try {
            in.readFully(magic);
        } catch (java.io.EOFException e) {
            return false;
        } finally {
            in.reset();
        }
        return magic[0] == 'Q' && magic[1] == 'U' && magic[2] == 'I' && magic[3] == 'C';
    }

    @Override
    public ImageReader createReaderInstance(Object extension) {
        return new QuicImageReader(this);
    }

    @Override
    public String getDescription(Locale locale) {
        return "SPICE QUIC lossless image";
    }
}
