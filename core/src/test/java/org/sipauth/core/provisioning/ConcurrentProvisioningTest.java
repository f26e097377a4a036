package org.sipauth.core.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.sipauth.core.model.CredentialList;

/** Racing clients through the services: the store's atomic checks leave exactly one winner. */
class ConcurrentProvisioningTest {

    private final Fixture f = new Fixture();

    /** Runs n attempts released together; returns the Twilio codes of the losers (0 = success). */
    private static List<Integer> race(int n, IntConsumer attempt) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        attempt.accept(index);
                        return 0;
                    } catch (ApiException e) {
                        return e.code();
                    }
                }));
            }
            start.countDown();
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> result : results) {
                codes.add(result.get(30, TimeUnit.SECONDS));
            }
            return codes;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sameUsername_oneWins_othersGet21243() throws Exception {
        CredentialList l = f.provisioning.credentialLists().create(f.account, "race");
        List<Integer> codes = race(24, i -> f.provisioning.credentials()
                .create(f.account, l.sid().value(), "same", Fixture.GOOD_PASSWORD));
        assertEquals(1, codes.stream().filter(c -> c == 0).count());
        assertEquals(23, codes.stream().filter(c -> c == ApiException.CREDENTIAL_INVALID).count());
        assertEquals(1, f.store.credentialsOf(l.sid()).size());
    }

    @Test
    void sameDomainName_forTrunksAndDomains_oneWins() throws Exception {
        List<Integer> codes = race(24, i -> {
            if (i % 2 == 0) {
                f.provisioning.trunks().create(f.account, TrunkInput.builder().domainName("Race.Example.com").build());
            } else {
                f.provisioning.sipDomains().create(f.otherAccount,
                        SipDomainInput.builder().domainName("race.example.COM").build());
            }
        });
        assertEquals(1, codes.stream().filter(c -> c == 0).count());
        assertEquals(23, codes.stream().filter(c -> c == ApiException.TRUNK_DOMAIN_TAKEN
                || c == ApiException.DOMAIN_INVALID).count());
        assertEquals(1, f.store.authTargets().size());
    }

    @Test
    void sameListFriendlyName_oneWins() throws Exception {
        List<Integer> codes = race(24, i -> f.provisioning.credentialLists().create(f.account, "staff"));
        assertEquals(1, codes.stream().filter(c -> c == 0).count());
        assertEquals(23, codes.stream().filter(c -> c == ApiException.CREDENTIAL_LIST_INVALID).count());
    }
}
