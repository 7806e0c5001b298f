package dev.jgi.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** application/x-www-form-urlencoded parsing. */
class QueryStringTest {

    @Test
    void repeatedKeysKeepTheirOrder() {
        Map<String, List<String>> p = QueryString.parse("b=2&a=1&b=3&c=");
        assertEquals(List.of("b", "a", "c"), List.copyOf(p.keySet()));
        assertEquals(List.of("2", "3"), p.get("b"));
        assertEquals(List.of("1"), p.get("a"));
        assertEquals(List.of(""), p.get("c"));
        p.put("d", List.of("mutable"));
    }

    @Test
    void emptyInput() {
        assertEquals(Map.of(), QueryString.parse(""));
        assertEquals(Map.of(), QueryString.parse(null));
        assertEquals(Map.of(), QueryString.parse("&&&"));
    }

    @ParameterizedTest(name = "{0} -> [{1}] = [{2}]")
    @CsvSource(delimiter = '|', value = {
        // structure
        "k|k|''",
        "k=|k|''",
        "=v|''|v",
        "k=a=b|k|a=b",
        "a=1&&k=2&|k|2",
        "k=1;x=2|k|1;x=2",
        // '+' and escapes
        "k=a+b|k|a b",
        "k=a%2Bb|k|a+b",
        "k=%26%3D|k|&=",
        "a+b=1|a b|1",
        "%61%62=1|ab|1",
        "k=%C3%A9|k|é",
        "k=%c3%a9|k|é",
        "k=%F0%9F%98%80|k|😀",
        "k=é|k|é",
        "k=😀x|k|😀x",
        // malformed escapes stay as they are
        "k=%|k|%",
        "k=%4|k|%4",
        "k=%zz|k|%zz",
        "k=%%41|k|%A",
        "k=100%|k|100%",
        "k=%4g|k|%4g",
        "k=%٣٣|k|%٣٣",
        // invalid UTF-8 becomes U+FFFD
        "k=%FF|k|\uFFFD",
        "k=%C3|k|\uFFFD",
        "k=%C3x|k|\uFFFDx",
        "k=%C0%AF|k|\uFFFD\uFFFD",
    })
    void decodesOneParameter(String query, String key, String value) {
        Map<String, List<String>> p = QueryString.parse(query);
        assertEquals(List.of(value), p.get(key), String.valueOf(p));
    }

    @Test
    void malformedEscapeAtTheEndOfAKeyDoesNotEatTheSeparator() {
        Map<String, List<String>> p = QueryString.parse("a%=1&b%2=2");
        assertEquals(List.of("1"), p.get("a%"));
        assertEquals(List.of("2"), p.get("b%2"));
    }

    @Test
    void encodedSurrogateIsReplacedNotDecoded() {
        // how many U+FFFD an invalid sequence becomes is the decoder's choice; that it is no surrogate is not
        String v = QueryString.parse("k=a%ED%A0%80b").get("k").get(0);
        assertTrue(v.matches("a\uFFFD+b"), v);
    }

    @Test
    void first() {
        Map<String, List<String>> p = QueryString.parse("a=1&a=2");
        assertEquals("1", QueryString.first(p, "a"));
        assertNull(QueryString.first(p, "b"));
        Map<String, List<String>> empty = new LinkedHashMap<>();
        empty.put("x", List.of());
        assertNull(QueryString.first(empty, "x"));
    }
}
