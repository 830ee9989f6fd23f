package io.p13n.cli;

import io.p13n.cli.bench.BenchCommand;
import io.p13n.cli.campaign.CampaignCommand;
import io.p13n.cli.churn.ChurnCommand;
import io.p13n.cli.console.ConsoleCommand;
import io.p13n.cli.eval.EvalCommand;
import io.p13n.cli.replay.ReplayCommand;
import io.p13n.cli.traffic.GenerateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ./personalize} launcher: one entry point for running, feeding and inspecting the
 * engine.
 */
@Command(
        name = "personalize",
        mixinStandardHelpOptions = true,
        version = "personalize 0.1.0",
        description =
                "Real-time personalization engine for online stores: Kafka -> Flink -> Redis.",
        subcommands = {
            DemoCommand.class,
            RunCommand.class,
            GenerateCommand.class,
            ReplayCommand.class,
            ShowCommand.class,
            ChurnCommand.class,
            EvalCommand.class,
            CampaignCommand.class,
            ConsoleCommand.class,
            BenchCommand.class,
            RedisCommand.class,
            PrivacyCommand.class,
            ConfigCommand.class,
            CommandLine.HelpCommand.class
        })
public final class PersonalizeCli implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests execute it without exiting the JVM. */
    public static CommandLine commandLine() {
        return new CommandLine(new PersonalizeCli()).setCaseInsensitiveEnumValuesAllowed(true);
    }
}
