package dev.jgi.conformance;

/** The outcome of one case on one server at one mount. */
public enum Verdict {
    /** Every check of the case held. */
    PASS("pass"),
    /** A check failed; the result carries the reason and the transcript. */
    FAIL("fail"),
    /** The case needs a capability the server does not declare; it was not run. */
    NOT_DECLARED("not-declared"),
    /**
     * A declared deviation: the case failed, and the server declares a deviation for it (SPEC.md
     * "Server Properties and Capabilities", {@link Declaration#deviations()}). The result carries
     * the declared reason, the observed failure and the transcript. Neither a pass nor a failure:
     * reports show it apart from both, and it does not fail a run. A declared deviation whose case
     * passes is a {@link #FAIL}.
     */
    DEVIATION("deviation");

    private final String id;

    Verdict(String id) {
        this.id = id;
    }

    /** @return the name used in reports: {@code pass}, {@code fail}, {@code not-declared}, {@code deviation} */
    public String id() {
        return id;
    }

    /** @return the words reports use: "pass", "fail", "not declared", "declared deviation" */
    public String label() {
        switch (this) {
            case NOT_DECLARED:
                return "not declared";
            case DEVIATION:
                return "declared deviation";
            default:
                return id;
        }
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
