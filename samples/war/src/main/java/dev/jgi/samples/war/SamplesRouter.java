package dev.jgi.samples.war;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.Environ;
import dev.jgi.Header;
import dev.jgi.StartResponse;
import dev.jgi.samples.EnvironDumpApp;
import dev.jgi.samples.HelloApp;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The WAR's one application: mounts the sample applications under path prefixes, the way WSGI's
 * {@code shift_path_info} does. A request for {@code /hello/x} reaches {@link HelloApp} with the
 * prefix moved from PATH_INFO to SCRIPT_NAME ({@code SCRIPT_NAME=<context>/hello},
 * {@code PATH_INFO=/x}), so each application sees itself mounted exactly as on any other server.
 *
 * <p>Mounting one servlet at {@code /*} and routing in JGI, rather than declaring one servlet
 * mapping per application, keeps every path decision in JGI's path policy: a container that
 * resolves {@code %2e%2e} before mapping still hands the raw request to the same servlet, which
 * rejects it as SPEC.md says.
 */
public final class SamplesRouter implements Application {

    private final Map<String, Application> mounts = new LinkedHashMap<>();

    /** Creates the router with hello, environ and conformance mounted. */
    public SamplesRouter() {
        mounts.put("hello", new HelloApp());
        mounts.put("environ", new EnvironDumpApp());
        mounts.put("conformance", ConformanceMount.application());
    }

    @Override
    public Body call(Map<String, Object> environ, StartResponse startResponse) throws Exception {
        String path = Environ.of(environ).pathInfo();
        if (path.isEmpty() || path.equals("/")) {
            return index(environ, startResponse);
        }
        int end = path.indexOf('/', 1);
        String first = end < 0 ? path.substring(1) : path.substring(1, end);
        Application app = mounts.get(first);
        if (app == null) {
            startResponse.start("404 Not Found", List.of(Header.of("Content-Type", "text/plain; charset=utf-8")));
            return Body.ofUtf8("No application is mounted at /" + first + "\n");
        }
        environ.put(Environ.SCRIPT_NAME, Environ.of(environ).scriptName() + "/" + first);
        environ.put(Environ.PATH_INFO, end < 0 ? "" : path.substring(end));
        return app.call(environ, startResponse);
    }

    private Body index(Map<String, Object> environ, StartResponse startResponse) {
        String base = Environ.of(environ).scriptName();
        StringBuilder sb = new StringBuilder("JGI samples in a WAR. Mounted applications:\n");
        for (String name : mounts.keySet()) {
            sb.append("  ").append(base).append('/').append(name).append('\n');
        }
        startResponse.start("200 OK", List.of(Header.of("Content-Type", "text/plain; charset=utf-8")));
        return Body.of(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
