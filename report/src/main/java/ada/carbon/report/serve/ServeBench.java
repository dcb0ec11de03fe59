package ada.carbon.report.serve;

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
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * {@code ada-carbon bench-serve}: serve's latency over a year of hourly facts while the sink writes. The database is
 * written through the sink's own {@link AdaDatabase} (the facts the pipeline would write for that many hosts,
 * users, groups, projects and machine types, without running the pipeline for a year), then served on loopback,
 * and {@code /carbon/history} and {@code /users/{id}/usage} are asked for the whole year by a few client threads
 * while a writer thread keeps restating the newest day's facts, one hour of every scope per transaction, as the
 * sink does every 500 ms. Each route is measured twice: each distinct request once (every entity's final bars
 * read from the database), then all of them. Prints p50, p99 and maximum latency and requests per second.
 */
public final class ServeBench {
    /** The workload's size and the load's. */
    public record Settings(
            Path dir,
            int hosts,
            int users,
            int groups,
            int projects,
            int machines,
            int days,
            int requests,
            int clients,
            long seed,
            boolean reuse) {}

    /** One route's figures. */
    public record Result(String route, int requests, double p50Ms, double p99Ms, double maxMs, double perSecond) {}

    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    private final Settings s;
    private final PrintStream out;

    public ServeBench(Settings settings, PrintStream out) {
        this.s = settings;
        this.out = out;
    }

    public List<Result> run() throws Exception {
        Files.createDirectories(s.dir());
        Path db = s.dir().resolve("bench-serve.db");
        if (s.reuse() && Files.exists(db)) {
            out.printf(
                    Locale.ROOT,
                    "reusing %s (%,d MB), written by an earlier run with the same sizes%n",
                    db,
                    Files.size(db) / 1_000_000);
        } else {
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Files.deleteIfExists(Path.of(db + suffix));
            }
            long t0 = System.nanoTime();
            long facts;
            try (AdaDatabase writer = AdaDatabase.open(db)) {
                facts = build(writer);
            }
            out.printf(
                    Locale.ROOT,
                    "wrote %,d facts (%d days x (1 + %d projects + %d machine types + %d users)) for %d"
                            + " hosts in %.1f s; database %,d MB%n",
                    facts,
                    s.days(),
                    s.projects(),
                    s.machines(),
                    s.users(),
                    s.hosts(),
                    seconds(t0),
                    Files.size(db) / 1_000_000);
        }

        String token = TokenFile.newToken();
        TokenFile tokens = TokenFile.parse("bench", List.of(TokenFile.hash(token) + " operator bench"));
        List<Result> results = new ArrayList<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger commits = new AtomicInteger();
        long[] slowestCommitNanos = {0};
        try (AdaDatabase writer = AdaDatabase.open(db);
                CarbonServer server = CarbonServer.start(new CarbonServer.Settings(
                        db, "127.0.0.1", 0, tokens, null, Math.max(2, s.clients()), Duration.ofDays(7)))) {
            Thread sink = new Thread(
                    () -> {
                        Random r = new Random(s.seed() + 1);
                        int hour = 0;
                        while (writing.get()) {
                            long started = System.nanoTime();
                            ApplyResult applied = writer.apply(hourOfFacts(r, 24 * (s.days() - 1) + hour % 24));
                            long took = System.nanoTime() - started;
                            if (applied.skipped() != 0) {
                                throw new IllegalStateException("the writer's facts were refused: " + applied);
                            }
                            slowestCommitNanos[0] = Math.max(slowestCommitNanos[0], took);
                            commits.incrementAndGet();
                            hour++;
                            try {
                                Thread.sleep(Math.max(0, 500 - took / 1_000_000));
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    },
                    "bench-serve-writer");
            sink.setDaemon(true);
            sink.start();
            String base = "http://127.0.0.1:" + server.port();
            String year = "from=" + Times.format(START) + "&to=" + Times.format(START.plus(Duration.ofDays(s.days())));
            String[] scopes = {"ada", "project", "machine", "group", "user"};
            IntFunction<String> history = i -> {
                String scope = scopes[i % scopes.length];
                String id = switch (scope) {
                    case "project" -> "&id=" + project(i % s.projects());
                    case "machine" -> "&id=" + machine(i % s.machines());
                    case "group" -> "&id=" + group(i % s.groups());
                    case "user" -> "&id=" + user(Math.floorMod(i * 7919, s.users()));
                    default -> "";
                };
                return "/carbon/history?scope=" + scope + id + "&view=year&data_type=carbon&" + year;
            };
            IntFunction<String> usage =
                    i -> "/users/" + user(Math.floorMod(i * 7919 + 13, s.users())) + "/usage?view=year&" + year;
            long loadStart = System.nanoTime();
            int commitsBefore = commits.get();
            results.addAll(measure(
                    "/carbon/history (view=year over a year of hourly facts; scope ada, project, machine,"
                            + " group, user in turn)",
                    base,
                    token,
                    history));
            results.addAll(measure("/users/{id}/usage (view=year over a year of hourly facts)", base, token, usage));
            writing.set(false);
            sink.join(10_000);
            out.printf(
                    Locale.ROOT,
                    "the writer committed %d transactions of %d facts while the requests ran (%.1f s);"
                            + " its slowest took %.1f ms%n",
                    commits.get() - commitsBefore,
                    1 + s.projects() + s.machines() + s.users(),
                    seconds(loadStart),
                    slowestCommitNanos[0] / 1e6);
        }
        return results;
    }

    /**
     * The route's requests twice: first each distinct one once (each entity's final bars are read then, and kept),
     * then all of them, as a dashboard's users keep asking.
     */
    private List<Result> measure(String route, String base, String token, IntFunction<String> path) throws Exception {
        List<String> distinct = new ArrayList<>(new java.util.LinkedHashSet<>(
                java.util.stream.IntStream.range(0, s.requests()).mapToObj(path).toList()));
        Result first = run(
                route + ", first request of each of " + distinct.size(), base, token, distinct::get, distinct.size());
        Result then = run(route + ", then", base, token, path, s.requests());
        return List.of(first, then);
    }

    private Result run(String route, String base, String token, IntFunction<String> path, int requests)
            throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        long[] nanos = new long[requests];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(s.clients());
        long started = System.nanoTime();
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < s.clients(); c++) {
                clients.add(pool.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < nanos.length; ) {
                        long t = System.nanoTime();
                        get(http, base + path.apply(i), token);
                        nanos[i] = System.nanoTime() - t;
                    }
                    return null;
                }));
            }
            for (Future<?> f : clients) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double wall = seconds(started);
        Arrays.sort(nanos);
        Result r = new Result(
                route,
                nanos.length,
                percentile(nanos, 0.50),
                percentile(nanos, 0.99),
                nanos[nanos.length - 1] / 1e6,
                nanos.length / wall);
        out.printf(
                Locale.ROOT,
                "%s: %,d requests from %d clients in %.1f s: p50 %.1f ms, p99 %.1f ms, max %.1f ms,"
                        + " %.0f requests/s%n",
                route,
                r.requests(),
                s.clients(),
                wall,
                r.p50Ms(),
                r.p99Ms(),
                r.maxMs(),
                r.perSecond());
        return r;
    }

    private static void get(HttpClient http, String url, String token) throws Exception {
        HttpResponse<byte[]> r = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + new String(r.body()));
        }
    }

    private static double percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    // ---------------------------------------------------------------- the workload

    private long build(AdaDatabase db) {
        Random r = new Random(s.seed());
        SinkBatch first = new SinkBatch();
        for (int u = 0; u < s.users(); u++) {
            first.add(UserChange.of(
                    new UserEvent(user(u), "User " + u, group(u % s.groups()), List.of(project(u % s.projects())))));
        }
        for (int h = 0; h < s.hosts(); h++) {
            String owner = h < s.users() ? user(h) : null;
            first.add(WorkspaceChange.of(new WorkspaceEvent(
                    "ws-" + h,
                    "host-" + h + ".bench:9100",
                    owner,
                    project(h % s.projects()),
                    machine(h % s.machines()),
                    START,
                    null)));
        }
        apply(db, first);
        long facts = 0;
        for (int hour = 0; hour < 24 * s.days(); hour++) {
            SinkBatch batch = hourOfFacts(r, hour);
            facts += batch.size() - 2;
            apply(db, batch);
            if (hour % (24 * 30) == 0) {
                out.printf(Locale.ROOT, "  writing day %d of %d%n", hour / 24 + 1, s.days());
            }
        }
        return facts;
    }

    /** One hour: every scope's fact and the hour's two intensity slots. */
    private SinkBatch hourOfFacts(Random r, int hour) {
        Instant ts = START.plus(Duration.ofHours(hour));
        double intensity = 150 + 60 * Math.sin(hour / 6.0) + 10 * r.nextDouble();
        SinkBatch b = new SinkBatch();
        for (int half = 0; half < 2; half++) {
            double i = intensity + half;
            b.add(SlotChange.upsert(new SlotIntensity(
                    ts.plus(Duration.ofMinutes(30L * half)), i + 5, i, "moderate", i, "actual", true, null, null)));
        }
        double hostsBusy = s.hosts() * (0.3 + 0.4 * r.nextDouble());
        b.add(FactChange.upsert(fact("ada", ts, null, hostsBusy, s.hosts() - hostsBusy, intensity)));
        for (int p = 0; p < s.projects(); p++) {
            double n = (double) s.hosts() / s.projects();
            b.add(FactChange.upsert(fact("project", ts, project(p), n * 0.5, n * 0.5, intensity)));
        }
        for (int m = 0; m < s.machines(); m++) {
            double n = (double) s.hosts() / s.machines();
            b.add(FactChange.upsert(fact("machine", ts, machine(m), n * 0.5, n * 0.5, intensity)));
        }
        for (int u = 0; u < s.users(); u++) {
            double busy = r.nextDouble();
            b.add(FactChange.upsert(fact("user", ts, user(u), busy, 1 - busy, intensity)));
        }
        return b;
    }

    /** A fact of {@code busyHosts} cores busy and {@code idleHosts} idle for the hour, at 12 W and 1 W a core. */
    private static Fact fact(
            String scope, Instant ts, String entity, double busyCores, double idleCores, double intensity) {
        double busyS = busyCores * 3600;
        double idleS = idleCores * 3600;
        double busyKwh = busyS * 12 / 3_600_000;
        double idleKwh = idleS / 3_600_000;
        return new Fact(
                scope,
                ts,
                entity,
                busyS,
                idleS,
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

    private static void apply(AdaDatabase db, SinkBatch batch) {
        ApplyResult r = db.apply(batch);
        if (r.skipped() != 0) {
            throw new IllegalStateException("the bench's changes were refused: " + r);
        }
    }

    static String user(int i) {
        return String.format(Locale.ROOT, "u%06d", i);
    }

    static String group(int i) {
        return String.format(Locale.ROOT, "RB%04d", i);
    }

    static String project(int i) {
        return "Project" + i;
    }

    static String machine(int i) {
        return "Machine" + i;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
