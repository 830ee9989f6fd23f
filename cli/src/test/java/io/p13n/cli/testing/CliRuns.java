package io.p13n.cli.testing;

import io.p13n.cli.PersonalizeCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** The {@code ./personalize} launcher run in-process, as the tests of its commands need it. */
public final class CliRuns {
    private CliRuns() {}

    /**
     * Runs the launcher with {@code System.out} and {@code System.err} captured; returns the exit
     * code, stdout and stderr, in that order.
     */
    public static String[] execute(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            int code = PersonalizeCli.commandLine().execute(args);
            return new String[] {
                Integer.toString(code),
                outBytes.toString(StandardCharsets.UTF_8),
                errBytes.toString(StandardCharsets.UTF_8)
            };
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
