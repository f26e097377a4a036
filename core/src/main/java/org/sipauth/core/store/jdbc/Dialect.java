package org.sipauth.core.store.jdbc;

import java.util.Locale;

/** The two databases the one SQL code path runs on; chosen from the JDBC URL. */
enum Dialect {
    H2,
    POSTGRESQL;

    static Dialect of(String jdbcUrl) {
        String url = jdbcUrl.toLowerCase(Locale.ROOT);
        if (url.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("unsupported JDBC URL (expected jdbc:h2: or jdbc:postgresql:): "
                + redact(jdbcUrl));
    }

    /** The URL without its query/settings part, which may carry a password. */
    static String redact(String jdbcUrl) {
        int cut = jdbcUrl.length();
        for (char c : new char[] {'?', ';'}) {
            int i = jdbcUrl.indexOf(c);
            if (i >= 0 && i < cut) {
                cut = i;
            }
        }
        return cut < jdbcUrl.length() ? jdbcUrl.substring(0, cut) + "…" : jdbcUrl;
    }
}
