package dev.jgi.validate;

import static dev.jgi.validate.Rules.quote;
import static dev.jgi.validate.Rules.server;

import dev.jgi.Environ;
import dev.jgi.FileWrapper;
import dev.jgi.gateway.ResponseRules;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The environ rules: what a server must hand an application. Checked in a fixed order, general
 * before specific, so that one defect is reported under one rule (a missing key as
 * {@code environ.required}, not as a malformed value).
 */
final class EnvironChecks {

    private static final List<String> REQUIRED = List.of(
            Environ.REQUEST_METHOD, Environ.SCRIPT_NAME, Environ.PATH_INFO, Environ.QUERY_STRING,
            Environ.SERVER_NAME, Environ.SERVER_PORT, Environ.SERVER_PROTOCOL, Environ.REQUEST_URI,
            Environ.JGI_VERSION, Environ.JGI_URL_SCHEME, Environ.JGI_INPUT, Environ.JGI_ERRORS,
            Environ.JGI_MULTITHREAD, Environ.JGI_MULTIPROCESS, Environ.JGI_RUN_ONCE, Environ.JGI_INPUT_TERMINATED);

    private static final List<String> BOOLEANS = List.of(
            Environ.JGI_MULTITHREAD, Environ.JGI_MULTIPROCESS, Environ.JGI_RUN_ONCE);

    /** The key of the early-hints extension (SPEC.md "jgi.* variables"). */
    static final String JGI_EARLY_HINTS = "jgi.early_hints";
    /** The key of the request-trailers extension. */
    static final String JGI_INPUT_TRAILERS = "jgi.input_trailers";

    /** Every key SPEC.md defines in the reserved {@code jgi.} namespace. */
    private static final Set<String> JGI_KEYS = Set.of(
            Environ.JGI_VERSION, Environ.JGI_URL_SCHEME, Environ.JGI_INPUT, Environ.JGI_ERRORS, Environ.JGI_MULTITHREAD,
            Environ.JGI_MULTIPROCESS, Environ.JGI_RUN_ONCE, Environ.JGI_INPUT_TERMINATED, Environ.JGI_FILE_WRAPPER,
            JGI_EARLY_HINTS, JGI_INPUT_TRAILERS);

    private EnvironChecks() {
    }

    /** The keys a server must always provide, for tests and messages. */
    static List<String> required() {
        return REQUIRED;
    }

    /**
     * Checks the environ a server passed.
     *
     * @throws ValidationError naming the first rule broken
     */
    static void check(Map<String, Object> environ) {
        checkType(environ);
        for (String key : REQUIRED) {
            if (environ.get(key) == null) {
                throw server(Rules.ENVIRON_REQUIRED, "required environ key " + key + " is "
                        + (environ.containsKey(key) ? "null" : "missing"));
            }
        }
        for (Map.Entry<String, Object> e : environ.entrySet()) {
            if (e.getKey().indexOf('.') < 0 && !(e.getValue() instanceof String)) {
                throw server(Rules.ENVIRON_CGI_STRING, "CGI key " + e.getKey() + " must have a String value, got "
                        + quote(e.getValue()));
            }
        }
        checkJgiTypes(environ);
        Object version = environ.get(Environ.JGI_VERSION);
        if (!Environ.VERSION.equals(version)) {
            throw server(Rules.ENVIRON_VERSION, Environ.JGI_VERSION + " must be the String \"1.0\", got " + quote(version));
        }
        Object scheme = environ.get(Environ.JGI_URL_SCHEME);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw server(Rules.ENVIRON_URL_SCHEME, Environ.JGI_URL_SCHEME + " must be \"http\" or \"https\", got " + quote(scheme));
        }
        String method = (String) environ.get(Environ.REQUEST_METHOD);
        if (!ResponseRules.isToken(method)) {
            throw server(Rules.ENVIRON_METHOD, "REQUEST_METHOD must be a non-empty token, got " + quote(method));
        }
        checkProtocol((String) environ.get(Environ.SERVER_PROTOCOL));
        checkServer(environ);
        String scriptName = (String) environ.get(Environ.SCRIPT_NAME);
        String pathInfo = (String) environ.get(Environ.PATH_INFO);
        String requestUri = (String) environ.get(Environ.REQUEST_URI);
        String query = (String) environ.get(Environ.QUERY_STRING);
        checkScriptName(scriptName);
        checkPathInfo(pathInfo);
        if (scriptName.isEmpty() && pathInfo.isEmpty() && !requestUri.equals("*")) {
            throw server(Rules.ENVIRON_SCRIPT_OR_PATH, "SCRIPT_NAME and PATH_INFO are both empty for REQUEST_URI "
                    + quote(requestUri) + "; only OPTIONS * may leave both empty (a request for the root has PATH_INFO \"/\")");
        }
        int bad = badUriChar(query);
        if (bad >= 0) {
            throw server(Rules.ENVIRON_QUERY_STRING, "QUERY_STRING " + quote(query) + " contains " + describe(query.charAt(bad))
                    + " at index " + bad + "; it must be the raw query without the fragment");
        }
        checkRequestUri(requestUri, method, pathInfo, query);
        if (environ.containsKey(Environ.CONTENT_LENGTH)) {
            Object cl = environ.get(Environ.CONTENT_LENGTH);
            if (ResponseRules.parseLength((String) cl) < 0) {
                throw server(Rules.ENVIRON_CONTENT_LENGTH, "CONTENT_LENGTH must be absent or decimal digits, got " + quote(cl));
            }
        }
        for (String key : new String[] {"HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"}) {
            if (environ.containsKey(key)) {
                throw server(Rules.ENVIRON_NO_HTTP_CONTENT, key + " is present (value " + quote(environ.get(key))
                        + "); the request's Content-Type and Content-Length go to CONTENT_TYPE and CONTENT_LENGTH");
            }
        }
        for (String key : environ.keySet()) {
            if (key.startsWith(Environ.HTTP_PREFIX)) {
                checkHeaderKey(key);
            }
        }
        checkExtensionKeys(environ);
    }

    private static void checkType(Map<String, Object> environ) {
        if (environ == null) {
            throw server(Rules.ENVIRON_TYPE, "environ is null");
        }
        // not Map: the application is promised a plain mutable HashMap, the same on every server
        if (!(environ instanceof HashMap)) {
            throw server(Rules.ENVIRON_TYPE, "environ must be a java.util.HashMap, got " + environ.getClass().getName());
        }
        // generics are erased, so a server built with raw types can smuggle in other keys
        for (Object key : ((Map<?, ?>) environ).keySet()) {
            if (!(key instanceof String)) {
                throw server(Rules.ENVIRON_TYPE, "environ keys must be Strings, got key " + quote(key));
            }
        }
    }

    private static void checkJgiTypes(Map<String, Object> environ) {
        Object input = environ.get(Environ.JGI_INPUT);
        if (!(input instanceof InputStream)) {
            throw server(Rules.ENVIRON_JGI_TYPES, Environ.JGI_INPUT + " must be an InputStream, got " + quote(input));
        }
        Object errors = environ.get(Environ.JGI_ERRORS);
        if (!(errors instanceof PrintWriter)) {
            throw server(Rules.ENVIRON_JGI_TYPES, Environ.JGI_ERRORS + " must be a PrintWriter, got " + quote(errors));
        }
        for (String key : BOOLEANS) {
            Object v = environ.get(key);
            if (!(v instanceof Boolean)) {
                throw server(Rules.ENVIRON_JGI_TYPES, key + " must be a Boolean, got " + quote(v));
            }
        }
        Object terminated = environ.get(Environ.JGI_INPUT_TERMINATED);
        if (!Boolean.TRUE.equals(terminated)) {
            throw server(Rules.ENVIRON_JGI_TYPES, Environ.JGI_INPUT_TERMINATED + " must be Boolean.TRUE, got " + quote(terminated));
        }
        if (environ.containsKey(Environ.JGI_FILE_WRAPPER)) {
            Object fw = environ.get(Environ.JGI_FILE_WRAPPER);
            if (!(fw instanceof FileWrapper)) {
                throw server(Rules.ENVIRON_JGI_TYPES, Environ.JGI_FILE_WRAPPER + " must be a FileWrapper when present, got " + quote(fw));
            }
        }
        if (environ.containsKey(JGI_EARLY_HINTS) && !(environ.get(JGI_EARLY_HINTS) instanceof Consumer)) {
            throw server(Rules.ENVIRON_JGI_TYPES, JGI_EARLY_HINTS + " must be a java.util.function.Consumer<List<Header>> when present,"
                    + " got " + quote(environ.get(JGI_EARLY_HINTS)));
        }
        if (environ.containsKey(JGI_INPUT_TRAILERS) && !(environ.get(JGI_INPUT_TRAILERS) instanceof Supplier)) {
            throw server(Rules.ENVIRON_JGI_TYPES, JGI_INPUT_TRAILERS + " must be a java.util.function.Supplier<Map<String, String>>"
                    + " when present, got " + quote(environ.get(JGI_INPUT_TRAILERS)));
        }
    }

    /**
     * [extension.key]: a key with a dot is a jgi.* key this specification defines, or a server key of
     * lower-case ASCII letters, digits, '.' and '_'. (A key without a dot is CGI-style, checked as
     * environ.cgi-string; whether a prefix is unique to its server cannot be seen from one environ.)
     */
    private static void checkExtensionKeys(Map<String, Object> environ) {
        for (String key : environ.keySet()) {
            if (key.indexOf('.') < 0) {
                continue;
            }
            if (key.startsWith("jgi.")) {
                if (!JGI_KEYS.contains(key)) {
                    throw server(Rules.EXTENSION_KEY, "environ key " + quote(key) + " is in the jgi. namespace, which is reserved"
                            + " for the keys this specification defines");
                }
                continue;
            }
            for (int i = 0; i < key.length(); i++) {
                char c = key.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_';
                if (!ok) {
                    throw server(Rules.EXTENSION_KEY, "extension key " + quote(key) + " may use only lower-case ASCII letters,"
                            + " digits, '.' and '_'");
                }
            }
            if (key.startsWith(".") || key.endsWith(".") || key.contains("..")) {
                throw server(Rules.EXTENSION_KEY, "extension key " + quote(key) + " needs a prefix before its '.' and a name after it");
            }
        }
    }

    private static void checkProtocol(String p) {
        boolean ok = p.length() == 8 && p.startsWith("HTTP/") && isDigit(p.charAt(5)) && p.charAt(6) == '.' && isDigit(p.charAt(7));
        if (!ok) {
            throw server(Rules.ENVIRON_PROTOCOL, "SERVER_PROTOCOL must be HTTP/d.d, got " + quote(p));
        }
    }

    private static void checkServer(Map<String, Object> environ) {
        String name = (String) environ.get(Environ.SERVER_NAME);
        if (name.isEmpty()) {
            throw server(Rules.ENVIRON_SERVER, "SERVER_NAME is empty");
        }
        String port = (String) environ.get(Environ.SERVER_PORT);
        boolean digits = !port.isEmpty() && port.length() <= 5;
        for (int i = 0; digits && i < port.length(); i++) {
            digits = isDigit(port.charAt(i));
        }
        if (!digits) {
            throw server(Rules.ENVIRON_SERVER, "SERVER_PORT must be 1 to 5 decimal digits, got " + quote(port));
        }
    }

    private static void checkScriptName(String s) {
        if (!s.isEmpty() && (s.charAt(0) != '/' || s.endsWith("/"))) {
            throw server(Rules.ENVIRON_SCRIPT_NAME, "SCRIPT_NAME must be \"\" or start with \"/\" and not end with \"/\", got "
                    + quote(s));
        }
        String why = pathDefect(s);
        if (why != null) {
            throw server(Rules.ENVIRON_SCRIPT_NAME, "SCRIPT_NAME " + quote(s) + " " + why);
        }
    }

    private static void checkPathInfo(String s) {
        if (!s.isEmpty() && s.charAt(0) != '/') {
            throw server(Rules.ENVIRON_PATH_INFO, "PATH_INFO must be \"\" or start with \"/\", got " + quote(s));
        }
        String why = pathDefect(s);
        if (why != null) {
            throw server(Rules.ENVIRON_PATH_INFO, "PATH_INFO " + quote(s) + " " + why);
        }
    }

    /** What is wrong with a decoded, canonical path, or null: the path policy removes both. */
    private static String pathDefect(String s) {
        if (s.indexOf('\0') >= 0) {
            return "contains NUL";
        }
        int start = 0;
        while (start <= s.length()) {
            int end = s.indexOf('/', start);
            if (end < 0) {
                end = s.length();
            }
            int len = end - start;
            if ((len == 1 && s.charAt(start) == '.') || (len == 2 && s.startsWith("..", start))) {
                return "contains a \"" + s.substring(start, end) + "\" segment; dot-segments must be resolved";
            }
            start = end + 1;
        }
        return null;
    }

    private static void checkRequestUri(String uri, String method, String pathInfo, String query) {
        if (uri.equals("*")) {
            if (!method.equals("OPTIONS") || !pathInfo.isEmpty() || !query.isEmpty()) {
                throw server(Rules.ENVIRON_REQUEST_URI, "REQUEST_URI \"*\" is only for OPTIONS * with PATH_INFO \"\" and no query; got "
                        + method + " with PATH_INFO " + quote(pathInfo) + " and QUERY_STRING " + quote(query));
            }
            return;
        }
        if (!uri.startsWith("/")) {
            throw server(Rules.ENVIRON_REQUEST_URI, "REQUEST_URI must be \"*\" or start with \"/\" (origin form), got " + quote(uri));
        }
        int bad = badUriChar(uri);
        if (bad >= 0) {
            throw server(Rules.ENVIRON_REQUEST_URI, "REQUEST_URI " + quote(uri) + " contains " + describe(uri.charAt(bad))
                    + " at index " + bad);
        }
        int q = uri.indexOf('?');
        if (query.isEmpty() ? q >= 0 : q < 0 || !uri.substring(q + 1).equals(query)) {
            throw server(Rules.ENVIRON_REQUEST_URI, "REQUEST_URI " + quote(uri) + " does not agree with QUERY_STRING " + quote(query)
                    + "; it must be the raw path, then \"?\" and the raw query only if the query is non-empty");
        }
    }

    private static void checkHeaderKey(String key) {
        if (key.length() == Environ.HTTP_PREFIX.length()) {
            throw server(Rules.ENVIRON_HEADER_KEY, "header key " + quote(key) + " has no header name");
        }
        for (int i = Environ.HTTP_PREFIX.length(); i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && !isDigit(c) && c != '_') {
                throw server(Rules.ENVIRON_HEADER_KEY, "header key " + quote(key) + " contains " + describe(c)
                        + "; HTTP_ keys hold only A-Z, 0-9 and _");
            }
        }
        if (key.equals("HTTP_TRANSFER_ENCODING")) {
            throw server(Rules.ENVIRON_HEADER_KEY, "HTTP_TRANSFER_ENCODING is present; body framing is the server's business");
        }
    }

    /** Index of a character that cannot appear in a raw request target, or -1. */
    private static int badUriChar(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c == 0x7f || c == '#') {
                return i;
            }
        }
        return -1;
    }

    private static String describe(char c) {
        return c == '#' ? "'#'" : c == ' ' ? "a space" : c < 0x20 || c == 0x7f
                ? "control character 0x" + Integer.toHexString(c) : "'" + c + "'";
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
