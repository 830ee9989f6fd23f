package io.p13n.cli.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.p13n.jobs.churn.BgNbdModel;
import io.p13n.jobs.churn.BgNbdParameters;
import io.p13n.model.OrderEvent;
import io.p13n.model.OrderStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pieces behind {@code churn fit}, on small hand-made histories whose answers are known. */
class ChurnAnalysisTest {
    private static final LocalDate JAN_1 = LocalDate.of(2024, 1, 1);
    private static final int DAY0 = (int) JAN_1.toEpochDay();

    private static OrderEvent order(String customer, int day, int hour, OrderStatus status) {
        return OrderEvent.newBuilder()
                .setOrderId(customer + "-" + day + "-" + hour + "-" + status)
                .setCustomerId(customer)
                .setStatus(status)
                .setTotal(10)
                .setEventTime(
                        JAN_1.plusDays(day)
                                .atStartOfDay(ZoneOffset.UTC)
                                .toInstant()
                                .plusSeconds(hour * 3600L))
                .build();
    }

    private static PurchaseHistories histories() {
        PurchaseHistories h = new PurchaseHistories();
        // alice: days 0, 10 (twice, one at 23h), 50 (after calibration end 30), a cancelled order
        // on day 20
        h.add(order("alice", 10, 23, OrderStatus.PLACED));
        h.add(order("alice", 0, 9, OrderStatus.PLACED));
        h.add(order("alice", 10, 1, OrderStatus.PLACED));
        h.add(order("alice", 20, 1, OrderStatus.CANCELLED));
        h.add(order("alice", 50, 1, OrderStatus.PLACED));
        h.add(order("alice", 0, 9, OrderStatus.REFUNDED));
        // bob: day 5 only, plus an unknown-status event on day 7
        h.add(order("bob", 5, 12, OrderStatus.PLACED));
        h.add(order("bob", 7, 12, OrderStatus.UNKNOWN));
        // carol: first buys after the calibration (day 40), again on day 45
        h.add(order("carol", 45, 0, OrderStatus.PLACED));
        h.add(order("carol", 40, 0, OrderStatus.PLACED));
        return h;
    }

    @Test
    void onlyPlacedOrdersMakePurchaseDaysAndSameDayOrdersAreOne() {
        PurchaseHistories h = histories();
        assertThat(h.orders()).isEqualTo(10);
        assertThat(h.placed()).isEqualTo(7);
        assertThat(h.ignoredByStatus())
                .containsEntry(OrderStatus.CANCELLED, 1L)
                .containsEntry(OrderStatus.REFUNDED, 1L)
                .containsEntry(OrderStatus.UNKNOWN, 1L);
        assertThat(h.customers()).isEqualTo(3);
        assertThat(h.looksLikeCdnow()).isFalse();
        assertThat(h.lastDay()).hasValue(DAY0 + 50);
        List<int[]> days = h.distinctDays();
        days.sort(Comparator.comparingInt(d -> d[0]));
        assertThat(days)
                .containsExactly(
                        new int[] {DAY0, DAY0 + 10, DAY0 + 50},
                        new int[] {DAY0 + 5},
                        new int[] {DAY0 + 40, DAY0 + 45});
    }

    @Test
    void calibrationKeepsWhoBoughtByItsEndWithTheirCalibrationRhythm() {
        CalibrationData data = CalibrationData.split(histories().distinctDays(), DAY0 + 30);
        assertThat(data.customers()).hasSize(2);
        assertThat(data.laterCustomers()).isEqualTo(1);
        assertThat(data.calibrationRepeatPurchases()).isEqualTo(1);
        assertThat(data.cohortStartDay()).isEqualTo(DAY0);
        CalibrationData.Customer alice =
                data.customers().stream()
                        .filter(c -> c.firstDay() == DAY0)
                        .findFirst()
                        .orElseThrow();
        assertThat(alice.rhythm().frequency()).isEqualTo(1);
        assertThat(alice.rhythm().recencyWeeks()).isCloseTo(10 / 7.0, within(1e-12));
        assertThat(data.observations())
                .extracting(o -> o.T())
                .containsExactlyInAnyOrder(30 / 7.0, 25 / 7.0);
    }

    @Test
    void holdoutCountsPurchaseDaysAfterTheCalibrationAgainstTheModel() {
        CalibrationData data = CalibrationData.split(histories().distinctDays(), DAY0 + 30);
        BgNbdModel model = new BgNbdModel(BgNbdParameters.PUBLISHED_CDNOW);

        HoldoutCheck check = HoldoutCheck.compute(model, data, DAY0 + 50);

        assertThat(check.weeks()).isEqualTo(20 / 7.0);
        assertThat(check.actualTotal())
                .as("alice on day 50; carol is not a calibration customer")
                .isEqualTo(1);
        assertThat(HoldoutCheck.compute(model, data, DAY0 + 49).actualTotal()).isZero();
        HoldoutCheck.Row zero = check.rows().get(0);
        HoldoutCheck.Row one = check.rows().get(1);
        assertThat(zero.customers()).isEqualTo(1);
        assertThat(one.customers()).isEqualTo(1);
        assertThat(check.rows()).hasSize(HoldoutCheck.MAX_GROUP + 1);
        assertThat(check.expectedTotal())
                .isCloseTo(
                        model.expectedPurchases(20 / 7.0, 0, 0, 25 / 7.0)
                                + model.expectedPurchases(20 / 7.0, 1, 10 / 7.0, 30 / 7.0),
                        within(1e-12));
        assertThat(one.actual()).isEqualTo(1);
    }

    @Test
    void trackingCurveCountsRepeatDaysAndSumsTheModelFromEachFirstPurchase() {
        CalibrationData data = CalibrationData.split(histories().distinctDays(), DAY0 + 30);
        BgNbdModel model = new BgNbdModel(BgNbdParameters.PUBLISHED_CDNOW);

        TrackingCurve curve = TrackingCurve.compute(model, data, DAY0 + 60);

        // points at days 0, 7, ..., 56, and 60
        assertThat(curve.weeks()).hasSize(10);
        assertThat(curve.weeks()[9]).isCloseTo(60 / 7.0, within(1e-12));
        assertThat(curve.calibrationEndWeek()).isCloseTo(30 / 7.0, within(1e-12));
        // alice's repeat days 10 and 50 (carol is not in the calibration cohort)
        assertThat(curve.actual()).containsExactly(0, 0, 1, 1, 1, 1, 1, 1, 2, 2);
        assertThat(curve.model()[0]).isZero();
        assertThat(curve.model()[1])
                .isCloseTo(
                        model.expectedPurchasesNewCustomer(1)
                                + model.expectedPurchasesNewCustomer(2 / 7.0),
                        within(1e-12));
        assertThat(curve.lastModel())
                .isCloseTo(
                        model.expectedPurchasesNewCustomer(60 / 7.0)
                                + model.expectedPurchasesNewCustomer(55 / 7.0),
                        within(1e-12));
    }

    @Test
    void undecodableValuesAreNotOrders() {
        assertThat(OrderTopicReader.decode(null)).isNull();
        assertThat(OrderTopicReader.decode(new byte[] {1, 2, 3})).isNull();
        assertThat(OrderTopicReader.decode(new byte[0])).isNull();
        OrderEvent order = order("dave", 1, 1, OrderStatus.PLACED);
        assertThat(OrderTopicReader.decode(io.p13n.serde.AvroEventSerializer.encode(order)))
                .isEqualTo(order);
        assertThat(order.getEventTime()).isEqualTo(Instant.parse("2024-01-02T01:00:00Z"));
    }
}
