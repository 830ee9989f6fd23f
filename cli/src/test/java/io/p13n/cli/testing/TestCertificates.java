package io.p13n.cli.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate authority and a server certificate it signed for the names a test
 * chooses, made at test time with the running JDK's {@code keytool} (so neither openssl nor a
 * crypto library is needed), valid for two days. Written as the PEM files a {@code redis-server}
 * reads, a PKCS12 key store a Kafka broker reads, and a PKCS12 trust store holding only the CA, for
 * the clients.
 */
public final class TestCertificates {
    private final Path dir;
    private final String storePassword;

    private TestCertificates(Path dir, String storePassword) {
        this.dir = dir;
        this.storePassword = storePassword;
    }

    /**
     * Makes the CA and the server certificate in {@code dir}; {@code storePassword} protects the
     * key store and the trust store.
     *
     * @param names the server's subject alternative names in keytool's syntax, e.g. {@code
     *     dns:localhost,ip:127.0.0.1}: the names a client may connect by
     */
    public static TestCertificates create(Path dir, String storePassword, String names)
            throws IOException, InterruptedException, GeneralSecurityException {
        Files.createDirectories(dir);
        TestCertificates certs = new TestCertificates(dir, storePassword);
        Path ca = dir.resolve("ca.p12");
        Path server = certs.serverKeyStore();
        keytool(
                dir,
                "-genkeypair",
                "-alias",
                "ca",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=p13n test CA",
                "-ext",
                "bc:c",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                ca.toString(),
                "-storepass",
                storePassword);
        keytool(
                dir,
                "-exportcert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                ca.toString(),
                "-storepass",
                storePassword,
                "-file",
                certs.caCertificatePem().toString());
        keytool(
                dir,
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                server.toString(),
                "-storepass",
                storePassword);
        Path request = dir.resolve("server.csr");
        keytool(
                dir,
                "-certreq",
                "-alias",
                "server",
                "-keystore",
                server.toString(),
                "-storepass",
                storePassword,
                "-file",
                request.toString());
        Path signed = dir.resolve("server-signed.crt");
        keytool(
                dir,
                "-gencert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                ca.toString(),
                "-storepass",
                storePassword,
                "-infile",
                request.toString(),
                "-outfile",
                signed.toString(),
                // The names clients check the certificate against (HTTPS-style host name check).
                "-ext",
                "SAN=" + names,
                "-ext",
                "EKU=serverAuth",
                "-validity",
                "2");
        // The key store must know the CA before it accepts the signed chain in place of the
        // self-signed certificate.
        keytool(
                dir,
                "-importcert",
                "-noprompt",
                "-alias",
                "ca",
                "-file",
                certs.caCertificatePem().toString(),
                "-keystore",
                server.toString(),
                "-storepass",
                storePassword);
        keytool(
                dir,
                "-importcert",
                "-noprompt",
                "-alias",
                "server",
                "-file",
                signed.toString(),
                "-keystore",
                server.toString(),
                "-storepass",
                storePassword);
        keytool(
                dir,
                "-importcert",
                "-noprompt",
                "-alias",
                "ca",
                "-file",
                certs.caCertificatePem().toString(),
                "-storetype",
                "PKCS12",
                "-keystore",
                certs.trustStore().toString(),
                "-storepass",
                storePassword);
        certs.writeServerPems();
        return certs;
    }

    /** The server's key and certificate chain out of its key store, as PEM files for Redis. */
    private void writeServerPems() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(serverKeyStore().toFile(), password());
        Key key = store.getKey("server", password());
        Files.writeString(serverKeyPem(), pem("PRIVATE KEY", key.getEncoded()));
        StringBuilder chain = new StringBuilder();
        for (Certificate certificate : store.getCertificateChain("server")) {
            chain.append(pem("CERTIFICATE", certificate.getEncoded()));
        }
        Files.writeString(serverCertificatePem(), chain);
        // Sanity check: the PEM chain parses back, so a bad file fails here, not in Redis's log.
        try (InputStream in = Files.newInputStream(serverCertificatePem())) {
            if (CertificateFactory.getInstance("X.509").generateCertificates(in).size() < 2) {
                throw new IllegalStateException("server chain lacks the CA: " + chain);
            }
        }
    }

    private static String pem(String type, byte[] der) {
        String body =
                Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Path log = dir.resolve("keytool.log");
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("keytool " + args[0] + " did not finish; see " + log);
        }
        if (process.exitValue() != 0) {
            // Not the command line: it holds the store password.
            throw new IOException("keytool " + args[0] + " failed; see " + log);
        }
    }

    private char[] password() {
        return storePassword.toCharArray();
    }

    /** PEM of the CA's certificate ({@code tls-ca-cert-file}). */
    public Path caCertificatePem() {
        return dir.resolve("ca.crt");
    }

    /** PEM of the server's certificate chain ({@code tls-cert-file}). */
    public Path serverCertificatePem() {
        return dir.resolve("server.crt");
    }

    /** PEM of the server's unencrypted PKCS8 private key ({@code tls-key-file}). */
    public Path serverKeyPem() {
        return dir.resolve("server.key");
    }

    /** PKCS12 key store with the server's key and chain (alias {@code server}). */
    public Path serverKeyStore() {
        return dir.resolve("server.p12");
    }

    /** PKCS12 trust store with the CA's certificate alone. */
    public Path trustStore() {
        return dir.resolve("truststore.p12");
    }

    /** Password of {@link #serverKeyStore()}, its key, and {@link #trustStore()}. */
    public String storePassword() {
        return storePassword;
    }
}
