package org.spicecodec.lz4;

import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Objects;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.spicecodec.core.MalformedInputException;

/**
 * Raw LZ4 <em>blocks</em> (no frame, no checksum) through lz4-java, on its fastest usable
 * implementation: the JNI binding to the C library, or the pure-Java safe port when the
 * native library cannot be loaded.
 *
 * <p>Which one is used is decided once, from the system property {@value #IMPL_PROPERTY}:
 * <ul>
 * <li>{@code auto} (default): native if it loads, else Java. On JDK 24 and later the JVM
 *     warns on stderr when a library calls {@code System.loadLibrary} without native access
 *     being enabled, so {@code auto} then stays on Java unless lz4-java's module has native
 *     access ({@code --enable-native-access=ALL-UNNAMED}, or the module's name), or the
 *     library was already loaded in this JVM (the warning has then been shown);</li>
 * <li>{@code native}: native, even with that warning; Java if it cannot load (logged as a
 *     warning);</li>
 * <li>{@code java}: always the pure-Java port.</li>
 * </ul>
 * The choice is logged once at INFO through {@link System.Logger} and is available from
 * {@link #implementationName()}.
 *
 * <p>Only lz4-java's {@code safeInstance()} is used for Java: in lz4-java 1.13.0
 * {@code unsafeInstance()} and {@code fastestJavaInstance()} resolve to it anyway, and the
 * {@code sun.misc.Unsafe} code paths warn on recent JDKs. Decompression always goes through
 * the <em>safe</em> decompressor, which bounds every write and read.
 *
 * <p>Instances are immutable and thread-safe (lz4-java's compressors and decompressors are).
 */
public final class Lz4Codec {
    /** System property choosing the implementation: {@code auto}, {@code native} or {@code java}. */
    public static final String IMPL_PROPERTY = "spicecodec.lz4.impl";

    /** Returned by {@link #compress} when the block does not fit in the space given. */
    public static final int DOES_NOT_FIT = -1;

    /** The two lz4-java implementations this class uses. */
    public enum Impl {
        /** JNI binding to the C library. */
        NATIVE,
        /** lz4-java's pure-Java safe port. */
        JAVA
    }

    private static final System.Logger LOG = System.getLogger(Lz4Codec.class.getName());

    private static volatile Lz4Codec defaultCodec;
    private static Lz4Codec javaCodec;
    private static Lz4Codec nativeCodec;
    private static Throwable nativeFailure;

    private final Impl impl;
    private final LZ4Compressor compressor;
    private final LZ4SafeDecompressor decompressor;

    private Lz4Codec(Impl impl, LZ4Factory factory) {
        this.impl = impl;
        this.compressor = factory.fastCompressor();
        this.decompressor = factory.safeDecompressor();
    }

    /**
     * The process-wide codec chosen by {@value #IMPL_PROPERTY} (read on the first call).
     * Logs the choice once at INFO.
     */
    public static Lz4Codec getDefault() {
        Lz4Codec c = defaultCodec;
        if (c == null) {
            synchronized (Lz4Codec.class) {
                c = defaultCodec;
                if (c == null) {
                    c = select(System.getProperty(IMPL_PROPERTY, "auto"));
                    defaultCodec = c;
                }
            }
        }
        return c;
    }

    /**
     * A codec for the setting {@code auto}, {@code native} or {@code java}, chosen as described
     * in the class comment (the same choice {@link #getDefault()} makes from the property),
     * and logged at INFO. An unknown setting is logged as a warning and taken as {@code auto}.
     */
    public static synchronized Lz4Codec select(String setting) {
        String s = setting == null ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
        Lz4Codec c;
        String why;
        switch (s) {
            case "java" -> {
                c = of(Impl.JAVA);
                why = IMPL_PROPERTY + "=java";
            }
            case "native" -> {
                if (nativeAvailable()) {
                    c = of(Impl.NATIVE);
                    why = IMPL_PROPERTY + "=native";
                } else {
                    LOG.log(System.Logger.Level.WARNING, "spicecodec LZ4: " + IMPL_PROPERTY
                            + "=native, but the native library cannot be loaded (" + nativeFailure + "); using Java");
                    c = of(Impl.JAVA);
                    why = "native unavailable";
                }
            }
            default -> {
                if (!s.equals("auto")) {
                    LOG.log(System.Logger.Level.WARNING, "spicecodec LZ4: unknown " + IMPL_PROPERTY + " value '"
                            + setting + "' (auto, native or java); using auto");
                }
                if (!nativeAccessAllowedQuietly()) {
                    c = of(Impl.JAVA);
                    why = "native access not enabled for lz4-java on this JDK; run with "
                            + "--enable-native-access=ALL-UNNAMED or " + IMPL_PROPERTY + "=native to use JNI";
                } else if (nativeAvailable()) {
                    c = of(Impl.NATIVE);
                    why = "auto";
                } else {
                    c = of(Impl.JAVA);
                    why = "native library unavailable: " + nativeFailure;
                }
            }
        }
        LOG.log(System.Logger.Level.INFO, "spicecodec LZ4: using " + c.implementationName() + " (" + why + ")");
        return c;
    }

    /**
     * The codec on {@code impl}; does not log.
     *
     * @throws IllegalStateException if {@code impl} is {@link Impl#NATIVE} and the native
     *         library cannot be loaded here
     */
    public static synchronized Lz4Codec of(Impl impl) {
        Objects.requireNonNull(impl, "impl");
        if (impl == Impl.JAVA) {
            if (javaCodec == null) {
                javaCodec = new Lz4Codec(Impl.JAVA, LZ4Factory.safeInstance());
            }
            return javaCodec;
        }
        if (!nativeAvailable()) {
            throw new IllegalStateException("lz4-java's native library cannot be loaded: " + nativeFailure, nativeFailure);
        }
        return nativeCodec;
    }

    /** Whether lz4-java's JNI library loads on this machine (tries once, then remembers). */
    public static synchronized boolean nativeAvailable() {
        if (nativeCodec == null && nativeFailure == null) {
            try {
                LZ4Factory f = LZ4Factory.nativeInstance();
                Lz4Codec c = new Lz4Codec(Impl.NATIVE, f);
                // A broken library can load but fail on first use; probe it once.
                byte[] probe = new byte[64];
                byte[] packed = new byte[c.maxCompressedLength(probe.length)];
                int n = c.compressor.compress(probe, 0, probe.length, packed, 0, packed.length);
                if (c.decompressor.decompress(packed, 0, n, new byte[64], 0, 64) != 64) {
                    throw new IllegalStateException("native LZ4 self-test failed");
                }
                nativeCodec = c;
            } catch (Throwable t) { // UnsatisfiedLinkError, IllegalCallerException, ...
                nativeFailure = t;
            }
        }
        return nativeCodec != null;
    }

    /**
     * False on JDK 22+ when lz4-java's module does not have native access, so that loading
     * its library would print the JVM's restricted-method warning (JDK 24+) or fail (later).
     */
    private static boolean nativeAccessAllowedQuietly() {
        if (Runtime.version().feature() < 24) {
            return true;
        }
        try {
            Method m = Module.class.getMethod("isNativeAccessEnabled");
            return (Boolean) m.invoke(LZ4Factory.class.getModule());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true;
        }
    }

    /** Which implementation this codec uses. */
    public Impl impl() {
        return impl;
    }

    /** A short name for logs: {@code "native (JNI)"} or {@code "java (safe)"}. */
    public String implementationName() {
        return impl == Impl.NATIVE ? "native (JNI)" : "java (safe)";
    }

    /** LZ4's worst-case block size for {@code length} input bytes: {@code n + n/255 + 16}. */
    public int maxCompressedLength(int length) {
        return compressor.maxCompressedLength(length);
    }

    /**
     * Compresses {@code src[srcOff, srcOff + srcLen)} into one LZ4 block (acceleration 1, as
     * {@code LZ4_compress_default}) at {@code dst[dstOff]}, using at most {@code maxDstLen} bytes.
     * When {@code maxDstLen} is below {@link #maxCompressedLength} and the block does not fit,
     * lz4-java reports it with an exception, which costs an allocation; callers on a hot path
     * use the variant with a scratch buffer.
     *
     * @return the block length, or {@link #DOES_NOT_FIT}
     */
    public int compress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int maxDstLen) {
        Objects.checkFromIndexSize(srcOff, srcLen, src.length);
        Objects.checkFromIndexSize(dstOff, maxDstLen, dst.length);
        if (maxDstLen <= 0) {
            return DOES_NOT_FIT;
        }
        try {
            int n = compressor.compress(src, srcOff, srcLen, dst, dstOff, maxDstLen);
            return n > 0 ? n : DOES_NOT_FIT;
        } catch (LZ4Exception e) {
            // lz4-java signals "maxDestLen is too small" this way, for both implementations.
            return DOES_NOT_FIT;
        }
    }

    /**
     * {@link #compress(byte[], int, int, byte[], int, int)} without the exception: when the
     * space given may be too small, the block is compressed into {@code scratch} (which must
     * hold {@link #maxCompressedLength}{@code (srcLen)} bytes in that case; it is not read when
     * {@code maxDstLen} is already that large) and copied to {@code dst} only if it fits. The
     * bytes written are the same: LZ4's output does not depend on the space limit, only
     * whether it succeeds does.
     */
    int compress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int maxDstLen, byte[] scratch) {
        Objects.checkFromIndexSize(srcOff, srcLen, src.length);
        Objects.checkFromIndexSize(dstOff, maxDstLen, dst.length);
        if (maxDstLen <= 0) {
            return DOES_NOT_FIT;
        }
        int worst = maxCompressedLength(srcLen);
        if (maxDstLen >= worst) {
            // cannot fail: straight into the destination
            return compressor.compress(src, srcOff, srcLen, dst, dstOff, maxDstLen);
        }
        if (scratch.length < worst) {
            throw new IllegalArgumentException("scratch of " + scratch.length + " bytes, " + worst + " needed");
        }
        int n = compressor.compress(src, srcOff, srcLen, scratch, 0, worst);
        if (n <= 0 || n > maxDstLen) {
            return DOES_NOT_FIT;
        }
        System.arraycopy(scratch, 0, dst, dstOff, n);
        return n;
    }

    /**
     * Decompresses one whole LZ4 block {@code src[srcOff, srcOff + srcLen)} into
     * {@code dst[dstOff, dstOff + maxDstLen)} with the safe decoder. The block cannot refer to
     * bytes before {@code dstOff}.
     *
     * @param reportOffset where the block starts in the caller's stream, for the exception
     * @return the number of bytes written, {@code >= 0}
     * @throws MalformedInputException if the block is corrupt or decodes to more than
     *         {@code maxDstLen} bytes; lz4-java's exception is never let through
     */
    public int decompress(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, int maxDstLen, long reportOffset) {
        Objects.checkFromIndexSize(srcOff, srcLen, src.length);
        Objects.checkFromIndexSize(dstOff, maxDstLen, dst.length);
        try {
            int n = decompressor.decompress(src, srcOff, srcLen, dst, dstOff, maxDstLen);
            if (n < 0 || n > maxDstLen) {
                throw new MalformedInputException(reportOffset, "corrupt LZ4 block");
            }
            return n;
        } catch (LZ4Exception e) {
            throw new MalformedInputException(reportOffset, "corrupt LZ4 block of " + srcLen + " bytes"
                    + (e.getMessage() != null ? ": " + e.getMessage() : ""));
        } catch (IndexOutOfBoundsException e) {
            // Not expected from the safe decoder with valid ranges; bad data must still only
            // ever surface as MalformedInputException.
            throw new MalformedInputException(reportOffset, "corrupt LZ4 block of " + srcLen + " bytes");
        }
    }

    @Override
    public String toString() {
        return "Lz4Codec[" + implementationName() + "]";
    }
}
