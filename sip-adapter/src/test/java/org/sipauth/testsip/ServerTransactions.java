package org.sipauth.testsip;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.sipauth.server.SipServer;

/** Waits on the stack's server transaction table, for tests about transaction lifetimes. */
public final class ServerTransactions {

    private ServerTransactions() {
    }

    /** Returns once {@code server} holds no server transaction; fails after {@code limit}. */
    public static void awaitNone(SipServer server, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (server.liveServerTransactions() > 0) {
            assertTrue(System.nanoTime() < end, server.liveServerTransactions() + " transactions after " + limit);
            Thread.sleep(20);
        }
    }
}
