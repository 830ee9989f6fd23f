package io.p13n.cli.console;

import io.p13n.cli.KafkaOptions;
import io.p13n.cli.RedisOptions;
import io.p13n.config.ConfigException;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code personalize console}: the marketing console, a web page on the engine's Redis and Kafka
 * (campaigns, one customer, the engine's health). Runs until Ctrl-C.
 */
@Command(
        name = "console",
        mixinStandardHelpOptions = true,
        description = {
            "Serve the marketing console: campaigns (create, pause, resume, end, results), a customer's",
            "360 view and the engine's live health, read from the Redis and Kafka the engine writes.",
            "Listens on 127.0.0.1 unless told otherwise; elsewhere it needs a login (README, Marketing console)."
        })
public final class ConsoleCommand implements Callable<Integer> {
    /**
     * The engine's Redis: --redis-host/--redis-port/--key-prefix, or --config for all of it (and
     * for Kafka and the console.* options).
     */
    @Mixin RedisOptions redis;

    @Mixin ConsoleKafkaOptions kafka;

    @Option(names = "--port", description = "console.port (default: 8070; 0 picks a free one).")
    Integer port;

    @Option(
            names = "--bind",
            description =
                    "console.bind: the address to listen on (default: 127.0.0.1). Any other needs console.user and console.password, or a trusted proxy header.")
    String bind;

    @Option(
            names = "--flink-rest",
            paramLabel = "URL",
            description =
                    "console.flink-rest: the engine's Flink REST API and dashboard (default: http://localhost:8081).")
    String flinkRest;

    @Option(
            names = "--user",
            description =
                    "console.user, the Basic login's user; its password only from env P13N_CONSOLE_PASSWORD or the --config file, never the command line.")
    String user;

    /** Kafka's address from --bootstrap-servers, or with everything else from --config. */
    public static final class ConsoleKafkaOptions extends KafkaOptions {
        Path configFile;

        @Override
        protected Path configFile() {
            return configFile;
        }

        @Override
        protected Map<String, String> topicOptions() {
            return Map.of();
        }
    }

    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        EngineConfig config;
        try {
            config = configuration();
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        Console console;
        try {
            console = Console.start(config, redis.endpoint(), redis.prefix(), redis::engineId);
        } catch (IllegalStateException e) {
            System.err.println("personalize console: " + e.getMessage());
            return 2;
        }
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    console.close();
                                    stopped.countDown();
                                },
                                "console-shutdown"));
        System.out.println("Marketing console   " + console.url());
        System.out.println("  access            " + console.access());
        System.out.println("  Redis             " + redis.endpoint() + "   keys " + redis.prefix());
        System.out.println("  Kafka             " + kafka.bootstrapServers());
        System.out.println("Ctrl-C stops it.");
        stopped.await();
        return 0;
    }

    /**
     * The engine's configuration (from --config, or the defaults with --bootstrap-servers), the
     * environment over it (P13N_CONSOLE_PASSWORD, P13N_PRIVACY_PSEUDONYMIZATION_KEY, ...), this
     * command's options over both.
     */
    private EngineConfig configuration() {
        EngineConfig base = redis.engineConfig().orElse(null);
        kafka.configFile = base == null ? null : configFileOf();
        String bootstrap = kafka.bootstrapServers(); // a usage error without a Kafka
        if (base == null) {
            base =
                    EngineConfig.fromMap(
                            Map.of(EngineOptions.KAFKA_BOOTSTRAP_SERVERS.key(), bootstrap),
                            System.getenv());
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        if (port != null) {
            overrides.put(EngineOptions.CONSOLE_PORT.key(), Integer.toString(port));
        }
        if (bind != null) {
            overrides.put(EngineOptions.CONSOLE_BIND.key(), bind);
        }
        if (flinkRest != null) {
            overrides.put(EngineOptions.CONSOLE_FLINK_REST.key(), flinkRest);
        }
        if (user != null) {
            overrides.put(EngineOptions.CONSOLE_USER.key(), user);
        }
        return overrides.isEmpty() ? base : base.with(new HashMap<>(overrides));
    }

    private Path configFileOf() {
        return redis.configFile();
    }
}
