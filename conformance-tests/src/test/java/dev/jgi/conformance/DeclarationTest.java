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
                + "mount-point-without-slash=redirect\nrejects-before-app=empty-segment,encoded-percent\n"));
        Declaration d = Declaration.fromProperties(p);
        assertTrue(d.has(Capability.REASON_PHRASE) && d.has(Capability.HTTP2));
        assertEquals(Declaration.ExpectContinue.EAGER, d.expectContinue());
        assertEquals(Declaration.OptionsAsterisk.SERVER, d.optionsAsterisk());
        assertEquals(Declaration.MountPointWithoutSlash.REDIRECT, d.mountPointWithoutSlash());
        assertTrue(d.rejectsBeforeApp(Declaration.EarlyReject.EMPTY_SEGMENT) && d.rejectsBeforeApp(Declaration.EarlyReject.ENCODED_PERCENT));
        assertEquals(d, Declaration.fromProperties(d.toProperties()));
    }

    @Test
    void defaultsAreTheRecommendedVariants() {
        Declaration d = Declaration.defaults();
        assertTrue(d.capabilities().isEmpty());
        assertEquals(Declaration.ExpectContinue.ON_READ, d.expectContinue());
        assertEquals(Declaration.OptionsAsterisk.APP, d.optionsAsterisk());
        assertEquals(Declaration.MountPointWithoutSlash.APP, d.mountPointWithoutSlash());
        assertTrue(d.rejectsBeforeApp().isEmpty());
    }

    @Test
    void aTypoIsAnErrorNotASilentDefault() {
        assertThrows(IllegalArgumentException.class, () -> Declaration.builder().set("expect-continue", "lazy"));
        assertThrows(IllegalArgumentException.class, () -> Declaration.builder().set("expect_continue", "eager"));
        assertThrows(IllegalArgumentException.class, () -> Declaration.builder().set("capabilities", "http3"));
        assertThrows(IllegalArgumentException.class, () -> Declaration.builder().set("rejects-before-app", "everything"));
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
