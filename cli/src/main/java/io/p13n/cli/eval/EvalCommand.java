package io.p13n.cli.eval;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code eval}: offline evaluations of the engine's models against public data sets. */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = "Offline evaluation of the engine's models on public data sets.",
        subcommands = {RecommendationsEvalCommand.class})
public final class EvalCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
