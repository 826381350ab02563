package org.spicecodec.lz4;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import org.spicecodec.core.MalformedInputException;

/**
 * LZ4 on the spicevmc channels (USB redirection, ports, smartcard, webdav): the sender and
 * receiver rules of spice-server's {@code spicevmc.cpp} and spice-gtk's
 * {@code channel-usbredir.c}.
 *
 * <p>A payload travels either as a {@link #MSG_DATA DATA} message, as it is, or as a
 * {@link #MSG_COMPRESSED_DATA COMPRESSED_DATA} message whose body is
 *
 * <pre>
 * u8      type               {@link #TYPE_NONE} 0 or {@link #TYPE_LZ4} 1
 * u32 LE  uncompressed_size  only when type is not NONE
 * ...     compressed_data    the rest: one raw LZ4 block (no frame, no magic, no checksum)
 * </pre>
 *
 * <p>Sending: {@link #compress} compresses payloads of more than {@value #COMPRESS_THRESHOLD}
 * bytes with the default LZ4 compressor, and says {@link #SEND_AS_DATA} when the payload is
 * too small, or LZ4 fails or does not make it strictly smaller; the caller then sends the
 * payload as DATA. Whether to compress at all is the caller's decision, as in SPICE: only
 * when the peer announced {@link #CAP_DATA_COMPRESS_LZ4}, never on a UNIX-domain socket, and
 * (client side) not for USB devices with isochronous endpoints.
 *
 * <p>Receiving: {@link #decompress} rejects, with {@link MalformedInputException}, an unknown
 * type, an {@code uncompressed_size} of 0, above the configured maximum or above 255 times
 * the compressed size (LZ4 cannot expand more), a corrupt block and a block that does not
 * decode to exactly {@code uncompressed_size} bytes. The size is checked before anything is
 * allocated. A body of type NONE is accepted and yields the bytes after the type (spice.proto
 * defines it; reference peers never send it).
 *
 * <p>Instances are thread-safe; each keeps one scratch buffer for compression (see {@link #compress}).
 */
public final class VmcLz4 {
    /** Message id of a payload sent as it is. */
    public static final int MSG_DATA = 101;
    /** Message id of a payload sent compressed. */
    public static final int MSG_COMPRESSED_DATA = 102;
    /** {@code SPICE_DATA_COMPRESSION_TYPE_NONE}. */
    public static final int TYPE_NONE = 0;
    /** {@code SPICE_DATA_COMPRESSION_TYPE_LZ4}. */
    public static final int TYPE_LZ4 = 1;
    /** Capability bit of the spicevmc channel: {@code SPICEVMC_CAP_DATA_COMPRESS_LZ4}. */
    public static final int CAP_DATA_COMPRESS_LZ4 = 0;
    /** Payloads of this many bytes or fewer are never compressed. */
    public static final int COMPRESS_THRESHOLD = 1000;
    /** Bytes before the LZ4 block in an LZ4 body: type and uncompressed_size. */
    public static final int LZ4_HEADER_LENGTH = 5;
    /** The largest payload spice-server reads from a device at once: 64 KiB + 32. */
    public static final int SERVER_MAX_PAYLOAD = 64 * 1024 + 32;
    /** Default bound on {@code uncompressed_size}: 64 MiB. */
    public static final int DEFAULT_MAX_UNCOMPRESSED_SIZE = 64 << 20;
    /** Returned by {@link #compress} when the payload should be sent as DATA. */
    public static final int SEND_AS_DATA = -1;

    /** A message to send: its id ({@link #MSG_DATA} or {@link #MSG_COMPRESSED_DATA}) and body. */
    public record Message(int type, byte[] body) {
        public Message {
            if (type != MSG_DATA && type != MSG_COMPRESSED_DATA) {
                throw new IllegalArgumentException("not a spicevmc data message: " + type);
            }
            Objects.requireNonNull(body, "body");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Message m && m.type == type && Arrays.equals(m.body, body);
        }

        @Override
        public int hashCode() {
            return type * 31 + Arrays.hashCode(body);
        }

        @Override
        public String toString() {
            return "Message[" + (type == MSG_DATA ? "DATA" : "COMPRESSED_DATA") + ", " + body.length + " bytes]";
        }
    }

    private final Lz4Codec codec;
    private final int maxUncompressedSize;
    /**
     * One scratch block buffer per instance, borrowed by taking it out (getAndSet null) and put
     * back after use: no allocation when uncontended, and a thread finding it taken allocates
     * its own for that call, so no thread ever waits. Unlike a ThreadLocal, this holds one
     * buffer per instance however many threads pass through, and none is left in pool threads.
     */
    private final AtomicReference<byte[]> scratch = new AtomicReference<>(new byte[0]);
    /** Scratch buffers above this size are not kept (one-off huge payloads). */
    static final int MAX_KEPT_SCRATCH = 1 << 20;

    /** {@link #DEFAULT_MAX_UNCOMPRESSED_SIZE} on {@link Lz4Codec#getDefault()}. */
    public VmcLz4() {
        this(Lz4Codec.getDefault(), DEFAULT_MAX_UNCOMPRESSED_SIZE);
    }

    /**
     * @param maxUncompressedSize the largest {@code uncompressed_size} a receiver accepts; a
     *        client talking to spice-server can use {@link #SERVER_MAX_PAYLOAD}
     */
    public VmcLz4(Lz4Codec codec, int maxUncompressedSize) {
        this.codec = Objects.requireNonNull(codec, "codec");
        if (maxUncompressedSize < 1) {
            throw new IllegalArgumentException("maxUncompressedSize must be positive: " + maxUncompressedSize);
        }
        this.maxUncompressedSize = maxUncompressedSize;
    }

    public Lz4Codec codec() {
        return codec;
    }

    public int maxUncompressedSize() {
        return maxUncompressedSize;
    }

    /** Whether a payload of this size is worth trying: more than {@value #COMPRESS_THRESHOLD} bytes. */
    public static boolean shouldCompress(int payloadLength) {
        return payloadLength > COMPRESS_THRESHOLD;
    }

    /**
     * The space {@link #compress} needs at {@code dst}: a body is only written when its block
     * is smaller than the payload, so the header plus {@code payloadLength - 1} bytes.
     */
    public static int maxBodyLength(int payloadLength) {
        return LZ4_HEADER_LENGTH + Math.max(payloadLength - 1, 0);
    }

    // ---- sending ----

    /**
     * Writes the COMPRESSED_DATA body for {@code src[off, off + len)} at {@code dst[dstOff]},
     * or decides that the payload goes as DATA.
     *
     * @return the body length, or {@link #SEND_AS_DATA} (payload of 1000 bytes or fewer, or
     *         LZ4 did not make it smaller); {@code dst} is then undefined from {@code dstOff}
     * @throws IllegalArgumentException if {@code dst} has fewer than {@link #maxBodyLength}
     *         bytes from {@code dstOff}
     */
    public int compress(byte[] src, int off, int len, byte[] dst, int dstOff) {
        Objects.checkFromIndexSize(off, len, src.length);
        if (!shouldCompress(len)) {
            return SEND_AS_DATA;
        }
        int need = maxBodyLength(len);
        if (dstOff < 0 || dst.length - dstOff < need) {
            throw new IllegalArgumentException("destination has " + (dst.length - dstOff) + " bytes from offset "
                    + dstOff + ", a body for " + len + " bytes needs " + need);
        }
        // Limiting the block to len - 1 bytes makes "did not shrink" and "did not fit" the same
        // test, and lets the compressor give up early on incompressible data.
        // The block goes to a scratch buffer large enough for any result and is copied only when
        // smaller than the payload; compressing straight into dst with that limit would make
        // lz4-java throw (and allocate) for every payload that does not shrink.
        int worst = codec.maxCompressedLength(len);
        byte[] kept = scratch.getAndSet(null);
        byte[] buf = kept != null && kept.length >= worst ? kept : new byte[worst];
        int n = codec.compress(src, off, len, dst, dstOff + LZ4_HEADER_LENGTH, len - 1, buf);
        byte[] back = buf.length <= MAX_KEPT_SCRATCH ? buf : kept;
        if (back != null) {
            // only into an empty slot: a concurrent caller may have put one back already
            scratch.compareAndSet(null, back);
        }
        if (n <= 0) {
            return SEND_AS_DATA;
        }
        dst[dstOff] = TYPE_LZ4;
        dst[dstOff + 1] = (byte) len;
        dst[dstOff + 2] = (byte) (len >>> 8);
        dst[dstOff + 3] = (byte) (len >>> 16);
        dst[dstOff + 4] = (byte) (len >>> 24);
        return LZ4_HEADER_LENGTH + n;
    }

    /**
     * The message to send for {@code payload}: COMPRESSED_DATA when that is smaller, else DATA
     * with the payload array itself as body (not copied).
     */
    public Message encode(byte[] payload) {
        if (!shouldCompress(payload.length)) {
            return new Message(MSG_DATA, payload);
        }
        byte[] body = new byte[maxBodyLength(payload.length)];
        int n = compress(payload, 0, payload.length, body, 0);
        return n == SEND_AS_DATA ? new Message(MSG_DATA, payload) : new Message(MSG_COMPRESSED_DATA, Arrays.copyOf(body, n));
    }

    // ---- receiving ----

    /**
     * Validates the header of the COMPRESSED_DATA body {@code body[off, off + len)} and returns
     * the payload size it announces: {@code uncompressed_size}, or {@code len - 1} for type NONE.
     *
     * @throws MalformedInputException if the body is truncated, of an unknown type, or its
     *         size is 0, over {@link #maxUncompressedSize()} or over 255 times the block size
     */
    public int uncompressedSize(byte[] body, int off, int len) {
        Objects.checkFromIndexSize(off, len, body.length);
        if (len < 1) {
            throw new MalformedInputException(0, "empty COMPRESSED_DATA body");
        }
        int type = body[off] & 0xFF;
        if (type == TYPE_NONE) {
            return len - 1;
        }
        if (type != TYPE_LZ4) {
            throw new MalformedInputException(0, "unknown data compression type " + type);
        }
        if (len < LZ4_HEADER_LENGTH) {
            throw new MalformedInputException(len, "truncated header: " + len + " of " + LZ4_HEADER_LENGTH + " bytes");
        }
        long size = (body[off + 1] & 0xFFL) | (body[off + 2] & 0xFFL) << 8 | (body[off + 3] & 0xFFL) << 16
                | (body[off + 4] & 0xFFL) << 24;
        int blockLen = len - LZ4_HEADER_LENGTH;
        if (size == 0) {
            throw new MalformedInputException(1, "uncompressed_size is 0");
        }
        if (size > maxUncompressedSize) {
            throw new MalformedInputException(1, "uncompressed_size " + size + " exceeds the limit of " + maxUncompressedSize);
        }
        if (size > 255L * blockLen) {
            throw new MalformedInputException(1, "uncompressed_size " + size + " is more than LZ4 can make of "
                    + blockLen + " bytes");
        }
        return (int) size;
    }

    /**
     * Decompresses the COMPRESSED_DATA body {@code body[off, off + len)} into
     * {@code dst[dstOff, ...)}.
     *
     * @return the payload length
     * @throws MalformedInputException on any bad data (see the class comment)
     * @throws IllegalArgumentException if {@code dst} has less room than
     *         {@link #uncompressedSize} says
     */
    public int decompress(byte[] body, int off, int len, byte[] dst, int dstOff) {
        int size = uncompressedSize(body, off, len);
        if (dstOff < 0 || dst.length - dstOff < size) {
            throw new IllegalArgumentException("destination has " + (dst.length - dstOff) + " bytes from offset "
                    + dstOff + ", the payload has " + size);
        }
        if ((body[off] & 0xFF) == TYPE_NONE) {
            System.arraycopy(body, off + 1, dst, dstOff, size);
            return size;
        }
        int got = codec.decompress(body, off + LZ4_HEADER_LENGTH, len - LZ4_HEADER_LENGTH, dst, dstOff, size,
                LZ4_HEADER_LENGTH);
        if (got != size) {
            throw new MalformedInputException(len, "LZ4 block decodes to " + got + " bytes, uncompressed_size is " + size);
        }
        return size;
    }

    /** {@link #decompress(byte[], int, int, byte[], int)} into a new array of the payload's size. */
    public byte[] decompress(byte[] body, int off, int len) {
        byte[] out = new byte[uncompressedSize(body, off, len)];
        decompress(body, off, len, out, 0);
        return out;
    }

    /** The payload of a whole COMPRESSED_DATA body. */
    public byte[] decompress(byte[] body) {
        return decompress(body, 0, body.length);
    }

    /** The payload carried by a received message of either kind (DATA's body is returned as is). */
    public byte[] decode(Message message) {
        return message.type() == MSG_DATA ? message.body() : decompress(message.body());
    }
}
