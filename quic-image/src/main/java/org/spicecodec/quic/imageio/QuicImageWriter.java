package org.spicecodec.quic.imageio;

import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.io.IOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageOutputStream;

import org.spicecodec.core.BufferedImages;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.quic.QuicEncoder;

/**
 * Writes an image as a QUIC stream through ImageIO: RGBA when the image has alpha, RGB32
 * otherwise (the types spice-server sends).
 */
public final class QuicImageWriter extends ImageWriter {
    QuicImageWriter(QuicImageWriterSpi spi) {
        super(spi);
    }

    @Override
    public IIOMetadata getDefaultStreamMetadata(ImageWriteParam param) {
        return null;
    }

    @Override
    public IIOMetadata getDefaultImageMetadata(ImageTypeSpecifier imageType, ImageWriteParam param) {
        return null;
    }

    @Override
    public IIOMetadata convertStreamMetadata(IIOMetadata inData, ImageWriteParam param) {
        return null;
    }

    @Override
    public IIOMetadata convertImageMetadata(IIOMetadata inData, ImageTypeSpecifier imageType, ImageWriteParam param) {
        return null;
    }

    @Override
    public void write(IIOMetadata streamMetadata, IIOImage image, ImageWriteParam param) throws IOException {
        if (!(getOutput() instanceof ImageOutputStream out)) {
            throw new IllegalStateException("no output set");
        }
        RenderedImage rendered = image.getRenderedImage();
        if (!(rendered instanceof BufferedImage buffered)) {
            throw new IllegalArgumentException("only BufferedImage is supported");
        }
        SpiceBitmapFormat format = buffered.getColorModel().hasAlpha() ? SpiceBitmapFormat.RGBA : SpiceBitmapFormat.RGB32;
        SpiceBitmap bitmap = BufferedImages.toBitmap(buffered, format);
        QuicEncoder encoder = new QuicEncoder();
        long max = encoder.maxEncodedLength(format, bitmap.width(), bitmap.height());
        if (max > Integer.MAX_VALUE - 16) {
            throw new IOException(bitmap.width() + "x" + bitmap.height() + " is too large to encode in one array");
        }
        byte[] encoded = new byte[(int) max];
        int n = encoder.encode(bitmap, encoded, 0, encoded.length);
        out.write(encoded, 0, n);
        out.flush();
    }
}
