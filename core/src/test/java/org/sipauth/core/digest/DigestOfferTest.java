package org.sipauth.core.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.model.Trunk;
import org.sipauth.core.store.AuthTarget;

class DigestOfferTest {

    @Test
    void keepsTheOrderGiven_andTellsWhatItOffers() {
        DigestOffer offer = DigestOffer.parse(List.of("sha-256", "MD5"));
        assertEquals(List.of(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5), offer.algorithms());
        assertEquals(List.of("SHA-256", "MD5"), offer.tokens());
        assertTrue(offer.offers(DigestAlgorithm.MD5));
        assertTrue(offer.offers(DigestAlgorithm.SHA_256));
        for (DigestAlgorithm other : List.of(DigestAlgorithm.MD5_SESS, DigestAlgorithm.SHA_256_SESS,
                DigestAlgorithm.SHA_512_256, DigestAlgorithm.SHA_512_256_SESS)) {
            assertFalse(offer.offers(other), other.token());
        }
        assertEquals(DigestOffer.parse(List.of("SHA-256", "md5")), offer);
        assertFalse(offer.equals(DigestOffer.parse(List.of("MD5", "SHA-256"))), "order matters");
    }

    @Test
    void everyAlgorithmOfTheEngine_canBeOffered() {
        List<String> all = Arrays.stream(DigestAlgorithm.values()).map(DigestAlgorithm::token).toList();
        assertEquals(all, DigestOffer.parse(all).tokens());
        assertEquals("MD5, MD5-sess, SHA-256, SHA-256-sess, SHA-512-256, SHA-512-256-sess", DigestOffer.supported());
    }

    @Test
    void emptyUnknownAndRepeatedLists_areRefused() {
        assertThrows(IllegalArgumentException.class, () -> DigestOffer.parse(List.of()));
        assertThrows(IllegalArgumentException.class, () -> DigestOffer.parse(List.of("MD4")));
        assertThrows(IllegalArgumentException.class, () -> DigestOffer.parse(List.of("")));
        assertThrows(IllegalArgumentException.class, () -> DigestOffer.parse(List.of("MD5", "SHA-256", "md5")));
        assertNull(DigestOffer.canonicalTokens(null), "no list of its own");
    }

    @Test
    void modelRecordsAndAuthTargets_holdOnlyValidListsInCanonicalSpelling() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        Sid account = Sid.random(SidKind.ACCOUNT);
        Sid sid = Sid.random(SidKind.TRUNK);
        Trunk trunk = new Trunk(sid, account, null, "t.example.com", null, null, "disable-all", false, false,
                "from-transferee", false, List.of("sha-512-256", "md5-SESS"), t, t);
        assertEquals(List.of("SHA-512-256", "MD5-sess"), trunk.digestAlgorithms());
        assertThrows(IllegalArgumentException.class, () -> new Trunk(sid, account, null, null, null, null,
                "disable-all", false, false, "from-transferee", false, List.of(), t, t));
        assertThrows(IllegalArgumentException.class, () -> new AuthTarget(sid, account, "t.example.com", List.of(),
                List.of(), List.of("MD5", "MD5")));
        assertEquals(List.of("SHA-256"), new AuthTarget(sid, account, "t.example.com", List.of(), List.of(),
                List.of("Sha-256")).digestAlgorithms());
    }
}
