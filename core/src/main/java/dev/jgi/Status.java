package dev.jgi;

/**
 * Status-line helpers: the standard reason phrases, and parsing of the {@code status} argument of
 * {@link StartResponse#start}.
 */
public final class Status {

    private Status() {
    }

    /**
     * Returns the status argument for a code with its standard reason phrase, for example
     * {@code line(404)} is {@code "404 Not Found"}.
     *
     * @param code a status code from 100 to 999
     * @return {@code code + " " + reason}, the reason being empty for unregistered codes
     */
    public static String line(int code) {
        if (code < 100 || code > 999) {
            throw new IllegalArgumentException("status code out of range: " + code);
        }
        return code + " " + reason(code);
    }

    /**
     * Returns the code of a status argument such as {@code "200 OK"}, without validating the rest.
     *
     * @param status the status argument
     * @return the three-digit code
     * @throws IllegalArgumentException if it does not start with three digits
     */
    public static int code(String status) {
        if (status == null || status.length() < 3) {
            throw new IllegalArgumentException("not a status line: " + status);
        }
        int code = 0;
        for (int i = 0; i < 3; i++) {
            char c = status.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("not a status line: " + status);
            }
            code = code * 10 + (c - '0');
        }
        return code;
    }

    /**
     * Returns the reason phrase of a status argument: what follows the code and the space.
     *
     * @param status the status argument, for example {@code "200 OK"}
     * @return the phrase, for example {@code "OK"}, possibly empty
     */
    public static String reasonOf(String status) {
        return status.length() > 4 ? status.substring(4) : "";
    }

    /**
     * Returns the standard (RFC 9110 and registered) reason phrase for a code.
     *
     * @param code the status code
     * @return the phrase, or {@code ""} for an unregistered code
     */
    public static String reason(int code) {
        switch (code) {
            case 100: return "Continue";
            case 101: return "Switching Protocols";
            case 102: return "Processing";
            case 103: return "Early Hints";
            case 200: return "OK";
            case 201: return "Created";
            case 202: return "Accepted";
            case 203: return "Non-Authoritative Information";
            case 204: return "No Content";
            case 205: return "Reset Content";
            case 206: return "Partial Content";
            case 207: return "Multi-Status";
            case 208: return "Already Reported";
            case 226: return "IM Used";
            case 300: return "Multiple Choices";
            case 301: return "Moved Permanently";
            case 302: return "Found";
            case 303: return "See Other";
            case 304: return "Not Modified";
            case 305: return "Use Proxy";
            case 307: return "Temporary Redirect";
            case 308: return "Permanent Redirect";
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 402: return "Payment Required";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 406: return "Not Acceptable";
            case 407: return "Proxy Authentication Required";
            case 408: return "Request Timeout";
            case 409: return "Conflict";
            case 410: return "Gone";
            case 411: return "Length Required";
            case 412: return "Precondition Failed";
            case 413: return "Content Too Large";
            case 414: return "URI Too Long";
            case 415: return "Unsupported Media Type";
            case 416: return "Range Not Satisfiable";
            case 417: return "Expectation Failed";
            case 418: return "I'm a teapot";
            case 421: return "Misdirected Request";
            case 422: return "Unprocessable Content";
            case 423: return "Locked";
            case 424: return "Failed Dependency";
            case 425: return "Too Early";
            case 426: return "Upgrade Required";
            case 428: return "Precondition Required";
            case 429: return "Too Many Requests";
            case 431: return "Request Header Fields Too Large";
            case 451: return "Unavailable For Legal Reasons";
            case 500: return "Internal Server Error";
            case 501: return "Not Implemented";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            case 504: return "Gateway Timeout";
            case 505: return "HTTP Version Not Supported";
            case 506: return "Variant Also Negotiates";
            case 507: return "Insufficient Storage";
            case 508: return "Loop Detected";
            case 510: return "Not Extended";
            case 511: return "Network Authentication Required";
            default: return "";
        }
    }
}
