package org.sipauth.jainsip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.MessageFactoryImpl;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecentTransactionsTest {

    private static final Duration WINDOW = Duration.ofSeconds(32);
    private static final long SLICE = Duration.ofSeconds(4).toNanos();

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RecentTransactions recent = new RecentTransactions(WINDOW, 8, 100_000, now::get);

    private static Request invite(String branch, String sentBy, String callId, String cseq, String fromTag) throws Exception {
        return new MessageFactoryImpl().createRequest(inviteText(branch, sentBy, callId, cseq, fromTag));
    }

    private static String inviteText(String branch, String sentBy, String callId, String cseq, String fromTag) {
        return "INVITE sip:alice@trunk.example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + sentBy + ";branch=" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:bob@example.com>;tag=" + fromTag + "\r\n"
                + "To: <sip:alice@trunk.example.com>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + "\r\n"
                + "Contact: <sip:bob@127.0.0.1:5070>\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    private static final String[] BASE = {"z9hG4bK-1", "127.0.0.1:5070", "call-1@host", "1 INVITE", "t1"};

    @Test
    void aRetransmission_hasTheSameIdentity() throws Exception {
        Request first = invite(BASE[0], BASE[1], BASE[2], BASE[3], BASE[4]);
        Request again = invite(BASE[0], BASE[1], BASE[2], BASE[3], BASE[4]);
        assertEquals(recent.identity(first), recent.identity(again));
        assertNotEquals(0, recent.identity(first));
    }

    @ParameterizedTest(name = "sent-by {0}")
    @CsvSource({"127.0.0.1:5070", "127.0.0.1", "example.com:5062"})
    void aDatagram_andItsParsedRequest_haveTheSameIdentity(String sentBy) throws Exception {
        String text = inviteText(BASE[0], sentBy, BASE[2], BASE[3], BASE[4]);
        RawRequest raw = RawRequest.scan(text.getBytes(StandardCharsets.US_ASCII));
        assertEquals(recent.identity(invite(BASE[0], sentBy, BASE[2], BASE[3], BASE[4])), recent.identity(raw));
        RawRequest other = RawRequest.scan(inviteText("z9hG4bK-2", sentBy, BASE[2], BASE[3], BASE[4])
                .getBytes(StandardCharsets.US_ASCII));
        assertNotEquals(recent.identity(raw), recent.identity(other));
    }

    @ParameterizedTest(name = "differs in field {0}")
    @CsvSource({"0, z9hG4bK-2", "1, 127.0.0.1:5071", "1, 127.0.0.2:5070", "2, call-2@host", "3, 2 INVITE",
            "3, 1 BYE", "4, t2"})
    void anotherTransaction_hasAnotherIdentity(int field, String value) throws Exception {
        String[] other = BASE.clone();
        other[field] = value;
        long base = recent.identity(invite(BASE[0], BASE[1], BASE[2], BASE[3], BASE[4]));
        long changed = recent.identity(invite(other[0], other[1], other[2], other[3], other[4]));
        assertNotEquals(base, changed);
        recent.add(base);
        assertFalse(recent.contains(changed));
    }

    @Test
    void identities_areSeededPerInstance() throws Exception {
        Request request = invite(BASE[0], BASE[1], BASE[2], BASE[3], BASE[4]);
        RecentTransactions other = new RecentTransactions(WINDOW, 8, 100_000, now::get);
        assertNotEquals(recent.identity(request), other.identity(request));
    }

    @Test
    void anEntry_isKeptForTheWholeWindow_andFreedOneSliceLater() {
        recent.add(42);
        now.addAndGet(SLICE - 1); // late in the first slice
        recent.add(43);
        for (int s = 0; s < 8; s++) {
            now.addAndGet(SLICE);
            recent.add(1000 + s); // traffic rotates the slices
        }
        // 32 s after 43 was added (and 36 s - 1 ns after 42): both still there, 42 in its last nanosecond.
        assertTrue(recent.contains(42));
        assertTrue(recent.contains(43));
        now.addAndGet(1);
        assertFalse(recent.contains(42));
        assertFalse(recent.contains(43));
        assertTrue(recent.contains(1000));
    }

    @Test
    void aLongQuietPeriod_forgetsEverything() {
        for (long i = 1; i <= 5000; i++) {
            recent.add(i);
        }
        assertEquals(5000, recent.size());
        now.addAndGet(Duration.ofMinutes(10).toNanos());
        assertFalse(recent.contains(1));
        assertEquals(0, recent.size());
    }

    @Test
    void manyEntries_areAllFound_andNoOthers() {
        SplittableRandom random = new SplittableRandom(7);
        Set<Long> added = new HashSet<>();
        for (int i = 0; i < 90_000; i++) {
            long id = random.nextLong();
            if (id != 0 && added.add(id)) {
                recent.add(id);
            }
        }
        for (long id : added) {
            assertTrue(recent.contains(id));
        }
        for (int i = 0; i < 90_000; i++) {
            long id = random.nextLong();
            if (id != 0 && !added.contains(id)) {
                assertFalse(recent.contains(id));
            }
        }
        assertEquals(0, recent.notRecorded());
    }

    @Test
    void aFullSlice_stopsRecording_withoutLosingWhatItHolds() {
        RecentTransactions small = new RecentTransactions(WINDOW, 8, 1000, now::get);
        for (long i = 1; i <= 5000; i++) {
            small.add(i);
        }
        assertTrue(small.notRecorded() > 0);
        assertTrue(small.size() >= 1000, "size " + small.size());
        assertTrue(small.contains(1));
        assertTrue(small.contains(1000));
        now.addAndGet(SLICE);
        small.add(9999); // the next slice has room again
        assertTrue(small.contains(9999));
    }

    @Test
    void invalidSettings_areRejected() {
        assertThrows(IllegalArgumentException.class, () -> new RecentTransactions(Duration.ZERO, 8, 10, now::get));
        assertThrows(IllegalArgumentException.class, () -> new RecentTransactions(WINDOW, 0, 10, now::get));
        assertThrows(IllegalArgumentException.class, () -> new RecentTransactions(WINDOW, 8, 0, now::get));
    }
}
