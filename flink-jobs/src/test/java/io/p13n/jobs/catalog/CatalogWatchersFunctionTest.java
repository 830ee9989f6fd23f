package io.p13n.jobs.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.model.CatalogEvent;
import io.p13n.model.CatalogInput;
import io.p13n.model.Erasure;
import io.p13n.model.ProductAvailability;
import io.p13n.model.ProductInterest;
import io.p13n.model.ProductMoment;
import io.p13n.model.TriggerType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Price drops and restocks reach recent watchers once; availability flips reach the lists. */
class CatalogWatchersFunctionTest {
    private static final long T0 = Instant.parse("2026-11-01T10:00:00Z").toEpochMilli();
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final AtomicInteger IDS = new AtomicInteger();

    private final CatalogSettings settings = new CatalogSettings(Duration.ofDays(14), 3, 0.05, 10);
    private KeyedBroadcastOperatorTestHarness<String, CatalogInput, Erasure, ProductMoment> harness;

    @BeforeEach
    void open() throws Exception {
        harness =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(
                                new CatalogWatchersFunction(settings),
                                List.of(CatalogWatchersFunction.RECENTLY_ERASED)),
                        CatalogInputs::productId,
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

    private static CatalogInput interest(String customer, String product, int strength, long at) {
        return new CatalogInput(new ProductInterest(customer, product, strength, at));
    }

    private static CatalogEvent.Builder change(String product, long at) {
        return CatalogEvent.newBuilder()
                .setEventId("c" + IDS.incrementAndGet())
                .setProductId(product)
                .setCategoryId("shoes")
                .setEventTime(Instant.ofEpochMilli(at));
    }

    private void send(CatalogInput input) throws Exception {
        harness.processElement(new StreamRecord<>(input, 0L));
    }

    private void send(CatalogEvent.Builder event) throws Exception {
        send(new CatalogInput(event.build()));
    }

    private List<ProductMoment> moments() {
        List<ProductMoment> out =
                harness.extractOutputValues().stream().map(ProductMoment.class::cast).toList();
        harness.getOutput().clear();
        return out;
    }

    private List<ProductAvailability> availability() {
        var queue = harness.getSideOutput(CatalogWatchersFunction.AVAILABILITY);
        if (queue == null) {
            return List.of();
        }
        List<ProductAvailability> out = queue.stream().map(StreamRecord::getValue).toList();
        queue.clear();
        return out;
    }

    @Test
    void shouldTellRecentWatchersOfAPriceDropOnceAndNotForNoise() throws Exception {
        send(change("P1", T0).setPrice(100.0).setStock(5)); // baseline: nothing fires
        send(interest("alice", "P1", 1, T0 + DAY));
        send(interest("bob", "P1", 3, T0 + DAY));
        assertThat(moments()).isEmpty();

        send(change("P1", T0 + 2 * DAY).setPrice(97.0)); // 3 %: repricing noise
        assertThat(moments()).isEmpty();

        send(change("P1", T0 + 3 * DAY).setPrice(80.0));
        List<ProductMoment> drop = moments();
        assertThat(drop)
                .extracting(ProductMoment::getCustomerId)
                .containsExactlyInAnyOrder("alice", "bob");
        assertThat(drop)
                .allSatisfy(
                        m -> {
                            assertThat(m.getTrigger()).isEqualTo(TriggerType.PRICE_DROP);
                            assertThat(m.getPrice()).isEqualTo(80.0);
                            assertThat(m.getPreviousPrice()).isEqualTo(97.0);
                            assertThat(m.getCategoryId()).isEqualTo("shoes");
                        });

        // the same event again (a producer's retry, a replay): the price is already 80
        send(change("P1", T0 + 3 * DAY).setPrice(80.0));
        assertThat(moments()).isEmpty();
        // an older state of the product arriving late is not news
        send(change("P1", T0 + DAY).setPrice(60.0));
        assertThat(moments()).isEmpty();
    }

    @Test
    void shouldForgetWatchersAfterTheWatchPeriodAndKeepTheMostRecentWithinTheCap()
            throws Exception {
        send(change("P1", T0).setPrice(100.0));
        send(interest("old", "P1", 3, T0));
        send(interest("a", "P1", 1, T0 + 10 * DAY));
        send(interest("b", "P1", 1, T0 + 11 * DAY));
        // fourth: over the cap of 3, pruned to three quarters of it (2): "old" and "a" go
        send(interest("c", "P1", 1, T0 + 12 * DAY));
        send(interest("a", "P1", 2, T0 + 13 * DAY)); // back, as a new watcher: 3, within the cap
        send(interest("d", "P1", 1, T0 + 14 * DAY)); // 4 again: pruned to "a" and "d"

        send(change("P1", T0 + 25 * DAY + 1).setPrice(50.0)); // "b": over 14 days ago
        assertThat(moments())
                .extracting(ProductMoment::getCustomerId)
                .containsExactlyInAnyOrder("a", "d");
    }

    @Test
    void shouldAnnounceOutOfStockAndTellWatchersWhenItIsBackInStock() throws Exception {
        send(change("P1", T0).setPrice(100.0).setStock(3));
        assertThat(availability()).isEmpty(); // available from the start: nothing to announce
        send(interest("alice", "P1", 3, T0 + 1000));

        send(change("P1", T0 + DAY).setStock(0).setPrice(70.0));
        assertThat(availability())
                .singleElement()
                .satisfies(a -> assertThat(a.getAvailable()).isFalse());
        assertThat(moments()).as("a cheaper product nobody can buy is no moment").isEmpty();

        send(change("P1", T0 + 2 * DAY).setStock(10));
        assertThat(availability())
                .singleElement()
                .satisfies(a -> assertThat(a.getAvailable()).isTrue());
        assertThat(moments())
                .singleElement()
                .satisfies(
                        m -> {
                            assertThat(m.getCustomerId()).isEqualTo("alice");
                            assertThat(m.getTrigger()).isEqualTo(TriggerType.BACK_IN_STOCK);
                            assertThat(m.getPrice()).isEqualTo(70.0);
                        });

        // a stock level that stays positive is no news; nor is a price update leaving stock null
        send(change("P1", T0 + 3 * DAY).setStock(4));
        send(change("P1", T0 + 4 * DAY).setPrice(70.0));
        assertThat(moments()).isEmpty();
        assertThat(availability()).isEmpty();
    }

    @Test
    void shouldTreatAnInactiveProductAsUnavailableAndItsReactivationAsNoRestock() throws Exception {
        send(change("P2", T0).setPrice(10.0).setActive(false)); // first event: announced
        assertThat(availability())
                .singleElement()
                .satisfies(a -> assertThat(a.getAvailable()).isFalse());
        send(interest("alice", "P2", 1, T0 + 1000));
        send(change("P2", T0 + DAY).setActive(true));
        assertThat(availability())
                .singleElement()
                .satisfies(a -> assertThat(a.getAvailable()).isTrue());
        assertThat(moments()).as("it was never out of stock").isEmpty();
    }

    @Test
    void shouldFireNothingBeforeTheFirstCatalogEventSetsTheBaseline() throws Exception {
        send(interest("alice", "P3", 3, T0));
        send(change("P3", T0 + 1000).setPrice(5.0).setStock(1));
        assertThat(moments()).isEmpty();
        send(change("P3", T0 + 2000).setPrice(4.0));
        assertThat(moments()).extracting(ProductMoment::getCustomerId).containsExactly("alice");
    }

    @Test
    void shouldForgetAnErasedCustomerEverywhereAndRefuseTheirLateInterest() throws Exception {
        send(change("P1", T0).setPrice(100.0));
        send(change("P2", T0).setPrice(50.0));
        send(interest("alice", "P1", 1, T0 + 1000));
        send(interest("alice", "P2", 3, T0 + 1000));
        send(interest("bob", "P1", 1, T0 + 1000));

        harness.processBroadcastElement(new Erasure("alice", "req-1", T0 + 2000, 1), 0L);
        // an interest of hers that was already on its way
        send(interest("alice", "P2", 1, T0 + 1500));
        send(change("P1", T0 + DAY).setPrice(80.0));
        send(change("P2", T0 + DAY).setPrice(40.0));
        assertThat(moments()).extracting(ProductMoment::getCustomerId).containsExactly("bob");

        // a merge's erasure of a guest id is no data subject's request: not worth a pass
        harness.processBroadcastElement(new Erasure("bob", "merge:login", T0 + 3000, 1), 0L);
        send(change("P1", T0 + 2 * DAY).setPrice(60.0));
        assertThat(moments()).extracting(ProductMoment::getCustomerId).containsExactly("bob");
    }
}
