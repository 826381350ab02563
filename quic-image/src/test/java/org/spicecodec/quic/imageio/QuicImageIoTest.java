package org.spicecodec.quic.imageio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

class QuicImageIoTest {

    private static BufferedImage randomImage(int type, int w, int h, long seed) {
        BufferedImage img = new BufferedImage(w, h, type);
        Random rnd = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rnd.nextInt());
            }
        }
        return img;
    }

    private static void assertSamePixels(BufferedImage a, BufferedImage b, boolean alpha) {
        assertThat(b.getWidth()).isEqualTo(a.getWidth());
        assertThat(b.getHeight()).isEqualTo(a.getHeight());
        int mask = alpha ? 0xFFFFFFFF : 0xFFFFFF;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                assertThat(b.getRGB(x, y) & mask).as("pixel %d,%d", x, y).isEqualTo(a.getRGB(x, y) & mask);
            }
        }
    }

    @Test
    void writesAndReadsBackThroughImageIo() throws IOException {
        for (int type : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB}) {
            BufferedImage img = randomImage(type, 37, 21, type);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            assertThat(ImageIO.write(img, "quic", bytes)).isTrue();
            byte[] stream = bytes.toByteArray();
            assertThat(new String(stream, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("QUIC");
            // Found by content, without naming the format.
            BufferedImage back = ImageIO.read(new ByteArrayInputStream(stream));
            assertThat(back).isNotNull();
            assertSamePixels(img, back, type == BufferedImage.TYPE_INT_ARGB);
        }
    }

    @Test
    void malformedStreamIsAnIioException() {
        byte[] bad = {'Q', 'U', 'I', 'C', 0, 0, 0, 0, 4, 0, 0, 0, 9, 0, 0, 0, 9, 0, 0, 0, 1, 2, 3, 4};
        assertThatThrownBy(() -> ImageIO.read(new ByteArrayInputStream(bad)))
                .isInstanceOf(IIOException.class)
                .hasCauseInstanceOf(org.spicecodec.core.MalformedInputException.class);
    }
}
