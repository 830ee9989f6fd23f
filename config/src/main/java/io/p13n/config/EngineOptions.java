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

  // ---- Kafka ------------------------------------------------------------------------------------

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

  // ---- Redis ------------------------------------------------------------------------------------

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
          "redis.port", integer(1, 65535), "6379", "Port of the Redis server in standalone mode.");

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
              + " certificate is checked against the JVM's default trust store.");

  public static final ConfigOption<Duration> REDIS_TIMEOUT =
      ConfigOption.withDefault(
          "redis.timeout",
          // The upper bound is there because Jedis takes timeouts as int milliseconds, which
          // overflow a little after 24 days.
          duration(Duration.ofMillis(1), Duration.ofDays(24)),
          "2s",
          "Connect and read timeout of each Redis call. A call that takes longer fails instead of"
              + " stalling the pipeline indefinitely.");

  public static final ConfigOption<String> REDIS_KEY_PREFIX =
      ConfigOption.withDefault(
          "redis.key-prefix",
          ValueType.string(
              "a non-empty string without spaces, '{' or '}'", s -> s.matches("[^\\s{}]+")),
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

  // ---- Checkpoints and state --------------------------------------------------------------------

  public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
      ConfigOption.withDefault(
          "checkpoint.interval",
          duration(Duration.ofMillis(100)),
          "30s",
          "How often Flink takes a checkpoint. Shorter means less to reprocess after a failure"
              + " and fresher committed offsets, at the cost of more checkpointing work.");

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

  // ---- Event time and validation ----------------------------------------------------------------

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

  // ---- Job --------------------------------------------------------------------------------------

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

  public static final ConfigOption<String> JOB_NAME =
      ConfigOption.withDefault(
          "job.name",
          ValueType.string("a non-empty job name", s -> !s.isEmpty()),
          "personalization-engine",
          "Name of the Flink job, as shown in the web UI, the REST API and metrics.");

  /** Every option, in the order of the documentation and of {@link EngineConfig#describe()}. */
  public static final List<ConfigOption<?>> ALL =
      List.of(
          KAFKA_BOOTSTRAP_SERVERS,
          KAFKA_TOPIC_CLICKS,
          KAFKA_TOPIC_ORDERS,
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
          REDIS_TIMEOUT,
          REDIS_KEY_PREFIX,
          REDIS_PROFILE_TTL,
          REDIS_BATCH_MAX_SIZE,
          REDIS_BATCH_MAX_DELAY,
          CHECKPOINT_INTERVAL,
          CHECKPOINT_DIR,
          STATE_BACKEND,
          STATE_INCREMENTAL_CHECKPOINTS,
          STATE_CUSTOMER_TTL,
          WATERMARK_OUT_OF_ORDERNESS,
          WATERMARK_IDLE_TIMEOUT,
          VALIDATION_MAX_FUTURE_SKEW,
          DEDUP_WINDOW_SIZE,
          DEDUP_TTL,
          JOB_PARALLELISM,
          JOB_MAX_PARALLELISM,
          JOB_NAME);

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
