package org.spicecodec.lz4;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.spicecodec.core.ImageLimits;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;

/**
 * Fuzz targets for the decoding side of the LZ4 package: {@link Lz4ImageDecoder} (LZ4 images,
 * blocks chained through {@link Lz4Blocks}) and {@link VmcLz4}'s receiving side. Whatever the
 * bytes, the only exception allowed out is {@link MalformedInputException}; anything else
 * (index errors, lz4-java's own exceptions, hangs, out-of-memory) is a finding.
 *
 * <p>In a normal build ({@code mvn verify}) Jazzer runs these in regression mode: each method
 * gets the empty input plus the seed files under
 * {@code src/test/resources/org/spicecodec/lz4/Lz4FuzzTestInputs/<method>/} (small valid
 * images from {@link Lz4ImageEncoder} and bodies from {@link VmcLz4#encode}). To fuzz for
 * real, one target per run:
 *
 * <pre>
 * JAZZER_FUZZ=1 mvn -o -pl lz-glz test -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtest='Lz4FuzzTest#decodeImage' -Djazzer.max_duration=3m
 * </pre>
 *
 * Jazzer keeps the corpus it grows in {@code lz-glz/.cifuzz-corpus/} (not to be committed) and
 * prints where it saved a crashing input; once the bug is fixed, put that file in the inputs
 * directory above so every build replays it.
 */
class Lz4FuzzTest {
    /** Small limits, so a fuzzed size cannot ask for gigabytes; the code paths are the same. */
    private static final ImageLimits LIMITS = new ImageLimits(1024, 1024, 1 << 18);

    private final Lz4ImageDecoder javaDecoder = new Lz4ImageDecoder(LIMITS, Lz4Codec.of(Lz4Codec.Impl.JAVA));
    private final Lz4ImageDecoder defaultDecoder = new Lz4ImageDecoder(LIMITS, Lz4Codec.getDefault());
    private final VmcLz4 javaVmc = new VmcLz4(Lz4Codec.of(Lz4Codec.Impl.JAVA), 1 << 16);
    private final VmcLz4 defaultVmc = new VmcLz4(Lz4Codec.getDefault(), 1 << 16);

    /**
     * An LZ4 image payload (2-byte header, then length-prefixed blocks) after a 3-byte prefix
     * standing for the image descriptor: bytes 0 and 1 are width - 1 and height - 1 (up to
     * 256); byte 2 picks the destination: the other row order than the stream's (bit 0), a
     * padded stride (bit 1), lz4-java's pure-Java codec rather than the default one (bit 2),
     * the allocating decode (bit 3). The destination's format is the payload's when valid.
     */
    @FuzzTest(maxDuration = "5m")
    void decodeImage(byte[] data) {
        if (data.length < 3) {
            return;
        }
        int width = (data[0] & 0xFF) + 1;
        int height = (data[1] & 0xFF) + 1;
        int flags = data[2];
        Lz4ImageDecoder decoder = (flags & 4) != 0 ? javaDecoder : defaultDecoder;
        int off = 3;
        int len = data.length - 3;
        try {
            if ((flags & 8) != 0) {
                decoder.decode(data, off, len, width, height);
                return;
            }
            SpiceBitmapFormat format = SpiceBitmapFormat.RGB32;
            boolean topDown = true;
            if (len >= 2) {
                SpiceBitmapFormat f = SpiceBitmapFormat.fromValue(data[off + 1] & 0xFF);
                if (f != null && Lz4ImageEncoder.isLz4Format(f)) {
                    format = f;
                }
                topDown = data[off] == 1;
            }
            topDown ^= (flags & 1) != 0;
            int stride = (int) format.minStride(width) + ((flags & 2) != 0 ? 3 : 0);
            SpiceBitmap dst = SpiceBitmap.of(format, width, height, stride, topDown, new byte[stride * height], 0);
            decoder.decode(data, off, len, dst);
        } catch (MalformedInputException expected) {
            // the only acceptable failure
        }
    }

    /**
     * A spicevmc COMPRESSED_DATA body, as it is, through {@link VmcLz4#decompress(byte[])}
     * on the default codec and on the pure-Java one.
     */
    @FuzzTest(maxDuration = "5m")
    void decompressVmcBody(byte[] data) {
        for (VmcLz4 vmc : new VmcLz4[] {defaultVmc, javaVmc}) {
            try {
                byte[] out = vmc.decompress(data);
                if (out.length != vmc.uncompressedSize(data, 0, data.length)) {
                    throw new AssertionError("payload of " + out.length + " bytes, header says otherwise");
                }
            } catch (MalformedInputException expected) {
                // the only acceptable failure
            }
        }
    }
}
