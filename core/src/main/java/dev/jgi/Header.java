package dev.jgi;

/**
 * One response header field, as passed to {@link StartResponse#start}.
 *
 * <p>Construction does not validate: the server checks names and values when {@code start} is
 * called, so that a bad header is reported with the rule it breaks (see {@code SPEC.md}).
 *
 * @param name the field name, compared case-insensitively
 * @param value the field value, ISO-8859-1 characters only, no control characters
 */
public record Header(String name, String value) {

    /**
     * Shorthand for {@code new Header(name, value)}.
     *
     * @param name the field name
     * @param value the field value
     * @return the header
     */
    public static Header of(String name, String value) {
        return new Header(name, value);
    }

    @Override
    public String toString() {
        return name + ": " + value;
    }
}
