package dev.jgi.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.conformance.report.Json;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DeclarationTest {

    @Test
    void readsAndWritesThePropertiesFormat() throws Exception {
        Properties p = new Properties();
        p.load(new StringReader("capabilities = reason-phrase, http2\nexpect-continue=eager\noptions-asterisk=server\n"
                + "mount-point-without-slash=redirect\nrejects-before-app=empty-segment,encoded-percent\nbody-limit=8388608\n"));
        Declaration d = Declaration.fromProperties(p);
        assertTrue(d.has(Capability.REASON_PHRASE) && d.has(Capability.HTTP2));
        assertEquals(Declaration.ExpectContinue.EAGER, d.expectContinue());
        assertEquals(Declaration.OptionsAsterisk.SERVER, d.optionsAsterisk());
        assertEquals(Declaration.MountPointWithoutSlash.REDIRECT, d.mountPointWithoutSlash());
        assertTrue(d.rejectsBeforeApp(Declaration.EarlyReject.EMPTY_SEGMENT) && d.rejectsBeforeApp(Declaration.EarlyReject.ENCODED_PERCENT));
        assertEquals(8388608L, d.bodyLimit());
        assertEquals(d, Declaration.fromProperties(d.toProperties()));
        assertEquals("8388608", d.toProperties().getProperty("body-limit"));
        // absent or empty: no limit
        assertEquals(-1L, Declaration.defaults().bodyLimit());
        assertEquals(-1L, Declaration.builder().set("body-limit", "").build().bodyLimit());
        assertEquals(Declaration.defaults(), Declaration.fromProperties(Declaration.defaults().toProperties()));
    }

    @Test
    void deviationsRoundTripThroughPropertiesWithAndWithoutAMount() throws Exception {
        Declaration d = Declaration.builder()
                .deviation("body.chunked-trailers", "the HTTP layer closes the connection")
                .deviation("request.absolute-form-empty-path", "/", "404 before the adapter")
                .deviation("path.raw-space", "/mnt/App", "a mount keeps its case")
                .build();
        assertEquals(Map.of("body.chunked-trailers", "the HTTP layer closes the connection",
                "request.absolute-form-empty-path@/", "404 before the adapter",
                "path.raw-space@/mnt/App", "a mount keeps its case"), d.deviations());
        // a mount-specific deviation applies at that mount only; one without a mount everywhere
        assertEquals("404 before the adapter", d.deviation("request.absolute-form-empty-path", ""));
        assertEquals("404 before the adapter", d.deviation("request.absolute-form-empty-path", "/"));
        assertEquals(null, d.deviation("request.absolute-form-empty-path", "/mnt/app"));
        assertEquals("the HTTP layer closes the connection", d.deviation("body.chunked-trailers", "/mnt/app"));
        assertEquals(null, d.deviation("path.raw-space", "/mnt/app"));
        assertEquals(null, d.deviation("request.methods", ""));

        Properties p = d.toProperties();
        assertEquals("404 before the adapter", p.getProperty("deviation.request.absolute-form-empty-path@/"));
        java.io.StringWriter w = new java.io.StringWriter();
        p.store(w, null);
        Properties back = new Properties();
        back.load(new StringReader(w.toString()));
        assertEquals(d, Declaration.fromProperties(back));
        assertEquals(d.deviations(), Declaration.fromProperties(back).deviations());

        Properties written = new Properties();
        written.load(new StringReader("deviation.body.chunked-trailers = closes the connection\n"
                + "Deviation.request.absolute-form-empty-path@/ = 404\n"));
        assertEquals(Map.of("body.chunked-trailers", "closes the connection", "request.absolute-form-empty-path@/", "404"),
                Declaration.fromProperties(written).deviations());
        // toBuilder keeps them, and a later declaration of the same case replaces the reason
        Declaration more = d.toBuilder().deviation("body.chunked-trailers", "new reason").build();
        assertEquals("new reason", more.deviation("body.chunked-trailers", ""));
        assertEquals(3, more.deviations().size());
    }

    @Test
    void aDeviationNeedsAKnownCaseAReasonAndAWellFormedMount() {
        assertThrows(IllegalArgumentException.class, () -> Declaration.builder().deviation("no.such-case", "reason"));
        assertThrows(IllegalArgumentException.class, () -> Declaration.builder().deviation("body.chunked-trailers", " "));
        assertThrows(IllegalArgumentException.class, () -> Declaration.builder().set("deviation.body.chunked-trailers", ""));
        assertThrows(IllegalArgumentException.class, () -> Declaration.builder().deviation("body.chunked-trailers", "mnt", "r"));
        assertThrows(IllegalArgumentException.class, () -> Declaration.builder().deviation("body.chunked-trailers", "/mnt/", "r"));
        assertThrows(IllegalArgumentException.class, () -> Declaration.builder().set("deviation.nope@/", "r"));
    }

    @Test
    void defaultsAreTheRecommendedVariants() {
        Declaration d = Declaration.defaults();
        assertTrue(d.capabilities().isEmpty());
        assertEquals(Declaration.ExpectContinue.ON_READ, d.expectContinue());
        assertEquals(Declaration.OptionsAsterisk.APP, d.optionsAsterisk());
        assertEquals(Declaration.MountPointWithoutSlash.APP, d.mountPointWithoutSlash());
        assertTrue(d.rejectsBeforeApp().isEmpty());
        assertTrue(d.deviations().isEmpty());
    }

    @Test
    void aTypoIsAnErrorNotASilentDefault() {
        assertThrows(IllegalArgumentException.class, () -> Declaration.builder().set("expect-continue", "lazy"));
        assertThrows(IllegalArgumentException.class, () -> Declaration.builder().set("expect_continue", "eager"));
        assertThrows(IllegalArgumentException.class, () -> Declaration.builder().set("capabilities", "http3"));
        assertThrows(IllegalArgumentException.class, () -> Declaration.builder().set("rejects-before-app", "everything"));
        assertThrows(IllegalArgumentException.class, () -> Declaration.builder().set("body-limit", "8M"));
        assertThrows(IllegalArgumentException.class, () -> Declaration.builder().set("body-limit", "0"));
    }

    @Test
    void jsonRoundTrips() {
        Map<String, Object> m = Map.of("s", "q\"\\\n\u0001\u00e9", "n", 12L, "l", List.of(true, false), "d", 1.5);
        Object back = Json.parse(Json.write(m));
        assertEquals(m, back);
        assertEquals(List.of(-1L, 0L), Json.parse(" [ -1 , 0 ] "));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1,}"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1] x"));
    }
}
