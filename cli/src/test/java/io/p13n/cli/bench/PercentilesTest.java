package io.p13n.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PercentilesTest {
    @Test
    void nearestRankOnOneToAHundred() {
        Percentiles p = new Percentiles();
        for (int i = 100; i >= 1; i--) {
            p.add(i); // unsorted on purpose
        }
        assertThat(p.percentile(50)).isEqualTo(50);
        assertThat(p.percentile(99)).isEqualTo(99);
        assertThat(p.percentile(99.9)).isEqualTo(100);
        assertThat(p.percentile(100)).isEqualTo(100);
        assertThat(p.percentile(0.5)).isEqualTo(1);
        assertThat(p.mean()).isEqualTo(50.5);
        assertThat(p.max()).isEqualTo(100);
        assertThat(p.count()).isEqualTo(100);
    }

    @Test
    void tailPercentilesNeedEnoughSamplesToDiffer() {
        Percentiles p = new Percentiles();
        for (int i = 1; i <= 10_000; i++) {
            p.add(i);
        }
        assertThat(p.percentile(99.9)).isEqualTo(9_990);
        assertThat(p.percentile(99.99)).isEqualTo(9_999);
    }

    @Test
    void addingAfterReadingKeepsTheResultsRight() {
        Percentiles p = new Percentiles();
        p.add(10);
        assertThat(p.percentile(50)).isEqualTo(10);
        p.add(1);
        p.add(2);
        assertThat(p.percentile(50)).isEqualTo(2);
        assertThat(p.sortedSamples()).containsExactly(1, 2, 10);
    }

    @Test
    void noSamplesGiveNaNAndNonsensePercentilesAreRefused() {
        Percentiles p = new Percentiles();
        assertThat(p.percentile(50)).isNaN();
        assertThat(p.mean()).isNaN();
        assertThat(p.max()).isNaN();
        assertThatThrownBy(() -> p.percentile(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> p.percentile(101)).isInstanceOf(IllegalArgumentException.class);
    }
}
