package io.p13n.cli;

import io.p13n.cli.rebuild.RebuildException;
import io.p13n.cli.rebuild.SavepointRebuild;
import io.p13n.config.ConfigException;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.jobs.PersonalizationJob;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Operations on the engine's Redis. */
@Command(
        name = "redis",
        mixinStandardHelpOptions = true,
        description = "Operations on the Redis the storefront reads.",
        subcommands = {RedisCommand.Rebuild.class})
final class RedisCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(
            name = "rebuild",
            mixinStandardHelpOptions = true,
            description = {
                "Rebuild what the storefront reads (profiles, similar-items and trending lists, active offers, recommendation lists) from the engine's keyed state in a savepoint or retained checkpoint, with the job's keys, mappers and TTLs.",
                "For a Redis that came back empty; no customer has to come back first. Recommendations are ranked as the job ranks them, over the rebuilt lists. Campaign stats are not rebuilt."
            })
    static final class Rebuild implements Callable<Integer> {
        @Option(
                names = "--from-savepoint",
                required = true,
                paramLabel = "PATH",
                description =
                        "A savepoint or retained checkpoint directory (chk-N) containing _metadata.")
        String savepoint;

        @Option(
                names = "--config",
                paramLabel = "FILE",
                description =
                        "Engine configuration (.properties) the job runs with; P13N_* environment variables override it. Without it, the environment alone.")
        Path configFile;

        @Override
        public Integer call() {
            EngineConfig config;
            try {
                config =
                        configFile == null
                                ? EngineConfig.fromMap(Map.of(), System.getenv())
                                : EngineConfig.load(configFile, System.getenv());
            } catch (ConfigException e) {
                System.err.println(e.getMessage());
                return 2;
            }
            System.out.println(
                    "Rebuilding "
                            + PersonalizationJob.redisEndpoint(config)
                            + " (key prefix "
                            + config.get(EngineOptions.REDIS_KEY_PREFIX)
                            + ") from "
                            + savepoint);
            try {
                SavepointRebuild.Result r =
                        new SavepointRebuild(config).rebuild(savepoint, System.out);
                System.out.printf(
                        "Rebuilt in %.1f s: %d profiles, %d similar-items lists, %d trending lists,"
                                + " %d active-offers keys, %d recommendation lists (%d Redis"
                                + " commands; offers as of event time %s).%n",
                        r.took().toMillis() / 1000.0,
                        r.profiles(),
                        r.similarLists(),
                        r.trendingLists(),
                        r.activeOffers(),
                        r.recommendations(),
                        r.redisCommands(),
                        java.time.Instant.ofEpochMilli(r.eventClock()));
                System.out.println(
                        "Not rebuilt: campaign stats, segment histories and recent decisions"
                                + " (no state holds them). Recommendation lists are ranked over the"
                                + " rebuilt lists, as the job would on each customer's next event.");
                return 0;
            } catch (RebuildException e) {
                System.err.println(e.getMessage());
                return 1;
            }
        }
    }
}
