package dev.jgi.conformance.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgi.conformance.CaseResult;
import dev.jgi.conformance.Capability;
import dev.jgi.conformance.ConformanceApp;
import dev.jgi.conformance.ConformanceCase;
import dev.jgi.conformance.ConformanceRun;
import dev.jgi.conformance.Declaration;
import dev.jgi.conformance.ReferenceServerUnderTest;
import dev.jgi.conformance.ServerUnderTest;
import dev.jgi.conformance.Verdict;
import dev.jgi.conformance.cases.Cases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML matrix, the JUnit XML and the result files, generated from real runs: the reference
 * server as it is, and the reference server claiming the reason-phrase capability it lacks, so that
 * the matrix has passes, a real failure with its transcript, and not-declared cells.
 */
class HtmlReportTest {

    private static ServerResults runOn(String name, Declaration declaration, List<ConformanceCase> cases) throws Exception {
        List<CaseResult> results = new ArrayList<>();
        for (String mount : List.of("", ConformanceRun.DEFAULT_MOUNT)) {
            try (ServerUnderTest.Running s = new ReferenceServerUnderTest(false).start(ConformanceApp.create(), mount)) {
                results.addAll(new ConformanceRun(s.baseUri(), declaration, null, 5000).runAll(cases, null));
            }
        }
        return new ServerResults(name, declaration, results);
    }

    @Test
    void theMatrixShowsCasesServersVerdictsAndExpandableFailures(@TempDir Path dir) throws Exception {
        List<ConformanceCase> cases = Cases.matching("^(request\\.query-raw|response\\.reason-phrase|path\\.mount-point|files\\.zero-copy)$");
        assertEquals(4, cases.size());
        ServerResults honest = runOn("reference", ReferenceServerUnderTest.declaration(false), cases);
        ServerResults claiming = runOn("reference-claims-reason-phrase",
                Declaration.builder().capability(Capability.REASON_PHRASE).expectContinue(Declaration.ExpectContinue.EAGER)
                        .optionsAsterisk(Declaration.OptionsAsterisk.SERVER).build(), cases);
        honest.write(dir);
        claiming.write(dir);
        Files.writeString(dir.resolve("unrelated.json"), "{\"not\": \"a result file\"}");
        Path page = HtmlReport.aggregate(dir);
        String html = Files.readString(page, StandardCharsets.UTF_8);

        assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains("<style>") && !html.contains("<script"), "self-contained page");
        // servers across
        assertTrue(html.contains("<th class=\"server\">reference<br>"), "column for the reference server");
        assertTrue(html.contains("<th class=\"server\">reference-claims-reason-phrase<br>"), "column for the second server");
        // cases down, at both mounts; mount-only cases only under the mount
        for (String c : List.of("request.query-raw", "response.reason-phrase", "files.zero-copy")) {
            assertTrue(html.contains("<code>" + c + "</code> [/]"), c + " at the root");
            assertTrue(html.contains("<code>" + c + "</code> [/mnt/app]"), c + " under the mount");
        }
        assertTrue(html.contains("<code>path.mount-point</code> [/mnt/app]") && !html.contains("<code>path.mount-point</code> [/]"));
        // rows: one per case run, one cell per server
        Matcher rows = Pattern.compile("<tr><td class=\"case\">(.*?)</tr>", Pattern.DOTALL).matcher(html);
        int n = 0;
        while (rows.find()) {
            n++;
            assertEquals(2, count(rows.group(1), "<td class=\""), "two server cells in " + rows.group(1));
        }
        assertEquals(7, n, "7 case runs");
        // verdicts, colour-coded
        assertTrue(html.contains("td.pass{background:#c8ecc8}") && html.contains("td.fail{background:#f6c3c3}"));
        assertEquals(honest.count(Verdict.PASS) + claiming.count(Verdict.PASS), count(html, "<td class=\"pass\">pass</td>"));
        assertEquals(2, count(html, "<td class=\"fail\"><details><summary>fail</summary>"), "reason-phrase fails twice on the claiming server");
        assertEquals(6, count(html, "<td class=\"not-declared\"><details><summary>not declared</summary>"));
        assertTrue(html.contains("the server does not declare the capability reason-phrase"));
        assertTrue(html.contains("the server does not declare the capability file-wrapper-zero-copy"));
        // an expanded failure: reason, request sent, response received
        Matcher fail = Pattern.compile("<td class=\"fail\"><details>(.*?)</details></td>", Pattern.DOTALL).matcher(html);
        assertTrue(fail.find());
        String cell = fail.group(1);
        assertTrue(cell.contains("<div class=\"reason\">201 FooBar: reason phrase: expected &quot;FooBar&quot;, got &quot;Created&quot;"), cell);
        assertTrue(cell.contains("<div class=\"lbl\">request sent</div><pre class=\"sent\">GET /"), cell);
        assertTrue(cell.contains("X-Jgi-Status: 201%20FooBar"), cell);
        assertTrue(cell.contains("<div class=\"lbl\">response received</div><pre class=\"received\">HTTP/1.1 201 Created"), cell);
    }

    @Test
    void aDeclaredDeviationIsAnAmberCellThatExpandsLikeAFailureAndIsCountedApart(@TempDir Path dir) throws Exception {
        List<ConformanceCase> cases = Cases.matching("^(request\\.query-raw|response\\.reason-phrase)$");
        // claims reason-phrase (which the reference server lacks) and declares the failure at the root only
        Declaration declared = Declaration.builder().capability(Capability.REASON_PHRASE)
                .deviation("response.reason-phrase", "/", "the JDK sends its own phrase").build();
        ServerResults r = runOn("deviating", declared, cases);
        assertEquals(1, r.count(Verdict.DEVIATION));
        assertEquals(1, r.count(Verdict.FAIL), "under the mount the deviation is not declared, so it is a failure");
        r.write(dir);
        String html = Files.readString(HtmlReport.aggregate(dir), StandardCharsets.UTF_8);
        assertTrue(html.contains("td.deviation{background:#ffd98a}"), "amber");
        assertTrue(html.contains("2 pass, 1 fail, 1 declared deviation, 0 not declared<br>"), html);
        assertTrue(html.contains("<span title=\"the JDK sends its own phrase\">deviation.response.reason-phrase@/</span>"), html);
        Matcher dev = Pattern.compile("<td class=\"deviation\"><details>(.*?)</details></td>", Pattern.DOTALL).matcher(html);
        assertTrue(dev.find(), html);
        String cell = dev.group(1);
        assertTrue(cell.startsWith("<summary>declared deviation</summary><div class=\"reason\">declared deviation: the JDK sends its own"
                + " phrase\nobserved: 201 FooBar: reason phrase"), cell);
        assertTrue(cell.contains("<div class=\"lbl\">request sent</div><pre class=\"sent\">GET /"), cell);
        assertTrue(cell.contains("<div class=\"lbl\">response received</div><pre class=\"received\">HTTP/1.1 201 Created"), cell);
        assertTrue(!dev.find(), "one deviation cell");
        assertEquals(1, count(html, "<td class=\"fail\"><details><summary>fail</summary>"));

        ServerResults back = ServerResults.read(dir.resolve("deviating.json"));
        assertEquals(1, back.count(Verdict.DEVIATION));
        assertEquals(r.results().get(1).reason(), back.results().get(1).reason());
        String xml = JUnitXml.render(r);
        assertTrue(xml.contains("tests=\"4\" failures=\"1\" errors=\"0\" skipped=\"1\""), xml);
        assertTrue(xml.contains("<skipped message=\"declared deviation: the JDK sends its own phrase&#10;observed: 201 FooBar"), xml);
        assertTrue(xml.contains("Rules: response.reason-phrase"), xml);
        assertEquals("deviating: 2 passed, 1 failed, 1 declared deviations, 0 not declared  -- NOT CONFORMANT", ConsoleReport.summary(r));
        ServerResults onlyDeviation = new ServerResults("d", declared, r.results().subList(0, 2));
        assertTrue(onlyDeviation.passed(), "a deviation alone does not fail a run");
    }

    @Test
    void resultFilesAndJunitXmlRoundTrip(@TempDir Path dir) throws Exception {
        List<ConformanceCase> cases = Cases.matching("^(request\\.methods|response\\.reason-phrase)$");
        ServerResults r = runOn("claims", Declaration.builder().capability(Capability.REASON_PHRASE).build(), cases);
        Path json = r.write(dir);
        ServerResults back = ServerResults.read(json);
        assertEquals(r.results().size(), back.results().size());
        assertEquals(r.count(Verdict.FAIL), back.count(Verdict.FAIL));
        assertEquals(r.results().get(1).reason(), back.results().get(1).reason());
        assertEquals(r.results().get(1).transcript().get(0).received(), back.results().get(1).transcript().get(0).received());
        String xml = JUnitXml.render(r);
        assertTrue(xml.contains("<testsuite name=\"jgi-conformance.claims\" tests=\"4\" failures=\"2\" errors=\"0\" skipped=\"0\""), xml);
        assertTrue(xml.contains("<testcase classname=\"jgi-conformance.claims.RESPONSE_STATUS_HEADERS\" name=\"response.reason-phrase [/]\""));
        assertTrue(xml.contains("<failure message=\"201 FooBar: reason phrase: expected &quot;FooBar&quot;, got &quot;Created&quot;\""));
        assertTrue(xml.contains("<property name=\"capabilities\" value=\"reason-phrase\"/>"));
        String console = ConsoleReport.summary(r);
        assertEquals("claims: 2 passed, 2 failed, 0 declared deviations, 0 not declared  -- NOT CONFORMANT", console);
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
