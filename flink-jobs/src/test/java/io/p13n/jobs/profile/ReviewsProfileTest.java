package io.p13n.jobs.profile;

import static io.p13n.model.testing.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.jobs.OutputTags;
import io.p13n.jobs.ingest.CustomerEvents;
import io.p13n.jobs.reviews.ReviewSettings;
import io.p13n.model.ConsentPurpose;
import io.p13n.model.CustomerEvent;
import io.p13n.model.CustomerMoment;
import io.p13n.model.CustomerProfile;
import io.p13n.model.OrderLine;
import io.p13n.model.OrderStatus;
import io.p13n.model.ReviewEvent;
import io.p13n.model.TriggerType;
import io.p13n.model.testing.TestEvents;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The customer stage on reviews (README, Reviews and ratings). */
class ReviewsProfileTest {
    private KeyedOneInputStreamOperatorTestHarness<String, CustomerEvent, CustomerProfile> harness;

    @BeforeEach
    void start() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new CustomerProfileFunction(
                                Duration.ofDays(400),
                                32,
                                Duration.ofDays(1),
                                ProfileSettings.defaults(),
                                CustomerProfileFunction.DEFAULT_MAX_MERGED_IDS,
                                new ReviewSettings(
                                        2, 75, Duration.ofDays(14).toMillis(), 4, 10, 3)),
                        CustomerEvents::customerId,
                        Types.STRING);
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

    private CustomerProfile latest() {
        List<CustomerProfile> out = harness.extractOutputValues();
        return out.get(out.size() - 1);
    }

    private List<CustomerMoment> moments() {
        var queue = harness.getSideOutput(OutputTags.CUSTOMER_MOMENTS);
        return queue == null ? List.of() : queue.stream().map(StreamRecord::getValue).toList();
    }

    private List<Object> uniquePayloads() {
        var queue = harness.getSideOutput(OutputTags.UNIQUE_EVENTS);
        return queue == null
                ? List.of()
                : queue.stream().map(r -> r.getValue().getPayload()).toList();
    }

    private void buy(String customer, String product, int secondsAfterT0) throws Exception {
        send(
                TestEvents.order(customer, OrderStatus.PLACED, T0.plusSeconds(secondsAfterT0), 40.0)
                        .setLines(List.of(new OrderLine(product, "shoes", 1, 40.0)))
                        .build());
    }

    @Test
    void shouldRaiseServiceRecoveryOnTheLowRatingItself() throws Exception {
        ReviewEvent low = TestEvents.review("c1", "P1", 1, T0);
        send(low);

        // emitted on the event, no timer or watermark needed: within seconds
        assertThat(moments()).hasSize(1);
        CustomerMoment m = moments().get(0);
        assertThat(m.getTrigger()).isEqualTo(TriggerType.SERVICE_RECOVERY);
        assertThat(m.getCustomerId()).isEqualTo("c1");
        assertThat(m.getEventTime()).isEqualTo(T0.toEpochMilli());
        assertThat(m.getReason()).isEqualTo("rated P1 1/5");
        assertThat(m.getProductId()).isEqualTo("P1");
        assertThat(latest().getReviews()).isEqualTo(1);
        // and the review goes on to the later stages (the catalog stage's product rating)
        assertThat(uniquePayloads()).containsExactly(low);
    }

    @Test
    void shouldRaiseNothingForAGoodRatingNorForARepeatedReview() throws Exception {
        ReviewEvent fine = TestEvents.review("c1", "P1", 4, T0);
        send(fine);
        ReviewEvent low = TestEvents.review("c1", "P2", 2, T0.plusSeconds(5));
        send(low);
        send(low); // a producer's retry: a duplicate
        assertThat(moments()).extracting(CustomerMoment::getProductId).containsExactly("P2");
        assertThat(latest().getReviews()).isEqualTo(2);
    }

    @Test
    void shouldAwardPointsOncePerBoughtProductAndNoneForOthers() throws Exception {
        buy("c1", "P1", 0);
        long afterOrder = latest().getPoints();

        send(TestEvents.review("c1", "P1", 5, T0.plusSeconds(60)));
        assertThat(latest().getPoints()).isEqualTo(afterOrder + 75);
        send(TestEvents.review("c1", "P1", 3, T0.plusSeconds(120))); // the same product again
        assertThat(latest().getPoints()).isEqualTo(afterOrder + 75);
        send(TestEvents.review("c1", "P9", 5, T0.plusSeconds(180))); // never bought
        assertThat(latest().getPoints()).isEqualTo(afterOrder + 75);
        assertThat(latest().getRewardedReviews()).containsExactly("P1");
        assertThat(latest().getReviews()).isEqualTo(3);
    }

    @Test
    void shouldForwardAReviewOfAnIdMergedAwayToTheCustomerItBelongsTo() throws Exception {
        send(TestEvents.productView("guest-1", T0));
        send(
                io.p13n.model.IdentifyEvent.newBuilder()
                        .setEventId("login-1")
                        .setAnonymousId("guest-1")
                        .setCustomerId("c1")
                        .setSource("login")
                        .setEventTime(T0.plusSeconds(10))
                        .build());
        send(TestEvents.review("guest-1", "P1", 1, T0.plusSeconds(20)));

        // not answered under the guest id: on to c1, through the hand-off loop
        assertThat(moments()).isEmpty();
        var handOffs = harness.getSideOutput(OutputTags.IDENTITY_HAND_OFFS);
        assertThat(handOffs.stream().map(r -> r.getValue().getPayload()))
                .filteredOn(p -> p instanceof ReviewEvent)
                .singleElement()
                .satisfies(
                        p -> {
                            assertThat(((ReviewEvent) p).getCustomerId()).isEqualTo("c1");
                            assertThat(((ReviewEvent) p).getRating()).isEqualTo(1);
                        });
    }

    @Test
    void shouldAnswerAComplaintOfACustomerWhoRefusedProfiling() throws Exception {
        send(
                TestEvents.consent(
                        "c2", ConsentPurpose.PERSONALIZATION, null, false, T0.minusSeconds(60)));
        send(TestEvents.review("c2", "P1", 1, T0));
        assertThat(moments()).extracting(CustomerMoment::getCustomerId).containsExactly("c2");
        assertThat(latest().getReviews()).isZero(); // nothing kept about them
    }
}
