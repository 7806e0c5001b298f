package dev.jgi.conformance.report;

import dev.jgi.conformance.CaseResult;
import dev.jgi.conformance.Exchange;
import dev.jgi.conformance.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Results in the JUnit XML format that CI systems read (the surefire dialect): one testsuite per
 * server, one testcase per case and mount; failures carry the reason and the transcript,
 * not-declared cases are {@code <skipped>} with the reason, and declared deviations are
 * {@code <skipped>} with the declared reason and the observed failure as the message and the
 * transcript as the text.
 */
public final class JUnitXml {

    private JUnitXml() {
    }

    /**
     * @param results a server's results
     * @return the XML document
     */
    public static String render(ServerResults results) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        double seconds = results.results().stream().mapToLong(CaseResult::millis).sum() / 1000.0;
        sb.append("<testsuite name=\"").append(attr("jgi-conformance." + results.server())).append("\" tests=\"")
                .append(results.results().size()).append("\" failures=\"").append(results.count(Verdict.FAIL))
                .append("\" errors=\"0\" skipped=\"").append(results.count(Verdict.NOT_DECLARED) + results.count(Verdict.DEVIATION)).append("\" time=\"")
                .append(seconds).append("\" timestamp=\"").append(attr(results.generated())).append("\">\n");
        sb.append("  <properties>\n");
        results.declaration().forEach((k, v) -> sb.append("    <property name=\"").append(attr(k)).append("\" value=\"")
                .append(attr(v)).append("\"/>\n"));
        sb.append("    <property name=\"java.version\" value=\"").append(attr(results.java())).append("\"/>\n");
        sb.append("  </properties>\n");
        for (CaseResult r : results.results()) {
            sb.append("  <testcase classname=\"").append(attr("jgi-conformance." + results.server() + "." + r.category().name()))
                    .append("\" name=\"").append(attr(r.caseId() + " [" + r.mountLabel() + "]")).append("\" time=\"")
                    .append(r.millis() / 1000.0).append('"');
            if (r.verdict() == Verdict.PASS) {
                sb.append("/>\n");
                continue;
            }
            sb.append(">\n");
            if (r.verdict() == Verdict.NOT_DECLARED) {
                sb.append("    <skipped message=\"").append(attr("not declared: " + r.reason())).append("\"/>\n");
            } else if (r.verdict() == Verdict.DEVIATION) {
                StringBuilder body = new StringBuilder("Rules: ").append(String.join(", ", r.rules()));
                for (Exchange x : r.transcript()) {
                    body.append("\n\n").append(x);
                }
                sb.append("    <skipped message=\"").append(attr(r.reason())).append("\">").append(text(body.toString()))
                        .append("</skipped>\n");
            } else {
                StringBuilder body = new StringBuilder(r.reason()).append("\n\nRules: ").append(String.join(", ", r.rules()));
                for (Exchange x : r.transcript()) {
                    body.append("\n\n").append(x);
                }
                sb.append("    <failure message=\"").append(attr(firstLine(r.reason()))).append("\" type=\"conformance\">")
                        .append(text(body.toString())).append("</failure>\n");
            }
            sb.append("  </testcase>\n");
        }
        sb.append("</testsuite>\n");
        return sb.toString();
    }

    /**
     * Writes {@code <dir>/<server>.xml}.
     *
     * @param dir the directory
     * @param results the results
     * @return the file
     * @throws IOException if writing failed
     */
    public static Path write(Path dir, ServerResults results) throws IOException {
        Files.createDirectories(dir);
        Path p = dir.resolve(ServerResults.fileName(results.server()) + ".xml");
        Files.writeString(p, render(results), StandardCharsets.UTF_8);
        return p;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static String attr(String s) {
        return text(s).replace("\"", "&quot;").replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;");
    }

    static String text(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&': sb.append("&amp;"); break;
                case '<': sb.append("&lt;"); break;
                case '>': sb.append("&gt;"); break;
                default:
                    // XML 1.0 forbids most control characters even as references
                    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0xFFFE || c == 0xFFFF) {
                        sb.append("\\u").append(String.format("%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.toString();
    }
}
