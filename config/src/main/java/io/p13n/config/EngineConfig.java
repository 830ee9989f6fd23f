package io.p13n.config;

import static io.p13n.config.EngineOptions.KAFKA_CLIENT_PREFIX;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The engine's configuration: every option of {@link EngineOptions} with a typed, validated value.
 * Read once at start by the entry point, which passes plain values on; nothing else parses
 * configuration. Immutable and safe to share between threads.
 *
 * <h2>Where values come from</h2>
 *
 * Lowest to highest precedence:
 *
 * <ol>
 *   <li>the option's default;
 *   <li>the properties file (Java {@code .properties} syntax, UTF-8, or ISO-8859-1 when the file is
 *       not valid UTF-8), or the map given to {@link #fromMap};
 *   <li>the environment variable named by {@link ConfigOption#envName()}, for example {@code
 *       P13N_REDIS_PORT} for {@code redis.port}; that is how containers and secret stores usually
 *       inject settings.
 * </ol>
 *
 * The environment is passed in (callers pass {@code System.getenv()}) rather than read here, so
 * that tests and the demo control it completely.
 *
 * <h2>What is rejected</h2>
 *
 * <ul>
 *   <li>A key in the file that is not a declared option and not under {@value
 *       EngineOptions#KAFKA_CLIENT_PREFIX}: almost always a typo that would otherwise silently
 *       leave the default in place, so it fails, with a "did you mean" when a declared key is
 *       close.
 *   <li>A value that does not parse or is out of range, and a cluster {@code redis.mode} without
 *       {@code redis.cluster.nodes}.
 * </ul>
 *
 * All problems are collected and thrown together as one {@link ConfigException}.
 *
 * <p>Environment variables starting with {@code P13N_} that name no option are ignored, because the
 * environment is shared with other software and with other versions of this engine. That includes
 * {@code P13N_KAFKA_CLIENT_*}: Kafka client passthrough is supported only in the file, since an
 * environment name cannot be turned back into a Kafka key ('.', '-' and '_' have all become '_').
 *
 * <h2>Secrets</h2>
 *
 * Options marked {@linkplain ConfigOption#isSecret() secret} and passthrough keys that look like
 * credentials (containing "password", "secret", "jaas", "token", ...) are shown as {@value
 * Secret#MASK} in {@link #describe()}, {@link #toString()} and every error message. Only {@link
 * #get} (as a {@link Secret}) and {@link #kafkaClientProperties()} give the real values.
 */
public final class EngineConfig {
    private static final String FROM_DEFAULT = "default";
    private static final String FROM_VALUES = "provided values";
    private static final String FROM_OVERRIDE = "override";
    private static final String NOT_SET = "(not set)";

    /**
     * Kafka client keys that have a typed option. A passthrough for one of them is rejected: it
     * would bypass the option's validation, and whichever of the two won would surprise someone.
     */
    private static final Map<String, ConfigOption<?>> MANAGED_KAFKA_KEYS =
            Map.of(
                    "bootstrap.servers", EngineOptions.KAFKA_BOOTSTRAP_SERVERS,
                    "group.id", EngineOptions.KAFKA_GROUP_ID,
                    "security.protocol", EngineOptions.KAFKA_SECURITY_PROTOCOL,
                    "sasl.mechanism", EngineOptions.KAFKA_SASL_MECHANISM,
                    "sasl.jaas.config", EngineOptions.KAFKA_SASL_JAAS_CONFIG,
                    "ssl.truststore.location", EngineOptions.KAFKA_SSL_TRUSTSTORE_LOCATION,
                    "ssl.truststore.password", EngineOptions.KAFKA_SSL_TRUSTSTORE_PASSWORD);

    /**
     * Parts of a passthrough key that mark a credential. A heuristic, deliberately broad (masking a
     * harmless value costs nothing); typed secret options are the reliable way.
     */
    private static final List<String> SECRET_KEY_PARTS =
            List.of(
                    "password",
                    "secret",
                    "jaas",
                    "token",
                    "credential",
                    "user.info",
                    "keystore.key");

    /** A value as written, with where it was written: a file path, "env P13N_X", ... */
    private record Setting(String text, String origin) {}

    /** Everything set explicitly (not defaults), by key, including kafka.client.* keys. */
    private final Map<String, Setting> explicit;

    /** Parsed value of every option, by key. */
    private final Map<String, Object> values;

    private EngineConfig(Map<String, Setting> explicit, Map<String, Object> values) {
        this.explicit = Collections.unmodifiableMap(new TreeMap<>(explicit));
        this.values = Map.copyOf(values);
    }

    // ---- construction
    // -----------------------------------------------------------------------------

    /**
     * Reads the properties file, applies the environment over it and validates everything.
     *
     * @param propertiesFile a Java {@code .properties} file; it must exist
     * @param env the environment, normally {@code System.getenv()}
     * @throws ConfigException listing every problem, or naming the file when it cannot be read
     */
    public static EngineConfig load(Path propertiesFile, Map<String, String> env) {
        Objects.requireNonNull(propertiesFile, "propertiesFile");
        Objects.requireNonNull(env, "env");
        Path path = propertiesFile.toAbsolutePath().normalize();
        return resolve(readProperties(path), path.toString(), env);
    }

    /**
     * Like {@link #load} with the map in place of the file: same precedence, same validation, and
     * unknown keys in {@code values} are rejected just as in a file. For the demo and tests.
     *
     * @param values option keys (and {@code kafka.client.*} keys) to values
     * @param env the environment, normally {@code System.getenv()} or {@code Map.of()}
     */
    public static EngineConfig fromMap(Map<String, String> values, Map<String, String> env) {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(env, "env");
        return resolve(values, FROM_VALUES, env);
    }

    /**
     * A copy with some keys replaced, validated again as a whole (a replacement can make another
     * value invalid, such as {@code redis.mode=cluster} without nodes). Overrides win over
     * everything, including the environment the original was built with. Keys follow the file
     * rules: declared options or {@code kafka.client.*}.
     *
     * @throws ConfigException when the result is invalid
     */
    public EngineConfig with(Map<String, String> overrides) {
        Objects.requireNonNull(overrides, "overrides");
        Map<String, Setting> settings = new TreeMap<>(explicit);
        List<String> problems = new ArrayList<>();
        accept(overrides, FROM_OVERRIDE, settings, problems);
        return validate(settings, problems);
    }

    private static EngineConfig resolve(
            Map<String, String> given, String origin, Map<String, String> env) {
        Map<String, Setting> settings = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        accept(given, origin, settings, problems);
        // Only names of declared options are looked up: anything else in the environment is not
        // ours.
        for (ConfigOption<?> option : EngineOptions.ALL) {
            String text = env.get(option.envName());
            if (text != null) {
                settings.put(option.key(), new Setting(text, "env " + option.envName()));
            }
        }
        return validate(settings, problems);
    }

    /** Takes keys from a file, map or overrides, rejecting the ones that are not ours. */
    private static void accept(
            Map<String, String> given,
            String origin,
            Map<String, Setting> into,
            List<String> problems) {
        for (Map.Entry<String, String> entry : new TreeMap<>(given).entrySet()) {
            String key = entry.getKey();
            if (entry.getValue() == null) {
                problems.add(key + " has no value (from " + origin + ")");
            } else if (key.startsWith(KAFKA_CLIENT_PREFIX) || EngineOptions.find(key).isPresent()) {
                into.put(key, new Setting(entry.getValue(), origin));
            } else {
                problems.add(unknownKey(key, origin));
            }
        }
    }

    private static EngineConfig validate(Map<String, Setting> settings, List<String> problems) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigOption<?> option : EngineOptions.ALL) {
            Setting setting = settings.get(option.key());
            if (setting == null) {
                Optional<String> defaultText = option.defaultValueText();
                if (defaultText.isEmpty()) {
                    problems.add(
                            option.key()
                                    + " is required but not set (set it in the file or env "
                                    + option.envName()
                                    + "): expected "
                                    + option.expected());
                    continue;
                }
                setting = new Setting(defaultText.get(), FROM_DEFAULT);
            }
            try {
                values.put(option.key(), option.parse(setting.text()));
            } catch (IllegalArgumentException e) {
                // The cause is deliberately dropped: it may quote the value, and the expected text
                // says
                // everything the user needs.
                problems.add(
                        invalid(
                                option.key(),
                                shown(option, setting.text()),
                                setting.origin(),
                                option.expected()));
            }
        }
        checkPassthrough(settings, problems);
        checkRedisCluster(values, settings, problems);
        checkRedisTrustStore(values, settings, problems);
        checkConsoleLogin(values, problems);
        checkAscending(
                values,
                settings,
                problems,
                EngineOptions.LOYALTY_TIER_SILVER,
                EngineOptions.LOYALTY_TIER_GOLD);
        checkAscending(
                values,
                settings,
                problems,
                EngineOptions.LOYALTY_TIER_GOLD,
                EngineOptions.LOYALTY_TIER_PLATINUM);
        checkAscending(
                values,
                settings,
                problems,
                EngineOptions.SEGMENT_AT_RISK_FACTOR,
                EngineOptions.SEGMENT_CHURN_FACTOR);
        checkAscending(
                values,
                settings,
                problems,
                EngineOptions.SEGMENT_AT_RISK_DEFAULT,
                EngineOptions.SEGMENT_CHURN_DEFAULT);
        checkAscending(
                values,
                settings,
                problems,
                EngineOptions.JOB_RESTART_INITIAL_BACKOFF,
                EngineOptions.JOB_RESTART_MAX_BACKOFF);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new EngineConfig(settings, values);
    }

    private static void checkPassthrough(Map<String, Setting> settings, List<String> problems) {
        for (Map.Entry<String, Setting> entry : settings.entrySet()) {
            String key = entry.getKey();
            if (!key.startsWith(KAFKA_CLIENT_PREFIX)) {
                continue;
            }
            String kafkaKey = key.substring(KAFKA_CLIENT_PREFIX.length());
            Setting setting = entry.getValue();
            String expected = null;
            if (kafkaKey.isBlank()) {
                expected =
                        "a Kafka client setting after the prefix, such as kafka.client.max.poll.records";
            } else if (MANAGED_KAFKA_KEYS.containsKey(kafkaKey)) {
                expected =
                        MANAGED_KAFKA_KEYS.get(kafkaKey).key()
                                + " instead, which sets "
                                + kafkaKey
                                + " with validation";
            }
            if (expected != null) {
                problems.add(
                        invalid(
                                key,
                                shownPassthrough(key, setting.text()),
                                setting.origin(),
                                expected));
            }
        }
    }

    /**
     * {@code higher} must be greater than {@code lower}: thresholds that only make sense in order.
     */
    private static void checkAscending(
            Map<String, Object> values,
            Map<String, Setting> settings,
            List<String> problems,
            ConfigOption<?> lower,
            ConfigOption<?> higher) {
        Object low = values.get(lower.key());
        Object high = values.get(higher.key());
        if (low == null || high == null) {
            return; // a parse error already says what is wrong
        }
        boolean ascending =
                low instanceof Duration
                        ? ((Duration) high).compareTo((Duration) low) > 0
                        : ((Number) high).doubleValue() > ((Number) low).doubleValue();
        if (!ascending) {
            Setting setting = settings.get(higher.key());
            problems.add(
                    higher.key()
                            + " = '"
                            + higher.format(high)
                            + "' (from "
                            + (setting == null ? FROM_DEFAULT : setting.origin())
                            + "): expected more than "
                            + lower.key()
                            + " = '"
                            + lower.format(low)
                            + "'");
        }
    }

    private static void checkRedisCluster(
            Map<String, Object> values, Map<String, Setting> settings, List<String> problems) {
        ConfigOption<List<String>> nodes = EngineOptions.REDIS_CLUSTER_NODES;
        // Only when both parsed: otherwise the parse error already says what is wrong.
        if (values.get(EngineOptions.REDIS_MODE.key()) == RedisMode.CLUSTER
                && values.containsKey(nodes.key())
                && ((List<?>) values.get(nodes.key())).isEmpty()) {
            Setting mode = settings.get(EngineOptions.REDIS_MODE.key());
            problems.add(
                    nodes.key()
                            + " is required when redis.mode = 'cluster' (from "
                            + (mode == null ? FROM_DEFAULT : mode.origin())
                            + "; set it in the file or env "
                            + nodes.envName()
                            + "): expected "
                            + nodes.expected());
        }
    }

    /**
     * The console's login is a pair, and a proxy header is trusted only from named proxies: half a
     * login, or a header anyone could send, would look like protection and be none.
     */
    private static void checkConsoleLogin(Map<String, Object> values, List<String> problems) {
        Object user = values.get(EngineOptions.CONSOLE_USER.key());
        Object password = values.get(EngineOptions.CONSOLE_PASSWORD.key());
        if (user instanceof Optional<?> u && password instanceof Optional<?> p) {
            if (u.isPresent() != p.isPresent()) {
                problems.add(
                        "console.user and console.password go together: set both (the password"
                                + " in env "
                                + EngineOptions.CONSOLE_PASSWORD.envName()
                                + ") or neither");
            }
        }
        Object header = values.get(EngineOptions.CONSOLE_PROXY_USER_HEADER.key());
        Object proxies = values.get(EngineOptions.CONSOLE_PROXY_ADDRESSES.key());
        if (header instanceof Optional<?> h
                && proxies instanceof List<?> list
                && h.isPresent() == list.isEmpty()) {
            problems.add(
                    "console.proxy.user-header and console.proxy.addresses go together: a user"
                            + " header is trusted only from the proxies' addresses");
        }
    }

    /**
     * A trust store only means something with TLS on, and its password only with a trust store: a
     * trust store set with redis.tls=false would let an operator believe the traffic is encrypted.
     */
    private static void checkRedisTrustStore(
            Map<String, Object> values, Map<String, Setting> settings, List<String> problems) {
        ConfigOption<Optional<String>> location = EngineOptions.REDIS_TLS_TRUSTSTORE_LOCATION;
        ConfigOption<Optional<Secret>> password = EngineOptions.REDIS_TLS_TRUSTSTORE_PASSWORD;
        Object tls = values.get(EngineOptions.REDIS_TLS.key());
        Object store = values.get(location.key());
        if (Boolean.FALSE.equals(tls) && store instanceof Optional<?> o && o.isPresent()) {
            problems.add(
                    location.key()
                            + " is set (from "
                            + settings.get(location.key()).origin()
                            + ") but redis.tls = 'false': expected redis.tls=true, or no trust store");
        }
        Object secret = values.get(password.key());
        if (secret instanceof Optional<?> s
                && s.isPresent()
                && store instanceof Optional<?> o
                && o.isEmpty()) {
            problems.add(
                    password.key()
                            + " is set (from "
                            + settings.get(password.key()).origin()
                            + ") without "
                            + location.key()
                            + ": expected the trust store it opens");
        }
    }

    // ---- reading the file
    // -------------------------------------------------------------------------

    private static Map<String, String> readProperties(Path path) {
        if (!Files.exists(path)) {
            throw new ConfigException(List.of("configuration file " + path + " does not exist"));
        }
        if (!Files.isRegularFile(path)) {
            throw new ConfigException(
                    List.of(
                            "configuration file "
                                    + path
                                    + " is not a regular file (a directory?)"));
        }
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(decode(Files.readAllBytes(path))));
        } catch (IOException e) {
            throw new ConfigException(
                    List.of("cannot read configuration file " + path + ": " + describeError(e)));
        } catch (IllegalArgumentException e) {
            // Properties.load's only complaint: a malformed backslash-u escape.
            throw new ConfigException(
                    List.of("cannot parse configuration file " + path + ": " + e.getMessage()));
        }
        Map<String, String> values = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            values.put(name, properties.getProperty(name));
        }
        return values;
    }

    /**
     * UTF-8 when the bytes are valid UTF-8, else ISO-8859-1, the historical encoding of {@code
     * .properties} files. The same rule Java applies to properties resource bundles since Java 9,
     * so either kind of file reads as its author meant.
     */
    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    private static String describeError(IOException e) {
        String message = e.getMessage();
        String kind = e.getClass().getSimpleName();
        return message == null ? kind : kind + ": " + message;
    }

    // ---- messages
    // ---------------------------------------------------------------------------------

    private static String invalid(String key, String shownValue, String origin, String expected) {
        return key + " = '" + shownValue + "' (from " + origin + "): expected " + expected;
    }

    private static String unknownKey(String key, String origin) {
        String message = key + " is not a known option (from " + origin + ")";
        Optional<String> suggestion = Suggestions.closest(key, optionKeys());
        if (suggestion.isPresent()) {
            return message + "; did you mean '" + suggestion.get() + "'?";
        }
        if (key.startsWith("kafka.")) {
            return message
                    + "; did you mean '"
                    + KAFKA_CLIENT_PREFIX
                    + key.substring("kafka.".length())
                    + "'? Kafka client settings without an option of their own go under "
                    + KAFKA_CLIENT_PREFIX;
        }
        return message + "; the options are listed in example.properties and the README";
    }

    private static List<String> optionKeys() {
        List<String> keys = new ArrayList<>();
        for (ConfigOption<?> option : EngineOptions.ALL) {
            keys.add(option.key());
        }
        return keys;
    }

    /** The value as it may appear in a message: masked for secrets, control characters escaped. */
    private static String shown(ConfigOption<?> option, String text) {
        return option.isSecret() ? Secret.MASK : escape(text);
    }

    private static String shownPassthrough(String key, String text) {
        return looksSecret(key) ? Secret.MASK : escape(text);
    }

    private static boolean looksSecret(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return SECRET_KEY_PARTS.stream().anyMatch(lower::contains);
    }

    /** Keeps each problem on one line even when a value contains a line break. */
    private static String escape(String text) {
        return text.replace("\\", "\\\\")
                .replace("\n", "\\n")
                .replace("\r", "\\r")
                .replace("\t", "\\t");
    }

    // ---- reading values
    // ---------------------------------------------------------------------------

    /**
     * The validated value of an option. Options that may be unset return an {@code Optional};
     * secrets come as {@link Secret}, to be revealed only where a client needs them.
     */
    @SuppressWarnings("unchecked") // the value was produced by this option's own parser
    public <T> T get(ConfigOption<T> option) {
        Objects.requireNonNull(option, "option");
        Object value = values.get(option.key());
        if (value == null || EngineOptions.find(option.key()).orElse(null) != option) {
            throw new IllegalArgumentException(option + " is not an option of EngineOptions");
        }
        return (T) value;
    }

    /**
     * Where the value of an option came from: {@code "default"}, the path of the file, {@code "env
     * P13N_X"}, {@code "provided values"} ({@link #fromMap}) or {@code "override"} ({@link #with}).
     * For the start-up log, to answer "why does it use this value?".
     */
    public String origin(ConfigOption<?> option) {
        get(option); // rejects foreign options
        Setting setting = explicit.get(option.key());
        return setting == null ? FROM_DEFAULT : setting.origin();
    }

    /**
     * Properties for Kafka producers, consumers and admin clients: {@code security.protocol}
     * always; {@code sasl.mechanism}, {@code sasl.jaas.config}, {@code ssl.truststore.location} and
     * {@code ssl.truststore.password} when set; then every {@code kafka.client.<x>=v} of the file
     * as {@code <x>=v}. Bootstrap servers and group id are not included: the Flink Kafka source and
     * sink take them through their builders.
     *
     * <p><b>Contains credentials in clear text</b>, because Kafka needs them so: hand the map to
     * the client and never log it or put it in a message. Use {@link #describe()} for logging.
     *
     * @return a new, unmodifiable map in a stable order
     */
    public Map<String, String> kafkaClientProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("security.protocol", get(EngineOptions.KAFKA_SECURITY_PROTOCOL));
        get(EngineOptions.KAFKA_SASL_MECHANISM).ifPresent(v -> properties.put("sasl.mechanism", v));
        get(EngineOptions.KAFKA_SASL_JAAS_CONFIG)
                .ifPresent(v -> properties.put("sasl.jaas.config", v.reveal()));
        get(EngineOptions.KAFKA_SSL_TRUSTSTORE_LOCATION)
                .ifPresent(v -> properties.put("ssl.truststore.location", v));
        get(EngineOptions.KAFKA_SSL_TRUSTSTORE_PASSWORD)
                .ifPresent(v -> properties.put("ssl.truststore.password", v.reveal()));
        properties.putAll(passthrough());
        return Collections.unmodifiableMap(properties);
    }

    /** The {@code kafka.client.*} settings with the prefix removed, sorted by key. */
    private Map<String, String> passthrough() {
        Map<String, String> result = new TreeMap<>();
        for (Map.Entry<String, Setting> entry : explicit.entrySet()) {
            if (entry.getKey().startsWith(KAFKA_CLIENT_PREFIX)) {
                result.put(
                        entry.getKey().substring(KAFKA_CLIENT_PREFIX.length()),
                        entry.getValue().text());
            }
        }
        return result;
    }

    /**
     * Every option as {@code key = value}, one per line in the order of {@link EngineOptions#ALL},
     * then the {@code kafka.client.*} passthrough sorted by key. Secrets show as {@value
     * Secret#MASK} when set, unset values as {@code (not set)}. Safe to log, and meant to be logged
     * at start.
     */
    public String describe() {
        StringBuilder out = new StringBuilder();
        for (ConfigOption<?> option : EngineOptions.ALL) {
            String text = option.format(values.get(option.key()));
            String shown = text.isEmpty() ? NOT_SET : shown(option, text);
            out.append(option.key()).append(" = ").append(shown).append('\n');
        }
        for (Map.Entry<String, Setting> entry : explicit.entrySet()) {
            String key = entry.getKey();
            if (key.startsWith(KAFKA_CLIENT_PREFIX)) {
                out.append(key)
                        .append(" = ")
                        .append(shownPassthrough(key, entry.getValue().text()));
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** Same as {@link #describe()}: safe to log, secrets masked. */
    @Override
    public String toString() {
        return describe();
    }
}
