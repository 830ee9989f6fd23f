package io.p13n.jobs;

import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.config.RedisMode;
import io.p13n.config.Secret;
import io.p13n.jobs.catalog.CatalogInputs;
import io.p13n.jobs.catalog.CatalogWatchersFunction;
import io.p13n.jobs.catalog.DropUnavailableItems;
import io.p13n.jobs.catalog.ListItems;
import io.p13n.jobs.identity.CheckIdentificationsFunction;
import io.p13n.jobs.identity.HandOffDeserializer;
import io.p13n.jobs.identity.IdentityEnds;
import io.p13n.jobs.identity.IdentitySettings;
import io.p13n.jobs.identity.IdentityTopics;
import io.p13n.jobs.ingest.CustomerEvents;
import io.p13n.jobs.ingest.RouteAndSuppressErasedFunction;
import io.p13n.jobs.ingest.RouteDeadLettersFunction;
import io.p13n.jobs.kafka.CheckpointCommittedKafkaSink;
import io.p13n.jobs.offers.ActiveOffersFunction;
import io.p13n.jobs.offers.ActiveOffersRedisMapper;
import io.p13n.jobs.offers.CampaignBudgetFunction;
import io.p13n.jobs.offers.CampaignStatsFunction;
import io.p13n.jobs.offers.CampaignStatsHistoryRedisMapper;
import io.p13n.jobs.offers.CampaignStatsRedisMapper;
import io.p13n.jobs.offers.GlobalControlDeltas;
import io.p13n.jobs.offers.OfferInputs;
import io.p13n.jobs.offers.OfferOutputTags;
import io.p13n.jobs.offers.OfferSettings;
import io.p13n.jobs.offers.OfferStateDescriptors;
import io.p13n.jobs.offers.OfferTriggerFunction;
import io.p13n.jobs.offers.QuietHoursHoldFunction;
import io.p13n.jobs.offers.RecentDecisionsRedisMapper;
import io.p13n.jobs.privacy.ErasedIds;
import io.p13n.jobs.privacy.ErasureSettings;
import io.p13n.jobs.privacy.Erasures;
import io.p13n.jobs.profile.CustomerProfileFunction;
import io.p13n.jobs.profile.ProfileRedisMapper;
import io.p13n.jobs.profile.SegmentHistoryRedisMapper;
import io.p13n.jobs.recommend.ItemTransitionsFunction;
import io.p13n.jobs.recommend.ItemViewsFunction;
import io.p13n.jobs.recommend.OverallTrendingFunction;
import io.p13n.jobs.recommend.RankRecommendationsFunction;
import io.p13n.jobs.recommend.RecommendationRedisMappers;
import io.p13n.jobs.recommend.RecommendationRequestsFunction;
import io.p13n.jobs.recommend.RecommendationSettings;
import io.p13n.jobs.recommend.RedisServingLists;
import io.p13n.jobs.recommend.SimilarItemsFunction;
import io.p13n.jobs.recommend.TransitionBatches;
import io.p13n.jobs.recommend.Trending;
import io.p13n.jobs.recommend.TrendingItemsFunction;
import io.p13n.jobs.redis.CheckpointCommittedRedisSink;
import io.p13n.jobs.redis.RedisEndpoint;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.jobs.redis.RedisMapper;
import io.p13n.jobs.redis.RedisSink;
import io.p13n.jobs.reviews.ProductRatingRedisMapper;
import io.p13n.jobs.reviews.ReviewSettings;
import io.p13n.jobs.state.CachingKeyedProcessOperator;
import io.p13n.jobs.state.PreAggregateOperator;
import io.p13n.jobs.state.StateCaches;
import io.p13n.model.ActiveOffers;
import io.p13n.model.Campaign;
import io.p13n.model.CampaignStats;
import io.p13n.model.CampaignStatsDelta;
import io.p13n.model.CatalogInput;
import io.p13n.model.ChurnSignal;
import io.p13n.model.ConsentEvent;
import io.p13n.model.ConsentPurpose;
import io.p13n.model.CustomerEvent;
import io.p13n.model.CustomerProfile;
import io.p13n.model.CustomerRecommendations;
import io.p13n.model.DeadLetter;
import io.p13n.model.Erasure;
import io.p13n.model.ItemTransitionBatch;
import io.p13n.model.ItemView;
import io.p13n.model.OfferDecision;
import io.p13n.model.OfferInput;
import io.p13n.model.OfferLedgerInput;
import io.p13n.model.OfferOutcome;
import io.p13n.model.OrderEvent;
import io.p13n.model.ProductAvailability;
import io.p13n.model.ProductMoment;
import io.p13n.model.RecentDecision;
import io.p13n.model.RecommendationRequest;
import io.p13n.model.SegmentChange;
import io.p13n.model.SimilarItems;
import io.p13n.model.SourceRecord;
import io.p13n.model.TrendingItems;
import io.p13n.serde.CampaignDeserializer;
import io.p13n.serde.DeadLetterSerializer;
import io.p13n.serde.KeyedAvroSerializer;
import io.p13n.serde.SourceRecordDeserializer;
import io.p13n.serde.SourceRecordDeserializer.EventKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.ParameterTool;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The personalization job: clicks and orders from Kafka, per-customer state in Flink, profiles to
 * Redis, unusable records to a dead-letter topic.
 *
 * <pre>
 *  clicks ─┐                                       ┌─ dead letters ─▶ Kafka dead-letter topic
 *          ├─▶ decode+validate ─▶ route ───────────┤
 *  orders ─┘   (never throws)                      └─ events ─▶ keyBy(customer) ─▶ drop duplicates +
 *                                                      customer profile ─▶ Redis hash per customer
 * </pre>
 *
 * {@link #main} reads the configuration and builds the real Kafka and Redis ends; {@link
 * #defineWorkflow} assembles the graph, and tests call it with their own sources and sinks.
 */
public final class PersonalizationJob {
    /**
     * Transition batches combined per source item before the neighbour stage's shuffle: at most
     * this many inputs per bundle (its heap, about 1 KiB per batch, stays near 1 MiB) and at most
     * {@link #TRANSITION_BUNDLE_DELAY} of waiting, short next to the neighbour lists' own
     * publication interval; a bundle also goes out before every watermark and checkpoint barrier.
     */
    static final int TRANSITION_BUNDLE_RECORDS = 1024;

    static final Duration TRANSITION_BUNDLE_DELAY = Duration.ofMillis(100);

    private static final Logger LOG = LoggerFactory.getLogger(PersonalizationJob.class);

    /**
     * Concurrent Redis reads per ranking subtask; a round trip is ~1 ms, so 4 serve ~4k rankings/s.
     */
    private static final int RANKING_THREADS = 4;

    /**
     * Rankings in flight per subtask: enough to keep the threads busy, small enough for
     * checkpoints.
     */
    private static final int RANKING_CAPACITY = 100;

    /**
     * A ranking slower than this is dropped (the list is refreshed on the next change), not
     * retried.
     */
    private static final Duration RANKING_TIMEOUT = Duration.ofSeconds(5);

    /** Name of the first keyed operator (tools such as the bench count arrivals at its vertex). */
    public static final String CUSTOMER_STAGE_NAME = "Drop duplicates, update customer profile";

    private PersonalizationJob() {}

    /** {@code --config FILE}; environment variables P13N_* override the file. */
    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        if (!params.has("config")) {
            throw new IllegalArgumentException(
                    "usage: PersonalizationJob --config FILE (see README, Configuration)");
        }
        EngineConfig config =
                EngineConfig.load(Path.of(params.getRequired("config")), System.getenv());
        // On a cluster the client or the application-mode entry point decides what to restore
        // (`flink run -s`, docker/start-job.sh); ./personalize run decides it itself (ResumePlan).
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration(config));
        run(env, config);
    }

    /** Builds the real ends from the configuration, defines the workflow and runs it (blocking). */
    public static void run(StreamExecutionEnvironment env, EngineConfig config) throws Exception {
        defineWorkflow(env, config);
        env.execute(config.get(EngineOptions.JOB_NAME));
    }

    /** Defines the workflow with the real Kafka and Redis ends; the caller executes it. */
    public static void defineWorkflow(StreamExecutionEnvironment env, EngineConfig config) {
        LOG.info("Defining the job with configuration:\n{}", config.describe());
        RedisKeys keys = new RedisKeys(config.get(EngineOptions.REDIS_KEY_PREFIX));
        RecommendationSettings recommend = RecommendationSettings.from(config);
        IdentityTopics.ensureHandOffTopic(config);
        defineWorkflow(
                env,
                kafkaSource(config, EventKind.CLICKS),
                kafkaSource(config, EventKind.ORDERS),
                kafkaSource(config, EventKind.CONSENTS),
                kafkaSource(config, EventKind.ERASURES),
                kafkaSource(config, EventKind.CATALOG),
                campaignSource(config),
                WorkflowSettings.from(config),
                new WorkflowSinks(
                        profileSink(config),
                        deadLetterSink(config),
                        kafkaSink(
                                config,
                                EngineOptions.KAFKA_TOPIC_SEGMENT_CHANGES,
                                SegmentChange::getCustomerId,
                                Erasures::isTombstone),
                        kafkaSink(
                                config,
                                EngineOptions.KAFKA_TOPIC_CHURN_SIGNALS,
                                ChurnSignal::getCustomerId,
                                Erasures::isTombstone),
                        redisSink(
                                config,
                                RecommendationRedisMappers.similarItems(
                                        keys, recommend.similarTtlMillis())),
                        redisSink(
                                config,
                                RecommendationRedisMappers.trending(
                                        keys, recommend.trendingTtlMillis())),
                        redisSink(
                                config,
                                RecommendationRedisMappers.recommendations(
                                        keys, recommend.recommendationsTtlMillis())),
                        new RedisServingLists(
                                redisEndpoint(config),
                                keys,
                                Duration.ofMillis(recommend.coalesceIntervalMillis())),
                        new CheckpointCommittedRedisSink<>(
                                redisEndpoint(config), new ActiveOffersRedisMapper(keys)),
                        offerTriggerSink(config),
                        redisSink(
                                config,
                                new CampaignStatsRedisMapper(
                                        keys, config.get(EngineOptions.OFFERS_STATS_TTL))),
                        redisSink(
                                config,
                                new CampaignStatsHistoryRedisMapper(
                                        keys, config.get(EngineOptions.OFFERS_STATS_TTL))),
                        redisSink(
                                config,
                                new SegmentHistoryRedisMapper(
                                        keys, config.get(EngineOptions.REDIS_PROFILE_TTL))),
                        redisSink(
                                config,
                                new RecentDecisionsRedisMapper(
                                        keys, config.get(EngineOptions.REDIS_PROFILE_TTL))),
                        redisSink(
                                config,
                                new ProductRatingRedisMapper(
                                        keys, CatalogWatchersFunction.RATING_TTL))),
                new IdentityEnds(
                        kafkaSource(config, EventKind.IDENTITIES),
                        handOffSource(config),
                        handOffSink(config),
                        IdentitySettings.from(config)),
                new SignalSources(
                        kafkaSource(config, EventKind.REVIEWS),
                        kafkaSource(config, EventKind.CUSTOMER_ATTRIBUTES)));
    }

    /**
     * Flink settings that follow from the engine configuration: state backend, checkpointing, and
     * no silent Kryo fallback (a type Flink cannot serialize natively fails at job build, not at
     * runtime).
     */
    public static Configuration flinkConfiguration(EngineConfig config) {
        Configuration conf = new Configuration();
        conf.set(
                StateBackendOptions.STATE_BACKEND,
                config.get(EngineOptions.STATE_BACKEND).name().toLowerCase());
        conf.set(
                CheckpointingOptions.INCREMENTAL_CHECKPOINTS,
                config.get(EngineOptions.STATE_INCREMENTAL_CHECKPOINTS));
        // RocksDB for this workload, chosen by measurement (README, Benchmark): timers on the heap,
        // the
        // recent LSM levels uncompressed, and enough managed memory for the block cache when the
        // cluster is the local one (a real cluster's TaskManagers bring their own).
        conf.setString(
                "state.backend.rocksdb.timer-service.factory",
                config.get(EngineOptions.STATE_ROCKSDB_TIMERS_ON_HEAP) ? "HEAP" : "ROCKSDB");
        conf.setString(
                "state.backend.rocksdb.compression.per.level",
                compressionPerLevel(config.get(EngineOptions.STATE_ROCKSDB_UNCOMPRESSED_LEVELS)));
        conf.setString(
                "taskmanager.memory.managed.size",
                config.get(EngineOptions.STATE_LOCAL_MANAGED_MEMORY_MB) + "m");
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                config.get(EngineOptions.CHECKPOINT_DIR));
        conf.set(
                CheckpointingOptions.CHECKPOINTING_INTERVAL,
                config.get(EngineOptions.CHECKPOINT_INTERVAL));
        // Keep the last checkpoint when the job is cancelled, so it can be resumed like a
        // savepoint.
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        // Explicit rather than Flink's default (which depends on the Flink version and on whether
        // checkpointing is on): restart forever, exponentially spaced, reset after an hour of
        // health.
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
                config.get(EngineOptions.JOB_RESTART_INITIAL_BACKOFF));
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                config.get(EngineOptions.JOB_RESTART_MAX_BACKOFF));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, 2.0);
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
                Duration.ofHours(1));
        // TaskManagers restarting together after a shared outage do not hit Redis in lockstep.
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR, 0.1);
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS,
                Integer.MAX_VALUE);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        conf.set(
                org.apache.flink.configuration.CoreOptions.DEFAULT_PARALLELISM,
                config.get(EngineOptions.JOB_PARALLELISM));
        // Explicit, not derived from the parallelism: key groups are baked into every savepoint.
        conf.set(PipelineOptions.MAX_PARALLELISM, config.get(EngineOptions.JOB_MAX_PARALLELISM));
        return conf;
    }

    /**
     * RocksDB's per-level compression: the first {@code uncompressed} levels none, the rest Snappy.
     */
    static String compressionPerLevel(int uncompressed) {
        List<String> levels = new java.util.ArrayList<>();
        for (int i = 0; i < uncompressed; i++) {
            levels.add("NO_COMPRESSION");
        }
        levels.add("SNAPPY_COMPRESSION"); // the last entry applies to every deeper level
        return String.join(";", levels);
    }

    /** The workflow without a consents source: every customer gets the configured defaults. */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            Source<SourceRecord, ?, ?> clickSource,
            Source<SourceRecord, ?, ?> orderSource,
            Source<Campaign, ?, ?> campaignSource,
            WorkflowSettings settings,
            WorkflowSinks sinks) {
        defineWorkflow(env, clickSource, orderSource, null, null, campaignSource, settings, sinks);
    }

    /** The workflow without erasure requests. */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            Source<SourceRecord, ?, ?> clickSource,
            Source<SourceRecord, ?, ?> orderSource,
            Source<SourceRecord, ?, ?> consentSource,
            Source<Campaign, ?, ?> campaignSource,
            WorkflowSettings settings,
            WorkflowSinks sinks) {
        defineWorkflow(
                env,
                clickSource,
                orderSource,
                consentSource,
                null,
                campaignSource,
                settings,
                sinks);
    }

    /** The workflow without catalog changes (every product available, no product moments). */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            Source<SourceRecord, ?, ?> clickSource,
            Source<SourceRecord, ?, ?> orderSource,
            Source<SourceRecord, ?, ?> consentSource,
            Source<SourceRecord, ?, ?> erasureSource,
            Source<Campaign, ?, ?> campaignSource,
            WorkflowSettings settings,
            WorkflowSinks sinks) {
        defineWorkflow(
                env,
                clickSource,
                orderSource,
                consentSource,
                erasureSource,
                null,
                campaignSource,
                settings,
                sinks);
    }

    /**
     * Assembles the job graph. The event sources must emit every record (events and dead letters
     * alike) as {@link SourceRecord}s; the workflow assigns event time and watermarks. {@code
     * consentSource} may be null (no consent decisions: the defaults apply), and so may {@code
     * erasureSource} (no erasure requests: the entrance stage keeps no suppression list) and {@code
     * catalogSource} (no catalog changes: every product is available, no product moments).
     */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            Source<SourceRecord, ?, ?> clickSource,
            Source<SourceRecord, ?, ?> orderSource,
            Source<SourceRecord, ?, ?> consentSource,
            Source<SourceRecord, ?, ?> erasureSource,
            Source<SourceRecord, ?, ?> catalogSource,
            Source<Campaign, ?, ?> campaignSource,
            WorkflowSettings settings,
            WorkflowSinks sinks) {
        defineWorkflow(
                env,
                clickSource,
                orderSource,
                consentSource,
                erasureSource,
                catalogSource,
                campaignSource,
                settings,
                sinks,
                null);
    }

    /**
     * The workflow with the identity merge: identifications join the events, and the customer
     * stage's hand-offs go round through {@code identity}'s loop (README, Identity merge). {@code
     * identity} null: no identifications, nothing merged.
     */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            Source<SourceRecord, ?, ?> clickSource,
            Source<SourceRecord, ?, ?> orderSource,
            Source<SourceRecord, ?, ?> consentSource,
            Source<SourceRecord, ?, ?> erasureSource,
            Source<SourceRecord, ?, ?> catalogSource,
            Source<Campaign, ?, ?> campaignSource,
            WorkflowSettings settings,
            WorkflowSinks sinks,
            IdentityEnds identity) {
        defineWorkflow(
                env,
                clickSource,
                orderSource,
                consentSource,
                erasureSource,
                catalogSource,
                campaignSource,
                settings,
                sinks,
                identity,
                SignalSources.NONE);
    }

    /**
     * The whole workflow: with {@code signals}' reviews and customer attributes joining the events
     * (either may be null, and {@code identity} too).
     */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            Source<SourceRecord, ?, ?> clickSource,
            Source<SourceRecord, ?, ?> orderSource,
            Source<SourceRecord, ?, ?> consentSource,
            Source<SourceRecord, ?, ?> erasureSource,
            Source<SourceRecord, ?, ?> catalogSource,
            Source<Campaign, ?, ?> campaignSource,
            WorkflowSettings settings,
            WorkflowSinks sinks,
            IdentityEnds identity,
            SignalSources signals) {
        // Generic (Kryo) serialization off: every type on the wire and in state is Avro or a Flink
        // type. Object reuse on: chained operators hand records over without a deep copy (a quarter
        // of the task thread's time without it, measured). Safe here because no function keeps or
        // mutates a record after emitting it, except the profile, whose latest version is what the
        // Redis sink keeps per key anyway. Set here as well as in flinkConfiguration() so tests run
        // the same way.
        Configuration pipeline = new Configuration();
        pipeline.set(PipelineOptions.GENERIC_TYPES, false);
        pipeline.set(PipelineOptions.OBJECT_REUSE, true);
        env.configure(pipeline);

        DataStream<CustomerEvent> events =
                validEvents(
                        env,
                        clickSource,
                        orderSource,
                        consentSource,
                        erasureSource,
                        identity,
                        signals,
                        settings,
                        sinks);
        SingleOutputStreamOperator<CustomerProfile> profiles =
                defineProfiles(env, events, identity, settings, sinks);
        DataStream<CustomerEvent> uniqueEvents = profiles.getSideOutput(OutputTags.UNIQUE_EVENTS);
        CatalogStreams catalog =
                catalogSource == null
                        ? CatalogStreams.NONE
                        : defineCatalog(env, catalogSource, uniqueEvents, settings, sinks);
        defineRecommendations(
                uniqueEvents,
                profiles,
                catalog,
                settings.recommend(),
                settings.reviews(),
                settings.stateCaches(),
                sinks);
        defineOffers(
                uniqueEvents,
                profiles,
                catalog.moments(),
                campaigns(env, campaignSource),
                settings.offers(),
                settings.reviews(),
                settings.erasure().grace(),
                sinks);
    }

    /**
     * Clicks and orders from Kafka with watermarks per partition (an idle partition stops holding
     * the watermark back); dead letters leave here, so everything after sees only valid events.
     */
    private static DataStream<CustomerEvent> validEvents(
            StreamExecutionEnvironment env,
            Source<SourceRecord, ?, ?> clickSource,
            Source<SourceRecord, ?, ?> orderSource,
            Source<SourceRecord, ?, ?> consentSource,
            Source<SourceRecord, ?, ?> erasureSource,
            IdentityEnds identity,
            SignalSources signals,
            WorkflowSettings settings,
            WorkflowSinks sinks) {
        WatermarkStrategy<SourceRecord> watermarks = eventWatermarks(settings);
        DataStream<SourceRecord> clicks =
                env.fromSource(clickSource, watermarks, "Clicks from Kafka")
                        .uid(Uids.CLICKS_SOURCE);
        DataStream<SourceRecord> orders =
                env.fromSource(orderSource, watermarks, "Orders from Kafka")
                        .uid(Uids.ORDERS_SOURCE);
        DataStream<SourceRecord> records = clicks.union(orders);
        if (consentSource != null) {
            // Usually idle: the watermark strategy's idleness keeps it from holding time back.
            records =
                    records.union(
                            env.fromSource(consentSource, watermarks, "Consents from Kafka")
                                    .uid(Uids.CONSENTS_SOURCE));
        }
        if (identity != null) {
            records = records.union(identifications(env, identity, watermarks));
        }
        // Usually quiet too (a few reviews and attribute changes per customer), like consents.
        if (signals.reviews() != null) {
            records =
                    records.union(
                            env.fromSource(signals.reviews(), watermarks, "Reviews from Kafka")
                                    .uid(Uids.REVIEWS_SOURCE));
        }
        if (signals.customerAttributes() != null) {
            records =
                    records.union(
                            env.fromSource(
                                            signals.customerAttributes(),
                                            watermarks,
                                            "Customer attributes from Kafka")
                                    .uid(Uids.CUSTOMER_ATTRIBUTES_SOURCE));
        }
        SingleOutputStreamOperator<CustomerEvent> events;
        if (erasureSource == null) {
            events =
                    records.process(
                                    new RouteDeadLettersFunction(
                                            settings.erasure().pseudonymizationKey()))
                            .uid(Uids.ROUTE_DEAD_LETTERS)
                            .name("Route dead letters, count events");
        } else {
            // Erasure requests reach every subtask of the entrance, which suppresses the id there.
            // They neither hold event time back nor move it (a request is "now", a replay is years
            // ago): the stream is idle as far as watermarks go.
            DataStream<SourceRecord> erasures =
                    env.fromSource(
                                    erasureSource,
                                    WatermarkStrategy.<SourceRecord>forGenerator(
                                                    context -> new IdleWatermarks<>())
                                            .withTimestampAssigner(
                                                    (record, kafkaTimestamp) ->
                                                            CustomerEvents.timestampOf(record)),
                                    "Erasure requests from Kafka")
                            .uid(Uids.ERASURES_SOURCE)
                            .setParallelism(1);
            ErasureSettings erasure = settings.erasure();
            events =
                    records.connect(erasures.broadcast(ErasedIds.DESCRIPTOR))
                            .process(
                                    new RouteAndSuppressErasedFunction(
                                            erasure.suppressionPeriod(),
                                            erasure.maxSuppressed(),
                                            erasure.pseudonymizationKey()))
                            .uid(Uids.ROUTE_DEAD_LETTERS)
                            .name("Route dead letters, drop erased customers, count events");
        }
        events.getSideOutput(OutputTags.DEAD_LETTERS)
                .sinkTo(sinks.deadLetters())
                .uid(Uids.DEAD_LETTER_SINK)
                .name("Dead letters to Kafka");
        return events;
    }

    /**
     * Event time from the records, bounded out-of-orderness, and idle partitions (a quiet topic or
     * partition) not holding the watermark back.
     */
    private static WatermarkStrategy<SourceRecord> eventWatermarks(WorkflowSettings settings) {
        return WatermarkStrategy.<SourceRecord>forBoundedOutOfOrderness(settings.outOfOrderness())
                .withTimestampAssigner(
                        (record, kafkaTimestamp) -> CustomerEvents.timestampOf(record))
                .withIdleness(settings.idleTimeout());
    }

    /**
     * Identifications, checked against the merge rules (refused ones dropped and counted) and
     * turned so that the id merged away is {@code anonymousId}, before they join the events.
     */
    private static DataStream<SourceRecord> identifications(
            StreamExecutionEnvironment env,
            IdentityEnds identity,
            WatermarkStrategy<SourceRecord> watermarks) {
        return env.fromSource(identity.identifications(), watermarks, "Identifications from Kafka")
                .uid(Uids.IDENTITIES_SOURCE)
                .process(new CheckIdentificationsFunction(identity.settings()))
                .uid(Uids.CHECK_IDENTIFICATIONS)
                .name("Check identifications against the merge rules");
    }

    /**
     * The customer stage: duplicates dropped and the profile updated in one stage (one state record
     * per customer), to Redis, with segment changes and churn signals to Kafka; the events that
     * were not duplicates flow on from it (side output {@link OutputTags#UNIQUE_EVENTS}). With the
     * identity merge its input also takes the hand-off loop back in (merged-away profiles, events
     * of merged-away ids), and its hand-offs go out to the loop.
     */
    private static SingleOutputStreamOperator<CustomerProfile> defineProfiles(
            StreamExecutionEnvironment env,
            DataStream<CustomerEvent> events,
            IdentityEnds identity,
            WorkflowSettings settings,
            WorkflowSinks sinks) {
        DataStream<CustomerEvent> input = events;
        if (identity != null) {
            input = events.union(handOffsBack(env, identity));
        }
        SingleOutputStreamOperator<CustomerProfile> profiles =
                cached(
                                input.keyBy(CustomerEvents::customerId, Types.STRING),
                                CUSTOMER_STAGE_NAME,
                                CustomerProfile.class,
                                new CustomerProfileFunction(
                                        settings.customerTtl(),
                                        settings.dedupWindowSize(),
                                        settings.dedupTtl(),
                                        settings.profile(),
                                        identity == null
                                                ? CustomerProfileFunction.DEFAULT_MAX_MERGED_IDS
                                                : identity.settings().maxAnonymousIds(),
                                        settings.reviews()),
                                settings.stateCaches())
                        .uid(Uids.CUSTOMER_PROFILE);
        if (identity != null) {
            profiles.getSideOutput(OutputTags.IDENTITY_HAND_OFFS)
                    .sinkTo(identity.handOffSink())
                    .uid(Uids.IDENTITY_HAND_OFF_SINK)
                    .name("Identity hand-offs to Kafka (on checkpoints)");
        }
        profiles.sinkTo(sinks.profiles()).uid(Uids.PROFILE_SINK).name("Profiles to Redis");
        profiles.getSideOutput(OutputTags.SEGMENT_CHANGES)
                .sinkTo(sinks.segmentChanges())
                .uid(Uids.SEGMENT_CHANGE_SINK)
                .name("Segment changes to Kafka");
        // The same stream, tombstones included, as the customer's capped segment history.
        profiles.getSideOutput(OutputTags.SEGMENT_CHANGES)
                .sinkTo(sinks.segmentHistory())
                .uid(Uids.SEGMENT_HISTORY_SINK)
                .name("Segment history to Redis");
        profiles.getSideOutput(OutputTags.CHURN_SIGNALS)
                .sinkTo(sinks.churnSignals())
                .uid(Uids.CHURN_SIGNAL_SINK)
                .name("Churn signals to Kafka");
        return profiles;
    }

    /**
     * The hand-off loop's way back in: what the customer stage wrote, committed. It neither holds
     * event time back nor moves it (a hand-off is a checkpoint late by design; the events it
     * carries already moved the clock on their way in): idle as far as watermarks go.
     */
    private static DataStream<CustomerEvent> handOffsBack(
            StreamExecutionEnvironment env, IdentityEnds identity) {
        return env.fromSource(
                        identity.handOffSource(),
                        WatermarkStrategy.<CustomerEvent>forGenerator(
                                        context -> new IdleWatermarks<>())
                                .withTimestampAssigner(
                                        (event, kafkaTimestamp) ->
                                                CustomerEvents.eventTimeMillis(event)),
                        "Identity hand-offs from Kafka")
                .uid(Uids.IDENTITY_HAND_OFF_SOURCE);
    }

    /**
     * Campaigns: every subtask of the offer stage holds all of them (broadcast state). They neither
     * hold event time back nor move it: the stream is idle as far as watermarks go ({@link
     * IdleWatermarks}), so the offer stage's clock is the events' clock alone.
     */
    private static DataStream<Campaign> campaigns(
            StreamExecutionEnvironment env, Source<Campaign, ?, ?> campaignSource) {
        return env.fromSource(
                        campaignSource,
                        WatermarkStrategy.<Campaign>forGenerator(context -> new IdleWatermarks<>())
                                .withTimestampAssigner(
                                        (campaign, kafkaTimestamp) -> campaign.getUpdatedAt()),
                        "Campaigns from Kafka")
                .uid(Uids.CAMPAIGNS_SOURCE)
                .setParallelism(1);
    }

    /**
     * The offer stages: triggers per customer against the campaigns, budgets per campaign, the
     * issued-offer ledger per customer (de-duplication, redemption and conversion attribution), and
     * the per-campaign statistics.
     *
     * <pre>
     *  profiles + orders ─▶ triggers (customer, campaigns broadcast) ─▶ budgets (campaign) ─▶ quiet-hours hold (customer) ─┬─▶ Kafka offer-triggers (exactly once)
     *                        │                                                                                             └─▶ ledger (customer) + orders ─▶ Redis offers (on checkpoint)
     *                        └─▶ suppressed for consent ─────────────────────────────────────────────────────────────────────────▶ stats (campaign) ─▶ Redis campaign stats
     *  every outcome (sent, held out, over budget, suppressed) + erasures ─▶ (customer) ─▶ Redis recent decisions (capped list)
     * </pre>
     */
    private static void defineOffers(
            DataStream<CustomerEvent> uniqueEvents,
            SingleOutputStreamOperator<CustomerProfile> profiles,
            DataStream<ProductMoment> productMoments,
            DataStream<Campaign> campaigns,
            OfferSettings settings,
            ReviewSettings reviews,
            Duration erasureGrace,
            WorkflowSinks sinks) {
        DataStream<OrderEvent> orders =
                uniqueEvents
                        .filter(event -> event.getPayload() instanceof OrderEvent)
                        .uid(Uids.OFFER_INPUTS + "-orders")
                        .name("Orders")
                        .map(event -> (OrderEvent) event.getPayload())
                        .returns(new AvroTypeInfo<>(OrderEvent.class))
                        .uid(Uids.OFFER_INPUTS + "-order-payloads")
                        .name("Order payloads");
        DataStream<OfferInput> inputs =
                profiles.getSideOutput(OutputTags.OFFER_PROFILES)
                        .map(OfferInputs::of)
                        .returns(new AvroTypeInfo<>(OfferInput.class))
                        .uid(Uids.OFFER_INPUTS + "-profiles")
                        .name("Profiles for offers")
                        .union(
                                orders.map(OfferInputs::of)
                                        .returns(new AvroTypeInfo<>(OfferInput.class))
                                        .uid(Uids.OFFER_INPUTS)
                                        .name("Orders for offers"));
        if (productMoments != null) {
            // Keyed by customer with the same key groups, so the union stays partitioned by
            // customer.
            inputs =
                    inputs.union(
                            productMoments
                                    .keyBy(ProductMoment::getCustomerId, Types.STRING)
                                    .map(OfferInputs::of)
                                    .returns(new AvroTypeInfo<>(OfferInput.class))
                                    .uid(Uids.PRODUCT_MOMENTS)
                                    .name("Product moments for offers"));
        }
        // From the customer stage itself: still partitioned by customer, no shuffle.
        inputs =
                inputs.union(
                        profiles.getSideOutput(OutputTags.CUSTOMER_MOMENTS)
                                .map(OfferInputs::of)
                                .returns(new AvroTypeInfo<>(OfferInput.class))
                                .uid(Uids.CUSTOMER_MOMENTS)
                                .name("Customer moments for offers"));

        // Both inputs are still partitioned by customer: no shuffle before the trigger stage.
        SingleOutputStreamOperator<OfferDecision> decisions =
                DataStreamUtils.reinterpretAsKeyedStream(
                                inputs, OfferInputs::customerId, Types.STRING)
                        .connect(campaigns.broadcast(OfferStateDescriptors.CAMPAIGNS))
                        .process(new OfferTriggerFunction(settings, reviews.promotionPauseMillis()))
                        .uid(Uids.OFFER_TRIGGERS)
                        .name("Offer triggers");
        // Moments stopped for lack of marketing consent count in their campaign's stats (in
        // neither arm), so the arms stay comparable and the stopped ones stay visible.
        DataStream<CampaignStatsDelta> consentSuppressed =
                decisions
                        .getSideOutput(OfferOutputTags.SUPPRESSED)
                        .flatMap(OfferInputs::consentSuppressed)
                        .returns(new AvroTypeInfo<>(CampaignStatsDelta.class))
                        .uid(Uids.CONSENT_SUPPRESSED_STATS)
                        .name("Consent-suppressed moments for the stats");
        SingleOutputStreamOperator<OfferDecision> withinBudget =
                decisions
                        .keyBy(OfferDecision::getCampaignId, Types.STRING)
                        .process(new CampaignBudgetFunction(settings))
                        .uid(Uids.CAMPAIGN_BUDGETS)
                        .name("Campaign budgets");
        // Only withdrawals of marketing consent reach the ledger (they take offers off the shelf).
        DataStream<ConsentEvent> withdrawals =
                uniqueEvents
                        .filter(
                                event ->
                                        event.getPayload() instanceof ConsentEvent consent
                                                && consent.getPurpose() == ConsentPurpose.MARKETING
                                                && !consent.getGranted())
                        .uid(Uids.ACTIVE_OFFERS + "-withdrawals")
                        .name("Marketing consent withdrawals")
                        .map(event -> (ConsentEvent) event.getPayload())
                        .returns(new AvroTypeInfo<>(ConsentEvent.class))
                        .uid(Uids.ACTIVE_OFFERS + "-withdrawal-payloads")
                        .name("Withdrawal payloads");
        DataStream<Erasure> erasures =
                uniqueEvents
                        .filter(event -> event.getPayload() instanceof Erasure)
                        .uid(Uids.ACTIVE_OFFERS + "-erasures")
                        .name("Erasures")
                        .map(event -> (Erasure) event.getPayload())
                        .returns(new AvroTypeInfo<>(Erasure.class))
                        .uid(Uids.ACTIVE_OFFERS + "-erasure-payloads")
                        .name("Erasure payloads");
        // Offers decided in their channel's quiet hours wait here (per customer, in event time)
        // until the window ends; the others pass at once. Everything that delivers an offer (the
        // senders' topic, the storefront's offers, attribution) comes after it.
        SingleOutputStreamOperator<OfferDecision> delivered =
                withinBudget
                        .map(OfferInputs::ledger)
                        .returns(new AvroTypeInfo<>(OfferLedgerInput.class))
                        .uid(Uids.QUIET_HOURS + "-decisions")
                        .name("Decisions for the quiet-hours hold")
                        .union(
                                withdrawals
                                        .map(OfferInputs::ledger)
                                        .returns(new AvroTypeInfo<>(OfferLedgerInput.class))
                                        .uid(Uids.QUIET_HOURS + "-consents")
                                        .name("Withdrawals for the quiet-hours hold"),
                                erasures.map(OfferInputs::ledger)
                                        .returns(new AvroTypeInfo<>(OfferLedgerInput.class))
                                        .uid(Uids.QUIET_HOURS + "-erasures")
                                        .name("Erasures for the quiet-hours hold"))
                        .keyBy(OfferInputs::customerId, Types.STRING)
                        .process(new QuietHoursHoldFunction(erasureGrace))
                        .uid(Uids.QUIET_HOURS)
                        .name("Hold offers in quiet hours");
        delivered
                .filter(decision -> decision.getOutcome() == OfferOutcome.SENT)
                .uid(Uids.OFFER_TRIGGER_SINK + "-sent")
                .name("Sent offers")
                .sinkTo(sinks.offerTriggers())
                .uid(Uids.OFFER_TRIGGER_SINK)
                .name("Offer triggers to Kafka");
        defineRecentDecisions(decisions, withinBudget, erasures, sinks);
        defineLedger(
                delivered,
                orders,
                withdrawals,
                erasures,
                consentSuppressed,
                settings,
                erasureGrace,
                sinks);
    }

    /**
     * Every decision, whatever its outcome (sent and held out after the budget, over budget,
     * suppressed by the caps or for consent), to the customer's capped recent-decisions list in
     * Redis; an erasure or merge deletes the list. Keyed by customer, so a customer's entries and
     * deletes reach one sink subtask, and its buffer, in the order they arrive.
     */
    private static void defineRecentDecisions(
            SingleOutputStreamOperator<OfferDecision> decisions,
            SingleOutputStreamOperator<OfferDecision> withinBudget,
            DataStream<Erasure> erasures,
            WorkflowSinks sinks) {
        DataStream<OfferDecision> all =
                withinBudget.union(
                        withinBudget.getSideOutput(OfferOutputTags.OVER_BUDGET),
                        decisions.getSideOutput(OfferOutputTags.SUPPRESSED));
        all.map(RecentDecisionsRedisMapper::of)
                .returns(new AvroTypeInfo<>(RecentDecision.class))
                .uid(Uids.RECENT_DECISIONS)
                .name("Decisions for the recent-decisions list")
                .union(
                        erasures.map(RecentDecisionsRedisMapper::erased)
                                .returns(new AvroTypeInfo<>(RecentDecision.class))
                                .uid(Uids.RECENT_DECISIONS + "-erasures")
                                .name("Erasures for the recent-decisions list"))
                .keyBy(RecentDecision::getCustomerId, Types.STRING)
                .sinkTo(sinks.recentDecisions())
                .uid(Uids.RECENT_DECISIONS_SINK)
                .name("Recent decisions to Redis");
    }

    /**
     * The issued-offer ledger per customer (sent and held-out decisions, orders for redemption and
     * conversion attribution) to Redis, and the campaign stats it counts, with the moments
     * suppressed for consent, per campaign, to Redis.
     */
    private static void defineLedger(
            DataStream<OfferDecision> withinBudget,
            DataStream<OrderEvent> orders,
            DataStream<ConsentEvent> withdrawals,
            DataStream<Erasure> erasures,
            DataStream<CampaignStatsDelta> consentSuppressed,
            OfferSettings settings,
            Duration erasureGrace,
            WorkflowSinks sinks) {
        SingleOutputStreamOperator<ActiveOffers> activeOffers =
                withinBudget
                        .map(OfferInputs::ledger)
                        .returns(new AvroTypeInfo<>(OfferLedgerInput.class))
                        .uid(Uids.ACTIVE_OFFERS + "-decisions")
                        .name("Decisions for the ledger")
                        .union(
                                orders.map(OfferInputs::ledger)
                                        .returns(new AvroTypeInfo<>(OfferLedgerInput.class))
                                        .uid(Uids.ACTIVE_OFFERS + "-orders")
                                        .name("Orders for the ledger"),
                                withdrawals
                                        .map(OfferInputs::ledger)
                                        .returns(new AvroTypeInfo<>(OfferLedgerInput.class))
                                        .uid(Uids.ACTIVE_OFFERS + "-consents")
                                        .name("Withdrawals for the ledger"),
                                erasures.map(OfferInputs::ledger)
                                        .returns(new AvroTypeInfo<>(OfferLedgerInput.class))
                                        .uid(Uids.ACTIVE_OFFERS + "-erasures-in")
                                        .name("Erasures for the ledger"))
                        .keyBy(OfferInputs::customerId, Types.STRING)
                        .process(new ActiveOffersFunction(settings, erasureGrace))
                        .uid(Uids.ACTIVE_OFFERS)
                        .name("Active offers, attribution");
        activeOffers
                .sinkTo(sinks.activeOffers())
                .uid(Uids.ACTIVE_OFFERS_SINK)
                .name("Active offers to Redis");
        DataStream<CampaignStatsDelta> statsDeltas =
                activeOffers.getSideOutput(OfferOutputTags.STATS_DELTAS);
        // The global control group's report is one more key of the same stats stage.
        DataStream<CampaignStatsDelta> globalDeltas =
                statsDeltas
                        .flatMap(new GlobalControlDeltas(settings))
                        .returns(new AvroTypeInfo<>(CampaignStatsDelta.class))
                        .uid(Uids.GLOBAL_CONTROL_STATS)
                        .name("Global control report deltas");
        SingleOutputStreamOperator<CampaignStats> campaignStats =
                statsDeltas
                        .union(consentSuppressed, globalDeltas)
                        .keyBy(CampaignStatsDelta::getCampaignId, Types.STRING)
                        .process(new CampaignStatsFunction(settings))
                        .uid(Uids.CAMPAIGN_STATS)
                        .name("Campaign stats");
        campaignStats
                .sinkTo(sinks.campaignStats())
                .uid(Uids.CAMPAIGN_STATS_SINK)
                .name("Campaign stats to Redis");
        campaignStats
                .sinkTo(sinks.campaignStatsHistory())
                .uid(Uids.CAMPAIGN_STATS_HISTORY_SINK)
                .name("Campaign stats history to Redis");
    }

    /**
     * A keyed function whose value states sit behind write-back heap caches, flushed before every
     * checkpoint barrier ({@link CachingKeyedProcessOperator}); emits Avro records of {@code type}.
     */
    private static <K, I, O extends org.apache.avro.specific.SpecificRecordBase>
            SingleOutputStreamOperator<O> cached(
                    KeyedStream<I, K> input,
                    String name,
                    Class<O> type,
                    KeyedProcessFunction<K, I, O> function,
                    StateCaches.Settings caches) {
        return input.transform(
                name,
                new AvroTypeInfo<>(type),
                new CachingKeyedProcessOperator<>(function, caches));
    }

    /**
     * Watermarks for a control stream (campaigns, erasure requests) that must neither hold event
     * time back nor move it: the stream is marked idle and never emits a watermark, so the event
     * streams alone set the clock of every operator it joins. It used to emit the end of time; when
     * every event partition then went idle ({@code watermark.idle-timeout}), that was the only
     * watermark left, every profile timer fired at the end of time and every offer expired (found
     * by the crash tests' comparison with a failure-free run; {@code IdlePartitionsITCase}).
     */
    static final class IdleWatermarks<T> implements WatermarkGenerator<T> {
        @Override
        public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.markIdle();
        }
    }

    /** What the catalog stage hands on; both null without a catalog source. */
    private record CatalogStreams(
            BroadcastStream<ProductAvailability> availability,
            DataStream<ProductMoment> moments,
            int maxUnavailable) {
        static final CatalogStreams NONE = new CatalogStreams(null, null, 0);
    }

    /**
     * Catalog changes and the customers' recent interest in each product, keyed by product:
     * price-drop and back-in-stock moments for the offer stage, and availability flips broadcast to
     * the stages that publish lists.
     *
     * <pre>
     *  catalog (Kafka) ─────────────────────────────┐
     *  events ─▶ interests ─▶ combined per bundle ──┴─▶ watchers (product) ─▶ moments ─▶ offers (customer)
     *                                                                   └─▶ availability ─▶ list filters (broadcast)
     * </pre>
     */
    private static CatalogStreams defineCatalog(
            StreamExecutionEnvironment env,
            Source<SourceRecord, ?, ?> catalogSource,
            DataStream<CustomerEvent> uniqueEvents,
            WorkflowSettings settings,
            WorkflowSinks sinks) {
        SingleOutputStreamOperator<CatalogInput> changes =
                env.fromSource(catalogSource, eventWatermarks(settings), "Catalog from Kafka")
                        .uid(Uids.CATALOG_SOURCE)
                        .process(new CatalogInputs.Route())
                        .returns(new AvroTypeInfo<>(CatalogInput.class))
                        .uid(Uids.CATALOG_ROUTE)
                        .name("Route catalog dead letters");
        changes.getSideOutput(OutputTags.DEAD_LETTERS)
                .sinkTo(sinks.deadLetters())
                .uid(Uids.CATALOG_DEAD_LETTER_SINK)
                .name("Catalog dead letters to Kafka");
        // one update per customer and product per bundle crosses the shuffle, not one per view
        DataStream<CatalogInput> interests =
                uniqueEvents
                        .flatMap(CatalogInputs::interests)
                        .returns(new AvroTypeInfo<>(CatalogInput.class))
                        .uid(Uids.CATALOG_INTERESTS)
                        .name("Product interest")
                        .transform(
                                "Combine interest per customer and product",
                                new AvroTypeInfo<>(CatalogInput.class),
                                new PreAggregateOperator<>(
                                        new CatalogInputs.CombineInterests(),
                                        TRANSITION_BUNDLE_RECORDS,
                                        TRANSITION_BUNDLE_DELAY.toMillis()))
                        .uid(Uids.CATALOG_INTERESTS + "-bundles");
        // erasures reach every subtask: the customer leaves every product's watchers
        DataStream<Erasure> erasures =
                uniqueEvents
                        .filter(event -> event.getPayload() instanceof Erasure)
                        .uid(Uids.CATALOG_ERASURES)
                        .name("Erasures for the catalog")
                        .map(event -> (Erasure) event.getPayload())
                        .returns(new AvroTypeInfo<>(Erasure.class))
                        .uid(Uids.CATALOG_ERASURES + "-payloads")
                        .name("Erasure payloads for the catalog");
        SingleOutputStreamOperator<ProductMoment> moments =
                changes.union(interests)
                        .keyBy(CatalogInputs::productId, Types.STRING)
                        .connect(erasures.broadcast(CatalogWatchersFunction.RECENTLY_ERASED))
                        .process(new CatalogWatchersFunction(settings.catalog()))
                        .returns(new AvroTypeInfo<>(ProductMoment.class))
                        .uid(Uids.CATALOG_WATCHERS)
                        .name("Catalog changes, product watchers");
        if (sinks.productRatings() != null) {
            // every change of a product's rating, for the storefront and for ranking
            moments.getSideOutput(CatalogWatchersFunction.RATINGS)
                    .sinkTo(sinks.productRatings())
                    .uid(Uids.PRODUCT_RATINGS_SINK)
                    .name("Product ratings to Redis");
        }
        return new CatalogStreams(
                moments.getSideOutput(CatalogWatchersFunction.AVAILABILITY)
                        .broadcast(DropUnavailableItems.UNAVAILABLE),
                moments,
                settings.catalog().maxUnavailable());
    }

    /** Leaves unavailable products out of a list stream, when there is a catalog. */
    private static <T extends org.apache.avro.specific.SpecificRecordBase> DataStream<T> available(
            DataStream<T> lists,
            CatalogStreams catalog,
            DropUnavailableItems.Items<T> items,
            Class<T> type,
            String uid) {
        if (catalog.availability() == null) {
            return lists;
        }
        return lists.connect(catalog.availability())
                .process(new DropUnavailableItems<>(items, catalog.maxUnavailable()))
                .returns(new AvroTypeInfo<>(type))
                .uid(uid)
                .name("Leave out unavailable products");
    }

    /**
     * The recommendation stages: an item-to-item model learned from session trails (keyed by item),
     * trending per category and overall, and per-customer lists ranked from them.
     *
     * <pre>
     *  events ─▶ session trail (customer) ─▶ popularity (viewed item) ─▶ neighbours (previous item) ─▶ Redis similar
     *                                              └─▶ trending (category) ─▶ trending (overall) ─────▶ Redis trending
     *  profiles ─▶ coalesce (customer) ─▶ rank (async: reads similar + trending from Redis) ─────────▶ Redis recommendations
     * </pre>
     */
    private static void defineRecommendations(
            DataStream<CustomerEvent> uniqueEvents,
            DataStream<CustomerProfile> profiles,
            CatalogStreams catalog,
            RecommendationSettings settings,
            ReviewSettings reviews,
            StateCaches.Settings caches,
            WorkflowSinks sinks) {
        SingleOutputStreamOperator<ItemTransitionBatch> transitions =
                defineItemModel(uniqueEvents, catalog, settings, caches, sinks);
        defineTrending(transitions, catalog, settings, caches, sinks);
        defineCustomerRecommendations(profiles, catalog, settings, reviews, caches, sinks);
    }

    /**
     * Session trails (keyed by customer) to item views, popularity and transitions (keyed by the
     * viewed item), bundled per source item, to each product's similar items (keyed by it); returns
     * the transitions stage, whose side output feeds trending.
     */
    private static SingleOutputStreamOperator<ItemTransitionBatch> defineItemModel(
            DataStream<CustomerEvent> uniqueEvents,
            CatalogStreams catalog,
            RecommendationSettings settings,
            StateCaches.Settings caches,
            WorkflowSinks sinks) {
        // item model: still partitioned by customer after de-duplication, so no shuffle before the
        // trail
        SingleOutputStreamOperator<ItemView> itemViews =
                cached(
                                DataStreamUtils.reinterpretAsKeyedStream(
                                        uniqueEvents, CustomerEvents::customerId, Types.STRING),
                                "Session trails to item views",
                                ItemView.class,
                                new ItemViewsFunction(settings),
                                caches)
                        .uid(Uids.ITEM_VIEWS);
        SingleOutputStreamOperator<ItemTransitionBatch> transitions =
                cached(
                                itemViews.keyBy(ItemView::getItemId, Types.STRING),
                                "Item popularity, transitions",
                                ItemTransitionBatch.class,
                                new ItemTransitionsFunction(settings),
                                caches)
                        .uid(Uids.ITEM_TRANSITIONS);
        // local-global: one batch per source item and bundle crosses the shuffle, not one per view
        DataStream<ItemTransitionBatch> bundledTransitions =
                transitions
                        .transform(
                                "Combine transitions per source item",
                                new AvroTypeInfo<>(ItemTransitionBatch.class),
                                new PreAggregateOperator<>(
                                        new TransitionBatches(),
                                        TRANSITION_BUNDLE_RECORDS,
                                        TRANSITION_BUNDLE_DELAY.toMillis()))
                        .uid(Uids.ITEM_TRANSITIONS + "-bundles");
        SingleOutputStreamOperator<SimilarItems> similar =
                cached(
                                bundledTransitions.keyBy(
                                        ItemTransitionBatch::getFromItemId, Types.STRING),
                                "Similar items per product",
                                SimilarItems.class,
                                new SimilarItemsFunction(settings),
                                caches)
                        .uid(Uids.SIMILAR_ITEMS);
        available(
                        similar,
                        catalog,
                        new ListItems.Similar(),
                        SimilarItems.class,
                        Uids.SIMILAR_ITEMS_AVAILABLE)
                .sinkTo(sinks.similarItems())
                .uid(Uids.SIMILAR_ITEMS_SINK)
                .name("Similar items to Redis");
        return transitions;
    }

    /** Trending per category from the popularity updates, then overall from the category tops. */
    private static void defineTrending(
            SingleOutputStreamOperator<ItemTransitionBatch> transitions,
            CatalogStreams catalog,
            RecommendationSettings settings,
            StateCaches.Settings caches,
            WorkflowSinks sinks) {
        // trending: per category, then the overall list merged from the category tops
        SingleOutputStreamOperator<TrendingItems> categoryTrending =
                cached(
                                transitions
                                        .getSideOutput(OutputTags.POPULARITY_UPDATES)
                                        .keyBy(
                                                update ->
                                                        Trending.categoryKey(
                                                                update.getCategoryId()),
                                                Types.STRING),
                                "Trending per category",
                                TrendingItems.class,
                                new TrendingItemsFunction(settings),
                                caches)
                        .uid(Uids.CATEGORY_TRENDING);
        SingleOutputStreamOperator<TrendingItems> overallTrending =
                cached(
                                categoryTrending.keyBy(top -> Trending.OVERALL, Types.STRING),
                                "Trending overall",
                                TrendingItems.class,
                                new OverallTrendingFunction(settings),
                                caches)
                        .uid(Uids.OVERALL_TRENDING);
        available(
                        categoryTrending.union(overallTrending),
                        catalog,
                        new ListItems.Trending(),
                        TrendingItems.class,
                        Uids.TRENDING_AVAILABLE)
                .sinkTo(sinks.trending())
                .uid(Uids.TRENDING_SINK)
                .name("Trending to Redis");
    }

    /** A customer's list: coalesced ranking requests from the profiles, ranked asynchronously. */
    private static void defineCustomerRecommendations(
            DataStream<CustomerProfile> profiles,
            CatalogStreams catalog,
            RecommendationSettings settings,
            ReviewSettings reviews,
            StateCaches.Settings caches,
            WorkflowSinks sinks) {
        // per-customer lists: coalesced requests, ranked asynchronously from the serving lists
        SingleOutputStreamOperator<RecommendationRequest> requests =
                cached(
                                DataStreamUtils.reinterpretAsKeyedStream(
                                        profiles, CustomerProfile::getCustomerId, Types.STRING),
                                "Coalesce recommendation requests",
                                RecommendationRequest.class,
                                new RecommendationRequestsFunction(settings),
                                caches)
                        .uid(Uids.RECOMMENDATION_REQUESTS);
        // Ordered, so two rankings of one customer can never land in Redis in the wrong order.
        SingleOutputStreamOperator<CustomerRecommendations> ranked =
                AsyncDataStream.orderedWait(
                                requests,
                                new RankRecommendationsFunction(
                                        sinks.servingLists(), settings, RANKING_THREADS, reviews),
                                RANKING_TIMEOUT.toMillis(),
                                TimeUnit.MILLISECONDS,
                                RANKING_CAPACITY)
                        .returns(new AvroTypeInfo<>(CustomerRecommendations.class))
                        .uid(Uids.RANK_RECOMMENDATIONS)
                        .name("Rank recommendations")
                        // Its own task: waiting on Redis must never stall the customer chain
                        // (profiles, offers).
                        .disableChaining();
        available(
                        ranked,
                        catalog,
                        new ListItems.Recommendations(),
                        CustomerRecommendations.class,
                        Uids.RECOMMENDATIONS_AVAILABLE)
                .sinkTo(sinks.recommendations())
                .uid(Uids.RECOMMENDATIONS_SINK)
                .name("Recommendations to Redis");
    }

    public static KafkaSource<SourceRecord> kafkaSource(EngineConfig config, EventKind kind) {
        String topic =
                config.get(
                        switch (kind) {
                            case CLICKS -> EngineOptions.KAFKA_TOPIC_CLICKS;
                            case ORDERS -> EngineOptions.KAFKA_TOPIC_ORDERS;
                            case CONSENTS -> EngineOptions.KAFKA_TOPIC_CONSENTS;
                            case ERASURES -> EngineOptions.KAFKA_TOPIC_ERASURES;
                            case CATALOG -> EngineOptions.KAFKA_TOPIC_CATALOG;
                            case IDENTITIES -> EngineOptions.KAFKA_TOPIC_IDENTITIES;
                            case REVIEWS -> EngineOptions.KAFKA_TOPIC_REVIEWS;
                            case CUSTOMER_ATTRIBUTES ->
                                    EngineOptions.KAFKA_TOPIC_CUSTOMER_ATTRIBUTES;
                        });
        OffsetsInitializer startingOffsets =
                switch (config.get(EngineOptions.KAFKA_STARTING_OFFSETS)) {
                    case EARLIEST -> OffsetsInitializer.earliest();
                    case LATEST -> OffsetsInitializer.latest();
                    case COMMITTED ->
                            OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
                };
        var builder =
                KafkaSource.<SourceRecord>builder()
                        .setBootstrapServers(config.get(EngineOptions.KAFKA_BOOTSTRAP_SERVERS));
        if (kind != EventKind.CLICKS && kind != EventKind.ORDERS) {
            // A pattern rather than a name: a store that sends no consent decisions need not create
            // the topic (a named topic that does not exist fails the job at start); once created,
            // it is found within the discovery interval and read from its beginning.
            builder.setTopicPattern(Pattern.compile(Pattern.quote(topic)))
                    .setProperty("partition.discovery.interval.ms", "30000");
        } else {
            builder.setTopics(topic);
        }
        return builder.setGroupId(config.get(EngineOptions.KAFKA_GROUP_ID))
                .setStartingOffsets(startingOffsets)
                .setDeserializer(
                        new SourceRecordDeserializer(
                                kind,
                                config.get(EngineOptions.VALIDATION_MAX_FUTURE_SKEW).toMillis()))
                .setProperties(kafkaProperties(config))
                // Offsets are committed on checkpoints (for lag monitoring); recovery uses Flink's
                // own state.
                .setProperty("commit.offsets.on.checkpoint", "true")
                .setProperty("client.id.prefix", config.get(EngineOptions.JOB_NAME) + "-" + topic)
                .build();
    }

    /**
     * Campaigns, always from the beginning of the (compacted) topic whatever {@code
     * kafka.starting-offsets} says: a job that skipped a campaign would never run it. After a
     * restore the checkpointed offsets apply, and the broadcast state already holds what came
     * before.
     */
    public static KafkaSource<Campaign> campaignSource(EngineConfig config) {
        String topic = config.get(EngineOptions.KAFKA_TOPIC_CAMPAIGNS);
        return KafkaSource.<Campaign>builder()
                .setBootstrapServers(config.get(EngineOptions.KAFKA_BOOTSTRAP_SERVERS))
                .setTopics(topic)
                .setGroupId(config.get(EngineOptions.KAFKA_GROUP_ID) + "-campaigns")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new CampaignDeserializer())
                .setProperties(kafkaProperties(config))
                .setProperty("client.id.prefix", config.get(EngineOptions.JOB_NAME) + "-" + topic)
                .build();
    }

    /**
     * Offer triggers for marketing systems, exactly once: held in the checkpoint and produced, each
     * checkpoint's batch in one Kafka transaction, once the checkpoint is complete; a consumer
     * reading committed records sees each offer once, even across restarts ({@link
     * CheckpointCommittedKafkaSink} says why Flink's own exactly-once KafkaSink is not used: it
     * lost a pre-committed transaction's coupons on recovery against Kafka 4 brokers).
     */
    public static Sink<OfferDecision> offerTriggerSink(EngineConfig config) {
        return checkpointCommittedSink(
                config,
                config.get(EngineOptions.KAFKA_TOPIC_OFFER_TRIGGERS),
                OfferDecision::getCustomerId,
                "offers");
    }

    /**
     * A {@link CheckpointCommittedKafkaSink} to {@code topic}, Avro values keyed by {@code keyOf},
     * its transactional ids unique per job and loop ({@code purpose}): two jobs or two sinks with
     * one prefix would fence each other's batches.
     */
    private static <T extends org.apache.avro.specific.SpecificRecordBase>
            Sink<T> checkpointCommittedSink(
                    EngineConfig config,
                    String topic,
                    org.apache.flink.util.function.SerializableFunction<T, String> keyOf,
                    String purpose) {
        Properties properties = kafkaProperties(config);
        properties.setProperty(
                "bootstrap.servers", config.get(EngineOptions.KAFKA_BOOTSTRAP_SERVERS));
        return new CheckpointCommittedKafkaSink<>(
                properties,
                new KeyedAvroSerializer<T>(topic, keyOf),
                topic,
                config.get(EngineOptions.JOB_NAME)
                        + "-"
                        + config.get(EngineOptions.KAFKA_GROUP_ID)
                        + "-"
                        + purpose);
    }

    /**
     * The identity hand-off loop's way back: the hand-off topic read committed (only what a
     * completed checkpoint's batch produced), from the group's committed offsets (falling back to
     * the beginning), with the restored offsets winning after a restore.
     */
    public static KafkaSource<CustomerEvent> handOffSource(EngineConfig config) {
        String topic = config.get(EngineOptions.KAFKA_TOPIC_IDENTITY_HAND_OFFS);
        return KafkaSource.<CustomerEvent>builder()
                .setBootstrapServers(config.get(EngineOptions.KAFKA_BOOTSTRAP_SERVERS))
                // A pattern: the job starts even when the topic could not be created beforehand
                // (the first hand-off creates it where the broker allows that).
                .setTopicPattern(Pattern.compile(Pattern.quote(topic)))
                .setProperty("partition.discovery.interval.ms", "30000")
                .setGroupId(config.get(EngineOptions.KAFKA_GROUP_ID) + "-identity")
                .setStartingOffsets(
                        OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new HandOffDeserializer())
                .setProperties(kafkaProperties(config))
                .setProperty("isolation.level", "read_committed")
                .setProperty("commit.offsets.on.checkpoint", "true")
                .setProperty("client.id.prefix", config.get(EngineOptions.JOB_NAME) + "-" + topic)
                .build();
    }

    /**
     * The identity hand-off loop's way out, exactly once: each checkpoint's hand-offs produced in
     * one transaction once the checkpoint is complete ({@link CheckpointCommittedKafkaSink}), keyed
     * by the receiving id. A restart from an earlier checkpoint replays the identifications behind
     * any batch not yet out, and never produces a batch twice.
     */
    public static Sink<CustomerEvent> handOffSink(EngineConfig config) {
        return checkpointCommittedSink(
                config,
                config.get(EngineOptions.KAFKA_TOPIC_IDENTITY_HAND_OFFS),
                CustomerEvents::customerId,
                "identity");
    }

    public static Sink<DeadLetter> deadLetterSink(EngineConfig config) {
        return KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(config.get(EngineOptions.KAFKA_BOOTSTRAP_SERVERS))
                .setKafkaProducerConfig(kafkaProperties(config))
                .setRecordSerializer(
                        new DeadLetterSerializer(
                                config.get(EngineOptions.KAFKA_TOPIC_DEAD_LETTERS)))
                // Flushed on every checkpoint: a dead letter may be written twice after a restart,
                // never lost.
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    /**
     * An output topic: Avro single-object values keyed by customer. At-least-once (flushed on every
     * checkpoint): after a restart an event may repeat, with the same deterministic id, so
     * consumers can drop it; exactly-once transactions would delay every event until the next
     * checkpoint.
     */
    static <T extends org.apache.avro.specific.SpecificRecordBase> Sink<T> kafkaSink(
            EngineConfig config,
            io.p13n.config.ConfigOption<String> topic,
            org.apache.flink.util.function.SerializableFunction<T, String> key,
            org.apache.flink.util.function.SerializableFunction<T, Boolean> tombstone) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(config.get(EngineOptions.KAFKA_BOOTSTRAP_SERVERS))
                .setKafkaProducerConfig(kafkaProperties(config))
                .setRecordSerializer(new KeyedAvroSerializer<T>(config.get(topic), key, tombstone))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    /** A batching Redis sink with the configured batch size and delay. */
    public static <T> Sink<T> redisSink(EngineConfig config, RedisMapper<T> mapper) {
        return new RedisSink<>(
                redisEndpoint(config),
                mapper,
                config.get(EngineOptions.REDIS_BATCH_MAX_SIZE),
                config.get(EngineOptions.REDIS_BATCH_MAX_DELAY));
    }

    public static Sink<CustomerProfile> profileSink(EngineConfig config) {
        return new RedisSink<>(
                redisEndpoint(config),
                profileMapper(config),
                config.get(EngineOptions.REDIS_BATCH_MAX_SIZE),
                config.get(EngineOptions.REDIS_BATCH_MAX_DELAY));
    }

    /** The profile hash the storefront reads (also what a rebuild of Redis writes). */
    public static ProfileRedisMapper profileMapper(EngineConfig config) {
        return new ProfileRedisMapper(
                new RedisKeys(config.get(EngineOptions.REDIS_KEY_PREFIX)),
                config.get(EngineOptions.REDIS_PROFILE_TTL),
                config.get(EngineOptions.AFFINITY_HALF_LIFE),
                config.get(EngineOptions.PRIVACY_PERSONALIZATION_CONSENT_DEFAULT).granted(),
                config.get(EngineOptions.PRIVACY_MARKETING_CONSENT_DEFAULT).granted());
    }

    public static RedisEndpoint redisEndpoint(EngineConfig config) {
        RedisEndpoint endpoint =
                config.get(EngineOptions.REDIS_MODE) == RedisMode.CLUSTER
                        ? RedisEndpoint.cluster(config.get(EngineOptions.REDIS_CLUSTER_NODES))
                        : RedisEndpoint.standalone(
                                config.get(EngineOptions.REDIS_HOST),
                                config.get(EngineOptions.REDIS_PORT));
        return endpoint.withCredentials(
                        config.get(EngineOptions.REDIS_USER).orElse(null),
                        config.get(EngineOptions.REDIS_PASSWORD).map(Secret::reveal).orElse(null))
                .withTls(config.get(EngineOptions.REDIS_TLS))
                .withTrustStore(
                        config.get(EngineOptions.REDIS_TLS_TRUSTSTORE_LOCATION).orElse(null),
                        config.get(EngineOptions.REDIS_TLS_TRUSTSTORE_PASSWORD)
                                .map(Secret::reveal)
                                .orElse(null))
                .withTimeoutMillis((int) config.get(EngineOptions.REDIS_TIMEOUT).toMillis());
    }

    private static Properties kafkaProperties(EngineConfig config) {
        Properties properties = new Properties();
        for (Map.Entry<String, String> entry : config.kafkaClientProperties().entrySet()) {
            properties.setProperty(entry.getKey(), entry.getValue());
        }
        return properties;
    }
}
