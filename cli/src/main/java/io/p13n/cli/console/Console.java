package io.p13n.cli.console;

import io.p13n.cli.CustomerIds;
import io.p13n.cli.CustomerView;
import io.p13n.cli.campaign.CampaignTopic;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.config.Secret;
import io.p13n.jobs.PersonalizationJob;
import io.p13n.jobs.redis.RedisEndpoint;
import io.p13n.jobs.redis.RedisKeys;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.CommonClientConfigs;
import redis.clients.jedis.UnifiedJedis;

/**
 * A running marketing console: its web server, one Redis client and the live sampler, for as long
 * as it is open. Started by {@code personalize console} (and by {@code demo}) from the engine's
 * configuration, so it reads the Redis keys, topics and pseudonyms the engine writes.
 */
public final class Console implements AutoCloseable {
    private final UnifiedJedis redis;
    private final LiveSampler live;
    private final ConsoleServer server;
    private final String url;
    private final ConsoleAccess access;

    private Console(
            UnifiedJedis redis,
            LiveSampler live,
            ConsoleServer server,
            String url,
            ConsoleAccess access) {
        this.redis = redis;
        this.live = live;
        this.server = server;
        this.url = url;
        this.access = access;
    }

    /**
     * Starts a console on the engine's configuration: its Redis ({@code redis.*}), Kafka ({@code
     * kafka.*}), pseudonymization key and the {@code console.*} options.
     *
     * @throws IllegalStateException when {@code console.bind} is not loopback and no login is
     *     configured
     */
    public static Console start(EngineConfig config) {
        Optional<Secret> key = CustomerIds.key(config);
        // The pseudonym of a raw id, exactly as `show customer` computes it.
        UnaryOperator<String> engineId = id -> CustomerIds.engineId(id, false, key);
        return start(
                config,
                PersonalizationJob.redisEndpoint(config),
                config.get(EngineOptions.REDIS_KEY_PREFIX),
                engineId);
    }

    /**
     * Starts a console with Redis given apart from the configuration, as {@code personalize
     * console} reads it from {@code --redis-host}/{@code --redis-port}/{@code --key-prefix} or
     * {@code --config}.
     *
     * @param engineId the id the engine keeps a customer under, from the store's id
     */
    static Console start(
            EngineConfig config,
            RedisEndpoint redisEndpoint,
            String keyPrefix,
            UnaryOperator<String> engineId) {
        ConsoleAccess access = ConsoleAccess.of(config); // refuses before anything is opened
        RedisKeys keys = new RedisKeys(keyPrefix);
        UnifiedJedis redis = redisEndpoint.connect();
        Map<String, Object> kafka = new HashMap<>(config.kafkaClientProperties());
        kafka.put(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                config.get(EngineOptions.KAFKA_BOOTSTRAP_SERVERS));
        CampaignTopic topic =
                new CampaignTopic(
                        config.get(EngineOptions.KAFKA_BOOTSTRAP_SERVERS),
                        config.kafkaClientProperties(),
                        config.get(EngineOptions.KAFKA_TOPIC_CAMPAIGNS));
        String dashboard = config.get(EngineOptions.CONSOLE_FLINK_REST);
        LiveSampler live =
                new LiveSampler(
                        kafka,
                        List.of(
                                config.get(EngineOptions.KAFKA_TOPIC_CLICKS),
                                config.get(EngineOptions.KAFKA_TOPIC_ORDERS)),
                        config.get(EngineOptions.KAFKA_TOPIC_DEAD_LETTERS),
                        redis,
                        keys,
                        URI.create(dashboard.endsWith("/") ? dashboard : dashboard + "/"),
                        config.get(EngineOptions.JOB_NAME));
        ConsoleServer server =
                new ConsoleServer(
                        access,
                        new ConsoleServer.Backends(
                                new CampaignBoard(topic, redis, keys),
                                id -> redis.hgetAll(keys.campaignStats(id)),
                                id -> redis.hgetAll(keys.campaignStatsHistory(id)),
                                id -> {
                                    String engine = engineId.apply(id);
                                    return CustomerView.read(
                                            redis,
                                            keys,
                                            engine,
                                            engine.equals(id)
                                                    ? id
                                                    : id + " (pseudonym " + engine + ")");
                                },
                                live,
                                dashboard));
        String bind = config.get(EngineOptions.CONSOLE_BIND);
        int port;
        try {
            port = server.start(bind, config.get(EngineOptions.CONSOLE_PORT));
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
        live.start();
        String host = bind.contains(":") ? "[" + bind + "]" : bind;
        if (bind.equals("0.0.0.0") || bind.equals("::")) {
            host = "localhost";
        }
        return new Console(redis, live, server, "http://" + host + ":" + port + "/", access);
    }

    /** Where the console answers, e.g. {@code http://127.0.0.1:8070/}. */
    public String url() {
        return url;
    }

    /** How requests are let in (no secret), for the start-up line. */
    public String access() {
        return access.describe();
    }

    @Override
    public void close() {
        server.close();
        live.close();
        redis.close();
    }
}
