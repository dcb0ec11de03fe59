package ada.carbon.report;

import ada.carbon.app.e2e.E2e;
import ada.carbon.avro.Fact;
import ada.carbon.avro.SlotIntensity;
import ada.carbon.avro.UserEvent;
import ada.carbon.avro.WorkspaceEvent;
import ada.carbon.schemas.Times;
import ada.carbon.sink.AdaDatabase;
import ada.carbon.sink.ApplyResult;
import ada.carbon.sink.SinkBatch;
import ada.carbon.sink.SinkChange.FactChange;
import ada.carbon.sink.SinkChange.SlotChange;
import ada.carbon.sink.SinkChange.UserChange;
import ada.carbon.sink.SinkChange.WorkspaceChange;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A small database written through the sink's own {@link AdaDatabase}: 60 hours of facts across a new year (two
 * calendar years, two months, four days), four projects (two with hostile names), two machine types, four
 * users (one in no group), intensity slots of all four sources (four of them a region's), a forecast after the
 * newest actual with a gap in it, and three active workspaces. Every fact has its embodied carbon and quality
 * (SPEC 2.9, 2.10) but CDAaaS's and bob's, as if computed before they were: so bob's group RB1 has none either.
 */
final class ReportFixture {
    static final String START = "2024-12-31T20:00:00Z";
    static final int HOURS = 60;
    /** Closes its script element if written into HTML unescaped, and then changes the page's title. */
    static final String SCRIPT_NAME = "</script><script>document.title='pwned'</script>";
    /** Markup, an ampersand, quotes and a comma. */
    static final String MARKUP_NAME = "Tom & Jerry's \"lab\", <b>bold</b>";

    static final List<String> PROJECTS = List.of("IDAaaS", "CDAaaS", SCRIPT_NAME, MARKUP_NAME);
    static final String ALICE_NAME = "Alice <Admin> & co";
    static final String CAROL_NAME = "Carol, \"C\" of the second line";
    static final String CAROL_GROUP = "G<\"2\">";
    static final int ACTIVE_WORKSPACES = 3;
    /** The newest slot with an actual: the last half hour of the facts. */
    static final String NEWEST_ACTUAL = "2025-01-03T07:30:00Z";
    /** The forecast after it: 30 slots from 08:00, slot 12 missing; slots 13 to 18 are the lowest three hours. */
    static final String WINDOW_START = "2025-01-03T14:30:00Z";

    static final String WINDOW_END = "2025-01-03T17:30:00Z";
    static final double WINDOW_MEAN = 50;
    /** The project and the user whose facts have no embodied carbon or quality. */
    static final String OLD_PROJECT = "CDAaaS";

    static final String OLD_USER = "bob";
    /** The region of the regional slots, 30 to 33 (hours 15 and 16). */
    static final int REGION = 12;
    /** g per core-hour: SPEC 2.9's defaults, 1,000 kg over 4 years of 8,760 h and 48 cores. */
    static final double EMBODIED_PER_CORE_HOUR = 1000.0 * 1000 / (4 * 8760) / 48;

    private ReportFixture() {}

    static Path create(Path file) {
        SinkBatch batch = new SinkBatch();
        Instant start = Times.parse(START);
        for (int h = 0; h < HOURS; h++) {
            Instant ts = start.plus(Duration.ofHours(h));
            double intensity = intensity(h);
            double[] ada = new double[2];
            double[] muon = new double[2];
            double[] sans = new double[2];
            double[] hosts = new double[2];
            for (int p = 0; p < PROJECTS.size(); p++) {
                if (p == 3 && h % 2 == 1) {
                    continue; // the markup project has facts in even hours only
                }
                double busy = 0.5 + 0.1 * p + 0.05 * (h % 7) + 1e-4 * h;
                double idle = 0.2 + 0.013 * (h % 5) + 0.001 * p;
                if (p == 1 && h == 5) {
                    busy = 0;
                    idle = 0; // a fact with no energy: left out of the mean intensity
                }
                // One host a project, which reported only half of every tenth hour.
                double hostSeconds = h % 10 == 3 ? 1800 : 3600;
                hosts[0]++;
                hosts[1] += hostSeconds;
                Fact project = fact("project", ts, PROJECTS.get(p), busy, idle, intensity);
                batch.add(FactChange.upsert(p == 1 ? project : footprinted(project, h, 1, hostSeconds)));
                add(ada, busy, idle, 1);
                add(muon, busy, idle, 0.6);
                add(sans, busy, idle, 0.4);
                String user = p == 0 ? "alice" : p == 1 ? "bob" : p == 2 ? "carol" : null;
                double share = p == 0 ? 0.3 : p == 1 ? 0.2 : 0.1;
                if (user != null) {
                    Fact f = fact("user", ts, user, busy * share, idle * share, intensity);
                    batch.add(FactChange.upsert(user.equals(OLD_USER) ? f : footprinted(f, h, 1, hostSeconds)));
                }
            }
            if (h % 2 == 1) {
                batch.add(FactChange.upsert(
                        footprinted(fact("user", ts, "dave", 0.01 * h, 0.002, intensity), h, 1, 3600)));
            }
            batch.add(FactChange.upsert(
                    footprinted(fact("ada", ts, null, ada[0], ada[1], intensity), h, (long) hosts[0], hosts[1])));
            batch.add(FactChange.upsert(footprinted(
                    fact("machine", ts, "Muon", muon[0], muon[1], intensity), h, (long) hosts[0], hosts[1])));
            batch.add(FactChange.upsert(footprinted(
                    fact("machine", ts, "SANS", sans[0], sans[1], intensity), h, (long) hosts[0], hosts[1])));
        }
        // The slots of the facts: actual, but two forecast, one fallback and four a region's forecast.
        for (int i = 0; i < 2 * HOURS; i++) {
            Instant ts = start.plus(Duration.ofMinutes(30L * i));
            double actual = intensity(i / 2) + (i % 2 == 0 ? -3 : 3);
            double forecast = actual + 7;
            SlotIntensity slot = switch (source(i)) {
                case "forecast" ->
                    new SlotIntensity(ts, forecast, null, "moderate", forecast, "forecast", true, null, null);
                case "fallback" -> new SlotIntensity(ts, null, null, null, 200.0, "fallback", true, null, null);
                case "regional" ->
                    new SlotIntensity(
                            ts, forecast, actual, "moderate", actual - 20, "regional", true, REGION, actual - 20);
                default -> new SlotIntensity(ts, forecast, actual, "moderate", actual, "actual", true, null, null);
            };
            batch.add(SlotChange.upsert(slot));
        }
        // The latest forecast: slots 0..29 from 08:00 without slot 12. Run one (0..11) ends 30, 30, 30, 30; run two
        // (13..29) starts 30, 30, 60, 60, 60, 60. Ignoring the gap, 8..11 + 13..14 would be the lowest (mean 30).
        Instant forecastStart = Times.parse(NEWEST_ACTUAL).plus(Duration.ofMinutes(30));
        for (int i = 0; i < 30; i++) {
            if (i == 12) {
                continue;
            }
            double f = (i >= 8 && i <= 11) || i == 13 || i == 14 ? 30 : i >= 15 && i <= 18 ? 60 : 180;
            batch.add(SlotChange.upsert(new SlotIntensity(
                    forecastStart.plus(Duration.ofMinutes(30L * i)),
                    f,
                    null,
                    f < 100 ? "low" : "moderate",
                    f,
                    "forecast",
                    false,
                    null,
                    null)));
        }
        batch.add(UserChange.of(new UserEvent("alice", ALICE_NAME, "RB1", List.of("IDAaaS"))));
        batch.add(UserChange.of(new UserEvent("bob", "Bob", "RB1", List.of("CDAaaS"))));
        batch.add(UserChange.of(new UserEvent("carol", CAROL_NAME, CAROL_GROUP, List.of(SCRIPT_NAME))));
        Instant created = Times.parse("2024-12-01T09:00:00Z");
        batch.add(WorkspaceChange.of(
                new WorkspaceEvent("ws-1", "host-1.example:9100", "alice", "IDAaaS", "Muon", created, null)));
        batch.add(WorkspaceChange.of(
                new WorkspaceEvent("ws-2", "host-2.example:9100", "bob", "CDAaaS", "SANS", created, null)));
        batch.add(WorkspaceChange.of(new WorkspaceEvent(
                "ws-3",
                "host-3.example:9100",
                "carol",
                SCRIPT_NAME,
                "Muon",
                created,
                Times.parse("2024-12-20T09:00:00Z"))));
        batch.add(WorkspaceChange.of(
                new WorkspaceEvent("ws-4", "host-4.example:9100", null, "IDAaaS", "SANS", created, null)));
        try (AdaDatabase db = AdaDatabase.open(file)) {
            ApplyResult result = db.apply(batch);
            if (result.skipped() != 0) {
                throw new AssertionError("the fixture's changes were refused: " + result);
            }
        }
        return file;
    }

    /** The source of the intensity of fact slot {@code i} (half hours from START). */
    static String source(int slot) {
        return switch (slot) {
            case 10, 11 -> "forecast";
            case 20 -> "fallback";
            case 30, 31, 32, 33 -> "regional";
            default -> "actual";
        };
    }

    /**
     * {@code f} of hour {@code h} with its embodied carbon (its CPU-hours at SPEC 2.9's defaults) and quality: its
     * kWh split evenly between the hour's two slots, each by the slot's source.
     */
    static Fact footprinted(Fact f, int h, long hosts, double hostSeconds) {
        double kwh = f.getBusyKwh() + f.getIdleKwh();
        java.util.Map<String, Double> bySource = new java.util.HashMap<>();
        for (int slot : new int[] {2 * h, 2 * h + 1}) {
            bySource.merge(source(slot), kwh / 2, Double::sum);
        }
        return Fact.newBuilder(f)
                .setEmbodiedGCo2eq(
                        (f.getBusyCpuSecondsTotal() + f.getIdleCpuSecondsTotal()) / 3600 * EMBODIED_PER_CORE_HOUR)
                .setKwhActual(bySource.getOrDefault("actual", 0.0))
                .setKwhForecast(bySource.getOrDefault("forecast", 0.0))
                .setKwhRegional(bySource.getOrDefault("regional", 0.0))
                .setKwhFallback(bySource.getOrDefault("fallback", 0.0))
                .setHostSeconds(hostSeconds)
                .setHosts(hosts)
                .build();
    }

    private static double intensity(int hour) {
        return 150 + 60 * Math.sin(hour / 4.0);
    }

    private static void add(double[] sums, double busy, double idle, double share) {
        sums[0] += busy * share;
        sums[1] += idle * share;
    }

    private static Fact fact(
            String scope, Instant ts, String entity, double busyKwh, double idleKwh, double intensity) {
        return new Fact(
                scope,
                ts,
                entity,
                busyKwh * 3_600_000 / 12,
                idleKwh * 3_600_000,
                busyKwh,
                idleKwh,
                busyKwh * intensity,
                idleKwh * intensity,
                intensity,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    // ---------------------------------------------------------------- reading back, independently of the report

    static Connection connect(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    /** The rows of a query, each a map from column label to value, in order. */
    static List<Map<String, Object>> rows(Path file, String sql) {
        try (Connection c = connect(file);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return E2e.rows(rs);
        } catch (SQLException e) {
            throw new AssertionError("query failed: " + sql, e);
        }
    }

    static double real(Path file, String sql) {
        List<Map<String, Object>> rows = rows(file, sql);
        Object v = rows.get(0).values().iterator().next();
        return ((Number) v).doubleValue();
    }

    /** Whether two figures agree to a relative 1e-9 (sums of the same doubles in another order may differ in the last bits). */
    static boolean close(double a, double b) {
        return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.max(Math.abs(a), Math.abs(b)));
    }
}
