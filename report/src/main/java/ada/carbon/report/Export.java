package ada.carbon.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Any table or view of the database as CSV (RFC 4180) or JSON (an array of objects, one per row, keys in column
 * order). The name is looked up in {@code sqlite_master} first, and only the name found there is put into the
 * query, quoted. Rows stream from the database to the output, so a large table needs no memory.
 *
 * <p>Names of projects, users and groups come from the platform, so a CSV cell may hold text a spreadsheet would
 * run as a formula. By default CSV neutralises such text cells as OWASP's "CSV Injection" advises: a text cell
 * (SQLite's TEXT, not a REAL or INTEGER such as {@code -3.5}) starting with {@code = + - @}, TAB, CR or NUL
 * gets a single quote in front, which spreadsheets read as "this is text". JSON is never changed.
 */
public final class Export {
    public enum Format {
        CSV,
        JSON
    }

    /** What CSV does with a text cell a spreadsheet would read as a formula. */
    public enum Cells {
        /** Prefixes it with {@code '}: for people opening the file in a spreadsheet (the default). */
        FORMULAS_NEUTRALISED,
        /** Writes it as stored: for programs reading the file. */
        AS_STORED
    }

    private Export() {}

    /** The tables and views of the database, by name. */
    public static List<String> names(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
                        + " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name")) {
            while (r.next()) {
                names.add(r.getString(1));
            }
        }
        return names;
    }

    /**
     * The table or view called {@code name} (SQLite compares names without regard to ASCII case), as
     * sqlite_master spells it.
     *
     * @throws IllegalArgumentException if there is none; the message lists those there are
     */
    public static String resolve(Connection c, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
                + " AND name = ? COLLATE NOCASE AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")) {
            p.setString(1, name);
            try (ResultSet r = p.executeQuery()) {
                if (r.next()) {
                    return r.getString(1);
                }
            }
        }
        throw new IllegalArgumentException(
                "no table or view named '" + name + "'; there are: " + String.join(", ", names(c)));
    }

    /**
     * Writes every row of {@code name} to {@code out} (not closed), CSV's formula-like text cells neutralised;
     * returns how many rows.
     */
    public static long write(Connection c, String name, Format format, OutputStream out)
            throws SQLException, IOException {
        return write(c, name, format, Cells.FORMULAS_NEUTRALISED, out);
    }

    /** Writes every row of {@code name} to {@code out} (not closed); returns how many rows. */
    public static long write(Connection c, String name, Format format, Cells cells, OutputStream out)
            throws SQLException, IOException {
        String table = resolve(c, name);
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT * FROM \"" + table.replace("\"", "\"\"") + "\"")) {
            return format == Format.CSV ? csv(r, cells, out) : json(r, out);
        }
    }

    private static long csv(ResultSet r, Cells cells, OutputStream out) throws SQLException, IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        ResultSetMetaData md = r.getMetaData();
        int n = md.getColumnCount();
        for (int i = 1; i <= n; i++) {
            w.write(i > 1 ? "," : "");
            w.write(csvField(md.getColumnLabel(i)));
        }
        w.write("\r\n");
        long rows = 0;
        while (r.next()) {
            for (int i = 1; i <= n; i++) {
                w.write(i > 1 ? "," : "");
                Object v = r.getObject(i);
                // NULL is an empty field; an empty string is "" so the two stay apart. Only text is neutralised:
                // a number such as -3.5 stays a number.
                if (v instanceof String str) {
                    w.write(str.isEmpty() ? "\"\"" : csvField(cells == Cells.AS_STORED ? str : neutralised(str)));
                } else if (v != null) {
                    w.write(csvField(text(v)));
                }
            }
            w.write("\r\n");
            rows++;
        }
        w.flush();
        return rows;
    }

    /** RFC 4180: a field with a comma, a double quote, CR or LF is quoted, and its quotes doubled. */
    public static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\r') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /**
     * {@code text} with a {@code '} in front if a spreadsheet would read it as a formula: it starts with
     * {@code =}, {@code +}, {@code -}, {@code @}, TAB, CR (OWASP's list) or NUL (OWASP ASVS 1.2.10's).
     */
    public static String neutralised(String text) {
        if (text.isEmpty()) {
            return text;
        }
        return switch (text.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r', '\0' -> "'" + text;
            default -> text;
        };
    }

    private static long json(ResultSet r, OutputStream out) throws SQLException, IOException {
        ResultSetMetaData md = r.getMetaData();
        int n = md.getColumnCount();
        String[] labels = new String[n];
        for (int i = 0; i < n; i++) {
            labels[i] = md.getColumnLabel(i + 1);
        }
        long rows = 0;
        try (JsonGenerator g = new JsonFactory()
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .createGenerator(out, JsonEncoding.UTF8)) {
            g.setPrettyPrinter(new OneRowPerLine());
            g.writeStartArray();
            while (r.next()) {
                g.writeStartObject();
                for (int i = 0; i < n; i++) {
                    g.writeFieldName(labels[i]);
                    Object v = r.getObject(i + 1);
                    if (v == null) {
                        g.writeNull();
                    } else if (v instanceof Integer || v instanceof Long) {
                        g.writeNumber(((Number) v).longValue());
                    } else if (v instanceof Double d) {
                        if (Double.isFinite(d)) {
                            g.writeNumber(d);
                        } else {
                            g.writeString(d.toString()); // JSON has no Infinity or NaN
                        }
                    } else if (v instanceof byte[] bytes) {
                        g.writeString(Base64.getEncoder().encodeToString(bytes));
                    } else {
                        g.writeString(v.toString());
                    }
                }
                g.writeEndObject();
                rows++;
            }
            g.writeEndArray();
            g.writeRaw("\n");
        }
        out.flush();
        return rows;
    }

    /** {@code [}, then each row's object on a line of its own, then {@code ]}. */
    private static final class OneRowPerLine extends MinimalPrettyPrinter {
        @Override
        public void beforeArrayValues(JsonGenerator g) throws IOException {
            g.writeRaw('\n');
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(",\n");
        }

        @Override
        public void writeEndArray(JsonGenerator g, int values) throws IOException {
            g.writeRaw(values > 0 ? "\n]" : "]");
        }
    }

    /** A value's text in CSV: numbers as Java writes them (a double round-trips exactly), bytes as Base64. */
    private static String text(Object v) {
        if (v instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (v instanceof Float || v instanceof Double) {
            return Double.toString(((Number) v).doubleValue());
        }
        return v.toString();
    }

    public static Format format(String text) {
        try {
            return Format.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--format must be csv or json, not '" + text + "'");
        }
    }
}
