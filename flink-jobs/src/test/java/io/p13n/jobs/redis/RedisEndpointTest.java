package io.p13n.jobs.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trust store settings: shipped to the tasks as a path, read there, never shown. */
class RedisEndpointTest {
    private static final String PASSWORD = "s3cret-store";

    @TempDir Path dir;

    private Path trustStore() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        Path file = dir.resolve("truststore.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD.toCharArray());
        }
        return file;
    }

    private static RedisEndpoint tls(Path trustStore, String password) {
        return RedisEndpoint.standalone("redis.example", 6380)
                .withCredentials("p13n", "user-password")
                .withTls(true)
                .withTrustStore(trustStore.toString(), password);
    }

    @Test
    void shouldBuildTheSocketFactoryFromTheTrustStore() throws Exception {
        RedisEndpoint endpoint = tls(trustStore(), PASSWORD);

        assertThat(endpoint.clientConfig().isSsl()).isTrue();
        assertThat(endpoint.clientConfig().getSslSocketFactory()).isNotNull();
    }

    @Test
    void shouldTravelAsPathAndPasswordAndStillConnectAfterDeserialization() throws Exception {
        RedisEndpoint endpoint = tls(trustStore(), PASSWORD);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(endpoint);
        }
        RedisEndpoint copy;
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (RedisEndpoint) in.readObject();
        }

        assertThat(copy.clientConfig().getSslSocketFactory()).isNotNull();
        assertThat(copy.toString())
                .isEqualTo(
                        "redis redis.example:6380 as p13n (TLS, trusting "
                                + dir.resolve("truststore.p12")
                                + ")")
                .doesNotContain(PASSWORD, "user-password");
    }

    @Test
    void shouldNameTheTrustStoreButNotThePasswordWhenItIsWrong() throws Exception {
        Path store = trustStore();

        assertThatThrownBy(() -> tls(store, "wrong-password").clientConfig())
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot read the Redis trust store " + store)
                .hasMessageContaining("password")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong-password"));
    }

    @Test
    void shouldNameAMissingTrustStore() {
        Path missing = dir.resolve("missing.p12");

        assertThatThrownBy(() -> tls(missing, PASSWORD).clientConfig())
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot read the Redis trust store " + missing);
    }

    @Test
    void shouldIgnoreTheTrustStoreWithoutTls() throws Exception {
        RedisEndpoint endpoint = tls(trustStore(), PASSWORD).withTls(false);

        assertThat(endpoint.clientConfig().isSsl()).isFalse();
        assertThat(endpoint.clientConfig().getSslSocketFactory()).isNull();
    }

    @Test
    void shouldRefuseAPasswordWithoutATrustStore() {
        assertThatThrownBy(
                        () ->
                                RedisEndpoint.standalone("localhost", 6379)
                                        .withTrustStore(null, PASSWORD))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining(PASSWORD);
    }
}
