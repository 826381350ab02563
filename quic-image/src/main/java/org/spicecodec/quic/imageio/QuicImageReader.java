package org.spicecodec.quic.imageio;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOException;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;

import org.spicecodec.core.BufferedImages;
import org.spicecodec.core.ImageInfo;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.quic.QuicDecoder;

/**
 * Reads a QUIC stream through ImageIO. The whole stream is read into memory (QUIC has no
 * length field; the stream is what the input holds), then decoded; a malformed stream is
 * reported as an {@link IIOException} whose cause is the {@link MalformedInputException}.
 * Parameters (source regions, subsampling) are not supported.
 */
public final class QuicImageReader extends ImageReader {
    private byte[] data;
    private ImageInfo info;

    QuicImageReader(QuicImageReaderSpi spi) {
        super(spi);
    }

    @Override
    public void setInput(Object input, boolean seekForwardOnly, boolean ignoreMetadata) {
        super.setInput(input, seekForwardOnly, ignoreMetadata);
        data = null;
        info = null;
    }

    private void load() throws IOException {
        if (info != null) {
            return;
        }
        if (!(getInput() instanceof ImageInputStream in)) {
            throw new IllegalStateException("no input set");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] chunk = new byte[65536];
        for (int n; (n = in.read(chunk)) > 0; ) {
            bytes.write(chunk, 0, n);
        }
        data = bytes.toByteArray();
        try {
            info = new QuicDecoder().readInfo(data, 0, data.length);
        } catch (MalformedInputException e) {
            throw new IIOException("not a valid QUIC stream: " + e.getMessage(), e);
        }
    }

    private void checkIndex(int imageIndex) {
        if (imageIndex != 0) {
            throw new IndexOutOfBoundsException("a QUIC stream holds one image, not image " + imageIndex);
        }
    }

    @Override
    public int getNumImages(boolean allowSearch) {
        return 1;
    }

    @Override
    public int getWidth(int imageIndex) throws IOException {
        checkIndex(imageIndex);
        load();
        return info.width();
    }

    @Override
    public int getHeight(int imageIndex) throws IOException {
        checkIndex(imageIndex);
        load();
        return info.height();
    }

    @Override
    public Iterator<ImageTypeSpecifier> getImageTypes(int imageIndex) throws IOException {
        checkIndex(imageIndex);
        load();
        int type = info.format() == org.spicecodec.core.SpiceBitmapFormat.RGBA
                ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
        return List.of(ImageTypeSpecifier.createFromBufferedImageType(type)).iterator();
    }

    @Override
    public IIOMetadata getStreamMetadata() {
        return null;
    }

    @Override
    public IIOMetadata getImageMetadata(int imageIndex) {
        return null;
    }

    @Override
    public BufferedImage read(int imageIndex, ImageReadParam param) throws IOException {
        checkIndex(imageIndex);
        load();
        try {
            return BufferedImages.toBufferedImage(new QuicDecoder().decode(data, 0, data.length, (org.spicecodec.core.SpiceBitmapFormat) null));
        } catch (MalformedInputException e) {
            throw new IIOException("malformed QUIC stream: " + e.getMessage(), e);
        }
    }
}
