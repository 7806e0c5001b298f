package dev.jgi.samples;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.Environ;
import dev.jgi.StartResponse;
import java.util.Map;

/**
 * The demo's front door: {@code /environ} (and anything below it) goes to {@link EnvironDumpApp},
 * everything else to {@link HelloApp}. Routing on PATH_INFO is all a JGI router needs, because
 * every server hands over the same decoded, canonical path.
 */
public final class DemoApp implements Application {

    private final Application hello = new HelloApp();
    private final Application environ = new EnvironDumpApp();

    @Override
    public Body call(Map<String, Object> env, StartResponse startResponse) throws Exception {
        String path = Environ.of(env).pathInfo();
        if (path.equals("/environ") || path.startsWith("/environ/")) {
            return environ.call(env, startResponse);
        }
        return hello.call(env, startResponse);
    }
}
