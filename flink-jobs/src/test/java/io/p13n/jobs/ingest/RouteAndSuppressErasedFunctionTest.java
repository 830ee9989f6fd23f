package io.p13n.jobs.ingest;

import static io.p13n.model.testing.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.jobs.OutputTags;
import io.p13n.jobs.privacy.ErasedIds;
import io.p13n.jobs.testing.SourceRecords;
import io.p13n.model.CustomerEvent;
import io.p13n.model.Erasure;
import io.p13n.model.ErasureRequest;
import io.p13n.model.SourceRecord;
import io.p13n.model.testing.TestEvents;
import java.time.Duration;
import java.util.List;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RouteAndSuppressErasedFunctionTest {
    private static final Duration PERIOD = Duration.ofDays(35);

    private BroadcastOperatorTestHarness<SourceRecord, SourceRecord, CustomerEvent> harness;

    private void start(int max) throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
                        new RouteAndSuppressErasedFunction(PERIOD, max), ErasedIds.DESCRIPTOR);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private void view(String customer) throws Exception {
        harness.processElement(
                new SourceRecord(TestEvents.productView(customer, T0)), T0.toEpochMilli());
    }

    private void erase(String customer) throws Exception {
        harness.processBroadcastElement(
                new SourceRecord(new ErasureRequest("req-" + customer, customer, "test", T0)),
                T0.toEpochMilli());
    }

    private List<String> customersOut() {
        return harness.extractOutputValues().stream().map(CustomerEvents::customerId).toList();
    }

    @Test
    void dropsEveryEventOfAnErasedCustomerAfterSendingTheErasureOn() throws Exception {
        start(100);
        harness.setProcessingTime(1_000);
        view("alice");
        view("bob");
        erase("alice");
        view("alice");
        view("bob");

        assertThat(customersOut()).containsExactly("alice", "bob", "alice", "bob");
        Object erasure = harness.extractOutputValues().get(2).getPayload();
        assertThat(erasure).isInstanceOf(Erasure.class);
        assertThat(((Erasure) erasure).getCopies()).as("one per subtask").isEqualTo(1);
        assertThat(((Erasure) erasure).getRequestId()).isEqualTo("req-alice");
    }

    @Test
    void suppressesForThePeriodOnly() throws Exception {
        start(100);
        harness.setProcessingTime(1_000);
        erase("alice");
        harness.setProcessingTime(1_000 + PERIOD.toMillis() - 1);
        view("alice");
        harness.setProcessingTime(1_000 + PERIOD.toMillis());
        view("alice");

        assertThat(customersOut()).as("the erasure, then the view after the period").hasSize(2);
    }

    @Test
    void keepsTheListBoundedDroppingTheEntriesClosestToTheirEnd() throws Exception {
        start(2);
        harness.setProcessingTime(1_000);
        erase("a");
        harness.setProcessingTime(2_000);
        erase("b");
        harness.setProcessingTime(3_000);
        erase("c"); // full: a, whose suppression ends first, goes
        harness.getOutput().clear();
        view("a");
        view("b");
        view("c");

        assertThat(customersOut()).containsExactly("a");
    }

    @Test
    void writesADeadLetterOfTheErasureTopicOnceAndKeepsTheListFree() throws Exception {
        start(100);
        harness.processBroadcastElement(
                SourceRecords.deadLetter("erasure-requests", 7, "missing customerId"), 0L);
        view("alice");

        assertThat(harness.getSideOutput(OutputTags.DEAD_LETTERS)).hasSize(1);
        assertThat(customersOut()).containsExactly("alice");
    }

    @Test
    void holdsHashesNotIds() {
        assertThat(ErasedIds.hash("alice")).isEqualTo(ErasedIds.hash("alice"));
        assertThat(ErasedIds.hash("alice")).isNotEqualTo(ErasedIds.hash("alicf"));
        assertThat(ErasedIds.DESCRIPTOR.getKeySerializer())
                .isInstanceOf(org.apache.flink.api.common.typeutils.base.LongSerializer.class);
    }
}
