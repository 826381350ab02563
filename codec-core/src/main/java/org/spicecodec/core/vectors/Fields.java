package org.spicecodec.core.vectors;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Typed access to one parsed JSON object of a manifest. Every error names the JSON path of
 * the offending field (for example {@code vectors[3].decodes[0].sha256}), so a broken
 * manifest can be fixed without a debugger.
 */
final class Fields {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    final String path;
    final Map<String, Object> map;

    private Fields(String path, Map<String, Object> map) {
        this.path = path;
        this.map = map;
    }

    @SuppressWarnings("unchecked")
    static Fields of(Object value, String path) {
        if (!(value instanceof Map)) {
            throw new VectorSetException(path + ": expected an object, found " + kind(value));
        }
        return new Fields(path, (Map<String, Object>) value);
    }

    private String at(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private Object required(String key) {
        if (!map.containsKey(key)) {
            throw new VectorSetException(at(key) + ": missing");
        }
        Object v = map.get(key);
        if (v == null) {
            throw new VectorSetException(at(key) + ": must not be null");
        }
        return v;
    }

    boolean isNull(String key) {
        return map.get(key) == null;
    }

    String string(String key) {
        Object v = required(key);
        if (!(v instanceof String s)) {
            throw new VectorSetException(at(key) + ": expected a string, found " + kind(v));
        }
        return s;
    }

    String optString(String key) {
        return isNull(key) ? null : string(key);
    }

    String sha256(String key) {
        String s = string(key);
        if (!SHA256.matcher(s).matches()) {
            throw new VectorSetException(at(key) + ": expected 64 lowercase hex digits, found \"" + s + "\"");
        }
        return s;
    }

    long longValue(String key, long min, long max) {
        Object v = required(key);
        if (!(v instanceof Long l)) {
            throw new VectorSetException(at(key) + ": expected an integer, found " + kind(v));
        }
        if (l < min || l > max) {
            throw new VectorSetException(at(key) + ": " + l + " is outside [" + min + ", " + max + "]");
        }
        return l;
    }

    int intValue(String key, int min, int max) {
        return (int) longValue(key, min, max);
    }

    Long optLong(String key, long min, long max) {
        return isNull(key) ? null : longValue(key, min, max);
    }

    boolean bool(String key) {
        Object v = required(key);
        if (!(v instanceof Boolean b)) {
            throw new VectorSetException(at(key) + ": expected true or false, found " + kind(v));
        }
        return b;
    }

    Boolean optBool(String key) {
        return isNull(key) ? null : bool(key);
    }

    Fields object(String key) {
        return of(required(key), at(key));
    }

    Fields optObject(String key) {
        return isNull(key) ? null : object(key);
    }

    @SuppressWarnings("unchecked")
    List<Object> list(String key) {
        Object v = required(key);
        if (!(v instanceof List)) {
            throw new VectorSetException(at(key) + ": expected an array, found " + kind(v));
        }
        return (List<Object>) v;
    }

    /** The elements of an array of objects, each with its indexed path. */
    List<Fields> objects(String key) {
        List<Object> raw = list(key);
        List<Fields> out = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            out.add(of(raw.get(i), at(key) + "[" + i + "]"));
        }
        return out;
    }

    List<String> strings(String key) {
        List<Object> raw = list(key);
        List<String> out = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            if (!(raw.get(i) instanceof String s)) {
                throw new VectorSetException(at(key) + "[" + i + "]: expected a string, found " + kind(raw.get(i)));
            }
            out.add(s);
        }
        return Collections.unmodifiableList(out);
    }

    /** An array of ints, each in [min, max]. */
    List<Integer> ints(String key, int min, int max) {
        List<Object> raw = list(key);
        List<Integer> out = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            Object v = raw.get(i);
            if (!(v instanceof Long l) || l < min || l > max) {
                throw new VectorSetException(at(key) + "[" + i + "]: expected an integer in [" + min + ", " + max
                        + "], found " + (v instanceof Long ? v : kind(v)));
            }
            out.add((int) (long) l);
        }
        return Collections.unmodifiableList(out);
    }

    /** A fresh error about a field of this object. */
    VectorSetException invalid(String key, String message) {
        return new VectorSetException(at(key) + ": " + message);
    }

    static String kind(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return "string \"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
        }
        if (v instanceof Long || v instanceof Double) {
            return "number " + v;
        }
        if (v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof List) {
            return "an array";
        }
        return "an object";
    }
}
