package io.p13n.cli.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stops the benchmark cleanly on SIGTERM or Ctrl-C, in any phase: the JVM's shutdown hook
 * interrupts the benchmark's thread, which cancels its job and closes the embedded stack on its way
 * out, and the hook waits for that. If the cleanup does not finish within {@code grace}, the hook
 * halts the JVM: a benchmark stopped under {@code timeout} once hung in shutdown for 50 minutes, a
 * local Flink cluster still draining, until {@code kill -9}.
 */
final class StopOnSignal implements AutoCloseable {
    private final Thread worker = Thread.currentThread();
    private final CountDownLatch cleanedUp = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean signalled;

    StopOnSignal(PrintStream out, Duration grace) {
        hook =
                new Thread(
                        () -> {
                            signalled = true;
                            out.println();
                            out.println(
                                    "Stopping: cancelling the running job and shutting down the embedded stack...");
                            out.flush();
                            worker.interrupt();
                            try {
                                if (!cleanedUp.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                                    out.println(
                                            "Not stopped after "
                                                    + grace.toSeconds()
                                                    + " s: halting.");
                                    out.flush();
                                    Runtime.getRuntime().halt(143);
                                }
                            } catch (InterruptedException e) {
                                Runtime.getRuntime().halt(143);
                            }
                        },
                        "bench-stop-on-signal");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** True once a signal asked the benchmark to stop. */
    boolean signalled() {
        return signalled;
    }

    /** Throws if a signal asked the benchmark to stop: between phases, nothing new starts. */
    void check() throws InterruptedException {
        if (signalled) {
            throw new InterruptedException("stopped by a signal");
        }
    }

    /** The benchmark's thread has cleaned up: the hook (if running) may let the JVM end. */
    @Override
    public void close() {
        cleanedUp.countDown();
        if (!signalled) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down already
            }
        }
    }
}
