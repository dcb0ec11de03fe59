package ada.carbon.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.sink.AdaDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench's test of "the same figures" on real SQLite files of the sink's schema: two databases that number
 * their projects and machines differently, and were written in another order, hold the same figures; one
 * figure one bit apart makes them differ, and the first difference names its row.
 */
class BenchFiguresTest {
    @TempDir
    Path dir;

    @Test
    void theSameFactsUnderOtherSurrogateIdsAndInAnotherOrderAreTheSameFigures() throws Exception {
        Path a = database("a.db", List.of("IDAaaS", "CDAaaS"), List.of("Muon", "SANS"), false, 0.125);
        Path b = database("b.db", List.of("CDAaaS", "IDAaaS"), List.of("SANS", "Muon"), true, 0.125);
        try (BenchDatabase x = BenchDatabase.open(a);
                BenchDatabase y = BenchDatabase.open(b)) {
            assertThat(x.figures()).isEqualTo(y.figures());
            assertThat(x.figures().factUsageRows()).isEqualTo(4);
            assertThat(x.figures().factIntensityRows()).isEqualTo(1);
            assertThat(BenchDatabase.firstDifference(x.figureRows(), y.figureRows()))
                    .isEmpty();
        }
    }

    @Test
    void oneFigureOneBitApartIsADifferenceNamedByItsRow() throws Exception {
        Path a = database("a.db", List.of("IDAaaS", "CDAaaS"), List.of("Muon", "SANS"), false, 0.125);
        Path b = database("b.db", List.of("IDAaaS", "CDAaaS"), List.of("Muon", "SANS"), false, Math.nextUp(0.125));
        try (BenchDatabase x = BenchDatabase.open(a);
                BenchDatabase y = BenchDatabase.open(b)) {
            assertThat(x.figures().sha256()).isNotEqualTo(y.figures().sha256());
            assertThat(BenchDatabase.firstDifference(x.figureRows(), y.figureRows()))
                    .hasValueSatisfying(
                            d -> assertThat(d)
                                    .startsWith(
                                            "row 4: fact_usage|2025-09-01T00:00:00Z|project|IDAaaS|null|null|0.125|")
                                    .contains(
                                            "against  fact_usage|2025-09-01T00:00:00Z|project|IDAaaS|null|null|0.12500000000000003|"));
        }
    }

    @Test
    void aMissingRowIsADifference() throws Exception {
        Path a = database("a.db", List.of("IDAaaS", "CDAaaS"), List.of("Muon", "SANS"), false, 0.125);
        Path b = database("b.db", List.of("IDAaaS", "CDAaaS"), List.of("Muon", "SANS"), false, 0.125);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + b);
                Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM fact_usage WHERE scope = 'machine'");
        }
        try (BenchDatabase x = BenchDatabase.open(a);
                BenchDatabase y = BenchDatabase.open(b)) {
            assertThat(y.figures().factUsageRows()).isEqualTo(3);
            assertThat(x.figures()).isNotEqualTo(y.figures());
            assertThat(BenchDatabase.firstDifference(x.figureRows(), y.figureRows()))
                    .isPresent();
        }
    }

    /**
     * A database of the sink's schema with an ada fact, two project facts and one machine fact of one hour, and one
     * slot of intensity. Projects and machines get ids in the order given; the facts go in reversed if asked.
     */
    private Path database(
            String name, List<String> projects, List<String> machines, boolean reversed, double idaBusyCpu)
            throws Exception {
        Path file = dir.resolve(name);
        AdaDatabase.open(file).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            for (String p : projects) {
                s.executeUpdate("INSERT INTO dim_project (cloud_project_name) VALUES ('" + p + "')");
            }
            for (String m : machines) {
                s.executeUpdate("INSERT INTO dim_machine (machine_name) VALUES ('" + m + "')");
            }
            String ts = "'2025-09-01T00:00:00Z'";
            List<String> facts = new java.util.ArrayList<>(List.of(
                    "(" + ts + ", 'ada', NULL, NULL, 3.5, 1.25, 0.01, 0.002, 2.5, 0.4, 200.0)",
                    "(" + ts
                            + ", 'project', (SELECT project_id FROM dim_project WHERE cloud_project_name = 'IDAaaS'), NULL, "
                            + idaBusyCpu + ", 1.0, 0.001, 0.001, 0.2, 0.2, 200.0)",
                    "(" + ts
                            + ", 'project', (SELECT project_id FROM dim_project WHERE cloud_project_name = 'CDAaaS'), NULL,"
                            + " 3.375, 0.25, 0.009, 0.001, 2.3, 0.2, 200.0)",
                    "(" + ts + ", 'machine', NULL, (SELECT machine_id FROM dim_machine WHERE machine_name = 'Muon'),"
                            + " 3.5, 1.25, 0.01, 0.002, 2.5, 0.4, 200.0)"));
            if (reversed) {
                java.util.Collections.reverse(facts);
            }
            for (String f : facts) {
                s.executeUpdate("INSERT INTO fact_usage (ts, scope, project_id, machine_id, busy_cpu_seconds_total,"
                        + " idle_cpu_seconds_total, busy_kwh, idle_kwh, busy_gCo2eq, idle_gCo2eq, intensity_gCo2eq_kwh)"
                        + " VALUES " + f);
            }
            s.executeUpdate("INSERT INTO fact_intensity (ts, forecast, actual, \"index\", intensity_gCo2eq_kwh, source,"
                    + " has_cpu) VALUES (" + ts + ", 210.0, 200.0, 'moderate', 200.0, 'actual', 1)");
        }
        return file;
    }
}
