package io.p13n.jobs.offers;

import static io.p13n.jobs.testing.TestOffers.campaign;
import static io.p13n.jobs.testing.TestOffers.in;
import static io.p13n.jobs.testing.TestOffers.profile;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.jobs.testing.TestOffers;
import io.p13n.model.Campaign;
import io.p13n.model.CustomerProfile;
import io.p13n.model.OfferDecision;
import io.p13n.model.OfferInput;
import io.p13n.model.OfferOutcome;
import io.p13n.model.ProductMoment;
import io.p13n.model.Segment;
import io.p13n.model.TriggerType;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Price drops and restocks of watched products are campaign moments like the others. */
class ProductMomentOffersTest {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private KeyedBroadcastOperatorTestHarness<String, OfferInput, Campaign, OfferDecision> harness;

    @BeforeEach
    void open() throws Exception {
        harness =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(
                                new OfferTriggerFunction(TestOffers.settings()),
                                List.of(OfferStateDescriptors.CAMPAIGNS)),
                        OfferInputs::customerId,
                        Types.STRING,
                        1,
                        1,
                        0);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void send(CustomerProfile.Builder p) throws Exception {
        CustomerProfile profile = p.build();
        harness.processElement(new StreamRecord<>(in(profile), profile.getLastEventTime()));
    }

    private void send(ProductMoment moment) throws Exception {
        harness.processElement(new StreamRecord<>(in(moment), moment.getEventTime()));
    }

    private static ProductMoment drop(String customer, long at) {
        return new ProductMoment(customer, "P7", "shoes", TriggerType.PRICE_DROP, 80.0, 100.0, at);
    }

    @Test
    void shouldSendThePriceDropCampaignToAKnownCustomerWithTheProductInTheReason()
            throws Exception {
        harness.processBroadcastElement(campaign("drop", TriggerType.PRICE_DROP).build(), 0L);
        harness.processBroadcastElement(campaign("restock", TriggerType.BACK_IN_STOCK).build(), 0L);
        send(profile("alice", Segment.ACTIVE, T0));
        send(profile("bob", Segment.ACTIVE, T0));

        send(drop("alice", T0.plusSeconds(60).toEpochMilli()));
        // bob: alice's frequency cap would stop a second offer to her
        send(
                new ProductMoment(
                        "bob",
                        "P8",
                        "shoes",
                        TriggerType.BACK_IN_STOCK,
                        30.0,
                        null,
                        T0.plusSeconds(120).toEpochMilli()));

        List<OfferDecision> sent = harness.extractOutputValues();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).getCampaignId()).isEqualTo("drop");
        assertThat(sent.get(0).getOutcome()).isEqualTo(OfferOutcome.SENT);
        assertThat(sent.get(0).getTrigger()).isEqualTo(TriggerType.PRICE_DROP);
        assertThat(sent.get(0).getReason()).isEqualTo("price of P7 dropped from 100.00 to 80.00");
        assertThat(sent.get(1).getCampaignId()).isEqualTo("restock");
        assertThat(sent.get(1).getReason()).isEqualTo("P8 is back in stock");
    }

    @Test
    void shouldIgnoreAMomentOfACustomerThisStageHasNoFactsAbout() throws Exception {
        harness.processBroadcastElement(campaign("drop", TriggerType.PRICE_DROP).build(), 0L);
        send(drop("stranger", T0.toEpochMilli()));
        assertThat(harness.extractOutputValues()).isEmpty();
        // once the customer's profile is known, their next moment is decided as usual
        send(profile("stranger", Segment.ACTIVE, T0.plusSeconds(10)));
        send(drop("stranger", T0.plusSeconds(20).toEpochMilli()));
        assertThat(harness.extractOutputValues())
                .extracting(OfferDecision::getOutcome)
                .containsExactly(OfferOutcome.SENT);
    }
}
