package dev.jgi.validate;

/**
 * Thrown by the {@link Validator} when the server or the application breaks a JGI rule.
 *
 * <p>It is an {@link AssertionError} on purpose, as in {@code wsgiref.validate}: a protocol
 * violation is a bug, not a condition to handle, and an application's {@code catch (Exception e)}
 * must not swallow it. The message starts with {@code "[rule] "}, then says which party broke the
 * rule ({@code "server broke rule"} or {@code "application broke rule"}) and quotes the offending
 * value.
 */
public final class ValidationError extends AssertionError {
    /** Version of the serialized form. */
    private static final long serialVersionUID = 1L;

    /** The broken rule's name. */
    private final String rule;

    /**
     * Creates the error.
     *
     * @param rule the SPEC.md rule name, for example {@code "environ.path-info"}
     * @param message what was wrong, with the offending value
     */
    public ValidationError(String rule, String message) {
        this(rule, message, null);
    }

    /**
     * Creates the error with the exception that revealed it.
     *
     * @param rule the SPEC.md rule name
     * @param message what was wrong, with the offending value
     * @param cause the exception that revealed it, or {@code null}
     */
    public ValidationError(String rule, String message, Throwable cause) {
        super("[" + rule + "] " + message, cause);
        this.rule = rule;
    }

    /**
     * Returns the name of the broken rule, as listed on {@link Validator}.
     *
     * @return the rule name, for example {@code "server.close-once"}
     */
    public String rule() {
        return rule;
    }
}
