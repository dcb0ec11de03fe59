package ada.carbon.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ada.carbon.app.Main;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code ada-carbon export}: CSV and JSON of a table or view hold exactly what a direct SQL read returns. */
class ExportTest {
    @TempDir
    static Path dir;

    static Path db;

    @BeforeAll
    static void database() {
        db = ReportFixture.create(dir.resolve("export.db"));
    }

    /** A direct read: column labels, and each row's values as JDBC returns them. */
    record Table(List<String> columns, List<List<Object>> rows) {}

    static Table direct(String name) throws Exception {
        try (Connection c = ReportFixture.connect(db);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT * FROM " + name)) {
            ResultSetMetaData md = r.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                columns.add(md.getColumnLabel(i));
            }
            List<List<Object>> rows = new ArrayList<>();
            while (r.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns.size(); i++) {
                    row.add(r.getObject(i));
                }
                rows.add(row);
            }
            return new Table(columns, rows);
        }
    }

    static byte[] export(String name, Export.Format format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Connection c = ReportDatabase.openReadOnly(db)) {
            Export.write(c, name, format, out);
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "v_ada_timeseries",
                "v_project_totals",
                "v_user_averages",
                "v_group_totals",
                "v_machine_timeseries",
                "fact_intensity",
                "fact_usage",
                "dim_user",
                "dim_project",
                "active_workspace",
                "v_footprint_totals",
                "v_quality_totals",
                "fact_embodied",
                "fact_quality"
            })
    void csvEqualsADirectRead(String name) throws Exception {
        Table expected = direct(name);
        assertThat(expected.rows()).as("the fixture fills " + name).isNotEmpty();
        List<List<Field>> records = parseCsv(new String(export(name, Export.Format.CSV), StandardCharsets.UTF_8));
        assertThat(records.get(0)).extracting(Field::text).containsExactlyElementsOf(expected.columns());
        assertThat(records).hasSize(expected.rows().size() + 1);
        for (int i = 0; i < expected.rows().size(); i++) {
            List<Object> row = expected.rows().get(i);
            List<Field> record = records.get(i + 1);
            assertThat(record).hasSameSizeAs(row);
            for (int j = 0; j < row.size(); j++) {
                Object v = row.get(j);
                Field f = record.get(j);
                String where = name + " row " + i + " " + expected.columns().get(j);
                if (v == null) {
                    assertThat(f).as(where).isEqualTo(new Field("", false));
                } else if (v instanceof Double d) {
                    assertThat(Double.parseDouble(f.text())).as(where).isEqualTo(d);
                } else {
                    assertThat(f.text()).as(where).isEqualTo(v.toString());
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "v_ada_timeseries",
                "v_project_totals",
                "v_user_averages",
                "v_group_averages",
                "fact_intensity",
                "fact_usage",
                "dim_user",
                "active_workspace",
                "v_footprint_totals",
                "v_quality_totals",
                "fact_embodied",
                "fact_quality"
            })
    void jsonEqualsADirectRead(String name) throws Exception {
        Table expected = direct(name);
        JsonNode array = new ObjectMapper().readTree(export(name, Export.Format.JSON));
        assertThat(array.isArray()).isTrue();
        assertThat(array.size()).isEqualTo(expected.rows().size());
        for (int i = 0; i < expected.rows().size(); i++) {
            JsonNode object = array.get(i);
            List<String> keys = new ArrayList<>();
            object.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).containsExactlyElementsOf(expected.columns());
            for (int j = 0; j < keys.size(); j++) {
                Object v = expected.rows().get(i).get(j);
                JsonNode n = object.get(keys.get(j));
                String where = name + " row " + i + " " + keys.get(j);
                if (v == null) {
                    assertThat(n.isNull()).as(where).isTrue();
                } else if (v instanceof Double d) {
                    assertThat(n.isFloatingPointNumber()).as(where).isTrue();
                    assertThat(n.doubleValue()).as(where).isEqualTo(d);
                } else if (v instanceof Integer || v instanceof Long) {
                    assertThat(n.isIntegralNumber()).as(where).isTrue();
                    assertThat(n.longValue()).as(where).isEqualTo(((Number) v).longValue());
                } else {
                    assertThat(n.textValue()).as(where).isEqualTo(v.toString());
                }
            }
        }
    }

    @Test
    void csvQuotesAsRfc4180Says() throws Exception {
        String csv = new String(export("dim_user", Export.Format.CSV), StandardCharsets.UTF_8);
        assertThat(csv).startsWith("user_id,display_name,group_id\r\n");
        long carolGroup = (long) ReportFixture.real(db, "SELECT group_id FROM dim_user WHERE user_id = 'carol'");
        // A comma, quotes and a line break: quoted, quotes doubled, the break kept inside the field.
        assertThat(csv).contains("\r\ncarol,\"Carol, \"\"C\"\" of the second line\"," + carolGroup + "\r\n");
        // dave was never described: NULL name and group are empty fields.
        assertThat(csv).contains("\r\ndave,,\r\n");
        assertThat(Export.csvField("plain")).isEqualTo("plain");
        assertThat(Export.csvField("a\rb")).isEqualTo("\"a\rb\"");
        String projects = new String(export("dim_project", Export.Format.CSV), StandardCharsets.UTF_8);
        assertThat(projects).contains(",\"Tom & Jerry's \"\"lab\"\", <b>bold</b>\"\r\n");
    }

    @Test
    void namesAreCheckedAgainstTheSchema() throws Exception {
        try (Connection c = ReportDatabase.openReadOnly(db)) {
            assertThat(Export.resolve(c, "V_Project_Totals")).isEqualTo("v_project_totals");
            assertThat(Export.names(c))
                    .contains("fact_intensity", "v_group_averages", "dim_user")
                    .doesNotContain("sqlite_master");
            assertThatThrownBy(() -> Export.resolve(c, "v_project_totals; DROP TABLE dim_user"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no table or view named")
                    .hasMessageContaining("v_project_totals");
            assertThatThrownBy(() -> Export.resolve(c, "sqlite_master")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Export.write(c, "nope", Export.Format.CSV, new ByteArrayOutputStream()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(direct("dim_user").rows()).hasSize(4);
    }

    @Test
    void theCommandWritesTheSameToAFile() throws Exception {
        Path out = dir.resolve("sub/machines.json");
        assertThat(Main.commandLine()
                        .execute(
                                "export",
                                "--db",
                                db.toString(),
                                "--view",
                                "v_machine_totals",
                                "--format",
                                "json",
                                "--out",
                                out.toString()))
                .isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(export("v_machine_totals", Export.Format.JSON));

        Path csv = dir.resolve("ts.csv");
        assertThat(Main.commandLine()
                        .execute(
                                "export", "--db", db.toString(), "--view", "v_ada_timeseries", "--out", csv.toString()))
                .isZero();
        assertThat(Files.readAllBytes(csv)).isEqualTo(export("v_ada_timeseries", Export.Format.CSV));

        Path none = dir.resolve("none.csv");
        assertThat(Main.commandLine()
                        .execute("export", "--db", db.toString(), "--view", "no_such_view", "--out", none.toString()))
                .isEqualTo(2);
        assertThat(none).doesNotExist();
        assertThat(Main.commandLine()
                        .execute(
                                "export",
                                "--db",
                                db.toString(),
                                "--view",
                                "dim_user",
                                "--format",
                                "xml",
                                "--out",
                                none.toString()))
                .isEqualTo(2);
        assertThat(Main.commandLine()
                        .execute("export", "--db", dir.resolve("missing.db").toString(), "--view", "dim_user"))
                .isEqualTo(2);
        assertThat(dir.resolve("missing.db")).doesNotExist();
    }

    /** Text a spreadsheet would run as a formula (OWASP's leading characters), and what CSV writes for it. */
    static final List<List<String>> FORMULAS = List.of(
            List.of("=1+1", "'=1+1"),
            List.of("+SUM(A1)", "'+SUM(A1)"),
            List.of("-2+3", "'-2+3"),
            List.of("@cmd", "'@cmd"),
            List.of("\tX", "'\tX"),
            List.of("\rY", "'\rY"),
            List.of("plain text", "plain text"),
            List.of("a=b, -c", "a=b, -c"));

    /**
     * A copy of the fixture with a table {@code hostile} of those texts beside the number -3.5 (a REAL, and an
     * INTEGER -3), and a view over it.
     */
    static synchronized Path hostileDatabase() throws Exception {
        Path hostile = dir.resolve("hostile.db");
        if (!Files.exists(hostile)) {
            Path partial = dir.resolve("hostile.db.partial");
            try (Connection c = ReportFixture.connect(db);
                    Statement s = c.createStatement()) {
                s.execute("VACUUM INTO '" + partial + "'");
            }
            try (Connection c = ReportFixture.connect(partial);
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE hostile (text TEXT, real REAL, integer INTEGER)");
                try (var insert = c.prepareStatement("INSERT INTO hostile VALUES (?, -3.5, -3)")) {
                    for (List<String> f : FORMULAS) {
                        insert.setString(1, f.get(0));
                        insert.executeUpdate();
                    }
                }
                s.execute("CREATE VIEW v_hostile AS SELECT text AS name, real * 2 AS doubled FROM hostile");
            }
            Files.move(partial, hostile);
        }
        return hostile;
    }

    static byte[] export(Path file, String name, Export.Format format, Export.Cells cells) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Connection c = ReportDatabase.openReadOnly(file)) {
            Export.write(c, name, format, cells, out);
        }
        return out.toByteArray();
    }

    @Test
    void csvNeutralisesExactlyTheTextCellsASpreadsheetWouldRunAsFormulas() throws Exception {
        Path hostile = hostileDatabase();
        List<List<Field>> table = parseCsv(new String(
                export(hostile, "hostile", Export.Format.CSV, Export.Cells.FORMULAS_NEUTRALISED),
                StandardCharsets.UTF_8));
        assertThat(table.get(0)).extracting(Field::text).containsExactly("text", "real", "integer");
        assertThat(table.subList(1, table.size()))
                .extracting(r -> r.get(0).text())
                .containsExactlyElementsOf(FORMULAS.stream().map(f -> f.get(1)).toList());
        // Numbers stay numbers, however they start.
        assertThat(table.subList(1, table.size())).allSatisfy(r -> {
            assertThat(r.get(1)).isEqualTo(new Field("-3.5", false));
            assertThat(r.get(2)).isEqualTo(new Field("-3", false));
        });
        // The same through a view (its computed column is a number too), and what the command writes by default.
        List<List<Field>> view = parseCsv(new String(
                export(hostile, "v_hostile", Export.Format.CSV, Export.Cells.FORMULAS_NEUTRALISED),
                StandardCharsets.UTF_8));
        assertThat(view.subList(1, view.size()))
                .extracting(r -> r.get(0).text())
                .containsExactlyElementsOf(FORMULAS.stream().map(f -> f.get(1)).toList());
        assertThat(view.subList(1, view.size())).extracting(r -> r.get(1)).containsOnly(new Field("-7.0", false));
        Path out = dir.resolve("hostile.csv");
        assertThat(Main.commandLine()
                        .execute("export", "--db", hostile.toString(), "--view", "v_hostile", "--out", out.toString()))
                .isZero();
        assertThat(Files.readAllBytes(out))
                .isEqualTo(export(hostile, "v_hostile", Export.Format.CSV, Export.Cells.FORMULAS_NEUTRALISED));
        assertThat(new String(Files.readAllBytes(out), StandardCharsets.UTF_8)).contains("\r\n'=1+1,-7.0\r\n");
    }

    @Test
    void noFormulaGuardWritesTextCellsAsStored() throws Exception {
        Path hostile = hostileDatabase();
        byte[] raw = export(hostile, "hostile", Export.Format.CSV, Export.Cells.AS_STORED);
        List<List<Field>> table = parseCsv(new String(raw, StandardCharsets.UTF_8));
        assertThat(table.subList(1, table.size()))
                .extracting(r -> r.get(0).text())
                .containsExactlyElementsOf(FORMULAS.stream().map(f -> f.get(0)).toList());
        Path out = dir.resolve("hostile-raw.csv");
        assertThat(Main.commandLine()
                        .execute(
                                "export",
                                "--db",
                                hostile.toString(),
                                "--view",
                                "hostile",
                                "--no-formula-guard",
                                "--out",
                                out.toString()))
                .isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(raw);
        // The option is CSV's: with JSON it is a mistake, said so.
        assertThat(Main.commandLine()
                        .execute(
                                "export",
                                "--db",
                                hostile.toString(),
                                "--view",
                                "hostile",
                                "--format",
                                "json",
                                "--no-formula-guard"))
                .isEqualTo(2);
    }

    @Test
    void jsonKeepsFormulaLikeTextAsStored() throws Exception {
        JsonNode array = new ObjectMapper()
                .readTree(export(hostileDatabase(), "hostile", Export.Format.JSON, Export.Cells.FORMULAS_NEUTRALISED));
        assertThat(array).hasSize(FORMULAS.size());
        for (int i = 0; i < FORMULAS.size(); i++) {
            assertThat(array.get(i).get("text").textValue())
                    .isEqualTo(FORMULAS.get(i).get(0));
            assertThat(array.get(i).get("real").doubleValue()).isEqualTo(-3.5);
            assertThat(array.get(i).get("integer").longValue()).isEqualTo(-3);
        }
    }

    /** One CSV field, and whether it was quoted (an empty quoted field is an empty string, not NULL). */
    record Field(String text, boolean quoted) {}

    /** A strict RFC 4180 reader: CRLF between records, quotes only around whole fields. */
    static List<List<Field>> parseCsv(String s) {
        List<List<Field>> records = new ArrayList<>();
        List<Field> record = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            StringBuilder b = new StringBuilder();
            boolean quoted = s.charAt(i) == '"';
            if (quoted) {
                i++;
                while (true) {
                    char ch = s.charAt(i++);
                    if (ch == '"') {
                        if (i < s.length() && s.charAt(i) == '"') {
                            b.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        b.append(ch);
                    }
                }
            } else {
                while (i < s.length() && s.charAt(i) != ',' && s.charAt(i) != '\r') {
                    char ch = s.charAt(i++);
                    if (ch == '"' || ch == '\n') {
                        throw new AssertionError(
                                "unquoted field with " + (ch == '"' ? "a quote" : "a line feed") + " at " + i);
                    }
                    b.append(ch);
                }
            }
            record.add(new Field(b.toString(), quoted));
            if (s.startsWith(",", i)) {
                i++;
            } else if (s.startsWith("\r\n", i)) {
                i += 2;
                records.add(record);
                record = new ArrayList<>();
            } else {
                throw new AssertionError("expected , or CRLF at " + i + " after " + b);
            }
        }
        assertThat(record).as("the last record ends with CRLF").isEmpty();
        return records;
    }
}
