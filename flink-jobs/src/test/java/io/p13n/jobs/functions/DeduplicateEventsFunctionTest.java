package io.p13n.jobs.functions;

import static io.p13n.model.testing.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.model.ClickEvent;
import io.p13n.model.CustomerEvent;
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

class DeduplicateEventsFunctionTest {

  private static KeyedOneInputStreamOperatorTestHarness<String, CustomerEvent, CustomerEvent> harness(int window, Duration ttl)
      throws Exception {
    KeyedOneInputStreamOperatorTestHarness<String, CustomerEvent, CustomerEvent> harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new DeduplicateEventsFunction(window, ttl), CustomerEvents::customerId, Types.STRING);
    harness.open();
    return harness;
  }

  private static void send(KeyedOneInputStreamOperatorTestHarness<String, CustomerEvent, CustomerEvent> h, Object payload)
      throws Exception {
    CustomerEvent event = new CustomerEvent(payload);
    h.processElement(new StreamRecord<>(event, CustomerEvents.eventTimeMillis(event)));
  }

  @Test
  void shouldDropARepeatedClickAndKeepDistinctOnes() throws Exception {
    var h = harness(32, Duration.ofDays(1));
    ClickEvent first = TestEvents.productView("c1", T0);
    ClickEvent second = TestEvents.productView("c1", T0.plusSeconds(1));

    send(h, first);
    send(h, second);
    send(h, first);

    List<CustomerEvent> out = h.extractOutputValues();
    assertThat(out).extracting(CustomerEvent::getPayload).containsExactly(first, second);
  }

  @Test
  void shouldTreatCancellationOfAnOrderAsNewButResentPlacementAsDuplicate() throws Exception {
    var h = harness(32, Duration.ofDays(1));
    OrderEvent placed = TestEvents.placed("c1", T0, 30);
    OrderEvent cancelled = OrderEvent.newBuilder(placed).setStatus(OrderStatus.CANCELLED).setEventTime(T0.plusSeconds(60)).build();

    send(h, placed);
    send(h, OrderEvent.newBuilder(placed).build());
    send(h, cancelled);

    assertThat(h.extractOutputValues()).extracting(CustomerEvent::getPayload).containsExactly(placed, cancelled);
  }

  @Test
  void shouldKeepTheSameEventIdOfDifferentCustomersApart() throws Exception {
    var h = harness(32, Duration.ofDays(1));
    ClickEvent a = TestEvents.productView("c1", T0);
    ClickEvent b = ClickEvent.newBuilder(a).setCustomerId("c2").build();

    send(h, a);
    send(h, b);

    assertThat(h.extractOutputValues()).hasSize(2);
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

    assertThat(h.extractOutputValues()).hasSize(4);
    assertThat(h.numKeyedStateEntries()).isEqualTo(1);
  }

  @Test
  void shouldExpireTheWindowOfAQuietCustomer() throws Exception {
    var h = harness(32, Duration.ofHours(1));
    ClickEvent click = TestEvents.productView("c1", T0);
    h.setStateTtlProcessingTime(0);
    send(h, click);

    h.setStateTtlProcessingTime(Duration.ofHours(2).toMillis());
    send(h, click);

    // After the TTL the old window is gone, so the re-sent event passes again.
    assertThat(h.extractOutputValues()).hasSize(2);
  }
}
