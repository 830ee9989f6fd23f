package io.p13n.cli.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.model.ClickEvent;
import io.p13n.model.OrderEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The sending loop against Kafka's in-memory MockProducer: limits, pacing, stopping, routing. */
class TrafficProducerTest {
    private static final EventTopics TOPICS = new EventTopics("c", "o");

    private static MockProducer<String, byte[]> mockProducer() {
        return new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    }

    private static StorefrontSimulator simulator() {
        return new StorefrontSimulator(11, 1_000, 500, 20, Clock.systemUTC());
    }

    @Test
    void sendsTheRequestedNumberOfRecordsToTheRightTopicsKeyedByCustomer() throws Exception {
        MockProducer<String, byte[]> mock = mockProducer();
        try (TrafficProducer traffic = new TrafficProducer(simulator(), mock, TOPICS, 0, 0.05)) {
            traffic.run(null, 3_000);

            List<ProducerRecord<String, byte[]>> sent = mock.history();
            assertThat(sent).hasSize(3_000);
            long clicks = 0;
            long orders = 0;
            for (ProducerRecord<String, byte[]> record : sent) {
                if (record.topic().equals("o")) {
                    assertThat(OrderEvent.getDecoder().decode(record.value()).getCustomerId())
                            .isEqualTo(record.key());
                    orders++;
                } else if (isDecodableClick(record.value())) {
                    ClickEvent click = ClickEvent.getDecoder().decode(record.value());
                    if (!click.getCustomerId().isEmpty()
                            && (click.getPrice() == null || click.getPrice() >= 0)) {
                        assertThat(click.getCustomerId()).isEqualTo(record.key());
                        clicks++;
                    }
                }
            }
            assertThat(traffic.ordersSent()).isEqualTo(orders).isPositive();
            assertThat(traffic.clicksSent()).isEqualTo(clicks);
            assertThat(traffic.badRecordsSent())
                    .isEqualTo(3_000 - clicks - orders)
                    .isBetween(90L, 210L);
            assertThat(traffic.recordsSent()).isEqualTo(3_000);
            assertThat(traffic.failures()).isZero();
        }
    }

    @Test
    void holdsTheTargetRate() {
        MockProducer<String, byte[]> mock = mockProducer();
        try (TrafficProducer traffic = new TrafficProducer(simulator(), mock, TOPICS, 200, 0)) {
            long start = System.nanoTime();
            traffic.run(null, 100);
            double seconds = (System.nanoTime() - start) / 1e9;

            // 100 records at 200/s is half a second; pacing may be late but never early.
            assertThat(seconds).isBetween(0.45, 5.0);
            assertThat(mock.history()).hasSize(100);
        }
    }

    @Test
    void stopsAfterTheDuration() {
        MockProducer<String, byte[]> mock = mockProducer();
        try (TrafficProducer traffic = new TrafficProducer(simulator(), mock, TOPICS, 1_000, 0)) {
            long start = System.nanoTime();
            traffic.run(Duration.ofMillis(300), 0);
            double seconds = (System.nanoTime() - start) / 1e9;

            assertThat(seconds).isBetween(0.29, 3.0);
            assertThat(mock.history().size()).isBetween(150, 320);
        }
    }

    @Test
    void stopEndsARunFromAnotherThread() throws Exception {
        MockProducer<String, byte[]> mock = mockProducer();
        try (TrafficProducer traffic = new TrafficProducer(simulator(), mock, TOPICS, 2_000, 0)) {
            Thread thread = new Thread(() -> traffic.run(null, 0));
            thread.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (traffic.recordsSent() < 100 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            traffic.stop();
            thread.join(5_000);

            assertThat(thread.isAlive()).isFalse();
            assertThat(traffic.recordsSent())
                    .isGreaterThanOrEqualTo(100)
                    .isEqualTo(mock.history().size());
        }
    }

    @Test
    void anInterruptEndsARunAndStaysSetAfterTheFlush() throws Exception {
        // Not auto-completing: sends stay pending until the flush, so flushed() shows it happened.
        MockProducer<String, byte[]> mock =
                new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
        try (TrafficProducer traffic = new TrafficProducer(simulator(), mock, TOPICS, 50, 0)) {
            boolean[] interruptedAfterRun = new boolean[1];
            Thread thread =
                    new Thread(
                            () -> {
                                traffic.run(null, 0);
                                interruptedAfterRun[0] = Thread.currentThread().isInterrupted();
                            });
            thread.start();
            Thread.sleep(200);
            thread.interrupt();
            thread.join(5_000);

            assertThat(thread.isAlive()).isFalse();
            assertThat(interruptedAfterRun[0]).isTrue();
            assertThat(mock.history()).isNotEmpty();
            assertThat(mock.flushed()).isTrue();
        }
    }

    private static boolean isDecodableClick(byte[] value) {
        try {
            ClickEvent.getDecoder().decode(value);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
