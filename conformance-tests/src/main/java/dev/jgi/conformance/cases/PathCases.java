package dev.jgi.conformance.cases;

import static dev.jgi.conformance.cases.Support.str;

import dev.jgi.conformance.CaseContext;
import dev.jgi.conformance.Category;
import dev.jgi.conformance.ConformanceCase;
import dev.jgi.conformance.Declaration.EarlyReject;
import dev.jgi.conformance.Declaration.MountPointWithoutSlash;
import dev.jgi.conformance.http.Request;
import dev.jgi.conformance.http.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The path policy of SPEC.md "Paths" (decisions.md "Path policy"): every fixture is either
 * handled exactly as the policy says, or rejected with 400 before the application, when the policy
 * says so or the server declares that it rejects that form itself.
 */
final class PathCases {

    private PathCases() {
    }

    private static final Category C = Category.PATHS;

    static List<ConformanceCase> cases() {
        return List.of(
            ConformanceCase.of(C, "path.percent-decoded", "%XX in the path is decoded once into PATH_INFO")
                .rules("path.decode", "environ.path-info").sources("P12", "H15", "gap 6")
                .check(ctx -> Support.paths(ctx, new Object[][] {
                    {"/foo/bar%2cbaz", "/foo/bar,baz"},
                    {"/a%20b", "/a b"},
                    {"/%41%42c", "/ABc"}})),

            ConformanceCase.of(C, "path.utf8", "percent-encoded UTF-8 is decoded to characters")
                .rules("path.decode").sources("P14", "gap 6")
                .check(ctx -> Support.paths(ctx, new Object[][] {
                    {"/%E3%81%82", "/\u3042"},
                    {"/caf%C3%A9", "/caf\u00e9"},
                    {"/%F0%9F%98%80", "/\uD83D\uDE00"}})),

            ConformanceCase.of(C, "path.encoded-percent", "%25 decodes to % exactly once (or 400 if declared)")
                .rules("path.encoded-percent", "path.decode").sources("P13", "gap 6")
                .check(ctx -> Support.paths(ctx, new Object[][] {
                    {"/foo/%252c", "/foo/%2c", EarlyReject.ENCODED_PERCENT},
                    {"/100%25", "/100%", EarlyReject.ENCODED_PERCENT}})),

            ConformanceCase.of(C, "path.plus", "+ in a path is a plus sign, not a space")
                .rules("path.decode").sources("gap 6")
                .check(ctx -> Support.paths(ctx, new Object[][] {
                    {"/a+b", "/a+b"},
                    {"/a%2Bb", "/a+b"}})),

            ConformanceCase.of(C, "path.reserved-escapes", "escaped ; ? # are data, not delimiters")
                .rules("path.decode", "path.params").sources("gap 6")
                .check(ctx -> Support.paths(ctx, new Object[][] {
                    {"/a%3Bb", "/a;b"},
                    {"/a%3Fb", "/a?b"},
                    {"/a%23b", "/a#b"}})),

            ConformanceCase.of(C, "path.encoded-slash", "%2F is rejected with 400")
                .rules("path.encoded-slash", "server.call").sources("gap 6")
                .check(ctx -> Support.paths(ctx, new Object[][] {
                    {"/a%2Fb", null},
                    {"/a%2fb/c", null}})),

            ConformanceCase.of(C, "path.encoded-nul", "%00 is rejected with 400")
                .rules("path.nul", "environ.path-info").sources("gap 6")
                .check(ctx -> Support.paths(ctx, new Object[][] {
                    {"/a%00b", null},
                    {"/a%0Ab", null},
                    {"/a%0db", null},
                    {"/a%1Fb", null},
                    {"/a%7Fb", null}})),

            ConformanceCase.of(C, "path.malformed-escape", "a malformed or truncated escape is rejected with 400")
                .rules("path.decode").sources("gap 6")
                .check(ctx -> Support.paths(ctx, new Object[][] {
                    {"/a%zz", null},
                    {"/a%4", null},
                    {"/a%", null}})),

            ConformanceCase.of(C, "path.invalid-utf8", "escapes that are not UTF-8 are rejected with 400")
                .rules("path.invalid-utf8").sources("gap 6")
                .check(ctx -> Support.paths(ctx, new Object[][] {
                    {"/a%FF", null},
                    {"/a%C3", null},
                    {"/a%C3%28", null},
                    {"/%ED%A0%80", null},
                    {"/%C0%AF", null}})),

            ConformanceCase.of(C, "path.params", ";params are stripped from each segment; REQUEST_URI keeps them")
                .rules("path.params").sources("gap 6")
                .check(ctx -> Support.paths(ctx, new Object[][] {
                    {"/a;x=1/b;y", "/a/b"},
                    {"/a;v=1", "/a"},
                    {"/;x/b", "//b", EarlyReject.EMPTY_SEGMENT}})),

            ConformanceCase.of(C, "path.spec-examples", "the worked examples of SPEC.md \"Request paths\"")
                .rules("path.decode", "path.encoded-percent", "path.params", "path.dot-segments", "path.empty-segments")
                .sources("SPEC.md")
                .check(ctx -> Support.paths(ctx, new Object[][] {
                    {"/caf%C3%A9+x", "/caf\u00e9+x"},
                    {"/a%2541;p/./b/..//c", "/a%41//c", EarlyReject.ENCODED_PERCENT, EarlyReject.DOT_SEGMENT, EarlyReject.EMPTY_SEGMENT},
                    {"/a/..", "/", EarlyReject.DOT_SEGMENT}})),

            ConformanceCase.of(C, "path.raw-space", "a raw space in the target is rejected with 400, never cut off or rewritten")
                .rules("path.chars").sources("SPEC.md", "RFC 9112 3.2")
                .check(ctx -> Support.paths(ctx, new Object[][] {
                    {"/a b", null},
                    {"/a b/c", null}})),

            ConformanceCase.of(C, "path.params-dot", "a dot segment with ;params is rejected with 400")
                .rules("path.params").sources("gap 6")
                .check(ctx -> Support.paths(ctx, new Object[][] {
                    {"/a/..;x/b", null},
                    {"/a/.;x/b", null}})),

            ConformanceCase.of(C, "path.dot-segments", "dot-segments are resolved (or 400 if declared)")
                .rules("path.dot-segments", "environ.path-info").sources("gap 6")
                .check(ctx -> Support.paths(ctx, new Object[][] {
                    {"/a/b/../c", "/a/c", EarlyReject.DOT_SEGMENT},
                    {"/a/./b", "/a/b", EarlyReject.DOT_SEGMENT},
                    {"/a/b/..", "/a/", EarlyReject.DOT_SEGMENT},
                    {"/a/.", "/a/", EarlyReject.DOT_SEGMENT}})),

            ConformanceCase.of(C, "path.dot-above-root", "a .. that climbs above the root is rejected with 400")
                .rules("path.dot-segments").sources("gap 6")
                .check(ctx -> {
                    int depth = ctx.mount().isEmpty() ? 0 : ctx.mount().split("/").length - 1;
                    StringBuilder up = new StringBuilder();
                    for (int i = 0; i <= depth; i++) {
                        up.append("/..");
                    }
                    Support.paths(ctx, new Object[][] {
                        {up + "/a", null},
                        {"/a" + up + "/../b", null}});
                }),

            ConformanceCase.of(C, "path.dot-leaves-mount", "a .. that leaves the mount gives 404 (or 400 if declared)")
                .rules("path.dot-segments", "path.mount").sources("gap 6").mountOnly()
                .check(ctx -> {
                    Request r = ctx.env("/../elsewhere");
                    Response resp = ctx.send(r);
                    int want = ctx.declaration().rejectsBeforeApp(EarlyReject.DOT_SEGMENT) ? 400 : 404;
                    ctx.status(resp, want, ctx.target("/../elsewhere"));
                    Support.notCalled(ctx, List.of(CaseContext.idOf(r)), "a path outside the mount");
                }),

            ConformanceCase.of(C, "path.encoded-dot-segment", "a segment that decodes to . or .. is rejected with 400")
                .rules("path.encoded-dot").sources("gap 6")
                .check(ctx -> Support.paths(ctx, new Object[][] {
                    {"/a/%2e%2e/b", null},
                    {"/a/%2E/b", null},
                    {"/a/.%2e/b", null},
                    {"/a/%2e./b", null}})),

            ConformanceCase.of(C, "path.encoded-dot", "%2e inside a segment is an ordinary dot (or 400 if declared)")
                .rules("path.decode").sources("gap 6")
                .check(ctx -> Support.paths(ctx, new Object[][] {
                    {"/a%2eb", "/a.b", EarlyReject.ENCODED_DOT},
                    {"/%2ehidden", "/.hidden", EarlyReject.ENCODED_DOT}})),

            ConformanceCase.of(C, "path.empty-segments", "empty segments (//) are preserved (or 400 if declared)")
                .rules("path.empty-segments").sources("P36", "S emptyPathSegments", "H24", "gap 7")
                .check(ctx -> Support.paths(ctx, new Object[][] {
                    {"//foo///bar/baz", "//foo///bar/baz", EarlyReject.EMPTY_SEGMENT},
                    {"/a//", "/a//", EarlyReject.EMPTY_SEGMENT}})),

            ConformanceCase.of(C, "path.raw-invalid-chars", "raw characters outside RFC 3986 pchar are rejected with 400")
                .rules("path.chars").sources("gap 6")
                .check(ctx -> Support.paths(ctx, new Object[][] {
                    {"/a\"b", null},
                    {"/a<b>", null},
                    {"/a\\b", null},
                    {"/a^b", null},
                    {"/a`b", null},
                    {"/a{b}", null},
                    {"/a|b", null},
                    {"/caf\u00c3\u00a9", null}})),

            ConformanceCase.of(C, "path.mount-slash", "the mount prefix with a slash gives PATH_INFO \"/\"")
                .rules("path.mount", "environ.script-name").sources("P1")
                .check(ctx -> {
                    Map<String, Object> env = ctx.environOf(ctx.env("/"));
                    ctx.expectEqual(ctx.mount(), str(env, "SCRIPT_NAME"), "SCRIPT_NAME");
                    ctx.expectEqual("/", str(env, "PATH_INFO"), "PATH_INFO");
                }),

            ConformanceCase.of(C, "path.mount-point", "the mount prefix without a slash: PATH_INFO \"\" or a redirect, as declared")
                .rules("path.mount", "environ.script-or-path").sources("gap").mountOnly()
                .check(ctx -> {
                    Request r = ctx.tag(Request.get(ctx.mountRaw()), "env");
                    Response resp = ctx.send(r);
                    if (ctx.declaration().mountPointWithoutSlash() == MountPointWithoutSlash.APP) {
                        Map<String, Object> env = ctx.environ(resp);
                        ctx.expectEqual(ctx.mount(), str(env, "SCRIPT_NAME"), "SCRIPT_NAME");
                        ctx.expectEqual("", str(env, "PATH_INFO"), "PATH_INFO");
                    } else {
                        ctx.check(resp.status() >= 300 && resp.status() < 400, "mount-point-without-slash=redirect: expected a 3xx, got "
                                + resp.status());
                        String loc = resp.header("Location");
                        ctx.check(loc != null, "the redirect has no Location");
                        String path = URI.create(loc).getRawPath();
                        ctx.equal(ctx.mountRaw() + "/", path, "redirect Location path");
                    }
                }),

            ConformanceCase.of(C, "path.outside-mount", "a path that only shares a prefix with the mount is 404, not the application")
                .rules("path.mount").sources("server-apis 6.2").mountOnly()
                .check(ctx -> {
                    Request r = ctx.tag(Request.get(ctx.mountRaw() + "x/y"), "env");
                    Response resp = ctx.send(r);
                    ctx.status(resp, 404, ctx.mountRaw() + "x/y");
                    Support.notCalled(ctx, List.of(CaseContext.idOf(r)), "a path outside the mount");
                }),

            ConformanceCase.of(C, "path.script-name-decoded", "an escaped mount prefix still matches; SCRIPT_NAME is decoded")
                .rules("environ.script-name", "path.mount").sources("gap").mountOnly()
                .check(ctx -> {
                    String raw = ctx.mountRaw();
                    char last = raw.charAt(raw.length() - 1);
                    String escaped = raw.substring(0, raw.length() - 1) + String.format("%%%02X", (int) last);
                    Request r = ctx.tag(Request.get(escaped + "/x"), "env");
                    Map<String, Object> env = ctx.environOf(r);
                    ctx.expectEqual(ctx.mount(), str(env, "SCRIPT_NAME"), "SCRIPT_NAME");
                    ctx.expectEqual("/x", str(env, "PATH_INFO"), "PATH_INFO");
                    ctx.expectEqual(escaped + "/x", str(env, "REQUEST_URI"), "REQUEST_URI (raw)");
                }));
    }
}
