package io.p13n.cli.rebuild;

import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.config.StateBackendKind;
import io.p13n.jobs.PersonalizationJob;
import io.p13n.jobs.Uids;
import io.p13n.jobs.WorkflowSettings;
import io.p13n.jobs.offers.ActiveOffersFunction;
import io.p13n.jobs.offers.ActiveOffersRedisMapper;
import io.p13n.jobs.profile.CustomerProfileFunction;
import io.p13n.jobs.profile.ProfileRedisMapper;
import io.p13n.jobs.recommend.ItemNeighbours;
import io.p13n.jobs.recommend.OverallTrendingFunction;
import io.p13n.jobs.recommend.RankRecommendationsFunction;
import io.p13n.jobs.recommend.RecommendationRedisMappers;
import io.p13n.jobs.recommend.RecommendationRequests;
import io.p13n.jobs.recommend.RecommendationSettings;
import io.p13n.jobs.recommend.SimilarItemsFunction;
import io.p13n.jobs.recommend.Trending;
import io.p13n.jobs.recommend.TrendingItemsFunction;
import io.p13n.jobs.redis.RedisBatchWriter;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.jobs.redis.RedisMapper;
import io.p13n.jobs.redis.RedisValueWrite;
import io.p13n.jobs.redis.RedisWrite;
import io.p13n.model.ActiveOffer;
import io.p13n.model.ActiveOffers;
import io.p13n.model.CustomerProfile;
import io.p13n.model.CustomerRecommendations;
import io.p13n.model.RecommendationRequest;
import io.p13n.model.SimilarItems;
import io.p13n.model.TrendingItems;
import io.p13n.model.TrendingState;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ExceptionUtils;

/**
 * Rebuilds what the storefront reads in Redis from the engine's keyed state in a savepoint (or a
 * retained checkpoint), read with the State Processor API on a local Flink: profiles, similar-items
 * lists, trending lists, active offers and per-customer recommendation lists, each with the key,
 * mapper and TTL the job writes it with, in pipelined batches of {@code redis.batch.max-size}.
 *
 * <p>Time. A list's scores decay with event time: each is computed as of its own state's last
 * event, as the job last published it. Active offers are as of the savepoint's event-time clock,
 * the newest event any profile holds; their key expires when the last offer does, counted from that
 * clock, so the rebuilt TTL is never longer than the job's.
 *
 * <p>Recommendations are ranked with the job's functions ({@link RecommendationRequests#from},
 * {@link RankRecommendationsFunction#rank}) over the rebuilt lists held in memory ({@link
 * HeldServingLists}): what the job would rank on the customer's next event, not necessarily what it
 * last wrote (it ranked over the lists of that moment). Not rebuilt: campaign stats (their state is
 * not read).
 */
public final class SavepointRebuild {
    /** What was written, per kind. */
    public record Result(
            long profiles,
            long similarLists,
            long trendingLists,
            long activeOffers,
            long recommendations,
            long ledgersWithoutActiveOffers,
            long eventClock,
            long redisCommands,
            Duration took) {}

    private final EngineConfig config;
    private final WorkflowSettings settings;
    private final RedisKeys keys;

    public SavepointRebuild(EngineConfig config) {
        this.config = config;
        this.settings = WorkflowSettings.from(config);
        this.keys = new RedisKeys(config.get(EngineOptions.REDIS_KEY_PREFIX));
    }

    /**
     * The savepoint's directory for Flink, checked before anything starts when it is local: a
     * directory holding {@code _metadata}, or that file itself. Other file systems (s3://, ...) are
     * left to Flink.
     */
    public static String checkLocation(String path) throws RebuildException {
        URI uri;
        try {
            uri = URI.create(path);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        Path local;
        if (uri == null || uri.getScheme() == null || uri.getScheme().length() == 1) {
            local = Path.of(path); // a plain path (or a Windows drive letter)
        } else if (uri.getScheme().equals("file")) {
            local = Path.of(uri);
        } else {
            return path;
        }
        local = local.toAbsolutePath().normalize();
        if (local.getFileName() != null
                && local.getFileName().toString().equals("_metadata")
                && Files.isRegularFile(local)) {
            local = local.getParent();
        }
        if (!Files.exists(local)) {
            throw new RebuildException(
                    "No savepoint at "
                            + path
                            + ": it does not exist. Expected a savepoint directory or a retained"
                            + " checkpoint directory (chk-N) containing _metadata.");
        }
        if (!Files.isRegularFile(local.resolve("_metadata"))) {
            String hint =
                    latestCheckpointIn(local)
                            .map(c -> " The newest one here is " + c + ".")
                            .orElse("");
            throw new RebuildException(
                    "No savepoint at "
                            + path
                            + ": "
                            + local
                            + " has no _metadata file. Expected a savepoint directory"
                            + " (savepoint-...) or a retained checkpoint directory (chk-N) containing"
                            + " _metadata, not the job's checkpoint directory above them."
                            + hint);
        }
        return local.toUri().toString();
    }

    /** The newest chk-N with _metadata directly below {@code dir} or one level deeper. */
    private static Optional<Path> latestCheckpointIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> found = Files.walk(dir, 2)) {
            return found.filter(p -> p.getFileName().toString().matches("chk-\\d+"))
                    .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
                    .max(
                            Comparator.comparingLong(
                                    p -> Long.parseLong(p.getFileName().toString().substring(4))));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Reads the savepoint at {@code path} and writes Redis; progress lines go to {@code out}. */
    public Result rebuild(String path, PrintStream out) throws RebuildException {
        long started = System.nanoTime();
        String location = checkLocation(path);
        StreamExecutionEnvironment env = localEnvironment(config);
        SavepointReader savepoint;
        try {
            savepoint = SavepointReader.read(env, location, stateBackend(config));
        } catch (Exception e) {
            throw new RebuildException(
                    "Cannot read the savepoint at " + path + ": " + rootMessage(e), e);
        }
        RecommendationSettings recommend = settings.recommend();
        int batchSize = config.get(EngineOptions.REDIS_BATCH_MAX_SIZE);
        try (RedisBatchWriter redis =
                new RedisBatchWriter(PersonalizationJob.redisEndpoint(config), batchSize)) {
            // profiles first: their newest event is the event-time clock the offers are read at
            ProfileRedisMapper profileMapper = PersonalizationJob.profileMapper(config);
            long[] clock = {Long.MIN_VALUE};
            long profiles =
                    read(
                            savepoint,
                            path,
                            Uids.CUSTOMER_PROFILE,
                            CustomerProfileFunction.profileDescriptor(settings.customerTtl()),
                            (customer, profile) -> profile,
                            CustomerProfile.class,
                            profile -> {
                                clock[0] = Math.max(clock[0], profile.getLastEventTime());
                                write(redis, profileMapper.toWrite(profile));
                            });
            out.println("  profiles: " + profiles);

            HeldServingLists held = new HeldServingLists();
            RedisMapper<SimilarItems> similarMapper =
                    RecommendationRedisMappers.similarItems(keys, recommend.similarTtlMillis());
            long similar =
                    read(
                            savepoint,
                            path,
                            Uids.SIMILAR_ITEMS,
                            SimilarItemsFunction.neighboursDescriptor(),
                            (item, neighbours) ->
                                    ItemNeighbours.similar(
                                            neighbours, neighbours.getLastEventTime(), recommend),
                            SimilarItems.class,
                            list -> {
                                held.add(list);
                                write(redis, similarMapper.toWrite(list));
                            });
            out.println("  similar-items lists: " + similar);

            RedisMapper<TrendingItems> trendingMapper =
                    RecommendationRedisMappers.trending(keys, recommend.trendingTtlMillis());
            KeyedValueReader.Mapping<TrendingState, TrendingItems> top =
                    (category, state) -> Trending.latest(state, recommend);
            Consumer<TrendingItems> writeTrending =
                    list -> {
                        held.add(list);
                        write(redis, trendingMapper.toWrite(list));
                    };
            long trending =
                    read(
                                    savepoint,
                                    path,
                                    Uids.CATEGORY_TRENDING,
                                    TrendingItemsFunction.trendingDescriptor(),
                                    top,
                                    TrendingItems.class,
                                    writeTrending)
                            + read(
                                    savepoint,
                                    path,
                                    Uids.OVERALL_TRENDING,
                                    OverallTrendingFunction.trendingDescriptor(),
                                    top,
                                    TrendingItems.class,
                                    writeTrending);
            out.println("  trending lists: " + trending);

            ActiveOffersRedisMapper offersMapper = new ActiveOffersRedisMapper(keys);
            long now = clock[0] == Long.MIN_VALUE ? System.currentTimeMillis() : clock[0];
            long[] withoutActive = {0};
            long offers =
                    read(
                            savepoint,
                            path,
                            Uids.ACTIVE_OFFERS,
                            ActiveOffersFunction.ledgerDescriptor(settings.offers()),
                            (customer, ledger) ->
                                    ActiveOffersFunction.lastSnapshot(customer, ledger, now),
                            ActiveOffers.class,
                            snapshot -> {
                                RedisWrite w = activeOffersWrite(offersMapper, snapshot, now);
                                if (w == null) {
                                    withoutActive[0]++;
                                } else {
                                    write(redis, w);
                                }
                            });
            long activeOffers = offers - withoutActive[0];
            out.println(
                    "  active-offers keys: "
                            + activeOffers
                            + " ("
                            + withoutActive[0]
                            + " ledgers hold no active offer: no key)");

            // per-customer lists: the profiles again, ranked as the job ranks them, over the lists
            // above (what its ranking would read from Redis now)
            RedisMapper<CustomerRecommendations> recommendationsMapper =
                    RecommendationRedisMappers.recommendations(
                            keys, recommend.recommendationsTtlMillis());
            long recommendations =
                    read(
                            savepoint,
                            path,
                            Uids.CUSTOMER_PROFILE,
                            CustomerProfileFunction.profileDescriptor(settings.customerTtl()),
                            (customer, profile) -> RecommendationRequests.from(profile),
                            RecommendationRequest.class,
                            request ->
                                    write(
                                            redis,
                                            recommendationsMapper.toWrite(
                                                    RankRecommendationsFunction.rank(
                                                            request, held, recommend))));
            out.println("  recommendation lists: " + recommendations);
            redis.flush();
            return new Result(
                    profiles,
                    similar,
                    trending,
                    activeOffers,
                    recommendations,
                    withoutActive[0],
                    now,
                    redis.commands(),
                    Duration.ofNanos(System.nanoTime() - started));
        } catch (IOException e) {
            throw new RebuildException("Writing to Redis failed: " + rootMessage(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RebuildException("Interrupted", e);
        } catch (UncheckedIOException e) {
            throw new RebuildException("Writing to Redis failed: " + rootMessage(e), e);
        }
    }

    /**
     * The job's write for the snapshot, its TTL cut to what is left at {@code now} (the job counts
     * it from the snapshot's time); null when no offer is active.
     */
    static RedisWrite activeOffersWrite(
            ActiveOffersRedisMapper mapper, ActiveOffers snapshot, long now) {
        RedisWrite write = mapper.toWrite(snapshot);
        if (!(write instanceof RedisValueWrite value)) {
            return null; // no active offer: the job deletes the key, and there is none
        }
        long lastExpiry =
                snapshot.getOffers().stream().mapToLong(ActiveOffer::getExpiresAt).max().orElse(0);
        long left = Math.min(value.ttlMillis(), lastExpiry - now);
        return left > 0 ? new RedisValueWrite(value.key(), value.value(), left) : null;
    }

    /** Reads one operator's state, mapped per key, into {@code sink}; returns how many. */
    private <T, O extends SpecificRecordBase> long read(
            SavepointReader savepoint,
            String path,
            String uid,
            ValueStateDescriptor<T> descriptor,
            KeyedValueReader.Mapping<T, O> mapping,
            Class<O> type,
            Consumer<O> sink)
            throws RebuildException {
        DataStream<O> stream;
        try {
            stream =
                    savepoint.readKeyedState(
                            OperatorIdentifier.forUid(uid),
                            new KeyedValueReader<>(descriptor, mapping),
                            Types.STRING,
                            new AvroTypeInfo<>(type));
        } catch (IOException e) {
            throw new RebuildException(
                    path
                            + " is not a savepoint of this job: it holds no state for operator uid '"
                            + uid
                            + "' (expected a savepoint or retained checkpoint of the"
                            + " personalization job, whose operator uids are in io.p13n.jobs.Uids).",
                    e);
        }
        long count = 0;
        try (CloseableIterator<O> values =
                stream.executeAndCollect("Rebuild Redis: read " + uid + " from " + path)) {
            while (values.hasNext()) {
                sink.accept(values.next());
                count++;
            }
        } catch (UncheckedIOException e) {
            throw e; // Redis, not the savepoint
        } catch (Exception e) {
            throw new RebuildException(
                    "Reading state '"
                            + descriptor.getName()
                            + "' of operator '"
                            + uid
                            + "' from "
                            + path
                            + " failed (is it a savepoint of this version of the job?): "
                            + rootMessage(e),
                    e);
        }
        return count;
    }

    private static void write(RedisBatchWriter redis, RedisWrite write) {
        try {
            redis.write(write);
        } catch (IOException e) {
            throw new RedisWriteFailed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisWriteFailed(new IOException("interrupted", e));
        }
    }

    /** A Redis failure inside a collecting loop, unwrapped by {@link #rebuild}. */
    private static final class RedisWriteFailed extends UncheckedIOException {
        private static final long serialVersionUID = 1L;

        RedisWriteFailed(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    static StreamExecutionEnvironment localEnvironment(EngineConfig config) {
        Configuration flink = new Configuration();
        flink.set(CoreOptions.DEFAULT_PARALLELISM, config.get(EngineOptions.JOB_PARALLELISM));
        flink.setString(
                "taskmanager.memory.managed.size",
                config.get(EngineOptions.STATE_LOCAL_MANAGED_MEMORY_MB) + "m");
        // From the command line a local Flink in this JVM; a test's own cluster inside a test.
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        return env;
    }

    /** The job's backend: a retained RocksDB checkpoint (native, incremental) needs RocksDB. */
    static StateBackend stateBackend(EngineConfig config) {
        return config.get(EngineOptions.STATE_BACKEND) == StateBackendKind.ROCKSDB
                ? new EmbeddedRocksDBStateBackend()
                : new HashMapStateBackend();
    }

    static String rootMessage(Throwable e) {
        Throwable root = ExceptionUtils.stripExecutionException(e);
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
