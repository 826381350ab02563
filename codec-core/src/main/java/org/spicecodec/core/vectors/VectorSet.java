package org.spicecodec.core.vectors;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A set of golden vectors: a directory with a {@code manifest.json} and the files it lists
 * (the layout described in the set's README).
 *
 * <p>{@link #load} checks the manifest's structure; the {@code read*} methods check each
 * file's size and sha256 against the manifest as they read it, so a test never runs on a
 * silently damaged file. Instances are immutable and thread-safe.
 */
public final class VectorSet {
    /** The only manifest format this reader understands. */
    public static final int FORMAT_VERSION = 1;

    private final Path dir;
    private final String setName;
    private final Map<String, Object> manifest;
    private final List<Vector> vectors;
    private final List<GlzSequence> glzSequences;
    private final Map<String, Vector> byId;

    private VectorSet(Path dir, String setName, Map<String, Object> manifest, List<Vector> vectors,
                      List<GlzSequence> glzSequences) {
        this.dir = dir;
        this.setName = setName;
        this.manifest = manifest;
        this.vectors = vectors;
        this.glzSequences = glzSequences;
        Map<String, Vector> ids = new HashMap<>();
        for (Vector v : allVectors()) {
            if (ids.put(v.id(), v) != null) {
                throw new VectorSetException("duplicate vector id " + v.id());
            }
        }
        this.byId = ids;
    }

    /**
     * Reads and checks {@code dir/manifest.json}. Files are not read until asked for.
     *
     * @throws NoSuchFileException if there is no manifest
     * @throws VectorSetException  if the manifest is not valid JSON (the cause is then a
     *                             {@link JsonException}) or not a valid manifest
     */
    public static VectorSet load(Path dir) throws IOException {
        Path file = dir.resolve("manifest.json");
        byte[] bytes = Files.readAllBytes(file);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new VectorSetException(file + " is not valid UTF-8", e);
        }
        Object root;
        try {
            root = Json.parse(text);
        } catch (JsonException e) {
            throw new VectorSetException(file + ": " + e.getMessage(), e);
        }
        try {
            return fromManifest(dir, root);
        } catch (VectorSetException e) {
            throw new VectorSetException(file + ": " + e.getMessage(), e);
        }
    }

    private static VectorSet fromManifest(Path dir, Object root) {
        Fields top = Fields.of(root, "");
        long version = top.longValue("format_version", 0, Long.MAX_VALUE);
        if (version != FORMAT_VERSION) {
            throw top.invalid("format_version", version + " is not supported (this reader knows " + FORMAT_VERSION + ")");
        }
        String setName = top.optString("set");
        List<Vector> vectors = new ArrayList<>();
        for (Fields f : top.objects("vectors")) {
            vectors.add(Vector.from(f, f.string("id"), f.string("codec")));
        }
        List<GlzSequence> sequences = new ArrayList<>();
        if (top.map.containsKey("glz_sequences")) {
            for (Fields s : top.objects("glz_sequences")) {
                sequences.add(glzSequence(s));
            }
        }
        return new VectorSet(dir, setName, Collections.unmodifiableMap(top.map),
                Collections.unmodifiableList(vectors), Collections.unmodifiableList(sequences));
    }

    private static GlzSequence glzSequence(Fields s) {
        String id = s.string("id");
        List<GlzImage> images = new ArrayList<>();
        for (Fields f : s.objects("images")) {
            int index = f.intValue("index", 0, 9999);
            if (index != images.size()) {
                throw f.invalid("index", index + " is out of order, expected " + images.size());
            }
            Vector v = Vector.from(f, id + "/" + String.format("%02d", index), "glz");
            List<Integer> evicted = f.map.containsKey("evicted_during_encode")
                    ? f.ints("evicted_during_encode", 0, 9999) : List.of();
            images.add(new GlzImage(index, f.longValue("image_id", 0, Long.MAX_VALUE),
                    f.longValue("win_head_dist", 0, Long.MAX_VALUE), evicted, v));
        }
        List<String> tags = s.map.containsKey("tags") ? s.strings("tags") : List.of();
        return new GlzSequence(id, s.optString("description"), s.longValue("window_size_pixels", 1, Long.MAX_VALUE),
                s.intValue("encoder_id", 0, Integer.MAX_VALUE), s.intValue("max_encoders", 1, Integer.MAX_VALUE),
                s.longValue("first_image_id", 0, Long.MAX_VALUE), s.optString("decoder"), tags,
                Collections.unmodifiableList(images));
    }

    /** The directory the set was loaded from. */
    public Path dir() {
        return dir;
    }

    /** "public", "heldout", or {@code null} if the manifest does not say. */
    public String setName() {
        return setName;
    }

    /** The parsed manifest, for fields this reader does not model. */
    public Map<String, Object> manifest() {
        return manifest;
    }

    /** The QUIC and LZ vectors, in manifest order. */
    public List<Vector> vectors() {
        return vectors;
    }

    /** The vectors of one codec ("quic", "lz"), in manifest order. */
    public List<Vector> vectors(String codec) {
        return vectors.stream().filter(v -> v.codec().equals(codec)).toList();
    }

    public List<GlzSequence> glzSequences() {
        return glzSequences;
    }

    /** Every vector followed by every GLZ image, in manifest order. */
    public List<Vector> allVectors() {
        List<Vector> all = new ArrayList<>(vectors);
        for (GlzSequence s : glzSequences) {
            for (GlzImage i : s.images()) {
                all.add(i.vector());
            }
        }
        return all;
    }

    /** The vector or GLZ image with this id, or {@code null}. */
    public Vector find(String id) {
        return byId.get(id);
    }

    /**
     * The path of a file named in the manifest. Names that would leave the set's directory
     * (absolute, or with "..") are refused, so a hostile manifest cannot make a test read
     * arbitrary files.
     */
    public Path resolve(String file) {
        Path rel = Path.of(file);
        if (rel.isAbsolute() || file.isEmpty()) {
            throw new VectorSetException("file name " + file + " is not relative to the set");
        }
        Path base = dir.toAbsolutePath().normalize();
        Path p = base.resolve(rel).normalize();
        if (!p.startsWith(base)) {
            throw new VectorSetException("file name " + file + " leaves the set's directory");
        }
        return p;
    }

    /** The raw input of {@code v}, uncompressed, checked against the manifest's size and sha256. */
    public byte[] readInput(Vector v) throws IOException {
        return readRaw(v.input());
    }

    /** The encoder output of {@code v}, checked against the manifest's size and sha256. */
    public byte[] readEncoded(Vector v) throws IOException {
        return readFile(v.encoded());
    }

    /**
     * The stored reference output of {@code d}, uncompressed and checked, or {@code null} when
     * the set does not store it (the output must then be derived; compare its sha256).
     */
    public byte[] readDecoded(Decode d) throws IOException {
        FileRef ref = d.fileRef();
        return ref == null ? null : readRaw(ref);
    }

    /**
     * The palette entries of {@code v} ({@code 0x00RRGGBB} each), or {@code null} when it has
     * none; the file's sha256 and length are checked.
     */
    public int[] readPalette(Vector v) throws IOException {
        PaletteRef p = v.palette();
        if (p == null) {
            return null;
        }
        byte[] b = readFile(new FileRef(p.file(), (long) p.numEnts() * 4, p.sha256()));
        int[] ents = new int[p.numEnts()];
        for (int i = 0; i < ents.length; i++) {
            int o = 4 * i;
            ents[i] = (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8 | (b[o + 2] & 0xFF) << 16 | (b[o + 3] & 0xFF) << 24;
        }
        return ents;
    }

    /**
     * A gzip-wrapped file ({@code .raw.gz}), uncompressed. Its uncompressed size and sha256
     * must match {@code ref}.
     */
    public byte[] readRaw(FileRef ref) throws IOException {
        Path p = resolve(ref.file());
        if (ref.size() == null) {
            throw new VectorSetException(ref.file() + ": the manifest gives no size");
        }
        int expected = Math.toIntExact(ref.size());
        byte[] data = new byte[expected];
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p), 65536)) {
            int n = in.readNBytes(data, 0, expected);
            if (n < expected) {
                throw new DigestMismatchException(ref.file(), "size", expected + " bytes", n + " bytes");
            }
            // Count any excess rather than buffer it: a hostile file could be a gzip bomb.
            long extra = in.transferTo(OutputStream.nullOutputStream());
            if (extra > 0) {
                throw new DigestMismatchException(ref.file(), "size", expected + " bytes", (expected + extra) + " bytes");
            }
        } catch (ZipException | EOFException e) {
            throw new VectorSetException(ref.file() + ": not a valid gzip stream: " + e.getMessage(), e);
        }
        checkSha256(ref, data);
        return data;
    }

    /** A file stored as is; its size (when the manifest gives one) and sha256 must match {@code ref}. */
    public byte[] readFile(FileRef ref) throws IOException {
        Path p = resolve(ref.file());
        long actual = Files.size(p);
        if (ref.size() != null && actual != ref.size()) {
            throw new DigestMismatchException(ref.file(), "size", ref.size() + " bytes", actual + " bytes");
        }
        byte[] data = Files.readAllBytes(p);
        checkSha256(ref, data);
        return data;
    }

    private static void checkSha256(FileRef ref, byte[] data) {
        String got = sha256Hex(data, 0, data.length);
        if (!got.equals(ref.sha256())) {
            throw new DigestMismatchException(ref.file(), "sha256", ref.sha256(), got);
        }
    }

    /** The sha256 of {@code data[off, off + len)} as 64 lowercase hex digits. */
    public static String sha256Hex(byte[] data, int off, int len) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        md.update(data, off, len);
        return HexFormat.of().formatHex(md.digest());
    }
}
