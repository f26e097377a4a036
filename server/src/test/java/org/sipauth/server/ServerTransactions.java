package org.sipauth.server;

import java.time.Duration;
import org.sipauth.core.testing.Await;

/** Waits on the stack's server transaction table, for tests about transaction lifetimes. */
public final class ServerTransactions {

    private ServerTransactions() {
    }

    /** Returns once {@code server} holds no server transaction; fails after {@code limit}. */
    public static void awaitNone(SipServer server, Duration limit) {
        Await.until(limit, () -> server.liveServerTransactions() == 0,
                () -> "no server transaction left; " + server.liveServerTransactions() + " remain");
    }
}
