package redress.testsupport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

/** What tests read straight from a service's database. */
public final class Rows {

    private Rows() {}

    /** The single number {@code sql} selects (a {@code count(*)}, say), with one parameter. */
    public static long count(DataSource db, String sql, Object param) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, param);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
