package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.sip.header.RetryAfterHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sipauth.jainsip.AuthorizingSipListener;
import org.sipauth.testsip.DigestClient;

/** What the drain tests share: a call held by the callee behind the proxy, the probes, a refused INVITE. */
final class DrainFixture {

    static final String HOST = "pbx.sipauth.test";
    static final String CALLEE_URI = "sip:15550001@" + HOST;
    static final String USER = "alice";
    static final String PASSWORD = "Correct1Horse";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private DrainFixture() {
    }

    /**
     * An authenticated INVITE from {@code caller} through the proxy on {@code sipPort}, after its
     * challenge; returns it once sent (the callee decides when it is answered).
     */
    static Request authenticatedInvite(SipPeer caller, int sipPort) throws Exception {
        Request first = caller.invite(CALLEE_URI, sipPort);
        caller.send(first);
        String challenge = caller.awaitResponse(Response.PROXY_AUTHENTICATION_REQUIRED).getHeader("Proxy-Authenticate").toString();
        challenge = challenge.substring(challenge.indexOf(':') + 1).trim();
        Request invite = caller.reinvite(first, "Proxy-Authorization: " + DigestClient.authorization(challenge, Request.INVITE,
                CALLEE_URI, USER, PASSWORD, Long.toHexString(System.nanoTime()), 1));
        caller.send(invite);
        return invite;
    }

    /** The callee's 200 to {@code invite}, once the caller has sent its ACK through the proxy. */
    static Response answeredAndAcknowledged(SipPeer caller, Request invite) throws Exception {
        Response ok = caller.awaitResponse(Response.OK);
        caller.sendStateless(caller.inDialog(Request.ACK, invite, ok));
        return ok;
    }

    /** A new INVITE (no credentials needed) is refused with 503 and Retry-After while draining. */
    static void assertRefused(SipPeer caller, int sipPort) throws Exception {
        caller.send(caller.invite(CALLEE_URI, sipPort));
        Response refused = caller.awaitFinal();
        assertEquals(Response.SERVICE_UNAVAILABLE, refused.getStatusCode(), caller.transport + ": " + refused);
        RetryAfterHeader retryAfter = (RetryAfterHeader) refused.getHeader(RetryAfterHeader.NAME);
        assertEquals(AuthorizingSipListener.DRAINING_RETRY_AFTER_SECONDS, retryAfter.getRetryAfter(), refused.toString());
    }

    /** {@code GET path} on the admin API without credentials: status and body. */
    static HttpResponse<String> get(int adminPort, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
