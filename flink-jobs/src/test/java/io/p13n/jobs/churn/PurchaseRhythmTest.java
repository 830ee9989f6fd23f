package io.p13n.jobs.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class PurchaseRhythmTest {
    private static final LocalDate JAN_1 = LocalDate.of(1997, 1, 1);

    private static long at(LocalDate day, int hour) {
        return CdnowData.millis(day) + hour * 3_600_000L;
    }

    @Test
    void sameUtcDayIsOnePurchaseAndTheSummaryFollowsTheDefinitions() {
        PurchaseRhythm rhythm = new PurchaseRhythm();
        assertThat(rhythm.isEmpty()).isTrue();
        assertThat(rhythm.frequency()).isZero();

        assertThat(rhythm.onPurchase(at(JAN_1, 9))).isTrue();
        assertThat(rhythm.onPurchase(at(JAN_1, 23))).as("same UTC day").isFalse();
        assertThat(rhythm.onPurchase(at(JAN_1.plusDays(17), 0))).isTrue();
        assertThat(rhythm.onPurchase(at(LocalDate.of(1997, 8, 2), 12))).isTrue();

        // customer 1 of the CDNOW sample: frequency 2, recency 30.43, T 38.86
        assertThat(rhythm.frequency()).isEqualTo(2);
        assertThat(rhythm.recencyWeeks()).isCloseTo(213 / 7.0, within(1e-12));
        assertThat(rhythm.ageWeeks(CdnowData.millis(CdnowData.CALIBRATION_END)))
                .isCloseTo(272 / 7.0, within(1e-12));
        assertThat(rhythm.ageWeeks(at(CdnowData.CALIBRATION_END, 23)))
                .as("whole days")
                .isCloseTo(272 / 7.0, within(1e-12));
        assertThat(rhythm.typicalIntervalDays()).hasValue(213 / 2.0);
    }

    @Test
    void oneDayHasNoIntervalAndAgeNeedsAPurchase() {
        PurchaseRhythm rhythm = new PurchaseRhythm();
        assertThat(rhythm.typicalIntervalDays()).isEmpty();
        assertThatThrownBy(() -> rhythm.ageWeeks(0)).isInstanceOf(IllegalStateException.class);
        rhythm.onPurchase(at(JAN_1, 0));
        assertThat(rhythm.typicalIntervalDays()).isEmpty();
        assertThat(rhythm.recencyWeeks()).isZero();
    }

    @Test
    void ageIsNeverBelowRecencyWhenTheClockLagsThePurchases() {
        PurchaseRhythm rhythm = new PurchaseRhythm();
        rhythm.onPurchase(at(JAN_1, 0));
        rhythm.onPurchase(at(JAN_1.plusDays(14), 0));
        assertThat(rhythm.ageWeeks(at(JAN_1.plusDays(3), 0))).isEqualTo(2.0);
    }

    @Test
    void daysBeforeTheEpochWork() {
        PurchaseRhythm rhythm = new PurchaseRhythm();
        rhythm.onPurchase(-1); // 1969-12-31T23:59:59.999Z
        rhythm.onPurchase(0);
        assertThat(rhythm.getFirstDay()).isEqualTo(-1);
        assertThat(rhythm.frequency()).isEqualTo(1);
    }

    @Test
    void outOfOrderPurchasesInsideTheWindowAreCountedExactly() {
        PurchaseRhythm rhythm = new PurchaseRhythm();
        rhythm.onPurchaseDay(100);
        rhythm.onPurchaseDay(150);
        assertThat(rhythm.onPurchaseDay(120)).as("a new day between first and last").isTrue();
        assertThat(rhythm.onPurchaseDay(120)).as("the same middle day again").isFalse();
        assertThat(rhythm.onPurchaseDay(100)).as("the first day again").isFalse();
        assertThat(rhythm.onPurchaseDay(90)).as("before the first day").isTrue();
        assertThat(rhythm.onPurchaseDay(90)).isFalse();
        assertThat(rhythm.onPurchaseDay(150)).as("the last day again").isFalse();
        assertThat(rhythm.getPurchaseDays()).isEqualTo(4);
        assertThat(rhythm.getFirstDay()).isEqualTo(90);
        assertThat(rhythm.getLastDay()).isEqualTo(150);
    }

    @Test
    void aMiddleDayOlderThanTheWindowIsAssumedNewTheDocumentedTradeOff() {
        PurchaseRhythm rhythm = new PurchaseRhythm();
        rhythm.onPurchaseDay(0);
        rhythm.onPurchaseDay(10);
        rhythm.onPurchaseDay(200);
        // day 10 is 190 days before the last day: it cannot be checked, and is counted again
        assertThat(rhythm.onPurchaseDay(10)).isTrue();
        assertThat(rhythm.getPurchaseDays()).isEqualTo(4);
        // but the first day is always recognised
        assertThat(rhythm.onPurchaseDay(0)).isFalse();
        assertThat(rhythm.getPurchaseDays()).isEqualTo(4);
    }

    @Test
    void theCountNeverExceedsTheDaysInTheSpan() {
        PurchaseRhythm rhythm = new PurchaseRhythm();
        rhythm.onPurchaseDay(0);
        rhythm.onPurchaseDay(1);
        rhythm.onPurchaseDay(2);
        rhythm.onPurchaseDay(100); // days 0..2 leave the window
        for (int i = 0; i < 10; i++) {
            rhythm.onPurchaseDay(1);
        }
        assertThat(rhythm.getPurchaseDays()).isLessThanOrEqualTo(101);
        for (int day = 3; day < 100; day++) {
            rhythm.onPurchaseDay(day);
        }
        assertThat(rhythm.getPurchaseDays()).isEqualTo(101);
        assertThat(rhythm.onPurchaseDay(50)).isFalse();
    }

    /** Random histories within the window: any arrival order gives the exact distinct-day count. */
    @Test
    void anyArrivalOrderWithinTheWindowGivesTheSameRhythm() {
        Random random = new Random(42);
        for (int trial = 0; trial < 2_000; trial++) {
            List<Integer> days = new ArrayList<>();
            int n = 1 + random.nextInt(12);
            int start = 9_000 + random.nextInt(100);
            for (int i = 0; i < n; i++) {
                days.add(start + random.nextInt(1 + random.nextInt(63)));
            }
            List<Integer> sorted = new ArrayList<>(days);
            Collections.sort(sorted);
            List<Integer> shuffled = new ArrayList<>(days);
            Collections.shuffle(shuffled, random);
            PurchaseRhythm inOrder = rhythmOf(sorted);
            PurchaseRhythm outOfOrder = rhythmOf(shuffled);
            assertThat(outOfOrder).as("days %s", shuffled).isEqualTo(inOrder);
            assertThat(inOrder.getPurchaseDays()).isEqualTo(new HashSet<>(days).size());
        }
    }

    /** Late days more than 63 days behind the newest: counted correctly unless a day repeats. */
    @Test
    void longHistoriesOutOfOrderAreExactWhenNoOldDayRepeats() {
        Random random = new Random(7);
        for (int trial = 0; trial < 500; trial++) {
            Set<Integer> distinct = new HashSet<>();
            while (distinct.size() < 2 + random.nextInt(20)) {
                distinct.add(random.nextInt(1_000));
            }
            List<Integer> shuffled = new ArrayList<>(distinct);
            Collections.shuffle(shuffled, random);
            PurchaseRhythm rhythm = rhythmOf(shuffled);
            assertThat(rhythm.getPurchaseDays()).isEqualTo(distinct.size());
            assertThat(rhythm.getFirstDay()).isEqualTo(Collections.min(distinct));
            assertThat(rhythm.getLastDay()).isEqualTo(Collections.max(distinct));
        }
    }

    private static PurchaseRhythm rhythmOf(List<Integer> days) {
        PurchaseRhythm rhythm = new PurchaseRhythm();
        for (int day : days) {
            rhythm.onPurchaseDay(day);
        }
        return rhythm;
    }

    @Test
    void isAFlinkPojoAndSurvivesItsSerializerAndJavaSerialization() throws Exception {
        TypeInformation<PurchaseRhythm> type = TypeInformation.of(PurchaseRhythm.class);
        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        assertThat(type.getArity()).isEqualTo(4);

        PurchaseRhythm rhythm = rhythmOf(List.of(10_000, 10_003, 10_001, 10_090));
        TypeSerializer<PurchaseRhythm> serializer =
                type.createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(rhythm, out);
        PurchaseRhythm copy =
                serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(copy).isEqualTo(rhythm);
        assertThat(copy.onPurchaseDay(10_090)).isFalse();

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream oos = new ObjectOutputStream(bytes)) {
            oos.writeObject(rhythm);
        }
        try (ObjectInputStream ois =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(ois.readObject()).isEqualTo(rhythm);
        }
    }

    @Test
    void rebuildsFromItsFourFieldsAndRejectsInconsistentOnes() {
        PurchaseRhythm rhythm = rhythmOf(List.of(5, 9, 7));
        PurchaseRhythm copy =
                PurchaseRhythm.of(
                        rhythm.getFirstDay(),
                        rhythm.getLastDay(),
                        rhythm.getPurchaseDays(),
                        rhythm.getRecentDays());
        assertThat(copy).isEqualTo(rhythm);
        assertThat(copy.onPurchaseDay(7)).isFalse();
        assertThat(PurchaseRhythm.of(0, 0, 0, 0).isEmpty()).isTrue();

        assertThatThrownBy(() -> PurchaseRhythm.of(10, 5, 2, 0))
                .hasMessageContaining("before firstDay");
        assertThatThrownBy(() -> PurchaseRhythm.of(0, 2, 4, 0)).hasMessageContaining("do not fit");
        assertThatThrownBy(() -> PurchaseRhythm.of(0, 2, -1, 0)).hasMessageContaining(">= 0");
    }

    /**
     * Every row of cdnow_customers_summary.csv from the raw sample: in file order, and again with
     * every purchase delayed by a random 0 to 63 days (so arriving out of order, but within the
     * exact window; calibration purchases only, as the fit sees them).
     */
    @Test
    void reproducesEveryRowOfTheCdnowCalibrationSummaryInAnyArrivalOrderWithinTheWindow()
            throws IOException {
        List<CdnowData.Purchase> purchases = CdnowData.sample();
        List<CdnowData.Summary> summary = CdnowData.summary();
        long end = CdnowData.millis(CdnowData.CALIBRATION_END);

        Map<Integer, PurchaseRhythm> inFileOrder = rhythms(purchases, end);
        Random random = new Random(1997);
        Map<CdnowData.Purchase, Long> arrival = new HashMap<>();
        for (CdnowData.Purchase p : purchases) {
            arrival.put(p, p.day().toEpochDay() + random.nextInt(PurchaseRhythm.EXACT_WINDOW_DAYS));
        }
        List<CdnowData.Purchase> late = new ArrayList<>(purchases);
        late.sort(Comparator.comparing(arrival::get));
        Map<Integer, PurchaseRhythm> delayed = rhythms(late, end);

        assertThat(summary).hasSize(2_357);
        assertThat(inFileOrder).hasSize(2_357);
        for (CdnowData.Summary row : summary) {
            for (Map<Integer, PurchaseRhythm> rhythms : List.of(inFileOrder, delayed)) {
                PurchaseRhythm rhythm = rhythms.get(row.id());
                assertThat(rhythm).as("customer %d", row.id()).isNotNull();
                assertThat(rhythm.frequency())
                        .as("frequency of %d", row.id())
                        .isEqualTo(row.frequency());
                assertThat(rhythm.recencyWeeks())
                        .as("recency of %d", row.id())
                        .isCloseTo(row.recency(), within(0.005));
                assertThat(rhythm.ageWeeks(end))
                        .as("T of %d", row.id())
                        .isCloseTo(row.T(), within(0.005));
            }
        }
        assertThat(delayed).isEqualTo(inFileOrder);
    }

    /**
     * Fully shuffled histories (purchases up to 9 months late): first, last day and so recency and
     * T stay exact, frequency can only be overcounted (the documented trade-off), and rarely is.
     */
    @Test
    void arbitrarilyLatePurchasesOnlyEverOvercountOnCdnow() throws IOException {
        List<CdnowData.Purchase> purchases = CdnowData.sample();
        long end = CdnowData.millis(CdnowData.CALIBRATION_END);
        Map<Integer, PurchaseRhythm> exact = rhythms(purchases, end);
        List<CdnowData.Purchase> shuffled = new ArrayList<>(purchases);
        Collections.shuffle(shuffled, new Random(2005));
        Map<Integer, PurchaseRhythm> rhythms = rhythms(shuffled, end);

        int overcounted = 0;
        for (Map.Entry<Integer, PurchaseRhythm> e : exact.entrySet()) {
            PurchaseRhythm shuffledRhythm = rhythms.get(e.getKey());
            assertThat(shuffledRhythm.getFirstDay()).isEqualTo(e.getValue().getFirstDay());
            assertThat(shuffledRhythm.getLastDay()).isEqualTo(e.getValue().getLastDay());
            assertThat(shuffledRhythm.frequency()).isGreaterThanOrEqualTo(e.getValue().frequency());
            if (shuffledRhythm.frequency() > e.getValue().frequency()) {
                overcounted++;
            }
        }
        assertThat(overcounted).as("customers overcounted").isLessThan(exact.size() / 100);
    }

    private static Map<Integer, PurchaseRhythm> rhythms(
            List<CdnowData.Purchase> purchases, long calibrationEnd) {
        Map<Integer, PurchaseRhythm> rhythms = new TreeMap<>();
        for (CdnowData.Purchase p : purchases) {
            if (p.epochMillis() <= calibrationEnd) {
                rhythms.computeIfAbsent(p.sampleId(), id -> new PurchaseRhythm())
                        .onPurchase(p.epochMillis());
            }
        }
        return rhythms;
    }

    @Test
    void theSampleIdIsTheSecondColumnOfTheSampleFile() throws IOException {
        List<CdnowData.Purchase> customer1 =
                CdnowData.sample().stream().filter(p -> p.sampleId() == 1).toList();
        assertThat(customer1)
                .extracting(CdnowData.Purchase::day)
                .containsExactly(
                        LocalDate.of(1997, 1, 1),
                        LocalDate.of(1997, 1, 18),
                        LocalDate.of(1997, 8, 2),
                        LocalDate.of(1997, 12, 12));
        assertThat(customer1).extracting(CdnowData.Purchase::masterId).containsOnly(4);
    }
}
