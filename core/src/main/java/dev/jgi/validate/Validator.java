package dev.jgi.validate;

import dev.jgi.Application;
import dev.jgi.Body;
import dev.jgi.Environ;
import dev.jgi.StartResponse;
import dev.jgi.gateway.ResponseRules;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Objects;

/**
 * A middleware that checks both sides of the JGI protocol while it runs, like Python's
 * {@code wsgiref.validate} and Rack's {@code Rack::Lint}: put it between a server and an
 * application, and the first broken rule fails loudly with a {@link ValidationError} whose
 * {@link ValidationError#rule() rule()} names it.
 *
 * <pre>{@code
 * Application checked = Validator.wrap(app);   // in tests, or in development
 * }</pre>
 *
 * <p>Each message says who broke the rule: {@code "server broke rule"} (the environ, the server's
 * use of the body, {@code jgi.input}, the excInfo rethrow) or {@code "application broke rule"}
 * (everything else). The error is thrown where the violation is seen: from {@code call} for the
 * environ, to the application from {@code start_response}, {@code write}, {@code jgi.input} and
 * {@code jgi.errors}, and to the server from the body's methods. Violations by the server are also
 * printed on the server's {@code jgi.errors}, because a faulty server may swallow what it is
 * thrown; so is a second {@code close()}, which comes after the response, when nothing else would
 * show it. The validator does not repair anything: it passes every call through unchanged.
 *
 * <p>A body that is a {@link dev.jgi.gateway.FileRegion} stays one through the validator, so the
 * server's zero-copy path is still taken; {@link Body#chunkCount()} is passed through too.
 *
 * <h2>Rules checked</h2>
 * The environ, when the server calls the application ({@code "server broke rule"}):
 * <ul>
 *   <li>{@code environ.type}: the environ is a {@code java.util.HashMap} with String keys.</li>
 *   <li>{@code environ.required}: REQUEST_METHOD, SCRIPT_NAME, PATH_INFO, QUERY_STRING, SERVER_NAME,
 *       SERVER_PORT, SERVER_PROTOCOL, REQUEST_URI and every {@code jgi.*} key except
 *       {@code jgi.file_wrapper} are present and not {@code null}.</li>
 *   <li>{@code environ.cgi-string}: every key without a '.' has a String value.</li>
 *   <li>{@code environ.jgi-types}: {@code jgi.input} is an InputStream, {@code jgi.errors} a
 *       PrintWriter, {@code jgi.multithread/multiprocess/run_once} Booleans,
 *       {@code jgi.input_terminated} TRUE, {@code jgi.file_wrapper} a FileWrapper,
 *       {@code jgi.early_hints} a {@code Consumer} and {@code jgi.input_trailers} a {@code Supplier}
 *       when present.</li>
 *   <li>{@code extension.key}: a key with a '.' is one of the {@code jgi.*} keys SPEC.md defines, or
 *       a server key of lower-case ASCII letters, digits, '.' and '_' with a prefix before its first
 *       '.'.</li>
 *   <li>{@code environ.version}: {@code jgi.version} is the String "1.0".</li>
 *   <li>{@code environ.url-scheme}: {@code jgi.url_scheme} is "http" or "https".</li>
 *   <li>{@code environ.method}: REQUEST_METHOD is a non-empty token.</li>
 *   <li>{@code environ.protocol}: SERVER_PROTOCOL is HTTP/d.d.</li>
 *   <li>{@code environ.server}: SERVER_NAME is non-empty, SERVER_PORT is 1 to 5 digits.</li>
 *   <li>{@code environ.script-name}: SCRIPT_NAME is "" or starts and does not end with "/"; no
 *       "." or ".." segment; no NUL.</li>
 *   <li>{@code environ.path-info}: PATH_INFO is "" or starts with "/"; no "." or ".." segment; no NUL.</li>
 *   <li>{@code environ.script-or-path}: SCRIPT_NAME and PATH_INFO are not both empty, unless
 *       REQUEST_URI is "*".</li>
 *   <li>{@code environ.query-string}: QUERY_STRING has no '#', space or control character.</li>
 *   <li>{@code environ.request-uri}: REQUEST_URI starts with "/" (no '#', space or control
 *       character) and ends with "?" + QUERY_STRING exactly when the query is non-empty; or it is
 *       "*", only for OPTIONS with PATH_INFO "" and no query.</li>
 *   <li>{@code environ.content-length}: CONTENT_LENGTH is absent or decimal digits.</li>
 *   <li>{@code environ.no-http-content}: no HTTP_CONTENT_TYPE or HTTP_CONTENT_LENGTH.</li>
 *   <li>{@code environ.header-key}: HTTP_ keys have a name of only A-Z, 0-9 and _, and
 *       HTTP_TRANSFER_ENCODING is absent.</li>
 * </ul>
 * The request streams:
 * <ul>
 *   <li>{@code input.close}: the application does not close {@code jgi.input}.</li>
 *   <li>{@code input.read} (server): {@code jgi.input} keeps the InputStream contract (read()
 *       gives -1 or 0..255; read(b, off, len) gives -1 or 1..len, and 0 only when len is 0;
 *       skip and available are not negative), returns nothing after end-of-stream, never more than
 *       CONTENT_LENGTH, and does not end quietly before CONTENT_LENGTH.</li>
 *   <li>{@code errors.close}: the application does not close {@code jgi.errors}.</li>
 * </ul>
 * The response, from the application:
 * <ul>
 *   <li>{@code start.status}: the status is three digits 200 to 599, a space, and a reason
 *       without control characters.</li>
 *   <li>{@code start.headers}: the header list and its entries are not {@code null}.</li>
 *   <li>{@code start.header-name}: each header name is an RFC 9110 token.</li>
 *   <li>{@code start.header-value}: each value is non-null ISO-8859-1 without control characters
 *       other than tab.</li>
 *   <li>{@code start.hop-by-hop}: no Connection, Keep-Alive, Proxy-Connection, TE,
 *       Transfer-Encoding or Upgrade header.</li>
 *   <li>{@code start.content-length}: Content-Length is one non-negative decimal number (repeats
 *       agree).</li>
 *   <li>{@code start.twice}: start_response is called again only with excInfo.</li>
 *   <li>{@code start.missing}: start_response is called before the first non-empty chunk, before
 *       the body ends, and before a file body is returned.</li>
 *   <li>{@code start.headers-mutated}: the header list is unchanged between start_response and
 *       the commit (first non-empty chunk or write, or the end of the body).</li>
 *   <li>{@code body.null}: the application returns a body, and its iterator() is not null.</li>
 *   <li>{@code body.chunk-null}: no chunk is {@code null}, and write() is never passed null.</li>
 *   <li>{@code body.chunk-count}: chunkCount() is -1 or the number of chunks the body yields.</li>
 *   <li>{@code body.content-length}: with a declared Content-Length, the bytes written and
 *       yielded never exceed it and, when the server iterates to the end (or takes a file body),
 *       equal it; not checked for HEAD, 204 and 304.</li>
 *   <li>{@code body.no-content}: a 204 or 304 response yields and writes no body bytes.</li>
 *   <li>{@code write.in-iteration}: write() is not called once the server has begun iterating
 *       the returned body.</li>
 *   <li>{@code write.thread}: write() is called only while the application's call is running, on
 *       the thread that called it: not from another thread, not after call returned, not after the
 *       server closed the body.</li>
 *   <li>{@code thread.request} (the application's side): start_response is called on the request
 *       thread (the one that called the application), or inside the body's iteration, which the
 *       server drives.</li>
 * </ul>
 * The server's handling of the response ({@code "server broke rule"}):
 * <ul>
 *   <li>{@code server.iterate-once}: the server calls the body's iterator() at most once.</li>
 *   <li>{@code server.chunk-after-close}: the server does not iterate the body, or use its file
 *       region, after closing it.</li>
 *   <li>{@code server.close-once}: the server does not close the body twice.</li>
 *   <li>{@code server.exc-info-rethrow}: after the response is committed, start_response with
 *       excInfo throws excInfo itself.</li>
 * </ul>
 *
 * <p>Not checked, because no run-time check can see it: a body the server never closes (the
 * validator cannot know the request is over), and a server that blocks after end-of-stream.
 */
public final class Validator {

    private Validator() {
    }

    /**
     * Wraps an application so that every call checks the rules listed on this class.
     *
     * @param app the application to check
     * @return the checking application; it throws {@link ValidationError} at the first violation
     */
    public static Application wrap(Application app) {
        return new Checked(Objects.requireNonNull(app, "app"));
    }

    private static final class Checked implements Application {
        private final Application app;

        Checked(Application app) {
            this.app = app;
        }

        @Override
        public Body call(Map<String, Object> environ, StartResponse startResponse) throws Exception {
            Objects.requireNonNull(startResponse, "the server passed a null start_response");
            Object errors = environ == null ? null : environ.get(Environ.JGI_ERRORS);
            PrintWriter log = errors instanceof PrintWriter ? (PrintWriter) errors : null;
            String label = environ == null ? "?" : environ.get(Environ.REQUEST_METHOD) + " " + environ.get(Environ.REQUEST_URI);
            try {
                EnvironChecks.check(environ);
            } catch (ValidationError e) {
                Exchange.print(log, label, e);
                throw e;
            }
            Exchange exchange = new Exchange(startResponse, log, label, "HEAD".equals(environ.get(Environ.REQUEST_METHOD)));
            Object cl = environ.get(Environ.CONTENT_LENGTH);
            environ.put(Environ.JGI_INPUT, new CheckedInput((InputStream) environ.get(Environ.JGI_INPUT), exchange,
                    cl == null ? -1 : ResponseRules.parseLength((String) cl)));
            environ.put(Environ.JGI_ERRORS, new CheckedErrors(log));
            Body body;
            try {
                body = app.call(environ, exchange);
            } finally {
                exchange.callReturned();
            }
            if (body == null) {
                throw Rules.application(ResponseRules.BODY_NULL, "the application returned null instead of a body");
            }
            return CheckedBody.wrap(exchange, body);
        }

        @Override
        public String toString() {
            return "Validator(" + app + ")";
        }
    }
}
