package io.p13n.jobs.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.special.Beta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The series against closed forms, an independent integral, and its failure modes. */
class HypergeometricTest {

    @ParameterizedTest
    @ValueSource(doubles = {-40, -0.95, -0.5, -1e-3, 1e-9, 0.1, 0.5, 0.9, 0.99, 0.999})
    void logarithm(double z) {
        // 2F1(1, 1; 2; z) = -ln(1 - z) / z
        assertThat(Hypergeometric.hyp2f1(1, 1, 2, z))
                .isCloseTo(-Math.log1p(-z) / z, within(1e-13 * Math.abs(Math.log1p(-z) / z)));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.9, -0.3, 0.2, 0.7, 0.95, 0.995})
    void binomial(double z) {
        // 2F1(a, b; b; z) = (1 - z)^-a, for several a and b
        for (double a : new double[] {0.243, 1.5, -2.5, 7.0}) {
            for (double b : new double[] {0.5, 3.2, 40.0}) {
                double expected = Math.pow(1 - z, -a);
                // for a < 0 the terms cancel down to a small value: an absolute bound there
                assertThat(Hypergeometric.hyp2f1(a, b, b, z))
                        .as("a=%s b=%s z=%s", a, b, z)
                        .isCloseTo(expected, within(1e-12 * Math.max(a < 0 ? 1 : 0, expected)));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.1, 0.6, 0.95})
    void arctanh(double x) {
        // 2F1(1/2, 1; 3/2; x^2) = artanh(x) / x
        double artanh = 0.5 * Math.log((1 + x) / (1 - x));
        assertThat(Hypergeometric.hyp2f1(0.5, 1, 1.5, x * x))
                .isCloseTo(artanh / x, within(1e-13 * artanh / x));
    }

    @Test
    void terminatingSeriesIsAPolynomial() {
        // 2F1(-2, b; c; z) = 1 - 2bz/c + b(b+1)z^2/(c(c+1))
        double b = 1.7;
        double c = 3.1;
        double z = 0.8;
        double expected = 1 - 2 * b * z / c + b * (b + 1) * z * z / (c * (c + 1));
        assertThat(Hypergeometric.hyp2f1(-2, b, c, z)).isCloseTo(expected, within(1e-15));
    }

    /**
     * Euler's integral 2F1(a, b; c; z) = 1/B(b, c-b) * int_0^1 t^(b-1) (1-t)^(c-b-1) (1-zt)^(-a) dt
     * (c > b > 0), with parameters like the BG/NBD's, integrated numerically: an independent route
     * to the value.
     */
    @ParameterizedTest
    @ValueSource(doubles = {-3.0, -0.4, 0.3, 0.75, 0.898, 0.97})
    void eulerIntegral(double z) {
        double[][] parameters = {
            {3.24, 2.0, 5.5},
            {0.243, 0.793, 3.219},
            {12.2, 14.4, 16.2},
            {2.976, 0.793, 4.0},
            {-1.3, 2.5, 3.1}
        };
        for (double[] p : parameters) {
            double a = p[0];
            double b = p[1];
            double c = p[2];
            double integral =
                    TanhSinh.integrate(
                            (t, oneMinusT) ->
                                    Math.pow(t, b - 1)
                                            * Math.pow(oneMinusT, c - b - 1)
                                            * Math.exp(-a * Math.log1p(-z * t)),
                            1e-13);
            double expected = integral / Math.exp(Beta.logBeta(b, c - b));
            assertThat(Hypergeometric.hyp2f1(a, b, c, z))
                    .as("2F1(%s, %s; %s; %s)", a, b, c, z)
                    .isCloseTo(expected, within(1e-11 * expected));
        }
    }

    /**
     * 3F2(a, b, 1; c, 2; z) = (c-1) / ((a-1)(b-1) z) * (2F1(a-1, b-1; c-1; z) - 1), term by term.
     */
    @ParameterizedTest
    @ValueSource(doubles = {-0.6, 0.2, 0.9, 0.99})
    void threeFTwoWithUnitParameterMatchesShifted2F1(double z) {
        double a = 3.976;
        double b = 0.793;
        double c = 4.219;
        double expected =
                (c - 1)
                        / ((a - 1) * (b - 1) * z)
                        * (Hypergeometric.hyp2f1(a - 1, b - 1, c - 1, z) - 1);
        assertThat(Hypergeometric.hyp3f2Unit(a, b, c, 2, z))
                .isCloseTo(expected, within(1e-11 * Math.abs(expected)));
    }

    @Test
    void aParameterCloseToANegativeIntegerDoesNotStopTheSumEarly() {
        // (a + 2) is 1e-12: term 3 is tiny, later terms are not; compare with the a = -2 + 1e-12
        // binomial
        double a = -2 + 1e-12;
        double z = 0.9;
        assertThat(Hypergeometric.hyp2f1(a, 1.3, 1.3, z))
                .isCloseTo(Math.pow(1 - z, -a), within(1e-12));
    }

    @Test
    void rejectsArgumentsOutsideItsDomain() {
        assertThatThrownBy(() -> Hypergeometric.hyp2f1(1, 1, 2, 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("|z| < 1");
        assertThatThrownBy(() -> Hypergeometric.hyp3f2Unit(1, 1, 2, 2, -1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("|z| < 1");
        assertThatThrownBy(() -> Hypergeometric.hyp2f1(1, 1, 2, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hypergeometric.hyp2f1(1, 1, -3, 0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative integer");
        assertThatThrownBy(() -> Hypergeometric.hyp2f1(Double.POSITIVE_INFINITY, 1, 2, 0.5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void throwsRatherThanReturnAnUnconvergedSum() {
        // z within 1e-7 of 1 needs far more than MAX_TERMS terms
        assertThatThrownBy(() -> Hypergeometric.hyp2f1(1, 1, 2, 1 - 1e-7))
                .isInstanceOf(ArithmeticException.class)
                .hasMessageContaining("did not converge");
    }
}
