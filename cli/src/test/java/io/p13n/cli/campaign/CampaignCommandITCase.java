package io.p13n.cli.campaign;

import static io.p13n.cli.testing.CliRuns.execute;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.cli.testing.LocalServices;
import io.p13n.cli.testing.TopicReader;
import io.p13n.model.Campaign;
import io.p13n.model.CampaignStatus;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/** {@code campaign create|list|pause|resume|end|stats} against a real in-JVM Kafka and Redis. */
class CampaignCommandITCase {
    @RegisterExtension static final LocalServices SERVICES = LocalServices.kafkaAndRedis();

    private static String[] campaign(String topic, String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "campaign";
        all[1] = args[0];
        all[2] = "--bootstrap-servers";
        all[3] = SERVICES.kafka().bootstrapServers();
        all[4] = "--campaigns-topic=" + topic;
        System.arraycopy(args, 1, all, 5, args.length - 1);
        return execute(all);
    }

    private static List<Campaign> published(String topic) {
        return TopicReader.readAll(SERVICES.kafka().bootstrapServers(), topic).stream()
                .map(ConsumerRecord::value)
                .map(
                        v -> {
                            try {
                                return Campaign.getDecoder().decode(v);
                            } catch (Exception e) {
                                throw new AssertionError(e);
                            }
                        })
                .toList();
    }

    @Test
    void shouldCreateListPauseResumeAndEndACampaign() {
        String topic = "campaigns-" + UUID.randomUUID();

        String[] empty = campaign(topic, "list");
        assertThat(empty[1]).as(empty[0] + " " + empty[2]).contains("No campaigns");
        String[] created =
                campaign(
                        topic,
                        "create",
                        "--id",
                        "cart10",
                        "--trigger",
                        "CART_ABANDONED",
                        "--percent-off",
                        "10",
                        "--cart-value",
                        "50..");
        assertThat(created[0]).as(created[2]).isEqualTo("0");
        assertThat(
                        campaign(
                                topic,
                                "create",
                                "--id",
                                "winback",
                                "--trigger",
                                "WIN_BACK",
                                "--amount-off",
                                "5",
                                "--min-spend",
                                "30")[0])
                .isEqualTo("0");
        assertThat(
                        campaign(
                                topic,
                                "create",
                                "--id",
                                "cart10",
                                "--trigger",
                                "WIN_BACK",
                                "--amount-off",
                                "5")[2])
                .as("ids are unique")
                .contains("already exists");

        String[] paused = campaign(topic, "pause", "cart10");
        assertThat(paused[0]).isEqualTo("0");
        assertThat(paused[1]).contains("now PAUSED (version 2)");

        String[] list = campaign(topic, "list");
        assertThat(list[0]).isEqualTo("0");
        assertThat(list[1].lines().filter(l -> l.startsWith("cart10")).findFirst().orElseThrow())
                .contains("PAUSED")
                .contains("CART_ABANDONED")
                .contains("10% off");
        assertThat(list[1].lines().filter(l -> l.startsWith("winback")).findFirst().orElseThrow())
                .contains("ACTIVE")
                .contains("5 off over 30");

        assertThat(campaign(topic, "resume", "cart10")[1]).contains("now ACTIVE (version 3)");
        assertThat(campaign(topic, "end", "cart10")[1]).contains("now ENDED (version 4)");
        String[] resumeEnded = campaign(topic, "resume", "cart10");
        assertThat(resumeEnded[0]).isEqualTo("1");
        assertThat(resumeEnded[2]).contains("has ended");
        assertThat(campaign(topic, "pause", "nope")[2]).contains("No campaign 'nope'");

        List<Campaign> records = published(topic);
        assertThat(records)
                .extracting(c -> c.getId() + "@" + c.getVersion() + ":" + c.getStatus())
                .containsExactly(
                        "cart10@1:ACTIVE",
                        "winback@1:ACTIVE",
                        "cart10@2:PAUSED",
                        "cart10@3:ACTIVE",
                        "cart10@4:ENDED");
        assertThat(records.get(3).getAudience().getMinCartValue())
                .as("a status change keeps the definition")
                .isEqualTo(50.0);
        assertThat(TopicReader.readAll(SERVICES.kafka().bootstrapServers(), topic))
                .extracting(ConsumerRecord::key)
                .containsExactly("cart10", "winback", "cart10", "cart10", "cart10");
        assertThat(records.get(4).getStatus()).isEqualTo(CampaignStatus.ENDED);
    }

    @Test
    void shouldPrintStatsFromRedis() {
        String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);
        try (RedisClient client = RedisClient.create("localhost", SERVICES.redis().port())) {
            client.hset(
                    prefix + ":campaign:{x}:stats",
                    CampaignCommandTest.hash(
                            "A.sent",
                            "10",
                            "A.heldOut",
                            "0",
                            "A.redeemed",
                            "2",
                            "A.converted",
                            "3",
                            "A.revenue",
                            "120.00",
                            "control.sent",
                            "0",
                            "control.heldOut",
                            "5",
                            "control.redeemed",
                            "0",
                            "control.converted",
                            "1",
                            "control.revenue",
                            "30.00",
                            "updatedAt",
                            "2026-11-23T10:00:00Z"));
        }
        String port = Integer.toString(SERVICES.redis().port());

        String[] stats =
                execute("campaign", "stats", "--redis-port", port, "--key-prefix", prefix, "x");
        assertThat(stats[0]).as(stats[2]).isEqualTo("0");
        assertThat(stats[1])
                .contains("treated conversion 30.0% (3/10), control 20.0% (1/5), lift +50.0%");

        String[] missing =
                execute("campaign", "stats", "--redis-port", port, "--key-prefix", prefix, "y");
        assertThat(missing[0]).isEqualTo("1");
    }
}
