package io.p13n.jobs.profile;

import static io.p13n.model.testing.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.jobs.privacy.SearchQueries;
import io.p13n.model.CategoryScore;
import io.p13n.model.CustomerMoment;
import io.p13n.model.CustomerProfile;
import io.p13n.model.TriggerType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchInterestTest {
    private static final long MIN = 60_000;
    private static final long T = T0.toEpochMilli();
    private static final SearchQueries QUERIES = new SearchQueries(null);
    private static final String SHOES = QUERIES.token("running shoes");
    private static final String TENTS = QUERIES.token("tent");

    private final ProfileSettings settings = ProfileSettings.defaults();
    private final SearchSettings searches = settings.searches();
    private final CustomerProfile profile =
            CustomerProfile.newBuilder().setCustomerId("c1").build();

    private static ProfileSettings with(String key, String value) {
        return ProfileSettings.from(
                EngineConfig.fromMap(
                        Map.of(
                                EngineOptions.KAFKA_BOOTSTRAP_SERVERS.key(),
                                "localhost:9092",
                                key,
                                value),
                        Map.of()));
    }

    private double score(String category, long asOf) {
        return CategoryAffinity.top(profile, asOf, settings.affinityHalfLifeMillis()).stream()
                .filter(s -> s.getCategoryId().equals(category))
                .mapToDouble(CategoryScore::getScore)
                .findFirst()
                .orElse(0);
    }

    @Test
    void shouldHaveTheDocumentedDefaults() {
        assertThat(searches.attributionWindowMillis()).isEqualTo(10 * MIN);
        assertThat(searches.maxViews()).isEqualTo(5);
        assertThat(searches.noPurchaseAfterMillis()).isEqualTo(60 * MIN);
        assertThat(searches.affinityWeight()).isEqualTo(2.0);
    }

    @Test
    void shouldCreditTheCategoriesOfTheViewsThatFollowASearchAndLearnTheQuery() {
        SearchInterest.onSearch(profile, SHOES, "s1", T, settings);
        assertThat(profile.getCategories())
                .as("a first search of a query: nothing known")
                .isEmpty();

        SearchInterest.onView(profile, "s1", "P1", "shoes", T + MIN, settings);
        SearchInterest.onView(profile, "s1", "P2", "shoes", T + 2 * MIN, settings);
        SearchInterest.onView(profile, "s1", "P3", "socks", T + 3 * MIN, settings);

        assertThat(score("shoes", T + 3 * MIN))
                .isCloseTo(4.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(score("socks", T + 3 * MIN)).isEqualTo(2.0);
        assertThat(profile.getSearchedQueries()).hasSize(1);
        assertThat(profile.getSearchedQueries().get(0).getCategoryId())
                .as("the category most answers were in")
                .isEqualTo("shoes");
        assertThat(profile.getSearchedQueries().get(0).getQueryHash())
                .isEqualTo(SearchInterest.queryHash(SHOES));
        assertThat(profile.getOpenSearch().getViews()).isEqualTo(3);
        assertThat(profile.getOpenSearch().getProductId()).isEqualTo("P3");
        assertThat(profile.getOpenSearch().getCategoryId()).isEqualTo("shoes");
    }

    @Test
    void shouldNotCreditViewsAfterTheWindowInAnotherSessionBeforeTheSearchOrPastTheCap() {
        SearchInterest.onSearch(profile, SHOES, "s1", T, settings);
        SearchInterest.onView(profile, "s1", "P0", "early", T - 1, settings);
        SearchInterest.onView(profile, "s2", "P1", "elsewhere", T + MIN, settings);
        SearchInterest.onView(profile, "s1", "P2", "late", T + 11 * MIN, settings);
        assertThat(profile.getCategories()).isEmpty();
        assertThat(profile.getSearchedQueries()).isEmpty();

        for (int i = 0; i < 7; i++) {
            SearchInterest.onView(profile, "s1", "P" + i, "shoes", T + MIN + i, settings);
        }
        assertThat(profile.getOpenSearch().getQueryViews()).isEqualTo(5);
        assertThat(score("shoes", T + 2 * MIN))
                .isCloseTo(10.0, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void shouldMoveInterestsWhenARememberedQueryIsRepeatedWithoutAView() {
        SearchInterest.onSearch(profile, SHOES, "s1", T, settings);
        SearchInterest.onView(profile, "s1", "P1", "shoes", T + MIN, settings);
        double before = score("shoes", T + 3 * 24 * 60 * MIN);

        SearchInterest.onSearch(
                profile, QUERIES.token("Running  SHOES"), "s2", T + 3 * 24 * 60 * MIN, settings);

        assertThat(score("shoes", T + 3 * 24 * 60 * MIN))
                .isCloseTo(before + 2.0, org.assertj.core.data.Offset.offset(0.01));
        SearchInterest.onSearch(profile, TENTS, "s2", T + 3 * 24 * 60 * MIN + 1, settings);
        assertThat(profile.getCategories())
                .extracting(CategoryScore::getCategoryId)
                .containsOnly("shoes");
    }

    @Test
    void shouldForgetQueriesUnusedForTheTtlAndKeepOnlyTheMostRecentlyUsed() {
        ProfileSettings two = with(EngineOptions.SEARCHES_MAX_QUERIES.key(), "2");
        for (int i = 0; i < 3; i++) {
            long at = T + i * 20 * MIN;
            SearchInterest.onSearch(profile, QUERIES.token("query " + i), "s" + i, at, two);
            SearchInterest.onView(profile, "s" + i, "P" + i, "C" + i, at + MIN, two);
        }
        assertThat(profile.getSearchedQueries())
                .extracting(q -> q.getCategoryId())
                .containsExactly("C1", "C2");

        long monthLater = T + 40 * MIN + searches.queryTtlMillis() + 5 * MIN;
        SearchInterest.onSearch(profile, QUERIES.token("query 2"), "s9", monthLater, two);
        assertThat(profile.getSearchedQueries()).as("unused for the TTL").isEmpty();
    }

    @Test
    void shouldBeDueOnceAfterThePeriodWithoutAnOrder() {
        SearchInterest.onSearch(profile, SHOES, "s1", T, settings);
        SearchInterest.onView(profile, "s1", "P1", "shoes", T + MIN, settings);
        SearchInterest.onSearch(profile, TENTS, "s1", T + 5 * MIN, settings);
        long due = T + 5 * MIN + 60 * MIN;
        assertThat(SearchInterest.deadline(profile, searches)).isEqualTo(due);
        assertThat(SearchInterest.due(profile, due - 1, searches)).isNull();

        CustomerMoment moment = SearchInterest.due(profile, due, searches);

        assertThat(moment.getTrigger()).isEqualTo(TriggerType.SEARCHED_NOT_BOUGHT);
        assertThat(moment.getEventTime()).isEqualTo(due);
        assertThat(moment.getCustomerId()).isEqualTo("c1");
        assertThat(moment.getCategoryId()).isEqualTo("shoes");
        assertThat(moment.getProductId()).isEqualTo("P1");
        assertThat(moment.getReason())
                .isEqualTo(
                        "searched 2 times, viewed 1 product mostly in shoes, no order within 1 h");
        assertThat(SearchInterest.due(profile, due + 1, searches)).as("once").isNull();
        assertThat(SearchInterest.deadline(profile, searches)).isEqualTo(Long.MAX_VALUE);

        // more searches in the same session: the same burst, no second moment
        SearchInterest.onSearch(profile, SHOES, "s1", due + MIN, settings);
        assertThat(SearchInterest.deadline(profile, searches)).isEqualTo(Long.MAX_VALUE);
        // a search in a later visit is a new hunt
        SearchInterest.onSearch(profile, SHOES, "s2", due + 10 * MIN, settings);
        assertThat(SearchInterest.deadline(profile, searches)).isEqualTo(due + 70 * MIN);
    }

    @Test
    void shouldCountSearchesOfAnotherSessionWhileTheMomentIsPendingAsTheSameBurst() {
        SearchInterest.onSearch(profile, SHOES, "s1", T, settings);
        SearchInterest.onSearch(profile, SHOES, "s2", T + 30 * MIN, settings);
        assertThat(profile.getOpenSearch().getSearches()).isEqualTo(2);
        assertThat(profile.getOpenSearch().getFirstAt()).isEqualTo(T);
        assertThat(SearchInterest.deadline(profile, searches)).isEqualTo(T + 90 * MIN);
    }

    @Test
    void shouldNotBeDueWhenTheyOrderedSinceTheFirstSearch() {
        profile.setLastOrderTime(T - MIN); // an earlier order does not count
        SearchInterest.onSearch(profile, SHOES, "s1", T, settings);
        assertThat(SearchInterest.due(profile, T + 61 * MIN, searches)).isNotNull();

        CustomerProfile buyer = CustomerProfile.newBuilder().setCustomerId("c2").build();
        SearchInterest.onSearch(buyer, SHOES, "s1", T, settings);
        buyer.setLastOrderTime(T + 20 * MIN);
        assertThat(SearchInterest.due(buyer, T + 61 * MIN, searches)).isNull();
        assertThat(buyer.getOpenSearch()).as("closed").isNull();
        assertThat(SearchInterest.deadline(buyer, searches)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldSayNoViewWhenTheSearchWasNotAnsweredAndNeverHoldTheText() {
        SearchInterest.onSearch(profile, SHOES, "s1", T, settings);
        CustomerMoment moment = SearchInterest.due(profile, T + 60 * MIN, searches);
        assertThat(moment.getReason())
                .isEqualTo("searched, viewed no product, no order within 1 h");
        assertThat(moment.getCategoryId()).isNull();
        assertThat(profile.toString() + moment)
                .doesNotContain("running")
                .doesNotContain("shoes")
                .doesNotContain(SHOES);
    }

    @Test
    void shouldStillOpenABurstForASearchWithoutText() {
        SearchInterest.onSearch(profile, null, "s1", T, settings);
        SearchInterest.onView(profile, "s1", "P1", "shoes", T + MIN, settings);
        assertThat(profile.getSearchedQueries()).as("nothing to remember it by").isEmpty();
        assertThat(score("shoes", T + MIN)).isEqualTo(2.0);
        assertThat(SearchInterest.deadline(profile, searches)).isEqualTo(T + 60 * MIN);
    }

    @Test
    void shouldMergeAGuestsSearchesIntoTheCustomer() {
        SearchInterest.onSearch(profile, SHOES, "s1", T, settings);
        SearchInterest.onView(profile, "s1", "P1", "shoes", T + MIN, settings);
        CustomerProfile guest = CustomerProfile.newBuilder().setCustomerId("g1").build();
        SearchInterest.onSearch(guest, TENTS, "s2", T + 10 * MIN, settings);
        SearchInterest.onView(guest, "s2", "P7", "tents", T + 11 * MIN, settings);

        SearchInterest.merge(profile, guest, settings);

        assertThat(profile.getSearchedQueries())
                .extracting(q -> q.getCategoryId())
                .containsExactlyInAnyOrder("shoes", "tents");
        assertThat(profile.getOpenSearch().getSessionId()).isEqualTo("s2");
        assertThat(profile.getOpenSearch().getFirstAt()).isEqualTo(T);
        assertThat(profile.getOpenSearch().getSearches()).isEqualTo(2);
        assertThat(profile.getOpenSearch().getViews()).isEqualTo(2);
        assertThat(guest.getOpenSearch().getSearches()).as("the guest's is copied").isEqualTo(1);
    }

    @Test
    void shouldPickTheMostFrequentCategoryTheLaterOnATie() {
        assertThat(SearchInterest.mostFrequent(List.of("a", "b", "b", "a", "c"))).isEqualTo("a");
        assertThat(SearchInterest.mostFrequent(List.of("a", "b"))).isEqualTo("b");
        assertThat(SearchInterest.mostFrequent(List.of("a", "b", "b"))).isEqualTo("b");
    }
}
