package dev.jgi.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jgi.bench.report.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The results file's JSON survives a round trip (the report can be re-rendered from it). */
class JsonTest {

    @Test
    void roundTrip() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "a \"quoted\"\tvalue\n");
        m.put("n", 1.5);
        m.put("whole", 42.0);
        m.put("list", List.of(1.0, "x", Map.of("k", true)));
        m.put("none", null);
        Object back = Json.parse(Json.write(m));
        assertEquals(m, back);
    }
}
