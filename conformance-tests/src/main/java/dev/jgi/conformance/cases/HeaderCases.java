package dev.jgi.conformance.cases;

import static dev.jgi.conformance.cases.Support.str;

import dev.jgi.conformance.Category;
import dev.jgi.conformance.ConformanceCase;
import java.util.List;
import java.util.Map;

/** Request headers to HTTP_* environ keys (SPEC.md "Request headers"). */
final class HeaderCases {

    private HeaderCases() {
    }

    private static final Category C = Category.REQUEST_HEADERS;

    static List<ConformanceCase> cases() {
        return List.of(
            ConformanceCase.of(C, "headers.custom", "a request header becomes HTTP_<NAME>, any case of the name")
                .rules("environ.header-key").sources("P9")
                .check(ctx -> {
                    Map<String, Object> env = ctx.environOf(ctx.env("/h").header("Foo", "Bar")
                            .header("x-lower-case", "v1").header("X-MiXeD-CaSe", "v2"));
                    ctx.expectEqual("Bar", str(env, "HTTP_FOO"), "HTTP_FOO");
                    ctx.expectEqual("v1", str(env, "HTTP_X_LOWER_CASE"), "HTTP_X_LOWER_CASE");
                    ctx.expectEqual("v2", str(env, "HTTP_X_MIXED_CASE"), "HTTP_X_MIXED_CASE");
                }),

            ConformanceCase.of(C, "headers.cookie", "Cookie becomes HTTP_COOKIE, never a bare COOKIE")
                .rules("environ.header-key").sources("P10", "P23")
                .check(ctx -> {
                    Map<String, Object> env = ctx.environOf(ctx.env("/h").header("Cookie", "foo=bar"));
                    ctx.expectEqual("foo=bar", str(env, "HTTP_COOKIE"), "HTTP_COOKIE");
                    ctx.expect(!env.containsKey("COOKIE"), "a bare COOKIE key must not exist");
                }),

            ConformanceCase.of(C, "headers.two-cookie-headers", "two Cookie lines are joined with \"; \" in order, same-name cookies kept")
                .rules("headers.cookie-join").sources("S cookiesWithSameName", "RC cookies", "gap 8")
                .check(ctx -> {
                    Map<String, Object> env = ctx.environOf(ctx.env("/h").header("Cookie", "lang=en-US; a=1").header("Cookie", "lang=zh-CN"));
                    ctx.expectEqual("lang=en-US; a=1; lang=zh-CN", str(env, "HTTP_COOKIE"), "HTTP_COOKIE");
                }),

            ConformanceCase.of(C, "headers.repeated", "repeated header lines are joined with \", \" in arrival order")
                .rules("headers.join").sources("P21", "H17", "gap 8")
                .check(ctx -> {
                    Map<String, Object> env = ctx.environOf(ctx.env("/h").header("X-Foo", "bar").header("X-Foo", "baz")
                            .header("X-Other", "o").header("x-foo", "qux"));
                    ctx.expectEqual("bar, baz, qux", str(env, "HTTP_X_FOO"), "HTTP_X_FOO");
                }),

            ConformanceCase.of(C, "headers.comma-value", "one header line containing commas stays one value, unsplit")
                .rules("headers.join").sources("H18", "gap 8")
                .check(ctx -> {
                    Map<String, Object> env = ctx.environOf(ctx.env("/h").header("X-List", "one,two,three")
                            .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko), extra"));
                    ctx.expectEqual("one,two,three", str(env, "HTTP_X_LIST"), "HTTP_X_LIST");
                    ctx.expectEqual("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko), extra",
                            str(env, "HTTP_USER_AGENT"), "HTTP_USER_AGENT");
                }),

            ConformanceCase.of(C, "headers.quotes", "quotes and backslashes in values are preserved byte for byte")
                .rules("environ.header-key").sources("H10")
                .check(ctx -> {
                    String v = "\"quoted\" and \\\"escaped\\\" \\ end";
                    Map<String, Object> env = ctx.environOf(ctx.env("/h").header("X-Quote", v));
                    ctx.expectEqual(v, str(env, "HTTP_X_QUOTE"), "HTTP_X_QUOTE");
                }),

            ConformanceCase.of(C, "headers.long-values", "long header values (128 B, 4 KiB) arrive intact")
                .rules("environ.header-key").sources("P27", "H11")
                .check(ctx -> {
                    String v128 = "x".repeat(100) + "-0123456789abcdef0123456789";
                    StringBuilder v4k = new StringBuilder();
                    for (int i = 0; v4k.length() < 4096; i++) {
                        v4k.append(i).append(';');
                    }
                    Map<String, Object> env = ctx.environOf(ctx.env("/h").header("X-Long", v128).header("X-Longer", v4k.toString()));
                    ctx.expectEqual(v128, str(env, "HTTP_X_LONG"), "HTTP_X_LONG");
                    ctx.expectEqual(v4k.toString(), str(env, "HTTP_X_LONGER"), "HTTP_X_LONGER");
                }),

            ConformanceCase.of(C, "headers.authorization", "Authorization is passed when sent and absent when not")
                .rules("environ.header-key").sources("P35")
                .check(ctx -> {
                    Map<String, Object> env = ctx.environOf(ctx.env("/h").header("Authorization", "Basic Zm9vOmJhcg=="));
                    ctx.expectEqual("Basic Zm9vOmJhcg==", str(env, "HTTP_AUTHORIZATION"), "HTTP_AUTHORIZATION");
                    env = ctx.environOf(ctx.env("/h"));
                    ctx.expect(!env.containsKey("HTTP_AUTHORIZATION"), "HTTP_AUTHORIZATION must be absent when not sent");
                }),

            ConformanceCase.of(C, "headers.content-type-length", "Content-Type/Length become CONTENT_TYPE/LENGTH, never HTTP_CONTENT_*")
                .rules("environ.no-http-content", "environ.content-length").sources("P3", "V")
                .check(ctx -> {
                    Map<String, Object> env = ctx.environOf(ctx.to("env", "POST", "/h")
                            .header("Content-Type", "application/x-www-form-urlencoded").body("a=1&b=2"));
                    ctx.expectEqual("application/x-www-form-urlencoded", str(env, "CONTENT_TYPE"), "CONTENT_TYPE");
                    ctx.expectEqual("7", str(env, "CONTENT_LENGTH"), "CONTENT_LENGTH");
                    ctx.expect(!env.containsKey("HTTP_CONTENT_TYPE"), "HTTP_CONTENT_TYPE must not exist");
                    ctx.expect(!env.containsKey("HTTP_CONTENT_LENGTH"), "HTTP_CONTENT_LENGTH must not exist");
                    env = ctx.environOf(ctx.env("/h"));
                    ctx.expect(!env.containsKey("CONTENT_TYPE"), "CONTENT_TYPE must be absent without the header, is "
                            + env.get("CONTENT_TYPE"));
                    ctx.expect(!env.containsKey("CONTENT_LENGTH"), "CONTENT_LENGTH must be absent without the header, is "
                            + env.get("CONTENT_LENGTH"));
                }),

            ConformanceCase.of(C, "headers.underscore-dropped", "names with _ are dropped, so X_Forwarded_For cannot spoof X-Forwarded-For")
                .rules("headers.underscore", "environ.header-key").sources("gap 8", "gap 18")
                .check(ctx -> {
                    Map<String, Object> env = ctx.environOf(ctx.env("/h").header("X_Forwarded_For", "6.6.6.6")
                            .header("X-Forwarded-For", "1.2.3.4").header("Only_Underscore", "x"));
                    ctx.expectEqual("1.2.3.4", str(env, "HTTP_X_FORWARDED_FOR"), "HTTP_X_FORWARDED_FOR");
                    ctx.expect(!env.containsKey("HTTP_ONLY_UNDERSCORE"), "HTTP_ONLY_UNDERSCORE must not exist (the name has _), is "
                            + env.get("HTTP_ONLY_UNDERSCORE"));
                    for (String k : env.keySet()) {
                        if (k.startsWith("HTTP_")) {
                            ctx.expect(k.matches("HTTP_[A-Z0-9_]+"), "environ key " + k + " has characters outside [A-Z0-9_]");
                        }
                    }
                }),

            ConformanceCase.of(C, "headers.empty-value", "a header with an empty value gives an empty string")
                .rules("environ.header-key").sources("gap")
                .check(ctx -> {
                    Map<String, Object> env = ctx.environOf(ctx.env("/h").header("X-Empty", ""));
                    ctx.expectEqual("", str(env, "HTTP_X_EMPTY"), "HTTP_X_EMPTY");
                }),

            ConformanceCase.of(C, "headers.no-transfer-encoding", "Transfer-Encoding never appears; a chunked request has no CONTENT_LENGTH")
                .rules("headers.transfer-encoding", "input.terminated", "environ.content-length").sources("gap")
                .check(ctx -> {
                    Map<String, Object> env = ctx.environOf(ctx.to("env", "POST", "/h").header("X-Jgi-Read", "sha")
                            .chunked(Support.chunks("abc", "def")));
                    ctx.expect(!env.containsKey("HTTP_TRANSFER_ENCODING"), "HTTP_TRANSFER_ENCODING must not exist, is "
                            + env.get("HTTP_TRANSFER_ENCODING"));
                    ctx.expect(!env.containsKey("CONTENT_LENGTH"), "CONTENT_LENGTH must be absent for a chunked body, is "
                            + env.get("CONTENT_LENGTH"));
                }));
    }
}
