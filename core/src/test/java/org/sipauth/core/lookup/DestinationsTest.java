package org.sipauth.core.lookup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipauth.core.model.OriginationUrl;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.provisioning.OriginationUrlInput;
import org.sipauth.core.provisioning.Provisioning;
import org.sipauth.core.provisioning.SipDomainInput;
import org.sipauth.core.provisioning.TrunkInput;
import org.sipauth.core.store.ChangeEvent;
import org.sipauth.core.store.memory.MemoryStore;

class DestinationsTest {

    private final MemoryStore store = new MemoryStore();
    private final Provisioning p = Provisioning.builder().store(store).realm("sip.example.com").build();
    private final Sid account = p.accounts().create("a").account().sid();
    private final Sid trunk = p.trunks().create(account, TrunkInput.builder().domainName("t.example.com").build()).sid();
    private final Sid domain = p.sipDomains().create(account, SipDomainInput.builder().domainName("d.example.com").build()).sid();
    private final Destinations destinations = new Destinations(store);

    @AfterEach
    void close() {
        destinations.close();
    }

    private OriginationUrl add(Sid target, String name, int priority, int weight, boolean enabled) {
        return p.originationUrls().create(account, target.kind(), target.value(), OriginationUrlInput.builder()
                .friendlyName(name).sipUrl("sip:pbx.example.net").priority(priority).weight(weight).enabled(enabled).build());
    }

    private static List<String> names(List<OriginationUrl> urls) {
        return urls.stream().map(OriginationUrl::friendlyName).toList();
    }

    @Test
    void of_listsEnabledUrls_byPriorityThenWeightDescendingThenSid() {
        add(trunk, "p20", 20, 10, true);
        add(trunk, "p10-w5", 10, 5, true);
        add(trunk, "p10-w50", 10, 50, true);
        add(trunk, "p0-off", 0, 10, false);
        OriginationUrl tieA = add(trunk, "p30-tie", 30, 7, true);
        OriginationUrl tieB = add(trunk, "p30-tie", 30, 7, true);
        add(domain, "domain", 0, 1, true);

        List<OriginationUrl> ordered = destinations.of(trunk);
        assertEquals(List.of("p10-w50", "p10-w5", "p20", "p30-tie", "p30-tie"), names(ordered));
        List<Sid> ties = tieA.sid().value().compareTo(tieB.sid().value()) < 0
                ? List.of(tieA.sid(), tieB.sid()) : List.of(tieB.sid(), tieA.sid());
        assertEquals(ties, List.of(ordered.get(3).sid(), ordered.get(4).sid()));
        assertEquals(List.of("domain"), names(destinations.of(domain)));
        assertEquals(List.of(), destinations.of(Sid.random(SidKind.TRUNK)));
    }

    @Test
    void of_servesFromTheCache_untilAnUrlOfThatTargetChanges() {
        add(trunk, "a", 10, 10, true);
        assertEquals(List.of("a"), names(destinations.of(trunk)));
        assertEquals(List.of(), destinations.of(domain));
        long loads = destinations.loads();
        Sid upperCase = Sid.of(SidKind.TRUNK, "TK" + trunk.value().substring(2).toUpperCase(Locale.ROOT));
        for (int i = 0; i < 10; i++) {
            destinations.of(trunk);
            destinations.of(upperCase);
            destinations.of(domain);
        }
        assertEquals(loads, destinations.loads(), "no store read once cached, in either hex case");

        OriginationUrl b = add(trunk, "b", 5, 10, true);
        assertEquals(List.of("b", "a"), names(destinations.of(trunk)), "a create is seen by the next call");
        assertEquals(List.of(), destinations.of(domain));
        assertEquals(loads + 1, destinations.loads(), "only the changed target was read again");

        p.originationUrls().update(account, SidKind.TRUNK, trunk.value(), b.sid().value(),
                OriginationUrlInput.builder().enabled(false).build());
        assertEquals(List.of("a"), names(destinations.of(trunk)), "disabling takes it out");
        p.originationUrls().update(account, SidKind.TRUNK, trunk.value(), b.sid().value(),
                OriginationUrlInput.builder().enabled(true).priority(50).build());
        assertEquals(List.of("a", "b"), names(destinations.of(trunk)), "a new priority reorders");
        p.originationUrls().delete(account, SidKind.TRUNK, trunk.value(), b.sid().value());
        assertEquals(List.of("a"), names(destinations.of(trunk)), "a delete is seen by the next call");
    }

    @Test
    void deletingTheTarget_emptiesItsDestinations() {
        add(trunk, "a", 10, 10, true);
        add(domain, "d", 10, 10, true);
        assertEquals(1, destinations.of(trunk).size());
        assertEquals(1, destinations.of(domain).size());
        p.trunks().delete(account, trunk.value());
        p.sipDomains().delete(account, domain.value());
        assertTrue(destinations.of(trunk).isEmpty());
        assertTrue(destinations.of(domain).isEmpty());
    }

    @Test
    void reset_dropsEveryCachedTarget() {
        add(trunk, "a", 10, 10, true);
        add(domain, "d", 10, 10, true);
        destinations.of(trunk);
        destinations.of(domain);
        long loads = destinations.loads();
        destinations.onChange(new ChangeEvent(ChangeEvent.Type.RESET, null, null, null));
        destinations.of(trunk);
        destinations.of(domain);
        assertEquals(loads + 2, destinations.loads());
    }

    @Test
    void otherEvents_keepTheCache_andCloseStopsListening() {
        add(trunk, "a", 10, 10, true);
        destinations.of(trunk);
        long loads = destinations.loads();
        p.trunks().update(account, trunk.value(), TrunkInput.builder().friendlyName("renamed").build());
        p.credentialLists().create(account, "staff");
        destinations.of(trunk);
        assertEquals(loads, destinations.loads());

        destinations.close();
        add(trunk, "b", 10, 10, true);
        assertEquals(List.of("a"), names(destinations.of(trunk)), "closed: no longer invalidated");
    }
}
