package org.spicecodec.jpeg;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.spicecodec.core.ImageInfo;
import org.spicecodec.core.ImageLimits;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;

/**
 * Fuzz targets for {@link JpegDecoder} (SPICE's JPEG image) and {@link JpegAlphaDecoder}
 * (JPEG_ALPHA: a 9-byte prefix, a JPEG, then an LZ XXXA stream for the alpha): whatever the
 * bytes, the only exception allowed out is {@link MalformedInputException}; anything else
 * (index errors, ImageIO's own exceptions leaking, hangs, out-of-memory) is a finding.
 *
 * <p>In a normal build ({@code mvn verify}) Jazzer runs these in regression mode: each method
 * gets the empty input plus the seed files under
 * {@code src/test/resources/org/spicecodec/jpeg/JpegDecoderFuzzTestInputs/<method>/} (small
 * valid streams from this module's encoders), a few seconds in all. To fuzz for real, one target
 * per run:
 *
 * <pre>
 * JAZZER_FUZZ=1 mvn -pl jpeg-mjpeg test -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtest='JpegDecoderFuzzTest#decodeWithValidHeader' -Djazzer.max_duration=10m
 * </pre>
 *
 * (or {@code #decodeArbitraryBytes}, {@code #decodeAlphaArbitraryBytes},
 * {@code #decodeAlphaWithValidPrefix}). Without {@code -Djazzer.max_duration} a run stops after
 * the annotation's {@code maxDuration}, or at the first finding. Jazzer keeps the corpus it grows
 * in {@code jpeg-mjpeg/.cifuzz-corpus/} (not to be committed) and prints where it saved a
 * crashing input; once the bug is fixed, put that file in the inputs directory above so every
 * build replays it.
 *
 * <p>The pixel decoding itself is the JDK's native libjpeg, which Jazzer does not instrument:
 * coverage guides the fuzzer through the Java side (marker walk, size and length checks, the
 * prefix of JPEG_ALPHA, the LZ alpha decoder, the copy into the destination), while the native
 * decoder gets mutated but structurally valid files from {@link #decodeWithValidHeader}.
 */
class JpegDecoderFuzzTest {
    /**
     * Small limits, so a fuzzed frame header cannot make ImageIO allocate gigabytes; the code
     * paths are the same.
     */
    private static final ImageLimits LIMITS = new ImageLimits(1024, 1024, 1 << 18);

    private static final SpiceBitmapFormat[] TARGETS = {
        SpiceBitmapFormat.RGB32, SpiceBitmapFormat.RGBA, SpiceBitmapFormat.RGB24, SpiceBitmapFormat.RGB16,
    };

    private final JpegDecoder jpeg = new JpegDecoder(LIMITS);
    private final JpegAlphaDecoder alpha = new JpegAlphaDecoder(LIMITS);

    /**
     * Any bytes as a JPEG file, through the header reader and the allocating decode; the
     * destination format is picked by the input's length.
     */
    @FuzzTest(maxDuration = "5m")
    void decodeArbitraryBytes(byte[] data) {
        try {
            jpeg.readInfo(data, 0, data.length);
        } catch (MalformedInputException expected) {
            return;
        }
        try {
            jpeg.decode(data, 0, data.length, TARGETS[data.length & 3]);
        } catch (MalformedInputException expected) {
            // the only acceptable failure
        }
    }

    /** Segments of a small JPEG from {@link JpegEncoder}: everything but SOI, SOF0, SOS, EOI. */
    private static final byte[] TABLES;
    /** Its SOF0 and SOS segments, markers included (3 components, luma 2x2, chroma 1x1). */
    private static final byte[] SOF;
    private static final byte[] SOS;

    static {
        byte[] j = encodeTemplate();
        ByteArrayOutputStream tables = new ByteArrayOutputStream();
        byte[] sof = null;
        byte[] sos = null;
        int p = 2;
        while (sos == null) {
            int m = j[p + 1] & 0xFF;
            int len = (j[p + 2] & 0xFF) << 8 | (j[p + 3] & 0xFF);
            byte[] seg = Arrays.copyOfRange(j, p, p + 2 + len);
            if (m == 0xC0) {
                sof = seg;
            } else if (m == 0xDA) {
                sos = seg;
            } else {
                tables.writeBytes(seg);
            }
            p += 2 + len;
        }
        if (sof == null || sof.length != 19 || sos.length != 14) {
            throw new IllegalStateException("unexpected JpegEncoder output");
        }
        TABLES = tables.toByteArray();
        SOF = sof;
        SOS = sos;
    }

    private static byte[] encodeTemplate() {
        SpiceBitmap bm = SpiceBitmap.allocate(SpiceBitmapFormat.RGB24, 16, 16);
        JpegEncoder enc = new JpegEncoder();
        byte[] out = new byte[(int) enc.maxEncodedLength(bm.format(), 16, 16)];
        return Arrays.copyOf(out, enc.encode(bm, out, 0, out.length));
    }

    private static final int[] SAMPLING = {0x22, 0x11, 0x21, 0x12};

    /**
     * A valid JPEG header (the tables of {@link JpegEncoder}'s output, a frame and a scan header
     * built from the first 4 bytes), then arbitrary entropy-coded data and EOI, so that ImageIO's
     * decoder gets past the markers. Byte 0: bit 0 gray (1 component) instead of colour, bits
     * 1-2 the luma sampling factors (2x2, 1x1, 2x1, 1x2), bits 3-4 the destination format, bit 5
     * SOF1 instead of SOF0, bit 6 a bottom-up destination; bytes 1 and 2 are width - 1 and
     * height - 1 (up to 256); byte 3, when not 0, is a restart interval (DRI); the rest is the scan.
     */
    @FuzzTest(maxDuration = "5m")
    void decodeWithValidHeader(byte[] data) {
        if (data.length < 4) {
            return;
        }
        int ctl = data[0] & 0xFF;
        boolean gray = (ctl & 1) != 0;
        int width = (data[1] & 0xFF) + 1;
        int height = (data[2] & 0xFF) + 1;
        int restart = data[3] & 0xFF;
        ByteArrayOutputStream f = new ByteArrayOutputStream(64 + TABLES.length + data.length);
        f.write(0xFF);
        f.write(0xD8);
        f.writeBytes(TABLES);
        if (restart != 0) {
            f.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xDD, 0, 4, 0, (byte) restart});
        }
        byte[] sof = SOF.clone();
        sof[1] = (byte) ((ctl & 0x20) != 0 ? 0xC1 : 0xC0);
        sof[5] = (byte) (height >>> 8);
        sof[6] = (byte) height;
        sof[7] = (byte) (width >>> 8);
        sof[8] = (byte) width;
        sof[11] = (byte) SAMPLING[ctl >>> 1 & 3];
        byte[] sos = SOS.clone();
        if (gray) {
            sof[3] = 11;
            sof[9] = 1;
            sof = Arrays.copyOf(sof, 13);
            sos[3] = 8;
            sos[4] = 1;
            sos = new byte[] {sos[0], sos[1], sos[2], sos[3], sos[4], sos[5], sos[6], sos[11], sos[12], sos[13]};
        }
        f.writeBytes(sof);
        f.writeBytes(sos);
        f.write(data, 4, data.length - 4);
        f.write(0xFF);
        f.write(0xD9);
        byte[] file = f.toByteArray();

        SpiceBitmapFormat target = TARGETS[ctl >>> 3 & 3];
        int stride = (int) target.minStride(width) + 5;
        SpiceBitmap dst = SpiceBitmap.of(target, width, height, stride, (ctl & 0x40) == 0,
                new byte[stride * height], 0);
        try {
            jpeg.decode(file, 0, file.length, dst);
        } catch (MalformedInputException expected) {
            // the only acceptable failure
        }
    }

    /** Any bytes as a whole JPEG_ALPHA structure, through readInfo and the allocating decode. */
    @FuzzTest(maxDuration = "5m")
    void decodeAlphaArbitraryBytes(byte[] data) {
        try {
            alpha.readInfo(data, 0, data.length);
        } catch (MalformedInputException expected) {
            return;
        }
        try {
            alpha.decode(data, 0, data.length);
        } catch (MalformedInputException expected) {
            // the only acceptable failure
        }
    }

    /**
     * A JPEG_ALPHA whose 9-byte prefix is consistent, so the fuzzer spends its time in the JPEG
     * and LZ parts: byte 0 bit 0 is the TOP_DOWN flag and bit 1 asks for a destination of the
     * other row order (with row padding); bytes 1 and 2 are {@code jpeg_size} (little-endian,
     * at most the bytes that follow); the rest is the JPEG followed by the LZ stream, and
     * {@code data_size} is its length.
     */
    @FuzzTest(maxDuration = "5m")
    void decodeAlphaWithValidPrefix(byte[] data) {
        if (data.length < 3) {
            return;
        }
        int ctl = data[0] & 0xFF;
        int rest = data.length - 3;
        int jpegSize = Math.min((data[1] & 0xFF) | (data[2] & 0xFF) << 8, rest);
        byte[] in = new byte[JpegAlphaEncoder.HEADER_BYTES + rest];
        in[0] = (byte) (ctl & 1);
        JpegAlphaEncoder.putIntLE(in, 1, jpegSize);
        JpegAlphaEncoder.putIntLE(in, 5, rest);
        System.arraycopy(data, 3, in, JpegAlphaEncoder.HEADER_BYTES, rest);
        ImageInfo info;
        try {
            info = alpha.readInfo(in, 0, in.length);
        } catch (MalformedInputException expected) {
            return;
        }
        int w = info.width();
        int h = info.height();
        boolean topDown = info.topDown() ^ (ctl & 2) != 0;
        int stride = w * 4 + 8;
        SpiceBitmap dst = SpiceBitmap.of(SpiceBitmapFormat.RGBA, w, h, stride, topDown, new byte[stride * h], 0);
        try {
            alpha.decode(in, 0, in.length, dst);
        } catch (MalformedInputException expected) {
            // the only acceptable failure
        }
    }
}
