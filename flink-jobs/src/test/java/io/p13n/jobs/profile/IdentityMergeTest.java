package io.p13n.jobs.profile;

import static io.p13n.model.testing.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.jobs.OutputTags;
import io.p13n.jobs.ingest.CustomerEvents;
import io.p13n.jobs.testing.TestProfiles;
import io.p13n.model.CartItem;
import io.p13n.model.CategoryScore;
import io.p13n.model.ClickEvent;
import io.p13n.model.ClickType;
import io.p13n.model.CustomerEvent;
import io.p13n.model.CustomerProfile;
import io.p13n.model.Erasure;
import io.p13n.model.IdentifyEvent;
import io.p13n.model.IdentityHandOff;
import io.p13n.model.OrderStatus;
import io.p13n.model.testing.TestEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The identity merge in the customer stage: an identification at the anonymous id, the hand-off at
 * the known id (fed back here as the workflow's Kafka loop would), later events of the anonymous
 * id, replays, the cap, erasure.
 */
class IdentityMergeTest {
    private static final String ANON = "anon-1";
    private static final String KNOWN = "cust-1";

    private KeyedOneInputStreamOperatorTestHarness<String, CustomerEvent, CustomerProfile> harness;
    private int handOffsLooped;

    private void start(ProfileSettings settings, int maxMergedIds) throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new CustomerProfileFunction(
                                Duration.ofDays(400),
                                32,
                                Duration.ofDays(1),
                                settings,
                                maxMergedIds),
                        CustomerEvents::customerId,
                        Types.STRING);
        harness.open();
    }

    private void start() throws Exception {
        start(ProfileSettings.defaults(), 20);
    }

    private void send(Object payload) throws Exception {
        CustomerEvent event = new CustomerEvent(payload);
        harness.processElement(new StreamRecord<>(event, CustomerEvents.eventTimeMillis(event)));
    }

    /** What the customer stage sent to the hand-off topic so far. */
    private List<CustomerEvent> handOffs() {
        var queue = harness.getSideOutput(OutputTags.IDENTITY_HAND_OFFS);
        return queue == null ? List.of() : queue.stream().map(StreamRecord::getValue).toList();
    }

    /** Feeds what was sent to the hand-off topic since the last call back in (the Kafka loop). */
    private void loop() throws Exception {
        while (handOffs().size() > handOffsLooped) {
            List<CustomerEvent> all = new ArrayList<>(handOffs());
            for (CustomerEvent event : all.subList(handOffsLooped, all.size())) {
                handOffsLooped++;
                send(event.getPayload());
            }
        }
    }

    private CustomerProfile latest(String customer) {
        List<CustomerProfile> out = harness.extractOutputValues();
        for (int i = out.size() - 1; i >= 0; i--) {
            if (out.get(i).getCustomerId().equals(customer)) {
                return out.get(i);
            }
        }
        throw new AssertionError("no profile emitted for " + customer);
    }

    private long profilesOf(String customer) {
        return harness.extractOutputValues().stream()
                .filter(p -> p.getCustomerId().equals(customer))
                .count();
    }

    private static IdentifyEvent identify(String id, String anonymous, String known, Instant at) {
        return IdentifyEvent.newBuilder()
                .setEventId(id)
                .setAnonymousId(anonymous)
                .setCustomerId(known)
                .setSource("login")
                .setEventTime(at)
                .build();
    }

    private static ClickEvent view(String customer, String product, String category, Instant at) {
        return TestEvents.click(customer, ClickType.PRODUCT_VIEW, at)
                .setProductId(product)
                .setCategoryId(category)
                .setSessionId("s-" + customer)
                .build();
    }

    private static ClickEvent cartAdd(String customer, String product, int quantity, Instant at) {
        return TestEvents.click(customer, ClickType.ADD_TO_CART, at)
                .setProductId(product)
                .setCategoryId("shoes")
                .setQuantity(quantity)
                .setPrice(10.0)
                .setSessionId("s-" + customer)
                .build();
    }

    private static int quantityOf(CustomerProfile p, String product) {
        return p.getCart().stream()
                .filter(i -> i.getProductId().equals(product))
                .mapToInt(CartItem::getQuantity)
                .sum();
    }

    /** The known customer's history, then a guest's browsing and cart, then the login. */
    private void browseThenLogIn() throws Exception {
        send(view(KNOWN, "p-old", "books", T0));
        send(cartAdd(KNOWN, "p-shared", 2, T0.plusSeconds(10)));
        send(TestEvents.order(KNOWN, OrderStatus.PLACED, T0.plusSeconds(20), 100).build());
        send(view(ANON, "p-guest-1", "shoes", T0.plusSeconds(100)));
        send(view(ANON, "p-guest-2", "shoes", T0.plusSeconds(300)));
        send(cartAdd(ANON, "p-shared", 1, T0.plusSeconds(310)));
        send(cartAdd(ANON, "p-guest-2", 1, T0.plusSeconds(320)));
        send(view(KNOWN, "p-app", "books", T0.plusSeconds(200))); // the app, meanwhile
        send(identify("login-1", ANON, KNOWN, T0.plusSeconds(400)));
    }

    @Test
    void shouldMergeCartCountsViewsAndInterestsIntoTheKnownCustomer() throws Exception {
        start();
        browseThenLogIn();
        CustomerProfile before = latest(KNOWN);
        assertThat(before.getProductViews()).isEqualTo(2);

        loop();

        CustomerProfile merged = latest(KNOWN);
        assertThat(merged.getProductViews()).as("views add up").isEqualTo(4);
        assertThat(merged.getCartAdds()).isEqualTo(3);
        assertThat(merged.getOrders()).isEqualTo(1);
        assertThat(quantityOf(merged, "p-shared")).as("a product in both carts").isEqualTo(3);
        assertThat(quantityOf(merged, "p-guest-2")).isEqualTo(1);
        assertThat(merged.getRecentlyViewed())
                .as("interleaved by view time")
                .containsExactly("p-guest-2", "p-app", "p-guest-1", "p-old");
        assertThat(merged.getCategories())
                .extracting(CategoryScore::getCategoryId)
                .contains("books", "shoes");
        assertThat(merged.getSessions()).as("each id's session counts").isEqualTo(2);
        assertThat(merged.getMergedIdentities())
                .singleElement()
                .satisfies(m -> assertThat(m.getAnonymousId()).isEqualTo(ANON));
    }

    @Test
    void shouldForgetTheAnonymousIdInRedisAndInTheLaterStages() throws Exception {
        start();
        browseThenLogIn();

        CustomerProfile gone = latest(ANON);
        assertThat(gone.getErased()).as("the profile hash is deleted").isTrue();
        assertThat(harness.getSideOutput(OutputTags.OFFER_PROFILES))
                .extracting(StreamRecord::getValue)
                .anyMatch(p -> p.getCustomerId().equals(ANON) && p.getErased());
        assertThat(harness.getSideOutput(OutputTags.UNIQUE_EVENTS))
                .extracting(StreamRecord::getValue)
                .anyMatch(
                        e ->
                                e.getPayload() instanceof Erasure erasure
                                        && erasure.getCustomerId().equals(ANON));
        assertThat(harness.numEventTimeTimers())
                .as("the anonymous id's timer is gone, the known one's stays")
                .isEqualTo(1);
        IdentityHandOff handOff = (IdentityHandOff) handOffs().get(0).getPayload();
        assertThat(handOff.getCustomerId()).isEqualTo(KNOWN);
        assertThat(handOff.getProfile().getCartAdds()).isEqualTo(2);
    }

    @Test
    void shouldCountLaterEventsOfTheAnonymousIdForTheKnownCustomer() throws Exception {
        start();
        browseThenLogIn();
        loop();
        long anonymousProfiles = profilesOf(ANON);

        send(view(ANON, "p-later", "shoes", T0.plusSeconds(500)));

        CustomerEvent rerouted = handOffs().get(handOffs().size() - 1);
        assertThat(CustomerEvents.customerId(rerouted)).isEqualTo(KNOWN);
        loop();
        CustomerProfile merged = latest(KNOWN);
        assertThat(merged.getProductViews()).isEqualTo(5);
        assertThat(merged.getRecentlyViewed()).first().isEqualTo("p-later");
        assertThat(profilesOf(ANON))
                .as("nothing published for the anonymous id again")
                .isEqualTo(anonymousProfiles);
    }

    @Test
    void shouldMergeOnceWhenTheSameHandOffArrivesTwice() throws Exception {
        start();
        browseThenLogIn();
        CustomerEvent handOff = handOffs().get(0);
        loop();
        CustomerProfile once = CustomerProfile.newBuilder(latest(KNOWN)).build();
        int emitted = harness.extractOutputValues().size();

        send(handOff.getPayload()); // a replay (after a failure, a re-produced batch)

        assertThat(harness.extractOutputValues()).as("nothing new published").hasSize(emitted);
        CustomerProfile after = latest(KNOWN);
        assertThat(after.getProductViews()).isEqualTo(once.getProductViews());
        assertThat(after.getPoints()).isEqualTo(once.getPoints());
        assertThat(quantityOf(after, "p-shared")).isEqualTo(3);
    }

    @Test
    void shouldIgnoreARepeatedIdentification() throws Exception {
        start();
        browseThenLogIn();
        loop();
        int handOffsBefore = handOffs().size();

        send(identify("login-1", ANON, KNOWN, T0.plusSeconds(400))); // re-sent
        send(identify("login-2", ANON, KNOWN, T0.plusSeconds(900))); // a second login

        assertThat(handOffs()).hasSize(handOffsBefore);
        assertThat(latest(KNOWN).getProductViews()).isEqualTo(4);
    }

    @Test
    void shouldCapRecentlyViewedWhenMerging() throws Exception {
        start(TestProfiles.settings(Map.of("profile.recently-viewed-max", "3")), 20);
        browseThenLogIn();

        loop();

        assertThat(latest(KNOWN).getRecentlyViewed())
                .containsExactly("p-guest-2", "p-app", "p-guest-1");
        assertThat(latest(KNOWN).getRecentlyViewedAt())
                .containsExactly(
                        T0.plusSeconds(300).toEpochMilli(),
                        T0.plusSeconds(200).toEpochMilli(),
                        T0.plusSeconds(100).toEpochMilli());
    }

    @Test
    void shouldCountASessionThatContinuedAcrossTheLoginOnce() throws Exception {
        start();
        send(withSession(view(KNOWN, "p0", "books", T0.minusSeconds(86_400)), "last-week"));
        send(withSession(view(ANON, "p1", "shoes", T0), "tab-1"));
        send(identify("login-1", ANON, KNOWN, T0.plusSeconds(10)));
        send(withSession(view(KNOWN, "p2", "shoes", T0.plusSeconds(20)), "tab-1")); // same tab

        loop();

        CustomerProfile merged = latest(KNOWN);
        assertThat(merged.getSessions()).as("last week's and this tab's").isEqualTo(2);
        assertThat(
                        ActivityWindows.count(
                                merged,
                                ActivityWindows.Metric.SESSIONS,
                                Math.floorDiv(T0.toEpochMilli(), 86_400_000L),
                                1))
                .isEqualTo(1);
    }

    private static ClickEvent withSession(ClickEvent click, String session) {
        return ClickEvent.newBuilder(click).setSessionId(session).build();
    }

    @Test
    void shouldRefuseAMergePastTheCapAndGiveTheProfileBack() throws Exception {
        start(ProfileSettings.defaults(), 1);
        send(view("anon-a", "p1", "shoes", T0));
        send(identify("login-a", "anon-a", KNOWN, T0.plusSeconds(10)));
        loop();
        send(view("anon-b", "p2", "shoes", T0.plusSeconds(20)));
        send(cartAdd("anon-b", "p2", 1, T0.plusSeconds(21)));

        send(identify("login-b", "anon-b", KNOWN, T0.plusSeconds(30)));
        loop();

        assertThat(latest(KNOWN).getProductViews()).as("only the first merge").isEqualTo(1);
        assertThat(latest(KNOWN).getMergedIdentities()).hasSize(1);
        CustomerProfile back = latest("anon-b");
        assertThat(back.getErased()).isFalse();
        assertThat(back.getProductViews()).as("the refused profile is its own again").isEqualTo(1);
        assertThat(quantityOf(back, "p2")).isEqualTo(1);
        send(view("anon-b", "p3", "shoes", T0.plusSeconds(40)));
        assertThat(latest("anon-b").getProductViews())
                .as("and its events count for it again")
                .isEqualTo(2);
    }

    @Test
    void shouldEraseTheIdsMergedIntoAnErasedCustomer() throws Exception {
        start();
        browseThenLogIn();
        loop();

        send(new Erasure(KNOWN, "req-1", T0.plusSeconds(600).toEpochMilli(), 1));

        assertThat(handOffs())
                .extracting(CustomerEvent::getPayload)
                .anyMatch(p -> p instanceof Erasure e && e.getCustomerId().equals(ANON));
        loop();
        send(view(ANON, "p-after", "shoes", T0.plusSeconds(700)));
        assertThat(handOffs().get(handOffs().size() - 1).getPayload())
                .as("no longer forwarded to the erased customer")
                .isNotInstanceOf(ClickEvent.class);
        assertThat(latest(ANON).getProductViews()).as("a new anonymous visitor").isEqualTo(1);
    }

    @Test
    void shouldCancelACycleOfIdentificationsWithoutLooping() throws Exception {
        start();
        send(view(ANON, "p1", "shoes", T0));
        send(view(KNOWN, "p2", "books", T0.plusSeconds(1)));
        send(identify("login-1", ANON, KNOWN, T0.plusSeconds(10)));
        send(identify("login-2", KNOWN, ANON, T0.plusSeconds(11))); // before the first hand-off

        loop(); // returns: the hand-offs stop

        assertThat(latest(ANON).getErased()).isFalse();
        assertThat(latest(ANON).getRecentlyViewed()).as("its own history").containsExactly("p1");
        assertThat(latest(KNOWN).getErased()).isFalse();
        assertThat(latest(KNOWN).getRecentlyViewed()).containsExactly("p2");
        send(view(ANON, "p3", "shoes", T0.plusSeconds(30)));
        assertThat(latest(ANON).getProductViews()).as("no longer forwarded").isEqualTo(2);
    }

    @Test
    void shouldLeaveOnlyAForwardingRecordAtTheAnonymousId() throws Exception {
        start();
        send(view(ANON, "p1", "shoes", T0));
        harness.processWatermark(new Watermark(T0.toEpochMilli()));

        send(identify("login-1", ANON, KNOWN, T0.plusSeconds(10)));

        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).as("the forwarding record").isEqualTo(1);
    }
}
