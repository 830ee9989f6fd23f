package io.p13n.config;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One configuration option, declared once in {@link EngineOptions} with its key, type, default and
 * description. Everything else is derived from that one declaration: the environment variable name,
 * the validation, the error text and the documentation table, so they cannot drift apart.
 *
 * <p>Options are compared by identity; there is exactly one instance per key.
 *
 * @param <T> the type {@link EngineConfig#get} returns for this option. Options that may be left
 *     unset have type {@code Optional<...>}.
 */
public final class ConfigOption<T> {
    /** Prefix of every environment variable the engine reads. */
    public static final String ENV_PREFIX = "P13N_";

    private final String key;
    private final String description;
    private final String defaultValueText; // null = required
    private final boolean secret;
    private final ValueType<T> type;
    private final String envName;

    private ConfigOption(
            String key,
            String description,
            String defaultValueText,
            boolean secret,
            ValueType<T> type) {
        this.key = Objects.requireNonNull(key, "key");
        this.description = Objects.requireNonNull(description, "description");
        this.defaultValueText = defaultValueText;
        this.secret = secret;
        this.type = Objects.requireNonNull(type, "type");
        this.envName = envNameOf(key);
    }

    /** An option with a default; {@code ""} as the default means "not set" (optional values). */
    static <T> ConfigOption<T> withDefault(
            String key, ValueType<T> type, String defaultValueText, String description) {
        return new ConfigOption<>(
                key,
                description,
                Objects.requireNonNull(defaultValueText, "defaultValueText"),
                false,
                type);
    }

    /** An option without a default: the configuration is invalid until it is set. */
    static <T> ConfigOption<T> required(String key, ValueType<T> type, String description) {
        return new ConfigOption<>(key, description, null, false, type);
    }

    /** An optional secret: unset by default, masked wherever it is shown. */
    static ConfigOption<Optional<Secret>> optionalSecret(
            String key, ValueType<Secret> type, String description) {
        return new ConfigOption<>(key, description, "", true, ValueType.optional(type));
    }

    /**
     * The environment variable for a key: {@code P13N_} followed by the key in upper case with
     * {@code .} and {@code -} replaced by {@code _}, because shells do not allow either in names.
     */
    static String envNameOf(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The key in the properties file, for example {@code kafka.bootstrap-servers}. */
    public String key() {
        return key;
    }

    /**
     * The environment variable that overrides the file, for example {@code
     * P13N_KAFKA_BOOTSTRAP_SERVERS}.
     */
    public String envName() {
        return envName;
    }

    /** What the option does and, where it is not obvious, why the default is what it is. */
    public String description() {
        return description;
    }

    /**
     * The default as it would be written in the file. Empty when the option is required. An empty
     * string means the option is unset by default (an optional value or an empty list).
     */
    public Optional<String> defaultValueText() {
        return Optional.ofNullable(defaultValueText);
    }

    /** True when the option has no default and must be set. */
    public boolean isRequired() {
        return defaultValueText == null;
    }

    /** True for credentials: the value is shown as {@value Secret#MASK} in every message. */
    public boolean isSecret() {
        return secret;
    }

    /**
     * Human text of what is accepted, completing the sentence "expected ...", for example "an
     * integer between 1 and 65535" or "one of: rocksdb, hashmap".
     */
    public String expected() {
        return type.expected();
    }

    /**
     * @throws IllegalArgumentException when the text is not acceptable; the exception carries no
     *     message, callers report {@link #expected()}
     */
    T parse(String text) {
        return type.parse(text);
    }

    /** The value as text {@link #parse} accepts; empty for "not set". Reveals secrets. */
    @SuppressWarnings("unchecked")
    String format(Object value) {
        return type.format((T) value);
    }

    /** The key, so that an option in a message or a debugger reads naturally. */
    @Override
    public String toString() {
        return key;
    }
}
