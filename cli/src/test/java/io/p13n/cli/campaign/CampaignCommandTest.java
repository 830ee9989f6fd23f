package io.p13n.cli.campaign;

import static io.p13n.cli.testing.CliRuns.execute;
import static org.assertj.core.api.Assertions.assertThat;

import io.p13n.model.Campaign;
import io.p13n.model.CampaignStatus;
import io.p13n.model.LoyaltyTier;
import io.p13n.model.RewardType;
import io.p13n.model.Segment;
import io.p13n.model.TriggerType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * Parsing and validation of {@code campaign create}, and where every campaign command connects
 * ({@code --bootstrap-servers} or {@code --config}), without Kafka: refusals happen before
 * publishing.
 */
class CampaignCommandTest {
    private static final long NOW = Instant.parse("2026-11-23T12:00:00Z").toEpochMilli();

    @TempDir Path dir;

    /** A map from alternating keys and values. */
    static Map<String, String> hash(String... keysAndValues) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static Campaign parse(String... args) {
        CampaignCommand.Create create = new CampaignCommand.Create();
        List<String> all = new ArrayList<>(List.of("--bootstrap-servers", "localhost:1"));
        all.addAll(Arrays.asList(args));
        new CommandLine(create)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .parseArgs(all.toArray(String[]::new));
        return create.toCampaign(NOW);
    }

    @Test
    void shouldTurnEveryOptionIntoTheCampaign() {
        Campaign c =
                parse(
                        "--id",
                        "xmas",
                        "--name",
                        "Christmas",
                        "--trigger",
                        "CART_ABANDONED",
                        "--segment",
                        "ACTIVE",
                        "--segment",
                        "LOYAL",
                        "--tier",
                        "GOLD",
                        "--churn-risk",
                        "0.5..1",
                        "--category",
                        "C3:0.2",
                        "--cart-value",
                        "50..",
                        "--percent-off",
                        "10",
                        "--message",
                        "Your cart misses you",
                        "--min-spend",
                        "30",
                        "--validity",
                        "14d",
                        "--budget-total",
                        "1000",
                        "--budget-daily",
                        "100",
                        "--cooldown",
                        "30d",
                        "--starts",
                        "2026-12-01",
                        "--ends",
                        "2026-12-24",
                        "--variant",
                        "A:50",
                        "--variant",
                        "B:50:percent=15",
                        "--priority",
                        "10",
                        "--channel",
                        "EMAIL",
                        "--created-by",
                        "ann");

        assertThat(c.getId()).isEqualTo("xmas");
        assertThat(c.getName()).isEqualTo("Christmas");
        assertThat(c.getStatus()).isEqualTo(CampaignStatus.ACTIVE);
        assertThat(c.getVersion()).isEqualTo(1);
        assertThat(c.getTrigger()).isEqualTo(TriggerType.CART_ABANDONED);
        assertThat(c.getChannel()).isEqualTo(io.p13n.model.MessageChannel.EMAIL);
        assertThat(c.getAudience().getSegments()).containsExactly(Segment.ACTIVE, Segment.LOYAL);
        assertThat(c.getAudience().getTiers()).containsExactly(LoyaltyTier.GOLD);
        assertThat(c.getAudience().getMinChurnRisk()).isEqualTo(0.5);
        assertThat(c.getAudience().getMaxChurnRisk()).isEqualTo(1.0);
        assertThat(c.getAudience().getCategoryId()).isEqualTo("C3");
        assertThat(c.getAudience().getMinCategoryScore()).isEqualTo(0.2);
        assertThat(c.getAudience().getMinCartValue()).isEqualTo(50.0);
        assertThat(c.getAudience().getMaxCartValue()).isNull();
        assertThat(c.getReward().getType()).isEqualTo(RewardType.PERCENT);
        assertThat(c.getReward().getValue()).isEqualTo(10.0);
        assertThat(c.getReward().getMessage()).isEqualTo("Your cart misses you");
        assertThat(c.getReward().getMinSpend()).isEqualTo(30.0);
        assertThat(c.getReward().getValidityDays()).isEqualTo(14);
        assertThat(c.getBudget().getTotal()).isEqualTo(1000L);
        assertThat(c.getBudget().getPerDay()).isEqualTo(100L);
        assertThat(c.getCooldownDays()).isEqualTo(30);
        assertThat(c.getStartsAt()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z").toEpochMilli());
        assertThat(c.getEndsAt())
                .as("the last day is included")
                .isEqualTo(Instant.parse("2026-12-25T00:00:00Z").toEpochMilli());
        assertThat(c.getVariants())
                .extracting(v -> v.getName() + ":" + v.getWeight())
                .containsExactly("A:50", "B:50");
        assertThat(c.getVariants().get(0).getReward()).isNull();
        assertThat(c.getVariants().get(1).getReward().getValue()).isEqualTo(15.0);
        assertThat(c.getVariants().get(1).getReward().getMinSpend())
                .as("inherits the campaign's terms")
                .isEqualTo(30.0);
        assertThat(c.getPriority()).isEqualTo(10);
        assertThat(c.getCreatedBy()).isEqualTo("ann");
        assertThat(io.p13n.jobs.offers.Campaigns.validate(c, NOW)).isEmpty();
    }

    @Test
    void aCampaignIsShownOnTheStorefrontUnlessAChannelIsNamed() {
        Campaign c = parse("--id", "plain", "--trigger", "WIN_BACK", "--percent-off", "10");

        assertThat(c.getChannel()).isEqualTo(io.p13n.model.MessageChannel.ONSITE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "empty window          | --trigger CART_ABANDONED --percent-off 10 --starts 2026-12-10 --ends 2026-12-01 | date window is empty",
                "ends in the past      | --trigger CART_ABANDONED --percent-off 10 --ends 2020-01-01                     | ends in the past",
                "churn risk min > max  | --trigger AT_RISK --percent-off 10 --churn-risk 0.9..0.2                         | churn risk range is empty",
                "cart value min > max  | --trigger CART_ABANDONED --percent-off 10 --cart-value 100..50                  | cart value range is empty",
                "win-back to active    | --trigger WIN_BACK --percent-off 10 --segment ACTIVE                            | WIN_BACK fires only for customers in [CHURNED]",
                "upgrade to bronze     | --trigger TIER_UPGRADE --percent-off 10 --tier BRONZE                           | never upgrades to [BRONZE]",
                "zero total budget     | --trigger CART_ABANDONED --percent-off 10 --budget-total 0                      | total budget must be positive",
                "negative daily budget | --trigger CART_ABANDONED --percent-off 10 --budget-daily -1                     | daily budget must be positive",
                "percent zero          | --trigger CART_ABANDONED --percent-off 0                                        | percent off must be more than 0",
                "percent over 100      | --trigger CART_ABANDONED --percent-off 101                                      | at most 100",
                "amount zero           | --trigger CART_ABANDONED --amount-off 0                                         | amount off must be positive",
                "min spend below amount| --trigger CART_ABANDONED --amount-off 10 --min-spend 5                          | is below the amount off",
                "no offer              | --trigger CART_ABANDONED                                                        | needs --percent-off, --amount-off or --message",
                "partial days          | --trigger CART_ABANDONED --percent-off 10 --validity 36h                        | whole number of days",
                "bad range             | --trigger CART_ABANDONED --percent-off 10 --cart-value 50                       | expected MIN..MAX",
                "bad variant           | --trigger CART_ABANDONED --percent-off 10 --variant A                           | expected NAME:WEIGHT",
                "control variant       | --trigger CART_ABANDONED --percent-off 10 --variant control:50                  | reserved for the control group",
            })
    void shouldRefuseWithAClearReason(String name, String options, String reason) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "campaign",
                                "create",
                                "--bootstrap-servers",
                                "localhost:1",
                                "--id",
                                "c1"));
        args.addAll(Arrays.asList(options.trim().split("\\s+")));

        String[] result = execute(args.toArray(String[]::new));

        assertThat(result[0]).isEqualTo("1");
        assertThat(result[2]).contains("Refusing campaign 'c1'").contains(reason);
    }

    @Test
    void shouldRejectPercentAndAmountTogetherAsAUsageError() {
        String[] result =
                execute(
                        "campaign",
                        "create",
                        "--bootstrap-servers",
                        "localhost:1",
                        "--id",
                        "c1",
                        "--trigger",
                        "WIN_BACK",
                        "--percent-off",
                        "10",
                        "--amount-off",
                        "5");
        assertThat(result[0]).isEqualTo("2");
        assertThat(result[2]).contains("mutually exclusive");
    }

    @Test
    void shouldSayInOneLineWhenRedisIsUnreachable() {
        String[] result = execute("campaign", "stats", "--redis-port", "1", "x");

        assertThat(result[0]).isEqualTo("1");
        assertThat(result[2]).startsWith("Cannot read redis localhost:1: ").doesNotContain("\tat ");
        assertThat(result[2].lines()).hasSize(1);
    }

    /** An engine configuration with a Kafka and a Redis of its own and SCRAM over TLS. */
    private Path engineFile() throws Exception {
        Path file = dir.resolve("engine.properties");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "kafka.bootstrap-servers=broker-a:9093,broker-b:9093",
                        "kafka.topic.campaigns=shop-campaigns",
                        "kafka.security.protocol=SASL_SSL",
                        "kafka.sasl.mechanism=SCRAM-SHA-512",
                        "kafka.sasl.jaas-config=org.apache.kafka.common.security.scram.ScramLoginModule"
                                + " required username=\"marketing\" password=\"pw\";",
                        "redis.port=1",
                        "redis.key-prefix=shop",
                        ""));
        return file;
    }

    @Test
    void withConfigEveryKafkaCommandShouldConnectAsTheEngineConfigurationSays() throws Exception {
        String file = engineFile().toString();
        List<CampaignTopicOptions> parsed = new ArrayList<>();
        CampaignCommand.Create create = new CampaignCommand.Create();
        new CommandLine(create)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .parseArgs(
                        "--config",
                        file,
                        "--id",
                        "c1",
                        "--trigger",
                        "WIN_BACK",
                        "--percent-off",
                        "10");
        parsed.add(create.kafka);
        CampaignCommand.ListCampaigns list = new CampaignCommand.ListCampaigns();
        new CommandLine(list).parseArgs("--config", file);
        parsed.add(list.kafka);
        for (CampaignCommand.StatusChange change :
                List.of(
                        new CampaignCommand.Pause(),
                        new CampaignCommand.Resume(),
                        new CampaignCommand.End())) {
            new CommandLine(change).parseArgs("--config", file, "c1");
            parsed.add(change.kafka);
        }

        for (CampaignTopicOptions kafka : parsed) {
            assertThat(kafka.bootstrapServers()).isEqualTo("broker-a:9093,broker-b:9093");
            assertThat(kafka.campaignTopic().name()).isEqualTo("shop-campaigns");
            assertThat(kafka.clientProperties())
                    .containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                    .containsEntry(
                            "sasl.jaas.config",
                            "org.apache.kafka.common.security.scram.ScramLoginModule required"
                                    + " username=\"marketing\" password=\"pw\";");
        }
    }

    @Test
    void withoutConfigTheCommandLineNamesBrokerAndTopicWithoutSecurity() {
        CampaignCommand.ListCampaigns list = new CampaignCommand.ListCampaigns();
        new CommandLine(list).parseArgs("--bootstrap-servers", "localhost:1");

        assertThat(list.kafka.bootstrapServers()).isEqualTo("localhost:1");
        assertThat(list.kafka.campaignTopic().name()).isEqualTo("campaigns");
        assertThat(list.kafka.clientProperties()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "create | --bootstrap-servers localhost:1 --id c1 --trigger WIN_BACK --percent-off 10",
                "list   | --campaigns-topic other",
                "pause  | --bootstrap-servers localhost:1 c1",
                "end    | --campaigns-topic other c1",
            })
    void shouldRefuseConfigTogetherWithTheCommandLinesKafka(String command, String options)
            throws Exception {
        List<String> args =
                new ArrayList<>(List.of("campaign", command, "--config", engineFile().toString()));
        args.addAll(Arrays.asList(options.trim().split("\\s+")));

        String[] result = execute(args.toArray(String[]::new));

        assertThat(result[0]).isEqualTo("2");
        assertThat(result[2])
                .contains(
                        "--config takes Kafka's address, security and topics from the file: leave"
                                + " out --bootstrap-servers and --campaigns-topic");
    }

    @Test
    void shouldAskForABrokerOrAConfiguration() {
        String[] result = execute("campaign", "list");

        assertThat(result[0]).isEqualTo("2");
        assertThat(result[2]).contains("Missing --bootstrap-servers (or --config FILE)");
    }

    @Test
    void shouldRefuseAnInvalidConfigurationBeforeConnecting() throws Exception {
        Path file = dir.resolve("bad.properties");
        Files.writeString(
                file, "kafka.bootstrap-servers=localhost:1\nkafka.security.protocol=SSH\n");

        String[] result = execute("campaign", "list", "--config", file.toString());

        assertThat(result[0]).isEqualTo("2");
        assertThat(result[2]).contains("kafka.security.protocol", "'SSH'");
    }

    @Test
    void statsWithConfigShouldReadTheEnginesRedis() throws Exception {
        String[] result = execute("campaign", "stats", "--config", engineFile().toString(), "x");

        assertThat(result[0]).isEqualTo("1");
        assertThat(result[2])
                .as("redis.port=1 of the file")
                .startsWith("Cannot read redis localhost:1: ");
    }

    @Test
    void statsShouldRefuseConfigTogetherWithTheCommandLinesRedis() throws Exception {
        String[] result =
                execute(
                        "campaign",
                        "stats",
                        "--config",
                        engineFile().toString(),
                        "--redis-port",
                        "6379",
                        "x");

        assertThat(result[0]).isEqualTo("2");
        assertThat(result[2]).contains("--config takes the Redis settings from the file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"create", "list", "pause", "resume", "end", "stats"})
    void everyCampaignCommandTakesTheEngineConfiguration(String command) {
        CommandLine line =
                io.p13n.cli.PersonalizeCli.commandLine()
                        .getSubcommands()
                        .get("campaign")
                        .getSubcommands()
                        .get(command);

        assertThat(line.getCommandSpec().findOption("--config")).isNotNull();
        assertThat(line.getUsageMessage()).contains("--config=FILE");
    }

    @Test
    void statsReportShouldCompareTreatedAndControl() {
        Map<String, String> hash =
                hash(
                        "A.sent",
                        "100",
                        "A.heldOut",
                        "0",
                        "A.redeemed",
                        "20",
                        "A.converted",
                        "30",
                        "A.revenue",
                        "1500.00",
                        "B.sent",
                        "100",
                        "B.heldOut",
                        "0",
                        "B.redeemed",
                        "10",
                        "B.converted",
                        "20",
                        "B.revenue",
                        "900.00",
                        "control.sent",
                        "0",
                        "control.heldOut",
                        "50",
                        "control.redeemed",
                        "0",
                        "control.converted",
                        "10",
                        "control.revenue",
                        "400.00",
                        "suppressedForConsent",
                        "17",
                        "updatedAt",
                        "2026-11-23T10:00:00Z");

        String report = CampaignCommand.report("xmas", hash);

        assertThat(report).contains("Campaign xmas").contains("2026-11-23T10:00:00Z");
        assertThat(report.lines().filter(l -> l.startsWith("A ")).findFirst().orElseThrow())
                .contains("1500.00")
                .contains("20.0%")
                .contains("30.0%");
        assertThat(report.lines().filter(l -> l.startsWith("control")).findFirst().orElseThrow())
                .contains("20.0%");
        // treated 50/200 = 25%, control 10/50 = 20%: lift +25%
        assertThat(report)
                .contains("treated conversion 25.0% (50/200), control 20.0% (10/50), lift +25.0%");
        assertThat(report).contains("suppressed for consent 17 ");
        assertThat(report.lines().map(l -> l.split(" +")[0]))
                .as("a campaign-level count, not an arm")
                .containsExactly(
                        "Campaign",
                        "ARM",
                        "A",
                        "B",
                        "control",
                        "treated",
                        "suppressed",
                        "rates",
                        "",
                        "",
                        "",
                        "A",
                        "",
                        "B",
                        "");
        // Wilson intervals (Newcombe 1998), as scipy computes them: 30/100 [21.9, 39.6], 20/100
        // [13.3, 28.9], 10/50 [11.2, 33.0]
        assertThat(report)
                .contains("rates with 95 % intervals:")
                .containsPattern(
                        "  A +conversion 30.0% \\[21.9%, 39.6%\\]   redemption 20.0% \\[13.3%,"
                                + " 28.9%\\]   revenue/customer 15.00")
                .containsPattern("  control +conversion 20.0% \\[11.2%, 33.0%\\]   redemption n/a");
        // lift 30 % / 20 % - 1 = +50 %, Katz interval [-20.1 %, +181.7 %]; the mSPRT p-value and
        // the fixed-horizon size (291 per arm at 20 % vs 30 %) computed independently in Python
        assertThat(report)
                .contains("A vs control: lift +50.0% [-20.1%, +181.7%], always-valid p 0.9719")
                .contains("  -> not enough data yet: about 241 more customers per arm needed")
                .contains("B vs control: lift +0.0% [-49.3%, +97.2%], always-valid p 1.0000")
                .contains("  -> not enough data yet: no difference between the arms so far")
                .as("no designed shares in this hash: no sample-ratio line")
                .doesNotContain("sample ratio");
    }

    @Test
    void statsReportShouldWarnOfASampleRatioMismatch() {
        // 50/50 by design, 5000 vs 5400 customers: chi-squared 15.4, p = 8.8e-5
        String report =
                CampaignCommand.report(
                        "skewed",
                        hash(
                                "A.sent",
                                "5000",
                                "A.converted",
                                "500",
                                "A.expectedShare",
                                "0.5",
                                "B.sent",
                                "5400",
                                "B.converted",
                                "540",
                                "B.expectedShare",
                                "0.5"));

        assertThat(report)
                .contains(
                        "WARNING: sample ratio mismatch (p = 8.8e-05 < 0.001): the arms' sizes are"
                                + " not what the control share and variant weights make them.");
        String fine =
                CampaignCommand.report(
                        "fine",
                        hash(
                                "A.sent",
                                "5000",
                                "A.expectedShare",
                                "0.5",
                                "B.sent",
                                "5050",
                                "B.expectedShare",
                                "0.5"));
        assertThat(fine).contains("sample ratio as designed (p = 0.618)").doesNotContain("WARNING");
    }

    @Test
    void globalReportShouldCompareTreatedCustomersWithTheGlobalControlGroup() {
        String report =
                CampaignCommand.globalReport(
                        hash(
                                "treated.sent",
                                "2000",
                                "treated.converted",
                                "180",
                                "treated.revenue",
                                "9000.00",
                                "treated.revenueSquares",
                                "900000.0000",
                                "treated.expectedShare",
                                "0.855",
                                "global-control.heldOut",
                                "118",
                                "global-control.converted",
                                "6",
                                "global-control.revenue",
                                "300.00",
                                "global-control.revenueSquares",
                                "30000.0000",
                                "global-control.expectedShare",
                                "0.05",
                                "updatedAt",
                                "2026-12-07T10:00:00Z"));

        assertThat(report)
                .startsWith(
                        "All campaigns against the global control group   (updated"
                                + " 2026-12-07T10:00:00Z)")
                .contains("treated vs global-control: lift +77.0% [-19.8%, +290.7%]")
                .containsPattern("  treated +conversion 9.0% \\[7.8%, 10.3%\\]")
                // (9 % - 5.08 %) x 2000 = 78 conversions; (4.50 - 2.54) x 2000 = 3915 revenue
                .contains("incremental: about 78 conversions and 3915.25 [")
                .contains("from 2000 offers sent")
                .contains("sample ratio as designed");
    }

    @Test
    void statsReportShouldSayWhenTheConsentCountWasNotRecorded() {
        String report =
                CampaignCommand.report(
                        "old", hash("A.sent", "1", "updatedAt", "2026-11-23T10:00:00Z"));

        assertThat(report).contains("suppressed for consent not recorded");
    }
}
