package dev.jgi.gateway;

import dev.jgi.Environ;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Request header name to environ key, the one mapping every server uses (SPEC.md "Request
 * headers"): upper-case, {@code -} to {@code _}, prefixed with {@code HTTP_}, with Content-Type
 * and Content-Length mapped to CONTENT_TYPE and CONTENT_LENGTH.
 *
 * <p>A name with any character other than ASCII letters, digits and {@code -} has no key and is
 * left out of the environ: {@code X_Forwarded_For} would otherwise collide with
 * {@code X-Forwarded-For} and let a client spoof a header a proxy set.
 */
public final class HeaderKeys {

    /** Keys for common names in the spellings servers hand out, so the hot path allocates nothing. */
    private static final Map<String, String> COMMON = new HashMap<>(256);

    static {
        String[] names = {
            "Accept", "Accept-Charset", "Accept-Encoding", "Accept-Language", "Authorization",
            "Cache-Control", "Connection", "Content-Encoding", "Content-Length", "Content-Type",
            "Cookie", "Date", "Expect", "Forwarded", "From", "Host", "If-Match", "If-Modified-Since",
            "If-None-Match", "If-Range", "If-Unmodified-Since", "Keep-Alive", "Origin", "Pragma",
            "Range", "Referer", "TE", "Upgrade", "User-Agent", "Via", "X-Forwarded-For",
            "X-Forwarded-Host", "X-Forwarded-Proto", "X-Requested-With", "Sec-Fetch-Mode",
            "Sec-Fetch-Site", "Sec-Fetch-Dest", "Upgrade-Insecure-Requests", "DNT", "Priority"
        };
        for (String name : names) {
            String key = Environ.keyFor(name);
            COMMON.put(name, key);
            COMMON.put(name.toLowerCase(Locale.ROOT), key);
            // the JDK server's spelling: first letter upper case, the rest lower case
            COMMON.put(name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT), key);
        }
    }

    private HeaderKeys() {
    }

    /**
     * Returns the environ key for a request header name.
     *
     * @param name the header name as received
     * @return the key, or {@code null} if the name must be left out of the environ
     */
    public static String environKey(String name) {
        String key = COMMON.get(name);
        if (key != null) {
            return key;
        }
        if (name.isEmpty()) {
            return null;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
            if (!ok) {
                return null;
            }
        }
        return Environ.keyFor(name);
    }

    /**
     * Returns the separator used to join repeated fields of a header: {@code "; "} for Cookie
     * (RFC 9113 section 8.2.3), {@code ", "} for every other field (RFC 9110 section 5.3).
     *
     * @param key the environ key
     * @return the separator
     */
    public static String separator(String key) {
        return key.equals("HTTP_COOKIE") ? "; " : ", ";
    }
}
