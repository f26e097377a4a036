package org.sipauth.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The servers a test started, closed after it: a field with {@code @RegisterExtension}. */
final class StartedServers implements AfterEachCallback {

    private final List<SipauthServer> servers = new ArrayList<>();

    /** Starts {@code server}, which is closed after the test. */
    SipauthServer start(SipauthServer server) throws IOException {
        servers.add(server);
        server.start();
        return server;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        servers.forEach(SipauthServer::close);
        servers.clear();
    }
}
