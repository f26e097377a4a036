package org.sipauth.core.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.sipauth.core.model.Credential;
import org.sipauth.core.model.Ha1Set;
import org.sipauth.core.model.Sid;

/** Row mapping helpers shared by the store's statements. */
final class Sql {

    static final String SELECT_CREDENTIAL = "SELECT c.sid, c.account_sid, c.credential_list_sid, c.username,"
            + " c.realm, c.ha1_md5, c.ha1_sha256, c.ha1_sha512_256, c.date_created, c.date_updated"
            + " FROM credentials c";

    private Sql() {
    }

    static Sid sid(String value) {
        return value == null ? null : Sid.of(ChangePayload.kindOf(value), value);
    }

    static List<Credential> credentials(PreparedStatement ps) throws SQLException {
        List<Credential> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(credential(rs));
            }
        }
        return out;
    }

    static Credential credential(ResultSet rs) throws SQLException {
        return new Credential(sid(rs.getString(1)), sid(rs.getString(2)), sid(rs.getString(3)), rs.getString(4),
                new Ha1Set(rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)),
                instant(rs, 9), instant(rs, 10));
    }

    static void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
        ps.setLong(index, instant.getEpochSecond() * 1_000_000_000L + instant.getNano());
    }

    static Instant instant(ResultSet rs, int index) throws SQLException {
        long nanos = rs.getLong(index);
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

}
