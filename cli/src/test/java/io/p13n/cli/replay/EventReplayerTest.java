package io.p13n.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.cli.traffic.EventTopics;
import io.p13n.model.Channel;
import io.p13n.model.ClickEvent;
import io.p13n.model.ClickType;
import io.p13n.model.OrderEvent;
import io.p13n.model.OrderStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Pacing, counting and stopping of the replay, against Kafka's in-memory MockProducer. */
class EventReplayerTest {
    private static final EventTopics TOPICS = new EventTopics("c", "o");
    private static final Instant START = Instant.parse("2014-04-01T00:00:00Z");

    private final MockProducer<String, byte[]> mock =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());

    @Test
    void asFastAsPossibleSendsEverythingInOrderAndCountsByType() throws Exception {
        List<SpecificRecordBase> events =
                List.of(
                        click(0, ClickType.PRODUCT_VIEW),
                        click(3_600_000, ClickType.PRODUCT_VIEW),
                        order(86_400_000));
        try (EventReplayer replayer = new EventReplayer(mock, TOPICS, 0)) {
            long start = System.nanoTime();
            replayer.replay(events);

            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(Duration.ofSeconds(5));
            assertThat(mock.history()).extracting(r -> r.topic()).containsExactly("c", "c", "o");
            assertThat(mock.history())
                    .extracting(r -> r.key())
                    .containsExactly("s1", "s1", "cdnow-1");
            assertThat(replayer.sentByType())
                    .isEqualTo(Map.of("PRODUCT_VIEW", 2L, "ORDER_PLACED", 1L));
        }
    }

    @Test
    void speedupCompressesTheEventTimeGaps() throws Exception {
        // Two seconds of event time at speed-up 4: half a second of wall time.
        List<SpecificRecordBase> events = new ArrayList<>();
        for (int i = 0; i <= 20; i++) {
            events.add(click(i * 100L, ClickType.PAGE_VIEW));
        }
        try (EventReplayer replayer = new EventReplayer(mock, TOPICS, 4)) {
            long start = System.nanoTime();
            replayer.replay(events);
            double seconds = (System.nanoTime() - start) / 1e9;

            assertThat(seconds).isBetween(0.45, 5.0);
            assertThat(mock.history()).hasSize(21);
        }
    }

    @Test
    void stopEndsALongPauseEarly() throws Exception {
        // An hour between the two events at speed-up 1: only stop() can end this quickly.
        List<SpecificRecordBase> events =
                List.of(click(0, ClickType.PAGE_VIEW), click(3_600_000, ClickType.PAGE_VIEW));
        try (EventReplayer replayer = new EventReplayer(mock, TOPICS, 1)) {
            Thread thread =
                    new Thread(
                            () -> {
                                try {
                                    replayer.replay(events);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            });
            thread.start();
            Thread.sleep(300);
            replayer.stop();
            thread.join(5_000);

            assertThat(thread.isAlive()).isFalse();
            assertThat(mock.history()).hasSize(1);
        }
    }

    private static ClickEvent click(long offsetMillis, ClickType type) {
        return ClickEvent.newBuilder()
                .setEventId("e" + offsetMillis)
                .setCustomerId("s1")
                .setSessionId("1")
                .setType(type)
                .setChannel(Channel.WEB)
                .setEventTime(START.plusMillis(offsetMillis))
                .build();
    }

    private static OrderEvent order(long offsetMillis) {
        return OrderEvent.newBuilder()
                .setOrderId("o1")
                .setCustomerId("cdnow-1")
                .setLines(List.of())
                .setTotal(1)
                .setCurrency("USD")
                .setStatus(OrderStatus.PLACED)
                .setChannel(Channel.WEB)
                .setEventTime(START.plusMillis(offsetMillis))
                .build();
    }
}
