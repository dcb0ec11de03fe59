package ada.carbon.report.serve;

import ada.carbon.report.Figures;
import ada.carbon.report.Figures.View;
import ada.carbon.report.Html;
import ada.carbon.report.ReportPeriod;
import ada.carbon.report.ReportReader;
import ada.carbon.report.Selection;
import ada.carbon.report.ViewScope;
import ada.carbon.report.WhenToRun;
import ada.carbon.schemas.Times;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ada-carbon serve}: the JSON API over the database's views (shaped after the original Ada carbon API where
 * a route maps onto the schema, and described by {@code /openapi.json}) and the live dashboard at {@code /}, on
 * Javalin (Jetty). Every figure comes from {@link ReportReader} through {@link Figures}, the same objects the
 * static report embeds. Bearer tokens from a {@link TokenFile} decide what a caller sees ({@link Access}).
 */
public final class CarbonServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CarbonServer.class);
    private static final String CALLER = "ada-carbon.caller";
    /** Routes anyone may call: the dashboard's page (no data in it), the API's description, and health. */
    private static final Set<String> PUBLIC = Set.of("/", "/openapi.json", "/health");

    private static final int MAX_FORECAST_HOURS = 168;
    private static final double MAX_WINDOW_HOURS = 24;

    /**
     * @param db the database, read only
     * @param tokens the tokens, or null: every caller is an operator (bind to loopback only)
     * @param lag the pipeline's lag for /health, or null without a broker
     * @param connections how many read-only connections requests share
     * @param horizon the aggregator's restatement horizon (or longer): facts further behind are read once
     */
    public record Settings(
            Path db,
            String bind,
            int port,
            TokenFile tokens,
            PipelineLag lag,
            int connections,
            java.time.Duration horizon) {}

    private final Settings settings;
    private final ServeDatabase database;
    private final String dashboard;
    private final String dashboardPolicy;
    private final List<String> routes = new ArrayList<>();
    private final FinalBuckets finalBuckets;
    private final Javalin app;

    private CarbonServer(Settings settings, ServeDatabase database) {
        this.settings = settings;
        this.database = database;
        this.dashboard = Dashboard.page();
        this.dashboardPolicy = Dashboard.policy(dashboard);
        this.finalBuckets = new FinalBuckets(settings.horizon());
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = settings.bind();
            config.jetty.port = settings.port();
            config.jsonMapper(new JavalinJackson(Html.mapper(), false));
            config.requestLogger.http(this::logRequest);
            config.routes.beforeMatched(this::authenticate);
            config.routes.before(ctx -> {
                // Answers differ by token: no cache may keep or share them.
                ctx.header("Cache-Control", "no-store");
                ctx.header("X-Content-Type-Options", "nosniff");
                ctx.header("Referrer-Policy", "no-referrer");
            });
            get(config, "/", this::dashboard);
            get(
                    config,
                    "/openapi.json",
                    ctx -> ctx.contentType("application/json").result(openApi()));
            get(config, "/health", this::health);
            get(config, "/whoami", this::whoami);
            get(
                    config,
                    "/carbon/intensity/current",
                    ctx -> ctx.json(read(c -> Figures.current(
                            c, Times.format(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))))));
            get(config, "/carbon/intensity/forecast", this::forecast);
            get(config, "/carbon/intensity", ctx -> {
                ReportPeriod period = period(ctx);
                ctx.json(read(c -> Figures.intensity(c, period)));
            });
            get(config, "/carbon/history", ctx -> history(ctx, selection(ctx)));
            get(config, "/carbon/usage", ctx -> usage(ctx, selection(ctx)));
            get(config, "/carbon/footprint", ctx -> footprint(ctx, selection(ctx)));
            get(config, "/carbon/heatmap", this::heatmap);
            get(config, "/carbon/equivalencies/{gco2eq}", this::equivalencies);
            get(config, "/workspaces/active", this::workspaces);
            for (ViewScope scope : List.of(ViewScope.USER, ViewScope.GROUP, ViewScope.PROJECT, ViewScope.MACHINE)) {
                String base = "/" + plural(scope);
                String param = scope == ViewScope.USER ? "user_id" : "name";
                get(config, base, ctx -> list(ctx, scope));
                get(config, base + "/{" + param + "}/usage", ctx -> usage(ctx, entity(ctx, scope, param)));
                get(config, base + "/{" + param + "}/summary", ctx -> summary(ctx, entity(ctx, scope, param)));
            }
            config.routes.exception(ApiError.class, (e, ctx) -> error(ctx, e));
            config.routes.exception(
                    IllegalArgumentException.class, (e, ctx) -> error(ctx, ApiError.badRequest(e.getMessage())));
            config.routes.exception(
                    HttpResponseException.class,
                    (e, ctx) -> error(
                            ctx,
                            new ApiError(
                                    e.getStatus(),
                                    e.getStatus() == 404
                                            ? "no route " + ctx.method() + " " + ctx.path() + " (see /openapi.json)"
                                            : e.getMessage())));
            config.routes.exception(Exception.class, (e, ctx) -> {
                log.error("{} {} failed", ctx.method(), ctx.path(), e);
                error(
                        ctx,
                        new ApiError(500, "the server failed: " + e.getClass().getSimpleName()));
            });
        });
    }

    /** Opens the database read-only and starts listening. */
    public static CarbonServer start(Settings settings) throws SQLException {
        ServeDatabase database = new ServeDatabase(settings.db(), settings.connections());
        try {
            CarbonServer server = new CarbonServer(settings, database);
            server.app.start();
            return server;
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    public int port() {
        return app.port();
    }

    /** Every GET route, as registered (and as /openapi.json must describe them). */
    public List<String> routes() {
        return List.copyOf(routes);
    }

    @Override
    public void close() {
        app.stop();
        database.close();
        if (settings.lag() != null) {
            settings.lag().close();
        }
    }

    private void get(io.javalin.config.JavalinConfig config, String path, Handler handler) {
        routes.add(path);
        config.routes.get(path, handler);
    }

    // ---------------------------------------------------------------- tokens and logs

    private void authenticate(Context ctx) {
        if (PUBLIC.contains(ctx.path())) {
            return;
        }
        if (settings.tokens() == null) {
            ctx.attribute(CALLER, Caller.LOCAL);
            return;
        }
        String header = ctx.header("Authorization");
        if (header == null
                || !header.regionMatches(true, 0, "Bearer ", 0, 7)
                || header.substring(7).isBlank()) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"ada-carbon\"");
            throw ApiError.unauthorized("this route needs a token: Authorization: Bearer <token>");
        }
        Caller caller = settings.tokens().authenticate(header.substring(7).strip());
        if (caller == null) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"ada-carbon\", error=\"invalid_token\"");
            throw ApiError.unauthorized("the token is not one this server accepts");
        }
        ctx.attribute(CALLER, caller);
    }

    /** One line per request: method, path (never the query, the headers or a token), status, time and caller. */
    private void logRequest(Context ctx, Float millis) {
        Caller caller = ctx.attribute(CALLER);
        log.info(
                "{} {} {} {} ms{}",
                ctx.method(),
                ctx.path(),
                ctx.statusCode(),
                String.format(Locale.ROOT, "%.1f", millis),
                caller == null ? "" : " by " + caller.label() + " (" + caller.role() + ")");
    }

    private static Caller caller(Context ctx) {
        Caller c = ctx.attribute(CALLER);
        if (c == null) {
            throw new IllegalStateException("no caller on a route that needs one");
        }
        return c;
    }

    private static void error(Context ctx, ApiError e) {
        ctx.status(e.status).json(e.body());
    }

    private <T> T read(ServeDatabase.Read<T> read) throws SQLException {
        return database.read(read);
    }

    // ---------------------------------------------------------------- parameters

    /** {@code scope} (default ada) and {@code id}, checked against what the caller may see and then the database. */
    private static Selection selection(Context ctx) {
        String scopeText = ctx.queryParam("scope");
        ViewScope scope = ViewScope.of(scopeText == null || scopeText.isEmpty() ? "ada" : scopeText);
        String id = ctx.queryParam("id");
        if (scope.named() && (id == null || id.isEmpty())) {
            throw ApiError.badRequest("scope " + scope.id() + " needs an id");
        }
        if (!scope.named() && id != null && !id.isEmpty()) {
            throw ApiError.badRequest("scope ada takes no id");
        }
        return Selection.of(scope, id);
    }

    private static Selection entity(Context ctx, ViewScope scope, String param) {
        String name = ctx.pathParam(param);
        if (scope == ViewScope.USER && name.equals("me")) {
            Role role = caller(ctx).role();
            if (role.kind() != Role.Kind.USER) {
                throw ApiError.notFound("'me' is the user of a user:<user_id> token; this caller is " + role);
            }
            name = role.name();
        }
        return Selection.of(scope, name);
    }

    /** Checks the caller may see the selection (403), then that it exists (404). */
    private static void visible(Context ctx, Selection s, Connection c) throws SQLException {
        Access.check(caller(ctx), s, c);
        if (!ReportReader.exists(c, s)) {
            throw ApiError.notFound("no " + s.scope().id() + " '" + s.name() + "'");
        }
    }

    private static ReportPeriod period(Context ctx) {
        return ReportPeriod.parse("from", ctx.queryParam("from"), "to", ctx.queryParam("to"));
    }

    private static View view(Context ctx, View otherwise) {
        String v = ctx.queryParam("view");
        return v == null || v.isEmpty() ? otherwise : View.of(v);
    }

    private static Integer integer(Context ctx, String name, Integer otherwise, int min, int max) {
        String text = ctx.queryParam(name);
        if (text == null || text.isEmpty()) {
            return otherwise;
        }
        int value;
        try {
            value = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name + ": '" + text + "' is not a whole number");
        }
        if (value < min || value > max) {
            throw ApiError.badRequest(name + ": " + value + " is out of range (" + min + " to " + max + ")");
        }
        return value;
    }

    // ---------------------------------------------------------------- routes

    private void dashboard(Context ctx) {
        ctx.header("Content-Security-Policy", dashboardPolicy + "; frame-ancestors 'none'");
        ctx.html(dashboard);
    }

    private void health(Context ctx) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("service", "serve");
        h.put("database", settings.db().getFileName().toString());
        int status = 200;
        try {
            long version = database.dataVersion();
            String newest = read(ReportReader::newestFact);
            h.put("status", "UP");
            h.put("readable", true);
            h.put("newest_fact_ts", newest);
            h.put(
                    "newest_fact_age_seconds",
                    newest == null
                            ? null
                            : java.time.Duration.between(Times.parse(newest), Instant.now())
                                    .getSeconds());
            h.put("data_version", version);
        } catch (SQLException | RuntimeException e) {
            status = 503;
            h.put("status", "DOWN");
            h.put("readable", false);
            h.put("detail", "the database cannot be read: " + e.getMessage());
        }
        h.put("lag", settings.lag() == null ? null : settings.lag().read(settings.db()));
        h.put("units", Figures.UNITS);
        ctx.status(status).json(h);
    }

    private void whoami(Context ctx) {
        Caller c = caller(ctx);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("role", c.role().kind().name().toLowerCase(Locale.ROOT));
        out.put("label", c.label());
        out.put("user_id", c.role().kind() == Role.Kind.USER ? c.role().name() : null);
        out.put("group_name", c.role().kind() == Role.Kind.GROUP ? c.role().name() : null);
        out.put("tokens", settings.tokens() != null);
        List<String> lists = new ArrayList<>();
        for (ViewScope scope : List.of(ViewScope.PROJECT, ViewScope.MACHINE, ViewScope.GROUP, ViewScope.USER)) {
            if (Access.mayList(c, scope)) {
                lists.add(plural(scope));
            }
        }
        out.put("lists", lists);
        out.put("units", Figures.UNITS);
        ctx.json(out);
    }

    private void forecast(Context ctx) throws SQLException {
        Integer hours = integer(ctx, "hours", null, 1, MAX_FORECAST_HOURS);
        String w = ctx.queryParam("window");
        double window = 3;
        if (w != null && !w.isEmpty()) {
            try {
                window = Double.parseDouble(w.strip());
            } catch (NumberFormatException e) {
                throw ApiError.badRequest("window: '" + w + "' is not a number of hours");
            }
            if (!(window >= 0.5 && window <= MAX_WINDOW_HOURS) || window * 2 != Math.rint(window * 2)) {
                throw ApiError.badRequest("window: " + w + " hours is not a whole number of half hours from 0.5 to "
                        + (int) MAX_WINDOW_HOURS);
            }
        }
        int slots = (int) (window * 2);
        ctx.json(read(c -> Figures.forecast(WhenToRun.read(c, slots, hours), hours)));
    }

    private void history(Context ctx, Selection s) throws SQLException {
        String type = ctx.queryParam("data_type");
        boolean carbon;
        if (type == null || type.isEmpty() || type.equals("carbon")) {
            carbon = true;
        } else if (type.equals("electricity")) {
            carbon = false;
        } else {
            throw ApiError.badRequest("data_type: '" + type + "' is not one of carbon, electricity");
        }
        ReportPeriod period = period(ctx);
        View view = view(ctx, View.MONTH);
        ctx.json(read(c -> {
            visible(ctx, s, c);
            return Figures.history(usage(c, s, period, view), carbon);
        }));
    }

    private void usage(Context ctx, Selection s) throws SQLException {
        ReportPeriod period = period(ctx);
        View view = view(ctx, View.MONTH);
        ctx.json(read(c -> {
            visible(ctx, s, c);
            return usage(c, s, period, view);
        }));
    }

    private void footprint(Context ctx, Selection s) throws SQLException {
        ReportPeriod period = period(ctx);
        ctx.json(read(c -> {
            visible(ctx, s, c);
            return Figures.footprint(c, s, period);
        }));
    }

    /** Figures.usage, its final bars remembered. */
    private Figures.Usage usage(Connection c, Selection s, ReportPeriod period, View view) throws SQLException {
        List<ada.carbon.report.ReportData.Bucket> buckets = finalBuckets.buckets(c, s, period, view.bucket());
        return Figures.usage(s, period, view, ReportReader.totals(c, s, period, buckets), buckets);
    }

    private void heatmap(Context ctx) throws SQLException {
        Selection s = selection(ctx);
        int thisYear = Instant.now().atZone(ZoneOffset.UTC).getYear();
        Integer year = integer(ctx, "year", null, 2000, thisYear + 1);
        ctx.json(read(c -> {
            visible(ctx, s, c);
            if (year != null) {
                return Figures.heatmap(c, s, year);
            }
            String newest = ReportReader.lastTs(c, s);
            return Figures.heatmap(c, s, newest == null ? thisYear : Integer.parseInt(newest.substring(0, 4)));
        }));
    }

    private void summary(Context ctx, Selection s) throws SQLException {
        Caller caller = caller(ctx);
        ctx.json(read(c -> {
            visible(ctx, s, c);
            List<String> members = s.scope() == ViewScope.GROUP ? ReportReader.members(c, s.name()) : null;
            return Figures.summary(c, s, members, activeWorkspaces(c, caller, s).size());
        }));
    }

    /** The active workspaces the caller sees that count toward the selection. */
    private static List<ReportReader.Workspace> activeWorkspaces(Connection c, Caller caller, Selection s)
            throws SQLException {
        List<String> members = s.scope() == ViewScope.GROUP ? ReportReader.members(c, s.name()) : null;
        return ReportReader.workspaces(c).stream()
                .filter(w -> Access.sees(caller, w) && counts(s, w, members))
                .toList();
    }

    /** Whether an active workspace counts toward the selection. */
    private static boolean counts(Selection s, ReportReader.Workspace w, List<String> members) {
        return switch (s.scope()) {
            case ADA -> true;
            case PROJECT -> s.name().equals(w.cloudProjectName());
            case MACHINE -> s.name().equals(w.machineName());
            case USER -> s.name().equals(w.owner());
            case GROUP -> members.contains(w.owner());
        };
    }

    private void list(Context ctx, ViewScope scope) throws SQLException {
        ReportPeriod period = period(ctx);
        Caller caller = caller(ctx);
        if (!Access.mayList(caller, scope)) {
            throw ApiError.forbidden();
        }
        ctx.json(read(c -> Figures.table(c, scope, period, Access.visible(caller, scope, c))));
    }

    private void equivalencies(Context ctx) {
        String text = ctx.pathParam("gco2eq");
        double grams;
        try {
            grams = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("gco2eq: '" + text + "' is not a number of grams");
        }
        if (!Double.isFinite(grams) || grams < 0) {
            throw ApiError.badRequest("gco2eq: " + text + " is not a finite amount of at least 0 g");
        }
        int all = ada.carbon.report.Equivalencies.ALL.size();
        ctx.json(Figures.equivalencies(grams, integer(ctx, "count", all, 1, all)));
    }

    /** The active workspaces the caller sees; with {@code scope} and {@code id}, those counting toward that. */
    private void workspaces(Context ctx) throws SQLException {
        Caller caller = caller(ctx);
        Selection s = selection(ctx);
        ctx.json(read(c -> {
            visible(ctx, s, c);
            return Figures.workspaces(activeWorkspaces(c, caller, s));
        }));
    }

    private static String plural(ViewScope scope) {
        return scope.id() + "s";
    }

    static String openApi() {
        try (InputStream in = CarbonServer.class.getResourceAsStream("/ada/carbon/report/serve/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("missing resource openapi.json");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
