package io.p13n.cli.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.model.ClickEvent;
import io.p13n.model.ClickType;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Searches in the simulated traffic look like searches (README, Searches): most are followed by
 * views of results in the searched category, some end the visit.
 */
class SearchTrafficTest {
    private static final Clock FIXED =
            Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void searchesAreFollowedByViewsInTheSearchedCategoryOrEndTheVisit() {
        StorefrontSimulator simulator = new StorefrontSimulator(42, 5_000, 2_000, 30, FIXED);
        Map<String, List<ClickEvent>> sessions = new LinkedHashMap<>();
        for (int i = 0; i < 100_000; i++) {
            if (simulator.next() instanceof ClickEvent click) {
                sessions.computeIfAbsent(click.getSessionId(), s -> new ArrayList<>()).add(click);
            }
        }

        int searches = 0;
        int answered = 0;
        int answeredInCategory = 0;
        int last = 0;
        for (List<ClickEvent> session : sessions.values()) {
            for (int i = 0; i < session.size(); i++) {
                ClickEvent click = session.get(i);
                if (click.getType() != ClickType.SEARCH) {
                    continue;
                }
                searches++;
                if (i == session.size() - 1) {
                    last++;
                    continue;
                }
                ClickEvent next = session.get(i + 1);
                if (next.getType() == ClickType.PRODUCT_VIEW) {
                    answered++;
                    String term = simulator.catalog().searchTerm(next.getCategoryId());
                    if (click.getSearchQuery().endsWith(term)) {
                        answeredInCategory++;
                    }
                }
            }
        }

        assertThat(searches).isGreaterThan(1_000);
        assertThat((double) answered / searches).as("followed by a result view").isGreaterThan(0.6);
        assertThat((double) answeredInCategory / answered)
                .as("the result in the searched category")
                .isGreaterThan(0.85);
        assertThat((double) last / searches).as("searched and left").isBetween(0.1, 0.4);
    }
}
