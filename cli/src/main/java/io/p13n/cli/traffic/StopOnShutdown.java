package io.p13n.cli.traffic;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Makes Ctrl-C end a sending command cleanly: while open, a JVM shutdown hook calls the stop action
 * and then waits (up to a limit) until this guard is closed, so that the command's thread can flush
 * and close its Kafka producer before the JVM exits. List it before the producer in
 * try-with-resources: resources close in reverse order, so the hook is released only once the
 * producer is closed.
 *
 * <pre>{@code
 * try (StopOnShutdown guard = new StopOnShutdown("generate", traffic::stop); traffic) {
 *   traffic.run(duration, maxEvents);
 * }
 * }</pre>
 */
public final class StopOnShutdown implements AutoCloseable {
    private static final Duration MAX_WAIT = Duration.ofSeconds(15);

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    public StopOnShutdown(String name, Runnable stop) {
        this.hook =
                new Thread(
                        () -> {
                            stop.run();
                            try {
                                finished.await(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or has run: the JVM is exiting, which is what it waits for.
        }
    }
}
