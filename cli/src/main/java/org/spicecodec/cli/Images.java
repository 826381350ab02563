package org.spicecodec.cli;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import org.spicecodec.core.BufferedImages;
import org.spicecodec.core.RowCursor;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;

/** Reading and writing the pictures the CLI handles: raw pixel files and PNG. */
final class Images {
    private Images() {
    }

    static boolean isPng(Path p) {
        return p.getFileName() != null && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png");
    }

    /**
     * Reads a raw pixel file laid out as in the vector sets: {@code height} rows of
     * {@code stride} bytes, the bottom row first when {@code topDown} is false. The file must
     * be exactly {@code stride * height} bytes, so a wrong size or type is caught rather than
     * encoded as garbage.
     */
    static SpiceBitmap readRaw(Path file, SpiceBitmapFormat format, int width, int height, int stride,
                               boolean topDown) throws IOException {
        long expected = (long) stride * height;
        if (expected > Integer.MAX_VALUE - 16) {
            throw new CliException(width + "x" + height + " with stride " + stride + " is too large for one buffer",
                    SpicecodecCli.EXIT_USAGE);
        }
        long actual = Files.size(file);
        if (actual != expected) {
            throw new CliException(file + " is " + actual + " bytes, but " + width + "x" + height + " " + format
                    + " with stride " + stride + " needs exactly " + expected + " bytes (stride * height)");
        }
        byte[] data = Files.readAllBytes(file);
        if (data.length != expected) {
            throw new CliException(file + " changed size while being read");
        }
        return SpiceBitmap.of(format, width, height, stride, topDown, data, 0);
    }

    /** Reads a PNG (or any format ImageIO knows) into a picture. */
    static BufferedImage readPicture(Path file) throws IOException {
        BufferedImage img;
        try (InputStream in = Files.newInputStream(file)) {
            img = ImageIO.read(in);
        } catch (IIOException e) {
            throw new CliException(file + ": not a readable image: " + e.getMessage());
        }
        if (img == null) {
            throw new CliException(file + ": not a readable image (no ImageIO reader recognised it)");
        }
        return img;
    }

    /** The bitmap format that keeps what a picture holds: alpha, gray, or colour. */
    static SpiceBitmapFormat naturalFormat(BufferedImage img) {
        if (img.getColorModel().hasAlpha()) {
            return SpiceBitmapFormat.RGBA;
        }
        int t = img.getType();
        if (t == BufferedImage.TYPE_BYTE_GRAY || t == BufferedImage.TYPE_USHORT_GRAY
                || img.getColorModel().getNumComponents() == 1
                        && img.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            return SpiceBitmapFormat.GRAY8;
        }
        return SpiceBitmapFormat.RGB32;
    }

    /** Converts a picture to a top-down bitmap; gray pictures keep their stored samples. */
    static SpiceBitmap toBitmap(BufferedImage img, SpiceBitmapFormat format) {
        return BufferedImages.toBitmap(img, format);
    }

    /** Writes a bitmap's pixels top-down with the tightest stride. */
    static byte[] toTightTopDown(SpiceBitmap bm) {
        int rowBytes = (int) bm.format().minStride(bm.width());
        if (bm.isContiguous() && bm.topDown() && bm.stride() == rowBytes && bm.offset() == 0
                && bm.data().length == rowBytes * bm.height()) {
            return bm.data();
        }
        byte[] out = new byte[rowBytes * bm.height()];
        RowCursor rows = new RowCursor();
        rows.reset(bm, true);
        for (int y = 0; rows.next(); y++) {
            System.arraycopy(rows.array, rows.offset, out, y * rowBytes, rowBytes);
        }
        return out;
    }

    static void writePng(SpiceBitmap bm, Path file) throws IOException {
        BufferedImage img = BufferedImages.toBufferedImage(bm);
        // Open the file ourselves so a missing directory is reported as such, not as an ImageIO oddity.
        try (OutputStream out = Files.newOutputStream(file)) {
            if (!ImageIO.write(img, "png", out)) {
                throw new CliException("no PNG writer available in this Java runtime");
            }
        }
    }
}
