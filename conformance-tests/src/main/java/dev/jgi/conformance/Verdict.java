package dev.jgi.conformance;

/** The outcome of one case on one server at one mount. */
public enum Verdict {
    /** Every check of the case held. */
    PASS("pass"),
    /** A check failed; the result carries the reason and the transcript. */
    FAIL("fail"),
    /** The case needs a capability the server does not declare; it was not run. */
    NOT_DECLARED("not-declared");

    private final String id;

    Verdict(String id) {
        this.id = id;
    }

    /** @return the name used in reports: {@code pass}, {@code fail}, {@code not-declared} */
    public String id() {
        return id;
    }

    /**
     * @param id a name from {@link #id()}
     * @return the verdict
     */
    public static Verdict of(String id) {
        for (Verdict v : values()) {
            if (v.id.equals(id)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown verdict " + id);
    }
}
