package org.sipauth.core.store.jdbc;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.sipauth.core.model.Credential;
import org.sipauth.core.model.CredentialList;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.Trunk;
import org.sipauth.core.provisioning.Provisioning;
import org.sipauth.core.provisioning.TrunkInput;

/**
 * The child JVM of {@link H2DurabilityIT}: provisions through the provisioning API into an H2 store
 * as fast as it can until it is killed, and prints one line per step to stdout:
 * {@code BEGIN <op> …} before calling the API and {@code ACK <op> …} after it returned. Only ACKed
 * steps count as acknowledged writes.
 *
 * <p>Args: data directory, account SID, auth token, random seed, round number.
 */
public final class DurabilityChild {

    private DurabilityChild() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        String accountSid = args[1];
        String token = args[2];
        Random random = new Random(Long.parseLong(args[3]));
        String round = args[4];
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (JdbcStore store = JdbcStore.h2(dir)) {
            Provisioning p = Provisioning.builder().store(store).realm("durability.test").build();
            Sid account = p.accounts().ensure(accountSid, token).sid();
            out.println("READY");
            List<CredentialList> lists = new ArrayList<>();
            List<Credential> credentials = new ArrayList<>();
            for (int i = 0; ; i++) {
                int op = lists.isEmpty() ? 0 : random.nextInt(10);
                if (op < 2) {
                    String name = "r" + round + "-list" + i;
                    out.println("BEGIN LIST " + name);
                    CredentialList l = p.credentialLists().create(account, name);
                    out.println("ACK LIST " + l.sid() + " " + name);
                    lists.add(l);
                } else if (op < 7) {
                    CredentialList l = lists.get(random.nextInt(lists.size()));
                    String user = "u" + i;
                    out.println("BEGIN CRED " + l.sid() + " " + user);
                    Credential c = p.credentials().create(account, l.sid().value(), user, "Passw0rd-" + i + "-Long");
                    out.println("ACK CRED " + c.sid() + " " + l.sid() + " " + user);
                    credentials.add(c);
                } else if (op < 8) {
                    CredentialList l = lists.get(random.nextInt(lists.size()));
                    String domain = "r" + round + "-t" + i + ".durability.test";
                    out.println("BEGIN TRUNK " + domain);
                    Trunk t = p.trunks().create(account, TrunkInput.builder().friendlyName("t" + i).domainName(domain).build());
                    out.println("ACK TRUNK " + t.sid() + " " + domain);
                    out.println("BEGIN MAP " + t.sid() + " " + l.sid());
                    p.mappings().create(account, MappingKind.TRUNK, t.sid().value(), l.sid().value());
                    out.println("ACK MAP " + t.sid() + " " + l.sid());
                } else if (op < 9 && !credentials.isEmpty()) {
                    Credential c = credentials.remove(random.nextInt(credentials.size()));
                    if (lists.stream().noneMatch(l -> l.sid().equals(c.credentialListSid()))) {
                        continue;
                    }
                    out.println("BEGIN DELCRED " + c.sid());
                    p.credentials().delete(account, c.credentialListSid().value(), c.sid().value());
                    out.println("ACK DELCRED " + c.sid());
                } else if (lists.size() > 3) {
                    CredentialList l = lists.remove(random.nextInt(lists.size()));
                    credentials.removeIf(c -> c.credentialListSid().equals(l.sid()));
                    out.println("BEGIN DELLIST " + l.sid());
                    p.credentialLists().delete(account, l.sid().value());
                    out.println("ACK DELLIST " + l.sid());
                }
            }
        }
    }
}
