package org.spicecodec.lz4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;
import org.spicecodec.core.ImageLimits;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;

/**
 * Steady state allocates nothing on the JNI implementation (lz4-java's Java compressor makes
 * a hash table per call, which is outside this code's control).
 */
class Lz4AllocationTest {

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void steadyStateEncodeAndDecodeAllocateNothingOnNative() {
        assumeTrue(Lz4Codec.nativeAvailable());
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        Lz4Codec c = Lz4Codec.of(Lz4Codec.Impl.NATIVE);
        SpiceBitmapFormat f = SpiceBitmapFormat.RGB24;
        int w = 97;
        int h = 41;
        int stride = w * 3 + 3;
        // Padded source and a bottom-up destination: both go through the kept buffers.
        SpiceBitmap src = SpiceBitmap.of(f, w, h, stride, true, Lz4TestData.pixels(f, w, h, stride, 1), 0);
        SpiceBitmap dst = SpiceBitmap.of(f, w, h, stride, false, new byte[stride * h], 0);
        Lz4ImageEncoder enc = new Lz4ImageEncoder(c);
        Lz4ImageDecoder dec = new Lz4ImageDecoder(ImageLimits.DEFAULT, c);
        byte[] out = new byte[(int) enc.maxEncodedLength(f, w, h)];
        VmcLz4 vmc = new VmcLz4(c, VmcLz4.DEFAULT_MAX_UNCOMPRESSED_SIZE);
        byte[] payload = Lz4TestData.realistic(65536, 2);
        byte[] body = new byte[VmcLz4.maxBodyLength(payload.length)];
        byte[] back = new byte[payload.length];
        // A payload LZ4 cannot shrink (random bytes): sent as DATA, decided without lz4-java's
        // "does not fit" exception.
        byte[] noise = new byte[4096];
        new java.util.Random(3).nextBytes(noise);
        byte[] noiseBody = new byte[VmcLz4.maxBodyLength(noise.length)];
        // An image encoded into too little space: DOES_NOT_FIT, again without the exception.
        byte[] small = new byte[Lz4ImageEncoder.HEADER_LENGTH + 4 + 100];
        int[] results = new int[2];
        Runnable more = () -> {
            results[0] = vmc.compress(noise, 0, noise.length, noiseBody, 0);
            results[1] = enc.encode(src, small, 0, small.length);
        };
        for (int i = 0; i < 2000; i++) {
            cycle(enc, dec, src, dst, out, vmc, payload, body, back);
            more.run();
        }
        assertThat(results[0]).isEqualTo(VmcLz4.SEND_AS_DATA);
        assertThat(results[1]).isEqualTo(Lz4ImageEncoder.DOES_NOT_FIT);
        allocated(); // the first calls of the counter may allocate themselves
        // Reading the counter costs a few hundred bytes itself on some JDKs: measure that.
        long before0 = allocated();
        long overhead = allocated() - before0;
        // Best of 5 rounds, so that a stray allocation elsewhere in the JVM thread (JIT,
        // logging) does not fail the test; one object per cycle would be 1600 bytes or more.
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long before = allocated();
            for (int i = 0; i < 100; i++) {
                cycle(enc, dec, src, dst, out, vmc, payload, body, back);
                more.run();
            }
            best = Math.min(best, allocated() - before - overhead);
        }
        assertThat(best).as("bytes allocated by 100 image and vmc round trips, non-shrinking payloads and too-small outputs").isLessThan(64);
    }

    private static void cycle(Lz4ImageEncoder enc, Lz4ImageDecoder dec, SpiceBitmap src, SpiceBitmap dst, byte[] out,
                              VmcLz4 vmc, byte[] payload, byte[] body, byte[] back) {
        int n = enc.encode(src, out, 0, out.length);
        dec.decode(out, 0, n, dst);
        int m = vmc.compress(payload, 0, payload.length, body, 0);
        vmc.decompress(body, 0, m, back, 0);
    }
}
