package dev.jgi.util;

import dev.jgi.Environ;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Path traversal for routing middleware: moves one segment from PATH_INFO to SCRIPT_NAME, with
 * the semantics of CPython's {@code wsgiref.util.shift_path_info}.
 */
public final class PathInfo {

    private PathInfo() {
    }

    /**
     * Shifts the first segment of PATH_INFO onto SCRIPT_NAME and returns it, modifying the environ
     * in place (copy it first to keep the original).
     *
     * <ul>
     *   <li>PATH_INFO {@code ""}: nothing to shift; returns {@code null}, the environ is unchanged.</li>
     *   <li>PATH_INFO {@code "/"}: returns {@code ""}, PATH_INFO becomes {@code ""} and SCRIPT_NAME
     *       gets a trailing {@code /}, so that an application can tell {@code /x} from {@code /x/}.</li>
     *   <li>Otherwise returns the first non-empty segment, for example PATH_INFO {@code "/a/b/"} with
     *       SCRIPT_NAME {@code "/app"} gives {@code "a"}, SCRIPT_NAME {@code "/app/a"} and PATH_INFO
     *       {@code "/b/"}. Empty segments before the last one are skipped, as in wsgiref; the final
     *       slash is kept.</li>
     * </ul>
     *
     * <p>A JGI PATH_INFO never holds a {@code .} or {@code ..} segment (SPEC.md rule
     * {@code environ.path-info}), and shifting keeps it that way: if a middleware has put one there,
     * this method refuses rather than resolve it, since {@code ..} would move SCRIPT_NAME above the
     * application's mount point.
     *
     * @param environ a JGI environ
     * @return the shifted segment, {@code ""} for a lone {@code "/"}, or {@code null} if PATH_INFO
     *     is empty
     * @throws IllegalArgumentException if PATH_INFO is not empty and does not start with {@code /},
     *     or holds a {@code .} or {@code ..} segment
     */
    public static String shift(Map<String, Object> environ) {
        Object pi = environ.get(Environ.PATH_INFO);
        String pathInfo = pi == null ? "" : pi.toString();
        if (pathInfo.isEmpty()) {
            return null;
        }
        if (pathInfo.charAt(0) != '/') {
            throw new IllegalArgumentException("[environ.path-info] PATH_INFO must be empty or start with '/': \"" + pathInfo + "\"");
        }
        // segments after the leading '/': "/a//b/" -> [a, "", b, ""]
        List<String> segments = new ArrayList<>();
        int start = 1;
        while (true) {
            int end = pathInfo.indexOf('/', start);
            String seg = end < 0 ? pathInfo.substring(start) : pathInfo.substring(start, end);
            if (seg.equals(".") || seg.equals("..")) {
                throw new IllegalArgumentException("[environ.path-info] PATH_INFO holds a dot-segment: \"" + pathInfo + "\"");
            }
            segments.add(seg);
            if (end < 0) {
                break;
            }
            start = end + 1;
        }
        // drop empty segments, except the last one, which records a trailing slash
        int last = segments.size() - 1;
        List<String> kept = new ArrayList<>(segments.size());
        for (int i = 0; i < last; i++) {
            if (!segments.get(i).isEmpty()) {
                kept.add(segments.get(i));
            }
        }
        kept.add(segments.get(last));
        String name = kept.remove(0);

        Object sn = environ.get(Environ.SCRIPT_NAME);
        String scriptName = sn == null ? "" : sn.toString();
        if (scriptName.endsWith("/")) {
            scriptName = scriptName.substring(0, scriptName.length() - 1);
        }
        environ.put(Environ.SCRIPT_NAME, scriptName + "/" + name);
        StringBuilder rest = new StringBuilder(pathInfo.length());
        for (String s : kept) {
            rest.append('/').append(s);
        }
        environ.put(Environ.PATH_INFO, rest.toString());
        return name;
    }
}
