package dev.jgi.servlet;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.Header;
import java.util.List;
import java.util.Map;

/** Applications for the registration tests, in the shapes a deployment descriptor can name. */
public final class SampleApps {

    private SampleApps() {
    }

    static Body answer(String who, Map<String, Object> env, dev.jgi.StartResponse sr) {
        sr.start("200 OK", List.of(Header.of("Content-Type", "text/plain")));
        return Body.ofUtf8(who + " " + env.get("SCRIPT_NAME") + "|" + env.get("PATH_INFO"));
    }

    /** An application class with a public no-arg constructor. */
    public static final class Hello implements Application {
        /** Creates it. */
        public Hello() {
        }

        @Override
        public Body call(Map<String, Object> environ, dev.jgi.StartResponse startResponse) {
            return answer("hello", environ, startResponse);
        }
    }

    /** A class with exactly one static factory. */
    public static final class Factory {
        private Factory() {
        }

        /** @return the application */
        public static Application create() {
            return (env, sr) -> answer("factory", env, sr);
        }
    }

    /** A class with two factories: must be named with {@code #method}. */
    public static final class TwoFactories {
        private TwoFactories() {
        }

        /** @return one application */
        public static Application first() {
            return (env, sr) -> answer("first", env, sr);
        }

        /** @return another application */
        public static Application second() {
            return (env, sr) -> answer("second", env, sr);
        }
    }

    /** Not an application at all. */
    public static final class NotAnApp {
        /** Creates it. */
        public NotAnApp() {
        }
    }
}
