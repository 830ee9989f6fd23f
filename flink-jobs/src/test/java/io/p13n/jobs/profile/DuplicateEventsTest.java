package io.p13n.jobs.profile;

import static io.p13n.model.testing.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.jobs.OutputTags;
import io.p13n.jobs.ingest.CustomerEvents;
import io.p13n.model.ClickEvent;
import io.p13n.model.CustomerEvent;
import io.p13n.model.CustomerProfile;
import io.p13n.model.OrderEvent;
import io.p13n.model.OrderStatus;
import io.p13n.model.testing.TestEvents;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** The profile stage drops duplicate events (producer retries) before they count or flow on. */
class DuplicateEventsTest {

    private static KeyedOneInputStreamOperatorTestHarness<String, CustomerEvent, CustomerProfile>
            harness(int window, Duration ttl) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, CustomerEvent, CustomerProfile> harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new CustomerProfileFunction(
                                Duration.ofDays(400), window, ttl, ProfileSettings.defaults()),
                        CustomerEvents::customerId,
                        Types.STRING);
        harness.open();
        return harness;
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, CustomerEvent, CustomerProfile> h,
            Object payload)
            throws Exception {
        CustomerEvent event = new CustomerEvent(payload);
        h.processElement(new StreamRecord<>(event, CustomerEvents.eventTimeMillis(event)));
    }

    /** What flowed on to the downstream stages. */
    private static List<Object> unique(
            KeyedOneInputStreamOperatorTestHarness<String, CustomerEvent, CustomerProfile> h) {
        var queue = h.getSideOutput(OutputTags.UNIQUE_EVENTS);
        return queue == null
                ? List.of()
                : queue.stream().map(r -> r.getValue().getPayload()).toList();
    }

    @Test
    void shouldDropARepeatedClickAndKeepDistinctOnes() throws Exception {
        var h = harness(32, Duration.ofDays(1));
        ClickEvent first = TestEvents.productView("c1", T0);
        ClickEvent second = TestEvents.productView("c1", T0.plusSeconds(1));

        send(h, first);
        send(h, second);
        send(h, first);

        assertThat(unique(h)).containsExactly(first, second);
        assertThat(h.extractOutputValues()).as("a profile per counted event").hasSize(2);
        assertThat(h.extractOutputValues().get(1).getProductViews())
                .as("the duplicate is not counted")
                .isEqualTo(2);
    }

    @Test
    void shouldTreatCancellationOfAnOrderAsNewButResentPlacementAsDuplicate() throws Exception {
        var h = harness(32, Duration.ofDays(1));
        OrderEvent placed = TestEvents.placed("c1", T0, 30);
        OrderEvent cancelled =
                OrderEvent.newBuilder(placed)
                        .setStatus(OrderStatus.CANCELLED)
                        .setEventTime(T0.plusSeconds(60))
                        .build();

        send(h, placed);
        send(h, OrderEvent.newBuilder(placed).build());
        send(h, cancelled);

        assertThat(unique(h)).containsExactly(placed, cancelled);
        assertThat(h.extractOutputValues().get(h.extractOutputValues().size() - 1).getOrders())
                .isEqualTo(1);
    }

    @Test
    void shouldKeepTheSameEventIdOfDifferentCustomersApart() throws Exception {
        var h = harness(32, Duration.ofDays(1));
        ClickEvent a = TestEvents.productView("c1", T0);
        ClickEvent b = ClickEvent.newBuilder(a).setCustomerId("c2").build();

        send(h, a);
        send(h, b);

        assertThat(unique(h)).hasSize(2);
    }

    @Test
    void shouldForgetIdsOlderThanTheWindowSoStateStaysBounded() throws Exception {
        var h = harness(2, Duration.ofDays(1));
        ClickEvent e1 = TestEvents.productView("c1", T0);
        send(h, e1);
        send(h, TestEvents.productView("c1", T0.plusSeconds(1)));
        send(h, TestEvents.productView("c1", T0.plusSeconds(2)));

        // e1 fell out of the 2-id window: by design it is no longer recognised.
        send(h, e1);

        assertThat(unique(h)).hasSize(4);
        CustomerProfile last = h.extractOutputValues().get(3);
        assertThat(last.getRecentEventHashes().remaining())
                .as("two hashes and the header, 8 bytes each")
                .isEqualTo(8 * 4);
    }

    @Test
    void shouldForgetTheWindowOfACustomerQuietLongerThanTheTtl() throws Exception {
        var h = harness(32, Duration.ofHours(1));
        ClickEvent click = TestEvents.productView("c1", T0);
        h.setProcessingTime(0);
        send(h, click);

        h.setProcessingTime(Duration.ofHours(2).toMillis());
        send(h, click);

        // After the TTL the old window is forgotten, so the re-sent event passes again.
        assertThat(unique(h)).hasSize(2);
    }
}
