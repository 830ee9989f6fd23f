package io.p13n.config;

import static io.p13n.config.ValueType.duration;
import static io.p13n.config.ValueType.integer;
import static io.p13n.config.ValueType.optional;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every option of the engine, declared once. This class is the configuration reference: {@link
 * ConfigDocs} renders it for the README, {@link EngineConfig} reads and validates it, and {@code
 * example.properties} next to this class shows each option as a user would write it.
 *
 * <p>To add an option: declare a constant here, add it to {@link #ALL}, and add it to {@code
 * example.properties}; the tests fail until all three agree.
 *
 * <p>Kafka client settings without a typed option can be passed through verbatim with keys under
 * {@value #KAFKA_CLIENT_PREFIX} in the properties file (see {@link
 * EngineConfig#kafkaClientProperties()}).
 */
public final class EngineOptions {
    /**
     * Keys under this prefix go verbatim, without it, to the Kafka clients. Only from the file: an
     * environment variable name cannot be mapped back to a Kafka key, since both '.' and '-' (and
     * '_') would all have become '_'.
     */
    public static final String KAFKA_CLIENT_PREFIX = "kafka.client.";

    private static final String HOST_PORTS = "a comma-separated list of host:port";

    // ---- Kafka
    // ------------------------------------------------------------------------------------

    public static final ConfigOption<String> KAFKA_BOOTSTRAP_SERVERS =
            ConfigOption.required(
                    "kafka.bootstrap-servers",
                    ValueType.hostPortString(HOST_PORTS + ", such as kafka-1:9092,kafka-2:9092"),
                    "Kafka brokers to connect to first, as host:port pairs separated by commas; the clients"
                            + " discover the rest of the cluster from them. List more than one so that the engine"
                            + " can start while a broker is down.");

    public static final ConfigOption<String> KAFKA_TOPIC_CLICKS =
            ConfigOption.withDefault(
                    "kafka.topic.clicks",
                    ValueType.topic(),
                    "clicks",
                    "Topic the storefront click events (ClickEvent, keyed by customer id) are read from.");

    public static final ConfigOption<String> KAFKA_TOPIC_ORDERS =
            ConfigOption.withDefault(
                    "kafka.topic.orders",
                    ValueType.topic(),
                    "orders",
                    "Topic the order events (OrderEvent: placed, cancelled, refunded; keyed by customer id)"
                            + " are read from.");

    public static final ConfigOption<String> KAFKA_TOPIC_CONSENTS =
            ConfigOption.withDefault(
                    "kafka.topic.consents",
                    ValueType.topic(),
                    "consents",
                    "Topic the consent decisions (ConsentEvent: a purpose, for marketing a channel,"
                            + " granted or withdrawn; keyed by customer id) are read from. It may stay"
                            + " empty: privacy.*-consent-default then decides for everyone.");

    public static final ConfigOption<String> KAFKA_TOPIC_ERASURES =
            ConfigOption.withDefault(
                    "kafka.topic.erasures",
                    ValueType.topic(),
                    "erasure-requests",
                    "Topic the erasure requests (ErasureRequest, keyed by customer id; written by"
                            + " `personalize privacy erase` or the store's own tooling) are read from."
                            + " It may stay empty or not exist until the first request.");

    public static final ConfigOption<String> KAFKA_TOPIC_DEAD_LETTERS =
            ConfigOption.withDefault(
                    "kafka.topic.dead-letters",
                    ValueType.topic(),
                    "dead-letters",
                    "Topic that receives the source records the engine cannot use (undecodable, unknown"
                            + " schema, invalid), with the reason in headers, so that a bad record is kept for"
                            + " inspection and re-driving instead of stopping the job.");

    public static final ConfigOption<String> KAFKA_GROUP_ID =
            ConfigOption.withDefault(
                    "kafka.group-id",
                    ValueType.token("a consumer group id without spaces"),
                    "personalization-engine",
                    "Kafka consumer group of the engine's sources. Offsets are committed under it on each"
                            + " checkpoint, which is what lag monitoring and kafka.starting-offsets=committed"
                            + " read; two deployments reading the same topics need different groups.");

    public static final ConfigOption<StartingOffsets> KAFKA_STARTING_OFFSETS =
            ConfigOption.withDefault(
                    "kafka.starting-offsets",
                    ValueType.enumeration(StartingOffsets.values()),
                    "committed",
                    "Where the sources start when the job starts without a checkpoint or savepoint to"
                            + " restore (restored offsets always win): earliest, latest, or committed = the"
                            + " group's committed offsets, falling back to earliest for partitions where the"
                            + " group has none yet.");

    public static final ConfigOption<String> KAFKA_SECURITY_PROTOCOL =
            ConfigOption.withDefault(
                    "kafka.security.protocol",
                    ValueType.choice("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"),
                    "PLAINTEXT",
                    "How the clients talk to the brokers: PLAINTEXT (neither encrypted nor authenticated;"
                            + " local use only), SSL (TLS), SASL_PLAINTEXT (authenticated, not encrypted) or"
                            + " SASL_SSL (authenticated over TLS, usual for managed Kafka). Passed to Kafka as"
                            + " security.protocol.");

    public static final ConfigOption<Optional<String>> KAFKA_SASL_MECHANISM =
            ConfigOption.withDefault(
                    "kafka.sasl.mechanism",
                    optional(
                            ValueType.string(
                                    "a SASL mechanism name such as PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or"
                                            + " OAUTHBEARER",
                                    s -> s.matches("[A-Za-z0-9_-]+"))),
                    "",
                    "SASL mechanism for the SASL_* protocols, such as PLAIN or SCRAM-SHA-512. Unset leaves"
                            + " Kafka's default (GSSAPI). Passed to Kafka as sasl.mechanism.");

    public static final ConfigOption<Optional<Secret>> KAFKA_SASL_JAAS_CONFIG =
            ConfigOption.optionalSecret(
                    "kafka.sasl.jaas-config",
                    ValueType.jaasConfig(),
                    "JAAS login line with the SASL credentials. Passed to Kafka as sasl.jaas.config.");

    public static final ConfigOption<Optional<String>> KAFKA_SSL_TRUSTSTORE_LOCATION =
            ConfigOption.withDefault(
                    "kafka.ssl.truststore.location",
                    optional(ValueType.string("a file path", s -> !s.isEmpty())),
                    "",
                    "Trust store with the certificates of the CAs that signed the brokers' certificates, for"
                            + " SSL and SASL_SSL. Unset uses the JVM's default trust store, which is right for"
                            + " brokers with publicly signed certificates. Passed to Kafka as"
                            + " ssl.truststore.location.");

    public static final ConfigOption<Optional<Secret>> KAFKA_SSL_TRUSTSTORE_PASSWORD =
            ConfigOption.optionalSecret(
                    "kafka.ssl.truststore.password",
                    ValueType.password("a non-empty password"),
                    "Password of the trust store in kafka.ssl.truststore.location. Passed to Kafka as"
                            + " ssl.truststore.password.");

    // ---- Redis
    // ------------------------------------------------------------------------------------

    public static final ConfigOption<RedisMode> REDIS_MODE =
            ConfigOption.withDefault(
                    "redis.mode",
                    ValueType.enumeration(RedisMode.values()),
                    "standalone",
                    "standalone: one Redis server at redis.host and redis.port; cluster: a Redis Cluster"
                            + " found through redis.cluster.nodes.");

    public static final ConfigOption<String> REDIS_HOST =
            ConfigOption.withDefault(
                    "redis.host",
                    ValueType.token("a host name or IP address without spaces"),
                    "localhost",
                    "Host of the Redis server in standalone mode.");

    public static final ConfigOption<Integer> REDIS_PORT =
            ConfigOption.withDefault(
                    "redis.port",
                    integer(1, 65535),
                    "6379",
                    "Port of the Redis server in standalone mode.");

    public static final ConfigOption<List<String>> REDIS_CLUSTER_NODES =
            ConfigOption.withDefault(
                    "redis.cluster.nodes",
                    ValueType.hostPortList(HOST_PORTS + ", such as redis-1:6379,redis-2:6379"),
                    "",
                    "Seed nodes of the Redis Cluster as host:port pairs separated by commas; required when"
                            + " redis.mode=cluster. A few are enough: the client discovers the other nodes.");

    public static final ConfigOption<Optional<String>> REDIS_USER =
            ConfigOption.withDefault(
                    "redis.user",
                    optional(ValueType.token("a Redis ACL user name without spaces")),
                    "",
                    "ACL user to authenticate as (Redis 6 and later). Unset authenticates as the default"
                            + " user, with redis.password alone.");

    public static final ConfigOption<Optional<Secret>> REDIS_PASSWORD =
            ConfigOption.optionalSecret(
                    "redis.password",
                    ValueType.password("a non-empty password"),
                    "Password for Redis AUTH. Unset when Redis requires no authentication.");

    public static final ConfigOption<Boolean> REDIS_TLS =
            ConfigOption.withDefault(
                    "redis.tls",
                    ValueType.bool(),
                    "false",
                    "Connect to Redis over TLS, as most managed Redis services require. The server"
                            + " certificate must be signed by a CA in redis.tls.truststore.location (the"
                            + " JVM's default trust store when unset) and name the host connected to"
                            + " (redis.host or each cluster node), as for HTTPS.");

    public static final ConfigOption<Optional<String>> REDIS_TLS_TRUSTSTORE_LOCATION =
            ConfigOption.withDefault(
                    "redis.tls.truststore.location",
                    optional(ValueType.string("a file path", s -> !s.isEmpty())),
                    "",
                    "Trust store (PKCS12 or JKS) with the certificates of the CAs that signed the Redis"
                            + " servers' certificates, when redis.tls=true. Unset uses the JVM's default trust"
                            + " store, which is right for servers with publicly signed certificates. Read"
                            + " where the job's tasks run, when they connect.");

    public static final ConfigOption<Optional<Secret>> REDIS_TLS_TRUSTSTORE_PASSWORD =
            ConfigOption.optionalSecret(
                    "redis.tls.truststore.password",
                    ValueType.password("a non-empty password"),
                    "Password of the trust store in redis.tls.truststore.location. Unset reads the store"
                            + " without checking its integrity.");

    public static final ConfigOption<Duration> REDIS_TIMEOUT =
            ConfigOption.withDefault(
                    "redis.timeout",
                    // The upper bound is there because Jedis takes timeouts as int milliseconds,
                    // which
                    // overflow a little after 24 days.
                    duration(Duration.ofMillis(1), Duration.ofDays(24)),
                    "2s",
                    "Connect and read timeout of each Redis call. A call that takes longer fails instead of"
                            + " stalling the pipeline indefinitely.");

    public static final ConfigOption<String> REDIS_KEY_PREFIX =
            ConfigOption.withDefault(
                    "redis.key-prefix",
                    ValueType.string(
                            "a non-empty string without spaces, '{' or '}'",
                            s -> s.matches("[^\\s{}]+")),
                    "p13n",
                    "Prefix of every Redis key the engine writes, so that environments or deployments can"
                            + " share one Redis. Braces are not allowed because they would change which Redis"
                            + " Cluster slot a key hashes to.");

    public static final ConfigOption<Duration> REDIS_PROFILE_TTL =
            ConfigOption.withDefault(
                    "redis.profile-ttl",
                    duration(Duration.ofMinutes(1)),
                    "30d",
                    "Time to live of the per-customer keys in Redis, set again whenever the customer's data"
                            + " is written, so that customers who stopped coming back expire instead of filling"
                            + " Redis.");

    public static final ConfigOption<Integer> REDIS_BATCH_MAX_SIZE =
            ConfigOption.withDefault(
                    "redis.batch.max-size",
                    integer(1, 100_000),
                    "500",
                    "Most updates sent to Redis in one pipelined batch. Larger batches need fewer round"
                            + " trips but more memory and longer pauses per flush.");

    public static final ConfigOption<Duration> REDIS_BATCH_MAX_DELAY =
            ConfigOption.withDefault(
                    "redis.batch.max-delay",
                    duration(Duration.ofMillis(1)),
                    "200ms",
                    "Longest an update waits in a batch that is not full yet; bounds how stale Redis can"
                            + " be when traffic is low.");

    // ---- Checkpoints and state
    // --------------------------------------------------------------------

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            ConfigOption.withDefault(
                    "checkpoint.interval",
                    duration(Duration.ofMillis(100)),
                    "10s",
                    "How often Flink takes a checkpoint. Offers reach Redis and the offer-triggers topic"
                            + " only when the checkpoint covering them completes, so this is also how late a coupon"
                            + " can appear after its moment; 10s keeps that within seconds while incremental RocksDB"
                            + " checkpoints stay cheap. Shorter also means less to reprocess after a failure, at"
                            + " the cost of more checkpointing work.");

    public static final ConfigOption<String> CHECKPOINT_DIR =
            ConfigOption.withDefault(
                    "checkpoint.dir",
                    ValueType.uri(
                            "a URI with a scheme, such as file:///var/p13n/checkpoints, s3://bucket/path or"
                                    + " hdfs://namenode/path"),
                    "file:///tmp/p13n-checkpoints",
                    "Where checkpoints are stored, as a URI Flink understands. A file:// path only works on"
                            + " one machine or a shared mount; on a cluster use durable storage such as s3://"
                            + " or hdfs://, or the state is lost with the machine.");

    public static final ConfigOption<StateBackendKind> STATE_BACKEND =
            ConfigOption.withDefault(
                    "state.backend",
                    ValueType.enumeration(StateBackendKind.values()),
                    "rocksdb",
                    "Where Flink keeps keyed state: rocksdb (local disk, for state larger than memory,"
                            + " supports incremental checkpoints) or hashmap (JVM heap, faster, for small state"
                            + " and tests).");

    public static final ConfigOption<Boolean> STATE_ROCKSDB_TIMERS_ON_HEAP =
            ConfigOption.withDefault(
                    "state.rocksdb.timers-on-heap",
                    ValueType.bool(),
                    "true",
                    "With rocksdb, keep event-time and processing-time timers on the JVM heap instead of in"
                            + " RocksDB. Registering and deleting a timer in RocksDB is a write each, several per"
                            + " event; on the heap the engine drained 11 % more events per second (README,"
                            + " Benchmark). Costs about 100 bytes of heap per pending timer (a customer has one to"
                            + " three), checkpointed with the state.");

    public static final ConfigOption<Integer> STATE_ROCKSDB_UNCOMPRESSED_LEVELS =
            ConfigOption.withDefault(
                    "state.rocksdb.uncompressed-levels",
                    integer(0, 7),
                    "2",
                    "With rocksdb, how many of the first LSM levels are stored without compression (the rest"
                            + " Snappy). The first levels hold the recently written state the engine reads back"
                            + " at once; not compressing them saved 20 % of CPU per event (README, Benchmark) and"
                            + " costs disk and checkpoint bytes for that recent part only.");

    public static final ConfigOption<Integer> STATE_CACHE_MAX_ENTRIES =
            ConfigOption.withDefault(
                    "state.cache-max-entries",
                    integer(0, 1_000_000),
                    "4096",
                    "With rocksdb, how many decoded values each keyed state of the hot stages (profile,"
                            + " session trail, ranking requests, item popularity and neighbours, trending) keeps"
                            + " per subtask in a write-back heap cache: reads of a cached key skip RocksDB and"
                            + " Avro, writes reach RocksDB on eviction and before every checkpoint barrier, so"
                            + " checkpoints hold every change. A customer's clicks come in sessions of minutes"
                            + " and popular products are viewed every second, which is what the cache serves"
                            + " (README, Benchmark). Heap cost: about 2 to 10 KiB per cached profile or item"
                            + " neighbour list, so 4096 entries cost at most some 40 MiB per state and subtask."
                            + " 0 turns the caches off; with hashmap they are always off (the state is already"
                            + " on the heap).");

    public static final ConfigOption<Integer> STATE_LOCAL_MANAGED_MEMORY_MB =
            ConfigOption.withDefault(
                    "state.local-managed-memory-mb",
                    integer(64, 65_536),
                    "512",
                    "Managed memory, in MiB, of the Flink cluster that `run`, `demo` and `bench` start in"
                            + " the process: RocksDB's block cache and write buffers come out of it. Flink's"
                            + " local default (128 MiB) made every stage read its state back from disk. On a real"
                            + " cluster set taskmanager.memory.managed.* in the cluster's configuration instead;"
                            + " this option is then ignored.");

    public static final ConfigOption<Boolean> STATE_INCREMENTAL_CHECKPOINTS =
            ConfigOption.withDefault(
                    "state.incremental-checkpoints",
                    ValueType.bool(),
                    "true",
                    "With rocksdb, upload only what changed since the previous checkpoint instead of all"
                            + " state: far cheaper for large, slowly changing per-customer state. Ignored with"
                            + " hashmap.");

    public static final ConfigOption<Duration> STATE_CUSTOMER_TTL =
            ConfigOption.withDefault(
                    "state.customer-ttl",
                    duration(Duration.ofDays(1)),
                    "400d",
                    "How long Flink keeps a customer's state after it was last updated. Long on purpose: a"
                            + " customer's history must outlive a year of rolling loyalty spend, so the default"
                            + " is a year plus a margin.");

    // ---- Event time and validation
    // ----------------------------------------------------------------

    public static final ConfigOption<Duration> WATERMARK_OUT_OF_ORDERNESS =
            ConfigOption.withDefault(
                    "watermark.out-of-orderness",
                    duration(Duration.ZERO),
                    "5s",
                    "How far behind the newest event time seen the watermark trails, that is how late an"
                            + " event may arrive and still be in order for event-time timers. Larger tolerates"
                            + " more disorder but delays every event-time result by as much.");

    public static final ConfigOption<Duration> WATERMARK_IDLE_TIMEOUT =
            ConfigOption.withDefault(
                    "watermark.idle-timeout",
                    duration(Duration.ofSeconds(1)),
                    "30s",
                    "A source partition without events for this long is marked idle, so that a quiet"
                            + " partition does not hold back the watermark, and with it every timer, of the"
                            + " whole job.");

    public static final ConfigOption<Duration> VALIDATION_MAX_FUTURE_SKEW =
            ConfigOption.withDefault(
                    "validation.max-future-skew",
                    duration(Duration.ZERO),
                    "5m",
                    "Events stamped further in the future than this, compared with the engine's clock, are"
                            + " rejected as invalid: storefront clocks drift a little, anything beyond is a bug"
                            + " and would drag the watermark ahead of every live event.");

    public static final ConfigOption<Integer> DEDUP_WINDOW_SIZE =
            ConfigOption.withDefault(
                    "dedup.window-size",
                    integer(1, 1024),
                    "32",
                    "How many recent event ids are remembered per customer to drop duplicates (producers"
                            + " that retry resend the same id). A duplicate arriving after more than this many"
                            + " newer events of the same customer is not recognised.");

    public static final ConfigOption<Duration> DEDUP_TTL =
            ConfigOption.withDefault(
                    "dedup.ttl",
                    duration(Duration.ofMinutes(1)),
                    "1d",
                    "How long a customer's remembered event ids are kept after their last event; a retry"
                            + " arriving later than this is not recognised as a duplicate.");

    // ---- Identity merge
    // ---------------------------------------------------------------------------

    public static final ConfigOption<String> KAFKA_TOPIC_IDENTITIES =
            ConfigOption.withDefault(
                    "kafka.topic.identities",
                    ValueType.topic(),
                    "identities",
                    "Topic the identifications (IdentifyEvent: an anonymous or device id is a known"
                            + " customer; keyed by the anonymous id) are read from. It may stay empty or"
                            + " not exist: nothing is merged then.");

    public static final ConfigOption<String> KAFKA_TOPIC_IDENTITY_HAND_OFFS =
            ConfigOption.withDefault(
                    "kafka.topic.identity-hand-offs",
                    ValueType.topic(),
                    "identity-hand-offs",
                    "Internal topic the engine writes to and reads back: a merged-away profile on its"
                            + " way to the id it merges into, and events still carrying a merged-away id."
                            + " Written in one transaction per checkpoint, read committed. The engine"
                            + " creates it at start if it may (partitions as the clicks topic).");

    public static final ConfigOption<IdentitySurvivor> IDENTITY_SURVIVING_ID =
            ConfigOption.withDefault(
                    "identity.surviving-id",
                    ValueType.enumeration(IdentitySurvivor.values()),
                    "known",
                    "Which id keeps the profile when an identification merges two: known (the customer"
                            + " id; the anonymous profile is merged into it) or anonymous (the device id"
                            + " keeps it, for a store that keys everything by device).");

    public static final ConfigOption<List<String>> IDENTITY_JUNK_IDS =
            ConfigOption.withDefault(
                    "identity.junk-ids",
                    ValueType.tokenList("a comma-separated list of ids without spaces", 0),
                    "0,anonymous,null,undefined,guest,unknown",
                    "Ids an identification may not merge (compared ignoring case): placeholders a"
                            + " storefront sends when it has no real id. Merging them would pour every"
                            + " visitor's history into one profile. Such identifications are refused and"
                            + " counted; an empty id is invalid and dead-lettered.");

    public static final ConfigOption<List<String>> IDENTITY_TRUSTED_SOURCES =
            ConfigOption.withDefault(
                    "identity.trusted-sources",
                    ValueType.tokenList("a comma-separated list of at least one source", 1),
                    "login,checkout,pos",
                    "The IdentifyEvent sources that may merge (compared ignoring case), e.g. a login,"
                            + " a checkout with an account, a loyalty card at a store's till. An"
                            + " identification from any other source (a newsletter link, a form anyone can"
                            + " fill in) is refused and counted: it could join a stranger's history to a"
                            + " customer.");

    public static final ConfigOption<Integer> IDENTITY_MAX_ANONYMOUS_IDS =
            ConfigOption.withDefault(
                    "identity.max-anonymous-ids",
                    integer(1, 1000),
                    "20",
                    "Most ids merged into one customer within state.customer-ttl. A person has a few"
                            + " browsers and devices and clears cookies now and then; far more means a"
                            + " shared account (a till's staff login identifying every walk-in) whose"
                            + " merges would be wrong. Past it a merge is refused and counted, and the"
                            + " anonymous profile goes back to its id. It also bounds the list of merged"
                            + " ids the profile keeps (about 80 bytes each).");

    // ---- Customer intelligence (profile bounds, affinity, loyalty, segments, churn)
    // ---------------

    public static final ConfigOption<String> KAFKA_TOPIC_SEGMENT_CHANGES =
            ConfigOption.withDefault(
                    "kafka.topic.segment-changes",
                    ValueType.topic(),
                    "segment-changes",
                    "Topic the engine writes lifecycle segment changes to (SegmentChange, keyed by customer"
                            + " id), for marketing systems.");

    public static final ConfigOption<String> KAFKA_TOPIC_CHURN_SIGNALS =
            ConfigOption.withDefault(
                    "kafka.topic.churn-signals",
                    ValueType.topic(),
                    "churn-signals",
                    "Topic the engine writes churn signals to (ChurnSignal: at-risk, churned, reactivated,"
                            + " cart abandoned; keyed by customer id), which retention offers trigger on.");

    public static final ConfigOption<Integer> PROFILE_RECENTLY_VIEWED_MAX =
            ConfigOption.withDefault(
                    "profile.recently-viewed-max",
                    integer(1, 200),
                    "20",
                    "Recently viewed products kept per customer, newest first. 20 covers a few sessions of"
                            + " browsing, which is what the storefront shows and recommendations start from.");

    public static final ConfigOption<Integer> PROFILE_PURCHASED_MAX =
            ConfigOption.withDefault(
                    "profile.purchased-max",
                    integer(1, 500),
                    "30",
                    "Purchased products kept per customer, newest first, to avoid recommending what they just"
                            + " bought. 30 is more than a year of orders for nearly every customer.");

    public static final ConfigOption<Integer> CART_MAX_ITEMS =
            ConfigOption.withDefault(
                    "cart.max-items",
                    integer(1, 500),
                    "50",
                    "Distinct products kept in a customer's open cart; beyond it the oldest line is dropped."
                            + " Real carts rarely exceed 20, so this bounds state against bots.");

    public static final ConfigOption<Duration> CART_ABANDON_AFTER =
            ConfigOption.withDefault(
                    "cart.abandon-after",
                    duration(Duration.ofMinutes(1)),
                    "1h",
                    "A cart with items and no order for this long (event time since the last cart change)"
                            + " fires one CART_ABANDONED signal; an order or an emptied cart cancels it.");

    public static final ConfigOption<Duration> AFFINITY_HALF_LIFE =
            ConfigOption.withDefault(
                    "affinity.half-life",
                    duration(Duration.ofHours(1)),
                    "14d",
                    "Half-life of category interest: an interaction counts half as much after this long, so"
                            + " last season's interests fade.");

    public static final ConfigOption<Integer> AFFINITY_TOP_N =
            ConfigOption.withDefault(
                    "affinity.top-n",
                    integer(1, 100),
                    "10",
                    "Categories kept per customer, by decayed interest; the weakest is dropped for a new one.");

    public static final ConfigOption<Double> AFFINITY_WEIGHT_VIEW =
            ConfigOption.withDefault(
                    "affinity.weight.view",
                    ValueType.decimal(0, 1000),
                    "1",
                    "Interest one product view adds to its category.");

    public static final ConfigOption<Double> AFFINITY_WEIGHT_CART =
            ConfigOption.withDefault(
                    "affinity.weight.cart",
                    ValueType.decimal(0, 1000),
                    "3",
                    "Interest one add-to-cart (or wishlist) adds to its category.");

    public static final ConfigOption<Double> AFFINITY_WEIGHT_PURCHASE =
            ConfigOption.withDefault(
                    "affinity.weight.purchase",
                    ValueType.decimal(0, 1000),
                    "5",
                    "Interest one purchased order line adds to its category.");

    // ---- Searches (README, Searches) ------------------------------------------------------------

    public static final ConfigOption<Duration> SEARCHES_ATTRIBUTION_WINDOW =
            ConfigOption.withDefault(
                    "searches.attribution-window",
                    duration(Duration.ofSeconds(10), Duration.ofDays(1)),
                    "10m",
                    "Product views this long after a search, in the same session, are the searcher's"
                            + " answer to it: their categories gain searches.affinity-weight of interest and"
                            + " the query is remembered with the category most of them were in. Ten minutes"
                            + " covers looking through results; later views are browsing again.");

    public static final ConfigOption<Integer> SEARCHES_MAX_VIEWS =
            ConfigOption.withDefault(
                    "searches.max-views",
                    integer(1, 50),
                    "5",
                    "Views credited to one search, the first ones: a shopper who opens 40 results"
                            + " still answered one query, and the cap bounds the burst's list of categories"
                            + " in the profile.");

    public static final ConfigOption<Double> SEARCHES_AFFINITY_WEIGHT =
            ConfigOption.withDefault(
                    "searches.affinity-weight",
                    ValueType.decimal(0, 1000),
                    "2",
                    "Interest a view that answers a search adds to its category on top of the view's"
                            + " own (affinity.weight.view), and what a repeat of a remembered query adds to"
                            + " its category without a view. 2 makes an answered search count as much as a"
                            + " cart add; 0 learns nothing from searches.");

    public static final ConfigOption<Integer> SEARCHES_MAX_QUERIES =
            ConfigOption.withDefault(
                    "searches.max-queries",
                    integer(1, 100),
                    "10",
                    "Queries remembered per customer (a 64-bit hash and a category, ~30 bytes each), the"
                            + " most recently used; a customer's distinct searches within the TTL rarely"
                            + " exceed a handful, and the cap keeps a bot's thousands out of the profile.");

    public static final ConfigOption<Duration> SEARCHES_QUERY_TTL =
            ConfigOption.withDefault(
                    "searches.query-ttl",
                    duration(Duration.ofHours(1), Duration.ofDays(365)),
                    "30d",
                    "A remembered query is forgotten this long after it was last learned or repeated:"
                            + " a month covers a considered purchase searched again over weeks; older intent"
                            + " says little now.");

    public static final ConfigOption<Duration> SEARCHES_NO_PURCHASE_AFTER =
            ConfigOption.withDefault(
                    "searches.no-purchase-after",
                    duration(Duration.ofMinutes(1), Duration.ofDays(7)),
                    "1h",
                    "A search burst (the searches of one visit) with no order for this long after its"
                            + " latest search (event time) is one SEARCHED_NOT_BOUGHT moment for campaigns;"
                            + " an order since its first search cancels it.");

    public static final ConfigOption<Double> LOYALTY_POINTS_PER_UNIT =
            ConfigOption.withDefault(
                    "loyalty.points-per-unit",
                    ValueType.decimal(0, 1000),
                    "1",
                    "Loyalty points per unit of currency of a placed order's total (rounded down); the same"
                            + " points are taken back when the order is cancelled or refunded.");

    public static final ConfigOption<Double> LOYALTY_TIER_SILVER =
            ConfigOption.withDefault(
                    "loyalty.tier.silver",
                    ValueType.decimal(0, 1e12),
                    "250",
                    "Rolling 12-month net spend from which a customer is SILVER (below it: BRONZE).");

    public static final ConfigOption<Double> LOYALTY_TIER_GOLD =
            ConfigOption.withDefault(
                    "loyalty.tier.gold",
                    ValueType.decimal(0, 1e12),
                    "1000",
                    "Rolling 12-month net spend from which a customer is GOLD; must exceed the silver one.");

    public static final ConfigOption<Double> LOYALTY_TIER_PLATINUM =
            ConfigOption.withDefault(
                    "loyalty.tier.platinum",
                    ValueType.decimal(0, 1e12),
                    "5000",
                    "Rolling 12-month net spend from which a customer is PLATINUM; must exceed the gold one.");

    public static final ConfigOption<Duration> SEGMENT_NEW_PERIOD =
            ConfigOption.withDefault(
                    "segment.new-period",
                    duration(Duration.ofDays(1)),
                    "30d",
                    "A customer whose first purchase is more recent than this is NEW.");

    public static final ConfigOption<Integer> SEGMENT_LOYAL_MIN_PURCHASES =
            ConfigOption.withDefault(
                    "segment.loyal-min-purchases",
                    integer(2, 1000),
                    "3",
                    "Purchase days (same-day orders count once) from which a recent buyer is LOYAL.");

    public static final ConfigOption<Double> SEGMENT_HIGH_VALUE_SPEND =
            ConfigOption.withDefault(
                    "segment.high-value-spend",
                    ValueType.decimal(0, 1e12),
                    "1000",
                    "Rolling 12-month net spend from which a recent buyer is HIGH_VALUE.");

    public static final ConfigOption<Double> SEGMENT_AT_RISK_FACTOR =
            ConfigOption.withDefault(
                    "segment.at-risk-factor",
                    ValueType.decimal(1, 100),
                    "2.5",
                    "A repeat buyer is AT_RISK after this many of their own typical gaps between purchases"
                            + " without one (never sooner than segment.at-risk-min).");

    public static final ConfigOption<Double> SEGMENT_CHURN_FACTOR =
            ConfigOption.withDefault(
                    "segment.churn-factor",
                    ValueType.decimal(1, 1000),
                    "5",
                    "A repeat buyer is CHURNED after this many typical gaps without a purchase; must exceed"
                            + " segment.at-risk-factor.");

    public static final ConfigOption<Duration> SEGMENT_AT_RISK_MIN =
            ConfigOption.withDefault(
                    "segment.at-risk-min",
                    duration(Duration.ofDays(1)),
                    "14d",
                    "Shortest silence that makes anyone AT_RISK, so a customer who bought twice in one week"
                            + " is not at risk a fortnight later.");

    public static final ConfigOption<Duration> SEGMENT_AT_RISK_DEFAULT =
            ConfigOption.withDefault(
                    "segment.at-risk-default",
                    duration(Duration.ofDays(1)),
                    "60d",
                    "Silence after which a customer with a single purchase day (no rhythm of their own yet)"
                            + " is AT_RISK.");

    public static final ConfigOption<Duration> SEGMENT_CHURN_DEFAULT =
            ConfigOption.withDefault(
                    "segment.churn-default",
                    duration(Duration.ofDays(1)),
                    "180d",
                    "Silence after which a customer with a single purchase day is CHURNED; must exceed"
                            + " segment.at-risk-default.");

    public static final ConfigOption<Double> CHURN_P_ALIVE_AT_RISK =
            ConfigOption.withDefault(
                    "churn.p-alive-at-risk",
                    ValueType.decimal(0, 1),
                    "0.3",
                    "A repeat buyer whose BG/NBD probability of still being active falls below this is"
                            + " AT_RISK even before the silence rule says so.");

    public static final ConfigOption<Optional<String>> CHURN_MODEL_FILE =
            ConfigOption.withDefault(
                    "churn.model-file",
                    optional(ValueType.string("a file path", s -> !s.isEmpty())),
                    "",
                    "BG/NBD parameters written by `personalize churn fit` (r, alpha, a, b in weeks). Unset"
                            + " uses the parameters Fader, Hardie & Lee (2005) published for CDNOW; fit your own"
                            + " store's history for meaningful P(alive).");

    public static final ConfigOption<Duration> CHURN_RESCORE_INTERVAL =
            ConfigOption.withDefault(
                    "churn.rescore-interval",
                    duration(Duration.ofHours(1)),
                    "7d",
                    "A quiet customer's churn score is recomputed this often (an event-time timer, no scans),"
                            + " besides at each segment deadline, until they churn.");

    // ---- Recommendations
    // --------------------------------------------------------------------------

    public static final ConfigOption<Integer> RECOMMEND_TRAIL_LENGTH =
            ConfigOption.withDefault(
                    "recommend.trail-length",
                    integer(1, 100),
                    "10",
                    "Product ids kept per customer for the current session trail (the predecessors of the next"
                            + " view). 10 covers the median session several times over while bounding state to a"
                            + " few hundred bytes per customer.");

    public static final ConfigOption<Integer> RECOMMEND_MAX_PREDECESSOR_DISTANCE =
            ConfigOption.withDefault(
                    "recommend.max-predecessor-distance",
                    integer(1, 100),
                    "3",
                    "How many earlier items of the session a view links to; the link at distance d weighs 1/d."
                            + " Each view fans out to at most this many neighbour-state updates (plus one for its"
                            + " backward links), so it bounds the per-event cost of the neighbour stage. 3 with 60"
                            + " candidates and 30 published measured 0.6594 HR@20 / 0.3707 MRR@20 on the YooChoose"
                            + " validation split against 0.6621 / 0.3706 for 5 / 100 / 50, at about half the state"
                            + " work per view.");

    public static final ConfigOption<Double> RECOMMEND_BACKWARD_WEIGHT =
            ConfigOption.withDefault(
                    "recommend.backward-weight",
                    ValueType.decimal(0, 1),
                    "0.5",
                    "A view also links each predecessor back to it with this share of the forward weight: what"
                            + " was viewed before an item relates to it too. On the YooChoose validation split 0.5"
                            + " and 0.75 scored best (HR@20 0.662); 0.25 lost 0.3 points, 0 lost 2, 1 lost MRR.");

    public static final ConfigOption<Duration> RECOMMEND_SESSION_TIMEOUT =
            ConfigOption.withDefault(
                    "recommend.session-timeout",
                    duration(Duration.ofSeconds(1)),
                    "30m",
                    "A gap longer than this (or a new session id) starts a new trail: items seen in different"
                            + " visits are weaker evidence of similarity. 30 minutes is the usual web-analytics session.");

    public static final ConfigOption<Double> RECOMMEND_WEIGHT_CART =
            ConfigOption.withDefault(
                    "recommend.weight.cart",
                    ValueType.decimal(0, 1000),
                    "2",
                    "Weight of an add-to-cart (or wishlist) relative to a product view (1) in popularity and"
                            + " co-occurrence.");

    public static final ConfigOption<Double> RECOMMEND_WEIGHT_PURCHASE =
            ConfigOption.withDefault(
                    "recommend.weight.purchase",
                    ValueType.decimal(0, 1000),
                    "3",
                    "Weight of a purchased order line relative to a product view (1); the lines of one order"
                            + " link to each other (bought together).");

    public static final ConfigOption<Duration> RECOMMEND_NEIGHBOURS_HALF_LIFE =
            ConfigOption.withDefault(
                    "recommend.neighbours.half-life",
                    duration(Duration.ofMinutes(1)),
                    "30d",
                    "Half-life of co-occurrence evidence: a pair seen this long ago counts half as much as a"
                            + " fresh one, so assortment and season changes show within weeks.");

    public static final ConfigOption<Integer> RECOMMEND_MAX_CANDIDATES =
            ConfigOption.withDefault(
                    "recommend.max-candidates",
                    integer(1, 10_000),
                    "60",
                    "Candidate neighbours kept per item (the one with the smallest decayed weight is evicted"
                            + " for a new one). Twice the published list, so a rising pair can enter before it is"
                            + " ranked; a full list is ~2.7 KB in RocksDB (100k items: ~0.27 GB, 1M items: ~2.7 GB"
                            + " across the cluster), read and written on every view that links to the item."
                            + " 200 measured no better on the YooChoose validation split.");

    public static final ConfigOption<Integer> RECOMMEND_SIMILAR_SIZE =
            ConfigOption.withDefault(
                    "recommend.similar-size",
                    integer(1, 1_000),
                    "30",
                    "Neighbours published per item (the serving list in Redis, ~2.7 KB of JSON). The ranker"
                            + " merges the lists of several recent items into 20 recommendations; 30 leaves room for"
                            + " exclusions and the per-category cap (20 lost 0.2 point of HR@20 on the YooChoose"
                            + " validation split, 50 gained 0.3 at twice the bytes).");

    public static final ConfigOption<Double> RECOMMEND_POPULARITY_EXPONENT =
            ConfigOption.withDefault(
                    "recommend.popularity-exponent",
                    ValueType.decimal(0, 2),
                    "0.1",
                    "alpha: a neighbour's score is its co-occurrence weight / popularity^alpha, so items popular"
                            + " everywhere do not drown specific pairs. 0 ranks by raw co-occurrence, 1 by lift. On the"
                            + " YooChoose validation split 0 to 0.25 score alike and 0.5 and above lose (1: MRR@20"
                            + " 0.19 against 0.33): next clicks go to popular items, so only a light touch pays.");

    public static final ConfigOption<Duration> RECOMMEND_POPULARITY_HALF_LIFE =
            ConfigOption.withDefault(
                    "recommend.popularity.half-life",
                    duration(Duration.ofMinutes(1)),
                    "1d",
                    "Half-life of item popularity (trending lists and the normaliser above): trending should"
                            + " follow today's demand, not last month's.");

    public static final ConfigOption<Integer> RECOMMEND_TRENDING_SIZE =
            ConfigOption.withDefault(
                    "recommend.trending-size",
                    integer(1, 1_000),
                    "50",
                    "Items published per trending list (per category and overall); enough to fill a"
                            + " 20-item list after exclusions.");

    public static final ConfigOption<Integer> RECOMMEND_TRENDING_CANDIDATES =
            ConfigOption.withDefault(
                    "recommend.trending-candidates",
                    integer(1, 100_000),
                    "200",
                    "Items tracked per trending list (state; the weakest is evicted). Four times the published"
                            + " size, so an item climbing the ranking is already tracked; ~10 KB per category.");

    public static final ConfigOption<Integer> RECOMMEND_SIZE =
            ConfigOption.withDefault(
                    "recommend.size",
                    integer(1, 200),
                    "20",
                    "Recommendations published per customer.");

    public static final ConfigOption<Integer> RECOMMEND_RECENT_ITEMS =
            ConfigOption.withDefault(
                    "recommend.recent-items",
                    integer(1, 100),
                    "10",
                    "How many of the customer's most recent items seed candidates (one similar list read each);"
                            + " item i (0 = most recent) weighs 1/(i+1), so older items mostly break ties. 10 beat 5"
                            + " by 0.2-0.4 points of HR@20 on the YooChoose validation split; 3 lost 0.3.");

    public static final ConfigOption<Double> RECOMMEND_REVISIT_WEIGHT =
            ConfigOption.withDefault(
                    "recommend.revisit-weight",
                    ValueType.decimal(0, 100),
                    "1.5",
                    "A recently viewed item that is not excluded (see recommend.exclude-recently-viewed) is"
                            + " a candidate itself, scored this x its recency weight; the best neighbour of the most"
                            + " recent item scores 1. Shoppers return to what they saw: on the YooChoose validation"
                            + " split 1.5 raised HR@20 from 0.63 to 0.66 and MRR@20 from 0.35 to 0.37 (0 = off).");

    public static final ConfigOption<Double> RECOMMEND_CATEGORY_BOOST =
            ConfigOption.withDefault(
                    "recommend.category-boost",
                    ValueType.decimal(0, 100),
                    "0.5",
                    "A candidate's score is multiplied by 1 + boost x (its category's affinity / the top"
                            + " affinity): at most 1.5x with the default, enough to reorder near-ties only.");

    public static final ConfigOption<Integer> RECOMMEND_PER_CATEGORY_CAP =
            ConfigOption.withDefault(
                    "recommend.per-category-cap",
                    integer(1, 200),
                    "5",
                    "At most this many recommendations per category (items without one are not capped), so"
                            + " one category cannot fill the list.");

    public static final ConfigOption<Integer> RECOMMEND_EXCLUDE_RECENTLY_VIEWED =
            ConfigOption.withDefault(
                    "recommend.exclude-recently-viewed",
                    integer(0, 100),
                    "3",
                    "The customer's last N viewed items are not recommended (they are on screen already);"
                            + " items in the cart and recently purchased are always excluded.");

    public static final ConfigOption<Duration> RECOMMEND_COALESCE_INTERVAL =
            ConfigOption.withDefault(
                    "recommend.coalesce-interval",
                    duration(Duration.ofMillis(100)),
                    "5s",
                    "A changed serving list (similar items, trending, a customer's recommendations) is"
                            + " published at most once per this interval: popular keys change on every event, and"
                            + " Redis needs only the latest.");

    public static final ConfigOption<Duration> RECOMMEND_SIMILAR_TTL =
            ConfigOption.withDefault(
                    "recommend.similar-ttl",
                    duration(Duration.ofMinutes(1)),
                    "30d",
                    "Redis TTL of an item's similar list: an item nobody views for the co-occurrence half-life"
                            + " has stale neighbours anyway.");

    public static final ConfigOption<Duration> RECOMMEND_TRENDING_TTL =
            ConfigOption.withDefault(
                    "recommend.trending-ttl",
                    duration(Duration.ofMinutes(1)),
                    "2d",
                    "Redis TTL of a trending list: two popularity half-lives, after which it says little.");

    public static final ConfigOption<Duration> RECOMMEND_RECOMMENDATIONS_TTL =
            ConfigOption.withDefault(
                    "recommend.recommendations-ttl",
                    duration(Duration.ofSeconds(1)),
                    "30d",
                    "Redis TTL of a customer's recommendations; a returning customer gets fresh ones with the"
                            + " first event.");
    // ---- Offers (retention coupons and marketing campaigns)
    // ---------------------------------------

    public static final ConfigOption<String> KAFKA_TOPIC_CATALOG =
            ConfigOption.withDefault(
                    "kafka.topic.catalog",
                    ValueType.topic(),
                    "catalog",
                    "Topic the product catalog changes (CatalogEvent: price, stock, category, active;"
                            + " keyed by product id) are read from. It may stay empty: every product then"
                            + " counts as available and no price-drop or back-in-stock moment fires.");

    public static final ConfigOption<String> KAFKA_TOPIC_REVIEWS =
            ConfigOption.withDefault(
                    "kafka.topic.reviews",
                    ValueType.topic(),
                    "reviews",
                    "Topic the product reviews and ratings (ReviewEvent; keyed by customer id) are read"
                            + " from. It may stay empty or not exist: no service-recovery moments, review"
                            + " points or product ratings then.");

    public static final ConfigOption<Integer> REVIEWS_LOW_RATING =
            ConfigOption.withDefault(
                    "reviews.low-rating",
                    integer(1, 4),
                    "2",
                    "A rating at or below this many stars is a SERVICE_RECOVERY moment for the reviewer,"
                            + " raised on the review itself (within seconds). 2: one and two stars, the"
                            + " ratings of a disappointed customer (three is lukewarm, not a complaint).");

    public static final ConfigOption<Integer> REVIEWS_POINTS =
            ConfigOption.withDefault(
                    "reviews.points",
                    integer(0, 1_000_000),
                    "50",
                    "Loyalty points for the first review of a product the customer bought (among their"
                            + " profile.purchased-max remembered purchases), whatever the rating: points"
                            + " only for praise would buy it. Once per product; 0: reviews earn nothing.");

    public static final ConfigOption<Duration> REVIEWS_PROMOTION_PAUSE =
            ConfigOption.withDefault(
                    "reviews.promotion-pause",
                    duration(Duration.ZERO, Duration.ofDays(365)),
                    "14d",
                    "After a SERVICE_RECOVERY moment, decisions of campaigns with any other trigger are"
                            + " SUPPRESSED for this long (event time), while service-recovery campaigns"
                            + " still fire: a customer who just complained hears about the complaint, not"
                            + " a sale. 0: no pause.");

    public static final ConfigOption<Double> REVIEWS_RATING_PRIOR_MEAN =
            ConfigOption.withDefault(
                    "reviews.rating-prior-mean",
                    ValueType.decimal(1, 5),
                    "4.0",
                    "The rating ranking assumes for a product before its reviews say otherwise (the"
                            + " Bayesian average's prior). Online ratings are J-shaped, most products"
                            + " average about 4 stars; set it to the store's own average.");

    public static final ConfigOption<Double> REVIEWS_RATING_PRIOR_WEIGHT =
            ConfigOption.withDefault(
                    "reviews.rating-prior-weight",
                    ValueType.decimal(0, 10_000),
                    "10",
                    "How many reviews the prior counts as: a product's Bayesian-average rating is"
                            + " (weight x prior mean + sum of stars) / (weight + reviews). 10: three"
                            + " one-star reviews leave a product at 3.3 stars, twenty at 1.5 pull it to"
                            + " 2.3.");

    public static final ConfigOption<Double> REVIEWS_DEMOTE_BELOW =
            ConfigOption.withDefault(
                    "reviews.demote-below",
                    ValueType.decimal(1, 5),
                    "3.0",
                    "Ranking multiplies the score of a product whose Bayesian-average rating is below"
                            + " this by rating / this (at least 1/5); other products, and products without"
                            + " reviews, rank as before. Ratings never promote. 1: ratings never demote (and ranking"
                            + " reads none).");

    public static final ConfigOption<String> KAFKA_TOPIC_CUSTOMER_ATTRIBUTES =
            ConfigOption.withDefault(
                    "kafka.topic.customer-attributes",
                    ValueType.topic(),
                    "customer-attributes",
                    "Topic the customers' stated attributes (CustomerAttributesEvent: birthday, time zone,"
                            + " signup date, preferred channel; keyed by customer id) are read from. It may stay"
                            + " empty or not exist: no birthday or anniversary moments, and every customer"
                            + " lives in customers.default-time-zone.");

    public static final ConfigOption<Optional<DailyWindow>> OFFERS_QUIET_HOURS_PUSH =
            ConfigOption.withDefault(
                    "offers.quiet-hours.push",
                    ValueType.optional(ValueType.dailyWindow()),
                    "21:00-08:00",
                    "Quiet hours of push offers, in the customer's local time (their stated time zone,"
                            + " else customers.default-time-zone): an offer decided in them is held and"
                            + " delivered when they end, its validity counted from then. A phone that buzzes"
                            + " at night is how an app loses its notification permission. Empty: none.");

    public static final ConfigOption<Optional<DailyWindow>> OFFERS_QUIET_HOURS_SMS =
            ConfigOption.withDefault(
                    "offers.quiet-hours.sms",
                    ValueType.optional(ValueType.dailyWindow()),
                    "21:00-08:00",
                    "Quiet hours of SMS offers, in the customer's local time, like"
                            + " offers.quiet-hours.push; many countries restrict marketing texts at night."
                            + " Empty: none.");

    public static final ConfigOption<Optional<DailyWindow>> OFFERS_QUIET_HOURS_EMAIL =
            ConfigOption.withDefault(
                    "offers.quiet-hours.email",
                    ValueType.optional(ValueType.dailyWindow()),
                    "",
                    "Quiet hours of email offers, in the customer's local time, like"
                            + " offers.quiet-hours.push. None by default: an email waits in the inbox until it"
                            + " is read. Onsite offers are never held (the storefront shows them while the"
                            + " customer is there).");

    public static final ConfigOption<java.time.ZoneId> CUSTOMERS_DEFAULT_TIME_ZONE =
            ConfigOption.withDefault(
                    "customers.default-time-zone",
                    ValueType.zoneId(),
                    "UTC",
                    "Time zone of customers who stated none: their local dates (birthdays,"
                            + " anniversaries) and quiet hours are reckoned in it. Set it to the store's"
                            + " own zone when most customers live there.");

    public static final ConfigOption<Integer> CUSTOMERS_BIRTHDAY_LEAD_DAYS =
            ConfigOption.withDefault(
                    "customers.birthday-lead-days",
                    integer(0, 31),
                    "0",
                    "Days before a customer's birthday its BIRTHDAY moment fires, at the start of that"
                            + " local day: 0 fires at midnight starting the birthday; 7 lets a campaign greet"
                            + " the birthday week. At most 31 (a birthday month); signup anniversaries always"
                            + " fire on the day.");

    public static final ConfigOption<Duration> CATALOG_WATCH_PERIOD =
            ConfigOption.withDefault(
                    "catalog.watch-period",
                    duration(Duration.ofHours(1), Duration.ofDays(365)),
                    "14d",
                    "How long a customer who viewed, wishlisted or carted a product hears of its price"
                            + " drops and restocks. Two weeks covers a considered purchase; interest older"
                            + " than that rarely converts and the message reads as spam.");

    public static final ConfigOption<Integer> CATALOG_MAX_WATCHERS =
            ConfigOption.withDefault(
                    "catalog.max-watchers",
                    integer(1, 100_000),
                    "200",
                    "Watchers kept per product, the most recent (past it the map is pruned to three"
                            + " quarters of it). Bounds both the product's state (a map entry of ~40 bytes"
                            + " per watcher: 200 is ~8 KB for the hottest products; an interest writes one"
                            + " entry) and the fan-out of one price change (200 moments, each still capped"
                            + " per customer by offers.frequency-cap).");

    public static final ConfigOption<Double> CATALOG_MIN_PRICE_DROP =
            ConfigOption.withDefault(
                    "catalog.min-price-drop",
                    ValueType.decimal(0.001, 0.99),
                    "0.05",
                    "Smallest relative price cut that is a price-drop moment (0.05: at least 5 % below the"
                            + " last catalog price). Smaller changes are rounding and repricing noise that"
                            + " no customer would call a drop.");

    public static final ConfigOption<Integer> CATALOG_MAX_UNAVAILABLE =
            ConfigOption.withDefault(
                    "catalog.max-unavailable",
                    integer(1, 10_000_000),
                    "200000",
                    "Unavailable (out-of-stock or inactive) products remembered by the stages that"
                            + " publish lists, to leave them out. Every such subtask holds the whole set"
                            + " (~60 bytes each: 200,000 is ~12 MB); past it the longest-unavailable products"
                            + " are forgotten first (they have long dropped out of the lists anyway).");

    public static final ConfigOption<String> KAFKA_TOPIC_CAMPAIGNS =
            ConfigOption.withDefault(
                    "kafka.topic.campaigns",
                    ValueType.topic(),
                    "campaigns",
                    "Topic of campaign definitions (Campaign, keyed by campaign id; `personalize campaign`"
                            + " writes it). Read from the beginning and broadcast: the latest version of each"
                            + " campaign wins. Make it compacted.");

    public static final ConfigOption<String> KAFKA_TOPIC_OFFER_TRIGGERS =
            ConfigOption.withDefault(
                    "kafka.topic.offer-triggers",
                    ValueType.topic(),
                    "offer-triggers",
                    "Topic the engine writes the offers it sends to (OfferDecision, outcome SENT, keyed by"
                            + " customer id), exactly once, for messaging systems (email, push). Held-out"
                            + " (control group) decisions are not written here; they are counted in the campaign"
                            + " stats.");

    public static final ConfigOption<Double> OFFERS_CONTROL_SHARE =
            ConfigOption.withDefault(
                    "offers.control-group.share",
                    ValueType.decimal(0, 1),
                    "0.1",
                    "Share of each campaign's customers held out of it (decided by a salted hash of campaign"
                            + " and customer id, so always the same customers for a campaign, drawn independently"
                            + " per campaign): their offers are recorded, not sent, to measure the campaign's"
                            + " lift.");

    public static final ConfigOption<String> OFFERS_CONTROL_SALT =
            ConfigOption.withDefault(
                    "offers.control-group.salt",
                    ValueType.string("a non-empty string", s -> !s.isEmpty()),
                    "p13n-control-1",
                    "Salt of the control-group hashes (campaign and global). Changing it reshuffles who is"
                            + " in the control groups.");

    public static final ConfigOption<Double> OFFERS_GLOBAL_CONTROL_SHARE =
            ConfigOption.withDefault(
                    "offers.global-control.share",
                    ValueType.decimal(0, 0.5),
                    "0.05",
                    "Share of customers in the global control group: held out of every campaign (their"
                            + " moments recorded as held out, nothing sent) for one offers.global-control.period,"
                            + " to measure what all marketing together adds. 0 disables it.");

    public static final ConfigOption<Duration> OFFERS_GLOBAL_CONTROL_PERIOD =
            ConfigOption.withDefault(
                    "offers.global-control.period",
                    duration(Duration.ofDays(1), Duration.ofDays(3650)),
                    "90d",
                    "How long a customer stays in (or out of) the global control group: membership is"
                            + " drawn again at the start of every period (counted in event time from the epoch),"
                            + " so nobody is kept from all offers for good.");

    public static final ConfigOption<Duration> OFFERS_FREQUENCY_CAP =
            ConfigOption.withDefault(
                    "offers.frequency-cap",
                    duration(Duration.ZERO),
                    "7d",
                    "At most one coupon per customer within this period, across all campaigns.");

    public static final ConfigOption<Duration> OFFERS_DEFAULT_COOLDOWN =
            ConfigOption.withDefault(
                    "offers.default-cooldown",
                    duration(Duration.ZERO),
                    "30d",
                    "Time before a customer may get the same campaign again, when the campaign sets none.");

    public static final ConfigOption<Duration> OFFERS_LATE_CAMPAIGN_GRACE =
            ConfigOption.withDefault(
                    "offers.late-campaign-grace",
                    duration(Duration.ZERO),
                    "5m",
                    "How long a moment no campaign matched waits (wall-clock) for a campaign that reaches the"
                            + " engine after the events: the campaigns topic is read by its own source, which can"
                            + " lag the event topics (at start-up on a backlog, or when a campaign is published"
                            + " just before a burst). A campaign that arrives within this time decides the moments"
                            + " it covers (its date window, trigger and audience) as if it had been there. 0 turns"
                            + " it off: only moments processed after the campaign arrived can trigger it.");

    public static final ConfigOption<Integer> OFFERS_POINTS_MILESTONE_STEP =
            ConfigOption.withDefault(
                    "offers.points-milestone-step",
                    integer(1, Integer.MAX_VALUE),
                    "1000",
                    "A POINTS_MILESTONE moment is each time a customer's loyalty points pass a multiple of"
                            + " this.");

    public static final ConfigOption<Double> OFFERS_AT_RISK_CHURN_RISK =
            ConfigOption.withDefault(
                    "offers.at-risk.churn-risk",
                    ValueType.decimal(0, 1),
                    "0.7",
                    "An AT_RISK moment also happens when a once-active customer's churn risk rises above"
                            + " this (besides entering the AT_RISK segment).");

    public static final ConfigOption<Double> OFFERS_AT_RISK_P_ALIVE =
            ConfigOption.withDefault(
                    "offers.at-risk.p-alive",
                    ValueType.decimal(0, 1),
                    "0.3",
                    "...or when their P(alive) falls below this.");

    public static final ConfigOption<Integer> OFFERS_SEASONAL_LEAD_DAYS =
            ConfigOption.withDefault(
                    "offers.seasonal.lead-days",
                    integer(0, 180),
                    "14",
                    "A SEASONAL_REPURCHASE moment comes this many days before the anniversary of a"
                            + " customer's purchase in a category.");

    public static final ConfigOption<Duration> OFFERS_ATTRIBUTION_WINDOW =
            ConfigOption.withDefault(
                    "offers.attribution-window",
                    duration(Duration.ZERO),
                    "7d",
                    "An issued offer is remembered this long after it expires (late orders still attributed),"
                            + " then forgotten.");

    public static final ConfigOption<Integer> OFFERS_MAX_PER_CUSTOMER =
            ConfigOption.withDefault(
                    "offers.max-per-customer",
                    integer(1, 1000),
                    "20",
                    "Issued offers kept per customer (the oldest are dropped first); bounds the state and"
                            + " the active-offers value in Redis.");

    public static final ConfigOption<Boolean> OFFERS_BACKFILL =
            ConfigOption.withDefault(
                    "offers.backfill",
                    ValueType.bool(),
                    "false",
                    "Replaying history: update the offer state (what was seen, anniversaries) as usual but"
                            + " issue nothing. Turn off when caught up; moments already seen do not fire again.");

    public static final ConfigOption<Duration> OFFERS_STATE_TTL =
            ConfigOption.withDefault(
                    "offers.state-ttl",
                    duration(Duration.ofDays(1)),
                    "400d",
                    "Offer state of a customer or campaign is dropped after this long without an update;"
                            + " over a year so purchase anniversaries survive.");

    public static final ConfigOption<Duration> OFFERS_STATS_TTL =
            ConfigOption.withDefault(
                    "offers.redis.stats-ttl",
                    duration(Duration.ofMinutes(1)),
                    "90d",
                    "Time to live of a campaign's stats hash in Redis, set again on every update.");

    // ---- Job
    // --------------------------------------------------------------------------------------

    public static final ConfigOption<Integer> JOB_PARALLELISM =
            ConfigOption.withDefault(
                    "job.parallelism",
                    integer(1, 1024),
                    "2",
                    "Parallel instances of each operator. More than the number of partitions of the input"
                            + " topics leaves source instances idle.");

    public static final ConfigOption<Integer> JOB_MAX_PARALLELISM =
            ConfigOption.withDefault(
                    "job.max-parallelism",
                    integer(1, 32768),
                    "720",
                    "Upper bound of job.parallelism for the job's whole life: keyed state is split into this"
                            + " many key groups, and a savepoint can only be restored with the same value. 720"
                            + " divides evenly by most parallelisms (2, 3, 4, 5, 6, 8, 9, 10, 12, ...) so keys spread"
                            + " evenly when rescaling; each key group costs a little memory per operator.");

    public static final ConfigOption<Duration> JOB_RESTART_INITIAL_BACKOFF =
            ConfigOption.withDefault(
                    "job.restart-initial-backoff",
                    duration(Duration.ofMillis(100), Duration.ofMinutes(10)),
                    "1s",
                    "After a failure (Kafka or Redis unreachable, a TaskManager lost) the job restarts from"
                            + " its last checkpoint after this delay, doubled on each further failure up to"
                            + " job.restart-max-backoff, and back to this after an hour without one; it never gives"
                            + " up, since every source is replayable and a stopped job serves nothing. 1s makes a"
                            + " short blip cost seconds, not a retry storm.");

    public static final ConfigOption<Duration> JOB_RESTART_MAX_BACKOFF =
            ConfigOption.withDefault(
                    "job.restart-max-backoff",
                    duration(Duration.ofMillis(200), Duration.ofHours(1)),
                    "1min",
                    "The longest delay between restarts while failures repeat (a Redis outage of many"
                            + " minutes): a minute keeps the JobManager and the logs quiet and still resumes within a"
                            + " minute of the dependency coming back.");

    public static final ConfigOption<String> JOB_NAME =
            ConfigOption.withDefault(
                    "job.name",
                    ValueType.string("a non-empty job name", s -> !s.isEmpty()),
                    "personalization-engine",
                    "Name of the Flink job, as shown in the web UI, the REST API and metrics.");

    public static final ConfigOption<ConsentDefault> PRIVACY_MARKETING_CONSENT_DEFAULT =
            ConfigOption.withDefault(
                    "privacy.marketing-consent-default",
                    ValueType.enumeration(ConsentDefault.values()),
                    "granted",
                    "Marketing consent assumed for a customer and channel without a consent record"
                            + " (or whose record expired): granted (opt-out regimes; offers go out"
                            + " until the customer withdraws) or denied (opt-in regimes such as EU email"
                            + " and SMS marketing: no offer on a channel until the customer grants it)."
                            + " Decide with whoever answers for the store's legal basis.");

    public static final ConfigOption<ConsentDefault> PRIVACY_PERSONALIZATION_CONSENT_DEFAULT =
            ConfigOption.withDefault(
                    "privacy.personalization-consent-default",
                    ValueType.enumeration(ConsentDefault.values()),
                    "granted",
                    "Personalization consent assumed for a customer without a record: granted, or"
                            + " denied (no browsing history, segments or behavioural recommendations"
                            + " until the customer grants it; see README, Privacy).");

    public static final ConfigOption<Duration> PRIVACY_ERASURE_SUPPRESSION_PERIOD =
            ConfigOption.withDefault(
                    "privacy.erasure.suppression-period",
                    duration(Duration.ofDays(1)),
                    "35d",
                    "How long an erased customer id stays suppressed: events with it are dropped at the"
                            + " entrance, so late events and replays of the input topics do not bring the"
                            + " customer back. Keep it above the retention of the clicks, orders and"
                            + " consents topics (Kafka's default 7 days; 35 days covers a monthly replay).");

    public static final ConfigOption<Integer> PRIVACY_ERASURE_SUPPRESSION_MAX =
            ConfigOption.withDefault(
                    "privacy.erasure.suppression-max",
                    integer(1, 10_000_000),
                    "200000",
                    "Most erased ids suppressed at once (each about 70 heap bytes on every subtask of"
                            + " the entrance stage, 16 bytes in each checkpoint). When full, the entries"
                            + " closest to the end of their suppression period go first, with a warning.");

    public static final ConfigOption<Duration> PRIVACY_ERASURE_GRACE =
            ConfigOption.withDefault(
                    "privacy.erasure.grace",
                    duration(Duration.ofSeconds(1), Duration.ofHours(1)),
                    "30s",
                    "How long the offer ledger and the quiet-hours hold drop decisions of an erased"
                            + " customer that were already on their way (decided just before the erasure,"
                            + " queued in a campaign's budget stage) before they forget the customer"
                            + " entirely.");

    public static final ConfigOption<Optional<Secret>> PRIVACY_PSEUDONYMIZATION_KEY =
            ConfigOption.optionalSecret(
                    "privacy.pseudonymization-key",
                    ValueType.secret("a key of at least 32 characters", s -> s.length() >= 32),
                    "Set: every customer id is replaced at the entrance by its keyed HMAC-SHA256"
                            + " (22 URL-safe base64 characters, 128 bits), so state, Redis keys, profiles"
                            + " and output topics never hold the raw id; the storefront computes the same"
                            + " pseudonym to read Redis. Keep it in the environment"
                            + " (P13N_PRIVACY_PSEUDONYMIZATION_KEY); changing it starts every customer"
                            + " afresh. See README, Privacy and security.");

    // ---- Marketing console (`personalize console`)
    // ---------------------------------------------

    public static final ConfigOption<String> CONSOLE_BIND =
            ConfigOption.withDefault(
                    "console.bind",
                    ValueType.token("an IP address or host name to listen on"),
                    "127.0.0.1",
                    "Address the marketing console listens on. The default, the loopback address,"
                            + " keeps it on this machine; anything else (0.0.0.0, a LAN address) needs"
                            + " console.user and console.password or a trusted proxy header, or the console"
                            + " refuses to start.");

    public static final ConfigOption<Integer> CONSOLE_PORT =
            ConfigOption.withDefault(
                    "console.port",
                    integer(0, 65535),
                    "8070",
                    "Port of the marketing console (0: any free port, printed at start).");

    public static final ConfigOption<Optional<String>> CONSOLE_USER =
            ConfigOption.withDefault(
                    "console.user",
                    optional(ValueType.token("a user name without spaces")),
                    "",
                    "User name of the console's HTTP Basic login; set it with console.password.");

    public static final ConfigOption<Optional<Secret>> CONSOLE_PASSWORD =
            ConfigOption.optionalSecret(
                    "console.password",
                    ValueType.secret("a password of at least 12 characters", s -> s.length() >= 12),
                    "Password of the console's HTTP Basic login (compared in constant time). Keep it in"
                            + " the environment (P13N_CONSOLE_PASSWORD). Basic sends it with every request:"
                            + " put TLS in front of a console reached over a network.");

    public static final ConfigOption<Optional<String>> CONSOLE_PROXY_USER_HEADER =
            ConfigOption.withDefault(
                    "console.proxy.user-header",
                    optional(
                            ValueType.string(
                                    "an HTTP header name such as X-Forwarded-User",
                                    s -> s.matches("[A-Za-z0-9-]+"))),
                    "",
                    "Header in which an authenticating reverse proxy (oauth2-proxy, an SSO gateway) names"
                            + " the signed-in user. Accepted only on connections from"
                            + " console.proxy.addresses; any other request without a Basic login is refused.");

    public static final ConfigOption<List<String>> CONSOLE_PROXY_ADDRESSES =
            ConfigOption.withDefault(
                    "console.proxy.addresses",
                    ValueType.ipAddressList(
                            "a comma-separated list of IP addresses, such as 10.0.0.5,10.0.0.6"),
                    "",
                    "IP addresses of the reverse proxies whose console.proxy.user-header is trusted.");

    public static final ConfigOption<String> CONSOLE_FLINK_REST =
            ConfigOption.withDefault(
                    "console.flink-rest",
                    ValueType.uri("an http(s) URL such as http://jobmanager:8081"),
                    "http://localhost:8081",
                    "Flink REST API of the running engine (its dashboard's address): the console's Live page"
                            + " reads the job's state and checkpoints there and links to the dashboard.");

    /** Every option, in the order of the documentation and of {@link EngineConfig#describe()}. */
    public static final List<ConfigOption<?>> ALL =
            List.of(
                    KAFKA_BOOTSTRAP_SERVERS,
                    KAFKA_TOPIC_CLICKS,
                    KAFKA_TOPIC_ORDERS,
                    KAFKA_TOPIC_CONSENTS,
                    KAFKA_TOPIC_ERASURES,
                    KAFKA_TOPIC_DEAD_LETTERS,
                    KAFKA_GROUP_ID,
                    KAFKA_STARTING_OFFSETS,
                    KAFKA_SECURITY_PROTOCOL,
                    KAFKA_SASL_MECHANISM,
                    KAFKA_SASL_JAAS_CONFIG,
                    KAFKA_SSL_TRUSTSTORE_LOCATION,
                    KAFKA_SSL_TRUSTSTORE_PASSWORD,
                    REDIS_MODE,
                    REDIS_HOST,
                    REDIS_PORT,
                    REDIS_CLUSTER_NODES,
                    REDIS_USER,
                    REDIS_PASSWORD,
                    REDIS_TLS,
                    REDIS_TLS_TRUSTSTORE_LOCATION,
                    REDIS_TLS_TRUSTSTORE_PASSWORD,
                    REDIS_TIMEOUT,
                    REDIS_KEY_PREFIX,
                    REDIS_PROFILE_TTL,
                    REDIS_BATCH_MAX_SIZE,
                    REDIS_BATCH_MAX_DELAY,
                    CHECKPOINT_INTERVAL,
                    CHECKPOINT_DIR,
                    STATE_BACKEND,
                    STATE_INCREMENTAL_CHECKPOINTS,
                    STATE_ROCKSDB_TIMERS_ON_HEAP,
                    STATE_ROCKSDB_UNCOMPRESSED_LEVELS,
                    STATE_LOCAL_MANAGED_MEMORY_MB,
                    STATE_CACHE_MAX_ENTRIES,
                    STATE_CUSTOMER_TTL,
                    WATERMARK_OUT_OF_ORDERNESS,
                    WATERMARK_IDLE_TIMEOUT,
                    VALIDATION_MAX_FUTURE_SKEW,
                    DEDUP_WINDOW_SIZE,
                    DEDUP_TTL,
                    KAFKA_TOPIC_IDENTITIES,
                    KAFKA_TOPIC_IDENTITY_HAND_OFFS,
                    IDENTITY_SURVIVING_ID,
                    IDENTITY_JUNK_IDS,
                    IDENTITY_TRUSTED_SOURCES,
                    IDENTITY_MAX_ANONYMOUS_IDS,
                    KAFKA_TOPIC_SEGMENT_CHANGES,
                    KAFKA_TOPIC_CHURN_SIGNALS,
                    PROFILE_RECENTLY_VIEWED_MAX,
                    PROFILE_PURCHASED_MAX,
                    CART_MAX_ITEMS,
                    CART_ABANDON_AFTER,
                    AFFINITY_HALF_LIFE,
                    AFFINITY_TOP_N,
                    AFFINITY_WEIGHT_VIEW,
                    AFFINITY_WEIGHT_CART,
                    AFFINITY_WEIGHT_PURCHASE,
                    SEARCHES_ATTRIBUTION_WINDOW,
                    SEARCHES_MAX_VIEWS,
                    SEARCHES_AFFINITY_WEIGHT,
                    SEARCHES_MAX_QUERIES,
                    SEARCHES_QUERY_TTL,
                    SEARCHES_NO_PURCHASE_AFTER,
                    LOYALTY_POINTS_PER_UNIT,
                    LOYALTY_TIER_SILVER,
                    LOYALTY_TIER_GOLD,
                    LOYALTY_TIER_PLATINUM,
                    SEGMENT_NEW_PERIOD,
                    SEGMENT_LOYAL_MIN_PURCHASES,
                    SEGMENT_HIGH_VALUE_SPEND,
                    SEGMENT_AT_RISK_FACTOR,
                    SEGMENT_CHURN_FACTOR,
                    SEGMENT_AT_RISK_MIN,
                    SEGMENT_AT_RISK_DEFAULT,
                    SEGMENT_CHURN_DEFAULT,
                    CHURN_P_ALIVE_AT_RISK,
                    CHURN_MODEL_FILE,
                    CHURN_RESCORE_INTERVAL,
                    RECOMMEND_TRAIL_LENGTH,
                    RECOMMEND_MAX_PREDECESSOR_DISTANCE,
                    RECOMMEND_BACKWARD_WEIGHT,
                    RECOMMEND_SESSION_TIMEOUT,
                    RECOMMEND_WEIGHT_CART,
                    RECOMMEND_WEIGHT_PURCHASE,
                    RECOMMEND_NEIGHBOURS_HALF_LIFE,
                    RECOMMEND_MAX_CANDIDATES,
                    RECOMMEND_SIMILAR_SIZE,
                    RECOMMEND_POPULARITY_EXPONENT,
                    RECOMMEND_POPULARITY_HALF_LIFE,
                    RECOMMEND_TRENDING_SIZE,
                    RECOMMEND_TRENDING_CANDIDATES,
                    RECOMMEND_SIZE,
                    RECOMMEND_RECENT_ITEMS,
                    RECOMMEND_REVISIT_WEIGHT,
                    RECOMMEND_CATEGORY_BOOST,
                    RECOMMEND_PER_CATEGORY_CAP,
                    RECOMMEND_EXCLUDE_RECENTLY_VIEWED,
                    RECOMMEND_COALESCE_INTERVAL,
                    RECOMMEND_SIMILAR_TTL,
                    RECOMMEND_TRENDING_TTL,
                    RECOMMEND_RECOMMENDATIONS_TTL,
                    KAFKA_TOPIC_CATALOG,
                    CATALOG_WATCH_PERIOD,
                    CATALOG_MAX_WATCHERS,
                    CATALOG_MIN_PRICE_DROP,
                    CATALOG_MAX_UNAVAILABLE,
                    KAFKA_TOPIC_REVIEWS,
                    REVIEWS_LOW_RATING,
                    REVIEWS_POINTS,
                    REVIEWS_PROMOTION_PAUSE,
                    REVIEWS_RATING_PRIOR_MEAN,
                    REVIEWS_RATING_PRIOR_WEIGHT,
                    REVIEWS_DEMOTE_BELOW,
                    KAFKA_TOPIC_CUSTOMER_ATTRIBUTES,
                    CUSTOMERS_DEFAULT_TIME_ZONE,
                    CUSTOMERS_BIRTHDAY_LEAD_DAYS,
                    KAFKA_TOPIC_CAMPAIGNS,
                    KAFKA_TOPIC_OFFER_TRIGGERS,
                    OFFERS_CONTROL_SHARE,
                    OFFERS_CONTROL_SALT,
                    OFFERS_GLOBAL_CONTROL_SHARE,
                    OFFERS_GLOBAL_CONTROL_PERIOD,
                    OFFERS_FREQUENCY_CAP,
                    OFFERS_DEFAULT_COOLDOWN,
                    OFFERS_LATE_CAMPAIGN_GRACE,
                    OFFERS_POINTS_MILESTONE_STEP,
                    OFFERS_AT_RISK_CHURN_RISK,
                    OFFERS_AT_RISK_P_ALIVE,
                    OFFERS_SEASONAL_LEAD_DAYS,
                    OFFERS_ATTRIBUTION_WINDOW,
                    OFFERS_MAX_PER_CUSTOMER,
                    OFFERS_BACKFILL,
                    OFFERS_STATE_TTL,
                    OFFERS_STATS_TTL,
                    OFFERS_QUIET_HOURS_PUSH,
                    OFFERS_QUIET_HOURS_SMS,
                    OFFERS_QUIET_HOURS_EMAIL,
                    PRIVACY_MARKETING_CONSENT_DEFAULT,
                    PRIVACY_PERSONALIZATION_CONSENT_DEFAULT,
                    PRIVACY_ERASURE_SUPPRESSION_PERIOD,
                    PRIVACY_ERASURE_SUPPRESSION_MAX,
                    PRIVACY_ERASURE_GRACE,
                    PRIVACY_PSEUDONYMIZATION_KEY,
                    JOB_PARALLELISM,
                    JOB_MAX_PARALLELISM,
                    JOB_RESTART_INITIAL_BACKOFF,
                    JOB_RESTART_MAX_BACKOFF,
                    JOB_NAME,
                    CONSOLE_BIND,
                    CONSOLE_PORT,
                    CONSOLE_USER,
                    CONSOLE_PASSWORD,
                    CONSOLE_PROXY_USER_HEADER,
                    CONSOLE_PROXY_ADDRESSES,
                    CONSOLE_FLINK_REST);

    private EngineOptions() {}

    /** The option with this exact key, if one is declared. */
    public static Optional<ConfigOption<?>> find(String key) {
        for (ConfigOption<?> option : ALL) {
            if (option.key().equals(key)) {
                return Optional.of(option);
            }
        }
        return Optional.empty();
    }
}
