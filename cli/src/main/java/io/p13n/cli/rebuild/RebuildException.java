package io.p13n.cli.rebuild;

/**
 * A rebuild that cannot start or finish, with a message for the operator (path, what was expected).
 */
public final class RebuildException extends Exception {
    private static final long serialVersionUID = 1L;

    public RebuildException(String message) {
        super(message);
    }

    public RebuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
