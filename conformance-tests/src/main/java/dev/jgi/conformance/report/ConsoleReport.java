package dev.jgi.conformance.report;

import dev.jgi.conformance.CaseResult;
import dev.jgi.conformance.Exchange;
import dev.jgi.conformance.Verdict;
import java.io.PrintStream;

/** Plain-text verdicts, one line per case and mount, then a summary. */
public final class ConsoleReport {

    private ConsoleReport() {
    }

    /**
     * The five-character tag a line starts with: {@code "PASS "}, {@code "FAIL "}, {@code "N/D  "}
     * (not declared), {@code "DEV  "} (declared deviation).
     *
     * @param v a verdict
     * @return its tag
     */
    public static String tag(Verdict v) {
        switch (v) {
            case PASS:
                return "PASS ";
            case FAIL:
                return "FAIL ";
            case DEVIATION:
                return "DEV  ";
            default:
                return "N/D  ";
        }
    }

    /**
     * Formats one result as a line (plus indented reason lines for failures and deviations).
     *
     * @param r the result
     * @return the text, without a trailing newline
     */
    public static String line(CaseResult r) {
        StringBuilder sb = new StringBuilder(tag(r.verdict())).append(r.caseId()).append(" [").append(r.mountLabel()).append(']');
        if (r.verdict() == Verdict.NOT_DECLARED) {
            sb.append(" (").append(r.reason()).append(')');
        } else if (r.verdict() == Verdict.FAIL || r.verdict() == Verdict.DEVIATION) {
            for (String l : r.reason().split("\n")) {
                sb.append("\n      ").append(l);
            }
        }
        return sb.toString();
    }

    /**
     * Prints a whole server's results.
     *
     * @param out where to print
     * @param results the results
     * @param transcripts whether to print the transcripts of failures
     */
    public static void print(PrintStream out, ServerResults results, boolean transcripts) {
        out.println("JGI conformance: " + results.server() + " " + results.declaration());
        for (CaseResult r : results.results()) {
            out.println(line(r));
            if (transcripts && (r.verdict() == Verdict.FAIL || r.verdict() == Verdict.DEVIATION)) {
                for (Exchange x : r.transcript()) {
                    for (String l : x.toString().split("\n")) {
                        out.println("        | " + l);
                    }
                }
            }
        }
        out.println(summary(results));
    }

    /**
     * @param results a server's results
     * @return the summary line
     */
    public static String summary(ServerResults results) {
        return results.server() + ": " + results.count(Verdict.PASS) + " passed, " + results.count(Verdict.FAIL) + " failed, "
                + results.count(Verdict.DEVIATION) + " declared deviations, " + results.count(Verdict.NOT_DECLARED) + " not declared"
                + (results.passed() ? "" : "  -- NOT CONFORMANT");
    }
}
