package io.p13n.jobs.functions;

import static io.p13n.model.testing.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.model.ClickEvent;
import io.p13n.model.ClickType;
import io.p13n.model.CustomerEvent;
import io.p13n.model.CustomerProfile;
import io.p13n.model.OrderEvent;
import io.p13n.model.OrderStatus;
import io.p13n.model.testing.TestEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CustomerProfileFunctionTest {
  private KeyedOneInputStreamOperatorTestHarness<String, CustomerEvent, CustomerProfile> harness;

  @BeforeEach
  void setUp() throws Exception {
    harness =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new CustomerProfileFunction(Duration.ofDays(400)), CustomerEvents::customerId, Types.STRING);
    harness.open();
  }

  private void send(Object payload) throws Exception {
    CustomerEvent event = new CustomerEvent(payload);
    harness.processElement(new StreamRecord<>(event, CustomerEvents.eventTimeMillis(event)));
  }

  private CustomerProfile latest() {
    List<CustomerProfile> out = harness.extractOutputValues();
    return out.get(out.size() - 1);
  }

  @Test
  void shouldCountClicksByTypeAndSessions() throws Exception {
    send(TestEvents.click("c1", ClickType.PAGE_VIEW, T0).setSessionId("s1").build());
    send(TestEvents.click("c1", ClickType.PRODUCT_VIEW, T0.plusSeconds(10)).setSessionId("s1").build());
    send(TestEvents.click("c1", ClickType.SEARCH, T0.plusSeconds(20)).setSessionId("s1").build());
    send(TestEvents.click("c1", ClickType.ADD_TO_CART, T0.plusSeconds(30)).setSessionId("s1").build());
    send(TestEvents.click("c1", ClickType.REMOVE_FROM_CART, T0.plusSeconds(40)).setSessionId("s1").build());
    send(TestEvents.click("c1", ClickType.WISHLIST, T0.plusSeconds(50)).setSessionId("s2").build());

    CustomerProfile p = latest();
    assertThat(p.getCustomerId()).isEqualTo("c1");
    assertThat(p.getPageViews()).isEqualTo(1);
    assertThat(p.getProductViews()).isEqualTo(1);
    assertThat(p.getSearches()).isEqualTo(1);
    assertThat(p.getCartAdds()).isEqualTo(1);
    assertThat(p.getCartRemoves()).isEqualTo(1);
    assertThat(p.getWishlistAdds()).isEqualTo(1);
    assertThat(p.getSessions()).isEqualTo(2);
    assertThat(p.getFirstSeen()).isEqualTo(T0.toEpochMilli());
    assertThat(p.getLastSeen()).isEqualTo(T0.plusSeconds(50).toEpochMilli());
    assertThat(harness.extractOutputValues()).hasSize(6);
  }

  @Test
  void shouldAddPlacedOrdersAndSubtractCancelledAndRefundedOnes() throws Exception {
    OrderEvent first = TestEvents.placed("c1", T0, 100);
    OrderEvent second = TestEvents.placed("c1", T0.plusSeconds(3600), 50);
    send(first);
    send(second);
    send(OrderEvent.newBuilder(second).setStatus(OrderStatus.CANCELLED).setEventTime(T0.plusSeconds(3700)).build());
    send(OrderEvent.newBuilder(first).setStatus(OrderStatus.REFUNDED).setTotal(40).setEventTime(T0.plusSeconds(7200)).build());

    CustomerProfile p = latest();
    assertThat(p.getOrders()).isEqualTo(2);
    assertThat(p.getCancellations()).isEqualTo(1);
    assertThat(p.getRefunds()).isEqualTo(1);
    assertThat(p.getTotalSpend()).isEqualTo(60.0);
    assertThat(p.getFirstOrderTime()).isEqualTo(T0.toEpochMilli());
    assertThat(p.getLastOrderTime()).isEqualTo(T0.plusSeconds(3600).toEpochMilli());
  }

  @Test
  void shouldGiveTheSameProfileWhateverTheArrivalOrder() throws Exception {
    Instant later = T0.plusSeconds(600);
    send(TestEvents.placed("c1", later, 20));
    send(TestEvents.productView("c1", T0));

    CustomerProfile p = latest();
    assertThat(p.getFirstSeen()).isEqualTo(T0.toEpochMilli());
    assertThat(p.getLastSeen()).isEqualTo(later.toEpochMilli());
    assertThat(p.getLastOrderTime()).isEqualTo(later.toEpochMilli());
  }

  @Test
  void shouldStillApplyALateEvent() throws Exception {
    harness.processWatermark(new Watermark(T0.plusSeconds(3600).toEpochMilli()));
    send(TestEvents.productView("c1", T0));

    assertThat(latest().getProductViews()).isEqualTo(1);
  }

  @Test
  void shouldKeepCustomersApart() throws Exception {
    send(TestEvents.productView("c1", T0));
    send(TestEvents.productView("c2", T0));
    send(TestEvents.productView("c2", T0));

    assertThat(latest().getCustomerId()).isEqualTo("c2");
    assertThat(latest().getProductViews()).isEqualTo(2);
    assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
  }

  @Test
  void shouldExpireTheProfileOfACustomerGoneLongerThanTheTtl() throws Exception {
    var h =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new CustomerProfileFunction(Duration.ofDays(1)), CustomerEvents::customerId, Types.STRING);
    h.open();
    h.setStateTtlProcessingTime(0);
    ClickEvent view = TestEvents.productView("c1", T0);
    h.processElement(new StreamRecord<>(new CustomerEvent(view), T0.toEpochMilli()));

    h.setStateTtlProcessingTime(Duration.ofDays(2).toMillis());
    h.processElement(new StreamRecord<>(new CustomerEvent(TestEvents.productView("c1", T0.plusSeconds(1))), T0.toEpochMilli()));

    List<CustomerProfile> out = h.extractOutputValues();
    assertThat(out.get(1).getProductViews()).isEqualTo(1);
    assertThat(out.get(1).getFirstSeen()).isEqualTo(T0.plusSeconds(1).toEpochMilli());
  }
}
