package dev.jgi.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jgi.Covers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The path policy of decisions.md ("Path policy"), case by case. */
class RequestPathTest {

    @ParameterizedTest(name = "plain {0}")
    @ValueSource(strings = {
        "/", "/a", "/a/b", "/a/b/", "//", "//a///b//", "/a.b/.c/..d/...", "/.well-known/x",
        "/~user/a-b_c.d!$&'()*+,=:@", "/a/b.", "/a/b.."
    })
    @Covers({"path.decode", "path.empty-segments"})
    void plainPathsComeBackUnchangedFromTheFastPath(String raw) throws Exception {
        String decoded = RequestPath.decode(raw);
        assertEquals(raw, decoded);
        assertSame(raw, decoded, "a path with nothing to decode must not be copied");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        // rule 3: percent-decoding as UTF-8, per segment; %25 decoded once
        "/%41%42c|/ABc",
        "/caf%C3%A9|/café",
        "/caf%c3%a9|/café",
        "/%E2%82%AC/%F0%9F%98%80|/€/😀",
        "/%25|/%",
        "/%2541|/%41",
        "/a%20b|/a b",
        "/%7E%7e|/~~",
        "/%C2%80%C2%9F|/\u0080\u009f",
        "/a%3Bb|/a;b",
        "/a%3Fb%23c|/a?b#c",
        "/%41/|/A/",
        "//%41//|//A//",
        // rule 2: ;params are stripped from each segment
        "/a;p=1/b|/a/b",
        "/a;x|/a",
        "/a;x/|/a/",
        "/a/;x|/a/",
        "/;x/a|//a",
        "/a;x;y=2/b;z|/a/b",
        // rule 4: dot-segments resolved (RFC 3986 5.2.4), trailing slash kept when the path ends in one
        "/a/./b|/a/b",
        "/a/../b|/b",
        "/a/b/..|/a/",
        "/a/b/.|/a/b/",
        "/a/./|/a/",
        "/a/../|/",
        "/.|/",
        "/./|/",
        "/a/..|/",
        "/a/b/../../c|/c",
        "/./a/./b/.|/a/b/",
        // rule 5: empty segments preserved, also through the slow path
        "//a/./b|//a/b",
        "/a//../b|/a/b",
        "/a//%41|/a//A",
    })
    @Covers({"path.decode", "path.params", "path.encoded-percent", "path.dot-segments", "path.empty-segments",
        "environ.path-info"})
    void slowPathDecodesAndResolves(String raw, String expected) throws Exception {
        assertEquals(expected, RequestPath.decode(raw));
    }

    @ParameterizedTest(name = "400 for {0}")
    @ValueSource(strings = {
        // rule 1: raw characters outside pchar and '/'
        "/a b", "/a\"b", "/a<b>", "/a\\b", "/a^b", "/a`b", "/a{b}", "/a|b", "/a[b]", "/a?b", "/a#b", "/caf\u00e9",
        "/a\u0000b", "/a\tb",
        // rule 2: a dot-segment with params
        "/a/..;x/b", "/.;x", "/a/.;/b", "/..;",
        // rule 3: malformed escapes, invalid UTF-8, encoded slash, NUL, encoded dot-segments
        "/a%", "/a%4", "/a%zz", "/a%G1", "/%4/x",
        "/%C3", "/%FF", "/%C0%AF", "/%ED%A0%80", "/%E2%82",
        "/a%2Fb", "/a%2fb", "/%2F",
        "/a%00", "/%00/b", "/a%01", "/a%1F", "/a%1f", "/a%7F", "/a%0D%0ASet-Cookie:x", "/a%09b",
        "/%2e", "/%2E%2E", "/.%2e", "/%2e./a", "/a/%2e%2e/b", "/a/%2e",
        // rule 4: climbing above the root
        "/..", "/../a", "/a/../..", "/a/../../b", "/./..",
        // not a path at all
        "", "a", "*",
    })
    @Covers({"path.chars", "path.params", "path.invalid-utf8", "path.encoded-slash", "path.nul", "path.encoded-dot",
        "path.dot-segments"})
    void rejected(String raw) {
        RequestRejectedException e = assertThrows(RequestRejectedException.class, () -> RequestPath.decode(raw));
        assertEquals(400, e.status());
    }

    @Test
    void nullIsRejected() {
        assertEquals(400, assertThrows(RequestRejectedException.class, () -> RequestPath.decode(null)).status());
    }

    @ParameterizedTest(name = "{0} under \"{1}\" -> {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "/x|''|/x",
        "/|''|/",
        "/app/x|/app|/x",
        "/app/x/|/app|/x/",
        "/app|/app|''",
        "/app/|/app|/",
        "/app//x|/app|//x",
        "/application|/app|NULL",
        "/ap|/app|NULL",
        "/other/app|/app|NULL",
        "/App/x|/app|NULL",
        "/a/b/c|/a/b|/c",
        "/a/bc|/a/b|NULL",
    })
    @Covers("path.mount")
    void pathInfoIsThePathBelowTheMount(String decoded, String mount, String expected) {
        assertEquals(expected, RequestPath.pathInfo(decoded, mount));
    }

    @ParameterizedTest(name = "mount \"{0}\" -> \"{1}\"")
    @CsvSource(delimiter = '|', value = {"''|''", "/|''", "/app|/app", "/app/|/app", "/a/b/|/a/b", "/café|/café"})
    @Covers({"path.mount", "environ.script-name"})
    void mountPrefixesAreNormalised(String prefix, String expected) {
        assertEquals(expected, RequestPath.normalizeMount(prefix));
    }

    @Test
    void nullMountIsTheRootAndARelativeMountIsRefused() {
        assertEquals("", RequestPath.normalizeMount(null));
        assertThrows(IllegalArgumentException.class, () -> RequestPath.normalizeMount("app"));
    }

    @Test
    @Covers("path.mount")
    void mountIsMatchedAgainstTheDecodedResolvedPath() throws Exception {
        assertEquals("/x", RequestPath.pathInfo(RequestPath.decode("/caf%C3%A9/x"), "/café"));
        assertEquals("/x", RequestPath.pathInfo(RequestPath.decode("/other/../app/x"), "/app"));
        assertNull(RequestPath.pathInfo(RequestPath.decode("/app/../other"), "/app"));
        assertNull(RequestPath.pathInfo(RequestPath.decode("/app;v=1/x"), "/app;v=1"));
        assertEquals("/x", RequestPath.pathInfo(RequestPath.decode("/app;v=1/x"), "/app"));
    }
}
