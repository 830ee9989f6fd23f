package io.p13n.cli.bench;

import java.io.PrintStream;

/** One status line rewritten in place ({@code \r}), ended with a newline when the step is done. */
public final class ProgressLine {
    private final PrintStream out;
    private final long started = System.nanoTime();
    private int lastLength;

    public ProgressLine(PrintStream out) {
        this.out = out;
    }

    /** Seconds since this line started, for the {@code [ 12s]} prefix. */
    public long elapsedSeconds() {
        return (System.nanoTime() - started) / 1_000_000_000L;
    }

    public void update(String text) {
        String line = String.format("[%4ds] %s", elapsedSeconds(), text);
        int pad = Math.max(0, lastLength - line.length());
        out.print("\r" + line + " ".repeat(pad));
        out.flush();
        lastLength = line.length();
    }

    public void done(String text) {
        update(text);
        out.println();
        lastLength = 0;
    }
}
