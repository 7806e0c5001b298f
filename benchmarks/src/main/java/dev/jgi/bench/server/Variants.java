package dev.jgi.bench.server;

import dev.jgi.bench.server.Variant.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every variant and every pair of the benchmark.
 */
public final class Variants {

    private static final String P = "dev.jgi.bench.server.";

    /** Every variant, grouped by server, native first. */
    public static final List<Variant> ALL = List.of(
            new Variant("jdk-native", "jdk", Role.NATIVE, P + "jdk.JdkNative",
                    "JDK HttpServer, raw HttpHandler on a pool of 16 threads"),
            new Variant("jdk-jgi", "jdk", Role.JGI, P + "jdk.JdkJgi",
                    "JGI reference server (dev.jgi.server.ReferenceServer), 16 threads"),
            new Variant("tomcat-native", "tomcat", Role.NATIVE, P + "servlet.TomcatNative",
                    "Tomcat 11 embedded, plain HttpServlet (blocking I/O)"),
            new Variant("tomcat-jgi", "tomcat", Role.JGI, P + "servlet.TomcatJgi",
                    "Tomcat 11 embedded, dev.jgi.servlet.JgiServlet (blocking mode)"),
            new Variant("jetty-servlet-native", "jetty-servlet", Role.NATIVE, P + "servlet.JettyServletNative",
                    "Jetty 12 ee11 ServletContextHandler, plain HttpServlet"),
            new Variant("jetty-servlet-jgi", "jetty-servlet", Role.JGI, P + "servlet.JettyServletJgi",
                    "Jetty 12 ee11 ServletContextHandler, dev.jgi.servlet.JgiServlet"),
            new Variant("jetty-core-native", "jetty-core", Role.NATIVE, P + "jetty.JettyCoreNative$Blocking",
                    "Jetty 12 core Handler, InvocationType.BLOCKING (handler on a pool thread)"),
            new Variant("jetty-core-ceiling", "jetty-core", Role.CEILING, P + "jetty.JettyCoreNative$NonBlocking",
                    "Jetty 12 core Handler, InvocationType.NON_BLOCKING (answers on the selector thread)"),
            new Variant("jetty-core-jgi", "jetty-core", Role.JGI, P + "jetty.JettyCoreJgi",
                    "Jetty 12 core, dev.jgi.jetty.JgiHandler"),
            new Variant("undertow-native", "undertow", Role.NATIVE, P + "undertow.UndertowNative$Blocking",
                    "Undertow 2.4, BlockingHandler: dispatch to a worker, blocking streams"),
            new Variant("undertow-ceiling", "undertow", Role.CEILING, P + "undertow.UndertowNative$NonBlocking",
                    "Undertow 2.4, HttpHandler answering on the IO thread (async Sender)"),
            new Variant("undertow-jgi", "undertow", Role.JGI, P + "undertow.UndertowJgi",
                    "Undertow 2.4, dev.jgi.undertow.JgiHandler (dispatch to a worker)"));

    private Variants() {
    }

    /**
     * Finds a variant by name.
     *
     * @param name the name
     * @return the variant
     * @throws IllegalArgumentException if there is none
     */
    public static Variant byName(String name) {
        for (Variant v : ALL) {
            if (v.name().equals(name)) {
                return v;
            }
        }
        throw new IllegalArgumentException("no variant " + name + "; known: " + names());
    }

    /** @return the names of all variants */
    public static List<String> names() {
        List<String> n = new ArrayList<>();
        for (Variant v : ALL) {
            n.add(v.name());
        }
        return n;
    }

    /**
     * A server's pair: its native (blocking) baseline, its JGI adapter, and its non-blocking ceiling
     * where the server has one.
     *
     * @param server the server family
     * @param nativeVariant the blocking native baseline
     * @param jgi the JGI variant
     * @param ceiling the non-blocking native ceiling, if any
     */
    public record Pair(String server, Variant nativeVariant, Variant jgi, Optional<Variant> ceiling) {
        /** @return whether the adapter's variant is built into this harness */
        public boolean available() {
            return nativeVariant.available() && jgi.available() && ceiling.map(Variant::available).orElse(true);
        }
    }

    /** @return the pairs, in run order */
    public static List<Pair> pairs() {
        List<Pair> out = new ArrayList<>();
        for (String s : List.of("jdk", "tomcat", "jetty-servlet", "jetty-core", "undertow")) {
            Variant n = null;
            Variant j = null;
            Variant c = null;
            for (Variant v : ALL) {
                if (!v.server().equals(s)) {
                    continue;
                }
                switch (v.role()) {
                    case NATIVE: n = v; break;
                    case JGI: j = v; break;
                    default: c = v;
                }
            }
            out.add(new Pair(s, n, j, Optional.ofNullable(c)));
        }
        return out;
    }
}
