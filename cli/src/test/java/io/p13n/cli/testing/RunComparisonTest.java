package io.p13n.cli.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The comparison the crash tests rely on finds every kind of difference it claims to. */
class RunComparisonTest {
    private static final List<String> CUSTOMERS = List.of("a", "b");

    @Test
    void shouldAgreeWithAnIdenticalRun() {
        RunComparison.Result result =
                RunComparison.compare("same", 4, outcome(), outcome(), CUSTOMERS);

        assertThat(result.differingProfiles()).isEmpty();
        assertThat(result.coupons()).isEqualTo(2);
        assertThat(result.summary())
                .contains("4 events in, 2 customers compared")
                .contains("0 profiles differing")
                .contains("0 duplicate, 0 missing, 0 unexpected");
        result.assertAgrees();
    }

    @Test
    void shouldNameEachDifferingProfileField() {
        RunComparison.Outcome actual = outcome();
        actual.profiles().put("a", Map.of("orders", "3", "points", "120", "extra", "x"));
        actual.profiles().remove("b");

        RunComparison.Result result =
                RunComparison.compare("profiles", 4, outcome(), actual, CUSTOMERS);

        assertThat(result.differingProfiles())
                .containsExactly("a: extra=null|x, orders=2|3", "b: profile|<none>");
        assertThatThrownBy(result::assertAgrees).hasMessageContaining("profiles differing");
    }

    @Test
    void shouldCountDuplicateMissingAndUnexpectedCoupons() {
        RunComparison.Outcome actual = outcome();
        actual.coupons().put("a", List.of("m id-a P13N-A 1", "m id-a P13N-A 1"));
        actual.coupons().put("b", List.of("m id-x P13N-X 1"));

        RunComparison.Result result =
                RunComparison.compare("coupons", 4, outcome(), actual, CUSTOMERS);

        assertThat(result.duplicateCoupons()).containsExactly("a m id-a P13N-A 1");
        assertThat(result.missingCoupons()).containsExactly("b m id-b P13N-B 1");
        assertThat(result.unexpectedCoupons()).containsExactly("b m id-x P13N-X 1");
        assertThat(result.summary()).contains("1 duplicate, 1 missing, 1 unexpected");
        assertThatThrownBy(result::assertAgrees).hasMessageContaining("issued twice");
    }

    @Test
    void shouldFindRedisOffersThatDiffer() {
        RunComparison.Outcome actual = outcome();
        actual.redisOffers().remove("a");
        actual.redisOffers().put("b", "{\"offers\":[]}");

        RunComparison.Result result =
                RunComparison.compare("redis", 4, outcome(), actual, CUSTOMERS);

        assertThat(result.differingRedisOffers()).hasSize(2);
        assertThat(result.differingRedisOffers().get(0)).startsWith("a: ");
        assertThat(RunComparison.offerCount(outcome().redisOffers().get("b"))).isEqualTo(1);
        assertThatThrownBy(result::assertAgrees).hasMessageContaining("active offers");
    }

    @Test
    void shouldSettleOnlyWhenTwoReadsACheckpointApartAgree() throws Exception {
        List<RunComparison.Outcome> reads =
                new java.util.ArrayList<>(List.of(empty(), outcome(), outcome()));
        int[] checkpoints = {0};

        RunComparison.Outcome settled =
                RunComparison.settled(
                        () -> reads.remove(0),
                        () -> checkpoints[0]++,
                        java.time.Duration.ofSeconds(10));

        assertThat(settled).isEqualTo(outcome());
        assertThat(checkpoints[0]).isEqualTo(2);
    }

    /** Two customers, two orders each, one coupon each, held in Redis. */
    private static RunComparison.Outcome outcome() {
        SortedMap<String, Map<String, String>> profiles = new TreeMap<>();
        SortedMap<String, List<String>> coupons = new TreeMap<>();
        SortedMap<String, String> offers = new TreeMap<>();
        for (String c : CUSTOMERS) {
            profiles.put(c, Map.of("orders", "2", "points", "120"));
            coupons.put(c, List.of("m id-" + c + " P13N-" + c.toUpperCase() + " 1"));
            offers.put(c, "{\"offers\":[{\"couponId\":\"id-" + c + "\"}]}");
        }
        return new RunComparison.Outcome(profiles, coupons, offers);
    }

    private static RunComparison.Outcome empty() {
        return new RunComparison.Outcome(new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
    }
}
