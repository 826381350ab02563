package org.spicecodec.video.ffmpeg;

import org.bytedeco.javacpp.BytePointer;

/**
 * A {@link BytePointer} that can be re-aimed at other native memory. Every JavaCPP getter of
 * a pointer field (such as {@code AVPacket.data()}) builds a new Java object; the encoder
 * reads the packet's address as a plain long instead and points this one view at it, so
 * the steady state creates no objects. It never owns the memory it points at.
 */
final class NativeView extends BytePointer {

    NativeView() {
        super((BytePointer) null);
    }

    /** Points this view at {@code length} bytes at {@code nativeAddress}. */
    NativeView point(long nativeAddress, long length) {
        this.address = nativeAddress;
        this.position = 0;
        this.limit = length;
        this.capacity = length;
        return this;
    }
}
