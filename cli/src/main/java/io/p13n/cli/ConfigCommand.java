package io.p13n.cli;

import io.p13n.config.ConfigDocs;
import io.p13n.config.ConfigException;
import io.p13n.config.EngineConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Checks and documents the engine configuration without starting anything. */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description =
                "Check a configuration file, or print the option reference or an example file.",
        subcommands = {
            ConfigCommand.Check.class,
            ConfigCommand.Docs.class,
            ConfigCommand.Example.class
        })
final class ConfigCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description =
                    "Validate FILE (with P13N_* environment overrides) and print the effective values, secrets masked.")
    static final class Check implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "Engine configuration (.properties).")
        Path file;

        @Override
        public Integer call() {
            try {
                EngineConfig config = EngineConfig.load(file, System.getenv());
                System.out.println(config.describe());
                System.out.println("OK: " + file + " is valid.");
                return 0;
            } catch (ConfigException e) {
                System.err.println(e.getMessage());
                return 2;
            }
        }
    }

    @Command(
            name = "docs",
            mixinStandardHelpOptions = true,
            description =
                    "Print every option as a Markdown table (key, environment variable, default, description).")
    static final class Docs implements Runnable {
        @Override
        public void run() {
            System.out.println(ConfigDocs.markdownTable());
        }
    }

    @Command(
            name = "example",
            mixinStandardHelpOptions = true,
            description = "Print a commented example configuration file to start from.")
    static final class Example implements Callable<Integer> {
        @Override
        public Integer call() throws IOException {
            try (InputStream in =
                    EngineConfig.class.getResourceAsStream("/io/p13n/config/example.properties")) {
                System.out.print(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            return 0;
        }
    }
}
