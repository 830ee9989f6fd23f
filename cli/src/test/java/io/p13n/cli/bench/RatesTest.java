package io.p13n.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RatesTest {
    @Test
    void eventsPerSecondBetweenTwoObservations() {
        assertThat(Rates.perSecond(1_000, 0, 11_000, 2_000_000_000L)).isEqualTo(5_000.0);
        assertThat(Rates.perSecond(0, 5, 10, 5)).isNaN();
    }

    @Test
    void ratiosAndPerEventValuesAreNaNWhenUndefined() {
        assertThat(Rates.ratio(35, 100)).isEqualTo(0.35);
        assertThat(Rates.ratio(35, 0)).isNaN();
        assertThat(Rates.ratio(Double.NaN, 100)).isNaN();
        assertThat(Rates.perEvent(500, 2_000)).isEqualTo(0.25);
        assertThat(Rates.perEvent(500, 0)).isNaN();
    }

    @Test
    void nanBecomesNullForJson() {
        assertThat(Rates.orNull(Double.NaN)).isNull();
        assertThat(Rates.orNull(Double.POSITIVE_INFINITY)).isNull();
        assertThat(Rates.orNull(1.5)).isEqualTo(1.5);
    }

    @Test
    void steadyRateLeavesOutTheWarmUp() {
        java.util.List<double[]> timeline =
                java.util.List.of(
                        new double[] {0, 0},
                        new double[] {2, 100},
                        new double[] {3, 200},
                        new double[] {4, 600},
                        new double[] {5, 1_000});
        // from the first point at or past 20 % (200 events at 3 s) to the end: 800 events in 2 s
        assertThat(Rates.steadyRate(timeline, 0.2)).isEqualTo(400.0);
        assertThat(Rates.steadyRate(timeline, 0)).isEqualTo(200.0);
        assertThat(Rates.steadyRate(java.util.List.of(new double[] {0, 5}), 0.2)).isNaN();
        assertThat(Rates.steadyRate(null, 0.2)).isNaN();
    }
}
