package dev.jgi.conformance.cases;

import dev.jgi.conformance.ConformanceCase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Every conformance case, in report order. */
public final class Cases {

    private Cases() {
    }

    private static final List<ConformanceCase> ALL = build();

    private static List<ConformanceCase> build() {
        List<ConformanceCase> l = new ArrayList<>();
        l.addAll(RequestLineCases.cases());
        l.addAll(PathCases.cases());
        l.addAll(HeaderCases.cases());
        l.addAll(RequestBodyCases.cases());
        l.addAll(ResponseHeaderCases.cases());
        l.addAll(ResponseBodyCases.cases());
        l.addAll(FileCases.cases());
        l.addAll(LifecycleCases.cases());
        l.addAll(ProtocolCases.cases());
        l.addAll(EnvironDiffCases.cases());
        Set<String> ids = new HashSet<>();
        for (ConformanceCase c : l) {
            if (!ids.add(c.id())) {
                throw new IllegalStateException("two cases are named " + c.id());
            }
        }
        return Collections.unmodifiableList(l);
    }

    /** @return every case, grouped by category */
    public static List<ConformanceCase> all() {
        return ALL;
    }

    /**
     * @param regex a regular expression
     * @return the cases whose id contains a match
     */
    public static List<ConformanceCase> matching(String regex) {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex);
        List<ConformanceCase> out = new ArrayList<>();
        for (ConformanceCase c : ALL) {
            if (p.matcher(c.id()).find()) {
                out.add(c);
            }
        }
        return out;
    }
}
