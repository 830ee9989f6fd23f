package io.p13n.cli.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic back, from the beginning to the end offsets seen at the start (read committed). */
public final class TopicReader {
    private TopicReader() {}

    /** Every record of the topic, partition by partition, each partition in offset order. */
    public static List<ConsumerRecord<String, byte[]>> readAll(
            String bootstrapServers, String topic) {
        return readAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topic);
    }

    /**
     * The same with a client's settings ({@code bootstrap.servers} and e.g. SASL and TLS), so as a
     * principal of a broker that authenticates; no consumer group.
     */
    public static List<ConsumerRecord<String, byte[]>> readAll(
            Map<String, Object> clientProperties, String topic) {
        Map<String, Object> config = new java.util.HashMap<>(clientProperties);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(
                        config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                            .map(info -> new TopicPartition(topic, info.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!reachedEnd(consumer, end, Set.copyOf(partitions))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            records.sort(
                    (a, b) ->
                            a.partition() != b.partition()
                                    ? Integer.compare(a.partition(), b.partition())
                                    : Long.compare(a.offset(), b.offset()));
            return records;
        }
    }

    private static boolean reachedEnd(
            KafkaConsumer<String, byte[]> consumer,
            Map<TopicPartition, Long> end,
            Set<TopicPartition> partitions) {
        return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
    }

    /** The offer decisions on an offer-triggers topic (read committed), in partition order. */
    public static List<io.p13n.model.OfferDecision> offerDecisions(
            String bootstrapServers, String topic) {
        List<io.p13n.model.OfferDecision> decisions = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : readAll(bootstrapServers, topic)) {
            try {
                decisions.add(io.p13n.model.OfferDecision.getDecoder().decode(record.value()));
            } catch (java.io.IOException e) {
                throw new AssertionError("not an OfferDecision on " + topic, e);
            }
        }
        return decisions;
    }

    /** The customers that have a decision on an offer-triggers topic. */
    public static java.util.TreeSet<String> customersWithOffers(
            String bootstrapServers, String topic) {
        return new java.util.TreeSet<>(offersPerCustomer(bootstrapServers, topic).keySet());
    }

    /** How many decisions each customer has on an offer-triggers topic (read committed). */
    public static java.util.TreeMap<String, Integer> offersPerCustomer(
            String bootstrapServers, String topic) {
        java.util.TreeMap<String, Integer> offers = new java.util.TreeMap<>();
        for (io.p13n.model.OfferDecision d : offerDecisions(bootstrapServers, topic)) {
            offers.merge(d.getCustomerId(), 1, Integer::sum);
        }
        return offers;
    }
}
