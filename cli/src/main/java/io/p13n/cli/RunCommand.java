package io.p13n.cli;

import io.p13n.config.ConfigException;
import io.p13n.config.EngineConfig;
import io.p13n.jobs.PersonalizationJob;
import io.p13n.jobs.recovery.ResumePlan;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The engine against external Kafka and Redis, on a local Flink with its dashboard. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run the engine against the Kafka and Redis named in the configuration, on a local Flink with the web dashboard.",
            "Resumes from the job's latest retained checkpoint in checkpoint.dir (or --from-savepoint PATH); --fresh starts over.",
            "To run on a Flink cluster instead, submit flink-jobs/target/flink-jobs-*-job.jar with `flink run ... --config FILE`."
        })
final class RunCommand implements Callable<Integer> {
    @Option(
            names = "--config",
            required = true,
            paramLabel = "FILE",
            description =
                    "Engine configuration (.properties); P13N_* environment variables override it.")
    Path configFile;

    @Option(
            names = "--from-savepoint",
            paramLabel = "PATH",
            description =
                    "Restore from this savepoint or retained checkpoint instead of the latest retained checkpoint.")
    String fromSavepoint;

    @Option(
            names = "--fresh",
            description =
                    "Start with empty state: the job's retained checkpoints are moved aside (not deleted) and not restored.")
    boolean fresh;

    @Option(
            names = "--dashboard-port",
            defaultValue = "8081",
            description = "Port of the Flink web dashboard (default: ${DEFAULT-VALUE}).")
    int dashboardPort;

    @Override
    public Integer call() throws Exception {
        EngineConfig config;
        try {
            config = EngineConfig.load(configFile, System.getenv());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        if (fresh && fromSavepoint != null) {
            System.err.println("--fresh and --from-savepoint exclude each other");
            return 2;
        }
        Configuration flink = PersonalizationJob.flinkConfiguration(config);
        flink.set(RestOptions.PORT, dashboardPort);
        // A restarted process resumes where the last one's latest completed checkpoint left off.
        ResumePlan resume = ResumePlan.decide(config, fromSavepoint, fresh);
        resume.applyTo(flink);
        System.out.println(resume.message());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink);
        System.out.println("Flink dashboard: http://localhost:" + dashboardPort);
        System.out.println(config.describe());
        PersonalizationJob.run(env, config);
        return 0;
    }
}
