package ada.carbon.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * A dimension of surrogate ids keyed by a unique name (project, machine, group). Ids are assigned in
 * arrival order by SQLite's rowid and rows are never deleted, so an id once given stays.
 */
final class NameDimension implements AutoCloseable {
    private final PreparedStatement select;
    private final PreparedStatement insert;
    // Only for the open transaction: ids assigned by a rolled-back one must not survive it.
    private final Map<String, Long> cache = new HashMap<>();

    NameDimension(Connection c, String table, String idColumn, String nameColumn) throws SQLException {
        this.select = c.prepareStatement("SELECT " + idColumn + " FROM " + table + " WHERE " + nameColumn + " = ?");
        this.insert =
                c.prepareStatement("INSERT INTO " + table + " (" + nameColumn + ") VALUES (?) RETURNING " + idColumn);
    }

    void beginTransaction() {
        cache.clear();
    }

    /** The id of {@code name}, adding it if it is new. */
    long ensure(String name) throws SQLException {
        Long id = find(name);
        if (id != null) {
            return id;
        }
        insert.setString(1, name);
        try (ResultSet rs = insert.executeQuery()) {
            rs.next();
            long assigned = rs.getLong(1);
            cache.put(name, assigned);
            return assigned;
        }
    }

    /** The id of {@code name}, or null if it was never seen. */
    Long find(String name) throws SQLException {
        Long cached = cache.get(name);
        if (cached != null) {
            return cached;
        }
        select.setString(1, name);
        try (ResultSet rs = select.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            long id = rs.getLong(1);
            cache.put(name, id);
            return id;
        }
    }

    @Override
    public void close() throws SQLException {
        select.close();
        insert.close();
    }
}
