package dev.jgi.util;

import dev.jgi.Header;
import dev.jgi.gateway.ResponseRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A mutable, ordered set of response headers with case-insensitive lookup, like CPython's
 * {@code wsgiref.headers.Headers}: build the headers here, then pass {@link #toList()} to
 * {@code start_response}.
 *
 * <p>It is a view over a list: changes go to the list it was created on, so middleware can edit the
 * headers an application passed on. Headers added through it are checked at once with the rules
 * {@code start_response} applies (token name, ISO-8859-1 value without control characters, no
 * hop-by-hop header), so a mistake is reported where it is made. Not thread-safe.
 */
public final class Headers {

    private final List<Header> list;

    /** Creates an empty set of headers. */
    public Headers() {
        this(new ArrayList<>());
    }

    /**
     * Creates a view over {@code list}; the entries already in it are not checked.
     *
     * @param list a mutable list, which every change goes to
     */
    public Headers(List<Header> list) {
        this.list = Objects.requireNonNull(list, "list");
    }

    /**
     * Returns the first value of a header.
     *
     * @param name the header name, any case
     * @return the value, or {@code null} if absent
     */
    public String get(String name) {
        for (Header h : list) {
            if (h.name().equalsIgnoreCase(name)) {
                return h.value();
            }
        }
        return null;
    }

    /**
     * Returns every value of a header, in order.
     *
     * @param name the header name, any case
     * @return the values, empty if absent
     */
    public List<String> getAll(String name) {
        List<String> out = new ArrayList<>(2);
        for (Header h : list) {
            if (h.name().equalsIgnoreCase(name)) {
                out.add(h.value());
            }
        }
        return out;
    }

    /**
     * Returns whether a header is present.
     *
     * @param name the header name, any case
     * @return whether at least one field has the name
     */
    public boolean contains(String name) {
        return get(name) != null;
    }

    /**
     * Replaces every field with this name by one field, appended at the end.
     *
     * @param name the header name
     * @param value the value
     * @return this
     * @throws dev.jgi.ProtocolException if the header breaks a rule of {@code start_response}
     */
    public Headers set(String name, String value) {
        Header h = checked(name, value);
        remove(name);
        list.add(h);
        return this;
    }

    /**
     * Appends a field, keeping any others with the same name (for example {@code Set-Cookie}).
     *
     * @param name the header name
     * @param value the value
     * @return this
     * @throws dev.jgi.ProtocolException if the header breaks a rule of {@code start_response}
     */
    public Headers add(String name, String value) {
        list.add(checked(name, value));
        return this;
    }

    /**
     * Appends a field only if no field has this name yet.
     *
     * @param name the header name
     * @param value the value to add if absent
     * @return the first existing value, or {@code value} if it was added
     * @throws dev.jgi.ProtocolException if the header would be added and breaks a rule
     */
    public String setDefault(String name, String value) {
        String existing = get(name);
        if (existing != null) {
            return existing;
        }
        list.add(checked(name, value));
        return value;
    }

    /**
     * Removes every field with this name.
     *
     * @param name the header name, any case
     * @return whether any field was removed
     */
    public boolean remove(String name) {
        return list.removeIf(h -> h.name().equalsIgnoreCase(name));
    }

    /**
     * Returns the number of fields, repeated names counted each time.
     *
     * @return the size
     */
    public int size() {
        return list.size();
    }

    /**
     * Returns an unmodifiable snapshot of the fields in order, to pass to {@code start_response};
     * later changes to this object do not affect it (SPEC.md forbids changing a header list after
     * {@code start_response}).
     *
     * @return the headers
     */
    public List<Header> toList() {
        return List.copyOf(list);
    }

    /**
     * Returns the fields as they would appear on the wire, one {@code Name: value} per line, each
     * ending in CRLF.
     *
     * @return the formatted headers
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Header h : list) {
            sb.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        return sb.toString();
    }

    private static Header checked(String name, String value) {
        Header h = Header.of(name, value);
        ResponseRules.checkHeader(h);
        return h;
    }
}
