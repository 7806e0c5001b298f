package dev.jgi.gateway;

import dev.jgi.Header;
import dev.jgi.ProtocolException;
import java.util.List;

/**
 * The response-side rules of SPEC.md that every server and the validator check the same way:
 * the status line, header names and values, hop-by-hop headers, Content-Length.
 *
 * <p>Each check throws a {@link ProtocolException} naming the rule it enforces.
 */
public final class ResponseRules {

    /** Rule: the status is three digits 200 to 599, a space, and a reason without control characters. */
    public static final String STATUS = "start.status";
    /** Rule: the header list and its entries are not {@code null}. */
    public static final String HEADERS = "start.headers";
    /** Rule: a header name is a non-empty RFC 9110 token. */
    public static final String HEADER_NAME = "start.header-name";
    /** Rule: a header value has only ISO-8859-1 characters and no control characters other than tab. */
    public static final String HEADER_VALUE = "start.header-value";
    /** Rule: the application sends no connection-specific (hop-by-hop) header. */
    public static final String HOP_BY_HOP = "start.hop-by-hop";
    /** Rule: Content-Length is one non-negative decimal number. */
    public static final String CONTENT_LENGTH = "start.content-length";
    /** Rule: start_response is called again only with excInfo. */
    public static final String TWICE = "start.twice";
    /** Rule: start_response is called before the first body chunk and before the body ends. */
    public static final String MISSING = "start.missing";
    /** Rule: the application returns a body, not {@code null}. */
    public static final String BODY_NULL = "body.null";
    /** Rule: the body yields no {@code null} chunk, and write is never passed {@code null}. */
    public static final String CHUNK_NULL = "body.chunk-null";
    /** Rule: the body is exactly as long as a declared Content-Length. */
    public static final String BODY_LENGTH = "body.content-length";
    /** Rule: a body's {@code chunkCount()} is -1 or exact. */
    public static final String CHUNK_COUNT = "body.chunk-count";
    /** Rule: a 204 or 304 response has no body bytes. */
    public static final String NO_CONTENT = "body.no-content";

    private static final boolean[] TOKEN = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[c - 'a' + 'A'] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TOKEN[c] = true;
        }
    }

    private ResponseRules() {
    }

    /**
     * Checks a status argument and returns its code.
     *
     * @param status the status argument, for example {@code "200 OK"}
     * @return the code
     * @throws ProtocolException {@value #STATUS}
     */
    public static int checkStatus(String status) {
        if (status == null) {
            throw new ProtocolException(STATUS, "status is null");
        }
        if (status.length() < 4 || status.charAt(3) != ' ') {
            throw new ProtocolException(STATUS, "status must be three digits, a space and a reason phrase: \"" + status + "\"");
        }
        int code = 0;
        for (int i = 0; i < 3; i++) {
            char c = status.charAt(i);
            if (c < '0' || c > '9') {
                throw new ProtocolException(STATUS, "status must start with three digits: \"" + status + "\"");
            }
            code = code * 10 + (c - '0');
        }
        if (code < 200 || code > 599) {
            throw new ProtocolException(STATUS, "final status code must be 200 to 599, got " + code);
        }
        for (int i = 4; i < status.length(); i++) {
            char c = status.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                throw new ProtocolException(STATUS, "reason phrase contains a control or non-ISO-8859-1 character at index " + i);
            }
        }
        return code;
    }

    /**
     * Returns whether {@code name} is a valid header field name (an RFC 9110 token).
     *
     * @param name the name
     * @return whether it is a token
     */
    public static boolean isToken(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 128 || !TOKEN[c]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns whether a header is connection-specific (RFC 9110 section 7.6.1), which an
     * application must not send: Connection, Keep-Alive, Proxy-Connection, TE, Transfer-Encoding,
     * Upgrade.
     *
     * @param name the header name, any case
     * @return whether it is hop-by-hop
     */
    public static boolean isHopByHop(String name) {
        switch (name.length()) {
            case 2: return name.equalsIgnoreCase("TE");
            case 7: return name.equalsIgnoreCase("Upgrade");
            case 10: return name.equalsIgnoreCase("Connection") || name.equalsIgnoreCase("Keep-Alive");
            case 16: return name.equalsIgnoreCase("Proxy-Connection");
            case 17: return name.equalsIgnoreCase("Transfer-Encoding");
            default: return false;
        }
    }

    /**
     * Checks one header.
     *
     * @param header the header
     * @throws ProtocolException {@value #HEADERS}, {@value #HEADER_NAME}, {@value #HEADER_VALUE} or {@value #HOP_BY_HOP}
     */
    public static void checkHeader(Header header) {
        if (header == null) {
            throw new ProtocolException(HEADERS, "header list contains null");
        }
        String name = header.name();
        if (!isToken(name)) {
            throw new ProtocolException(HEADER_NAME, "header name is not a token: \"" + name + "\"");
        }
        String value = header.value();
        if (value == null) {
            throw new ProtocolException(HEADER_VALUE, "header " + name + " has a null value");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw new ProtocolException(HEADER_VALUE, "header " + name + " contains control character 0x"
                        + Integer.toHexString(c) + " at index " + i);
            }
            if (c > 0xff) {
                throw new ProtocolException(HEADER_VALUE, "header " + name + " contains non-ISO-8859-1 character U+"
                        + String.format("%04X", (int) c) + " at index " + i);
            }
        }
        if (isHopByHop(name)) {
            throw new ProtocolException(HOP_BY_HOP, "application must not send hop-by-hop header " + name);
        }
    }

    /**
     * Checks every header and returns the declared Content-Length.
     *
     * @param headers the header list
     * @return the declared length, or {@code -1} if there is none
     * @throws ProtocolException if any header breaks a rule
     */
    public static long checkHeaders(List<Header> headers) {
        if (headers == null) {
            throw new ProtocolException(HEADERS, "header list is null");
        }
        long length = -1;
        for (int i = 0, n = headers.size(); i < n; i++) {
            Header h = headers.get(i);
            checkHeader(h);
            if (h.name().length() == 14 && h.name().equalsIgnoreCase("Content-Length")) {
                long l = parseLength(h.value());
                if (l < 0) {
                    throw new ProtocolException(CONTENT_LENGTH, "Content-Length is not a non-negative decimal number: \"" + h.value() + "\"");
                }
                if (length >= 0 && length != l) {
                    throw new ProtocolException(CONTENT_LENGTH, "two different Content-Length headers: " + length + " and " + l);
                }
                length = l;
            }
        }
        return length;
    }

    /**
     * Parses a Content-Length value: 1 to 18 decimal digits.
     *
     * @param value the value
     * @return the length, or {@code -1} if it is not valid
     */
    public static long parseLength(String value) {
        if (value == null || value.isEmpty() || value.length() > 18) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /**
     * Returns whether a response with this status to this request carries no body: HEAD, 1xx,
     * 204 and 304.
     *
     * @param status the status code
     * @param head whether the request method is HEAD
     * @return whether no body bytes may be sent
     */
    public static boolean isBodyless(int status, boolean head) {
        return head || status < 200 || status == 204 || status == 304;
    }
}
