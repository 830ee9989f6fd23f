package io.p13n.jobs.profile;

import static io.p13n.model.testing.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.jobs.OutputTags;
import io.p13n.jobs.ingest.CustomerEvents;
import io.p13n.model.CategoryScore;
import io.p13n.model.ClickEvent;
import io.p13n.model.ClickType;
import io.p13n.model.CustomerEvent;
import io.p13n.model.CustomerMoment;
import io.p13n.model.CustomerProfile;
import io.p13n.model.TriggerType;
import io.p13n.model.testing.TestEvents;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupsStateHandle;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Searches in the customer stage (README, Searches): views that answer a search move the customer's
 * interests, and a search burst without an order within searches.no-purchase-after (1 h by default)
 * is one SEARCHED_NOT_BOUGHT moment, fired by the profile's single timer.
 */
class SearchesInProfileTest {
    private static final String QUERY = "running shoes";

    private KeyedOneInputStreamOperatorTestHarness<String, CustomerEvent, CustomerProfile> harness;

    /** Not yet opened: a restore initializes its state first. */
    private static KeyedOneInputStreamOperatorTestHarness<String, CustomerEvent, CustomerProfile>
            newHarness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new CustomerProfileFunction(
                                Duration.ofDays(400),
                                32,
                                Duration.ofDays(1),
                                ProfileSettings.defaults())),
                CustomerEvents::customerId,
                Types.STRING);
    }

    @BeforeEach
    void start() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
    }

    private void send(Object payload) throws Exception {
        CustomerEvent event = new CustomerEvent(payload);
        harness.processElement(new StreamRecord<>(event, CustomerEvents.eventTimeMillis(event)));
    }

    private static ClickEvent search(String customer, String session, Instant at) {
        return TestEvents.click(customer, ClickType.SEARCH, at)
                .setSessionId(session)
                .setSearchQuery(QUERY)
                .build();
    }

    private static ClickEvent view(
            String customer, String session, Instant at, String product, String category) {
        return TestEvents.click(customer, ClickType.PRODUCT_VIEW, at)
                .setSessionId(session)
                .setProductId(product)
                .setCategoryId(category)
                .build();
    }

    private void advanceTo(Instant time) throws Exception {
        harness.processWatermark(new Watermark(time.toEpochMilli()));
    }

    private List<CustomerMoment> moments() {
        var queue = harness.getSideOutput(OutputTags.CUSTOMER_MOMENTS);
        return queue == null ? List.of() : queue.stream().map(StreamRecord::getValue).toList();
    }

    private CustomerProfile latest() {
        List<CustomerProfile> out = harness.extractOutputValues();
        return out.get(out.size() - 1);
    }

    private static Instant min(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    @Test
    void shouldPutTheCategoryASearcherViewsOnTopOfEarlierBrowsing() throws Exception {
        for (int i = 0; i < 3; i++) {
            send(view("c1", "s1", min(i), "S" + i, "shoes"));
            send(view("c2", "s1", min(i), "S" + i, "shoes"));
        }
        send(search("c1", "s2", min(60)));
        for (int i = 0; i < 2; i++) {
            send(view("c1", "s2", min(61 + i), "T" + i, "tents"));
            send(view("c2", "s2", min(61 + i), "T" + i, "tents")); // the same, without a search
        }

        List<CustomerProfile> out = harness.extractOutputValues();
        CustomerProfile searcher = out.get(out.size() - 2);
        CustomerProfile browser = out.get(out.size() - 1);
        long asOf = min(62).toEpochMilli();
        long halfLife = ProfileSettings.defaults().affinityHalfLifeMillis();
        assertThat(CategoryAffinity.top(searcher, asOf, halfLife))
                .extracting(CategoryScore::getCategoryId)
                .containsExactly("tents", "shoes");
        assertThat(CategoryAffinity.top(browser, asOf, halfLife))
                .extracting(CategoryScore::getCategoryId)
                .containsExactly("shoes", "tents");
        assertThat(searcher.getSearchedQueries()).hasSize(1);
        assertThat(searcher.getSearches()).isEqualTo(1);
    }

    @Test
    void shouldEmitSearchedNotBoughtOnceThePeriodPassesWithoutAnOrder() throws Exception {
        send(search("c1", "s1", T0));
        send(view("c1", "s1", min(1), "P1", "shoes"));
        send(view("c1", "s1", min(2), "P2", "shoes"));
        send(view("c1", "s1", min(3), "P3", "socks"));

        advanceTo(min(59));
        assertThat(moments()).isEmpty();
        advanceTo(min(61));

        assertThat(moments()).hasSize(1);
        CustomerMoment moment = moments().get(0);
        assertThat(moment.getCustomerId()).isEqualTo("c1");
        assertThat(moment.getTrigger()).isEqualTo(TriggerType.SEARCHED_NOT_BOUGHT);
        assertThat(moment.getEventTime()).isEqualTo(min(60).toEpochMilli());
        assertThat(moment.getCategoryId()).isEqualTo("shoes");
        assertThat(moment.getProductId()).isEqualTo("P3");
        assertThat(moment.getReason())
                .isEqualTo("searched, viewed 3 products mostly in shoes, no order within 1 h")
                .doesNotContain("running");
        assertThat(latest().getOpenSearch().getSignalled()).isTrue();

        advanceTo(min(600));
        assertThat(moments()).as("once").hasSize(1);
    }

    @Test
    void shouldEmitNothingWhenTheCustomerOrderedMeanwhile() throws Exception {
        send(search("c1", "s1", T0));
        send(view("c1", "s1", min(1), "P1", "shoes"));
        send(TestEvents.placed("c1", min(20), 50));

        advanceTo(min(300));

        assertThat(moments()).isEmpty();
        assertThat(latest().getOpenSearch()).isNull();
    }

    @Test
    void shouldCountTheSearchesOfOneSessionAsOneBurst() throws Exception {
        send(search("c1", "s1", T0));
        send(search("c1", "s1", min(5)));
        send(search("c1", "s1", min(10)));
        advanceTo(min(200));
        send(search("c1", "s1", min(201))); // the same visit, still: no second moment
        advanceTo(min(400));

        assertThat(moments()).hasSize(1);
        assertThat(moments().get(0).getEventTime())
                .as("an hour after the burst's latest search")
                .isEqualTo(min(70).toEpochMilli());
        assertThat(moments().get(0).getReason()).startsWith("searched 3 times, viewed no product");

        send(search("c1", "s2", min(500))); // a later visit: a new hunt
        advanceTo(min(561));
        assertThat(moments()).hasSize(2);
    }

    @Test
    void shouldFireAPendingMomentAfterARestoreFromASnapshot() throws Exception {
        send(search("c1", "s1", T0));
        send(view("c1", "s1", min(1), "P1", "shoes"));
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        advanceTo(min(61));

        assertThat(moments()).hasSize(1);
        assertThat(moments().get(0).getCategoryId()).isEqualTo("shoes");
    }

    @Test
    void shouldKeepNoSearchTextInTheCheckpointedProfile() throws Exception {
        String customer = "searcher-4711";
        send(search(customer, "s1", T0));
        send(view(customer, "s1", min(1), "P1", "shoes"));
        send(search(customer, "s2", min(100)));

        byte[] state = bytesOf(harness.snapshot(1, 1));

        String text = new String(state, StandardCharsets.ISO_8859_1);
        assertThat(text)
                .as("the checkpoint holds the profile")
                .contains(customer)
                .contains("shoes");
        assertThat(text).doesNotContain(QUERY).doesNotContain("running");
        assertThat(harness.extractOutputValues().toString()).doesNotContain("running");
    }

    /** The bytes of every keyed-state handle of a (heap backend) snapshot. */
    private static byte[] bytesOf(OperatorSubtaskState snapshot) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (KeyedStateHandle handle : snapshot.getManagedKeyedState()) {
            if (handle instanceof KeyGroupsStateHandle groups) {
                try (var in = groups.getDelegateStateHandle().openInputStream()) {
                    in.transferTo(out);
                }
            }
        }
        return out.toByteArray();
    }
}
