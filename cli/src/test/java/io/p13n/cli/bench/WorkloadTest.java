package io.p13n.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkloadTest {
    @Test
    void eventTimesSpreadEvenlyOverTheSpanAndEndAtTheGivenTime() {
        Workload w = new Workload(1_001, 100, 50, 5, 42, Duration.ofDays(7), 64);
        long end = 1_800_000_000_000L;
        assertThat(w.eventTime(0, end)).isEqualTo(end - Duration.ofDays(7).toMillis());
        assertThat(w.eventTime(1_000, end)).isEqualTo(end);
        assertThat(w.eventTime(500, end)).isEqualTo(end - Duration.ofDays(7).toMillis() / 2);
        for (long i = 1; i <= 1_000; i++) {
            assertThat(w.eventTime(i, end)).isGreaterThanOrEqualTo(w.eventTime(i - 1, end));
        }
    }

    @Test
    void aSingleEventOrAZeroSpanIsAtTheEnd() {
        assertThat(new Workload(1, 1, 1, 1, 1, Duration.ofDays(1), 64).eventTime(0, 5_000))
                .isEqualTo(5_000);
        assertThat(new Workload(10, 1, 1, 1, 1, Duration.ZERO, 64).eventTime(3, 5_000))
                .isEqualTo(5_000);
    }

    @Test
    void runIdFollowsTheSeedSoReRunsAreIdentical() {
        assertThat(new Workload(10, 1, 1, 1, 7, Duration.ZERO, 64).runId()).isEqualTo("bench7");
    }

    @Test
    void nonsenseSizesAreRefused() {
        assertThatThrownBy(() -> new Workload(0, 1, 1, 1, 1, Duration.ZERO, 64))
                .hasMessageContaining("events");
        assertThatThrownBy(() -> new Workload(1, 0, 1, 1, 1, Duration.ZERO, 64))
                .hasMessageContaining("customers");
        assertThatThrownBy(() -> new Workload(1, 1, 1, 1, 1, Duration.ofDays(-1), 64))
                .hasMessageContaining("span");
    }
}
