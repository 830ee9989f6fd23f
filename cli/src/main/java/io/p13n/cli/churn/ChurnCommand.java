package io.p13n.cli.churn;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code churn}: the BG/NBD churn model behind the engine's P(alive) and expected-purchases scores.
 */
@Command(
        name = "churn",
        mixinStandardHelpOptions = true,
        description = {
            "The churn model: BG/NBD (Fader, Hardie & Lee 2005), which the job uses to score how likely a",
            "customer is still active and how many purchases to expect from them."
        },
        subcommands = {ChurnFitCommand.class})
public final class ChurnCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
