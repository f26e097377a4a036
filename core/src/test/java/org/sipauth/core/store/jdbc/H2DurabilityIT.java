package org.sipauth.core.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipauth.core.model.Credential;
import org.sipauth.core.model.CredentialList;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.model.Trunk;
import org.sipauth.core.store.PageQuery;

/**
 * Every acknowledged write survives {@code kill -9}: a child JVM ({@link DurabilityChild}) provisions
 * into an H2 store until it gets SIGKILL at a random moment; then this test opens the same files and
 * checks that every ACKed write is there, every ACKed delete is gone, the one in-flight step is either
 * whole or absent, and no half-written row exists. Repeated for several rounds on the same files
 * ({@code -Dsipauth.durability.rounds=N}, default 12).
 */
class H2DurabilityIT {

    private static final String ACCOUNT = "AC" + "d".repeat(32);
    private static final String TOKEN = "durability-token-0123456789abcdef";

    @TempDir
    Path dir;

    // The model of acknowledged state.
    private final Map<Sid, String> lists = new HashMap<>();            // alive list -> name
    private final Set<Sid> deletedLists = new HashSet<>();
    private final Map<Sid, String[]> credentials = new HashMap<>();    // alive cred -> {list, username}
    private final Set<Sid> deletedCredentials = new HashSet<>();
    private final Map<Sid, String> trunks = new HashMap<>();           // trunk -> domain
    private final Set<List<Sid>> mappings = new HashSet<>();           // [trunk, list]

    @Test
    void acknowledgedWrites_surviveSigkill_atRandomPoints() throws Exception {
        int rounds = Integer.getInteger("sipauth.durability.rounds", 12);
        Random random = new Random();
        long seed = random.nextLong();
        int acknowledged = 0;
        for (int round = 1; round <= rounds; round++) {
            String inFlight = null;
            Process child = new ProcessBuilder(javaBin(), "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                    DurabilityChild.class.getName(), dir.toString(), ACCOUNT, TOKEN, Long.toString(seed + round),
                    Integer.toString(round)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line = in.readLine();
                assertEquals("READY", line, "child did not start (round " + round + ")");
                long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50 + random.nextInt(600));
                // Read while the child works; kill it at the chosen moment, then drain what it printed.
                Thread killer = new Thread(() -> {
                    long wait = killAt - System.nanoTime();
                    if (wait > 0) {
                        try {
                            // The random moment is the test: a kill at any point of the work, not a wait for it.
                            TimeUnit.NANOSECONDS.sleep(wait);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    sigkill(child);
                });
                killer.start();
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("BEGIN ")) {
                        inFlight = line;
                    } else if (line.startsWith("ACK ")) {
                        apply(line);
                        acknowledged++;
                        inFlight = null;
                    }
                }
                killer.join();
            }
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, child.exitValue(), "child must have died of SIGKILL (128+9)");
            verify(inFlight, round);
            adoptInFlight(inFlight);
        }
        assertTrue(acknowledged > rounds * 5, "the children acknowledged too few writes to mean anything: " + acknowledged);
        System.out.printf("durability: %d SIGKILL rounds, %d acknowledged writes verified%n", rounds, acknowledged);
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void sigkill(Process child) {
        try {
            Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(child.pid())).start();
            if (kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0) {
                return;
            }
        } catch (Exception e) {
            // fall through: destroyForcibly is SIGKILL on Linux too
        }
        child.destroyForcibly();
    }

    private void apply(String line) {
        String[] f = line.split(" ");
        switch (f[1]) {
            case "LIST" -> lists.put(sid(SidKind.CREDENTIAL_LIST, f[2]), f[3]);
            case "CRED" -> credentials.put(sid(SidKind.CREDENTIAL, f[2]), new String[] {f[3], f[4]});
            case "TRUNK" -> trunks.put(sid(SidKind.TRUNK, f[2]), f[3]);
            case "MAP" -> mappings.add(List.of(sid(SidKind.TRUNK, f[2]), sid(SidKind.CREDENTIAL_LIST, f[3])));
            case "DELCRED" -> {
                Sid c = sid(SidKind.CREDENTIAL, f[2]);
                credentials.remove(c);
                deletedCredentials.add(c);
            }
            case "DELLIST" -> {
                Sid l = sid(SidKind.CREDENTIAL_LIST, f[2]);
                lists.remove(l);
                deletedLists.add(l);
                credentials.entrySet().removeIf(e -> {
                    if (e.getValue()[0].equals(l.value())) {
                        deletedCredentials.add(e.getKey());
                        return true;
                    }
                    return false;
                });
                mappings.removeIf(m -> m.get(1).equals(l));
            }
            default -> fail("unexpected line " + line);
        }
    }

    private static Sid sid(SidKind kind, String value) {
        return Sid.of(kind, value);
    }

    private void verify(String inFlight, int round) throws Exception {
        String[] f = inFlight == null ? new String[] {"", ""} : inFlight.split(" ");
        String op = f[1];
        Sid account = Sid.of(SidKind.ACCOUNT, ACCOUNT);
        String context = "round " + round + ", in flight: " + inFlight;
        try (JdbcStore store = JdbcStore.h2(dir)) {
            // lists: acknowledged ones exist (unless being deleted, then all or nothing)
            for (var e : lists.entrySet()) {
                Optional<CredentialList> found = store.findCredentialList(account, e.getKey());
                boolean beingDeleted = op.equals("DELLIST") && f[2].equals(e.getKey().value());
                if (found.isEmpty()) {
                    assertTrue(beingDeleted, "acknowledged list lost: " + e.getKey() + " " + e.getValue()
                            + " (" + context + ")");
                    assertEquals(List.of(), store.credentialsOf(e.getKey()), "list half-deleted (" + context + ")");
                } else {
                    assertEquals(e.getValue(), found.get().friendlyName());
                }
            }
            for (Sid gone : deletedLists) {
                assertTrue(store.findCredentialList(account, gone).isEmpty(), "deleted list is back: " + gone);
                assertEquals(List.of(), store.credentialsOf(gone));
            }
            // credentials: each alive list holds exactly its acknowledged credentials (+ maybe the in-flight one)
            Map<String, Set<Sid>> expectedPerList = new HashMap<>();
            for (var e : credentials.entrySet()) {
                expectedPerList.computeIfAbsent(e.getValue()[0], k -> new HashSet<>()).add(e.getKey());
            }
            for (Sid list : lists.keySet()) {
                if (store.findCredentialList(account, list).isEmpty()) {
                    continue; // the in-flight DELLIST committed: checked above
                }
                Set<Sid> expected = expectedPerList.getOrDefault(list.value(), Set.of());
                Set<Sid> actual = new HashSet<>();
                List<Sid> extra = new ArrayList<>();
                for (Credential c : store.credentialsOf(list)) {
                    actual.add(c.sid());
                    if (!expected.contains(c.sid())) {
                        extra.add(c.sid());
                    }
                    assertEquals(list, c.credentialListSid());
                }
                for (Sid c : expected) {
                    boolean beingDeleted = op.equals("DELCRED") && f[2].equals(c.value());
                    assertTrue(actual.contains(c) || beingDeleted, "acknowledged credential lost: " + c + " (" + context + ")");
                }
                boolean mayHaveNew = op.equals("CRED") && f[2].equals(list.value());
                assertTrue(extra.isEmpty() || (mayHaveNew && extra.size() == 1),
                        "unacknowledged credentials in " + list + ": " + extra + " (" + context + ")");
                for (Sid c : extra) {
                    Credential cr = store.findCredential(account, list, c).orElseThrow();
                    assertEquals(f[3], cr.username(), "the only new credential is the in-flight one");
                }
            }
            for (Sid gone : deletedCredentials) {
                for (Sid list : lists.keySet()) {
                    assertTrue(store.findCredential(account, list, gone).isEmpty(), "deleted credential is back: " + gone);
                }
            }
            // trunks and mappings
            for (var e : trunks.entrySet()) {
                Trunk t = store.findTrunk(account, e.getKey()).orElseThrow(
                        () -> new AssertionError("acknowledged trunk lost: " + e.getKey() + " (" + context + ")"));
                assertEquals(e.getValue(), t.domainName());
            }
            for (List<Sid> m : mappings) {
                boolean beingDeleted = op.equals("DELLIST") && f[2].equals(m.get(1).value());
                assertTrue(store.findMapping(MappingKind.TRUNK, account, m.get(0), m.get(1)).isPresent() || beingDeleted,
                        "acknowledged mapping lost: " + m + " (" + context + ")");
            }
            int listCount = store.listCredentialLists(account, PageQuery.first(100_000)).size();
            int expectedLists = lists.size();
            boolean listMayDiffer = op.equals("LIST") || op.equals("DELLIST");
            assertTrue(listCount == expectedLists || (listMayDiffer && Math.abs(listCount - expectedLists) == 1),
                    "lists: " + listCount + " in store, " + expectedLists + " acknowledged (" + context + ")");
            int trunkCount = store.listTrunks(account, PageQuery.first(100_000)).size();
            assertTrue(trunkCount == trunks.size() || (op.equals("TRUNK") && trunkCount == trunks.size() + 1),
                    "trunks: " + trunkCount + " in store, " + trunks.size() + " acknowledged (" + context + ")");
        }
        // No half-written row at the SQL level: a trunk is two rows, a credential needs its list.
        try (Connection c = DriverManager.getConnection(
                JdbcStore.h2Url("jdbc:h2:file:" + dir.toAbsolutePath().resolve("sipauth")), "sa", "");
             Statement st = c.createStatement()) {
            assertEquals(0, count(st, "SELECT COUNT(*) FROM auth_targets t LEFT JOIN trunks k ON k.sid = t.sid"
                    + " WHERE t.kind = 'TK' AND k.sid IS NULL"), "trunk without its detail row");
            assertEquals(0, count(st, "SELECT COUNT(*) FROM credentials c LEFT JOIN credential_lists l"
                    + " ON l.sid = c.credential_list_sid WHERE l.sid IS NULL"), "orphan credential");
            assertEquals(0, count(st, "SELECT COUNT(*) FROM credential_list_mappings m LEFT JOIN credential_lists l"
                    + " ON l.sid = m.credential_list_sid WHERE l.sid IS NULL"), "orphan mapping");
        }
    }

    /**
     * Carries the in-flight step's outcome (checked all-or-nothing by {@link #verify}) into the model,
     * so that later rounds judge the store against what it really holds: a committed in-flight create
     * joins the acknowledged state, a committed in-flight delete leaves it.
     */
    private void adoptInFlight(String inFlight) throws Exception {
        if (inFlight == null) {
            return;
        }
        String[] f = inFlight.split(" ");
        Sid account = Sid.of(SidKind.ACCOUNT, ACCOUNT);
        try (JdbcStore store = JdbcStore.h2(dir)) {
            switch (f[1]) {
                case "LIST" -> store.listCredentialLists(account, PageQuery.first(100_000)).stream()
                        .filter(l -> l.friendlyName().equals(f[2])).findFirst()
                        .ifPresent(l -> apply("ACK LIST " + l.sid().value() + " " + f[2]));
                case "CRED" -> store.credentialsOf(sid(SidKind.CREDENTIAL_LIST, f[2])).stream()
                        .filter(c -> c.username().equals(f[3])).findFirst()
                        .ifPresent(c -> apply("ACK CRED " + c.sid().value() + " " + f[2] + " " + f[3]));
                case "TRUNK" -> store.listTrunks(account, PageQuery.first(100_000)).stream()
                        .filter(t -> t.domainName().equals(f[2])).findFirst()
                        .ifPresent(t -> apply("ACK TRUNK " + t.sid().value() + " " + f[2]));
                case "MAP" -> {
                    if (store.findMapping(MappingKind.TRUNK, account, sid(SidKind.TRUNK, f[2]),
                            sid(SidKind.CREDENTIAL_LIST, f[3])).isPresent()) {
                        apply("ACK MAP " + f[2] + " " + f[3]);
                    }
                }
                case "DELCRED" -> {
                    Sid credential = sid(SidKind.CREDENTIAL, f[2]);
                    if (lists.keySet().stream().noneMatch(l -> store.findCredential(account, l, credential).isPresent())) {
                        apply("ACK DELCRED " + f[2]);
                    }
                }
                case "DELLIST" -> {
                    if (store.findCredentialList(account, sid(SidKind.CREDENTIAL_LIST, f[2])).isEmpty()) {
                        apply("ACK DELLIST " + f[2]);
                    }
                }
                default -> fail("unexpected in-flight line " + inFlight);
            }
        }
    }

    private static long count(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
