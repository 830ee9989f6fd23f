package io.p13n.jobs.functions;

import io.p13n.model.ClickEvent;
import io.p13n.model.CustomerEvent;
import io.p13n.model.CustomerProfile;
import io.p13n.model.OrderEvent;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps each customer's activity profile and emits it, updated, for every event; keyed by customer
 * id.
 *
 * <p>Every field is a count, a sum, or a min/max of event time, so the profile is the same whatever
 * order events arrive in; late events (behind the watermark) are still applied, and counted so
 * operators can see clock trouble upstream. The state is one Avro record of fixed size per customer
 * (about 200 bytes), expired after {@code customerTtl} without an event, so a customer who never
 * returns does not hold state forever.
 */
public class CustomerProfileFunction extends KeyedProcessFunction<String, CustomerEvent, CustomerProfile> {
  private static final long serialVersionUID = 1L;

  /** State name: stable, renaming it drops every profile on restore from a savepoint. */
  public static final String PROFILE = "customer-profile";

  private final Duration customerTtl;

  private transient ValueState<CustomerProfile> profileState;
  private transient Counter lateEvents;

  public CustomerProfileFunction(Duration customerTtl) {
    if (customerTtl == null || customerTtl.isNegative() || customerTtl.isZero()) {
      throw new IllegalArgumentException("customerTtl must be positive, was " + customerTtl);
    }
    this.customerTtl = customerTtl;
  }

  @Override
  public void open(OpenContext openContext) {
    ValueStateDescriptor<CustomerProfile> descriptor =
        new ValueStateDescriptor<>(PROFILE, new AvroTypeInfo<>(CustomerProfile.class));
    descriptor.enableTimeToLive(
        StateTtlConfig.newBuilder(customerTtl).updateTtlOnCreateAndWrite().neverReturnExpired().build());
    profileState = getRuntimeContext().getState(descriptor);
    lateEvents = getRuntimeContext().getMetricGroup().addGroup("p13n").counter("lateEvents");
  }

  @Override
  public void processElement(CustomerEvent event, Context ctx, Collector<CustomerProfile> out) throws Exception {
    long eventTime = CustomerEvents.eventTimeMillis(event);
    if (eventTime < ctx.timerService().currentWatermark()) {
      lateEvents.inc();
    }
    CustomerProfile profile = profileState.value();
    if (profile == null) {
      profile = CustomerProfile.newBuilder().setCustomerId(ctx.getCurrentKey()).build();
    }
    apply(profile, event.getPayload(), eventTime);
    profileState.update(profile);
    out.collect(profile);
  }

  /** Folds one event into the profile (visible for tests). */
  static void apply(CustomerProfile profile, Object payload, long eventTime) {
    profile.setFirstSeen(profile.getFirstSeen() == 0 ? eventTime : Math.min(profile.getFirstSeen(), eventTime));
    profile.setLastSeen(Math.max(profile.getLastSeen(), eventTime));
    profile.setLastEventTime(Math.max(profile.getLastEventTime(), eventTime));
    if (payload instanceof ClickEvent) {
      applyClick(profile, (ClickEvent) payload);
    } else {
      applyOrder(profile, (OrderEvent) payload, eventTime);
    }
  }

  private static void applyClick(CustomerProfile profile, ClickEvent click) {
    String session = click.getSessionId();
    if (!session.isEmpty() && !session.equals(profile.getLastSessionId())) {
      // Sessions interleave rarely (two tabs share one id), so a change of id is a new session.
      profile.setSessions(profile.getSessions() + 1);
      profile.setLastSessionId(session);
    }
    switch (click.getType()) {
      case PAGE_VIEW -> profile.setPageViews(profile.getPageViews() + 1);
      case PRODUCT_VIEW -> profile.setProductViews(profile.getProductViews() + 1);
      case SEARCH -> profile.setSearches(profile.getSearches() + 1);
      case ADD_TO_CART -> profile.setCartAdds(profile.getCartAdds() + 1);
      case REMOVE_FROM_CART -> profile.setCartRemoves(profile.getCartRemoves() + 1);
      case WISHLIST -> profile.setWishlistAdds(profile.getWishlistAdds() + 1);
      default -> {
        // UNKNOWN: a type added by a newer producer; it still counts as activity (seen times above).
      }
    }
  }

  // Spend is a plain sum, not clamped at zero, so it is the same in any arrival order; a refund of an
  // order placed before the engine's history began can make it negative, which is the truth.
  private static void applyOrder(CustomerProfile profile, OrderEvent order, long eventTime) {
    switch (order.getStatus()) {
      case PLACED -> {
        profile.setOrders(profile.getOrders() + 1);
        profile.setTotalSpend(profile.getTotalSpend() + order.getTotal());
        profile.setFirstOrderTime(
            profile.getFirstOrderTime() == 0 ? eventTime : Math.min(profile.getFirstOrderTime(), eventTime));
        profile.setLastOrderTime(Math.max(profile.getLastOrderTime(), eventTime));
      }
      case CANCELLED -> {
        profile.setCancellations(profile.getCancellations() + 1);
        profile.setTotalSpend(profile.getTotalSpend() - order.getTotal());
      }
      case REFUNDED -> {
        profile.setRefunds(profile.getRefunds() + 1);
        profile.setTotalSpend(profile.getTotalSpend() - order.getTotal());
      }
      default -> {
        // UNKNOWN status from a newer producer: activity only.
      }
    }
  }
}
