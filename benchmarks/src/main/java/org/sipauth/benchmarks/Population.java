package org.sipauth.benchmarks;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.sipauth.core.model.Credential;
import org.sipauth.core.model.CredentialList;
import org.sipauth.core.model.Ha1Set;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.model.Trunk;
import org.sipauth.core.provisioning.Ha1Calculator;
import org.sipauth.core.provisioning.Provisioning;
import org.sipauth.core.provisioning.TrunkInput;
import org.sipauth.core.store.memory.MemoryStore;

/**
 * A provisioned MemoryStore for benchmarks: {@code lists} credential lists holding
 * {@code credentials} credentials in total, and one trunk per two lists (each trunk mapped to two
 * lists). Bulk credentials share one precomputed {@link Ha1Set} (hashing a million passwords would
 * only slow the setup; the engine stores a packed copy per credential either way). The user
 * {@code alice} on {@code trunk0.bench.example.com} has a real password: {@link #PASSWORD}.
 */
final class Population {

    static final String REALM = "bench.example.com";
    static final String PASSWORD = "Bench-Passw0rd";

    final MemoryStore store = new MemoryStore();
    final List<String> hosts = new ArrayList<>();
    /** usernames[i] lives in a list mapped to hosts[i / ...]: see {@link #pairs}. */
    final List<String[]> pairs = new ArrayList<>();

    Population(int credentials, int lists) {
        Provisioning p = Provisioning.builder().store(store).clock(Clock.systemUTC()).realm(REALM).build();
        Sid account = p.accounts().ensure("AC" + "b".repeat(32), "bench-token").sid();
        List<CredentialList> all = new ArrayList<>(lists);
        for (int i = 0; i < lists; i++) {
            all.add(p.credentialLists().create(account, "list" + i));
        }
        for (int t = 0; t < lists / 2; t++) {
            String host = "trunk" + t + ".bench.example.com";
            Trunk trunk = p.trunks().create(account, TrunkInput.builder().friendlyName("t" + t).domainName(host).build());
            p.mappings().create(account, MappingKind.TRUNK, trunk.sid().value(), all.get(2 * t).sid().value());
            p.mappings().create(account, MappingKind.TRUNK, trunk.sid().value(), all.get(2 * t + 1).sid().value());
            hosts.add(host);
        }
        p.credentials().create(account, all.get(0).sid().value(), "alice", PASSWORD);
        Ha1Set shared = Ha1Calculator.compute("bulk", REALM, PASSWORD);
        Instant now = Instant.now();
        for (int i = 1; i < credentials; i++) {
            int list = i % lists;
            String username = "user" + i;
            store.insertCredential(new Credential(Sid.random(SidKind.CREDENTIAL), account, all.get(list).sid(), username,
                    shared, now, now));
            if (pairs.size() < 65_536) {
                pairs.add(new String[] {hosts.get(list / 2), username});
            }
        }
        pairs.add(new String[] {hosts.get(0), "alice"});
    }
}
