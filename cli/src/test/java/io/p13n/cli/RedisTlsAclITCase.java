package io.p13n.cli;

import static io.p13n.model.testing.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.p13n.cli.testing.CliRuns;
import io.p13n.cli.testing.LocalServices;
import io.p13n.cli.testing.LocalTlsRedis;
import io.p13n.cli.testing.TestCertificates;
import io.p13n.cli.testing.TestJobs;
import io.p13n.cli.traffic.EventProducers;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.jobs.PersonalizationJob;
import io.p13n.jobs.redis.RedisBatchWriter;
import io.p13n.jobs.redis.RedisEndpoint;
import io.p13n.jobs.redis.RedisHashWrite;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.model.testing.TestEvents;
import io.p13n.serde.AvroEventSerializer;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The engine against a Redis that requires what a production one does: TLS only, a certificate from
 * a private CA (trusted through {@code redis.tls.truststore.*}), the default user off, and an ACL
 * user that may run only the commands the engine and {@code show} use, on keys under the engine's
 * prefix ({@link #ENGINE_ACL}, which the README lists). Needs a {@code redis-server} that can serve
 * TLS ({@link LocalTlsRedis#binary()}: Debian's first): without one the tests are skipped with a
 * message saying so, never passed.
 */
class RedisTlsAclITCase {
    @RegisterExtension static final LocalServices SERVICES = LocalServices.kafkaAndRedis();

    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster();

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private static final String USER = "p13n";
    private static final String PREFIX = "p13n-sec";
    private static final String PASSWORD = "user-pw-" + UUID.randomUUID();
    private static final String TRUST_STORE_PASSWORD = "store-pw-" + UUID.randomUUID();

    /**
     * The engine's ACL rule without the user name and password: the key pattern of its prefix, no
     * Pub/Sub channels, and exactly the commands it sends. Writes (job and {@code redis rebuild}):
     * HSET, PEXPIRE, SET (with PX), DEL, and LPUSH with LTRIM for the Customer 360 lists; the
     * ranking reads serving lists with GET; {@code show} adds EXISTS, HGETALL, TTL, PTTL, SCAN
     * (which Redis does not limit to the key pattern: it lists names, never values) and LRANGE. On
     * connecting, Jedis authenticates with HELLO (which every user may send) and sends CLIENT
     * SETNAME without waiting for the reply, so a refusal would go unnoticed: the test checks the
     * name arrives and that ACL LOG stays empty. The engine turns Jedis's CLIENT SETINFO off, so no
     * version of Redis needs it granted.
     */
    static final String ENGINE_ACL =
            "resetkeys ~%s:* resetchannels -@all +hset +pexpire +set +get +del +lpush +ltrim"
                    + " +exists +hgetall +ttl +pttl +scan +lrange +client|setname";

    /** Kept when a test fails: the server's log and configuration say why. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    private static LocalTlsRedis redis;
    private static TestCertificates certs;

    @BeforeAll
    static void startTlsRedis() throws Exception {
        Optional<File> binary = LocalTlsRedis.binary();
        assumeTrue(binary.isPresent(), LocalTlsRedis.NEEDS);
        // For the host name alone: a client connecting by the server's IP address must be refused.
        certs =
                TestCertificates.create(
                        dir.resolve("certs"), TRUST_STORE_PASSWORD, "dns:" + LocalTlsRedis.HOST);
        try {
            redis =
                    LocalTlsRedis.start(
                            binary.get(),
                            dir.resolve("redis"),
                            certs,
                            List.of(
                                    USER
                                            + " on >"
                                            + PASSWORD
                                            + " "
                                            + String.format(ENGINE_ACL, PREFIX)));
        } catch (LocalTlsRedis.NoTlsException e) {
            assumeTrue(false, e.getMessage());
        }
    }

    @AfterAll
    static void stopTlsRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    /** The engine's settings for the TLS Redis as {@link #USER}, with {@code overrides}. */
    private static Map<String, String> tlsSettings(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>();
        settings.put(EngineOptions.REDIS_HOST.key(), redis.host());
        settings.put(EngineOptions.REDIS_PORT.key(), Integer.toString(redis.port()));
        settings.put(EngineOptions.REDIS_USER.key(), USER);
        settings.put(EngineOptions.REDIS_PASSWORD.key(), PASSWORD);
        settings.put(EngineOptions.REDIS_TLS.key(), "true");
        settings.put(
                EngineOptions.REDIS_TLS_TRUSTSTORE_LOCATION.key(),
                certs.trustStore().toAbsolutePath().toString());
        settings.put(EngineOptions.REDIS_TLS_TRUSTSTORE_PASSWORD.key(), TRUST_STORE_PASSWORD);
        settings.put(EngineOptions.REDIS_KEY_PREFIX.key(), PREFIX);
        settings.putAll(overrides);
        return settings;
    }

    /** The endpoint the engine builds from {@link #tlsSettings}. */
    private static RedisEndpoint endpoint(Map<String, String> overrides) {
        Map<String, String> settings = tlsSettings(overrides);
        settings.put(EngineOptions.KAFKA_BOOTSTRAP_SERVERS.key(), "localhost:9092");
        return PersonalizationJob.redisEndpoint(EngineConfig.fromMap(settings, Map.of()));
    }

    @Test
    void shouldWriteProfilesOverTlsAsTheAclUserAndShowThem(@TempDir Path checkpoints)
            throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> settings =
                TestJobs.engineSettings(SERVICES, run, checkpoints, tlsSettings(Map.of()));
        EngineConfig config = TestJobs.engineConfig(SERVICES, run, checkpoints, settings);
        produceAliceAndHerOrder(config, run);
        RedisKeys keys = new RedisKeys(PREFIX);

        try (Jedis admin = redis.admin()) {
            admin.aclLogReset();
        }
        JobClient job = TestJobs.startEngine(config, "redis-tls-acl-it");
        try (Jedis admin = redis.admin()) {
            TestJobs.awaitTrue(
                    "alice's profile with her order, written over TLS as " + USER,
                    TIMEOUT,
                    () -> "1".equals(admin.hget(keys.profile("alice"), "orders")));
            assertThat(admin.hgetAll(keys.profile("alice")))
                    .containsEntry("customerId", "alice")
                    .containsEntry("productViews", "1")
                    .containsEntry("totalSpend", "80.00");
            assertThat(admin.pttl(keys.profile("alice"))).as("PEXPIRE was allowed").isPositive();
            // The engine's connections are the ACL user's, over TLS (the server has no other
            // port).
            assertThat(admin.clientList())
                    .contains("user=" + USER)
                    .containsPattern("name=p13n-engine .*user=" + USER);
            // Nothing the engine sent was refused, not even the replies it does not wait for.
            assertThat(admin.aclLog()).as("ACL LOG").isEmpty();
        } finally {
            TestJobs.cancel(job);
        }

        // The CLI reads it the way the engine writes it: from the engine's configuration.
        Path file = writeProperties(checkpoints.resolve("engine.properties"), settings);
        String[] result = CliRuns.execute("show", "customer", "alice", "--config", file.toString());

        assertThat(result[0]).as(result[2]).isEqualTo("0");
        assertThat(result[1])
                .startsWith("alice   (" + keys.profile("alice") + ", expires in ")
                .containsPattern("\\n  orders +1\\n")
                .containsPattern("\\n  totalSpend +80.00\\n");
        assertThat(result[1] + result[2]).doesNotContain(PASSWORD, TRUST_STORE_PASSWORD);
    }

    @Test
    void shouldRefuseAWrongPasswordAndNotShowIt(@TempDir Path work) throws Exception {
        String wrong = "wrong-pw-" + UUID.randomUUID();

        // The engine's own client (sinks, ranking, redis rebuild all connect through it).
        try (UnifiedJedis client =
                endpoint(Map.of(EngineOptions.REDIS_PASSWORD.key(), wrong)).connect()) {
            Throwable refused = catchThrowable(() -> client.get(PREFIX + ":anything"));

            assertThat(refused).isNotNull();
            assertThat(causes(refused))
                    .anyMatch(JedisAccessControlException.class::isInstance)
                    .extracting(Throwable::getMessage)
                    .anyMatch(m -> m != null && m.contains("WRONGPASS"));
            assertThat(stackTrace(refused)).doesNotContain(wrong, PASSWORD);
        }

        // The CLI says so in one line, without the password.
        Map<String, String> settings =
                tlsSettings(Map.of(EngineOptions.REDIS_PASSWORD.key(), wrong));
        settings.put(EngineOptions.KAFKA_BOOTSTRAP_SERVERS.key(), "localhost:9092");
        Path file = writeProperties(work.resolve("engine.properties"), settings);
        String[] result = CliRuns.execute("show", "customer", "alice", "--config", file.toString());

        assertThat(result[0]).isEqualTo("1");
        assertThat(result[2])
                .startsWith(
                        "Cannot read redis "
                                + redis.host()
                                + ":"
                                + redis.port()
                                + " as "
                                + USER
                                + " (TLS, trusting ")
                .contains("WRONGPASS invalid username-password pair");
        assertThat(result[1] + result[2]).doesNotContain(wrong, PASSWORD, TRUST_STORE_PASSWORD);
    }

    @Test
    void shouldRefuseAPlaintextClientAnUntrustedCertificateAndAnotherHostName() throws Exception {
        // The right credentials without TLS: the TLS port does not speak plain RESP.
        try (UnifiedJedis plaintext =
                endpoint(
                                Map.of(
                                        EngineOptions.REDIS_TLS.key(), "false",
                                        EngineOptions.REDIS_TLS_TRUSTSTORE_LOCATION.key(), "",
                                        EngineOptions.REDIS_TLS_TRUSTSTORE_PASSWORD.key(), ""))
                        .connect()) {
            Throwable refused = catchThrowable(plaintext::ping);

            assertThat(refused).isInstanceOf(JedisConnectionException.class);
        }

        // TLS, but trusting only the JVM's default CAs: the test CA's certificate is refused.
        try (UnifiedJedis defaultTrust =
                endpoint(
                                Map.of(
                                        EngineOptions.REDIS_TLS_TRUSTSTORE_LOCATION.key(), "",
                                        EngineOptions.REDIS_TLS_TRUSTSTORE_PASSWORD.key(), ""))
                        .connect()) {
            Throwable refused = catchThrowable(defaultTrust::ping);

            assertThat(refused).isInstanceOf(JedisConnectionException.class);
            assertThat(stackTrace(refused)).contains("PKIX path building failed");
        }

        // The trusted certificate, reached by a name it does not carry (the same server by its
        // address): refused as HTTPS would refuse it.
        try (UnifiedJedis otherName =
                endpoint(Map.of(EngineOptions.REDIS_HOST.key(), LocalTlsRedis.ADDRESS)).connect()) {
            Throwable refused = catchThrowable(otherName::ping);

            assertThat(refused).isInstanceOf(JedisConnectionException.class);
            assertThat(stackTrace(refused))
                    .contains("No subject alternative names matching IP address 127.0.0.1");
        }

        // The configured trust store and host name are accepted: the refusals above were about
        // TLS alone.
        try (UnifiedJedis trusted = endpoint(Map.of()).connect()) {
            assertThat(trusted.exists(PREFIX + ":nothing-here")).isFalse();
        }
    }

    @Test
    void shouldRefuseKeysOutsideTheAclPrefix(
            @TempDir Path checkpoints, @InjectMiniCluster MiniCluster cluster) throws Exception {
        String other = "p13n-other";

        // The engine's write path (the sinks' pipeline, as redis rebuild uses it) with the ACL
        // user: a key under another prefix is refused, one under the user's prefix is not.
        try (RedisBatchWriter writer = new RedisBatchWriter(endpoint(Map.of()), 10)) {
            writer.write(
                    new RedisHashWrite(other + ":{c:mallory}:profile", Map.of("a", "1"), 60_000));
            Throwable refused = catchThrowable(writer::flush);

            assertThat(refused).isInstanceOf(IOException.class).hasMessageContaining("NOPERM");
        }
        try (RedisBatchWriter writer = new RedisBatchWriter(endpoint(Map.of()), 10)) {
            writer.write(
                    new RedisHashWrite(PREFIX + ":{c:trent}:profile", Map.of("a", "1"), 60_000));
            writer.flush();
        }

        // The job with a prefix its user may not write: its Redis sink fails with NOPERM (and the
        // job restarts, as after any error reply), and nothing lands under that prefix.
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> settings =
                TestJobs.engineSettings(
                        SERVICES,
                        run,
                        checkpoints,
                        tlsSettings(Map.of(EngineOptions.REDIS_KEY_PREFIX.key(), other)));
        EngineConfig config = TestJobs.engineConfig(SERVICES, run, checkpoints, settings);
        produceAliceAndHerOrder(config, run);
        JobClient job = TestJobs.startEngine(config, "redis-acl-prefix-it");
        try {
            URI rest = cluster.getRestAddress().get();
            HttpClient http = HttpClient.newHttpClient();
            TestJobs.awaitTrue(
                    "the job to fail on NOPERM",
                    TIMEOUT,
                    () -> exceptions(http, rest, job).contains("NOPERM"));
            try (Jedis admin = redis.admin()) {
                assertThat(admin.exists(PREFIX + ":{c:trent}:profile")).isTrue();
                assertThat(admin.keys(other + "*")).isEmpty();
            }
            assertThat(exceptions(http, rest, job)).doesNotContain(PASSWORD, TRUST_STORE_PASSWORD);
        } finally {
            TestJobs.cancel(job);
        }
    }

    /** The job's exception history as the REST API returns it; "" while it cannot be read. */
    private static String exceptions(HttpClient http, URI rest, JobClient job) {
        try {
            HttpResponse<String> response =
                    http.send(
                            HttpRequest.newBuilder(
                                            rest.resolve("/jobs/" + job.getJobID() + "/exceptions"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** A product view and an order of 80 by alice on the engine's topics. */
    private static void produceAliceAndHerOrder(EngineConfig config, String run) throws Exception {
        try (Producer<String, byte[]> producer =
                EventProducers.create(SERVICES.kafka().bootstrapServers(), "sec-" + run)) {
            producer.send(
                            new ProducerRecord<>(
                                    config.get(EngineOptions.KAFKA_TOPIC_CLICKS),
                                    "alice",
                                    AvroEventSerializer.encode(
                                            TestEvents.productView("alice", T0))))
                    .get();
            producer.send(
                            new ProducerRecord<>(
                                    config.get(EngineOptions.KAFKA_TOPIC_ORDERS),
                                    "alice",
                                    AvroEventSerializer.encode(
                                            TestEvents.placed("alice", T0.plusSeconds(60), 80))))
                    .get();
        }
    }

    private static Path writeProperties(Path file, Map<String, String> settings)
            throws IOException {
        Properties properties = new Properties();
        properties.putAll(settings);
        try (var out = Files.newBufferedWriter(file)) {
            properties.store(out, null);
        }
        return file;
    }

    private static List<Throwable> causes(Throwable e) {
        List<Throwable> chain = new java.util.ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private static String stackTrace(Throwable e) {
        java.io.StringWriter out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }
}
