package io.p13n.jobs.identity;

import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the internal identity hand-off topic when the job is defined, if it is missing and the
 * job's Kafka principal may: with as many partitions as the clicks topic (it carries a fraction of
 * the clicks' keys) and the broker's default replication. A failure is only logged: the source
 * reads the topic by pattern and the first hand-off creates it where the broker allows that, so an
 * operator who creates it by hand (README, Identity merge) loses nothing.
 */
public final class IdentityTopics {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityTopics.class);

    /** How long the job's start waits for the broker's answer. */
    private static final long TIMEOUT_SECONDS = 15;

    private IdentityTopics() {}

    public static void ensureHandOffTopic(EngineConfig config) {
        String topic = config.get(EngineOptions.KAFKA_TOPIC_IDENTITY_HAND_OFFS);
        Properties properties = new Properties();
        properties.putAll(config.kafkaClientProperties());
        properties.setProperty(
                "bootstrap.servers", config.get(EngineOptions.KAFKA_BOOTSTRAP_SERVERS));
        try (Admin admin = Admin.create(properties)) {
            if (admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).contains(topic)) {
                return;
            }
            String clicks = config.get(EngineOptions.KAFKA_TOPIC_CLICKS);
            int partitions =
                    admin.describeTopics(List.of(clicks))
                            .allTopicNames()
                            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                            .get(clicks)
                            .partitions()
                            .size();
            admin.createTopics(
                            List.of(
                                    new NewTopic(
                                                    topic,
                                                    java.util.Optional.of(partitions),
                                                    java.util.Optional.empty())
                                            .configs(Map.of())))
                    .all()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LOG.info("Created the identity hand-off topic {} ({} partitions)", topic, partitions);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warn(
                        "Could not create the identity hand-off topic {}: {}",
                        topic,
                        e.getCause().toString());
            }
        } catch (TimeoutException e) {
            LOG.warn(
                    "Could not create the identity hand-off topic {}: no answer in {} s",
                    topic,
                    TIMEOUT_SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("Could not create the identity hand-off topic {}: {}", topic, e.toString());
        }
    }
}
