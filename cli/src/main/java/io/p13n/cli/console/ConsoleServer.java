package io.p13n.cli.console;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.json.JavalinJackson;
import io.p13n.cli.CustomerView;
import io.p13n.cli.campaign.CampaignCommand;
import io.p13n.jobs.offers.VariantAssignment;
import io.p13n.jobs.offers.stats.ExperimentStatistics;
import io.p13n.jobs.offers.stats.StatsHash;
import io.p13n.model.CampaignStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The console's HTTP side: a JSON API under {@code /api} and the static pages that call it ({@code
 * cli/src/main/resources/console}, the chart library from its WebJar), behind {@link
 * ConsoleAccess}. Every request, pages included, passes the access check first.
 *
 * <p>Changes are POSTs that must carry the header {@value #CHANGE_HEADER}: a page of another site
 * cannot add it to a request without the browser asking this server first (CORS, which is not
 * enabled), so a Basic login remembered by the browser cannot be used to change campaigns from
 * elsewhere.
 */
final class ConsoleServer implements AutoCloseable {
    static final String CHANGE_HEADER = "X-P13n-Console";

    /** What the pages need from the engine's Redis, Kafka and Flink. */
    record Backends(
            CampaignBoard campaigns,
            Function<String, Map<String, String>> campaignStats,
            Function<String, Map<String, String>> campaignStatsHistory,
            Function<String, CustomerView> customers,
            LiveSampler live,
            String dashboard) {}

    private static final ExperimentStatistics STATISTICS = new ExperimentStatistics();

    private final ConsoleAccess access;
    private final Backends backends;
    private final Javalin app;

    ConsoleServer(ConsoleAccess access, Backends backends) {
        this.access = access;
        this.backends = backends;
        this.app =
                Javalin.create(
                        config -> {
                            config.startup.showJavalinBanner = false;
                            // NaN marks what the data cannot tell yet (ExperimentStatistics): as
                            // "NaN" strings, since JSON has no NaN and browsers refuse it.
                            config.jsonMapper(
                                    new JavalinJackson(
                                            JsonMapper.builder()
                                                    .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
                                                    .build(),
                                            false));
                            config.staticFiles.add("/console");
                            config.staticFiles.enableWebjars();
                            config.routes.before(this::admit);
                            config.routes.get("/api/session", this::session);
                            config.routes.get("/api/campaigns", this::campaigns);
                            config.routes.get("/api/campaign-choices", this::choices);
                            config.routes.post("/api/campaigns", this::create);
                            config.routes.post("/api/campaigns/{id}/{action}", this::changeStatus);
                            config.routes.get("/api/campaigns/{id}/stats", this::stats);
                            config.routes.get("/api/customers/{id}", this::customer);
                            config.routes.get("/api/live", this::live);
                            config.routes.exception(
                                    IOException.class,
                                    (e, ctx) ->
                                            ctx.status(HttpStatus.SERVICE_UNAVAILABLE)
                                                    .json(Map.of("error", e.getMessage())));
                            config.routes.exception(
                                    RuntimeException.class,
                                    (e, ctx) ->
                                            ctx.status(HttpStatus.INTERNAL_SERVER_ERROR)
                                                    .json(Map.of("error", String.valueOf(e))));
                        });
    }

    /** Listens on {@code bind}:{@code port} (0: a free port); returns the port. */
    int start(String bind, int port) {
        app.start(bind, port);
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }

    private void admit(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header(
                "Content-Security-Policy",
                "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
                        + " frame-ancestors 'none'");
        ConsoleAccess.Verdict verdict =
                access.check(ctx.header("Authorization"), ctx.req().getRemoteAddr(), ctx::header);
        if (!verdict.allowed()) {
            if (access.challengesWithBasic()) {
                ctx.header("WWW-Authenticate", "Basic realm=\"p13n console\", charset=\"UTF-8\"");
            }
            throw new UnauthorizedResponse("Sign in to use the console.");
        }
        ctx.attribute("user", verdict.user());
        if (ctx.method().name().equals("POST") && ctx.header(CHANGE_HEADER) == null) {
            throw new io.javalin.http.ForbiddenResponse(
                    "Changes need the " + CHANGE_HEADER + " header (sent by the console's pages).");
        }
    }

    private void session(Context ctx) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user", ctx.attribute("user"));
        out.put("access", access.describe());
        out.put("dashboard", backends.dashboard());
        ctx.json(out);
    }

    private void campaigns(Context ctx) throws IOException {
        ctx.json(backends.campaigns().list());
    }

    private void choices(Context ctx) {
        ctx.json(CampaignBoard.choices());
    }

    private void create(Context ctx) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> body = ctx.bodyAsClass(Map.class);
        Map<String, List<String>> form = new LinkedHashMap<>();
        body.forEach(
                (field, value) -> {
                    List<String> values = new ArrayList<>();
                    if (value instanceof List<?> list) {
                        list.forEach(v -> values.add(v == null ? null : String.valueOf(v)));
                    } else if (value != null) {
                        values.add(String.valueOf(value));
                    }
                    form.put(field, values);
                });
        CampaignBoard.Result result = backends.campaigns().create(form, ctx.attribute("user"));
        ctx.status(result.ok() ? HttpStatus.CREATED : HttpStatus.UNPROCESSABLE_CONTENT)
                .json(result);
    }

    private void changeStatus(Context ctx) throws IOException {
        CampaignStatus target =
                switch (ctx.pathParam("action")) {
                    case "pause" -> CampaignStatus.PAUSED;
                    case "resume" -> CampaignStatus.ACTIVE;
                    case "end" -> CampaignStatus.ENDED;
                    default -> null;
                };
        if (target == null) {
            ctx.status(HttpStatus.NOT_FOUND).json(Map.of("error", "pause, resume or end"));
            return;
        }
        CampaignBoard.Result result =
                backends.campaigns().changeStatus(ctx.pathParam("id"), target);
        ctx.status(result.ok() ? HttpStatus.OK : HttpStatus.UNPROCESSABLE_CONTENT).json(result);
    }

    private void stats(Context ctx) {
        String id = ctx.pathParam("id");
        Map<String, String> hash = backends.campaignStats().apply(id);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        if (hash.isEmpty()) {
            out.put("report", null);
            out.put("arms", List.of());
        } else {
            // The CLI's own text and numbers: `campaign stats` prints exactly this report.
            out.put("report", CampaignCommand.report(id, hash));
            out.put("arms", CampaignCommand.arms(hash));
            out.put("headline", CampaignBoard.headline(hash));
            // The statistics `campaign stats` prints, computed by the same code from the same
            // totals.
            out.put(
                    "statistics",
                    STATISTICS.report(StatsHash.arms(hash), VariantAssignment.CONTROL_ARM));
        }
        out.put(
                "history",
                StatsHistory.points(backends.campaignStatsHistory().apply(id), STATISTICS));
        ctx.json(out);
    }

    private void customer(Context ctx) {
        CustomerView view = backends.customers().apply(ctx.pathParam("id"));
        ctx.status(view.hasProfile() ? HttpStatus.OK : HttpStatus.NOT_FOUND).json(view);
    }

    private void live(Context ctx) {
        ctx.json(backends.live().snapshot());
    }
}
