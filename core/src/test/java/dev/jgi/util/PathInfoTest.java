package dev.jgi.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jgi.Body;
import dev.jgi.Covers;
import dev.jgi.Environ;
import dev.jgi.testing.TestClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** shift_path_info semantics. */
class PathInfoTest {

    private static Map<String, Object> environ(String script, String path) {
        Map<String, Object> env = new HashMap<>();
        env.put(Environ.SCRIPT_NAME, script);
        env.put(Environ.PATH_INFO, path);
        return env;
    }

    @ParameterizedTest(name = "\"{0}\" + \"{1}\" -> {2}, \"{3}\" + \"{4}\"")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        // nothing left to shift
        "''|''|NULL|''|''",
        "/app|''|NULL|/app|''",
        // a lone "/" shifts "" and leaves a trailing slash on SCRIPT_NAME
        "''|/|''|/|''",
        "/app|/|''|/app/|''",
        "/app/|/|''|/app/|''",
        // one segment at a time; the trailing slash stays on PATH_INFO
        "''|/a|a|/a|''",
        "/app|/a/b|a|/app/a|/b",
        "/app|/a/|a|/app/a|/",
        "/app|/a/b//|a|/app/a|/b/",
        "/app/|/a|a|/app/a|''",
        "''|/café/x|café|/café|/x",
        // empty segments before the last are skipped, as in wsgiref
        "/app|//a|a|/app/a|''",
        "/app|/a//b|a|/app/a|/b",
        "/app|//|''|/app/|''",
        "/app|///a//|a|/app/a|/",
    })
    void shiftsLikeWsgiref(String script, String path, String shifted, String newScript, String newPath) {
        Map<String, Object> env = environ(script, path);
        assertEquals(shifted, PathInfo.shift(env));
        assertEquals(newScript, env.get(Environ.SCRIPT_NAME));
        assertEquals(newPath, env.get(Environ.PATH_INFO));
    }

    @Test
    void shiftingUntilNothingIsLeft() {
        Map<String, Object> env = environ("/app", "/a/b/c/");
        List<String> names = new ArrayList<>();
        for (String name; (name = PathInfo.shift(env)) != null; ) {
            names.add(name);
            assertEquals("/app/a/b/c/", (String) env.get(Environ.SCRIPT_NAME) + env.get(Environ.PATH_INFO),
                    "without empty segments nothing is lost");
        }
        assertEquals(List.of("a", "b", "c", ""), names);
        assertEquals("/app/a/b/c/", env.get(Environ.SCRIPT_NAME));
        assertEquals("", env.get(Environ.PATH_INFO));
    }

    @Test
    void missingKeysAreEmpty() {
        assertNull(PathInfo.shift(new HashMap<>()));
        Map<String, Object> env = new HashMap<>();
        env.put(Environ.PATH_INFO, "/x");
        assertEquals("x", PathInfo.shift(env));
        assertEquals("/x", env.get(Environ.SCRIPT_NAME));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/.", "/..", "/./a", "/a/..", "/a/./b", "/a/../b", "x", "a/b"})
    void dotSegmentsAndRelativePathsAreRefused(String path) {
        Map<String, Object> env = environ("/app", path);
        assertThrows(IllegalArgumentException.class, () -> PathInfo.shift(env));
        assertEquals("/app", env.get(Environ.SCRIPT_NAME), "nothing changes when refused");
        assertEquals(path, env.get(Environ.PATH_INFO));
    }

    @Test
    @Covers("middleware.environ")
    void routingMiddlewareThroughTheTestClient() {
        // a two-level router: /users/<id> -> "user <id>"
        TestClient c = TestClient.of((env, sr) -> {
            String first = PathInfo.shift(env);
            String id = "users".equals(first) ? PathInfo.shift(env) : null;
            sr.start(id == null || id.isEmpty() ? "404 Not Found" : "200 OK", List.of());
            return Body.ofUtf8(id == null ? "" : "user " + id + " at " + env.get(Environ.SCRIPT_NAME) + " rest " + env.get(Environ.PATH_INFO));
        });
        assertEquals("user 42 at /users/42 rest /photos", c.get("/users/42/photos").text());
        assertEquals("user é at /users/é rest ", c.get("/users/%C3%A9").text());
        assertEquals(404, c.get("/users/").status());
        assertEquals(404, c.get("/other/1").status());
    }
}
