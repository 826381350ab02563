package org.spicecodec.audio;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.lang.ref.Cleaner;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.ShortPointer;

/**
 * Shared pieces of the {@link OpusEngine#FFMPEG} engine. Only ever loaded (reflectively, by
 * {@link OpusEngines}) once org.bytedeco:ffmpeg is known to be wanted.
 */
final class FfmpegOpusSupport {
    /** Frees the native state of codecs their users forgot to close. */
    static final Cleaner CLEANER = Cleaner.create();

    private FfmpegOpusSupport() {
    }

    /** Why the engine cannot run here, or null. Called reflectively by {@link OpusEngines}. */
    static String probe() {
        try {
            Loader.load(avcodec.class);
        } catch (Throwable e) { // UnsatisfiedLinkError and friends: natives for another platform
            return "FFmpeg natives (org.bytedeco:ffmpeg for " + Loader.getPlatform() + ") do not load: " + e;
        }
        if (avcodec_find_encoder_by_name("libopus") == null) {
            return "this FFmpeg build has no libopus encoder";
        }
        if (avcodec_find_decoder_by_name("libopus") == null) {
            return "this FFmpeg build has no libopus decoder";
        }
        return null;
    }

    static String errorString(int rc) {
        BytePointer buf = new BytePointer(256);
        try {
            return av_strerror(rc, buf, 256) == 0 ? buf.getString() + " (" + rc + ")" : "error " + rc;
        } finally {
            buf.close();
        }
    }

    /**
     * Reads the pointer stored at {@code struct + offset}. JavaCPP's accessors such as
     * {@code AVPacket.data()} allocate a new Java object per call; this does not.
     */
    static long readPointer(ByteView view, Pointer struct, int offset) {
        return view.at(struct.address() + offset, Long.BYTES).getLong(0);
    }

    /** A byte window onto native memory, re-aimed without allocating (hot paths reuse one). */
    static final class ByteView extends BytePointer {
        ByteView at(long addr, long bytes) {
            address = addr;
            position = 0;
            limit = bytes;
            capacity = bytes;
            return this;
        }
    }

    /** A window of 16-bit samples onto native memory, re-aimed without allocating. */
    static final class ShortView extends ShortPointer {
        ShortView at(long addr, long shorts) {
            address = addr;
            position = 0;
            limit = shorts;
            capacity = shorts;
            return this;
        }
    }
}
