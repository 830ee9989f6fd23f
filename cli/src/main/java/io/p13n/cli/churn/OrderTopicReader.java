package io.p13n.cli.churn;

import io.p13n.model.OrderEvent;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the engine's order topic once, from the beginning to the end offsets captured at the start
 * (orders written meanwhile are left for the next fit): a throw-away consumer group that commits
 * nothing, so reading moves nobody's offsets. Values are Avro single-object encoded {@link
 * OrderEvent}s; a value that does not decode (another schema, garbage, a tombstone) is counted and
 * skipped.
 */
final class OrderTopicReader {
    /** How often progress is printed. */
    private static final long PROGRESS_NANOS = Duration.ofSeconds(2).toNanos();

    /**
     * What was read.
     *
     * @param records records up to the captured end offsets
     * @param undecodable of those, values that are not order events
     */
    record Result(long records, long undecodable) {}

    private final String bootstrapServers;
    private final String topic;
    private final Duration idleTimeout;

    /**
     * @param idleTimeout give up when no record arrives for this long before the end is reached
     */
    OrderTopicReader(String bootstrapServers, String topic, Duration idleTimeout) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.idleTimeout = idleTimeout;
    }

    Result read(Consumer<OrderEvent> orders, PrintWriter progress) throws IOException {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "p13n-churn-fit-" + UUID.randomUUID());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "p13n-churn-fit");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IOException(
                        "topic '" + topic + "' does not exist on " + bootstrapServers);
            }
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : infos) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long total = 0;
            for (TopicPartition p : partitions) {
                total += end.get(p) - begin.get(p);
            }
            progress.printf(
                    "Reading %,d records from %s (%d partitions) on %s%n",
                    total, topic, partitions.size(), bootstrapServers);
            progress.flush();

            long records = 0;
            long undecodable = 0;
            long lastRecord = System.nanoTime();
            long lastProgress = lastRecord;
            while (!reachedEnd(consumer, partitions, end)) {
                boolean any = false;
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition partition =
                            new TopicPartition(record.topic(), record.partition());
                    if (record.offset() >= end.get(partition)) {
                        continue; // written after the start: not part of this read
                    }
                    any = true;
                    records++;
                    OrderEvent order = decode(record.value());
                    if (order == null) {
                        undecodable++;
                    } else {
                        orders.accept(order);
                    }
                }
                long now = System.nanoTime();
                if (any) {
                    lastRecord = now;
                } else if (now - lastRecord > idleTimeout.toNanos()) {
                    throw new IOException(
                            "no records from "
                                    + topic
                                    + " for "
                                    + idleTimeout.toSeconds()
                                    + " s, after "
                                    + records
                                    + " of "
                                    + total
                                    + "; is "
                                    + bootstrapServers
                                    + " reachable?");
                }
                if (now - lastProgress > PROGRESS_NANOS) {
                    progress.printf(
                            "  %,d of %,d records (%.0f%%)%n",
                            records, total, total == 0 ? 100.0 : 100.0 * records / total);
                    progress.flush();
                    lastProgress = now;
                }
            }
            return new Result(records, undecodable);
        } catch (KafkaException e) {
            throw new IOException(
                    "cannot read " + topic + " from " + bootstrapServers + ": " + e.getMessage(),
                    e);
        }
    }

    private static boolean reachedEnd(
            KafkaConsumer<byte[], byte[]> consumer,
            List<TopicPartition> partitions,
            Map<TopicPartition, Long> end) {
        for (TopicPartition p : partitions) {
            if (consumer.position(p) < end.get(p)) {
                return false;
            }
        }
        return true;
    }

    /** The order event, or {@code null} if the value is not one. */
    static OrderEvent decode(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            return OrderEvent.getDecoder().decode(value);
        } catch (Exception e) { // IOException, AvroRuntimeException, or worse for arbitrary bytes
            return null;
        }
    }
}
