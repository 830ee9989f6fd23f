package io.p13n.cli.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.p13n.cli.testing.CliRuns;
import io.p13n.cli.testing.LocalServices;
import io.p13n.config.EngineConfig;
import io.p13n.config.EngineOptions;
import io.p13n.jobs.offers.RecentDecisionsRedisMapper;
import io.p13n.jobs.profile.SegmentHistoryRedisMapper;
import io.p13n.jobs.redis.RedisBatchWriter;
import io.p13n.jobs.redis.RedisEndpoint;
import io.p13n.jobs.redis.RedisKeys;
import io.p13n.model.OfferOutcome;
import io.p13n.model.RecentDecision;
import io.p13n.model.Segment;
import io.p13n.model.SegmentChange;
import io.p13n.model.TriggerType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;

/**
 * The console's JSON API and access rules over plain HTTP, on a real Kafka and Redis: campaigns
 * created and refused as {@code campaign create} does it, a customer read as {@code show customer}
 * reads them, logins required off loopback, and no secret in any answer.
 */
class ConsoleApiITCase {
    @RegisterExtension static final LocalServices SERVICES = LocalServices.kafkaAndRedis();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "console-password-" + UUID.randomUUID();

    private final HttpClient http = HttpClient.newHttpClient();
    private Console console;

    @AfterEach
    void close() {
        if (console != null) {
            console.close();
        }
    }

    private static Map<String, String> settings(String run, String... keyValues) {
        Map<String, String> settings = new HashMap<>();
        settings.put(
                EngineOptions.KAFKA_BOOTSTRAP_SERVERS.key(), SERVICES.kafka().bootstrapServers());
        settings.put(EngineOptions.KAFKA_TOPIC_CAMPAIGNS.key(), "campaigns-" + run);
        settings.put(EngineOptions.REDIS_HOST.key(), SERVICES.redis().host());
        settings.put(EngineOptions.REDIS_PORT.key(), Integer.toString(SERVICES.redis().port()));
        settings.put(EngineOptions.REDIS_KEY_PREFIX.key(), "c" + run);
        settings.put(EngineOptions.CONSOLE_PORT.key(), "0");
        // Nothing listens there: the Live page says so, and the rest must not care.
        settings.put(EngineOptions.CONSOLE_FLINK_REST.key(), "http://127.0.0.1:9");
        for (int i = 0; i < keyValues.length; i += 2) {
            settings.put(keyValues[i], keyValues[i + 1]);
        }
        return settings;
    }

    private static String run() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(console.url()).resolve(path));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, Object body, boolean withChangeHeader)
            throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(console.url()).resolve(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (withChangeHeader) {
            request.header(ConsoleServer.CHANGE_HEADER, "1");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldCreateRefuseAndPauseCampaignsAsTheCliDoes() throws Exception {
        String run = run();
        console = Console.start(EngineConfig.fromMap(settings(run), Map.of()));

        HttpResponse<String> created =
                post(
                        "/api/campaigns",
                        Map.of(
                                "id", "cart10",
                                "trigger", "CART_ABANDONED",
                                "percentOff", "10",
                                "segment", List.of("ACTIVE", "LOYAL")),
                        true);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(JSON.readTree(created.body()).path("message").asText())
                .startsWith("Created campaign 'cart10' (version 1, ACTIVE)");

        // The same refusal as `campaign create` with the same options, reason for reason.
        Map<String, Object> invalid =
                Map.of("id", "bad", "trigger", "WIN_BACK", "percentOff", "150", "validity", "0d");
        HttpResponse<String> refused = post("/api/campaigns", invalid, true);
        assertThat(refused.statusCode()).isEqualTo(422);
        List<String> problems =
                JSON.convertValue(JSON.readTree(refused.body()).path("problems"), List.class);
        String[] cli =
                CliRuns.execute(
                        "campaign",
                        "create",
                        "--bootstrap-servers",
                        SERVICES.kafka().bootstrapServers(),
                        "--campaigns-topic=campaigns-" + run,
                        "--id",
                        "bad",
                        "--trigger",
                        "WIN_BACK",
                        "--percent-off",
                        "150",
                        "--validity",
                        "0d");
        assertThat(cli[0]).isEqualTo("1");
        assertThat(problems).isNotEmpty();
        assertThat(cli[2].lines().filter(l -> l.startsWith("  - ")).map(l -> l.substring(4)))
                .containsExactlyElementsOf(problems);

        assertThat(
                        post(
                                        "/api/campaigns",
                                        Map.of("id", "x", "trigger", "NOPE", "message", "hi"),
                                        true)
                                .body())
                .as("an option the CLI cannot parse is refused with picocli's reason")
                .contains("Invalid value for option '--trigger'");
        assertThat(
                        post("/api/campaigns", Map.of("id", "y", "trigger", "WIN_BACK"), false)
                                .statusCode())
                .as("a change without the console's header (a cross-site form) is forbidden")
                .isEqualTo(403);

        assertThat(post("/api/campaigns/cart10/pause", Map.of(), true).statusCode()).isEqualTo(200);
        JsonNode list = JSON.readTree(get("/api/campaigns").body());
        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("status").asText()).isEqualTo("PAUSED");
        assertThat(list.get(0).path("version").asInt()).isEqualTo(2);
        String[] cliList =
                CliRuns.execute(
                        "campaign",
                        "list",
                        "--bootstrap-servers",
                        SERVICES.kafka().bootstrapServers(),
                        "--campaigns-topic=campaigns-" + run);
        assertThat(cliList[1]).contains("PAUSED").contains("10% off");
    }

    @Test
    void shouldShowACustomerWithTheFactsShowCustomerPrints() throws Exception {
        String run = run();
        RedisKeys keys = new RedisKeys("c" + run);
        try (RedisClient redis =
                RedisClient.create(SERVICES.redis().host(), SERVICES.redis().port())) {
            redis.hset(
                    keys.profile("alice"),
                    Map.of(
                            "segment", "LOYAL",
                            "tier", "GOLD",
                            "points", "1234",
                            "churnRisk", "0.12",
                            "churnReasons", "orders on rhythm",
                            "pAlive", "0.97",
                            "cartValue", "42.00",
                            "sessions7d", "3"));
            redis.expire(keys.profile("alice"), 3600);
            redis.set(
                    keys.recommendations("alice"),
                    "{\"updatedAt\":\"2026-12-01T00:00:00Z\",\"strategy\":\"neighbours\",\"items\":"
                            + "[{\"id\":\"p1\",\"category\":\"c1\",\"score\":0.9,\"reason\":\"bought with p7\"}]}");
            redis.set(
                    keys.activeOffers("alice"),
                    "{\"updatedAt\":\"2026-12-01T00:00:00Z\",\"offers\":[{\"code\":\"SAVE-1\",\"campaign\":\"cart10\","
                            + "\"variant\":\"A\",\"channel\":\"ONSITE\",\"percentOff\":10.0,\"expiresAt\":\"2026-12-08T00:00:00Z\",\"reason\":\"cart abandoned\"}]}");
        }
        // The histories as the engine's mappers write them: pushed out of time order (a held-out
        // decision reaches its sink later than a suppressed one), and one pushed twice, as a
        // restart of the at-least-once sink can.
        Duration ttl = Duration.ofHours(1);
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        try (RedisBatchWriter writer =
                new RedisBatchWriter(
                        RedisEndpoint.standalone(SERVICES.redis().host(), SERVICES.redis().port()),
                        10)) {
            var segments = new SegmentHistoryRedisMapper(keys, ttl);
            writer.write(
                    segments.toWrite(
                            new SegmentChange(
                                    "alice:2",
                                    "alice",
                                    Segment.ACTIVE,
                                    Segment.LOYAL,
                                    t.plusSeconds(3600),
                                    List.of("5 orders in 90 days"))));
            writer.write(
                    segments.toWrite(
                            new SegmentChange(
                                    "alice:1",
                                    "alice",
                                    Segment.NEW,
                                    Segment.ACTIVE,
                                    t,
                                    List.of("second order"))));
            var decisions = new RecentDecisionsRedisMapper(keys, ttl);
            RecentDecision sent =
                    decision("d1", OfferOutcome.SENT, "cart abandoned", t.plusSeconds(60))
                            .setCouponCode("SAVE-1")
                            .build();
            writer.write(decisions.toWrite(sent));
            writer.write(
                    decisions.toWrite(
                            decision(
                                            "d3",
                                            OfferOutcome.SUPPRESSED,
                                            "frequency cap: last coupon 0 days before; cart"
                                                    + " abandoned",
                                            t.plusSeconds(180))
                                    .build()));
            writer.write(
                    decisions.toWrite(
                            decision(
                                            "d2",
                                            OfferOutcome.HELD_OUT,
                                            "passed 1000 points",
                                            t.plusSeconds(120))
                                    .build()));
            writer.write(decisions.toWrite(sent));
            writer.flush();
        }
        console = Console.start(EngineConfig.fromMap(settings(run), Map.of()));

        HttpResponse<String> response = get("/api/customers/alice");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode view = JSON.readTree(response.body());
        String[] cli =
                CliRuns.execute(
                        "show",
                        "customer",
                        "alice",
                        "--redis-port",
                        Integer.toString(SERVICES.redis().port()),
                        "--key-prefix",
                        "c" + run);
        assertThat(cli[0]).as(cli[2]).isEqualTo("0");
        // Every fact the page gets is a line `show customer` prints.
        int facts = 0;
        for (JsonNode group : view.path("groups")) {
            for (JsonNode fact : group) {
                String line =
                        String.format(
                                "  %-22s %s",
                                fact.path("field").asText(), fact.path("value").asText());
                assertThat(cli[1].lines())
                        .as(line)
                        .anyMatch(l -> l.equals(line.stripTrailing()) || l.equals(line));
                facts++;
            }
        }
        assertThat(facts).isGreaterThan(30);
        assertThat(view.path("recommendations").get(0).path("reason").asText())
                .isEqualTo("bought with p7");
        assertThat(cli[1]).contains("bought with p7").contains("SAVE-1");
        assertThat(view.path("offers").get(0).path("code").asText()).isEqualTo("SAVE-1");
        // The histories: newest first, the repeated entry once, each a line of `show customer`.
        assertThat(view.path("segmentHistory").findValuesAsText("to"))
                .containsExactly("LOYAL", "ACTIVE");
        assertThat(view.path("segmentHistory").get(0).path("reasons").get(0).asText())
                .isEqualTo("5 orders in 90 days");
        assertThat(view.path("decisions").findValuesAsText("outcome"))
                .containsExactly("SUPPRESSED", "HELD_OUT", "SENT");
        assertThat(view.path("decisions").get(2).path("code").asText()).isEqualTo("SAVE-1");
        assertThat(view.path("decisions").get(1).path("code").asText()).isEmpty();
        for (JsonNode step : view.path("segmentHistory")) {
            assertThat(cli[1].lines())
                    .as(step.toString())
                    .anyMatch(
                            l ->
                                    l.contains(step.path("at").asText())
                                            && l.contains(step.path("from").asText())
                                            && l.contains(step.path("to").asText())
                                            && l.contains(step.path("reasons").get(0).asText()));
        }
        for (JsonNode d : view.path("decisions")) {
            assertThat(cli[1].lines())
                    .as(d.toString())
                    .anyMatch(
                            l ->
                                    l.contains(d.path("at").asText())
                                            && l.contains(d.path("outcome").asText() + " ")
                                            && l.contains(d.path("campaign").asText())
                                            && l.contains(d.path("reason").asText())
                                            && l.contains(d.path("code").asText()));
        }
        assertThat(cli[1].lines().filter(l -> l.contains(" SENT "))).hasSize(1);

        assertThat(get("/api/customers/nobody").statusCode()).isEqualTo(404);
    }

    private static RecentDecision.Builder decision(
            String id, OfferOutcome outcome, String reason, Instant at) {
        return RecentDecision.newBuilder()
                .setCustomerId("alice")
                .setDecisionId(id)
                .setCampaignId("cart10")
                .setVariant("A")
                .setOutcome(outcome)
                .setTrigger(TriggerType.CART_ABANDONED)
                .setReason(reason)
                .setIssuedAt(at.toEpochMilli());
    }

    @Test
    void shouldRefuseToStartOffLoopbackWithoutALogin() {
        String run = run();
        assertThatThrownBy(
                        () ->
                                Console.start(
                                        EngineConfig.fromMap(
                                                settings(
                                                        run,
                                                        EngineOptions.CONSOLE_BIND.key(),
                                                        "0.0.0.0"),
                                                Map.of())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("without a login");
        String[] cli =
                CliRuns.execute(
                        "console",
                        "--bootstrap-servers",
                        SERVICES.kafka().bootstrapServers(),
                        "--redis-port",
                        Integer.toString(SERVICES.redis().port()),
                        "--bind",
                        "0.0.0.0",
                        "--port",
                        "0");
        assertThat(cli[0]).isEqualTo("2");
        assertThat(cli[2]).contains("refusing to serve the console on 0.0.0.0 without a login");
    }

    @Test
    void shouldRequireTheBasicLoginOffLoopback() throws Exception {
        String run = run();
        console =
                Console.start(
                        EngineConfig.fromMap(
                                settings(
                                        run,
                                        EngineOptions.CONSOLE_BIND.key(),
                                        "0.0.0.0",
                                        EngineOptions.CONSOLE_USER.key(),
                                        "marketing"),
                                Map.of("P13N_CONSOLE_PASSWORD", PASSWORD)));

        for (String path : List.of("/api/campaigns", "/index.html", "/console.js", "/api/live")) {
            HttpResponse<String> anonymous = get(path);
            assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        }
        assertThat(
                        get("/api/session", "Authorization", basic("marketing", PASSWORD + "x"))
                                .statusCode())
                .isEqualTo(401);
        assertThat(get("/api/session", "Authorization", basic("sales", PASSWORD)).statusCode())
                .isEqualTo(401);
        HttpResponse<String> session =
                get("/api/session", "Authorization", basic("marketing", PASSWORD));
        assertThat(session.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(session.body()).path("user").asText()).isEqualTo("marketing");
        assertThat(session.body()).doesNotContain(PASSWORD);
    }

    @Test
    void shouldTrustTheProxyHeaderOnlyFromTheProxy() throws Exception {
        String run = run();
        console =
                Console.start(
                        EngineConfig.fromMap(
                                settings(
                                        run,
                                        EngineOptions.CONSOLE_PROXY_USER_HEADER.key(),
                                        "X-Forwarded-User",
                                        EngineOptions.CONSOLE_PROXY_ADDRESSES.key(),
                                        "127.0.0.1"),
                                Map.of()));
        assertThat(get("/api/session").statusCode())
                .as("loopback, but a login is configured")
                .isEqualTo(401);
        HttpResponse<String> viaProxy = get("/api/session", "X-Forwarded-User", "jane@store");
        assertThat(viaProxy.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(viaProxy.body()).path("user").asText()).isEqualTo("jane@store");
        console.close();

        console =
                Console.start(
                        EngineConfig.fromMap(
                                settings(
                                        run,
                                        EngineOptions.CONSOLE_PROXY_USER_HEADER.key(),
                                        "X-Forwarded-User",
                                        EngineOptions.CONSOLE_PROXY_ADDRESSES.key(),
                                        "10.0.0.5"),
                                Map.of()));
        assertThat(get("/api/session", "X-Forwarded-User", "jane@store").statusCode())
                .as("the header from an address that is not the proxy")
                .isEqualTo(401);
    }

    @Test
    void shouldShowNoSecretAnywhere() throws Exception {
        String run = run();
        String redisPassword = "redis-secret-" + run;
        String pseudonymKey = "pseudonymization-secret-" + run + "-0123456789";
        String jaas =
                "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"engine\" password=\"sasl-secret-"
                        + run
                        + "\";";
        List<String> secrets = List.of(redisPassword, pseudonymKey, "sasl-secret-" + run, PASSWORD);
        try (Jedis admin = new Jedis(SERVICES.redis().host(), SERVICES.redis().port())) {
            admin.configSet("requirepass", redisPassword);
            try {
                admin.auth(redisPassword);
                console =
                        Console.start(
                                EngineConfig.fromMap(
                                        settings(
                                                run,
                                                EngineOptions.REDIS_PASSWORD.key(),
                                                redisPassword,
                                                EngineOptions.KAFKA_SASL_JAAS_CONFIG.key(),
                                                jaas,
                                                EngineOptions.CONSOLE_USER.key(),
                                                "marketing"),
                                        Map.of(
                                                "P13N_CONSOLE_PASSWORD", PASSWORD,
                                                "P13N_PRIVACY_PSEUDONYMIZATION_KEY",
                                                        pseudonymKey)));
                String login = basic("marketing", PASSWORD);
                for (String path :
                        List.of(
                                "/api/session",
                                "/api/campaigns",
                                "/api/campaign-choices",
                                "/api/customers/alice",
                                "/api/campaigns/x/stats",
                                "/api/live",
                                "/index.html",
                                "/customer.html",
                                "/live.html",
                                "/campaign.html",
                                "/console.js")) {
                    HttpResponse<String> response = get(path, "Authorization", login);
                    assertThat(response.statusCode()).as(path).isIn(200, 404);
                    for (String secret : secrets) {
                        assertThat(response.body()).as(path).doesNotContain(secret);
                    }
                }
                assertThat(console.access()).doesNotContain(PASSWORD);
            } finally {
                admin.configSet("requirepass", "");
            }
        }
    }

    private static String basic(String user, String password) {
        return "Basic "
                + Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
