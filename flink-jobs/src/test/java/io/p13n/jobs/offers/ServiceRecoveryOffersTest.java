package io.p13n.jobs.offers;

import static io.p13n.jobs.testing.TestOffers.campaign;
import static io.p13n.jobs.testing.TestOffers.in;
import static io.p13n.jobs.testing.TestOffers.profile;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.jobs.testing.TestOffers;
import io.p13n.model.Campaign;
import io.p13n.model.CampaignStatsDelta;
import io.p13n.model.CustomerMoment;
import io.p13n.model.CustomerProfile;
import io.p13n.model.OfferDecision;
import io.p13n.model.OfferInput;
import io.p13n.model.OfferOutcome;
import io.p13n.model.ProductMoment;
import io.p13n.model.Segment;
import io.p13n.model.TriggerType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A low rating's SERVICE_RECOVERY moment is a campaign moment like the others, and keeps every
 * other campaign away for {@code reviews.promotion-pause} (README, Reviews and ratings).
 */
class ServiceRecoveryOffersTest {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private static final Duration PAUSE = Duration.ofDays(14);

    private KeyedBroadcastOperatorTestHarness<String, OfferInput, Campaign, OfferDecision> harness;

    @BeforeEach
    void open() throws Exception {
        harness =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(
                                new OfferTriggerFunction(TestOffers.settings(), PAUSE.toMillis()),
                                List.of(OfferStateDescriptors.CAMPAIGNS)),
                        OfferInputs::customerId,
                        Types.STRING,
                        1,
                        1,
                        0);
        harness.open();
        harness.processBroadcastElement(
                campaign("recover", TriggerType.SERVICE_RECOVERY).build(), 0L);
        harness.processBroadcastElement(campaign("drop", TriggerType.PRICE_DROP).build(), 0L);
        send(profile("alice", Segment.ACTIVE, T0)); // the baseline: the stage knows her
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void send(CustomerProfile.Builder p) throws Exception {
        CustomerProfile profile = p.build();
        harness.processElement(new StreamRecord<>(in(profile), profile.getLastEventTime()));
    }

    private void send(Object moment, long at) throws Exception {
        harness.processElement(new StreamRecord<>(in(moment), at));
    }

    private static CustomerMoment lowRating(long at) {
        return CustomerMoment.newBuilder()
                .setCustomerId("alice")
                .setTrigger(TriggerType.SERVICE_RECOVERY)
                .setEventTime(at)
                .setReason("rated P1 1/5")
                .setProductId("P1")
                .build();
    }

    private static ProductMoment drop(long at) {
        return new ProductMoment("alice", "P7", "shoes", TriggerType.PRICE_DROP, 80.0, 100.0, at);
    }

    private List<OfferDecision> suppressed() {
        var queue = harness.getSideOutput(OfferOutputTags.SUPPRESSED);
        return queue == null ? List.of() : queue.stream().map(StreamRecord::getValue).toList();
    }

    private static long day(int n) {
        return T0.plus(Duration.ofDays(n)).toEpochMilli();
    }

    @Test
    void shouldAnswerAComplaintThatArrivesBeforeTheCustomersFirstProfile() throws Exception {
        // bob's first event was the review: its moment and his first profile leave the customer
        // stage on different channels, and here the moment comes first
        CustomerMoment complaint =
                CustomerMoment.newBuilder(lowRating(day(0) + 60_000)).setCustomerId("bob").build();
        send(complaint, day(0) + 60_000);
        assertThat(harness.extractOutputValues()).as("no facts to decide on yet").isEmpty();

        send(profile("bob", Segment.PROSPECT, T0.plusSeconds(60)));
        List<OfferDecision> sent = harness.extractOutputValues();
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).getCustomerId()).isEqualTo("bob");
        assertThat(sent.get(0).getTrigger()).isEqualTo(TriggerType.SERVICE_RECOVERY);
        // and the pause started with it
        send(
                new ProductMoment(
                        "bob", "P7", "shoes", TriggerType.PRICE_DROP, 80.0, 100.0, day(10)),
                day(10));
        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(suppressed())
                .singleElement()
                .satisfies(d -> assertThat(d.getCustomerId()).isEqualTo("bob"));
        // a second profile replays nothing
        send(profile("bob", Segment.ACTIVE, T0.plusSeconds(120)));
        assertThat(harness.extractOutputValues()).hasSize(1);
    }

    @Test
    void shouldSendTheServiceRecoveryCampaignAndPausePromotions() throws Exception {
        send(lowRating(day(0) + 60_000), day(0) + 60_000);
        List<OfferDecision> sent = harness.extractOutputValues();
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).getCampaignId()).isEqualTo("recover");
        assertThat(sent.get(0).getOutcome()).isEqualTo(OfferOutcome.SENT);
        assertThat(sent.get(0).getTrigger()).isEqualTo(TriggerType.SERVICE_RECOVERY);
        assertThat(sent.get(0).getReason()).isEqualTo("rated P1 1/5");

        // day 10: past the 7-day frequency cap, inside the 14-day pause
        send(drop(day(10)), day(10));
        assertThat(harness.extractOutputValues()).hasSize(1); // nothing more sent
        assertThat(suppressed()).hasSize(1);
        OfferDecision stopped = suppressed().get(0);
        assertThat(stopped.getCampaignId()).isEqualTo("drop");
        assertThat(stopped.getOutcome()).isEqualTo(OfferOutcome.SUPPRESSED);
        assertThat(stopped.getReason())
                .startsWith(
                        "promotions paused after a service recovery, until "
                                + Instant.ofEpochMilli(day(0) + 60_000).plus(PAUSE))
                .endsWith("price of P7 dropped from 100.00 to 80.00");
        // SUPPRESSED as for a cap: in the recent-decisions list (the side output), in no stats
        List<CampaignStatsDelta> stats = new ArrayList<>();
        OfferInputs.consentSuppressed(stopped, collector(stats));
        assertThat(stats).isEmpty();

        // day 15: the pause is over, promotions again
        send(drop(day(15)), day(15));
        assertThat(harness.extractOutputValues())
                .extracting(OfferDecision::getCampaignId, OfferDecision::getOutcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("recover", OfferOutcome.SENT),
                        org.assertj.core.groups.Tuple.tuple("drop", OfferOutcome.SENT));
    }

    @Test
    void shouldLeaveASecondComplaintToTheCampaignsCooldownButExtendThePause() throws Exception {
        send(lowRating(day(0)), day(0));
        send(lowRating(day(8)), day(8)); // past the frequency cap, inside the first pause
        // the pause never stops a service recovery; the campaign's own cooldown still applies
        assertThat(harness.extractOutputValues())
                .extracting(OfferDecision::getCampaignId)
                .containsExactly("recover");
        assertThat(suppressed()).hasSize(1);
        assertThat(suppressed().get(0).getReason()).startsWith("cooldown");
        // the second complaint extends the pause: day 20 is inside it (the first ended on day 14)
        send(drop(day(20)), day(20));
        assertThat(suppressed()).hasSize(2);
        assertThat(suppressed().get(1).getCampaignId()).isEqualTo("drop");
        assertThat(suppressed().get(1).getReason()).startsWith("promotions paused");
    }

    @Test
    void shouldPauseEvenWhenNoCampaignAnswersTheComplaint() throws Exception {
        harness.processBroadcastElement(
                TestOffers.copy(campaign("recover", TriggerType.SERVICE_RECOVERY).build())
                        .setVersion(2)
                        .setStatus(io.p13n.model.CampaignStatus.ENDED)
                        .build(),
                0L);
        send(lowRating(day(0)), day(0));
        send(drop(day(1)), day(1));
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(suppressed())
                .extracting(OfferDecision::getReason)
                .allMatch(r -> r.startsWith("promotions paused"));
        assertThat(suppressed()).hasSize(1);
    }

    private static <T> Collector<T> collector(List<T> into) {
        return new Collector<>() {
            @Override
            public void collect(T record) {
                into.add(record);
            }

            @Override
            public void close() {}
        };
    }
}
