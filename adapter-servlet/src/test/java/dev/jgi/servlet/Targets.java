package dev.jgi.servlet;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.StartResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The four real deployments most adapter tests run against: embedded Tomcat and Jetty, each with
 * the application on the container thread and in async mode. Each hosts a {@link Switch} whose
 * target a test sets, at context {@code /ctx}, servlet pattern {@code /app/*}, so that one
 * container start serves a whole test class.
 */
final class Targets implements AutoCloseable {

    /** An application that forwards to whatever the running test installed. */
    static final class Switch implements Application {
        volatile Application target = (env, sr) -> {
            throw new IllegalStateException("no target installed");
        };

        @Override
        public Body call(Map<String, Object> environ, StartResponse startResponse) throws Exception {
            return target.call(environ, startResponse);
        }
    }

    /** One running deployment. */
    static final class Target {
        final Container.Kind kind;
        final JgiServlet.Mode mode;
        final Container container;
        final Switch app;

        Target(Container.Kind kind, JgiServlet.Mode mode, Container container, Switch app) {
            this.kind = kind;
            this.mode = mode;
            this.container = container;
            this.app = app;
        }

        int port() {
            return container.port();
        }

        /** Installs the application for the current test and returns the base URI prefix "/ctx/app". */
        Target with(Application a) {
            app.target = a;
            return this;
        }

        String base() {
            return "http://127.0.0.1:" + port() + "/ctx/app";
        }

        @Override
        public String toString() {
            return kind.name().toLowerCase() + "-" + mode.name().toLowerCase();
        }
    }

    final List<Target> all = new ArrayList<>();

    static Targets start() throws Exception {
        Targets t = new Targets();
        try {
            for (Container.Kind k : Container.Kind.values()) {
                for (JgiServlet.Mode m : JgiServlet.Mode.values()) {
                    Switch s = new Switch();
                    Container c = Container.start(k, new JgiServlet(s).mode(m), "/ctx", "/app/*");
                    t.all.add(new Target(k, m, c, s));
                }
            }
        } catch (Exception e) {
            t.close();
            throw e;
        }
        return t;
    }

    Stream<Arguments> arguments() {
        return all.stream().map(Arguments::of);
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        for (Target t : all) {
            try {
                t.container.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
