package io.p13n.config;

import java.util.List;

/**
 * The configuration could not be used. Carries every problem found, not just the first, so that an
 * operator fixes a deployment in one round instead of one restart per typo.
 *
 * <p>Each problem is a single line that names the key, the value as seen (secrets as {@code
 * ******}), where it came from and what would have been accepted, for example:
 *
 * <pre>
 * redis.port = '99999' (from env P13N_REDIS_PORT): expected an integer between 1 and 65535
 * </pre>
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /**
     * @param problems one line each, at least one
     */
    public ConfigException(List<String> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    /** The problems found, one line each, in the order they were found. */
    public List<String> problems() {
        return problems;
    }

    private static String message(List<String> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        StringBuilder message =
                new StringBuilder("Invalid configuration (")
                        .append(problems.size())
                        .append(problems.size() == 1 ? " problem):" : " problems):");
        for (String problem : problems) {
            message.append('\n').append("  ").append(problem);
        }
        return message.toString();
    }
}
