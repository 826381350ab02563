package org.spicecodec.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.spicecodec.core.MalformedInputException;

class Y4mTest {

    private static I420Frame random(int w, int h, long seed) {
        I420Frame f = I420Frame.allocate(w, h);
        Random r = new Random(seed);
        r.nextBytes(f.y);
        r.nextBytes(f.u);
        r.nextBytes(f.v);
        return f;
    }

    @Test
    void writesAndReadsBackOddSizedFrames() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        I420Frame a = random(33, 17, 1);
        I420Frame b = random(33, 17, 2);
        try (Y4mWriter w = new Y4mWriter(bytes, 33, 17, 30)) {
            w.write(a);
            w.write(b);
        }
        // Header, then per frame "FRAME\n" + 33*17 + 2 * 17*9 bytes.
        String header = "YUV4MPEG2 W33 H17 F30:1 Ip A1:1 C420jpeg\n";
        assertThat(bytes.size()).isEqualTo(header.length() + 2 * (6 + 33 * 17 + 2 * 17 * 9));
        try (Y4mReader r = new Y4mReader(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(r.width()).isEqualTo(33);
            assertThat(r.height()).isEqualTo(17);
            assertThat(r.frameRate()).isEqualTo(30);
            I420Frame f = I420Frame.allocate(33, 17);
            assertThat(r.next(f)).isTrue();
            assertThat(f.y).isEqualTo(a.y);
            assertThat(f.v).isEqualTo(a.v);
            assertThat(r.next(f)).isTrue();
            assertThat(f.u).isEqualTo(b.u);
            assertThat(r.next(f)).isFalse();
        }
    }

    @Test
    void rejectsBadHeadersAndTruncatedFrames() throws Exception {
        assertThatThrownBy(() -> new Y4mReader(stream("RIFF....\n")))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("YUV4MPEG2");
        assertThatThrownBy(() -> new Y4mReader(stream("YUV4MPEG2 W10 F25:1\n")))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("no valid W and H");
        assertThatThrownBy(() -> new Y4mReader(stream("YUV4MPEG2 W10 H10 C444\n")))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("C444");
        assertThatThrownBy(() -> new Y4mReader(stream("YUV4MPEG2 W100000 H100000\n")))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("width is outside");
        assertThatThrownBy(() -> new Y4mReader(stream("YUV4MPEG2 W4 H4 Fx\n")))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("bad YUV4MPEG2 header tag");
        char[] longLine = new char[5000];
        Arrays.fill(longLine, 'X');
        assertThatThrownBy(() -> new Y4mReader(stream("YUV4MPEG2 " + new String(longLine) + "\n")))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("longer than");

        Y4mReader cut = new Y4mReader(stream("YUV4MPEG2 W4 H4\nFRAME\n0123456789"));
        assertThatThrownBy(() -> cut.next(I420Frame.allocate(4, 4)))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("cut short")
                .satisfies(e -> assertThat(((MalformedInputException) e).offset()).isEqualTo(32));
        Y4mReader noFrame = new Y4mReader(stream("YUV4MPEG2 W4 H4\nJUNK\n"));
        assertThatThrownBy(() -> noFrame.next(I420Frame.allocate(4, 4)))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("FRAME");
    }

    private static ByteArrayInputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII));
    }
}
