package org.spicecodec.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-second counters that JMH reports next to ops/s, shared by the codec benchmarks:
 * {@code bytes} of uncompressed data (raw pixels, or payload bytes) and {@code encodedBytes}
 * of compressed stream, so bytes / encodedBytes is the compression ratio.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class ByteCounters {
    public long bytes;
    public long encodedBytes;

    @Setup(Level.Iteration)
    public void reset() {
        bytes = 0;
        encodedBytes = 0;
    }
}
