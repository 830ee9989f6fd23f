package io.p13n.config;

import java.time.DateTimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How the text of one option becomes a typed value and back, and how to describe what is accepted.
 * Package-private: options are declared only in {@link EngineOptions}, so the set of value types is
 * closed and every one of them is tested here.
 *
 * <p>A parser throws {@link IllegalArgumentException} without a message of its own; the caller
 * reports the key, the value, its source and {@link #expected()}, which is all a user needs and
 * keeps a secret's value out of every message by construction.
 *
 * @param <T> the Java type of the value
 */
final class ValueType<T> {
    static final String DURATION_FORMS =
            "written like 500ms, 30s, 5m, 12h, 7d; a bare number is milliseconds; ISO-8601 such as PT30S"
                    + " also works";

    private static final Pattern HOST_PORT =
            Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+):(\\d{1,5})");
    private static final Pattern DURATION =
            Pattern.compile("(\\d+)\\s*(ms|s|m|min|h|d)", Pattern.CASE_INSENSITIVE);
    // The JAAS line Kafka expects: "<LoginModule class> <control flag> [options];". The trailing
    // semicolon is the mistake everybody makes once, and Kafka's own error for it is obscure.
    private static final Pattern JAAS =
            Pattern.compile(
                    "\\s*[A-Za-z_$][\\w.$]*\\s+(required|requisite|sufficient|optional)\\b.*;\\s*",
                    Pattern.DOTALL);

    private final String expected;
    private final Function<String, T> parser;
    private final Function<T, String> formatter;

    private ValueType(String expected, Function<String, T> parser, Function<T, String> formatter) {
        this.expected = expected;
        this.parser = parser;
        this.formatter = formatter;
    }

    /** Human text of what is accepted, completing the sentence "expected ...". */
    String expected() {
        return expected;
    }

    /**
     * @throws IllegalArgumentException when the text is not acceptable
     */
    T parse(String text) {
        return parser.apply(text);
    }

    /** Text that {@link #parse} accepts and that yields the same value; empty for "not set". */
    String format(T value) {
        return formatter.apply(value);
    }

    // ---- strings
    // ----------------------------------------------------------------------------------

    /** A trimmed string that must satisfy {@code valid}. */
    static ValueType<String> string(String expected, Predicate<String> valid) {
        return new ValueType<>(
                expected,
                text -> {
                    String trimmed = text.trim();
                    if (!valid.test(trimmed)) {
                        throw new IllegalArgumentException();
                    }
                    return trimmed;
                },
                Function.identity());
    }

    /** A trimmed string with at least one character and no whitespace inside. */
    static ValueType<String> token(String expected) {
        return string(expected, s -> !s.isEmpty() && s.chars().noneMatch(Character::isWhitespace));
    }

    /** An IANA time zone id (or a fixed offset such as +02:00), as java.time knows them. */
    static ValueType<java.time.ZoneId> zoneId() {
        return new ValueType<>(
                "a time zone id such as UTC, Europe/Berlin or America/New_York",
                text -> {
                    try {
                        return java.time.ZoneId.of(text.trim());
                    } catch (java.time.DateTimeException e) {
                        throw new IllegalArgumentException(e);
                    }
                },
                java.time.ZoneId::getId);
    }

    /**
     * A daily window of local time {@code HH:mm-HH:mm} ({@link DailyWindow}), possibly wrapping
     * midnight; wrap it in {@link #optional} for "none".
     */
    static ValueType<DailyWindow> dailyWindow() {
        return new ValueType<>(
                "a daily window HH:mm-HH:mm of local time, such as 21:00-08:00 (it may wrap midnight;"
                        + " start and end differ), or empty for none",
                DailyWindow::parse,
                DailyWindow::toString);
    }

    /**
     * A Kafka topic name, with Kafka's own rules, so that a typo fails at start rather than when
     * the first record is produced.
     */
    static ValueType<String> topic() {
        return string(
                "a Kafka topic name: 1 to 249 characters from letters, digits, '.', '_' and '-'",
                s -> s.matches("[A-Za-z0-9._-]{1,249}") && !s.equals(".") && !s.equals(".."));
    }

    /**
     * A URI with a scheme, as Flink file systems need it. Only the shape is checked; whether the
     * scheme's file system plugin is installed is up to the Flink distribution.
     */
    static ValueType<String> uri(String expected) {
        return string(expected, s -> s.matches("[A-Za-z][A-Za-z0-9+.-]*://\\S+"));
    }

    // ---- lists of host:port
    // -----------------------------------------------------------------------

    /** Comma-separated host:port items, trimmed, empties dropped; possibly empty. */
    static ValueType<List<String>> hostPortList(String expected) {
        return new ValueType<>(
                expected, ValueType::parseHostPorts, items -> String.join(",", items));
    }

    /**
     * Comma-separated host:port items kept as one normalized string, because Kafka takes its
     * bootstrap servers as a single string; must not be empty.
     */
    static ValueType<String> hostPortString(String expected) {
        return new ValueType<>(
                expected,
                text -> {
                    List<String> items = parseHostPorts(text);
                    if (items.isEmpty()) {
                        throw new IllegalArgumentException();
                    }
                    return String.join(",", items);
                },
                Function.identity());
    }

    private static List<String> parseHostPorts(String text) {
        List<String> items = new ArrayList<>();
        for (String item : splitList(text)) {
            Matcher m = HOST_PORT.matcher(item);
            if (!m.matches()) {
                throw new IllegalArgumentException();
            }
            int port = Integer.parseInt(m.group(2));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException();
            }
            items.add(item);
        }
        return List.copyOf(items);
    }

    /**
     * Comma-separated tokens (no whitespace inside one), trimmed, empties dropped, at least {@code
     * minItems} of them.
     */
    static ValueType<List<String>> tokenList(String expected, int minItems) {
        return new ValueType<>(
                expected,
                text -> {
                    List<String> items = splitList(text);
                    if (items.size() < minItems
                            || items.stream()
                                    .anyMatch(i -> i.chars().anyMatch(Character::isWhitespace))) {
                        throw new IllegalArgumentException();
                    }
                    return items;
                },
                items -> String.join(",", items));
    }

    /** Comma-separated, each item trimmed, empty items dropped ("a,,b," is [a, b]). */
    static List<String> splitList(String text) {
        return Arrays.stream(text.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableList());
    }

    /**
     * Comma-separated IP address literals (IPv4 dotted or IPv6), trimmed, empties dropped, possibly
     * empty. Host names are refused: a trust decision must not depend on what DNS answers today.
     */
    static ValueType<List<String>> ipAddressList(String expected) {
        return new ValueType<>(
                expected,
                text -> {
                    List<String> items = new ArrayList<>();
                    for (String item : splitList(text)) {
                        if (!IP_V4.matcher(item).matches()
                                && !(item.contains(":") && item.matches("[0-9A-Fa-f:.]+"))) {
                            throw new IllegalArgumentException();
                        }
                        try {
                            // A literal: no lookup happens; normalizes IPv6 spellings.
                            items.add(java.net.InetAddress.getByName(item).getHostAddress());
                        } catch (java.net.UnknownHostException e) {
                            throw new IllegalArgumentException();
                        }
                    }
                    return List.copyOf(items);
                },
                items -> String.join(",", items));
    }

    private static final Pattern IP_V4 =
            Pattern.compile(
                    "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    // ---- numbers and booleans
    // ---------------------------------------------------------------------

    static ValueType<Integer> integer(int min, int max) {
        return new ValueType<>(
                "an integer between " + min + " and " + max,
                text -> {
                    int value = Integer.parseInt(text.trim()); // NumberFormatException is an IAE
                    if (value < min || value > max) {
                        throw new IllegalArgumentException();
                    }
                    return value;
                },
                String::valueOf);
    }

    static ValueType<Double> decimal(double min, double max) {
        return new ValueType<>(
                "a number between " + plain(min) + " and " + plain(max),
                text -> {
                    double value =
                            Double.parseDouble(text.trim()); // NumberFormatException is an IAE
                    if (!(value >= min && value <= max)) {
                        throw new IllegalArgumentException();
                    }
                    return value;
                },
                ValueType::plain);
    }

    private static String plain(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : Double.toString(value);
    }

    /**
     * Only the words true and false, in any case. Not "yes", "1" or "on": a value that is neither
     * should fail loudly rather than silently mean false, as {@link Boolean#parseBoolean} would.
     */
    static ValueType<Boolean> bool() {
        return new ValueType<>(
                "true or false",
                text -> {
                    String trimmed = text.trim();
                    if (trimmed.equalsIgnoreCase("true")) {
                        return true;
                    }
                    if (trimmed.equalsIgnoreCase("false")) {
                        return false;
                    }
                    throw new IllegalArgumentException();
                },
                String::valueOf);
    }

    // ---- enums
    // ------------------------------------------------------------------------------------

    /**
     * One of the constants, matched case-insensitively and listed in lower case. Takes the
     * constants rather than the class so that no reflection is involved.
     */
    static <E extends Enum<E>> ValueType<E> enumeration(E[] constants) {
        String names =
                Arrays.stream(constants).map(ValueType::lower).collect(Collectors.joining(", "));
        return new ValueType<>(
                "one of: " + names,
                text -> {
                    String trimmed = text.trim();
                    for (E constant : constants) {
                        if (constant.name().equalsIgnoreCase(trimmed)) {
                            return constant;
                        }
                    }
                    throw new IllegalArgumentException();
                },
                ValueType::lower);
    }

    /**
     * One of a fixed set of words, matched case-insensitively and returned as spelled in {@code
     * choices}; for values that a client library takes as a string (Kafka's security protocol).
     */
    static ValueType<String> choice(String... choices) {
        return new ValueType<>(
                "one of: " + String.join(", ", choices),
                text -> {
                    String trimmed = text.trim();
                    for (String choice : choices) {
                        if (choice.equalsIgnoreCase(trimmed)) {
                            return choice;
                        }
                    }
                    throw new IllegalArgumentException();
                },
                Function.identity());
    }

    private static String lower(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    // ---- durations
    // --------------------------------------------------------------------------------

    /** A duration of at least {@code min}, with no upper bound. */
    static ValueType<Duration> duration(Duration min) {
        return duration(min, null);
    }

    /**
     * A duration between {@code min} and {@code max} (inclusive; {@code max} may be null for none).
     * Accepts a number with a unit ({@code 500ms 30s 5m 5min 12h 7d}), a bare number of
     * milliseconds, or ISO-8601 ({@code PT30S}).
     */
    static ValueType<Duration> duration(Duration min, Duration max) {
        String range;
        if (max != null) {
            range = "a duration between " + formatDuration(min) + " and " + formatDuration(max);
        } else if (min.isZero()) {
            range = "a duration of 0 or more";
        } else {
            range = "a duration of at least " + formatDuration(min);
        }
        return new ValueType<>(
                range + " (" + DURATION_FORMS + ")",
                text -> {
                    Duration value = parseDuration(text.trim());
                    if (value.compareTo(min) < 0 || (max != null && value.compareTo(max) > 0)) {
                        throw new IllegalArgumentException();
                    }
                    return value;
                },
                ValueType::formatDuration);
    }

    static Duration parseDuration(String text) {
        try {
            if (text.matches("\\d+")) {
                return Duration.ofMillis(Long.parseLong(text));
            }
            if (text.length() > 1 && (text.charAt(0) == 'P' || text.charAt(0) == 'p')) {
                return Duration.parse(text);
            }
            Matcher m = DURATION.matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException();
            }
            long amount = Long.parseLong(m.group(1));
            switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "ms":
                    return Duration.ofMillis(amount);
                case "s":
                    return Duration.ofSeconds(amount);
                case "m":
                case "min":
                    return Duration.ofMinutes(amount);
                case "h":
                    return Duration.ofHours(amount);
                case "d":
                    return Duration.ofDays(amount);
                default:
                    throw new IllegalArgumentException();
            }
        } catch (DateTimeException | ArithmeticException e) {
            // Duration.parse throws DateTimeParseException and huge amounts overflow; both are just
            // "not an acceptable duration" to the user.
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * The shortest exact form in the largest whole unit ({@code 30d}, {@code 90s}, {@code 1500ms});
     * ISO-8601 when there is a sub-millisecond part or the value is negative.
     */
    static String formatDuration(Duration d) {
        if (d.isNegative() || d.getNano() % 1_000_000 != 0) {
            return d.toString();
        }
        if (d.isZero()) {
            return "0ms";
        }
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0) {
            return (ms / 86_400_000L) + "d";
        }
        if (ms % 3_600_000L == 0) {
            return (ms / 3_600_000L) + "h";
        }
        if (ms % 60_000L == 0) {
            return (ms / 60_000L) + "m";
        }
        if (ms % 1_000L == 0) {
            return (ms / 1_000L) + "s";
        }
        return ms + "ms";
    }

    // ---- secrets and optional values
    // --------------------------------------------------------------

    /**
     * A secret taken verbatim, without trimming: a credential is opaque, and silently changing it
     * would turn a config typo into an authentication failure that is much harder to diagnose.
     */
    static ValueType<Secret> secret(String expected, Predicate<String> valid) {
        return new ValueType<>(
                expected,
                text -> {
                    if (!valid.test(text)) {
                        throw new IllegalArgumentException();
                    }
                    return Secret.of(text);
                },
                Secret::reveal);
    }

    /** A Kafka {@code sasl.jaas.config} line, checked for the shape Kafka requires. */
    static ValueType<Secret> jaasConfig() {
        return secret(
                "a JAAS line '<LoginModule class> required <options>;' ending with ';', such as"
                        + " org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"engine\" password=\"...\";",
                text -> JAAS.matcher(text).matches());
    }

    /** Any non-empty secret. */
    static ValueType<Secret> password(String expected) {
        return secret(expected, text -> !text.isEmpty());
    }

    /**
     * Makes a type optional: an empty or blank text means "not set" and is {@link
     * Optional#empty()}, anything else must be acceptable to {@code inner}. Blank counts as unset
     * so that an empty environment variable (common in container templates) does not have to be
     * removed to unset.
     */
    static <T> ValueType<Optional<T>> optional(ValueType<T> inner) {
        return new ValueType<>(
                inner.expected,
                text -> text.isBlank() ? Optional.empty() : Optional.of(inner.parse(text)),
                value -> value.map(inner::format).orElse(""));
    }

    @Override
    public String toString() {
        return "ValueType[" + Objects.toString(expected) + "]";
    }
}
