package dev.jgi.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one case at one mount on one server, as every report shows it: verdict, reason,
 * and for failures and declared deviations the transcript (each connection's request sent and
 * response received).
 */
public final class CaseResult {
    private final String caseId;
    private final String title;
    private final Category category;
    private final List<String> rules;
    private final String mount;
    private final Verdict verdict;
    private final String reason;
    private final long millis;
    private final List<Exchange> transcript;

    /**
     * Creates a result.
     *
     * @param c the case
     * @param mount the mount prefix it ran at ({@code ""} for the root)
     * @param verdict the verdict
     * @param reason why (empty for a pass)
     * @param millis how long it took
     * @param transcript the connections it made
     */
    public CaseResult(ConformanceCase c, String mount, Verdict verdict, String reason, long millis, List<Exchange> transcript) {
        this(c.id(), c.title(), c.category(), c.rules(), mount, verdict, reason, millis, transcript);
    }

    private CaseResult(String caseId, String title, Category category, List<String> rules, String mount, Verdict verdict,
            String reason, long millis, List<Exchange> transcript) {
        this.caseId = caseId;
        this.title = title;
        this.category = category;
        this.rules = List.copyOf(rules);
        this.mount = mount;
        this.verdict = verdict;
        this.reason = reason == null ? "" : reason;
        this.millis = millis;
        this.transcript = List.copyOf(transcript);
    }

    /** @return the case id */
    public String caseId() {
        return caseId;
    }

    /** @return the case title */
    public String title() {
        return title;
    }

    /** @return the case group */
    public Category category() {
        return category;
    }

    /** @return the rules the case covers */
    public List<String> rules() {
        return rules;
    }

    /** @return the mount prefix, {@code ""} for the root */
    public String mount() {
        return mount;
    }

    /** @return the mount as shown in reports: {@code "/"} for the root */
    public String mountLabel() {
        return mount.isEmpty() ? "/" : mount;
    }

    /** @return the verdict */
    public Verdict verdict() {
        return verdict;
    }

    /** @return why; empty for a pass */
    public String reason() {
        return reason;
    }

    /** @return the duration in milliseconds */
    public long millis() {
        return millis;
    }

    /** @return the connections the case made (kept for failures and deviations only) */
    public List<Exchange> transcript() {
        return transcript;
    }

    /** @return the result as a JSON-ready map */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("case", caseId);
        m.put("title", title);
        m.put("category", category.name());
        m.put("rules", rules);
        m.put("mount", mount);
        m.put("verdict", verdict.id());
        m.put("reason", reason);
        m.put("millis", millis);
        List<Object> t = new ArrayList<>();
        for (Exchange x : transcript) {
            t.add(x.toMap());
        }
        m.put("transcript", t);
        return m;
    }

    /**
     * Reads a result written by {@link #toMap()}.
     *
     * @param m the map
     * @return the result
     */
    public static CaseResult fromMap(Map<?, ?> m) {
        List<String> rules = new ArrayList<>();
        Object r = m.get("rules");
        if (r instanceof List) {
            for (Object o : (List<?>) r) {
                rules.add(String.valueOf(o));
            }
        }
        List<Exchange> transcript = new ArrayList<>();
        Object t = m.get("transcript");
        if (t instanceof List) {
            for (Object o : (List<?>) t) {
                transcript.add(Exchange.fromMap((Map<?, ?>) o));
            }
        }
        Category cat;
        try {
            cat = Category.valueOf(String.valueOf(m.get("category")));
        } catch (IllegalArgumentException e) {
            cat = Category.ERRORS_LIFECYCLE;
        }
        Object millis = m.get("millis");
        return new CaseResult(String.valueOf(m.get("case")), String.valueOf(m.get("title")), cat, rules,
                String.valueOf(m.get("mount")), Verdict.of(String.valueOf(m.get("verdict"))), String.valueOf(m.get("reason")),
                millis instanceof Number ? ((Number) millis).longValue() : 0, transcript);
    }

    @Override
    public String toString() {
        return verdict.id() + " " + caseId + " [" + mountLabel() + "]" + (reason.isEmpty() ? "" : ": " + reason);
    }
}
