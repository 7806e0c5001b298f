package dev.jgi.bench.server;

import java.util.Optional;

/**
 * A named server variant: which server, which role in its pair, and the class that implements it.
 *
 * @param name the variant's name, used on the command line and in the results
 * @param server the server family, for example {@code jetty-core}
 * @param role the variant's role in its pair
 * @param className the {@link BenchServer} implementation
 * @param description one line for the report
 */
public record Variant(String name, String server, Role role, String className, String description) {

    /** The role of a variant in its server's pair. */
    public enum Role {
        /** The native handler in the server's blocking mode: the fair baseline for a blocking gateway. */
        NATIVE,
        /** The native handler answering on the IO thread: the ceiling, non-blocking. */
        CEILING,
        /** The JGI adapter. */
        JGI
    }

    /**
     * Creates the variant's server, if its class is present (an adapter not yet on this branch is
     * left out of compilation; see benchmarks/pom.xml).
     *
     * @return the server, or empty if the class is missing
     */
    public Optional<BenchServer> create() {
        Class<?> c;
        try {
            c = Class.forName(className);
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
        try {
            return Optional.of(c.asSubclass(BenchServer.class).getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + className, e);
        }
    }

    /** @return whether the variant's class is on the class path */
    public boolean available() {
        try {
            Class.forName(className, false, Variant.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
