package org.sipauth.benchmarks;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.sipauth.core.authz.AuthDecision;
import org.sipauth.core.authz.AuthRequest;
import org.sipauth.core.authz.DigestChallenge;
import org.sipauth.core.authz.Role;
import org.sipauth.core.model.Sid;
import org.sipauth.core.model.SidKind;
import org.sipauth.server.SipServer;

/**
 * The load harness's baseline: the same JAIN-SIP stack, adapter and respond mode as
 * {@code sipauth serve}, with the engine replaced by a constant answer — a fixed MD5 challenge
 * when the INVITE carries no credentials, 200 when it carries any. The SIPp call flow is therefore
 * identical message for message, and the harness's ratio is the cost of real authorization.
 * Never accepts anything useful: for benchmarks only.
 *
 * <p>Usage: {@code java [-Dgov.nist.javax.sip.NAME=value ...] -cp benchmarks/target/benchmarks.jar
 * org.sipauth.benchmarks.BareSipResponder [host] [port]}; stack properties given with -D override
 * {@code SipStackDefaults}.
 */
public final class BareSipResponder {

    private static final List<DigestChallenge> CHALLENGE = List.of(new DigestChallenge("sipauth",
            "bare-responder-constant-nonce", null, "MD5", List.of("auth"), false));
    private static final Sid LIST = Sid.random(SidKind.CREDENTIAL_LIST);
    private static final Sid TRUNK = Sid.random(SidKind.TRUNK);

    private BareSipResponder() {
    }

    static AuthDecision decide(AuthRequest request) {
        if (request.credentials().isEmpty()) {
            return new AuthDecision.Challenge(401, CHALLENGE, AuthDecision.Reason.NO_CREDENTIALS);
        }
        return new AuthDecision.Allowed("any", LIST, TRUNK);
    }

    public static void main(String[] args) throws Exception {
        String host = args.length > 0 ? args[0] : "127.0.0.1";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 5070;
        // JAIN-SIP properties given as -Dgov.nist.javax.sip.X=Y / -Djavax.sip.X=Y override the defaults.
        Properties overrides = new Properties();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("gov.nist.javax.sip.") || name.startsWith("javax.sip.")) {
                overrides.setProperty(name, System.getProperty(name));
            }
        }
        SipServer.Config config = new SipServer.Config(host, port, Role.UAS, 200, overrides);
        SipServer server = SipServer.start(config, BareSipResponder::decide, SipServer::logDecision);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "bare-responder-shutdown"));
        System.out.println("bare responder listening on " + host + ":" + server.port());
        stopped.await();
    }
}
