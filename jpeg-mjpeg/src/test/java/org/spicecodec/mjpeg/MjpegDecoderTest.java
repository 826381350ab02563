package org.spicecodec.mjpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.video.EncodedFrame;
import org.spicecodec.core.video.VideoCodecType;

/** {@link MjpegDecoder}: good frames, wrong sizes, truncated and corrupt payloads. */
class MjpegDecoderTest {
    private static SpiceBitmap picture;
    private static byte[] jpeg;

    @BeforeAll
    static void encodeOneFrame() {
        picture = Pictures.crop(Pictures.load(Pictures.COFFEE, SpiceBitmapFormat.RGB32), 100, 50, 160, 120);
        ScriptedStream stream = new ScriptedStream(20, 25);
        MjpegEncoder enc = new MjpegEncoder(100_000_000, stream, stream, new ImageIoTestEngine());
        EncodedFrame frame = new EncodedFrame();
        enc.encodeFrame(ScriptedStream.mm(0), picture, frame);
        jpeg = frame.toByteArray();
        enc.close();
    }

    private static SpiceBitmap out() {
        return SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 160, 120);
    }

    @Test
    void decodesAFrameIntoTheCallersBitmap() {
        MjpegDecoder dec = new MjpegDecoder();
        assertThat(dec.codecType()).isEqualTo(VideoCodecType.MJPEG);
        SpiceBitmap out = out();
        // At an offset inside a larger buffer, as a STREAM_DATA body would carry it.
        byte[] msg = new byte[jpeg.length + 12];
        System.arraycopy(jpeg, 0, msg, 12, jpeg.length);
        assertThat(dec.decodeFrame(msg, 12, jpeg.length, out)).isTrue();
        // Quality 50 (the first frame of a stream).
        assertThat(Pictures.psnrMemoryOrder(picture, out)).isGreaterThan(30.0);
        // Byte 3 is written 0 (BGRX).
        for (int i = 3; i < out.data().length; i += 4) {
            if (out.data()[i] != 0) {
                fail("X byte at " + i);
            }
        }
        // Again into the same bitmap: the same picture.
        byte[] first = out.data().clone();
        dec.decodeFrame(jpeg, 0, jpeg.length, out);
        assertThat(out.data()).isEqualTo(first);
    }

    @Test
    void aFrameOfAnotherSizeIsMalformed() {
        MjpegDecoder dec = new MjpegDecoder();
        SpiceBitmap wrong = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, 161, 120);
        assertThatThrownBy(() -> dec.decodeFrame(jpeg, 0, jpeg.length, wrong))
                .isInstanceOf(MalformedInputException.class)
                .hasMessageContaining("160x120");
    }

    @Test
    void everyTruncationIsMalformed() {
        MjpegDecoder dec = new MjpegDecoder();
        SpiceBitmap out = out();
        for (int len = 0; len < jpeg.length; len += len < 700 ? 1 : 37) {
            int n = len;
            assertThatThrownBy(() -> dec.decodeFrame(jpeg, 0, n, out)).as("length %d", n)
                    .isInstanceOf(MalformedInputException.class);
        }
    }

    @Test
    void corruptHeadersAreMalformed() {
        MjpegDecoder dec = new MjpegDecoder();
        SpiceBitmap out = out();
        byte[] noSoi = jpeg.clone();
        noSoi[1] = 0x00;
        assertThatThrownBy(() -> dec.decodeFrame(noSoi, 0, noSoi.length, out))
                .isInstanceOf(MalformedInputException.class)
                .satisfies(e -> assertThat(((MalformedInputException) e).offset()).isZero());
        byte[] garbage = new byte[4096];
        new Random(7).nextBytes(garbage);
        assertThatThrownBy(() -> dec.decodeFrame(garbage, 0, garbage.length, out))
                .isInstanceOf(MalformedInputException.class);
    }

    @Test
    void flippedBytesNeverEscapeAsAnotherException() {
        // Entropy-coded damage may still decode (to a wrong picture); anything else must be
        // MalformedInputException.
        MjpegDecoder dec = new MjpegDecoder();
        SpiceBitmap out = out();
        Random rnd = new Random(42);
        int malformed = 0;
        for (int i = 0; i < 300; i++) {
            byte[] bad = jpeg.clone();
            int flips = 1 + rnd.nextInt(4);
            for (int f = 0; f < flips; f++) {
                bad[rnd.nextInt(bad.length)] ^= (byte) (1 << rnd.nextInt(8));
            }
            try {
                dec.decodeFrame(bad, 0, bad.length, out);
            } catch (MalformedInputException e) {
                malformed++;
            }
        }
        assertThat(malformed).isPositive();
        // The decoder still works afterwards.
        dec.decodeFrame(jpeg, 0, jpeg.length, out);
        assertThat(Pictures.psnrMemoryOrder(picture, out)).isGreaterThan(30.0);
    }

    @Test
    void badArguments() {
        MjpegDecoder dec = new MjpegDecoder();
        assertThatThrownBy(() -> dec.decodeFrame(jpeg, 0, jpeg.length,
                SpiceBitmap.allocate(SpiceBitmapFormat.RGB24, 160, 120)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dec.decodeFrame(jpeg, 10, jpeg.length, out()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dec.decodeFrame(jpeg, -1, 4, out())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dec.decodeFrame(null, 0, 0, out())).isInstanceOf(NullPointerException.class);
        dec.close();
        assertThatThrownBy(() -> dec.decodeFrame(jpeg, 0, jpeg.length, out()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void bottomUpDestinationGetsTheJpegRowsInMemoryOrder() {
        MjpegDecoder dec = new MjpegDecoder();
        SpiceBitmap down = out();
        dec.decodeFrame(jpeg, 0, jpeg.length, down);
        SpiceBitmap up = Pictures.storedBottomUp(out());
        dec.decodeFrame(jpeg, 0, jpeg.length, up);
        // Same bytes, row for row: JPEG row i is memory row i in both.
        assertThat(Arrays.equals(up.data(), down.data())).isTrue();
    }
}
