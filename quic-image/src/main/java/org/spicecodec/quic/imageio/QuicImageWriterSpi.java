package org.spicecodec.quic.imageio;

import java.util.Locale;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.spi.ImageWriterSpi;
import javax.imageio.stream.ImageOutputStream;

/** Registers {@link QuicImageWriter} with ImageIO. */
public final class QuicImageWriterSpi extends ImageWriterSpi {
    public QuicImageWriterSpi() {
        super("spicecodec", "0.1", QuicImageReaderSpi.NAMES, QuicImageReaderSpi.SUFFIXES,
                QuicImageReaderSpi.MIME_TYPES, QuicImageWriter.class.getName(),
                new Class<?>[] {ImageOutputStream.class}, new String[] {QuicImageReaderSpi.class.getName()},
                false, null, null, null, null, false, null, null, null, null);
    }

    @Override
    public boolean canEncodeImage(ImageTypeSpecifier type) {
        return true;
    }

    @Override
    public ImageWriter createWriterInstance(Object extension) {
        return new QuicImageWriter(this);
    }

    @Override
    public String getDescription(Locale locale) {
        return "SPICE QUIC lossless image";
    }
}
