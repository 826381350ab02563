package org.spicecodec.corpus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Just enough JSON for reading MANIFEST.json in tests: objects, arrays, strings, numbers, literals. */
final class MiniJson {
    private final String s;
    private int p;

    private MiniJson(String s) {
        this.s = s;
    }

    static Object parse(String text) {
        MiniJson j = new MiniJson(text);
        Object v = j.value();
        j.ws();
        if (j.p != text.length()) {
            throw j.error("trailing text");
        }
        return v;
    }

    private Object value() {
        ws();
        char c = s.charAt(p);
        switch (c) {
            case '{': {
                p++;
                Map<String, Object> m = new LinkedHashMap<>();
                ws();
                if (s.charAt(p) == '}') {
                    p++;
                    return m;
                }
                do {
                    ws();
                    String k = string();
                    ws();
                    expect(':');
                    m.put(k, value());
                    ws();
                } while (s.charAt(p++) == ',');
                if (s.charAt(p - 1) != '}') {
                    throw error("expected }");
                }
                return m;
            }
            case '[': {
                p++;
                List<Object> a = new ArrayList<>();
                ws();
                if (s.charAt(p) == ']') {
                    p++;
                    return a;
                }
                do {
                    a.add(value());
                    ws();
                } while (s.charAt(p++) == ',');
                if (s.charAt(p - 1) != ']') {
                    throw error("expected ]");
                }
                return a;
            }
            case '"':
                return string();
            default:
                if (s.startsWith("true", p)) {
                    p += 4;
                    return Boolean.TRUE;
                }
                if (s.startsWith("false", p)) {
                    p += 5;
                    return Boolean.FALSE;
                }
                if (s.startsWith("null", p)) {
                    p += 4;
                    return null;
                }
                int start = p;
                while (p < s.length() && "+-0123456789.eE".indexOf(s.charAt(p)) >= 0) {
                    p++;
                }
                if (start == p) {
                    throw error("unexpected character");
                }
                return Double.parseDouble(s.substring(start, p));
        }
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = s.charAt(p++);
            if (c == '"') {
                return b.toString();
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = s.charAt(p++);
            switch (e) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'u' -> {
                    b.append((char) Integer.parseInt(s.substring(p, p + 4), 16));
                    p += 4;
                }
                default -> b.append(e);
            }
        }
    }

    private void expect(char c) {
        if (s.charAt(p) != c) {
            throw error("expected " + c);
        }
        p++;
    }

    private void ws() {
        while (p < s.length() && Character.isWhitespace(s.charAt(p))) {
            p++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at offset " + p);
    }
}
