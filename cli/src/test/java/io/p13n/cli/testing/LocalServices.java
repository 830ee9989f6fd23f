package io.p13n.cli.testing;

import io.p13n.cli.local.EmbeddedKafka;
import io.p13n.cli.local.EmbeddedRedis;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka broker and a real Redis server for a test class: the same embedded stack {@code
 * personalize demo} runs. Started once per class, stopped after it; tests isolate themselves with
 * fresh topic names and key prefixes.
 */
public final class LocalServices implements BeforeAllCallback, AfterAllCallback {
    private final boolean withKafka;
    private EmbeddedKafka kafka;
    private EmbeddedRedis redis;

    private LocalServices(boolean withKafka) {
        this.withKafka = withKafka;
    }

    public static LocalServices kafkaAndRedis() {
        return new LocalServices(true);
    }

    public static LocalServices redisOnly() {
        return new LocalServices(false);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        redis = EmbeddedRedis.start();
        if (withKafka) {
            kafka = EmbeddedKafka.start();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (kafka != null) {
            kafka.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    public EmbeddedKafka kafka() {
        if (kafka == null) {
            throw new IllegalStateException("this LocalServices has no Kafka");
        }
        return kafka;
    }

    public EmbeddedRedis redis() {
        return redis;
    }
}
