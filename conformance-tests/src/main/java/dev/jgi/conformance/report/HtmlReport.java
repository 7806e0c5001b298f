package dev.jgi.conformance.report;

import dev.jgi.conformance.CaseResult;
import dev.jgi.conformance.Category;
import dev.jgi.conformance.ConformanceCase;
import dev.jgi.conformance.Declaration;
import dev.jgi.conformance.Exchange;
import dev.jgi.conformance.Verdict;
import dev.jgi.conformance.cases.Cases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The conformance matrix as one self-contained HTML page: cases (at each mount) down, servers
 * across, colour-coded verdicts. A failure, and a declared deviation (amber), expands (HTML
 * {@code <details>}, no script) to its reason and, for each connection, the request sent and the
 * response received; a not-declared cell expands to the capability that was missing. It aggregates every result file of a
 * directory, so the matrix grows as adapter modules add their servers.
 */
public final class HtmlReport {

    private HtmlReport() {
    }

    /** The file name the matrix is written to inside a results directory. */
    public static final String FILE = "index.html";

    /**
     * Reads every result file in {@code dir} and writes {@code dir/index.html}.
     *
     * @param dir the results directory
     * @return the page written
     * @throws IOException if reading or writing failed
     */
    public static Path aggregate(Path dir) throws IOException {
        return write(dir.resolve(FILE), ServerResults.readAll(dir));
    }

    /**
     * Writes the matrix of some servers' results.
     *
     * @param file the page to write
     * @param servers the servers' results
     * @return {@code file}
     * @throws IOException if writing failed
     */
    public static Path write(Path file, List<ServerResults> servers) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, render(servers), StandardCharsets.UTF_8);
        return file;
    }

    private static final String CSS = String.join("\n",
            "body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;margin:1.5em;color:#222}",
            "h1{font-size:1.4em;margin:0 0 .3em}",
            "table{border-collapse:collapse;width:100%}",
            "th,td{border:1px solid #ccc;padding:3px 6px;vertical-align:top;text-align:left}",
            "thead th{position:sticky;top:0;background:#f4f4f4}",
            "tr.cat th{background:#e8eef6;font-size:1.05em}",
            "td.case code{font-weight:600}",
            "td.case .t{color:#555;font-size:.9em}",
            "td.case .r{color:#777;font-size:.8em}",
            "td.pass{background:#c8ecc8}",
            "td.fail{background:#f6c3c3}",
            "td.not-declared{background:#e6e6e6;color:#555}",
            "td.deviation{background:#ffd98a}",
            "td.absent{background:#fff;color:#aaa}",
            "details summary{cursor:pointer;font-weight:600}",
            "pre{white-space:pre-wrap;word-break:break-all;background:#fff;border:1px solid #ddd;padding:4px;max-height:30em;overflow:auto;"
                    + "font-size:12px}",
            ".reason{white-space:pre-wrap;margin:.3em 0}",
            ".ex{margin:.4em 0 .8em;padding-left:.5em;border-left:3px solid #c66}",
            "td.deviation .ex{border-left-color:#d89000}",
            ".lbl{font-size:.8em;color:#555;margin-top:.3em}",
            ".decl{font-size:.8em;color:#444;font-weight:normal}",
            ".legend span{display:inline-block;padding:1px 8px;margin-right:6px;border:1px solid #ccc}");

    /**
     * Renders the matrix.
     *
     * @param servers the servers' results
     * @return the HTML page
     */
    public static String render(List<ServerResults> servers) {
        // rows: every (case, mount) any server reported, in suite order, unknown cases last
        Map<String, Integer> order = new HashMap<>();
        List<ConformanceCase> known = Cases.all();
        for (int i = 0; i < known.size(); i++) {
            order.put(known.get(i).id(), i);
        }
        Map<String, CaseResult> rows = new LinkedHashMap<>();
        List<Map<String, CaseResult>> cells = new ArrayList<>();
        for (ServerResults s : servers) {
            Map<String, CaseResult> byRow = new HashMap<>();
            for (CaseResult r : s.results()) {
                String key = r.caseId() + " " + r.mount();
                rows.putIfAbsent(key, r);
                byRow.put(key, r);
            }
            cells.add(byRow);
        }
        List<CaseResult> sorted = new ArrayList<>(rows.values());
        sorted.sort((a, b) -> {
            int c = Integer.compare(a.category().ordinal(), b.category().ordinal());
            if (c != 0) {
                return c;
            }
            c = Integer.compare(order.getOrDefault(a.caseId(), Integer.MAX_VALUE), order.getOrDefault(b.caseId(), Integer.MAX_VALUE));
            if (c != 0) {
                return c;
            }
            c = a.caseId().compareTo(b.caseId());
            return c != 0 ? c : a.mount().compareTo(b.mount());
        });

        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>JGI conformance matrix</title>\n<style>\n")
                .append(CSS).append("\n</style></head><body>\n");
        h.append("<h1>JGI conformance matrix</h1>\n<p>").append(servers.size()).append(" server(s), ").append(sorted.size())
                .append(" case runs (each case at the root <code>/</code> and under a mount prefix). Generated ")
                .append(esc(Instant.now().toString())).append(".</p>\n");
        h.append("<p class=\"legend\"><span class=\"pass\" style=\"background:#c8ecc8\">pass</span>")
                .append("<span style=\"background:#f6c3c3\">fail</span>")
                .append("<span style=\"background:#ffd98a\">declared deviation</span><span style=\"background:#e6e6e6\">not declared</span>")
                .append("<span>&mdash; not run</span> Click a failure or a deviation for its reason and the requests and responses.")
                .append(" A declared deviation is a case the server declares it cannot pass (SPEC.md, Server Properties and")
                .append(" Capabilities); it failed as declared.</p>\n");
        h.append("<table>\n<thead><tr><th>case [mount]</th>");
        for (ServerResults s : servers) {
            h.append("<th class=\"server\">").append(esc(s.server())).append("<br><span class=\"decl\">")
                    .append(s.count(Verdict.PASS)).append(" pass, ").append(s.count(Verdict.FAIL)).append(" fail, ")
                    .append(s.count(Verdict.DEVIATION)).append(" declared deviation").append(s.count(Verdict.DEVIATION) == 1 ? "" : "s")
                    .append(", ").append(s.count(Verdict.NOT_DECLARED)).append(" not declared<br>");
            s.declaration().forEach((k, v) -> {
                if (k.startsWith(Declaration.DEVIATION_PREFIX)) {
                    // the reason is in the cell; the header only lists what is declared
                    h.append("<span title=\"").append(esc(v)).append("\">").append(esc(k)).append("</span><br>");
                } else {
                    h.append(esc(k)).append('=').append(esc(v.isEmpty() ? "-" : v)).append("<br>");
                }
            });
            h.append("Java ").append(esc(s.java())).append("</span></th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        Category current = null;
        for (CaseResult row : sorted) {
            if (row.category() != current) {
                current = row.category();
                h.append("<tr class=\"cat\"><th colspan=\"").append(servers.size() + 1).append("\">").append(esc(current.title()))
                        .append("</th></tr>\n");
            }
            String key = row.caseId() + " " + row.mount();
            h.append("<tr><td class=\"case\"><code>").append(esc(row.caseId())).append("</code> [").append(esc(row.mountLabel()))
                    .append("]<div class=\"t\">").append(esc(row.title())).append("</div><div class=\"r\">")
                    .append(esc(String.join(", ", row.rules()))).append("</div></td>");
            for (Map<String, CaseResult> byRow : cells) {
                CaseResult r = byRow.get(key);
                h.append(cell(r));
            }
            h.append("</tr>\n");
        }
        h.append("</tbody></table>\n</body></html>\n");
        return h.toString();
    }

    private static String cell(CaseResult r) {
        if (r == null) {
            return "<td class=\"absent\">&mdash;</td>";
        }
        StringBuilder c = new StringBuilder();
        switch (r.verdict()) {
            case PASS:
                return "<td class=\"pass\">pass</td>";
            case NOT_DECLARED:
                c.append("<td class=\"not-declared\"><details><summary>not declared</summary><div class=\"reason\">")
                        .append(esc(r.reason())).append("</div></details></td>");
                return c.toString();
            default:
                String cls = r.verdict() == Verdict.DEVIATION ? "deviation" : "fail";
                String label = r.verdict() == Verdict.DEVIATION ? "declared deviation" : "fail";
                c.append("<td class=\"").append(cls).append("\"><details><summary>").append(label).append("</summary><div class=\"reason\">")
                        .append(esc(r.reason())).append("</div>");
                for (Exchange x : r.transcript()) {
                    c.append("<div class=\"ex\"><div><b>").append(esc(x.title())).append("</b></div>")
                            .append("<div class=\"lbl\">request sent</div><pre class=\"sent\">").append(esc(x.sent())).append("</pre>")
                            .append("<div class=\"lbl\">response received</div><pre class=\"received\">").append(esc(x.received()))
                            .append("</pre>");
                    if (!x.notes().isEmpty()) {
                        c.append("<div class=\"lbl\">notes</div><div class=\"reason\">").append(esc(x.notes())).append("</div>");
                    }
                    c.append("</div>");
                }
                c.append("</details></td>");
                return c.toString();
        }
    }

    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '&': sb.append("&amp;"); break;
                case '<': sb.append("&lt;"); break;
                case '>': sb.append("&gt;"); break;
                case '"': sb.append("&quot;"); break;
                default: sb.append(ch);
            }
        }
        return sb.toString();
    }
}
