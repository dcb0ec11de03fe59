package ada.carbon.sink;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/** Small binding helpers the writers share. */
final class Sql {
    private Sql() {}

    /** Binds a REAL; a non-finite figure is stored as NULL rather than as a number no reader can sum. */
    static void setReal(PreparedStatement ps, int index, Double value) throws SQLException {
        if (value == null || !Double.isFinite(value)) {
            ps.setNull(index, Types.REAL);
        } else {
            ps.setDouble(index, value);
        }
    }

    static void setLongOrNull(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setLong(index, value);
        }
    }
}
