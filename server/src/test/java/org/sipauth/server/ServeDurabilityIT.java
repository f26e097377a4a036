package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash never loses an acknowledged write: {@code sipauth.jar serve} on its default embedded H2
 * store is provisioned through the admin API over HTTP, killed with SIGKILL at a random moment,
 * restarted on the same data directory, and its whole state read back through the API must be
 * exactly what the acknowledged writes built — plus, at most, the one request in flight at the kill,
 * applied entirely or not at all (e.g. a list deleted with all its credentials and mappings, or not).
 *
 * <p>Rounds: {@code -Dsipauth.durability.rounds=N} (default 8).
 */
class ServeDurabilityIT {

    private static final String ACCOUNT = "AC" + "5d".repeat(16);
    private static final String TOKEN = "durability-token-1";
    private static final String SIP = "/2010-04-01/Accounts/" + ACCOUNT + "/SIP";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Random random = new Random();
    private int port;

    /**
     * What the server holds, by natural keys, so that an in-flight create (whose SID was never seen)
     * can still be recognised: {@code L:list}, {@code C:list/user}, {@code T:trunk-host},
     * {@code D:domain-host}, {@code MT:trunk-host/list}, {@code MD:domain-host/list}. SIDs are kept
     * beside the facts to address resources.
     */
    private record State(SortedSet<String> facts, Map<String, String> sids) {
        State copy() {
            return new State(new TreeSet<>(facts), new HashMap<>(sids));
        }

        List<String> names(String prefix) {
            return facts.stream().filter(f -> f.startsWith(prefix)).map(f -> f.substring(prefix.length())).toList();
        }
    }

    /** A request whose success turns one state into the next. */
    private record Op(String description, String method, String path, String form, UnaryOperator<State> onSuccess) {
    }

    @Test
    void everyAcknowledgedWrite_survivesSigkill(@TempDir Path dataDir) throws Exception {
        int rounds = Integer.getInteger("sipauth.durability.rounds", 8);
        State acknowledged = new State(new TreeSet<>(), new HashMap<>());
        int acknowledgedWrites = 0;
        int inFlightApplied = 0;
        for (int round = 1; round <= rounds; round++) {
            Process server = start(dataDir);
            long killAfterMillis = 150 + random.nextInt(1_200);
            Thread killer = new Thread(() -> {
                try {
                    // The random moment is the test: a kill at any point of the work, not a wait for it.
                    Thread.sleep(killAfterMillis);
                } catch (InterruptedException e) {
                    return;
                }
                server.destroyForcibly(); // SIGKILL on Linux
            }, "killer");
            killer.start();
            Op inFlight = null;
            int seq = 0;
            while (inFlight == null) {
                Op op = nextOp(acknowledged, round + "x" + seq++);
                if (op == null) {
                    continue;
                }
                HttpResponse<String> response;
                try {
                    response = send(op.method(), op.path(), op.form());
                } catch (IOException killed) {
                    inFlight = op;
                    break;
                }
                if (response.statusCode() / 100 != 2) {
                    server.destroyForcibly();
                    fail(op.description() + " answered " + response.statusCode() + ": " + response.body());
                }
                acknowledged = op.onSuccess().apply(withResponse(acknowledged, response));
                acknowledgedWrites++;
            }
            killer.join();
            assertTrue(server.waitFor(30, TimeUnit.SECONDS));

            Process restarted = start(dataDir);
            try {
                State found = readBack();
                State ifApplied = inFlight.onSuccess().apply(withResponse(acknowledged, null));
                boolean applied = found.facts().equals(ifApplied.facts());
                assertTrue(applied || found.facts().equals(acknowledged.facts()),
                        "round " + round + ", in flight: " + inFlight.description()
                                + "\nmissing: " + minus(acknowledged.facts(), found.facts())
                                + "\nunexpected: " + minus(found.facts(), acknowledged.facts()));
                if (applied && !ifApplied.facts().equals(acknowledged.facts())) {
                    inFlightApplied++;
                }
                acknowledged = found;
            } finally {
                restarted.destroyForcibly();
                restarted.waitFor(30, TimeUnit.SECONDS);
            }
        }
        System.out.printf("ServeDurabilityIT: %d SIGKILL rounds, %d acknowledged writes verified, "
                + "%d in-flight writes found applied%n", rounds, acknowledgedWrites, inFlightApplied);
        assertTrue(acknowledgedWrites >= rounds, "the workload ran: " + acknowledgedWrites);
    }

    private static SortedSet<String> minus(SortedSet<String> a, SortedSet<String> b) {
        SortedSet<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }

    /** The create responses carry the new SID: remember it under the key the op will look up. */
    private State withResponse(State state, HttpResponse<String> response) throws IOException {
        State next = state.copy();
        if (response != null && response.statusCode() == 201) {
            next.sids().put("last", JSON.readTree(response.body()).path("sid").asText());
        }
        return next;
    }

    private Op nextOp(State s, String tag) {
        List<String> lists = s.names("L:");
        List<String> credentials = s.names("C:");
        List<String> trunks = s.names("T:");
        List<String> domains = s.names("D:");
        // Grow while small, then keep the size roughly stable.
        boolean shrink = s.facts().size() > 150;
        int pick = random.nextInt(shrink ? 14 : 10);
        String form = "application/x-www-form-urlencoded";
        switch (pick) {
            case 0, 1: {
                String name = "list-" + tag;
                return new Op("create list " + name, "POST", SIP + "/CredentialLists.json", "FriendlyName=" + name,
                        st -> add(st, "L:" + name, "L:" + name));
            }
            case 2, 3, 4: {
                if (lists.isEmpty()) {
                    return null;
                }
                String list = any(lists);
                String user = "u" + tag;
                return new Op("create credential " + list + "/" + user, "POST",
                        SIP + "/CredentialLists/" + s.sids().get("L:" + list) + "/Credentials.json",
                        "Username=" + user + "&Password=" + enc("Durable-Passw0rd-" + tag),
                        st -> add(st, "C:" + list + "/" + user, "C:" + list + "/" + user));
            }
            case 5: {
                String host = "t" + tag + ".trunks.example.com";
                return new Op("create trunk " + host, "POST", "/v1/Trunks",
                        "FriendlyName=trunk-" + tag + "&DomainName=" + host, st -> add(st, "T:" + host, "T:" + host));
            }
            case 6: {
                String host = "d" + tag + ".sip.example.com";
                return new Op("create domain " + host, "POST", SIP + "/Domains.json",
                        "DomainName=" + host + "&FriendlyName=domain-" + tag, st -> add(st, "D:" + host, "D:" + host));
            }
            case 7: {
                if (lists.isEmpty() || trunks.isEmpty() && domains.isEmpty()) {
                    return null;
                }
                String list = any(lists);
                boolean trunk = domains.isEmpty() || !trunks.isEmpty() && random.nextBoolean();
                String host = any(trunk ? trunks : domains);
                String fact = (trunk ? "MT:" : "MD:") + host + "/" + list;
                if (s.facts().contains(fact)) {
                    return null;
                }
                String path = trunk ? "/v1/Trunks/" + s.sids().get("T:" + host) + "/CredentialLists"
                        : SIP + "/Domains/" + s.sids().get("D:" + host) + "/Auth/Calls/CredentialListMappings.json";
                String listSid = s.sids().get("L:" + list);
                return new Op("map " + fact, "POST", path, "CredentialListSid=" + listSid, st -> add(st, fact, null));
            }
            case 8: {
                if (lists.isEmpty()) {
                    return null;
                }
                String old = any(lists);
                String renamed = "renamed-" + tag;
                return new Op("rename list " + old + " to " + renamed, "POST",
                        SIP + "/CredentialLists/" + s.sids().get("L:" + old) + ".json", "FriendlyName=" + renamed,
                        st -> renameList(st, old, renamed));
            }
            case 9, 10: {
                if (credentials.isEmpty()) {
                    return null;
                }
                String credential = any(credentials);
                String list = credential.substring(0, credential.indexOf('/'));
                return new Op("delete credential " + credential, "DELETE",
                        SIP + "/CredentialLists/" + s.sids().get("L:" + list) + "/Credentials/"
                                + s.sids().get("C:" + credential) + ".json", null,
                        st -> remove(st, f -> f.equals("C:" + credential)));
            }
            case 11, 12: {
                if (lists.isEmpty()) {
                    return null;
                }
                String list = any(lists);
                // a list still mapped and holding credentials goes with all of them, atomically
                return new Op("delete list " + list, "DELETE", SIP + "/CredentialLists/" + s.sids().get("L:" + list) + ".json",
                        null, st -> remove(st, f -> f.equals("L:" + list) || f.startsWith("C:" + list + "/")
                                || (f.startsWith("MT:") || f.startsWith("MD:")) && f.endsWith("/" + list)));
            }
            default: {
                boolean trunk = !trunks.isEmpty() && (domains.isEmpty() || random.nextBoolean());
                if (trunks.isEmpty() && domains.isEmpty()) {
                    return null;
                }
                String host = any(trunk ? trunks : domains);
                String path = trunk ? "/v1/Trunks/" + s.sids().get("T:" + host)
                        : SIP + "/Domains/" + s.sids().get("D:" + host) + ".json";
                String kind = trunk ? "T:" : "D:";
                String mappings = trunk ? "MT:" : "MD:";
                return new Op("delete " + kind + host, "DELETE", path, null,
                        st -> remove(st, f -> f.equals(kind + host) || f.startsWith(mappings + host + "/")));
            }
        }
    }

    private String any(List<String> names) {
        return names.get(random.nextInt(names.size()));
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static State add(State s, String fact, String sidKey) {
        State next = s.copy();
        next.facts().add(fact);
        String sid = next.sids().remove("last");
        if (sidKey != null && sid != null) {
            next.sids().put(sidKey, sid);
        }
        return next;
    }

    private static State remove(State s, java.util.function.Predicate<String> gone) {
        State next = s.copy();
        next.facts().removeIf(gone);
        return next;
    }

    private static State renameList(State s, String old, String renamed) {
        State next = new State(new TreeSet<>(), new HashMap<>(s.sids()));
        for (String f : s.facts()) {
            next.facts().add(f.equals("L:" + old) ? "L:" + renamed
                    : f.startsWith("C:" + old + "/") ? "C:" + renamed + f.substring(2 + old.length())
                    : (f.startsWith("MT:") || f.startsWith("MD:")) && f.endsWith("/" + old)
                            ? f.substring(0, f.length() - old.length()) + renamed : f);
        }
        for (Map.Entry<String, String> e : s.sids().entrySet()) {
            if (e.getKey().startsWith("C:" + old + "/")) {
                next.sids().remove(e.getKey());
                next.sids().put("C:" + renamed + e.getKey().substring(2 + old.length()), e.getValue());
            }
        }
        next.sids().put("L:" + renamed, next.sids().remove("L:" + old));
        return next;
    }

    /** The whole account as the restarted server reports it, with the SIDs to go on from. */
    private State readBack() throws IOException, InterruptedException {
        State s = new State(new TreeSet<>(), new HashMap<>());
        Map<String, String> listNames = new HashMap<>();
        for (JsonNode list : getAll(SIP + "/CredentialLists.json?PageSize=1000", "credential_lists")) {
            String name = list.path("friendly_name").asText();
            listNames.put(list.path("sid").asText(), name);
            s.facts().add("L:" + name);
            s.sids().put("L:" + name, list.path("sid").asText());
            for (JsonNode credential : getAll(SIP + "/CredentialLists/" + list.path("sid").asText()
                    + "/Credentials.json?PageSize=1000", "credentials")) {
                String key = "C:" + name + "/" + credential.path("username").asText();
                s.facts().add(key);
                s.sids().put(key, credential.path("sid").asText());
            }
        }
        for (JsonNode trunk : getAll("/v1/Trunks?PageSize=1000", "trunks")) {
            String host = trunk.path("domain_name").asText();
            s.facts().add("T:" + host);
            s.sids().put("T:" + host, trunk.path("sid").asText());
            for (JsonNode m : getAll("/v1/Trunks/" + trunk.path("sid").asText() + "/CredentialLists?PageSize=1000",
                    "credential_lists")) {
                s.facts().add("MT:" + host + "/" + listNames.get(m.path("sid").asText()));
            }
        }
        for (JsonNode domain : getAll(SIP + "/Domains.json?PageSize=1000", "domains")) {
            String host = domain.path("domain_name").asText();
            s.facts().add("D:" + host);
            s.sids().put("D:" + host, domain.path("sid").asText());
            for (JsonNode m : getAll(SIP + "/Domains/" + domain.path("sid").asText()
                    + "/Auth/Calls/CredentialListMappings.json?PageSize=1000", "contents")) {
                s.facts().add("MD:" + host + "/" + listNames.get(m.path("sid").asText()));
            }
        }
        return s;
    }

    private List<JsonNode> getAll(String path, String key) throws IOException, InterruptedException {
        HttpResponse<String> response = send("GET", path, null);
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        JsonNode page = JSON.readTree(response.body());
        // PageSize=1000 holds everything this test creates; a next page would mean the check is incomplete
        assertTrue(page.path("next_page_uri").isNull() || page.path("next_page_uri").isMissingNode(), path);
        assertTrue(page.path("meta").path("next_page_url").isNull() || page.path("meta").isMissingNode(), path);
        List<JsonNode> items = new ArrayList<>();
        page.path(key).forEach(items::add);
        return items;
    }

    private HttpResponse<String> send(String method, String path, String form) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((ACCOUNT + ":" + TOKEN).getBytes(StandardCharsets.UTF_8)));
        if (form != null) {
            b.header("Content-Type", "application/x-www-form-urlencoded")
                    .method(method, HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Starts {@code sipauth.jar serve} on the default H2 store in {@code dataDir}; sets {@link #port}. */
    private Process start(Path dataDir) throws IOException {
        ServeProcess server = ServeProcess.start(Map.of("SIPAUTH_ACCOUNT_SID", ACCOUNT, "SIPAUTH_AUTH_TOKEN", TOKEN),
                List.of("--no-sip", "--admin-port", "0", "--data-dir", dataDir.toString()));
        port = server.port();
        return server.process();
    }
}
