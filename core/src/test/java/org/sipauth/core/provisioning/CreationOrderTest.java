package org.sipauth.core.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipauth.core.model.CredentialList;
import org.sipauth.core.model.Sid;
import org.sipauth.core.store.memory.MemoryStore;
import org.sipauth.core.testing.TestClock;

/** Rows created within one clock millisecond still list in the order they were created. */
class CreationOrderTest {

    private static final Instant T0 = Instant.parse("2026-11-23T21:00:00Z");

    private static Context frozenAt(Instant instant) {
        return new Context(new MemoryStore(), Clock.fixed(instant, ZoneOffset.UTC), "realm", null);
    }

    @Test
    void listsCreatedInOneMillisecond_comeBackInCreationOrder() {
        Provisioning provisioning = Provisioning.builder().store(new MemoryStore())
                .clock(Clock.fixed(T0, ZoneOffset.UTC)).realm("sip.example.com").build();
        Sid account = provisioning.accounts().ensure("AC" + "1".repeat(32), "token").sid();
        List<CredentialList> created = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            created.add(provisioning.credentialLists().create(account, "list-" + i));
        }
        // with tied dates the order would be that of 40 random SIDs
        assertEquals(created, provisioning.credentialLists().list(account, PageRequest.first(50)).items());
        Page<CredentialList> first = provisioning.credentialLists().list(account, PageRequest.first(15));
        Page<CredentialList> second = provisioning.credentialLists().list(account, first.nextPage());
        assertEquals(created.subList(15, 30), second.items());
    }

    @Test
    void readingsInOneMillisecond_areDistinctAndIncreasing_upToTheLead() {
        Context context = frozenAt(T0);
        Instant previous = Instant.MIN;
        for (long i = 0; i <= Context.MAX_LEAD_MILLIS; i++) {
            Instant now = context.now();
            assertEquals(T0.plusMillis(i), now);
            assertTrue(now.isAfter(previous));
            previous = now;
        }
        // beyond the lead, readings tie rather than run further ahead of the clock
        assertEquals(T0.plusMillis(Context.MAX_LEAD_MILLIS), context.now());
        assertEquals(T0.plusMillis(Context.MAX_LEAD_MILLIS), context.now());
    }

    @Test
    void clockAheadOfTheLastReading_isTakenAsItIs() {
        TestClock clock = TestClock.ticking();
        Context context = new Context(new MemoryStore(), clock, "realm", null);
        clock.set(T0);
        assertEquals(T0.plusMillis(1), context.now());
        clock.set(T0.plusSeconds(5));
        assertEquals(T0.plusSeconds(5).plusMillis(1), context.now());
    }

    @Test
    void clockSteppedBackBeyondTheLead_datesRowsByTheClock() {
        TestClock clock = TestClock.ticking();
        Context context = new Context(new MemoryStore(), clock, "realm", null);
        clock.set(T0);
        context.now();
        clock.set(T0.minusSeconds(60));
        assertEquals(T0.minusSeconds(60).plusMillis(1), context.now());
        // a step back within the lead keeps the order instead
        clock.set(T0.minusSeconds(60).minusMillis(500));
        assertEquals(T0.minusSeconds(60).plusMillis(2), context.now());
    }
}
