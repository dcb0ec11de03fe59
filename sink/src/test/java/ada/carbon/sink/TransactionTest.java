package ada.carbon.sink;

import static ada.carbon.sink.TestDb.count;
import static ada.carbon.sink.TestDb.execute;
import static ada.carbon.sink.TestDb.fact;
import static ada.carbon.sink.TestDb.label;
import static ada.carbon.sink.TestDb.rows;
import static ada.carbon.sink.TestDb.slot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ada.carbon.sink.SinkChange.CpuLabelChange;
import ada.carbon.sink.SinkChange.FactChange;
import ada.carbon.sink.SinkChange.SlotChange;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class TransactionTest {
    private static final SourcePartition FACTS_0 = new SourcePartition("ada.facts", 0);
    private static final SourcePartition FACTS_1 = new SourcePartition("ada.facts", 1);
    private static final SourcePartition USERS_0 = new SourcePartition("ada.users", 0);

    @TempDir
    Path dir;

    @Test
    void offsetsAreStoredWithTheRowsAndSurviveReopening() {
        Path file = dir.resolve("ada.db");
        try (AdaDatabase db = AdaDatabase.open(file)) {
            assertThat(db.storedOffsets()).isEmpty();
            db.apply(new SinkBatch()
                    .add(FactChange.upsert(fact("ada", "2025-09-11T10:00:00Z", null, 1, 1, 1, 1, 1, 1, 1)))
                    .offset(FACTS_0, 17)
                    .offset(USERS_0, 3));
            db.apply(new SinkBatch().offset(FACTS_0, 20).offset(FACTS_1, 1));
        }
        try (AdaDatabase db = AdaDatabase.open(file)) {
            assertThat(db.storedOffsets()).isEqualTo(Map.of(FACTS_0, 20L, FACTS_1, 1L, USERS_0, 3L));
        }
        assertThat(rows(
                        file,
                        "SELECT topic, \"partition\", next_offset FROM sink_offset ORDER BY topic, \"partition\""))
                .containsExactly(
                        FactsTest.row("topic", "ada.facts", "partition", 0, "next_offset", 20),
                        FactsTest.row("topic", "ada.facts", "partition", 1, "next_offset", 1),
                        FactsTest.row("topic", "ada.users", "partition", 0, "next_offset", 3));
    }

    @Test
    void aFailedBatchLeavesNeitherRowsNorOffsets() throws Exception {
        Path file = dir.resolve("ada.db");
        try (AdaDatabase db = AdaDatabase.open(file)) {
            db.apply(new SinkBatch().offset(FACTS_0, 5));
            // A failure half-way through the batch, after facts and dimensions were already written.
            execute(
                    file,
                    "CREATE TRIGGER fail_slot BEFORE INSERT ON fact_intensity "
                            + "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");

            SinkBatch batch = new SinkBatch()
                    .add(new CpuLabelChange(label("h:9100", "IDAaaS", "Muon")))
                    .add(FactChange.upsert(fact("project", "2025-09-11T10:00:00Z", "IDAaaS", 1, 1, 1, 1, 1, 1, 1)))
                    .add(SlotChange.upsert(slot("2025-09-11T10:00:00Z", 1.0, 1.0, null, 1, "actual", true)))
                    .offset(FACTS_0, 9)
                    .offset(USERS_0, 2);
            assertThatThrownBy(() -> db.apply(batch))
                    .isInstanceOf(SinkDatabaseException.class)
                    .hasMessageContaining("injected failure");

            assertThat(count(file, "SELECT * FROM fact_usage")).isZero();
            assertThat(count(file, "SELECT * FROM dim_project")).isZero();
            assertThat(count(file, "SELECT * FROM dim_instance")).isZero();
            assertThat(count(file, "SELECT * FROM map_project_machine")).isZero();
            assertThat(db.storedOffsets()).isEqualTo(Map.of(FACTS_0, 5L));

            // The connection is usable again, and ids taken by the failed batch are not skipped.
            execute(file, "DROP TRIGGER fail_slot");
            db.apply(batch);
            assertThat(db.storedOffsets()).isEqualTo(Map.of(FACTS_0, 9L, USERS_0, 2L));
            assertThat(rows(file, "SELECT project_id FROM dim_project"))
                    .containsExactly(FactsTest.row("project_id", 1));
            assertThat(count(file, "SELECT * FROM fact_intensity")).isEqualTo(1);
        }
    }

    @Test
    void aBusyDatabaseIsWaitedForAndLogged() throws Exception {
        Path file = dir.resolve("ada.db");
        ListAppender<ILoggingEvent> logged = captureLog();
        try (AdaDatabase db = AdaDatabase.open(file, Duration.ofMillis(50));
                Connection other = TestDb.connect(file);
                Statement s = other.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            s.execute("INSERT INTO dim_group (group_name) VALUES ('held by another writer')");

            CompletableFuture<ApplyResult> apply = CompletableFuture.supplyAsync(() -> db.apply(new SinkBatch()
                    .add(FactChange.upsert(fact("ada", "2025-09-11T10:00:00Z", null, 1, 1, 1, 1, 1, 1, 1)))
                    .offset(FACTS_0, 1)));
            Thread.sleep(400);
            assertThat(apply).isNotDone();
            s.execute("COMMIT");

            assertThat(apply.get(10, TimeUnit.SECONDS))
                    .extracting(ApplyResult::applied, ApplyResult::skipped)
                    .containsExactly(1, 0);
            assertThat(db.storedOffsets()).isEqualTo(Map.of(FACTS_0, 1L));
            assertThat(count(file, "SELECT * FROM fact_usage")).isEqualTo(1);
            assertThat(count(file, "SELECT * FROM dim_group")).isEqualTo(1);
        } finally {
            detach(logged);
        }
        assertThat(logged.list).anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).contains("busy or locked").contains("retrying");
        });
    }

    @Test
    void readersDoNotBlockTheWriter() throws Exception {
        Path file = dir.resolve("ada.db");
        try (AdaDatabase db = AdaDatabase.open(file, Duration.ofMillis(50));
                Connection reader = TestDb.connect(file);
                Statement s = reader.createStatement()) {
            s.execute("BEGIN");
            s.executeQuery("SELECT COUNT(*) FROM fact_usage").close();
            ApplyResult result = CompletableFuture.supplyAsync(() -> db.apply(new SinkBatch()
                            .add(FactChange.upsert(fact("ada", "2025-09-11T10:00:00Z", null, 1, 1, 1, 1, 1, 1, 1)))))
                    .get(2, TimeUnit.SECONDS);
            assertThat(result.applied()).isEqualTo(1);
            s.execute("COMMIT");
        }
    }

    private static ListAppender<ILoggingEvent> captureLog() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(AdaDatabase.class)).addAppender(appender);
        return appender;
    }

    private static void detach(ListAppender<ILoggingEvent> appender) {
        ((Logger) LoggerFactory.getLogger(AdaDatabase.class)).detachAppender(appender);
    }
}
