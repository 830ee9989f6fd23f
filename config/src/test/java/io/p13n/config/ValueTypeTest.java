package io.p13n.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValueTypeTest {
    private final ValueType<Duration> anyDuration = ValueType.duration(Duration.ZERO);

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "500ms, PT0.5S",
        "30s, PT30S",
        "5m, PT5M",
        "5min, PT5M",
        "12h, PT12H",
        "7d, PT168H",
        "1500, PT1.5S",
        "0, PT0S",
        "PT30S, PT30S",
        "pt1m, PT1M",
        "P2D, PT48H",
        "' 30 s ', PT30S",
        "10S, PT10S"
    })
    void durationsAcceptUnitsBareMillisecondsAndIso(String text, String iso) {
        assertThat(anyDuration.parse(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", "s", "30 seconds", "1.5s", "-5s", "5w", "PT", "99999999999999999999d"})
    void durationsRejectEverythingElse(String text) {
        assertThatThrownBy(() -> anyDuration.parse(text))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void durationsAreBoundedByMinimumAndMaximum() {
        ValueType<Duration> bounded = ValueType.duration(Duration.ofMillis(1), Duration.ofDays(24));

        assertThat(bounded.parse("1ms")).isEqualTo(Duration.ofMillis(1));
        assertThat(bounded.parse("24d")).isEqualTo(Duration.ofDays(24));
        assertThatThrownBy(() -> bounded.parse("0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bounded.parse("25d")).isInstanceOf(IllegalArgumentException.class);
        assertThat(bounded.expected()).startsWith("a duration between 1ms and 24d (written like");
    }

    @ParameterizedTest(name = "{0} formats as {1}")
    @CsvSource({
        "PT0S, 0ms",
        "PT0.2S, 200ms",
        "PT90S, 90s",
        "PT2H, 2h",
        "PT720H, 30d",
        "PT0.0001S, PT0.0001S"
    })
    void durationsFormatInTheLargestWholeUnit(String iso, String text) {
        assertThat(ValueType.formatDuration(Duration.parse(iso))).isEqualTo(text);
    }

    @Test
    void integersRejectNonNumbersAndOutOfRange() {
        ValueType<Integer> port = ValueType.integer(1, 65535);

        assertThat(port.parse(" 6379 ")).isEqualTo(6379);
        for (String bad : List.of("", "abc", "1.0", "0", "65536", "99999999999")) {
            assertThatThrownBy(() -> port.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void hostPortListsAcceptNamesAddressesAndBracketedIpv6() {
        ValueType<List<String>> list = ValueType.hostPortList("hosts");

        assertThat(list.parse("kafka-1.example.com:9092, 10.0.0.1:9093,[::1]:9094"))
                .containsExactly("kafka-1.example.com:9092", "10.0.0.1:9093", "[::1]:9094");
        assertThat(list.parse(" , ")).isEmpty();
        for (String bad : List.of("kafka", "kafka:", ":9092", "kafka:0", "kafka:70000", "a b:1")) {
            assertThatThrownBy(() -> list.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void jaasConfigMustHaveAControlFlagAndEndWithASemicolon() {
        ValueType<Secret> jaas = ValueType.jaasConfig();
        String good =
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\""
                        + " password=\"p\";";

        assertThat(jaas.parse(good).reveal()).isEqualTo(good);
        assertThatThrownBy(() -> jaas.parse(good.substring(0, good.length() - 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> jaas.parse("username=\"u\" password=\"p\";"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parseFailuresCarryNoValueInTheirMessage() {
        // A secret's parser must not be able to leak the value through an exception message.
        Throwable thrown =
                org.assertj.core.api.Assertions.catchThrowable(
                        () -> ValueType.jaasConfig().parse("hunter2"));

        assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
        assertThat(String.valueOf(thrown.getMessage())).doesNotContain("hunter2");
    }

    @Test
    void enumsListTheirValuesInLowerCase() {
        assertThat(ValueType.enumeration(StateBackendKind.values()).expected())
                .isEqualTo("one of: rocksdb, hashmap");
        assertThat(ValueType.enumeration(StartingOffsets.values()).parse("Earliest"))
                .isEqualTo(StartingOffsets.EARLIEST);
    }
}
