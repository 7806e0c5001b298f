package dev.jgi.conformance;

import java.util.Locale;

/**
 * An optional feature a server may declare (SPEC.md "Server properties"). A case that needs a
 * capability the server does not declare is reported as "not declared"; a declared capability
 * whose case fails is a failure.
 */
public enum Capability {
    /** {@code jgi.file_wrapper} bodies are sent with the server's zero-copy path. */
    FILE_WRAPPER_ZERO_COPY("file-wrapper-zero-copy"),
    /**
     * {@code jgi.input_trailers}, a {@code Supplier<Map<String, String>>}: the request's trailer fields
     * (lower-case names) once {@code jgi.input} has ended, {@code IllegalStateException} before.
     */
    REQUEST_TRAILERS("request-trailers"),
    /**
     * {@code jgi.early_hints}, a {@code Consumer<List<Header>>}: sends a 103 with those fields before
     * the final response, nothing on HTTP/1.0, {@code IllegalStateException} after the commit.
     */
    EARLY_HINTS("early-hints"),
    /** The server speaks HTTP/2 in cleartext through the HTTP/1.1 {@code Upgrade: h2c} that java.net.http sends. */
    HTTP2("http2"),
    /** The application runs on virtual threads. */
    VIRTUAL_THREADS("virtual-threads"),
    /** The application's reason phrase reaches the wire unchanged. */
    REASON_PHRASE("reason-phrase");

    private final String id;

    Capability(String id) {
        this.id = id;
    }

    /** @return the name used in declarations and reports, for example {@code "reason-phrase"} */
    public String id() {
        return id;
    }

    /**
     * Finds a capability by its declared name.
     *
     * @param id the name, for example {@code "http2"}; case and surrounding blanks are ignored
     * @return the capability
     * @throws IllegalArgumentException if no capability has that name
     */
    public static Capability of(String id) {
        String s = id.trim().toLowerCase(Locale.ROOT);
        for (Capability c : values()) {
            if (c.id.equals(s)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown capability \"" + id + "\"; known: " + known());
    }

    static String known() {
        StringBuilder sb = new StringBuilder();
        for (Capability c : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(c.id);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return id;
    }
}
