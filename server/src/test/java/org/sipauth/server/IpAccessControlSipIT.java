package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sip.message.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sipauth.testsip.DigestClient;
import org.sipauth.testsip.SipTestClient;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * IP access control lists end to end: provisioned through the Twilio-style API, enforced on real
 * INVITEs from 127.0.0.1 over UDP and TCP. A target's lists either hold 127.0.0.0/8 or not, with or
 * without a credential list mapped too: inside and IP-only is accepted without a challenge, inside
 * with credentials is challenged and accepted on the right answer, outside is refused with 403 at
 * once either way. A change of a list's entries decides the next INVITE.
 */
class IpAccessControlSipIT {

    private static final String ACCOUNT = "AC" + "ac".repeat(16);
    private static final String TOKEN = "ip-acl-sip-it-token";
    private static final String PASSWORD = "IpAcl1SipSecret";

    @RegisterExtension
    final StartedServers servers = new StartedServers();
    private SipauthServer server;
    private AdminHttp api;
    private String credentialList;

    @BeforeEach
    void start() throws Exception {
        List<String> args = new ArrayList<>(List.of("--admin-port", "0", "--realm", "ip-acl.test", "--store", "memory",
                "--sip-host", "127.0.0.1", "--sip-port", "0"));
        ServerConfig config = CommandLine.populateCommand(new ServeCommand(), args.toArray(String[]::new)).config()
                .toBuilder().account(ACCOUNT, TOKEN).build();
        server = servers.start(new SipauthServer(config));
        api = new AdminHttp(server.adminPort(), ACCOUNT, TOKEN);
        credentialList = api.created(api.sip2010() + "/CredentialLists.json", Map.of("FriendlyName", "staff"));
        Map<String, String> carol = new LinkedHashMap<>();
        carol.put("Username", "carol");
        carol.put("Password", PASSWORD);
        api.created(api.sip2010() + "/CredentialLists/" + credentialList + "/Credentials.json", carol);
    }

    private String ipList(String name) throws Exception {
        return api.created(api.sip2010() + "/IpAccessControlLists.json", Map.of("FriendlyName", name));
    }

    private String entry(String list, String address, String prefix) throws Exception {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("FriendlyName", address);
        form.put("IpAddress", address);
        form.put("CidrPrefixLength", prefix);
        return api.created(api.sip2010() + "/IpAccessControlLists/" + list + "/IpAddresses.json", form);
    }

    /** A trunk for {@code host} with {@code ipList} mapped and, when asked, the credential list. */
    private void trunk(String host, String ipList, boolean withCredentials) throws Exception {
        String trunk = api.created("/v1/Trunks", Map.of("DomainName", host));
        api.created("/v1/Trunks/" + trunk + "/IpAccessControlLists", Map.of("IpAccessControlListSid", ipList));
        if (withCredentials) {
            api.created("/v1/Trunks/" + trunk + "/CredentialLists", Map.of("CredentialListSid", credentialList));
        }
    }

    private static String challengeValue(Response challenge) {
        String value = challenge.getHeader("WWW-Authenticate").toString();
        return value.substring(value.indexOf(':') + 1).trim();
    }

    /**
     * A list holding 127.0.0.0/8 mapped alone to {@code inside-only…}, and one holding 10.0.0.0/8 and
     * ::1 (not 127.0.0.1) alone to {@code outside-only…}; returns their SIDs.
     */
    private List<String> insideAndOutsideOnlyTrunks() throws Exception {
        String loopback = ipList("loopback");
        entry(loopback, "127.0.0.0", "8");
        String elsewhere = ipList("elsewhere");
        entry(elsewhere, "10.0.0.0", "8");
        entry(elsewhere, "::1", "128");
        trunk("inside-only.ip-acl.test", loopback, false);
        trunk("outside-only.ip-acl.test", elsewhere, false);
        return List.of(loopback, elsewhere);
    }

    @Test
    void fromInsideOrOutside_withAndWithoutCredentialLists_overUdpAndTcp() throws Exception {
        List<String> lists = insideAndOutsideOnlyTrunks();
        String loopback = lists.get(0);
        String elsewhere = lists.get(1);
        trunk("inside-digest.ip-acl.test", loopback, true);
        trunk("outside-digest.ip-acl.test", elsewhere, true);

        for (String transport : List.of("udp", "tcp")) {
            try (SipTestClient uac = new SipTestClient(transport, server.sip().orElseThrow().port())) {
                assertEquals(200, uac.newCall("sip:1@inside-only.ip-acl.test").invite().getStatusCode(),
                        transport + ": inside, IP ACL only: accepted without a challenge");
                assertEquals(403, uac.newCall("sip:1@outside-only.ip-acl.test").invite().getStatusCode(),
                        transport + ": outside, IP ACL only");

                String uri = "sip:1@inside-digest.ip-acl.test";
                SipTestClient.Call call = uac.newCall(uri);
                Response challenge = call.invite();
                assertEquals(401, challenge.getStatusCode(), transport + ": inside with credentials: challenged");
                String auth = DigestClient.authorization(challengeValue(challenge), "INVITE", uri, "carol", PASSWORD,
                        "acacacac", 1);
                assertEquals(200, call.invite("Authorization: " + auth).getStatusCode(), transport);

                assertEquals(403, uac.newCall("sip:1@outside-digest.ip-acl.test").invite().getStatusCode(),
                        transport + ": outside with credentials: refused before any challenge");
            }
        }
    }

    /** The decision log names the check that refused, and an INVITE accepted by its source alone has no username. */
    @Test
    void decisionLog_showsSourceNotAllowed_andNoUsernameForAnAcceptanceBySource() throws Exception {
        insideAndOutsideOnlyTrunks();
        ch.qos.logback.classic.Logger decisions =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.sipauth.decisions");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        decisions.addAppender(lines);
        try (SipTestClient uac = new SipTestClient("udp", server.sip().orElseThrow().port())) {
            assertEquals(200, uac.newCall("sip:1@inside-only.ip-acl.test").invite().getStatusCode());
            assertEquals(403, uac.newCall("sip:1@outside-only.ip-acl.test").invite().getStatusCode());
        } finally {
            decisions.detachAppender(lines);
        }
        List<String> messages = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(2, messages.size(), messages.toString());
        assertTrue(messages.get(0).startsWith("outcome=ALLOWED reason=- status=200 "), messages.get(0));
        assertTrue(messages.get(0).contains(" username=- "), messages.get(0));
        assertTrue(messages.get(1).contains("reason=SOURCE_NOT_ALLOWED status=403 "), messages.get(1));
    }

    @Test
    void anEntryAddedOrRemoved_decidesTheNextInvite() throws Exception {
        String list = ipList("office");
        entry(list, "10.0.0.0", "8");
        trunk("office.ip-acl.test", list, false);
        String uri = "sip:1@office.ip-acl.test";
        try (SipTestClient uac = new SipTestClient("udp", server.sip().orElseThrow().port())) {
            assertEquals(403, uac.newCall(uri).invite().getStatusCode());
            String loopback = entry(list, "127.0.0.1", "32");
            assertEquals(200, uac.newCall(uri).invite().getStatusCode());
            assertEquals(204, api.call("DELETE", api.sip2010() + "/IpAccessControlLists/" + list + "/IpAddresses/"
                    + loopback + ".json", Map.of()).statusCode());
            assertEquals(403, uac.newCall(uri).invite().getStatusCode());
            assertEquals(204, api.call("DELETE", api.sip2010() + "/IpAccessControlLists/" + list + ".json", Map.of())
                    .statusCode());
            assertEquals(403, uac.newCall(uri).invite().getStatusCode(), "nothing mapped: refused");
        }
    }
}
