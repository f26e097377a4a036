package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sipauth.core.store.memory.MemoryStore;

class SipauthServerIT {

    private static final String SID = "AC" + "12".repeat(16);

    private static int health(int port) throws IOException, InterruptedException {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void emptyStore_getsOneCreatedAccount_aPopulatedOneDoesNot() throws Exception {
        MemoryStore store = new MemoryStore();
        try (SipauthServer first = new SipauthServer(ServerConfig.builder().adminPort(0).sipEnabled(false).build(), store)) {
            first.start();
            assertTrue(first.createdAccount().isPresent());
            var created = first.createdAccount().get();
            assertTrue(first.provisioning().accounts().authenticate(created.account().sid().value(), created.authToken()).isPresent());
            SipauthServer second = new SipauthServer(ServerConfig.builder().adminPort(0).sipEnabled(false).build(), store);
            second.start();
            assertTrue(second.createdAccount().isEmpty());
            second.close();
        }
    }

    @Test
    void configuredAccount_isEnsuredWithTheCurrentToken() throws Exception {
        MemoryStore store = new MemoryStore();
        try (SipauthServer server = new SipauthServer(ServerConfig.builder().adminPort(0).sipEnabled(false).account(SID, "old-token").build(), store)) {
            server.start();
            assertTrue(server.createdAccount().isEmpty());
            assertTrue(server.provisioning().accounts().authenticate(SID, "old-token").isPresent());
            server.provisioning().accounts().ensure(SID, "new-token");
            assertTrue(server.provisioning().accounts().authenticate(SID, "old-token").isEmpty());
        }
    }

    @Test
    void malformedConfiguredAccount_failsStart() {
        SipauthServer server = new SipauthServer(ServerConfig.builder().adminPort(0).sipEnabled(false).account("ACbad", "token").build(),
                new MemoryStore());
        assertThrows(IllegalArgumentException.class, server::start);
        server.close();
    }

    @Test
    void close_closesAttachedComponentsLastFirst_thenStopsTheApi() throws Exception {
        List<String> closed = new ArrayList<>();
        SipauthServer server = new SipauthServer(ServerConfig.builder().adminPort(0).sipEnabled(false).build(), new MemoryStore());
        server.start();
        int port = server.adminPort();
        assertEquals(200, health(port));
        server.attach(() -> closed.add("sip"));
        server.attach(() -> closed.add("metrics"));
        assertThrows(IllegalStateException.class, server::start);
        server.close();
        assertEquals(List.of("metrics", "sip"), closed);
        assertThrows(ConnectException.class, () -> health(port));
    }
}
