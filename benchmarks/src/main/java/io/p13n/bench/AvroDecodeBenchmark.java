package io.p13n.bench;

import io.p13n.model.ClickType;
import io.p13n.model.SourceRecord;
import io.p13n.serde.AvroEventSerializer;
import io.p13n.serde.SourceRecordDeserializer;
import io.p13n.serde.SourceRecordDeserializer.EventKind;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the Kafka source pays per record: Avro single-object decode (fingerprint lookup, schema
 * resolution, body) and validation, through the engine's own {@link SourceRecordDeserializer}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AvroDecodeBenchmark {
    private SourceRecordDeserializer clicks;
    private SourceRecordDeserializer orders;
    private ConsumerRecord<byte[], byte[]> productView;
    private ConsumerRecord<byte[], byte[]> order;
    private long now;

    @Setup
    public void setUp() {
        clicks = new SourceRecordDeserializer(EventKind.CLICKS, 300_000);
        orders = new SourceRecordDeserializer(EventKind.ORDERS, 300_000);
        Random random = new Random(42);
        byte[] key = "c0012345".getBytes(StandardCharsets.UTF_8);
        now = Workloads.T0 + 1_000;
        productView =
                new ConsumerRecord<>(
                        "clicks",
                        0,
                        1L,
                        key,
                        AvroEventSerializer.encode(
                                Workloads.click(
                                        random,
                                        "c0012345",
                                        "sim42-s1",
                                        ClickType.PRODUCT_VIEW,
                                        Workloads.T0,
                                        1)));
        order =
                new ConsumerRecord<>(
                        "orders",
                        0,
                        1L,
                        key,
                        AvroEventSerializer.encode(
                                Workloads.order(random, "c0012345", Workloads.T0, 1)));
        // Both must decode to events, not dead letters, or the benchmark measures the wrong path.
        check(clicks.toSourceRecord(productView, now));
        check(orders.toSourceRecord(order, now));
    }

    private static void check(SourceRecord record) {
        if (record.getPayload() instanceof io.p13n.model.DeadLetter letter) {
            throw new IllegalStateException("fixture does not decode: " + letter.getReason());
        }
    }

    @Benchmark
    public SourceRecord decodeClick() {
        return clicks.toSourceRecord(productView, now);
    }

    @Benchmark
    public SourceRecord decodeOrder() {
        return orders.toSourceRecord(order, now);
    }
}
