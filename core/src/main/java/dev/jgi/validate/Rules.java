package dev.jgi.validate;

/**
 * The rule names the validator checks beyond the response rules of
 * {@link dev.jgi.gateway.ResponseRules}, spelled as in SPEC.md's anchors.
 */
final class Rules {
    static final String ENVIRON_TYPE = "environ.type";
    static final String ENVIRON_REQUIRED = "environ.required";
    static final String ENVIRON_CGI_STRING = "environ.cgi-string";
    static final String ENVIRON_METHOD = "environ.method";
    static final String ENVIRON_SCRIPT_NAME = "environ.script-name";
    static final String ENVIRON_PATH_INFO = "environ.path-info";
    static final String ENVIRON_SCRIPT_OR_PATH = "environ.script-or-path";
    static final String ENVIRON_QUERY_STRING = "environ.query-string";
    static final String ENVIRON_CONTENT_LENGTH = "environ.content-length";
    static final String ENVIRON_NO_HTTP_CONTENT = "environ.no-http-content";
    static final String ENVIRON_HEADER_KEY = "environ.header-key";
    static final String ENVIRON_SERVER = "environ.server";
    static final String ENVIRON_PROTOCOL = "environ.protocol";
    static final String ENVIRON_REQUEST_URI = "environ.request-uri";
    static final String ENVIRON_URL_SCHEME = "environ.url-scheme";
    static final String ENVIRON_VERSION = "environ.version";
    static final String ENVIRON_JGI_TYPES = "environ.jgi-types";

    static final String INPUT_CLOSE = "input.close";
    static final String INPUT_READ = "input.read";
    static final String ERRORS_CLOSE = "errors.close";

    static final String WRITE_IN_ITERATION = "write.in-iteration";
    static final String WRITE_THREAD = "write.thread";
    static final String THREAD_REQUEST = "thread.request";
    static final String EXTENSION_KEY = "extension.key";
    static final String HEADERS_MUTATED = "start.headers-mutated";
    static final String CHUNK_COUNT = "body.chunk-count";

    static final String SERVER_ITERATE_ONCE = "server.iterate-once";
    static final String SERVER_CLOSE_ONCE = "server.close-once";
    static final String SERVER_CHUNK_AFTER_CLOSE = "server.chunk-after-close";
    static final String SERVER_EXC_INFO_RETHROW = "server.exc-info-rethrow";

    /** Prefix of every message about a fault of the server. */
    static final String SERVER = "server broke rule: ";
    /** Prefix of every message about a fault of the application. */
    static final String APPLICATION = "application broke rule: ";

    private Rules() {
    }

    static ValidationError server(String rule, String message) {
        return new ValidationError(rule, SERVER + message);
    }

    static ValidationError server(String rule, String message, Throwable cause) {
        return new ValidationError(rule, SERVER + message, cause);
    }

    static ValidationError application(String rule, String message) {
        return new ValidationError(rule, APPLICATION + message);
    }

    /** Quotes a value for a message, making control characters visible. */
    static String quote(Object value) {
        if (value == null) {
            return "null";
        }
        if (!(value instanceof String)) {
            return value + " (" + value.getClass().getName() + ")";
        }
        String s = (String) value;
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04x", (int) c));
            } else if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
