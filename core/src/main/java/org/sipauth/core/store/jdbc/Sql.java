package org.sipauth.core.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.sipauth.core.model.Account;
import org.sipauth.core.model.Credential;
import org.sipauth.core.model.CredentialList;
import org.sipauth.core.model.CredentialListMapping;
import org.sipauth.core.model.Ha1Set;
import org.sipauth.core.model.IpAccessControlList;
import org.sipauth.core.model.IpAccessControlListMapping;
import org.sipauth.core.model.IpAddress;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.OriginationUrl;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.model.SipDomain;
import org.sipauth.core.model.Trunk;
import org.sipauth.core.store.PageQuery;

/** Statements' column lists, row mappers and binding helpers shared by {@link JdbcStore}. */
final class Sql {

    static final String ACCOUNT = "SELECT a.sid, a.friendly_name, a.auth_token_sha256, a.status,"
            + " a.date_created, a.date_updated FROM accounts a";

    static final String TRUNK = "SELECT t.sid, t.account_sid, t.friendly_name, t.domain_name,"
            + " k.disaster_recovery_url, k.disaster_recovery_method, k.transfer_mode, t.secure,"
            + " k.cnam_lookup_enabled, k.transfer_caller_id, k.symmetric_rtp_enabled, t.digest_algorithms,"
            + " t.date_created, t.date_updated"
            + " FROM auth_targets t JOIN trunks k ON k.sid = t.sid";

    static final String SIP_DOMAIN = "SELECT t.sid, t.account_sid, t.friendly_name, t.domain_name,"
            + " d.voice_url, d.voice_method, d.voice_fallback_url, d.voice_fallback_method,"
            + " d.voice_status_callback_url, d.voice_status_callback_method, d.sip_registration,"
            + " d.emergency_calling_enabled, t.secure, d.byoc_trunk_sid, d.emergency_caller_sid,"
            + " t.digest_algorithms, t.date_created, t.date_updated"
            + " FROM auth_targets t JOIN sip_domains d ON d.sid = t.sid";

    static final String CREDENTIAL_LIST = "SELECT l.sid, l.account_sid, l.friendly_name, l.date_created,"
            + " l.date_updated FROM credential_lists l";

    static final String CREDENTIAL = "SELECT c.sid, c.account_sid, c.credential_list_sid, c.username,"
            + " c.realm, c.ha1_md5, c.ha1_sha256, c.ha1_sha512_256, c.date_created, c.date_updated"
            + " FROM credentials c";

    static final String MAPPING = "SELECT m.kind, m.account_sid, m.target_sid, m.credential_list_sid,"
            + " l.friendly_name, m.date_created, m.date_updated"
            + " FROM credential_list_mappings m JOIN credential_lists l ON l.sid = m.credential_list_sid";

    static final String ORIGINATION_URL = "SELECT o.sid, o.account_sid, o.target_sid, o.friendly_name, o.sip_url,"
            + " o.priority, o.weight, o.enabled, o.date_created, o.date_updated FROM origination_urls o";
    static final String IP_ACCESS_CONTROL_LIST = "SELECT l.sid, l.account_sid, l.friendly_name, l.date_created,"
            + " l.date_updated FROM ip_access_control_lists l";

    static final String IP_ADDRESS = "SELECT a.sid, a.account_sid, a.ip_access_control_list_sid, a.friendly_name,"
            + " a.ip_address, a.cidr_prefix_length, a.date_created, a.date_updated FROM ip_addresses a";

    static final String IP_MAPPING = "SELECT m.kind, m.account_sid, m.target_sid, m.ip_access_control_list_sid,"
            + " l.friendly_name, m.date_created, m.date_updated FROM ip_access_control_list_mappings m"
            + " JOIN ip_access_control_lists l ON l.sid = m.ip_access_control_list_sid";

    /** Maps the current row of a result set. */
    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Binds the leading parameters of a statement, returns the next free index. */
    @FunctionalInterface
    interface Binder {
        int bind(PreparedStatement ps) throws SQLException;
    }

    private Sql() {
    }

    static String key(Sid sid) {
        return sid.canonical().value();
    }

    /** A SID text with its hex digits lowercased (the stored form); other text unchanged. */
    static String canonical(String sid) {
        return sid.length() > 2 ? sid.substring(0, 2) + sid.substring(2).toLowerCase(Locale.ROOT) : sid;
    }

    static Sid sid(String value) {
        return value == null ? null : Sid.of(kindOf(value), value);
    }

    static SidKind kindOf(String sid) {
        return ChangePayload.kindOf(sid);
    }

    static long nanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    /** A target's digest algorithm offer as stored: the tokens joined by commas; null stays null. */
    static String algorithms(List<String> tokens) {
        return tokens == null ? null : String.join(",", tokens);
    }

    /** The stored column back as a list; null stays null (the engine's server-wide offer). */
    static List<String> algorithms(String column) {
        return column == null ? null : List.of(column.split(","));
    }

    static <T> List<T> list(PreparedStatement ps, RowMapper<T> mapper) throws SQLException {
        List<T> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(mapper.map(rs));
            }
        }
        return out;
    }

    static <T> T single(PreparedStatement ps, RowMapper<T> mapper) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? mapper.map(rs) : null;
        }
    }

    /**
     * Runs {@code select} (which ends in a WHERE clause whose parameters {@code binder} sets) as one page
     * in the stable {@code (dateColumn, sidColumn)} order.
     */
    static <T> List<T> page(java.sql.Connection c, String select, String dateColumn, String sidColumn,
                            PageQuery q, Binder binder, RowMapper<T> mapper) throws SQLException {
        StringBuilder sql = new StringBuilder(select);
        PageQuery.Key key = q.after() != null ? q.after() : q.before();
        if (key != null) {
            String cmp = q.after() != null ? ">" : "<";
            sql.append(" AND (").append(dateColumn).append(' ').append(cmp).append(" ? OR (")
                    .append(dateColumn).append(" = ? AND ").append(sidColumn).append(' ').append(cmp).append(" ?))");
        }
        String direction = q.before() != null ? " DESC" : "";
        sql.append(" ORDER BY ").append(dateColumn).append(direction).append(", ").append(sidColumn).append(direction)
                .append(" LIMIT ? OFFSET ?");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = binder.bind(ps);
            if (key != null) {
                long at = nanos(key.dateCreated());
                ps.setLong(i++, at);
                ps.setLong(i++, at);
                ps.setString(i++, canonical(key.sid()));
            }
            ps.setInt(i++, q.limit());
            ps.setInt(i, q.offset());
            List<T> out = list(ps, mapper);
            if (q.before() != null) {
                Collections.reverse(out);
            }
            return out;
        }
    }

    static Account account(ResultSet rs) throws SQLException {
        return new Account(sid(rs.getString(1)), rs.getString(2), rs.getString(3),
                Account.Status.valueOf(rs.getString(4)), instant(rs.getLong(5)), instant(rs.getLong(6)));
    }

    static Trunk trunk(ResultSet rs) throws SQLException {
        return new Trunk(sid(rs.getString(1)), sid(rs.getString(2)), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getBoolean(8), rs.getBoolean(9),
                rs.getString(10), rs.getBoolean(11), algorithms(rs.getString(12)), instant(rs.getLong(13)),
                instant(rs.getLong(14)));
    }

    static SipDomain sipDomain(ResultSet rs) throws SQLException {
        return new SipDomain(sid(rs.getString(1)), sid(rs.getString(2)), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getString(10), rs.getBoolean(11), rs.getBoolean(12), rs.getBoolean(13), rs.getString(14),
                rs.getString(15), algorithms(rs.getString(16)), instant(rs.getLong(17)), instant(rs.getLong(18)));
    }

    static CredentialList credentialList(ResultSet rs) throws SQLException {
        return new CredentialList(sid(rs.getString(1)), sid(rs.getString(2)), rs.getString(3),
                instant(rs.getLong(4)), instant(rs.getLong(5)));
    }

    static Credential credential(ResultSet rs) throws SQLException {
        return new Credential(sid(rs.getString(1)), sid(rs.getString(2)), sid(rs.getString(3)), rs.getString(4),
                new Ha1Set(rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)),
                instant(rs.getLong(9)), instant(rs.getLong(10)));
    }

    static CredentialListMapping mapping(ResultSet rs) throws SQLException {
        return new CredentialListMapping(MappingKind.valueOf(rs.getString(1)), sid(rs.getString(2)),
                sid(rs.getString(3)), sid(rs.getString(4)), rs.getString(5), instant(rs.getLong(6)),
                instant(rs.getLong(7)));
    }

    static OriginationUrl originationUrl(ResultSet rs) throws SQLException {
        return new OriginationUrl(sid(rs.getString(1)), sid(rs.getString(2)), sid(rs.getString(3)), rs.getString(4),
                rs.getString(5), rs.getInt(6), rs.getInt(7), rs.getBoolean(8), instant(rs.getLong(9)),
                instant(rs.getLong(10)));
    }

    static IpAccessControlList ipAccessControlList(ResultSet rs) throws SQLException {
        return new IpAccessControlList(sid(rs.getString(1)), sid(rs.getString(2)), rs.getString(3),
                instant(rs.getLong(4)), instant(rs.getLong(5)));
    }

    static IpAddress ipAddress(ResultSet rs) throws SQLException {
        return new IpAddress(sid(rs.getString(1)), sid(rs.getString(2)), sid(rs.getString(3)), rs.getString(4),
                rs.getString(5), rs.getInt(6), instant(rs.getLong(7)), instant(rs.getLong(8)));
    }

    static IpAccessControlListMapping ipMapping(ResultSet rs) throws SQLException {
        return new IpAccessControlListMapping(MappingKind.valueOf(rs.getString(1)), sid(rs.getString(2)),
                sid(rs.getString(3)), sid(rs.getString(4)), rs.getString(5), instant(rs.getLong(6)),
                instant(rs.getLong(7)));
    }
}
