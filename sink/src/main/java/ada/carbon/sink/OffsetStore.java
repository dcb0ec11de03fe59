package ada.carbon.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/** sink_offset: the next offset to read per partition, stored with the rows it produced. */
final class OffsetStore implements AutoCloseable {
    private final PreparedStatement upsert;
    private final PreparedStatement selectAll;

    OffsetStore(Connection c) throws SQLException {
        upsert = c.prepareStatement("INSERT INTO sink_offset (topic, \"partition\", next_offset) VALUES (?, ?, ?) "
                + "ON CONFLICT (topic, \"partition\") DO UPDATE SET next_offset = excluded.next_offset");
        selectAll = c.prepareStatement(
                "SELECT topic, \"partition\", next_offset FROM sink_offset ORDER BY topic, \"partition\"");
    }

    void write(Map<SourcePartition, Long> offsets) throws SQLException {
        for (Map.Entry<SourcePartition, Long> e : offsets.entrySet()) {
            upsert.setString(1, e.getKey().topic());
            upsert.setInt(2, e.getKey().partition());
            upsert.setLong(3, e.getValue());
            upsert.executeUpdate();
        }
    }

    Map<SourcePartition, Long> readAll() throws SQLException {
        Map<SourcePartition, Long> out = new LinkedHashMap<>();
        try (ResultSet rs = selectAll.executeQuery()) {
            while (rs.next()) {
                out.put(new SourcePartition(rs.getString(1), rs.getInt(2)), rs.getLong(3));
            }
        }
        return out;
    }

    @Override
    public void close() throws SQLException {
        upsert.close();
        selectAll.close();
    }
}
