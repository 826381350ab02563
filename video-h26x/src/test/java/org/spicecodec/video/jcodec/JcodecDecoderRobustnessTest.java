package org.spicecodec.video.jcodec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.video.EncodedFrame;
import org.spicecodec.core.video.VideoCodecType;
import org.spicecodec.core.video.VideoDecoder;
import org.spicecodec.video.FrameCompressor;
import org.spicecodec.video.VideoEncoderConfig;

class JcodecDecoderRobustnessTest {
    private static final BufferedImage EARTH = JcodecTestFrames.earth();
    private static final int W = 96;
    private static final int H = 64;
    private final JcodecBackend backend = new JcodecBackend();

    /** A key frame and two P frames of the panning picture. */
    private static byte[][] stream() {
        try (FrameCompressor enc = new JcodecBackend().openEncoder(
                VideoEncoderConfig.builder(VideoCodecType.H264).constantQp(26).gopLength(50).build())) {
            byte[][] aus = new byte[3][];
            EncodedFrame out = new EncodedFrame();
            for (int i = 0; i < aus.length; i++) {
                enc.encode(JcodecTestFrames.shifted(EARTH, W, H, 4 * i), 0, 0, W, H, i, out);
                aus[i] = out.toByteArray();
            }
            return aus;
        }
    }

    /** Decodes; returns normally or with MalformedInputException only. */
    private static void decodeOrMalformed(VideoDecoder dec, byte[] au, SpiceBitmap out) {
        try {
            dec.decodeFrame(au, 0, au.length, out);
        } catch (MalformedInputException e) {
            assertThat(e.offset()).isBetween(0L, (long) au.length);
            assertThat(e.reason()).isNotBlank();
        }
    }

    private static void assertRecovers(VideoDecoder dec, byte[][] aus, SpiceBitmap out) {
        assertThat(dec.decodeFrame(aus[0], 0, aus[0].length, out)).isTrue();
        assertThat(JcodecTestFrames.psnr(JcodecTestFrames.shifted(EARTH, W, H, 0), out, W, H)).isGreaterThan(30);
    }

    @Test
    void randomBytesAreMalformedNeverAnotherException() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            Random rnd = new Random(264);
            SpiceBitmap out = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, W, H);
            try (VideoDecoder dec = backend.openDecoder(VideoCodecType.H264)) {
                for (int i = 0; i < 300; i++) {
                    byte[] junk = new byte[1 + rnd.nextInt(2000)];
                    rnd.nextBytes(junk);
                    if (i % 2 == 0) {
                        // Behind a start code, so that the NAL parsers are reached.
                        junk[0] = 0;
                        junk[1 % junk.length] = 0;
                        if (junk.length > 3) {
                            junk[2] = 1;
                            junk[3] = (byte) new int[] {0x67, 0x68, 0x65, 0x41}[i / 2 % 4];
                        }
                    }
                    decodeOrMalformed(dec, junk, out);
                }
                assertRecovers(dec, stream(), out);
            }
        });
    }

    @Test
    void truncatedAndCorruptedAccessUnitsAreMalformedNeverAnotherException() {
        byte[][] aus = stream();
        assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
            SpiceBitmap out = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, W, H);
            Random rnd = new Random(5);
            try (VideoDecoder dec = backend.openDecoder(VideoCodecType.H264)) {
                for (int cut = 1; cut < aus[0].length; cut += 1 + cut / 8) {
                    decodeOrMalformed(dec, Arrays.copyOf(aus[0], cut), out);
                }
                for (int i = 0; i < 300; i++) {
                    byte[] key = aus[0].clone();
                    for (int k = 0; k < 1 + rnd.nextInt(4); k++) {
                        key[4 + rnd.nextInt(key.length - 4)] ^= (byte) (1 << rnd.nextInt(8));
                    }
                    decodeOrMalformed(dec, key, out);
                    byte[] p = aus[1].clone();
                    p[4 + rnd.nextInt(p.length - 4)] = (byte) rnd.nextInt(256);
                    decodeOrMalformed(dec, p, out);
                }
                assertRecovers(dec, aus, out);
            }
        });
    }

    @Test
    void decodesInOrderAndLeavesTheInputAlone() {
        byte[][] aus = stream();
        SpiceBitmap out = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, W, H);
        try (VideoDecoder dec = backend.openDecoder(VideoCodecType.H264)) {
            assertThat(dec.codecType()).isEqualTo(VideoCodecType.H264);
            // A P frame first: the stream was joined mid-way, nothing to show yet.
            assertThat(dec.decodeFrame(aus[1], 0, aus[1].length, out)).isFalse();
            for (int i = 0; i < aus.length; i++) {
                byte[] copy = aus[i].clone();
                // At an offset inside a larger array.
                byte[] framed = new byte[copy.length + 10];
                System.arraycopy(copy, 0, framed, 5, copy.length);
                assertThat(dec.decodeFrame(framed, 5, copy.length, out)).isTrue();
                assertThat(Arrays.copyOfRange(framed, 5, 5 + copy.length)).isEqualTo(copy);
                assertThat(JcodecTestFrames.psnr(JcodecTestFrames.shifted(EARTH, W, H, 4 * i), out, W, H))
                        .isGreaterThan(30);
            }
        }
    }

    @Test
    void aPictureOfAnotherSizeIsMalformed() {
        byte[][] aus = stream();
        try (VideoDecoder dec = backend.openDecoder(VideoCodecType.H264)) {
            SpiceBitmap small = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, W - 16, H);
            assertThatThrownBy(() -> dec.decodeFrame(aus[0], 0, aus[0].length, small))
                    .isInstanceOfSatisfying(MalformedInputException.class,
                            e -> assertThat(e.reason()).contains("does not match the 80x64 stream"));
            // An odd stream size accepts the picture coded one column larger.
            SpiceBitmap odd = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, W - 1, H - 1);
            assertThat(dec.decodeFrame(aus[0], 0, aus[0].length, odd)).isTrue();
            assertThatThrownBy(() -> dec.decodeFrame(new byte[0], 0, 0, odd)).isInstanceOf(MalformedInputException.class);
            assertThatThrownBy(() -> dec.decodeFrame(aus[0], 0, aus[0].length,
                    SpiceBitmap.allocate(SpiceBitmapFormat.RGB24, W, H))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> dec.decodeFrame(aus[0], 1, aus[0].length, odd))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** A bit writer for hand-made parameter sets. */
    private static final class Bits {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        int cur;
        int n;

        Bits u(int bits, long v) {
            for (int i = bits - 1; i >= 0; i--) {
                cur = cur << 1 | (int) ((v >> i) & 1);
                if (++n == 8) {
                    out.write(cur);
                    cur = 0;
                    n = 0;
                }
            }
            return this;
        }

        Bits ue(long v) {
            long x = v + 1;
            int len = 64 - Long.numberOfLeadingZeros(x);
            return u(len - 1, 0).u(len, x);
        }

        byte[] nal(int header) {
            u(1, 1);
            while (n != 0) {
                u(1, 0);
            }
            byte[] body = out.toByteArray();
            byte[] r = new byte[body.length + 5];
            r[3] = 1;
            r[4] = (byte) header;
            System.arraycopy(body, 0, r, 5, body.length);
            return r;
        }
    }

    /** Baseline SPS for W x H, with a hook for the POC-type-1 cycle length. */
    private static byte[] sps(int pocType, long cycle, int widthMbs) {
        Bits b = new Bits().u(8, 66).u(8, 0).u(8, 30).ue(0).ue(0).ue(pocType);
        if (pocType == 0) {
            b.ue(0);
        } else {
            b.u(1, 0).ue(0).ue(0).ue(cycle);
            for (long i = 0; i < Math.min(cycle, 300); i++) {
                b.ue(0);
            }
        }
        return b.ue(1).u(1, 0).ue(widthMbs - 1).ue(H / 16 - 1).u(1, 1).u(1, 1).u(1, 0).u(1, 0).nal(0x67);
    }

    @Test
    void hostileParameterSetsAreRefusedBeforeJcodecAllocates() {
        SpiceBitmap out = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, W, H);
        try (VideoDecoder dec = backend.openDecoder(VideoCodecType.H264)) {
            // JCodec would allocate an int[2^31-2] for this cycle.
            byte[] huge = sps(1, (1L << 31) - 2, W / 16);
            assertThatThrownBy(() -> dec.decodeFrame(huge, 0, huge.length, out))
                    .isInstanceOfSatisfying(MalformedInputException.class,
                            e -> assertThat(e.reason()).contains("num_ref_frames_in_pic_order_cnt_cycle"));
            byte[] wide = sps(0, 0, 1000);
            assertThatThrownBy(() -> dec.decodeFrame(wide, 0, wide.length, out))
                    .isInstanceOfSatisfying(MalformedInputException.class,
                            e -> assertThat(e.reason()).contains("does not match"));
            // A good SPS alone decodes to nothing.
            byte[] good = sps(0, 0, W / 16);
            assertThat(dec.decodeFrame(good, 0, good.length, out)).isFalse();
            // PPS with slice groups (FMO).
            byte[] fmo = new Bits().ue(0).ue(0).u(1, 0).u(1, 0).ue(3).nal(0x68);
            byte[] both = concat(good, fmo);
            assertThatThrownBy(() -> dec.decodeFrame(both, 0, both.length, out))
                    .isInstanceOfSatisfying(MalformedInputException.class,
                            e -> assertThat(e.reason()).contains("FMO"));
            // A PPS id beyond 255, which JCodec would use to size an array.
            byte[] bigId = new Bits().ue(100_000_000).ue(0).nal(0x68);
            byte[] both2 = concat(good, bigId);
            assertThatThrownBy(() -> dec.decodeFrame(both2, 0, both2.length, out))
                    .isInstanceOfSatisfying(MalformedInputException.class,
                            e -> assertThat(e.reason()).contains("pic_parameter_set_id"));
            byte[] noStart = {1, 2, 3, 4};
            assertThatThrownBy(() -> dec.decodeFrame(noStart, 0, noStart.length, out))
                    .isInstanceOfSatisfying(MalformedInputException.class,
                            e -> assertThat(e.reason()).contains("start code"));
        }
    }

    @Test
    void anEndlessReferenceListModificationIsRefused() {
        byte[][] aus = stream();
        SpiceBitmap out = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, W, H);
        try (VideoDecoder dec = backend.openDecoder(VideoCodecType.H264)) {
            assertThat(dec.decodeFrame(aus[0], 0, aus[0].length, out)).isTrue();
            // P slice: first_mb 0, type P, PPS 0, frame_num 1 (JCodec's SPS: 6 bits for gop 50),
            // POC lsb, no override, modification flag 1 and then nothing: JCodec's reader would
            // return zeros (idc 0) for ever.
            byte[] p = new Bits().ue(0).ue(0).ue(0).u(6, 1).u(4, 2).u(1, 0).u(1, 1).ue(0).ue(0).ue(0).ue(0).nal(0x41);
            assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                    assertThatThrownBy(() -> dec.decodeFrame(p, 0, p.length, out))
                            .isInstanceOfSatisfying(MalformedInputException.class,
                                    e -> assertThat(e.reason()).contains("modification")));
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
