package io.p13n.jobs.ingest;

import static io.p13n.model.testing.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.config.Secret;
import io.p13n.jobs.privacy.ErasedIds;
import io.p13n.jobs.privacy.SearchQueries;
import io.p13n.model.ClickEvent;
import io.p13n.model.ClickType;
import io.p13n.model.CustomerEvent;
import io.p13n.model.SourceRecord;
import io.p13n.model.testing.TestEvents;
import java.time.Duration;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** The entrance replaces a search's text by its keyed token (README, Searches). */
class SearchQueriesAtTheEntranceTest {
    private static final String KEY = "a-key-of-at-least-thirty-two-characters";

    private static ClickEvent through(Secret key, ClickEvent click) throws Exception {
        try (BroadcastOperatorTestHarness<SourceRecord, SourceRecord, CustomerEvent> harness =
                ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
                        new RouteAndSuppressErasedFunction(Duration.ofDays(35), 100, key),
                        ErasedIds.DESCRIPTOR)) {
            harness.processElement(new SourceRecord(click), T0.toEpochMilli());
            return (ClickEvent) harness.extractOutputValues().get(0).getPayload();
        }
    }

    private static ClickEvent search(String query) {
        return TestEvents.click("alice", ClickType.SEARCH, T0).setSearchQuery(query).build();
    }

    @Test
    void shouldPassOnlyTheKeyedTokenOfTheQuery() throws Exception {
        ClickEvent out = through(Secret.of(KEY), search("Running Shoes"));

        assertThat(out.getSearchQuery()).isEqualTo(new SearchQueries(KEY).token("running shoes"));
        assertThat(out.toString()).doesNotContainIgnoringCase("running");
    }

    @Test
    void shouldReplaceTheTextWithoutAPseudonymizationKeyToo() throws Exception {
        ClickEvent out = through(null, search("Running Shoes"));

        assertThat(out.getCustomerId()).isEqualTo("alice");
        assertThat(out.getSearchQuery())
                .isEqualTo(new SearchQueries(null).token("running shoes"))
                .doesNotContainIgnoringCase("running");
        assertThat(through(null, search(" !? ")).getSearchQuery()).as("nothing left").isNull();
        assertThat(through(null, TestEvents.productView("alice", T0)).getSearchQuery()).isNull();
    }
}
