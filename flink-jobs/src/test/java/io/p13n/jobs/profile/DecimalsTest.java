package io.p13n.jobs.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DecimalsTest {

    @ParameterizedTest
    @ValueSource(
            doubles = {
                0,
                0.5,
                2.5,
                12.345,
                12.3449,
                -3.14159,
                -0.001,
                99.995,
                1234567.891,
                0.0049,
                7
            })
    void shouldFormatLikeStringFormatWithTwoAndThreeDecimals(double value) {
        assertThat(Decimals.fixed(value, 2))
                .isEqualTo(String.format(Locale.ROOT, "%.2f", value).replace("-0.00", "0.00"));
        assertThat(Decimals.fixed(value, 3))
                .isEqualTo(String.format(Locale.ROOT, "%.3f", value).replace("-0.000", "0.000"));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.4, 11.6, 14})
    void shouldRoundToWholeNumbers(double value) {
        assertThat(Decimals.fixed(value, 0)).isEqualTo(String.format(Locale.ROOT, "%.0f", value));
    }
}
