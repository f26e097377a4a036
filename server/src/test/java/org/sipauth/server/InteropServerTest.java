package org.sipauth.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.sipauth.core.authz.InviteAuthorizer;
import org.sipauth.core.authz.Role;
import org.sipauth.jainsip.AuthorizationEvent;

/**
 * The listener a third-party client talks to in an interop test: started by the test with its
 * engine, keeping the decisions it made, closed after each test; the client's files go to {@link #work}.
 */
abstract class InteropServerTest {

    protected final List<AuthorizationEvent> events = new CopyOnWriteArrayList<>();
    protected SipServer server;
    private InviteAuthorizer engine;

    @TempDir
    protected Path work;

    /**
     * Starts a UAS listener on loopback (any port) deciding with {@code engine} (closed after the
     * listener), that adds each decision to {@link #events} and logs it.
     */
    protected void start(InviteAuthorizer engine) throws IOException {
        this.engine = engine;
        server = SipServer.start(new SipServer.Config("127.0.0.1", 0, Role.UAS, 200, null), engine::authorize, e -> {
            events.add(e);
            SipServer.logDecision(e);
        });
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
        if (engine != null) {
            engine.close();
        }
    }
}
