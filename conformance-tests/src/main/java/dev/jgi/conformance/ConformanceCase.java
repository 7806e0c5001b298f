package dev.jgi.conformance;

import java.util.List;
import java.util.Objects;

/**
 * One conformance case: a plain object with a name, the SPEC.md rules it covers, what it needs from
 * the server, and a check that talks HTTP to the conformance application. No test framework is
 * involved; the JUnit suite and the command-line runner both just call {@link #check()}.
 */
public final class ConformanceCase {

    /** The body of a case. */
    @FunctionalInterface
    public interface Check {
        /**
         * Runs the case against the server behind {@code ctx}.
         *
         * @param ctx the context: base URI, declaration, HTTP helpers, transcript
         * @throws CheckFailed when the server broke a rule
         * @throws Exception on I/O failures, which count as failures too
         */
        void run(CaseContext ctx) throws Exception;
    }

    private final String id;
    private final Category category;
    private final String title;
    private final List<String> rules;
    private final List<String> sources;
    private final Capability requires;
    private final boolean mountOnly;
    private final boolean needsServerLog;
    private final boolean needsBodyLimit;
    private final Check check;

    private ConformanceCase(Builder b) {
        this.id = b.id;
        this.category = b.category;
        this.title = b.title;
        this.rules = List.copyOf(b.rules);
        this.sources = List.copyOf(b.sources);
        this.requires = b.requires;
        this.mountOnly = b.mountOnly;
        this.needsServerLog = b.needsServerLog;
        this.needsBodyLimit = b.needsBodyLimit;
        this.check = Objects.requireNonNull(b.check, "check");
    }

    /**
     * Starts a case.
     *
     * @param category its group
     * @param id its unique id, {@code group.name}, for example {@code "path.encoded-slash"}
     * @param title one line saying what it checks
     * @return the builder
     */
    public static Builder of(Category category, String id, String title) {
        return new Builder(category, id, title);
    }

    /** @return the unique id */
    public String id() {
        return id;
    }

    /** @return the group */
    public Category category() {
        return category;
    }

    /** @return what the case checks, in one line */
    public String title() {
        return title;
    }

    /** @return the SPEC.md rule names the case covers */
    public List<String> rules() {
        return rules;
    }

    /** @return where the case comes from: anchor suite case tags (P12, H18, S echo, RC, gap N) */
    public List<String> sources() {
        return sources;
    }

    /** @return the capability the case needs, or {@code null} if every server must pass it */
    public Capability requires() {
        return requires;
    }

    /** @return whether the case only makes sense under a non-empty mount prefix */
    public boolean mountOnly() {
        return mountOnly;
    }

    /** @return whether the case reads the server's log, which not every server makes available */
    public boolean needsServerLog() {
        return needsServerLog;
    }

    /** @return whether the case needs a declared {@link Declaration#bodyLimit() body-limit}; it is not declared otherwise */
    public boolean needsBodyLimit() {
        return needsBodyLimit;
    }

    /** @return the check */
    public Check check() {
        return check;
    }

    @Override
    public String toString() {
        return id;
    }

    /** Builds a {@link ConformanceCase}. */
    public static final class Builder {
        private final Category category;
        private final String id;
        private final String title;
        private List<String> rules = List.of();
        private List<String> sources = List.of();
        private Capability requires;
        private boolean mountOnly;
        private boolean needsServerLog;
        private boolean needsBodyLimit;
        private Check check;

        private Builder(Category category, String id, String title) {
            this.category = Objects.requireNonNull(category);
            this.id = Objects.requireNonNull(id);
            this.title = Objects.requireNonNull(title);
        }

        /**
         * @param names the SPEC.md rule names covered
         * @return this builder
         */
        public Builder rules(String... names) {
            this.rules = List.of(names);
            return this;
        }

        /**
         * @param tags the anchor cases this one stands for
         * @return this builder
         */
        public Builder sources(String... tags) {
            this.sources = List.of(tags);
            return this;
        }

        /**
         * @param c the capability the case needs
         * @return this builder
         */
        public Builder requires(Capability c) {
            this.requires = c;
            return this;
        }

        /** @return this builder, for a case that only runs under a non-empty mount prefix */
        public Builder mountOnly() {
            this.mountOnly = true;
            return this;
        }

        /** @return this builder, for a case that reads the server's log */
        public Builder needsServerLog() {
            this.needsServerLog = true;
            return this;
        }

        /** @return this builder, for a case that needs the server's declared body-limit */
        public Builder needsBodyLimit() {
            this.needsBodyLimit = true;
            return this;
        }

        /**
         * @param c the check
         * @return the case
         */
        public ConformanceCase check(Check c) {
            this.check = c;
            return new ConformanceCase(this);
        }
    }
}
