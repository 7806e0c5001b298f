package dev.jgi.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.Body;
import dev.jgi.Header;
import dev.jgi.ProtocolException;
import dev.jgi.testing.TestClient;
import dev.jgi.testing.TestResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wsgiref.headers-like response header list. */
class HeadersTest {

    @Test
    void lookupIsCaseInsensitiveAndOrdered() {
        Headers h = new Headers().add("Set-Cookie", "a=1").add("Content-Type", "text/plain").add("set-cookie", "b=2");
        assertEquals("a=1", h.get("SET-COOKIE"));
        assertEquals(List.of("a=1", "b=2"), h.getAll("Set-Cookie"));
        assertEquals(List.of(), h.getAll("X-None"));
        assertNull(h.get("X-None"));
        assertTrue(h.contains("content-type"));
        assertFalse(h.contains("X-None"));
        assertEquals(3, h.size());
    }

    @Test
    void setReplacesEveryFieldAndAppends() {
        Headers h = new Headers().add("X-A", "1").add("Content-Type", "text/plain").add("x-a", "2");
        h.set("X-A", "3");
        assertEquals(List.of(Header.of("Content-Type", "text/plain"), Header.of("X-A", "3")), h.toList());
    }

    @Test
    void setDefaultAddsOnlyWhenAbsent() {
        Headers h = new Headers().add("Content-Type", "text/html");
        assertEquals("text/html", h.setDefault("content-type", "text/plain"));
        assertEquals("no-cache", h.setDefault("Cache-Control", "no-cache"));
        assertEquals(2, h.size());
    }

    @Test
    void removeRemovesEveryField() {
        Headers h = new Headers().add("X-A", "1").add("x-a", "2").add("X-B", "3");
        assertTrue(h.remove("X-A"));
        assertFalse(h.remove("X-A"));
        assertEquals(List.of(Header.of("X-B", "3")), h.toList());
    }

    @Test
    void isAViewOverItsList() {
        List<Header> backing = new ArrayList<>(List.of(Header.of("X-A", "1")));
        Headers h = new Headers(backing);
        h.add("X-B", "2").remove("X-A");
        assertEquals(List.of(Header.of("X-B", "2")), backing);
    }

    @Test
    void toListIsAnUnmodifiableSnapshot() {
        Headers h = new Headers().add("X-A", "1");
        List<Header> snapshot = h.toList();
        h.add("X-B", "2");
        assertEquals(1, snapshot.size());
        assertThrows(UnsupportedOperationException.class, () -> snapshot.add(Header.of("X-C", "3")));
    }

    @Test
    void badHeadersAreRefusedWhereTheyAreAdded() {
        Headers h = new Headers();
        assertEquals("start.header-name", assertThrows(ProtocolException.class, () -> h.add("Bad Name", "1")).rule());
        assertEquals("start.header-value", assertThrows(ProtocolException.class, () -> h.set("X-A", "1\r\nX-B: 2")).rule());
        assertEquals("start.header-value", assertThrows(ProtocolException.class, () -> h.add("X-A", "\u20ac")).rule());
        assertEquals("start.hop-by-hop", assertThrows(ProtocolException.class, () -> h.setDefault("Connection", "close")).rule());
        assertEquals(0, h.size(), "a refused header is not added");
    }

    @Test
    void toStringIsTheWireForm() {
        assertEquals("A: 1\r\nB: 2\r\n", new Headers().add("A", "1").add("B", "2").toString());
        assertEquals("", new Headers().toString());
    }

    @Test
    void worksWithStartResponse() {
        TestResponse r = TestClient.of((env, sr) -> {
            Headers h = new Headers().add("Content-Type", "text/plain").add("Set-Cookie", "a=1").add("Set-Cookie", "b=2");
            h.set("Content-Type", "text/html");
            sr.start("200 OK", h.toList());
            return Body.ofUtf8("<p>");
        }).get("/");
        assertEquals(List.of("a=1", "b=2"), r.headers("Set-Cookie"));
        assertEquals("text/html", r.header("Content-Type"));
    }

    @Test
    void refusesANullList() {
        assertThrows(NullPointerException.class, () -> new Headers(null));
    }
}
