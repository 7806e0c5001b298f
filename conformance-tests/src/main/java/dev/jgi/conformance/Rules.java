package dev.jgi.conformance;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SPEC.md rule names the cases cite. The names from decisions.md are used verbatim; the
 * others (marked "proposed") name rules SPEC.md states in prose without an anchor in decisions.md,
 * and are kept here in one place so they can be renamed when SPEC.md's rule index settles.
 */
public final class Rules {

    private Rules() {
    }

    private static final Map<String, String> ALL = new LinkedHashMap<>();

    private static void rule(String name, String text) {
        ALL.put(name, text);
    }

    static {
        // response side (decisions.md "Response rules")
        rule("start.status", "status is \"NNN reason\", 200..599, no control characters");
        rule("start.headers", "the header list and its entries are not null");
        rule("start.header-name", "a header name is an RFC 9110 token");
        rule("start.header-value", "a header value is ISO-8859-1 without control characters except HTAB");
        rule("start.hop-by-hop", "the application sends no hop-by-hop header; the server rejects one");
        rule("start.content-length", "Content-Length from the application is one non-negative decimal");
        rule("start.twice", "start_response again without excInfo is a ProtocolException");
        rule("start.missing", "start_response before the first chunk");
        rule("body.null", "the application returns a body, not null");
        rule("body.chunk-null", "no null chunk");
        rule("body.content-length", "never more than the declared Content-Length; a short body aborts");
        rule("body.no-content", "204/304 carry no body bytes");
        // environ (decisions.md "Rule names for the environ / input / server side")
        rule("environ.type", "the environ is a new java.util.HashMap with String keys");
        rule("environ.required", "the required keys are present");
        rule("environ.cgi-string", "every key without a dot has a String value");
        rule("environ.method", "REQUEST_METHOD is a non-empty token, verbatim");
        rule("environ.script-name", "SCRIPT_NAME is the decoded mount, \"\" at the root");
        rule("environ.path-info", "PATH_INFO is \"\" or starts with /, no dot segments, no NUL");
        rule("environ.script-or-path", "SCRIPT_NAME and PATH_INFO not both empty unless REQUEST_URI is *");
        rule("environ.query-string", "QUERY_STRING is raw, \"\" when absent or empty");
        rule("environ.content-length", "CONTENT_LENGTH absent or decimal digits");
        rule("environ.no-http-content", "no HTTP_CONTENT_TYPE / HTTP_CONTENT_LENGTH");
        rule("environ.header-key", "HTTP_ keys only [A-Z0-9_]; names with other characters are dropped");
        rule("environ.server", "SERVER_NAME / SERVER_PORT from the target authority, Host, or the local address");
        rule("environ.protocol", "SERVER_PROTOCOL is HTTP/d.d");
        rule("environ.request-uri", "REQUEST_URI is the raw origin-form target, or *");
        rule("environ.url-scheme", "jgi.url_scheme from the connection");
        rule("environ.version", "jgi.version is \"1.0\"");
        rule("environ.jgi-types", "jgi.* values have their types");
        rule("input.close", "the application must not close jgi.input");
        rule("errors.close", "the application must not close jgi.errors");
        rule("write.in-iteration", "write() is not called from inside the body's iteration");
        rule("start.headers-mutated", "the header list is not changed after start_response");
        rule("server.iterate-once", "the server calls iterator() at most once");
        rule("server.close-once", "the server calls close() exactly once");
        rule("server.chunk-after-close", "no next() after close()");
        rule("server.exc-info-rethrow", "after commit, start_response with excInfo throws excInfo");
        // proposed: prose rules of decisions.md without a name there
        rule("environ.http-headers", "(proposed) request headers to HTTP_*: joined \", \" in order, Cookie \"; \", no Transfer-Encoding");
        rule("environ.remote", "(proposed) REMOTE_ADDR / REMOTE_PORT are the client's address and port");
        rule("path.chars", "(proposed) raw characters outside pchar and / are rejected with 400");
        rule("path.params", "(proposed) ;params are stripped from each segment; a dot segment with params is 400");
        rule("path.decode", "(proposed) %XX decoded once as UTF-8 per segment; %25 becomes % once");
        rule("path.ambiguous", "(proposed) %2F, %00, malformed escapes, invalid UTF-8 and encoded dot segments are 400");
        rule("path.dot-segments", "(proposed) dot-segments resolved per RFC 3986 5.2.4; above the root is 400");
        rule("path.empty-segments", "(proposed) empty segments (//) are preserved");
        rule("path.mount", "(proposed) PATH_INFO is the decoded path minus SCRIPT_NAME; outside the mount is 404");
        rule("path.early-reject", "(proposed) a server may reject declared path forms with 400 itself, never rewrite them");
        rule("request.options-asterisk", "(proposed) OPTIONS * goes to the application or is answered by the server, as declared");
        rule("input.eof", "(proposed) jgi.input ends at the end of the body and keeps returning -1 without blocking");
        rule("input.chunked", "(proposed) a chunked request body is de-chunked; CONTENT_LENGTH absent");
        rule("input.expect-continue", "(proposed) 100 Continue only when the application reads (or eagerly, as declared)");
        rule("response.header-delay", "(proposed) headers are sent just before the first non-empty chunk, or at the end");
        rule("response.streaming", "(proposed) each chunk is sent before the next is requested; no buffering");
        rule("response.framing", "(proposed) Content-Length declared, or computed for one chunk / empty body, else chunked on HTTP/1.1");
        rule("response.head", "(proposed) HEAD: application called, no body sent, iteration stops after commit");
        rule("response.date", "(proposed) the server adds Date");
        rule("response.error", "(proposed) an application error before commit is a 500 without a stack trace");
        rule("response.abort", "(proposed) an error after commit aborts the connection (incomplete body)");
        rule("response.exc-info", "(proposed) start_response with excInfo before commit replaces status and headers");
        rule("response.write", "(proposed) the write callable sends at once, before the body's chunks");
        rule("response.disconnect", "(proposed) a client disconnect stops the response: ClientDisconnectedException, body closed");
        rule("response.file-wrapper", "(proposed) jgi.file_wrapper bodies are sent whole and exact");
        rule("response.reason-phrase", "(proposed) the application's reason phrase is sent, where the server can (capability)");
        rule("capability.declared", "(proposed) optional features are declared; a declared one must work");
    }

    /** @return every rule name the suite knows, with a one-line summary, in order */
    public static Map<String, String> all() {
        return Collections.unmodifiableMap(ALL);
    }

    /**
     * @param name a rule name
     * @return whether the suite knows it
     */
    public static boolean known(String name) {
        return ALL.containsKey(name);
    }
}
