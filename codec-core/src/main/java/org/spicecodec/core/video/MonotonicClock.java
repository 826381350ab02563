package org.spicecodec.core.video;

/**
 * The server's monotonic clock in nanoseconds. Rate control reads time only through this, so
 * tests can drive it with a scripted clock and get the same decisions on every run.
 */
@FunctionalInterface
public interface MonotonicClock {

    /** Nanoseconds from an arbitrary origin; never decreases. */
    long nanoTime();

    /** {@link System#nanoTime()}. */
    MonotonicClock SYSTEM = System::nanoTime;
}
