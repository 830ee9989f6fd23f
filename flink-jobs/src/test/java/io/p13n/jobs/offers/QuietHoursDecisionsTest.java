package io.p13n.jobs.offers;

import static io.p13n.jobs.testing.TestOffers.campaign;
import static io.p13n.jobs.testing.TestOffers.in;
import static io.p13n.jobs.testing.TestOffers.profile;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.jobs.testing.TestOffers;
import io.p13n.model.Campaign;
import io.p13n.model.CustomerProfile;
import io.p13n.model.MessageChannel;
import io.p13n.model.OfferDecision;
import io.p13n.model.OfferInput;
import io.p13n.model.OfferOutcome;
import io.p13n.model.Segment;
import io.p13n.model.TriggerType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The trigger stage schedules its decisions: in the campaign channel's quiet hours, read in the
 * customer's own zone (from their profile) or the default one, {@code deliverAt} is the end of the
 * window and the validity counts from it, for held-out decisions as for sent ones.
 */
class QuietHoursDecisionsTest {
    /** 22:00 in Tokyo, 13:00 in UTC. */
    private static final Instant TOKYO_NIGHT = Instant.parse("2026-11-02T13:00:00Z");

    /** 08:00 the next morning in Tokyo. */
    private static final Instant TOKYO_MORNING = Instant.parse("2026-11-02T23:00:00Z");

    private static final long VALIDITY = Duration.ofDays(14).toMillis();

    private KeyedBroadcastOperatorTestHarness<String, OfferInput, Campaign, OfferDecision> harness;

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private void start(Map<String, String> settings, Campaign... campaigns) throws Exception {
        harness =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(
                                new OfferTriggerFunction(TestOffers.settings(settings)),
                                List.of(OfferStateDescriptors.CAMPAIGNS)),
                        OfferInputs::customerId,
                        Types.STRING,
                        1,
                        1,
                        0);
        harness.open();
        for (Campaign c : campaigns) {
            harness.processBroadcastElement(c, 0L);
        }
    }

    /** A customer (in {@code zone}, null: none stated) who becomes AT_RISK at {@code at}. */
    private void atRisk(String customer, String zone, Instant at) throws Exception {
        send(profile(customer, Segment.LOYAL, at.minus(Duration.ofDays(1))).setTimeZone(zone));
        send(profile(customer, Segment.AT_RISK, at).setTimeZone(zone));
    }

    private void send(CustomerProfile.Builder profile) throws Exception {
        CustomerProfile p = profile.build();
        harness.processElement(
                new StreamRecord<>(in(p), Math.max(p.getLastEventTime(), p.getScoredAt())));
    }

    private OfferDecision decisionOf(String customer) {
        return harness.extractOutputValues().stream()
                .filter(d -> d.getCustomerId().equals(customer))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void shouldScheduleAPushOfferForTheMorningInTheCustomersOwnZone() throws Exception {
        start(
                Map.of("offers.quiet-hours.push", "21:00-08:00"),
                campaign("risk", TriggerType.AT_RISK).setChannel(MessageChannel.PUSH).build());

        atRisk("tokyo", "Asia/Tokyo", TOKYO_NIGHT);
        atRisk("utc", null, TOKYO_NIGHT);

        OfferDecision tokyo = decisionOf("tokyo");
        assertThat(tokyo.getOutcome()).isEqualTo(OfferOutcome.SENT);
        assertThat(tokyo.getIssuedAt())
                .as("still decided then")
                .isEqualTo(TOKYO_NIGHT.toEpochMilli());
        assertThat(tokyo.getDeliverAt()).isEqualTo(TOKYO_MORNING.toEpochMilli());
        assertThat(tokyo.getExpiresAt()).isEqualTo(TOKYO_MORNING.toEpochMilli() + VALIDITY);
        OfferDecision utc = decisionOf("utc");
        assertThat(utc.getDeliverAt()).as("13:00 in the default zone: at once").isZero();
        assertThat(utc.getExpiresAt()).isEqualTo(TOKYO_NIGHT.toEpochMilli() + VALIDITY);
    }

    @Test
    void shouldReadTheDefaultZoneForACustomerWhoStatedNone() throws Exception {
        start(
                Map.of(
                        "offers.quiet-hours.push", "21:00-08:00",
                        "customers.default-time-zone", "Asia/Tokyo"),
                campaign("risk", TriggerType.AT_RISK).setChannel(MessageChannel.PUSH).build());

        atRisk("c1", null, TOKYO_NIGHT);

        assertThat(decisionOf("c1").getDeliverAt()).isEqualTo(TOKYO_MORNING.toEpochMilli());
    }

    @Test
    void shouldScheduleHeldOutDecisionsLikeSentOnes() throws Exception {
        start(
                Map.of("offers.control-group.share", "1", "offers.quiet-hours.sms", "21:00-08:00"),
                campaign("risk", TriggerType.AT_RISK).setChannel(MessageChannel.SMS).build());

        atRisk("tokyo", "Asia/Tokyo", TOKYO_NIGHT);

        OfferDecision d = decisionOf("tokyo");
        assertThat(d.getOutcome()).isEqualTo(OfferOutcome.HELD_OUT);
        assertThat(d.getDeliverAt()).isEqualTo(TOKYO_MORNING.toEpochMilli());
        assertThat(d.getExpiresAt()).isEqualTo(TOKYO_MORNING.toEpochMilli() + VALIDITY);
    }

    @Test
    void shouldNeverHoldOnsiteOffersNorChannelsWithoutQuietHours() throws Exception {
        start(
                Map.of("offers.quiet-hours.email", ""),
                campaign("site", TriggerType.AT_RISK).build(), // ONSITE by default
                campaign("mail", TriggerType.CART_ABANDONED)
                        .setChannel(MessageChannel.EMAIL)
                        .build());

        atRisk("tokyo", "Asia/Tokyo", TOKYO_NIGHT);
        send(
                profile("cart", Segment.LOYAL, TOKYO_NIGHT.minus(Duration.ofDays(1)))
                        .setTimeZone("Asia/Tokyo"));
        send(
                profile("cart", Segment.LOYAL, TOKYO_NIGHT)
                        .setTimeZone("Asia/Tokyo")
                        .setCartAbandonedSignalled(true));

        assertThat(harness.extractOutputValues())
                .extracting(OfferDecision::getCampaignId, OfferDecision::getDeliverAt)
                .containsExactlyInAnyOrder(
                        org.assertj.core.api.Assertions.tuple("site", 0L),
                        org.assertj.core.api.Assertions.tuple("mail", 0L));
    }
}
