package io.p13n.cli;

import io.p13n.config.EngineOptions;
import io.p13n.jobs.recommend.ServingJson;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.model.ScoredItem;
import io.p13n.serde.DeadLetterSerializer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;

/** What the storefront (Redis) and an operator (dead-letter topic) would see. */
@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        description =
                "Print what the engine wrote: profiles and recommendation lists in Redis, records on the dead-letter topic.",
        subcommands = {
            ShowCommand.Customer.class,
            ShowCommand.Profile.class,
            ShowCommand.Profiles.class,
            ShowCommand.Recommendations.class,
            ShowCommand.Similar.class,
            ShowCommand.TrendingList.class,
            ShowCommand.DeadLetters.class
        })
final class ShowCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * A customer id on the command line: the store's own id, pseudonymized as the engine does it
     * when {@code privacy.pseudonymization-key} is set, or with {@code --pseudonymized} the
     * engine's id as is.
     */
    static final class CustomerArgument {
        @Parameters(
                paramLabel = "CUSTOMER_ID",
                description =
                        "The customer's id as the store knows it. When the engine pseudonymizes ids (privacy.pseudonymization-key in --config FILE or in P13N_PRIVACY_PSEUDONYMIZATION_KEY), its pseudonym is computed from it and looked up.")
        String id;

        @Option(
                names = "--pseudonymized",
                description =
                        "CUSTOMER_ID is already the id the engine keeps (a pseudonym, as in the Redis keys and the profile's customerId): look it up as is.")
        boolean pseudonymized;

        /** The id as given, and the pseudonym when it was computed from it. */
        String label(String engineId) {
            return engineId.equals(id) ? id : id + " (pseudonym " + engineId + ")";
        }
    }

    /** What a show command does for one customer, under the id the engine keeps them by. */
    @FunctionalInterface
    interface CustomerReading {
        int read(UnifiedJedis client, RedisKeys keys, String engineId);
    }

    /** Prints a customer's profile hash: the customer as named to the user, the key, a client. */
    @FunctionalInterface
    interface ProfilePrinter {
        void print(String label, String key, UnifiedJedis client);
    }

    /**
     * Every distinct message along {@code e}'s causes: Jedis wraps the server's reply (WRONGPASS,
     * NOPERM) or the TLS failure in connection-pool exceptions whose own messages say little, and
     * Kafka's clients wrap theirs too.
     */
    static String reason(Throwable e) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = e; t != null && messages.size() < 5; t = t.getCause()) {
            if (t.getMessage() != null && !messages.contains(t.getMessage())) {
                messages.add(t.getMessage());
            }
        }
        return messages.isEmpty() ? e.getClass().getSimpleName() : String.join(": ", messages);
    }

    static void printHash(String key, Map<String, String> hash, long ttlSeconds) {
        System.out.println(key + "   (expires in " + Duration.ofSeconds(ttlSeconds) + ")");
        new TreeMap<>(hash)
                .forEach((field, value) -> System.out.printf("  %-16s %s%n", field, value));
    }

    @Command(
            name = "customer",
            mixinStandardHelpOptions = true,
            description =
                    "What the storefront sees for one customer: segment, RFM, churn, activity, interests, cart, loyalty.")
    static final class Customer implements Callable<Integer> {
        @Mixin RedisOptions redis;

        @Mixin CustomerArgument customer;

        @Override
        public Integer call() {
            return redis.withProfile(
                    customer,
                    (label, key, client) ->
                            print(
                                    CustomerView.read(
                                            client,
                                            new RedisKeys(redis.prefix()),
                                            redis.engineId(customer, System.getenv()),
                                            label)));
        }

        /** The customer as the console's Customer 360 page shows them, as text. */
        static void print(CustomerView view) {
            System.out.println(
                    view.label()
                            + "   ("
                            + view.profileKey()
                            + ", expires in "
                            + Duration.ofSeconds(view.profileTtlSeconds())
                            + ")");
            view.groups()
                    .forEach(
                            (group, facts) -> {
                                System.out.println(group);
                                for (CustomerView.Fact fact : facts) {
                                    System.out.printf("  %-22s %s%n", fact.field(), fact.value());
                                }
                            });
            System.out.println(
                    "recommendations"
                            + (view.recommendationsUpdatedAt() == null
                                    ? ""
                                    : "   (computed "
                                            + view.recommendationsUpdatedAt()
                                            + (view.recommendationsStrategy() == null
                                                    ? ""
                                                    : ", from " + view.recommendationsStrategy())
                                            + ")"));
            if (view.recommendations().isEmpty()) {
                System.out.println("  (none)");
            }
            for (CustomerView.Recommendation r : view.recommendations()) {
                System.out.printf(
                        "  %2d. %-14s %-10s %8.4f  %s%n",
                        r.rank(),
                        r.itemId(),
                        r.categoryId() == null ? "-" : r.categoryId(),
                        r.score(),
                        r.reason() == null ? "" : r.reason());
            }
            System.out.println("active offers");
            if (view.offers().isEmpty()) {
                System.out.println("  (none)");
            }
            for (Map<String, Object> offer : view.offers()) {
                System.out.println("  " + CustomerView.describeOffer(offer));
            }
            System.out.println("segment history");
            if (view.segmentHistory().isEmpty()) {
                System.out.println("  (none)");
            }
            for (CustomerView.SegmentStep step : view.segmentHistory()) {
                System.out.printf(
                        "  %-24s %-10s -> %-10s %s%n",
                        step.at(), step.from(), step.to(), String.join("; ", step.reasons()));
            }
            System.out.println("recent decisions");
            if (view.decisions().isEmpty()) {
                System.out.println("  (none)");
            }
            for (CustomerView.Decision d : view.decisions()) {
                System.out.printf(
                        "  %-24s %-18s %-20s %-18s %s%s%n",
                        d.at(),
                        d.outcome(),
                        d.campaign() + (d.variant().isEmpty() ? "" : "/" + d.variant()),
                        d.trigger(),
                        d.code().isEmpty() ? "" : d.code() + "  ",
                        (d.deliverAt() == null ? "" : "held until " + d.deliverAt() + ": ")
                                + d.reason());
            }
        }
    }

    @Command(
            name = "profile",
            mixinStandardHelpOptions = true,
            description = "One customer's profile hash, every field as stored.")
    static final class Profile implements Callable<Integer> {
        @Mixin RedisOptions redis;

        @Mixin CustomerArgument customer;

        @Override
        public Integer call() {
            return redis.withProfile(
                    customer,
                    (label, key, client) -> printHash(key, client.hgetAll(key), client.ttl(key)));
        }
    }

    @Command(
            name = "profiles",
            mixinStandardHelpOptions = true,
            description = "A few customer profiles (found with SCAN).")
    static final class Profiles implements Callable<Integer> {
        @Mixin RedisOptions redis;

        @Option(
                names = "--limit",
                defaultValue = "5",
                description = "How many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            return redis.read(
                    (client, keys) -> {
                        List<String> found = new ArrayList<>();
                        String cursor = ScanParams.SCAN_POINTER_START;
                        ScanParams params =
                                new ScanParams().match(keys.profilePattern()).count(500);
                        do {
                            var page = client.scan(cursor, params);
                            found.addAll(page.getResult());
                            cursor = page.getCursor();
                        } while (found.size() < limit
                                && !cursor.equals(ScanParams.SCAN_POINTER_START));
                        if (found.isEmpty()) {
                            System.err.println("No profiles yet under " + keys.profilePattern());
                            return 1;
                        }
                        for (String key : found.subList(0, Math.min(limit, found.size()))) {
                            printHash(key, client.hgetAll(key), client.ttl(key));
                            System.out.println();
                        }
                        return 0;
                    });
        }
    }

    /**
     * Prints a serving list (recommendations, similar items, trending) as the storefront would show
     * it; exit code 1 when the key does not exist.
     */
    static int printList(UnifiedJedis client, String title, String key) {
        String json = client.get(key);
        if (json == null) {
            System.err.println(
                    "Nothing for " + title + " (key " + key + " does not exist or has expired).");
            return 1;
        }
        long updatedAt = ServingJson.updatedAt(json);
        String strategy = ServingJson.strategy(json);
        System.out.printf(
                "%s   (%s, computed %s%s, expires in %s)%n",
                title,
                key,
                updatedAt > 0 ? java.time.Instant.ofEpochMilli(updatedAt) : "?",
                strategy == null ? "" : ", from " + strategy,
                Duration.ofMillis(client.pttl(key)));
        List<ScoredItem> items = ServingJson.items(json);
        if (items.isEmpty()) {
            System.out.println("  (empty list)");
        }
        int rank = 1;
        for (ScoredItem item : items) {
            System.out.printf(
                    "  %2d. %-14s %-10s %8.4f  %s%n",
                    rank++,
                    item.getItemId(),
                    item.getCategoryId() == null ? "-" : item.getCategoryId(),
                    item.getScore(),
                    item.getReason() == null ? "" : item.getReason());
        }
        return 0;
    }

    @Command(
            name = "recommendations",
            mixinStandardHelpOptions = true,
            description =
                    "The customer's \"guess you like\" list, in the order the storefront shows it, with scores and reasons.")
    static final class Recommendations implements Callable<Integer> {
        @Mixin RedisOptions redis;

        @Mixin CustomerArgument customer;

        @Override
        public Integer call() {
            return redis.readCustomer(
                    customer,
                    (client, keys, id) -> {
                        int status =
                                printList(
                                        client,
                                        "Recommendations for " + customer.label(id),
                                        keys.recommendations(id));
                        Map<String, String> profile = client.hgetAll(keys.profile(id));
                        if (!profile.isEmpty()) {
                            System.out.println("from their profile:");
                            for (String field :
                                    List.of(
                                            "recentlyViewed",
                                            "cartProducts",
                                            "purchasedProducts",
                                            "topCategories")) {
                                System.out.printf(
                                        "  %-18s %s%n", field, profile.getOrDefault(field, ""));
                            }
                        }
                        return status;
                    });
        }
    }

    @Command(
            name = "similar",
            mixinStandardHelpOptions = true,
            description =
                    "Products viewed or bought together with a product (its product-page list).")
    static final class Similar implements Callable<Integer> {
        @Mixin RedisOptions redis;

        @Parameters(paramLabel = "PRODUCT_ID")
        String productId;

        @Override
        public Integer call() {
            return redis.read(
                    (client, keys) -> {
                        return printList(
                                client, "Similar to " + productId, keys.similarItems(productId));
                    });
        }
    }

    @Command(
            name = "trending",
            mixinStandardHelpOptions = true,
            description = "Trending products overall, or in one category.")
    static final class TrendingList implements Callable<Integer> {
        @Mixin RedisOptions redis;

        @Parameters(
                paramLabel = "CATEGORY_ID",
                arity = "0..1",
                description = "A category; overall when omitted.")
        String categoryId;

        @Override
        public Integer call() {
            return redis.read(
                    (client, keys) -> {
                        return categoryId == null
                                ? printList(client, "Trending now", keys.trending())
                                : printList(
                                        client,
                                        "Trending in " + categoryId,
                                        keys.trending(categoryId));
                    });
        }
    }

    /**
     * Where the dead letters are: {@code --bootstrap-servers} and {@code --topic}, or the engine's
     * configuration, as {@code generate} and {@code campaign} take it.
     */
    static final class DeadLetterTopicOptions extends KafkaOptions {
        @Option(
                names = "--topic",
                description = "kafka.topic.dead-letters of the engine (default: dead-letters).")
        String topic;

        @Option(
                names = "--config",
                paramLabel = "FILE",
                description =
                        "The engine's configuration (.properties), P13N_* environment variables overriding it: read its kafka.topic.dead-letters on its kafka.bootstrap-servers with its security settings (kafka.security.protocol, kafka.sasl.*, kafka.ssl.truststore.*) and kafka.client.* settings; give it the credentials of a principal that may read the dead-letter topic. Not with --bootstrap-servers or --topic (neither wins: the command refuses the mix).")
        Path configFile;

        @Override
        protected Path configFile() {
            return configFile;
        }

        @Override
        protected Map<String, String> topicOptions() {
            Map<String, String> given = new java.util.LinkedHashMap<>();
            given.put("--topic", topic);
            return given;
        }

        String topic() {
            return topic(EngineOptions.KAFKA_TOPIC_DEAD_LETTERS, topic, "dead-letters");
        }
    }

    @Command(
            name = "dead-letters",
            mixinStandardHelpOptions = true,
            description = "Records on the dead-letter topic with where they came from and why.")
    static final class DeadLetters implements Callable<Integer> {
        @Mixin DeadLetterTopicOptions kafka;

        @Option(
                names = "--limit",
                defaultValue = "20",
                description = "At most this many, oldest first (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            String bootstrapServers = kafka.bootstrapServers();
            String topic = kafka.topic();
            Properties props = new Properties();
            props.putAll(kafka.clientProperties());
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            // No group: partitions are assigned and nothing is committed, so reading moves nobody's
            // offsets and needs no group ACL.
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
            try (KafkaConsumer<byte[], byte[]> consumer =
                    new KafkaConsumer<>(
                            props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                return print(consumer, topic);
            } catch (KafkaException e) {
                // Refused (authentication, authorization) or unreachable: Kafka's reason, one line.
                System.err.println(
                        "Cannot read " + topic + " on " + bootstrapServers + ": " + reason(e));
                return 1;
            }
        }

        private int print(KafkaConsumer<byte[], byte[]> consumer, String topic) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            int shown = 0;
            long deadline = System.currentTimeMillis() + 10_000;
            while (shown < limit
                    && System.currentTimeMillis() < deadline
                    && !caughtUp(consumer, end)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (shown >= limit) {
                        break;
                    }
                    shown++;
                    System.out.printf(
                            "%s-%d@%d  from %s-%s@%s  %s: %s%n    value (%d bytes): %s%n",
                            r.topic(),
                            r.partition(),
                            r.offset(),
                            header(r, DeadLetterSerializer.HEADER_TOPIC),
                            header(r, DeadLetterSerializer.HEADER_PARTITION),
                            header(r, DeadLetterSerializer.HEADER_OFFSET),
                            header(r, DeadLetterSerializer.HEADER_KIND),
                            header(r, DeadLetterSerializer.HEADER_REASON),
                            r.value() == null ? 0 : r.value().length,
                            preview(r.value()));
                }
            }
            long total = end.values().stream().mapToLong(Long::longValue).sum();
            System.out.println(
                    total
                            + " dead letter(s) on "
                            + topic
                            + (shown < total ? ", showing the first " + shown : ""));
            return 0;
        }

        private static boolean caughtUp(
                KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
            return end.entrySet().stream()
                    .allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
        }

        private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
            Header h = r.headers().lastHeader(name);
            return h == null ? "?" : new String(h.value(), StandardCharsets.UTF_8);
        }

        private static String preview(byte[] value) {
            if (value == null) {
                return "(null)";
            }
            byte[] head = value.length > 24 ? java.util.Arrays.copyOf(value, 24) : value;
            return HexFormat.ofDelimiter(" ").formatHex(head) + (value.length > 24 ? " ..." : "");
        }
    }
}
