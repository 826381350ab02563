package org.spicecodec.core.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @Test
    void parsesEveryKindOfValue() {
        Object v = Json.parse(" {\"a\": [1, -2, 3.5, 1e3, true, false, null], \"b\": {\"c\": \"d\"}, \"e\": []} ");
        assertThat(v).isInstanceOf(LinkedHashMap.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) v;
        assertThat(m.keySet()).containsExactly("a", "b", "e");
        @SuppressWarnings("unchecked")
        List<Object> a = (List<Object>) m.get("a");
        assertThat(a).containsExactly(1L, -2L, 3.5, 1000.0, true, false, null);
        assertThat(m.get("b")).isEqualTo(Map.of("c", "d"));
        assertThat((List<?>) m.get("e")).isEmpty();
    }

    @Test
    void keepsKeyOrder() {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Json.parse("{\"z\":1,\"a\":2,\"m\":3}");
        assertThat(m.keySet()).containsExactly("z", "a", "m");
    }

    @Test
    void integersAreLongsAndOthersDoubles() {
        assertThat(Json.parse("0")).isEqualTo(0L);
        assertThat(Json.parse("-0")).isEqualTo(0L);
        assertThat(Json.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(Json.parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(Json.parse("92233720368547758070")).isEqualTo(9.223372036854775807E19);
        assertThat(Json.parse("0.25")).isEqualTo(0.25);
        assertThat(Json.parse("2E-2")).isEqualTo(0.02);
        assertThat(Json.parse("1e+2")).isEqualTo(100.0);
    }

    @Test
    void decodesEscapes() {
        assertThat(Json.parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\u20AC\""))
                .isEqualTo("a\"b\\c/d\b\f\n\r\t\u00e9\u20ac");
        // A surrogate pair written as two escapes becomes one code point.
        assertThat(Json.parse("\"\\ud83d\\ude00\"")).isEqualTo("\uD83D\uDE00");
        assertThat(Json.parse("\"caf\u00e9 \u20ac\"")).isEqualTo("caf\u00e9 \u20ac");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", " ", "{", "[", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "{'a':1}", "01", "-", "1.", ".5", "1e",
        "+1", "tru", "nul", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\u12G4\"", "[1 2]", "{} {}", "1 x",
        "// c\n1", "NaN", "Infinity", "[1]]", "\"tab\there\"", "{\"a\":1,\"a\":2}"
    })
    void rejectsMalformedDocuments(String text) {
        assertThatThrownBy(() -> Json.parse(text))
                .isInstanceOf(JsonException.class)
                .hasMessageStartingWith("malformed JSON at line ");
    }

    @Test
    void reportsLineColumnAndOffset() {
        String text = "{\n  \"a\": 1,\n  \"b\": [1, 2,]\n}";
        assertThatThrownBy(() -> Json.parse(text))
                .isInstanceOfSatisfying(JsonException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.column()).isEqualTo(14);
                    assertThat(e.offset()).isEqualTo(text.indexOf(",]") + 1);
                })
                .hasMessageContaining("line 3, column 14")
                .hasMessageContaining("trailing comma before ']'");
    }

    @Test
    void reportsDuplicateKeyAtTheKey() {
        assertThatThrownBy(() -> Json.parse("{\"id\": 1, \"id\": 2}"))
                .isInstanceOfSatisfying(JsonException.class, e -> assertThat(e.offset()).isEqualTo(10))
                .hasMessageContaining("duplicate key \"id\"");
    }

    @Test
    void reportsUnterminatedStringAtItsStart() {
        assertThatThrownBy(() -> Json.parse("[\"ok\", \"open"))
                .isInstanceOfSatisfying(JsonException.class, e -> assertThat(e.offset()).isEqualTo(7))
                .hasMessageContaining("unterminated string");
    }

    @Test
    void limitsNestingInsteadOfOverflowingTheStack() {
        char[] deep = new char[100_000];
        Arrays.fill(deep, '[');
        assertThatThrownBy(() -> Json.parse(new String(deep)))
                .isInstanceOf(JsonException.class)
                .hasMessageContaining("nesting deeper than");
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertThat(Json.parse(ok)).isInstanceOf(List.class);
    }
}
