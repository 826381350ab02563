package org.spicecodec.jpeg;

import org.bytedeco.javacpp.BytePointer;

/**
 * One reusable {@link BytePointer} re-aimed at native memory by address, so the per-frame
 * path (plane rows in, packet bytes out) creates no JavaCPP objects. It never owns the memory.
 */
final class NativeView extends BytePointer {
    NativeView() {
        super((org.bytedeco.javacpp.Pointer) null);
    }

    /** Points at {@code length} bytes from {@code addr}, positioned at 0. */
    NativeView at(long addr, long length) {
        if (addr == 0) {
            throw new IllegalStateException("null native buffer");
        }
        address = addr;
        position = 0;
        limit = length;
        capacity = length;
        return this;
    }
}
