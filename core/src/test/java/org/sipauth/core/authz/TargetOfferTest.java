package org.sipauth.core.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sipauth.core.authz.EngineFixture.ALICE_PASSWORD;
import static org.sipauth.core.authz.EngineFixture.SOURCE;
import static org.sipauth.core.authz.EngineFixture.answer;
import static org.sipauth.core.authz.EngineFixture.invite;
import static org.sipauth.core.authz.EngineFixture.nonceOf;
import static org.sipauth.core.authz.EngineFixture.request;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sipauth.core.authz.AuthDecision.Reason;
import org.sipauth.core.digest.DigestAlgorithm;
import org.sipauth.core.model.MappingKind;
import org.sipauth.core.model.SipDomain;
import org.sipauth.core.provisioning.SipDomainInput;
import org.sipauth.core.provisioning.TrunkInput;

/**
 * A trunk or SIP domain with its own digest algorithm list: its challenges offer that list in its
 * order, only its algorithms are verified, and a target without a list keeps the server-wide offer
 * ({@code SHA-256, MD5} in the fixture). Changes apply on the next request.
 */
class TargetOfferTest {

    private static final String OFFICE = "office.example.com";
    private static final String OFFICE_URI = "sip:100@" + OFFICE;
    private static final String PLAIN = "plain.example.com";

    private final EngineFixture f = new EngineFixture();

    @AfterEach
    void close() {
        f.close();
    }

    private void trunkOffers(String algorithms) {
        f.provisioning.trunks().update(f.account, f.trunk.sid().value(),
                TrunkInput.builder().digestAlgorithms(algorithms).build());
    }

    private static AuthDecision.Challenge challenged(AuthDecision d) {
        return assertInstanceOf(AuthDecision.Challenge.class, d);
    }

    private static List<String> algorithms(AuthDecision d) {
        return challenged(d).challenges().stream().map(DigestChallenge::algorithm).toList();
    }

    private List<String> offeredAt(String host) {
        return algorithms(f.authorizer.authorize(request("INVITE", "sip:1@" + host, host, SOURCE, List.of())));
    }

    @Test
    void eachTargetIsChallengedWithItsOwnListInItsOrder_andTheOthersWithTheServerWideList() {
        trunkOffers("MD5,SHA-256");
        SipDomain office = f.provisioning.sipDomains().create(f.account, SipDomainInput.builder().domainName(OFFICE)
                .digestAlgorithms("SHA-512-256,SHA-256,MD5").build());
        f.provisioning.mappings().create(f.account, MappingKind.DOMAIN_CALLS, office.sid().value(), f.list.sid().value());
        var plain = f.provisioning.trunks().create(f.account, TrunkInput.builder().domainName(PLAIN).build());
        f.provisioning.mappings().create(f.account, MappingKind.TRUNK, plain.sid().value(), f.list.sid().value());

        assertEquals(List.of("MD5", "SHA-256"), offeredAt(EngineFixture.HOST));
        assertEquals(List.of("SHA-512-256", "SHA-256", "MD5"), offeredAt(OFFICE));
        assertEquals(List.of("SHA-256", "MD5"), offeredAt(PLAIN));
        AuthDecision.Challenge c = challenged(f.authorizer.authorize(invite(List.of())));
        assertTrue(c.headerValues().get(0).endsWith("algorithm=MD5, qop=\"auth\""), c.headerValues().get(0));
        assertTrue(c.headerValues().get(1).endsWith("algorithm=SHA-256, qop=\"auth\""), c.headerValues().get(1));

        String nonce = nonceOf(f.authorizer.authorize(request("INVITE", OFFICE_URI, OFFICE, SOURCE, List.of())),
                DigestAlgorithm.SHA_512_256);
        String value = answer(DigestAlgorithm.SHA_512_256, "alice", ALICE_PASSWORD, nonce, "00000001", "0ff1ce",
                OFFICE_URI);
        AuthDecision.Allowed allowed = assertInstanceOf(AuthDecision.Allowed.class,
                f.authorizer.authorize(request("INVITE", OFFICE_URI, OFFICE, SOURCE, List.of(value))));
        assertEquals(office.sid(), allowed.targetSid());
    }

    @Test
    void anAlgorithmOnlyTheTargetOffers_authenticates() {
        trunkOffers("SHA-512-256");
        assertEquals(List.of("SHA-512-256"), algorithms(f.authorizer.authorize(invite(List.of()))));
        assertInstanceOf(AuthDecision.Allowed.class, f.login(DigestAlgorithm.SHA_512_256, "alice", ALICE_PASSWORD));
    }

    @Test
    void anAnswerWithAnAlgorithmTheTargetDoesNotOffer_isChallengedAgainWithTheTargetsOffer() {
        // a genuine MD5 nonce, minted while the trunk still had the server-wide offer
        String nonce = nonceOf(f.authorizer.authorize(invite(List.of())), DigestAlgorithm.MD5);
        String md5 = answer(DigestAlgorithm.MD5, "alice", ALICE_PASSWORD, nonce, "00000001", "c0ffee");
        trunkOffers("SHA-256");

        AuthDecision refused = f.authorizer.authorize(invite(List.of(md5)));
        assertEquals(Reason.UNSUPPORTED_ALGORITHM, challenged(refused).reason());
        assertEquals(List.of("SHA-256"), algorithms(refused));
        assertInstanceOf(AuthDecision.Allowed.class, f.login(DigestAlgorithm.SHA_256, "alice", ALICE_PASSWORD));

        // the same answer passes once MD5 is offered again: the offer alone refused it
        trunkOffers("");
        assertInstanceOf(AuthDecision.Allowed.class, f.authorizer.authorize(invite(List.of(md5))));
    }

    @Test
    void clearingTheList_returnsTheTargetToTheServerWideOffer_onTheNextRequest() {
        trunkOffers("SHA-512-256,MD5");
        assertEquals(List.of("SHA-512-256", "MD5"), offeredAt(EngineFixture.HOST));
        trunkOffers("");
        assertEquals(List.of("SHA-256", "MD5"), offeredAt(EngineFixture.HOST));
        String nonce = nonceOf(f.authorizer.authorize(invite(List.of())), DigestAlgorithm.SHA_256);
        String value = answer(DigestAlgorithm.SHA_512_256, "alice", ALICE_PASSWORD, nonce, "00000001", "c");
        assertEquals(Reason.UNSUPPORTED_ALGORITHM, challenged(f.authorizer.authorize(invite(List.of(value)))).reason());
    }

    @Test
    void staleAndProxyChallenges_offerTheTargetsList() {
        trunkOffers("MD5");
        String nonce = nonceOf(f.authorizer.authorize(invite(List.of())), DigestAlgorithm.MD5);
        f.clock.advanceMillis(301_000);
        AuthDecision stale = f.authorizer.authorize(invite(List.of(
                answer(DigestAlgorithm.MD5, "alice", ALICE_PASSWORD, nonce, "00000001", "c"))));
        assertEquals(Reason.STALE_NONCE, challenged(stale).reason());
        assertTrue(challenged(stale).stale());
        assertEquals(List.of("MD5"), algorithms(stale));

        AuthDecision proxy = f.authorizer.authorize(AuthRequest.builder().method("INVITE").requestUri(EngineFixture.URI)
                .source(SOURCE).role(Role.PROXY).build());
        assertEquals(407, challenged(proxy).status());
        assertEquals(List.of("MD5"), algorithms(proxy));
    }

    @Test
    void anEngineWithTheDefaultOffer_offersATargetsListToo() {
        trunkOffers("SHA-256");
        try (InviteAuthorizer defaults = InviteAuthorizer.builder().provisioning(f.provisioning).clock(f.clock).build()) {
            assertEquals(List.of("SHA-256"), algorithms(defaults.authorize(invite(List.of()))));
            String nonce = nonceOf(defaults.authorize(invite(List.of())), DigestAlgorithm.SHA_256);
            assertInstanceOf(AuthDecision.Allowed.class, defaults.authorize(invite(List.of(
                    answer(DigestAlgorithm.SHA_256, "alice", ALICE_PASSWORD, nonce, "00000001", "c")))));
            trunkOffers("");
            assertEquals(List.of("MD5"), algorithms(defaults.authorize(invite(List.of()))));
        }
    }
}
