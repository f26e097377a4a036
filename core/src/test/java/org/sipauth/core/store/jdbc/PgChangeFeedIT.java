package org.sipauth.core.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.core.store.ChangeEvent;

/** The LISTEN side of the change feed against a real PostgreSQL. */
class PgChangeFeedIT {

    private PostgresFixture.Database db;
    private JdbcStore store;
    private final BlockingQueue<ChangeEvent> received = new LinkedBlockingQueue<>();

    @BeforeEach
    void open() {
        db = PostgresFixture.newDatabase();
        store = db.storeBuilder().nodeId("listener").listenHeartbeat(Duration.ofMillis(200))
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200)).build();
        store.subscribe(received::add);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void notifyFrom(String payload) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, PgChangeListener.CHANNEL);
            ps.setString(2, payload);
            ps.execute();
        }
    }

    private static ChangeEvent credentialDeleted() {
        return new ChangeEvent(ChangeEvent.Type.CREDENTIAL_DELETED, Sid.random(SidKind.ACCOUNT),
                Sid.random(SidKind.CREDENTIAL), Sid.random(SidKind.CREDENTIAL_LIST));
    }

    @Test
    void otherNodesNotification_becomesLocalEvent() throws Exception {
        ChangeEvent event = credentialDeleted();
        notifyFrom(new ChangePayload("other", event).encode());
        assertEquals(event, received.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void ownNotification_isIgnored_becauseItWasPublishedBeforeCommitReturned() throws Exception {
        notifyFrom(new ChangePayload("listener", credentialDeleted()).encode());
        ChangeEvent marker = credentialDeleted();
        notifyFrom(new ChangePayload("other", marker).encode());
        assertEquals(marker, received.poll(5, TimeUnit.SECONDS), "own event must be skipped, marker delivered");
        assertNull(received.poll(300, TimeUnit.MILLISECONDS));
    }

    @Test
    void unreadableNotification_resetsCaches() throws Exception {
        notifyFrom("2;future-format");
        assertEquals(ChangeEvent.Type.RESET, received.poll(5, TimeUnit.SECONDS).type());
    }

    @Test
    void droppedListenConnection_publishesReset_andResubscribes() throws Exception {
        int pid = store.listenBackendPid();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
            ps.setInt(1, pid);
            ps.execute();
        }
        assertEquals(ChangeEvent.Type.RESET, received.poll(5, TimeUnit.SECONDS).type(), "reset on drop");
        assertEquals(ChangeEvent.Type.RESET, received.poll(5, TimeUnit.SECONDS).type(), "reset after re-LISTEN");
        assertTrue(store.isReachable(), "reachable once LISTEN is back");
        assertNotEquals(pid, store.listenBackendPid());
        ChangeEvent event = credentialDeleted();
        notifyFrom(new ChangePayload("other", event).encode());
        assertEquals(event, received.poll(5, TimeUnit.SECONDS), "notifications flow again after reconnect");
        assertTrue(received.isEmpty());
    }
}
