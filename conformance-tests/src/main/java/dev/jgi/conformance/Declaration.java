package dev.jgi.conformance;

import dev.jgi.conformance.cases.Cases;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a server declares about itself: the optional {@link Capability capabilities} it supports,
 * the variant it implements of every server property SPEC.md allows to vary, and its declared
 * <em>deviations</em>. The suite checks each declared variant; it never guesses.
 *
 * <p>A deviation names a case the server is known to fail, with the reason (SPEC.md "Server
 * Properties and Capabilities"): a difference its underlying HTTP layer makes impossible to fix in
 * the adapter. The case still runs. If it fails, the result is {@link Verdict#DEVIATION}, reported
 * apart from passes and failures and carrying the declared reason, the observed failure and the
 * transcript; if it passes, the result is a {@link Verdict#FAIL} ("declared deviation no longer
 * holds"), so that the declaration stays exact. A case the server does not declare the capability
 * for is {@link Verdict#NOT_DECLARED} whatever deviation is declared for it.
 *
 * <p>In-process, a {@link ServerUnderTest} returns one from {@link ServerUnderTest#declaration()}.
 * For black-box runs it comes from command-line flags or a properties file (see
 * {@link #fromProperties(Properties)}):
 *
 * <pre>
 * capabilities=reason-phrase,http2
 * expect-continue=eager
 * options-asterisk=server
 * mount-point-without-slash=app
 * rejects-before-app=empty-segment,encoded-percent,absolute-form-host-mismatch
 * body-limit=8388608
 * # a deviation at every mount, and one at the root only ("/"; a mount prefix such as /mnt/app otherwise)
 * deviation.body.chunked-trailers=the HTTP layer closes the connection at a trailer section
 * deviation.request.absolute-form-empty-path@/=the HTTP layer answers 404 before the adapter
 * </pre>
 */
public final class Declaration {

    /** How the server answers {@code Expect: 100-continue}. */
    public enum ExpectContinue {
        /** {@code 100 Continue} is sent when the application first reads {@code jgi.input}, never otherwise. */
        ON_READ("on-read"),
        /**
         * {@code 100 Continue} is sent before the application runs, to every HTTP/1.1 request carrying
         * {@code Expect: 100-continue} (the JDK HttpServer hard-codes this). HTTP/1.0 requests get
         * no 100 under either value.
         */
        EAGER("eager");

        private final String id;

        ExpectContinue(String id) {
            this.id = id;
        }

        /** @return the declared name */
        public String id() {
            return id;
        }
    }

    /** Who answers {@code OPTIONS *}. */
    public enum OptionsAsterisk {
        /** The application is called with REQUEST_URI {@code "*"}, PATH_INFO {@code ""}, SCRIPT_NAME the mount. */
        APP("app"),
        /** The server answers itself with a 2xx or 4xx status, never 5xx, and does not call the application. */
        SERVER("server");

        private final String id;

        OptionsAsterisk(String id) {
            this.id = id;
        }

        /** @return the declared name */
        public String id() {
            return id;
        }
    }

    /** What a request for the mount prefix itself, without a trailing slash, gets. */
    public enum MountPointWithoutSlash {
        /** The application is called with PATH_INFO {@code ""}. */
        APP("app"),
        /** The server redirects to the prefix with a trailing slash. */
        REDIRECT("redirect");

        private final String id;

        MountPointWithoutSlash(String id) {
            this.id = id;
        }

        /** @return the declared name */
        public String id() {
            return id;
        }
    }

    /**
     * A request form the server may answer with 400 itself, before the application runs, instead of
     * handling it as SPEC.md says: the path forms of SPEC.md "Paths", and an absolute-form target
     * whose authority differs from {@code Host}. The outcome is then 400 without calling the
     * application, never a silent rewrite.
     */
    public enum EarlyReject {
        /** An empty segment, {@code //}. */
        EMPTY_SEGMENT("empty-segment"),
        /** An encoded percent, {@code %25}. */
        ENCODED_PERCENT("encoded-percent"),
        /** An encoded dot, {@code %2e}, also inside a segment. */
        ENCODED_DOT("encoded-dot"),
        /** A dot-segment, {@code .} or {@code ..}. */
        DOT_SEGMENT("dot-segment"),
        /** An encoded slash, {@code %2F} (always 400 anyway). */
        ENCODED_SLASH("encoded-slash"),
        /** Path parameters on a dot segment, {@code ..;x} (always 400 anyway). */
        PARAMS_DOT("params-dot"),
        /**
         * An absolute-form target whose authority differs from the {@code Host} field
         * ({@code GET http://a.example/p} with {@code Host: b.example}). RFC 9112 3.2.2 makes the
         * target win and the server ignore {@code Host} (SPEC.md [request.absolute-form]); a server
         * that rejects the mismatch instead, a common hardening, declares this. A target whose
         * authority equals {@code Host} must still be served.
         */
        ABSOLUTE_FORM_HOST_MISMATCH("absolute-form-host-mismatch");

        private final String id;

        EarlyReject(String id) {
            this.id = id;
        }

        /** @return the declared name */
        public String id() {
            return id;
        }
    }

    /** Property key of {@link #expectContinue()}. */
    public static final String EXPECT_CONTINUE = "expect-continue";
    /** Property key of {@link #optionsAsterisk()}. */
    public static final String OPTIONS_ASTERISK = "options-asterisk";
    /** Property key of {@link #mountPointWithoutSlash()}. */
    public static final String MOUNT_POINT_WITHOUT_SLASH = "mount-point-without-slash";
    /** Property key of {@link #rejectsBeforeApp()}. */
    public static final String REJECTS_BEFORE_APP = "rejects-before-app";
    /** Property key of {@link #capabilities()}. */
    public static final String CAPABILITIES = "capabilities";
    /** Property key of {@link #bodyLimit()}. */
    public static final String BODY_LIMIT = "body-limit";
    /**
     * Prefix of the property keys of {@link #deviations()}: {@code deviation.<case-id>} for every
     * mount, {@code deviation.<case-id>@<mount>} for one mount ({@code /} for the root).
     */
    public static final String DEVIATION_PREFIX = "deviation.";

    private final Set<Capability> capabilities;
    private final ExpectContinue expectContinue;
    private final OptionsAsterisk optionsAsterisk;
    private final MountPointWithoutSlash mountPointWithoutSlash;
    private final Set<EarlyReject> rejectsBeforeApp;
    private final Map<String, String> deviations;
    private final long bodyLimit;

    private Declaration(Builder b) {
        this.capabilities = Collections.unmodifiableSet(EnumSet.copyOf(b.capabilities));
        this.expectContinue = b.expectContinue;
        this.optionsAsterisk = b.optionsAsterisk;
        this.mountPointWithoutSlash = b.mountPointWithoutSlash;
        this.rejectsBeforeApp = Collections.unmodifiableSet(EnumSet.copyOf(b.rejectsBeforeApp));
        this.deviations = Collections.unmodifiableMap(new TreeMap<>(b.deviations));
        this.bodyLimit = b.bodyLimit;
    }

    /**
     * Starts a declaration with no capabilities and the default variants: {@code expect-continue=on-read},
     * {@code options-asterisk=app}, {@code mount-point-without-slash=app}, no early rejects.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a declaration with nothing declared and every property at its default */
    public static Declaration defaults() {
        return builder().build();
    }

    /** @return a builder that starts with everything this declaration declares */
    public Builder toBuilder() {
        Builder b = builder();
        b.capabilities.addAll(capabilities);
        b.expectContinue = expectContinue;
        b.optionsAsterisk = optionsAsterisk;
        b.mountPointWithoutSlash = mountPointWithoutSlash;
        b.rejectsBeforeApp.addAll(rejectsBeforeApp);
        b.deviations.putAll(deviations);
        b.bodyLimit = bodyLimit;
        return b;
    }

    /** @return the declared capabilities */
    public Set<Capability> capabilities() {
        return capabilities;
    }

    /**
     * @param c a capability
     * @return whether it is declared
     */
    public boolean has(Capability c) {
        return capabilities.contains(c);
    }

    /** @return the declared expect-continue variant */
    public ExpectContinue expectContinue() {
        return expectContinue;
    }

    /** @return the declared options-asterisk variant */
    public OptionsAsterisk optionsAsterisk() {
        return optionsAsterisk;
    }

    /** @return the declared mount-point-without-slash variant */
    public MountPointWithoutSlash mountPointWithoutSlash() {
        return mountPointWithoutSlash;
    }

    /** @return the request forms the server itself rejects with 400 before the application runs */
    public Set<EarlyReject> rejectsBeforeApp() {
        return rejectsBeforeApp;
    }

    /**
     * @param r a request form
     * @return whether the server declares that it rejects it before the application
     */
    public boolean rejectsBeforeApp(EarlyReject r) {
        return rejectsBeforeApp.contains(r);
    }

    /**
     * Returns the request-body limit the server under test was started with (SPEC.md [input.limit]):
     * a declared Content-Length over it gets 413 before the application runs, and a body of
     * undeclared length that grows past it makes {@code jgi.input} throw
     * {@code RequestBodyTooLargeException}. The {@code input.limit} cases run only when one is declared.
     *
     * @return the limit in bytes, or {@code -1} for none declared
     */
    public long bodyLimit() {
        return bodyLimit;
    }

    /**
     * Returns the declared deviations: case id (a deviation at every mount) or
     * {@code <case-id>@<mount>} (at one mount, {@code /} for the root) to the reason, sorted.
     *
     * @return the deviations
     */
    public Map<String, String> deviations() {
        return deviations;
    }

    /**
     * Finds the deviation declared for a case at a mount: one for that mount, else one for every mount.
     *
     * @param caseId the case id
     * @param mount the mount prefix, {@code ""} or {@code "/"} for the root
     * @return the declared reason, or {@code null} if none is declared
     */
    public String deviation(String caseId, String mount) {
        String r = deviations.get(caseId + "@" + mountLabel(mount));
        return r != null ? r : deviations.get(caseId);
    }

    private static String mountLabel(String mount) {
        return mount == null || mount.isEmpty() ? "/" : mount;
    }

    /**
     * Reads a declaration from properties; missing keys keep their defaults.
     *
     * @param p the properties, with the keys shown in the class comment
     * @return the declaration
     * @throws IllegalArgumentException on an unknown key or value, so that a typo is not silently ignored
     */
    public static Declaration fromProperties(Properties p) {
        Builder b = builder();
        for (String key : p.stringPropertyNames()) {
            b.set(key, p.getProperty(key));
        }
        return b.build();
    }

    /** @return the declaration as properties, the inverse of {@link #fromProperties(Properties)} */
    public Properties toProperties() {
        Properties p = new Properties();
        asMap().forEach(p::setProperty);
        return p;
    }

    /** @return the declaration as an ordered map of property key to value, for reports */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(CAPABILITIES, join(capabilities));
        m.put(EXPECT_CONTINUE, expectContinue.id());
        m.put(OPTIONS_ASTERISK, optionsAsterisk.id());
        m.put(MOUNT_POINT_WITHOUT_SLASH, mountPointWithoutSlash.id());
        StringBuilder sb = new StringBuilder();
        for (EarlyReject r : rejectsBeforeApp) {
            sb.append(sb.length() == 0 ? "" : ",").append(r.id());
        }
        m.put(REJECTS_BEFORE_APP, sb.toString());
        m.put(BODY_LIMIT, bodyLimit < 0 ? "" : Long.toString(bodyLimit));
        deviations.forEach((k, v) -> m.put(DEVIATION_PREFIX + k, v));
        return m;
    }

    private static String join(Set<Capability> caps) {
        StringBuilder sb = new StringBuilder();
        for (Capability c : caps) {
            sb.append(sb.length() == 0 ? "" : ",").append(c.id());
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return asMap().toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Declaration && ((Declaration) o).asMap().equals(asMap());
    }

    @Override
    public int hashCode() {
        return asMap().hashCode();
    }

    /** Builds a {@link Declaration}. */
    public static final class Builder {
        private final EnumSet<Capability> capabilities = EnumSet.noneOf(Capability.class);
        private ExpectContinue expectContinue = ExpectContinue.ON_READ;
        private OptionsAsterisk optionsAsterisk = OptionsAsterisk.APP;
        private MountPointWithoutSlash mountPointWithoutSlash = MountPointWithoutSlash.APP;
        private final EnumSet<EarlyReject> rejectsBeforeApp = EnumSet.noneOf(EarlyReject.class);
        private final Map<String, String> deviations = new TreeMap<>();
        private long bodyLimit = -1;

        private Builder() {
        }

        /**
         * Declares the request-body limit the server under test was started with.
         *
         * @param bytes the limit, at least 1; or {@code -1} for none
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is 0 or below -1
         */
        public Builder bodyLimit(long bytes) {
            if (bytes < 1 && bytes != -1) {
                throw new IllegalArgumentException("body-limit must be a positive number of bytes (or -1 for none): " + bytes);
            }
            this.bodyLimit = bytes;
            return this;
        }

        /**
         * Declares a deviation at every mount: the server is known to fail the case, for the given
         * reason. See the class comment for how the suite reports it.
         *
         * @param caseId the id of a conformance case, as {@code --list} prints it
         * @param reason why the server cannot pass it (what its HTTP layer does), not empty
         * @return this builder
         * @throws IllegalArgumentException if no case has that id, or the reason is empty
         */
        public Builder deviation(String caseId, String reason) {
            deviations.put(checkCase(caseId), checkReason(caseId, reason));
            return this;
        }

        /**
         * Declares a deviation at one mount.
         *
         * @param caseId the id of a conformance case
         * @param mount the mount prefix: {@code ""} or {@code "/"} for the root, else for example
         *     {@code "/mnt/app"}
         * @param reason why the server cannot pass it, not empty
         * @return this builder
         * @throws IllegalArgumentException if no case has that id, the mount is malformed, or the reason is empty
         */
        public Builder deviation(String caseId, String mount, String reason) {
            String m = mount == null ? "" : mount.trim();
            if (!m.isEmpty() && !m.equals("/") && (!m.startsWith("/") || m.endsWith("/"))) {
                throw new IllegalArgumentException("deviation " + caseId + "@" + mount
                        + ": a mount is \"/\" for the root or starts with / and does not end with one");
            }
            deviations.put(checkCase(caseId) + "@" + mountLabel(m), checkReason(caseId, reason));
            return this;
        }

        private static String checkCase(String caseId) {
            String id = Objects.requireNonNull(caseId, "caseId").trim();
            for (ConformanceCase c : Cases.all()) {
                if (c.id().equals(id)) {
                    return id;
                }
            }
            throw new IllegalArgumentException("a deviation names the unknown case \"" + caseId + "\" (see --list)");
        }

        private static String checkReason(String caseId, String reason) {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("the deviation for " + caseId + " needs a reason");
            }
            return reason.trim();
        }

        /**
         * Declares capabilities.
         *
         * @param caps the capabilities
         * @return this builder
         */
        public Builder capability(Capability... caps) {
            Collections.addAll(capabilities, caps);
            return this;
        }

        /**
         * Sets the expect-continue variant.
         *
         * @param v the variant
         * @return this builder
         */
        public Builder expectContinue(ExpectContinue v) {
            this.expectContinue = Objects.requireNonNull(v);
            return this;
        }

        /**
         * Sets the options-asterisk variant.
         *
         * @param v the variant
         * @return this builder
         */
        public Builder optionsAsterisk(OptionsAsterisk v) {
            this.optionsAsterisk = Objects.requireNonNull(v);
            return this;
        }

        /**
         * Sets the mount-point-without-slash variant.
         *
         * @param v the variant
         * @return this builder
         */
        public Builder mountPointWithoutSlash(MountPointWithoutSlash v) {
            this.mountPointWithoutSlash = Objects.requireNonNull(v);
            return this;
        }

        /**
         * Declares request forms the server rejects with 400 before the application runs.
         *
         * @param forms the request forms
         * @return this builder
         */
        public Builder rejectsBeforeApp(EarlyReject... forms) {
            Collections.addAll(rejectsBeforeApp, forms);
            return this;
        }

        /**
         * Sets one property by its textual key and value, as found in a properties file or a
         * {@code --property key=value} flag.
         *
         * @param key a property key, or {@code "capabilities"}
         * @param value its value; lists are comma-separated
         * @return this builder
         * @throws IllegalArgumentException on an unknown key or value
         */
        public Builder set(String key, String value) {
            String v = value == null ? "" : value.trim();
            String trimmed = key.trim();
            if (trimmed.regionMatches(true, 0, DEVIATION_PREFIX, 0, DEVIATION_PREFIX.length())) {
                // the mount keeps its case; the case id is lower case anyway
                String rest = trimmed.substring(DEVIATION_PREFIX.length());
                int at = rest.indexOf('@');
                return at < 0 ? deviation(rest, v) : deviation(rest.substring(0, at), rest.substring(at + 1), v);
            }
            String k = trimmed.toLowerCase(Locale.ROOT);
            switch (k) {
                case CAPABILITIES:
                    for (String s : v.split(",")) {
                        if (!s.isBlank()) {
                            capabilities.add(Capability.of(s));
                        }
                    }
                    return this;
                case EXPECT_CONTINUE:
                    return expectContinue(pick(ExpectContinue.values(), k, v));
                case OPTIONS_ASTERISK:
                    return optionsAsterisk(pick(OptionsAsterisk.values(), k, v));
                case MOUNT_POINT_WITHOUT_SLASH:
                    return mountPointWithoutSlash(pick(MountPointWithoutSlash.values(), k, v));
                case BODY_LIMIT:
                    if (v.isEmpty()) {
                        return bodyLimit(-1);
                    }
                    try {
                        return bodyLimit(Long.parseLong(v));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("unknown value \"" + v + "\" for " + k + "; a number of bytes, or empty for none");
                    }
                case REJECTS_BEFORE_APP:
                    for (String s : v.split(",")) {
                        if (!s.isBlank()) {
                            rejectsBeforeApp.add(pick(EarlyReject.values(), k, s.trim()));
                        }
                    }
                    return this;
                default:
                    throw new IllegalArgumentException("unknown server property \"" + key + "\"; known: " + CAPABILITIES + ", "
                            + EXPECT_CONTINUE + ", " + OPTIONS_ASTERISK + ", " + MOUNT_POINT_WITHOUT_SLASH + ", " + REJECTS_BEFORE_APP
                            + ", " + BODY_LIMIT + ", " + DEVIATION_PREFIX + "<case-id>[@<mount>]");
            }
        }

        private static <E extends Enum<E>> E pick(E[] values, String key, String v) {
            StringBuilder known = new StringBuilder();
            for (E e : values) {
                String id = idOf(e);
                if (id.equalsIgnoreCase(v)) {
                    return e;
                }
                known.append(known.length() == 0 ? "" : ", ").append(id);
            }
            throw new IllegalArgumentException("unknown value \"" + v + "\" for " + key + "; known: " + known);
        }

        private static String idOf(Enum<?> e) {
            if (e instanceof ExpectContinue) {
                return ((ExpectContinue) e).id();
            } else if (e instanceof OptionsAsterisk) {
                return ((OptionsAsterisk) e).id();
            } else if (e instanceof MountPointWithoutSlash) {
                return ((MountPointWithoutSlash) e).id();
            }
            return ((EarlyReject) e).id();
        }

        /** @return the declaration */
        public Declaration build() {
            return new Declaration(this);
        }
    }
}
