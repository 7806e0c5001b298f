package dev.jgi;

/**
 * Thrown by a server when an application breaks the JGI protocol, for example a malformed status
 * line or a hop-by-hop header passed to {@code start_response}, or a second {@code start_response}
 * call without {@code excInfo}.
 *
 * <p>The {@link #rule()} names the rule of SPEC.md that was broken, the same name the
 * {@code Validator} uses.
 */
public class ProtocolException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final String rule;

    /**
     * Creates the exception.
     *
     * @param rule the SPEC.md rule name, for example {@code "start.status"}
     * @param message what was wrong, with the offending value
     */
    public ProtocolException(String rule, String message) {
        super("[" + rule + "] " + message);
        this.rule = rule;
    }

    /**
     * Returns the SPEC.md rule name.
     *
     * @return the rule name, for example {@code "start.hop-by-hop"}
     */
    public String rule() {
        return rule;
    }
}
