package ada.carbon.app.e2e;

import ada.carbon.stack.broker.EmbeddedBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The reference run, made once per test JVM and shared by {@link LoadEndToEndTest},
 * {@link DeadLetterEndToEndTest} and {@link LoadOrderTest}: {@code e2e/events.jsonl} loaded with
 * {@code load --bootstrap-servers} into a fresh database, on a broker this class starts, and the whole
 * dead-letter topic read back before that broker stops. No broker outlives {@link #get()}: other test
 * classes of this JVM check that no child process survives them.
 */
final class ReferenceLoad {
    static final String EVENTS = "events.jsonl";

    private static ReferenceLoad instance;
    private static RuntimeException failure;

    final Path dir;
    final Path events;
    final Path db;
    final E2e.CliRun run;
    final List<DeadLetterTopic.Letter> deadLetters;
    /** The same database rebuilt by {@code replay} from the output topics alone, and that run. */
    final Path replayed;

    final E2e.CliRun replay;
    /** The raw topics reprocessed with busy watts doubled ({@link #REPROCESS_CONFIG}), and that run. */
    final Path reprocessed;

    final E2e.CliRun reprocess;
    static final String REPROCESS_CONFIG = "power.busy.watts=24\n";

    private ReferenceLoad(
            Path dir,
            Path events,
            Path db,
            E2e.CliRun run,
            List<DeadLetterTopic.Letter> deadLetters,
            Path replayed,
            E2e.CliRun replay,
            Path reprocessed,
            E2e.CliRun reprocess) {
        this.dir = dir;
        this.events = events;
        this.db = db;
        this.run = run;
        this.deadLetters = deadLetters;
        this.replayed = replayed;
        this.replay = replay;
        this.reprocessed = reprocessed;
        this.reprocess = reprocess;
    }

    static synchronized ReferenceLoad get() {
        if (failure != null) {
            throw new IllegalStateException("the reference load failed earlier", failure);
        }
        if (instance == null) {
            try {
                instance = make();
            } catch (RuntimeException | Error e) {
                failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                throw e;
            }
        }
        return instance;
    }

    private static ReferenceLoad make() {
        Path dir;
        try {
            dir = Files.createTempDirectory("ada-carbon-e2e-reference");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> E2e.deleteTree(dir)));
        Path events = E2e.resource(EVENTS);
        Path db = dir.resolve("reference.db");
        long started = System.nanoTime();
        try (EmbeddedBroker broker = EmbeddedBroker.start(dir.resolve("broker"))) {
            E2e.CliRun run = E2e.cli(
                    "load",
                    "--db",
                    db,
                    "--data-dir",
                    dir.resolve("state"),
                    "--bootstrap-servers",
                    broker.bootstrapServers(),
                    events);
            List<DeadLetterTopic.Letter> letters = DeadLetterTopic.readAll(broker.bootstrapServers());
            Path replayed = dir.resolve("replayed.db");
            E2e.CliRun replay = E2e.cli("replay", "--db", replayed, "--bootstrap-servers", broker.bootstrapServers());
            Path reprocessed = dir.resolve("reprocessed.db");
            Path config = E2e.write(dir.resolve("reprocess.properties"), List.of(REPROCESS_CONFIG.strip()));
            E2e.CliRun reprocess = E2e.cli(
                    "reprocess",
                    "--db",
                    reprocessed,
                    "--config",
                    config,
                    "--bootstrap-servers",
                    broker.bootstrapServers());
            System.out.printf(
                    "[e2e] reference load (broker start, load, dead letters) took %d ms%n",
                    (System.nanoTime() - started) / 1_000_000);
            return new ReferenceLoad(dir, events, db, run, letters, replayed, replay, reprocessed, reprocess);
        }
    }
}
