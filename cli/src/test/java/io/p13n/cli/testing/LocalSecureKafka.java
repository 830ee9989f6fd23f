package io.p13n.cli.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.authorizer.StandardAuthorizer;

/**
 * A Kafka broker (one combined KRaft node, as {@link io.p13n.cli.local.EmbeddedKafka}) whose client
 * listener requires SASL_SSL with SCRAM-SHA-512 and authorizes every request with the {@code
 * StandardAuthorizer}: no ACL, no access. Its certificate comes from {@link TestCertificates}, made
 * for {@code localhost}, the name it advertises.
 *
 * <p>The broker's own connections (to its controller, and to itself for transaction markers) and
 * the test's setup use a second listener, PLAINTEXT on localhost, whose anonymous principal is a
 * super user: SCRAM credentials live in the cluster metadata, so something must be able to create
 * the first one. Clients of the engine are never told of it; it stands for the operator's own
 * access to a real cluster.
 */
public final class LocalSecureKafka implements AutoCloseable {
    public static final String MECHANISM = "SCRAM-SHA-512";
    private static final String CLIENT_LISTENER = "EXTERNAL";
    private static final String INTERNAL_LISTENER = "INTERNAL";
    private static final Duration PROPAGATION = Duration.ofSeconds(30);

    private final KafkaClusterTestKit cluster;
    private final TestCertificates certs;
    private final Admin operator;

    private LocalSecureKafka(KafkaClusterTestKit cluster, TestCertificates certs) {
        this.cluster = cluster;
        this.certs = certs;
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, internalBootstrapServers());
        this.operator = Admin.create(props);
    }

    /** Starts the broker with its data in {@code dir} and the server key store of {@code certs}. */
    public static LocalSecureKafka start(Path dir, TestCertificates certs) throws Exception {
        Files.createDirectories(dir);
        TestKitNodes nodes =
                new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .setBaseDirectory(dir)
                        .build();
        String external = "listener.name." + CLIENT_LISTENER.toLowerCase() + ".";
        KafkaClusterTestKit cluster =
                new KafkaClusterTestKit.Builder(nodes)
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .setConfigProp("auto.create.topics.enable", "false")
                        // The test kit binds EXTERNAL and CONTROLLER itself; INTERNAL is ours.
                        .setConfigProp(
                                "listeners",
                                CLIENT_LISTENER
                                        + "://localhost:0,"
                                        + INTERNAL_LISTENER
                                        + "://localhost:0,CONTROLLER://localhost:0")
                        .setConfigProp(
                                "listener.security.protocol.map",
                                CLIENT_LISTENER
                                        + ":SASL_SSL,"
                                        + INTERNAL_LISTENER
                                        + ":PLAINTEXT,CONTROLLER:PLAINTEXT")
                        .setConfigProp("inter.broker.listener.name", INTERNAL_LISTENER)
                        .setConfigProp("sasl.enabled.mechanisms", MECHANISM)
                        .setConfigProp(
                                external + MECHANISM.toLowerCase() + ".sasl.jaas.config",
                                "org.apache.kafka.common.security.scram.ScramLoginModule"
                                        + " required;")
                        .setConfigProp(external + "ssl.keystore.type", "PKCS12")
                        .setConfigProp(
                                external + "ssl.keystore.location",
                                certs.serverKeyStore().toAbsolutePath().toString())
                        .setConfigProp(external + "ssl.keystore.password", certs.storePassword())
                        .setConfigProp(external + "ssl.key.password", certs.storePassword())
                        .setConfigProp("authorizer.class.name", StandardAuthorizer.class.getName())
                        .setConfigProp("allow.everyone.if.no.acl.found", "false")
                        .setConfigProp("super.users", "User:ANONYMOUS")
                        .setDeleteOnClose(true)
                        .build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return new LocalSecureKafka(cluster, certs);
    }

    /** The SASL_SSL listener, as the engine and the CLI are given it. */
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** The operator's PLAINTEXT listener (super user). */
    public String internalBootstrapServers() {
        int port =
                cluster.brokers()
                        .values()
                        .iterator()
                        .next()
                        .boundPort(ListenerName.normalised(INTERNAL_LISTENER));
        return "localhost:" + port;
    }

    /**
     * Creates (or replaces) the SCRAM-SHA-512 credential of {@code user} and waits until the broker
     * accepts it: the controller commits it first, and the broker learns it from the metadata log a
     * moment later, so a client connecting at once could be refused.
     */
    public void upsertUser(String user, String password) throws Exception {
        operator.alterUserScramCredentials(
                        List.of(
                                new UserScramCredentialUpsertion(
                                        user,
                                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
                                        password)))
                .all()
                .get();
        long deadline = System.nanoTime() + PROPAGATION.toNanos();
        while (true) {
            try (Admin admin = Admin.create(clientProperties(user, password))) {
                admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof SaslAuthenticationException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(100);
        }
    }

    /** Kafka client settings for {@code user} on the SASL_SSL listener, trusting the test CA. */
    public Map<String, Object> clientProperties(String user, String password) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrapServers());
        props.put("security.protocol", "SASL_SSL");
        props.put("sasl.mechanism", MECHANISM);
        props.put("sasl.jaas.config", jaasConfig(user, password));
        props.put("ssl.truststore.location", certs.trustStore().toAbsolutePath().toString());
        props.put("ssl.truststore.password", certs.storePassword());
        return props;
    }

    /** The JAAS line a SCRAM client logs in with. */
    public static String jaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user
                + "\" password=\""
                + password
                + "\";";
    }

    /** Creates the topics, as the operator. */
    public void createTopics(int partitions, String... topics) throws Exception {
        for (String topic : topics) {
            operator.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
    }

    /** Grants {@code acls}, as the operator, and waits until the broker applies them. */
    public void grant(List<AclBinding> acls) throws Exception {
        operator.createAcls(acls).all().get();
        // The authorizer on the broker learns new ACLs from the metadata log: wait until the
        // broker describes every one, which it answers from that same authorizer.
        long deadline = System.nanoTime() + PROPAGATION.toNanos();
        while (!operator.describeAcls(org.apache.kafka.common.acl.AclBindingFilter.ANY)
                .values()
                .get()
                .containsAll(acls)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("ACLs not applied within " + PROPAGATION + ": " + acls);
            }
            Thread.sleep(100);
        }
    }

    /** The operator's (super user) admin client; do not close it. */
    public Admin operator() {
        return operator;
    }

    @Override
    public void close() throws Exception {
        operator.close();
        cluster.close();
    }
}
