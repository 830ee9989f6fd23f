package io.p13n.config;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A password or credential read from configuration. It exists so that the value cannot end up in a
 * log line by accident: {@link #toString()} is always {@code ******}, and the only way to the real
 * value is the deliberately named {@link #reveal()}, which is easy to search for in review.
 *
 * <p>Serializable because a Flink sink receives its credentials through its constructor and is
 * shipped to the task managers with them; Java serialization does not call {@code toString()}, so
 * this does not leak the value into logs.
 */
public final class Secret implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What every secret prints as, whatever its value and length. */
    public static final String MASK = "******";

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** Wraps a credential; used by the configuration and by tests that need a known secret. */
    public static Secret of(String value) {
        return new Secret(value);
    }

    /**
     * The real value, for handing to the client that needs it (Kafka, Jedis). Never log the result
     * or put it in an exception message.
     */
    public String reveal() {
        return value;
    }

    /**
     * Always {@value #MASK}: the length of a password is already a hint, so it is not shown either.
     */
    @Override
    public String toString() {
        return MASK;
    }

    /**
     * Equal when the values are equal. Compared in constant time, since it costs nothing here and
     * keeps the class safe to reuse where timing might matter.
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof Secret that
                && MessageDigest.isEqual(
                        value.getBytes(StandardCharsets.UTF_8),
                        that.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
