package io.p13n.jobs;

import static io.p13n.model.testing.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.jobs.testing.CampaignSources;
import io.p13n.jobs.testing.CollectedOutputs;
import io.p13n.jobs.testing.SourceRecords;
import io.p13n.model.ClickEvent;
import io.p13n.model.ClickType;
import io.p13n.model.CustomerProfile;
import io.p13n.model.DeadLetter;
import io.p13n.model.OrderEvent;
import io.p13n.model.OrderStatus;
import io.p13n.model.SourceRecord;
import io.p13n.model.testing.TestEvents;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole workflow on a MiniCluster (parallelism 2), with bounded sources and collecting sinks.
 */
class PersonalizationWorkflowTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void shouldBuildProfilesDropDuplicatesAndRouteDeadLetters() throws Exception {
        List<SourceRecord> clicks = new ArrayList<>();
        ClickEvent view = TestEvents.productView("alice", T0);
        clicks.add(SourceRecords.of(view));
        clicks.add(SourceRecords.deadLetter("clicks", 1, "garbage"));
        clicks.add(
                SourceRecords.of(
                        ClickEvent.newBuilder(view).build())); // a producer retry: same event id
        clicks.add(
                SourceRecords.of(
                        TestEvents.click("alice", ClickType.ADD_TO_CART, T0.plusSeconds(5))
                                .build()));
        clicks.add(
                SourceRecords.of(
                        TestEvents.click("bob", ClickType.SEARCH, T0.plusSeconds(7)).build()));
        clicks.add(SourceRecords.deadLetter("clicks", 5, "unknown schema"));
        for (int i = 0; i < 50; i++) {
            clicks.add(
                    SourceRecords.of(
                            TestEvents.productView("carol-" + (i % 10), T0.plusSeconds(i))));
        }
        OrderEvent order = TestEvents.placed("alice", T0.plusSeconds(60), 80);
        List<SourceRecord> orders =
                List.of(
                        SourceRecords.of(order),
                        SourceRecords.of(TestEvents.placed("bob", T0.plusSeconds(70), 15)),
                        SourceRecords.of(
                                OrderEvent.newBuilder(order)
                                        .setStatus(OrderStatus.REFUNDED)
                                        .setTotal(30)
                                        .setEventTime(T0.plusSeconds(90))
                                        .build()));

        CollectedOutputs outputs = new CollectedOutputs();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        PersonalizationJob.defineWorkflow(
                env,
                SourceRecords.boundedSource(clicks),
                SourceRecords.boundedSource(orders),
                CampaignSources.none(),
                CollectedOutputs.defaultSettings(),
                outputs.sinks());
        env.execute("workflow-test");

        Map<String, CustomerProfile> latest = new LinkedHashMap<>();
        for (CustomerProfile p : outputs.profiles.collected()) {
            latest.put(p.getCustomerId(), p);
        }
        CustomerProfile alice = latest.get("alice");
        assertThat(alice.getProductViews()).as("the retried view counts once").isEqualTo(1);
        assertThat(alice.getCartAdds()).isEqualTo(1);
        assertThat(alice.getOrders()).isEqualTo(1);
        assertThat(alice.getRefunds()).isEqualTo(1);
        assertThat(alice.getTotalSpend()).isEqualTo(50.0);
        assertThat(latest.get("bob").getSearches()).isEqualTo(1);
        assertThat(latest.get("bob").getTotalSpend()).isEqualTo(15.0);
        assertThat(latest).hasSize(12);
        for (int i = 0; i < 10; i++) {
            assertThat(latest.get("carol-" + i).getProductViews()).isEqualTo(5);
        }
        assertThat(outputs.deadLetters.collected())
                .extracting(DeadLetter::getOffset)
                .containsExactlyInAnyOrder(1L, 5L);
    }
}
