package org.sipauth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.base.Page;
import com.twilio.exception.ApiException;
import com.twilio.http.HttpMethod;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.Domains;
import com.twilio.rest.api.v2010.account.sip.CredentialList;
import com.twilio.rest.api.v2010.account.sip.Domain;
import com.twilio.rest.api.v2010.account.sip.IpAccessControlList;
import com.twilio.rest.api.v2010.account.sip.ipaccesscontrollist.IpAddress;
import com.twilio.rest.api.v2010.account.sip.credentiallist.Credential;
import com.twilio.rest.api.v2010.account.sip.domain.CredentialListMapping;
import com.twilio.rest.api.v2010.account.sip.domain.IpAccessControlListMapping;
import com.twilio.rest.api.v2010.account.sip.domain.authtypes.authtypecalls.AuthCallsIpAccessControlListMapping;
import com.twilio.rest.api.v2010.account.sip.domain.authtypes.authtypecalls.AuthCallsCredentialListMapping;
import com.twilio.rest.api.v2010.account.sip.domain.authtypes.authtyperegistrations.AuthRegistrationsCredentialListMapping;
import com.twilio.rest.trunking.v1.Trunk;
import com.twilio.rest.trunking.v1.trunk.OriginationUrl;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sipauth.core.provisioning.NewAccount;
import org.sipauth.core.store.memory.MemoryStore;

/**
 * Drives every admin API endpoint with the official twilio-java SDK, unchanged, through a client
 * that redirects Twilio's hosts to the real server on an ephemeral loopback port. Each test runs
 * in a fresh account so that list results are exact.
 */
class TwilioSdkIT {

    private static final String PASSWORD = "Str0ngPassw0rd";
    private static SipauthServer server;

    private NewAccount account;
    private LoopbackHttpClient http;
    private TwilioRestClient client;
    private String acct;

    @BeforeAll
    static void startServer() throws Exception {
        server = new SipauthServer(ServerConfig.builder().adminPort(0).sipEnabled(false).build(), new MemoryStore());
        server.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void newAccount() {
        account = server.provisioning().accounts().create("it");
        acct = account.account().sid().value();
        http = new LoopbackHttpClient("http://127.0.0.1:" + server.adminPort());
        client = clientFor(acct, account.authToken(), http);
    }

    @AfterEach
    void noServerErrors() {
        assertTrue(http.statuses().stream().noneMatch(s -> s >= 500), "a 5xx was answered: " + http.statuses());
    }

    private static TwilioRestClient clientFor(String user, String password, LoopbackHttpClient http) {
        return new TwilioRestClient.Builder(user, password).httpClient(http).build();
    }

    private static <T> List<T> all(Iterable<T> records) {
        return StreamSupport.stream(records.spliterator(), false).toList();
    }

    private static void assertApiError(int status, int code, Runnable call) {
        ApiException e = assertThrows(ApiException.class, call::run);
        assertEquals(code, e.getCode(), e.getMessage());
        assertEquals(status, e.getStatusCode(), e.getMessage());
    }

    private static void assertRecent(ZonedDateTime date) {
        assertNotNull(date, "date did not parse");
        assertTrue(Duration.between(date.toInstant(), java.time.Instant.now()).abs().toMinutes() < 5, date.toString());
    }

    private CredentialList newList(String name) {
        return CredentialList.creator(name).create(client);
    }

    // ---- trunking v1 -----------------------------------------------------------------------

    @Test
    void trunks_createFetchUpdateListAcrossPagesDelete() {
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            Trunk t = Trunk.creator().setFriendlyName("trunk " + i).setDomainName("t" + i + "-" + acct.substring(2, 10) + ".example.com")
                    .create(client);
            created.add(t.getSid());
        }
        Trunk trunk = Trunk.creator().setFriendlyName("main").setSecure(true).create(client);
        assertTrue(trunk.getSid().startsWith("TK"));
        assertEquals(acct, trunk.getAccountSid());
        assertEquals("", trunk.getAuthType());
        assertEquals(List.of(), trunk.getAuthTypeSet());
        assertEquals(Trunk.TransferSetting.DISABLE_ALL, trunk.getTransferMode());
        assertEquals(Boolean.TRUE, trunk.getSecure());
        assertRecent(trunk.getDateCreated());
        assertEquals(server.publicUrl() + "/v1/Trunks/" + trunk.getSid(), trunk.getUrl().toString());
        assertEquals(server.publicUrl() + "/v1/Trunks/" + trunk.getSid() + "/CredentialLists",
                trunk.getLinks().get("credential_lists"));

        Trunk fetched = Trunk.fetcher(trunk.getSid()).fetch(client);
        assertEquals("main", fetched.getFriendlyName());
        assertNull(fetched.getDomainName());

        Trunk updated = Trunk.updater(trunk.getSid()).setFriendlyName("renamed").setDomainName("Main-" + acct.substring(2, 10) + ".Example.com")
                .setTransferMode(Trunk.TransferSetting.SIP_ONLY).setDisasterRecoveryUrl("https://dr.example.com/x")
                .setDisasterRecoveryMethod(HttpMethod.GET).setCnamLookupEnabled(true).update(client);
        assertEquals("renamed", updated.getFriendlyName());
        assertRecent(updated.getDateUpdated());
        Trunk after = Trunk.fetcher(trunk.getSid()).fetch(client);
        assertEquals("renamed", after.getFriendlyName());
        assertEquals("main-" + acct.substring(2, 10) + ".example.com", after.getDomainName());
        assertEquals(Trunk.TransferSetting.SIP_ONLY, after.getTransferMode());
        assertEquals(HttpMethod.GET, after.getDisasterRecoveryMethod());
        assertEquals(Boolean.TRUE, after.getCnamLookupEnabled());
        created.add(trunk.getSid());

        com.twilio.base.Reader<Trunk> reader = Trunk.reader().pageSize(2);
        List<Trunk> listed = all(reader.read(client));
        assertEquals(created, listed.stream().map(Trunk::getSid).collect(Collectors.toSet()));
        assertEquals(6, listed.size());

        Page<Trunk> first = Trunk.reader().pageSize(4).firstPage(client);
        assertEquals(4, first.getRecords().size());
        assertTrue(first.hasNextPage());
        Page<Trunk> second = Trunk.reader().nextPage(first, client);
        assertEquals(2, second.getRecords().size());
        assertFalse(second.hasNextPage());
        Page<Trunk> back = Trunk.reader().previousPage(second, client);
        assertEquals(first.getRecords().stream().map(Trunk::getSid).toList(),
                back.getRecords().stream().map(Trunk::getSid).toList());

        assertTrue(Trunk.deleter(trunk.getSid()).delete(client));
        assertApiError(404, 20404, () -> Trunk.fetcher(trunk.getSid()).fetch(client));
        assertApiError(404, 20404, () -> Trunk.deleter(trunk.getSid()).delete(client));
    }

    @Test
    void trunks_validationErrors() {
        assertApiError(400, 400, () -> Trunk.creator().setFriendlyName("x".repeat(65)).create(client));
        assertApiError(400, 400, () -> Trunk.creator().setDomainName("not a host").create(client));
        String name = "taken-" + acct.substring(2, 12) + ".example.com";
        Trunk.creator().setDomainName(name).create(client);
        assertApiError(400, 21248, () -> Trunk.creator().setDomainName(name).create(client));
        assertApiError(404, 20404, () -> Trunk.fetcher("TKnot-a-sid").fetch(client));
        assertApiError(404, 20404, () -> Trunk.fetcher("TK" + "0".repeat(32)).fetch(client));
    }

    @Test
    void trunkCredentialLists_associateFetchListAcrossPagesDissociate() {
        Trunk trunk = Trunk.creator().setFriendlyName("pbx").create(client);
        List<String> lists = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            lists.add(newList("list " + i).getSid());
        }
        for (String cl : lists) {
            com.twilio.rest.trunking.v1.trunk.CredentialList m =
                    com.twilio.rest.trunking.v1.trunk.CredentialList.creator(trunk.getSid(), cl).create(client);
            assertEquals(cl, m.getSid());
            assertEquals(trunk.getSid(), m.getTrunkSid());
            assertEquals(acct, m.getAccountSid());
            assertRecent(m.getDateCreated());
            assertEquals(server.publicUrl() + "/v1/Trunks/" + trunk.getSid() + "/CredentialLists/" + cl, m.getUrl().toString());
        }
        Trunk withAuth = Trunk.fetcher(trunk.getSid()).fetch(client);
        assertEquals("CREDENTIAL_LIST", withAuth.getAuthType());
        assertEquals(List.of("CREDENTIAL_LIST"), withAuth.getAuthTypeSet());

        var fetched = com.twilio.rest.trunking.v1.trunk.CredentialList.fetcher(trunk.getSid(), lists.get(1)).fetch(client);
        assertEquals("list 1", fetched.getFriendlyName());

        var listed = all(com.twilio.rest.trunking.v1.trunk.CredentialList.reader(trunk.getSid()).pageSize(2).read(client));
        assertEquals(lists, listed.stream().map(com.twilio.rest.trunking.v1.trunk.CredentialList::getSid).toList());

        assertApiError(400, 400, () -> com.twilio.rest.trunking.v1.trunk.CredentialList.creator(trunk.getSid(), lists.get(0)).create(client));
        assertApiError(400, 400, () -> com.twilio.rest.trunking.v1.trunk.CredentialList.creator(trunk.getSid(), "CLbad").create(client));
        assertApiError(400, 400, () -> com.twilio.rest.trunking.v1.trunk.CredentialList.creator(trunk.getSid(), "").create(client));
        assertApiError(404, 20404, () -> com.twilio.rest.trunking.v1.trunk.CredentialList
                .creator(trunk.getSid(), "CL" + "1".repeat(32)).create(client));
        assertApiError(404, 20404, () -> com.twilio.rest.trunking.v1.trunk.CredentialList
                .creator("TK" + "1".repeat(32), lists.get(0)).create(client));

        for (String cl : lists) {
            assertTrue(com.twilio.rest.trunking.v1.trunk.CredentialList.deleter(trunk.getSid(), cl).delete(client));
        }
        assertApiError(404, 20404, () -> com.twilio.rest.trunking.v1.trunk.CredentialList.fetcher(trunk.getSid(), lists.get(0)).fetch(client));
        assertEquals("", Trunk.fetcher(trunk.getSid()).fetch(client).getAuthType());
        assertEquals(List.of(), all(com.twilio.rest.trunking.v1.trunk.CredentialList.reader(trunk.getSid()).read(client)));
    }

    @Test
    void trunkOriginationUrls_createFetchUpdateListAcrossPagesDelete() {
        Trunk trunk = Trunk.creator().setFriendlyName("proxy").create(client);
        OriginationUrl primary = OriginationUrl.creator(trunk.getSid(), 20, 10, true, "primary",
                java.net.URI.create("sip:pbx.example.net:5080;transport=tcp")).create(client);
        assertTrue(primary.getSid().matches("OU[0-9a-f]{32}"), primary.getSid());
        assertEquals(acct, primary.getAccountSid());
        assertEquals(trunk.getSid(), primary.getTrunkSid());
        assertEquals(20, primary.getWeight());
        assertEquals(10, primary.getPriority());
        assertEquals(Boolean.TRUE, primary.getEnabled());
        assertEquals("primary", primary.getFriendlyName());
        assertEquals("sip:pbx.example.net:5080;transport=tcp", primary.getSipUrl().toString());
        assertRecent(primary.getDateCreated());
        assertEquals(server.publicUrl() + "/v1/Trunks/" + trunk.getSid() + "/OriginationUrls/" + primary.getSid(),
                primary.getUrl().toString());
        assertEquals(server.publicUrl() + "/v1/Trunks/" + trunk.getSid() + "/OriginationUrls",
                Trunk.fetcher(trunk.getSid()).fetch(client).getLinks().get("origination_urls"));

        OriginationUrl fetched = OriginationUrl.fetcher(trunk.getSid(), primary.getSid()).fetch(client);
        assertEquals(primary.getSipUrl(), fetched.getSipUrl());
        OriginationUrl updated = OriginationUrl.updater(trunk.getSid(), primary.getSid()).setEnabled(false)
                .setPriority(0).setWeight(65535).setSipUrl("sips:pbx.example.net").setFriendlyName("renamed").update(client);
        assertEquals(Boolean.FALSE, updated.getEnabled());
        assertEquals(0, updated.getPriority());
        assertEquals(65535, updated.getWeight());
        assertEquals("sips:pbx.example.net", updated.getSipUrl().toString());
        assertEquals("renamed", OriginationUrl.fetcher(trunk.getSid(), primary.getSid()).fetch(client).getFriendlyName());

        List<String> created = new ArrayList<>(List.of(primary.getSid()));
        for (int i = 0; i < 4; i++) {
            created.add(OriginationUrl.creator(trunk.getSid(), 1, i, true, "backup " + i,
                    java.net.URI.create("sip:192.0.2." + (i + 1))).create(client).getSid());
        }
        assertEquals(created, all(OriginationUrl.reader(trunk.getSid()).pageSize(2).read(client)).stream()
                .map(OriginationUrl::getSid).toList());
        Page<OriginationUrl> first = OriginationUrl.reader(trunk.getSid()).pageSize(3).firstPage(client);
        assertEquals(created.subList(0, 3), first.getRecords().stream().map(OriginationUrl::getSid).toList());
        assertTrue(first.hasNextPage());

        assertApiError(400, 400, () -> OriginationUrl.creator(trunk.getSid(), 0, 10, true, "zero weight",
                java.net.URI.create("sip:pbx.example.net")).create(client));
        assertApiError(400, 400, () -> OriginationUrl.creator(trunk.getSid(), 10, 10, true, "not sip",
                java.net.URI.create("https://pbx.example.net")).create(client));
        assertApiError(404, 20404, () -> OriginationUrl.creator("TK" + "0".repeat(32), 10, 10, true, "no trunk",
                java.net.URI.create("sip:pbx.example.net")).create(client));

        assertTrue(OriginationUrl.deleter(trunk.getSid(), primary.getSid()).delete(client));
        assertApiError(404, 20404, () -> OriginationUrl.fetcher(trunk.getSid(), primary.getSid()).fetch(client));
        assertTrue(Trunk.deleter(trunk.getSid()).delete(client));
        assertApiError(404, 20404, () -> OriginationUrl.reader(trunk.getSid()).read(client).iterator().hasNext());
        assertTrue(server.store().originationUrlsOf(org.sipauth.core.model.Sid.of(
                org.sipauth.core.model.SidKind.TRUNK, trunk.getSid())).isEmpty(), "deleted with the trunk");
    }

    // ---- API 2010 --------------------------------------------------------------------------

    @Test
    void domains_createFetchUpdateListAcrossPagesDelete() {
        String suffix = acct.substring(2, 12) + ".example.com";
        List<String> sids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sids.add(Domain.creator("d" + i + "-" + suffix).setFriendlyName("domain " + i).create(client).getSid());
        }
        Domain domain = Domain.creator("Office-" + suffix).setVoiceUrl("https://app.example.com/voice")
                .setSipRegistration(true).create(client);
        sids.add(domain.getSid());
        assertTrue(domain.getSid().startsWith("SD"));
        assertEquals("office-" + suffix, domain.getDomainName());
        assertEquals("2010-04-01", domain.getApiVersion());
        assertEquals(HttpMethod.POST, domain.getVoiceMethod());
        assertEquals(Boolean.TRUE, domain.getSipRegistration());
        assertEquals("", domain.getAuthType());
        assertRecent(domain.getDateCreated());
        String uri = "/2010-04-01/Accounts/" + acct + "/SIP/Domains/" + domain.getSid();
        assertEquals(uri + ".json", domain.getUri());
        assertEquals(uri + "/CredentialListMappings.json", domain.getSubresourceUris().get("credential_list_mappings"));

        Domain updated = Domain.updater(domain.getSid()).setFriendlyName("office").setVoiceMethod(HttpMethod.GET)
                .setSecure(true).update(client);
        assertEquals("office", updated.getFriendlyName());
        assertEquals(HttpMethod.GET, updated.getVoiceMethod());
        assertEquals(Boolean.TRUE, Domain.fetcher(domain.getSid()).fetch(client).getSecure());

        assertEquals(sids, all(Domain.reader().pageSize(3).read(client)).stream().map(Domain::getSid).toList());

        assertTrue(Domain.deleter(domain.getSid()).delete(client));
        assertApiError(404, 20404, () -> Domain.fetcher(domain.getSid()).fetch(client));
        assertApiError(400, 21231, () -> Domain.creator("").create(client));
        assertApiError(400, 21231, () -> Domain.creator("d0-" + suffix).create(client));
        assertApiError(400, 21231, () -> Domain.updater(sids.get(0)).setVoiceUrl("ftp://x").update(client));
    }

    @Test
    void authCallsMappings_shareTheLegacySet() {
        Domain domain = Domain.creator("calls-" + acct.substring(2, 12) + ".example.com").create(client);
        List<String> lists = List.of(newList("a").getSid(), newList("b").getSid(), newList("c").getSid());
        for (String cl : lists.subList(0, 2)) {
            AuthCallsCredentialListMapping m = AuthCallsCredentialListMapping.creator(domain.getSid(), cl).create(client);
            assertEquals(cl, m.getSid());
            assertEquals(acct, m.getAccountSid());
            assertRecent(m.getDateCreated());
        }
        CredentialListMapping legacy = CredentialListMapping.creator(domain.getSid(), lists.get(2)).create(client);
        assertEquals(domain.getSid(), legacy.getDomainSid());
        assertEquals("c", legacy.getFriendlyName());
        assertEquals("/2010-04-01/Accounts/" + acct + "/SIP/Domains/" + domain.getSid() + "/CredentialListMappings/"
                + lists.get(2) + ".json", legacy.getUri());

        assertEquals(lists, all(AuthCallsCredentialListMapping.reader(domain.getSid()).pageSize(2).read(client))
                .stream().map(AuthCallsCredentialListMapping::getSid).toList());
        assertEquals(lists, all(CredentialListMapping.reader(domain.getSid()).pageSize(2).read(client))
                .stream().map(CredentialListMapping::getSid).toList());
        assertEquals("a", AuthCallsCredentialListMapping.fetcher(domain.getSid(), lists.get(0)).fetch(client).getFriendlyName());
        assertEquals("CREDENTIAL_LIST", Domain.fetcher(domain.getSid()).fetch(client).getAuthType());

        assertApiError(400, 21231, () -> CredentialListMapping.creator(domain.getSid(), lists.get(0)).create(client));
        assertApiError(400, 21231, () -> AuthCallsCredentialListMapping.creator(domain.getSid(), lists.get(2)).create(client));
        assertApiError(400, 21231, () -> AuthCallsCredentialListMapping.creator(domain.getSid(), "").create(client));

        assertTrue(CredentialListMapping.deleter(domain.getSid(), lists.get(0)).delete(client));
        assertApiError(404, 20404, () -> AuthCallsCredentialListMapping.fetcher(domain.getSid(), lists.get(0)).fetch(client));
        assertTrue(AuthCallsCredentialListMapping.deleter(domain.getSid(), lists.get(1)).delete(client));
        assertApiError(404, 20404, () -> CredentialListMapping.fetcher(domain.getSid(), lists.get(1)).fetch(client));
        assertEquals(lists.get(2), CredentialListMapping.fetcher(domain.getSid(), lists.get(2)).fetch(client).getSid());
        assertTrue(AuthCallsCredentialListMapping.deleter(domain.getSid(), lists.get(2)).delete(client));
        assertEquals("", Domain.fetcher(domain.getSid()).fetch(client).getAuthType());
        assertEquals(List.of(), all(AuthCallsCredentialListMapping.reader(domain.getSid()).read(client)));
    }

    @Test
    void authRegistrationsMappings_areSeparateFromCalls() {
        Domain domain = Domain.creator("reg-" + acct.substring(2, 12) + ".example.com").create(client);
        List<String> lists = List.of(newList("r1").getSid(), newList("r2").getSid(), newList("r3").getSid());
        for (String cl : lists) {
            AuthRegistrationsCredentialListMapping m = AuthRegistrationsCredentialListMapping.creator(domain.getSid(), cl)
                    .create(client);
            assertEquals(cl, m.getSid());
            assertRecent(m.getDateUpdated());
        }
        assertEquals(lists, all(AuthRegistrationsCredentialListMapping.reader(domain.getSid()).pageSize(2).read(client))
                .stream().map(AuthRegistrationsCredentialListMapping::getSid).toList());
        assertEquals("r2", AuthRegistrationsCredentialListMapping.fetcher(domain.getSid(), lists.get(1)).fetch(client)
                .getFriendlyName());
        assertEquals(List.of(), all(AuthCallsCredentialListMapping.reader(domain.getSid()).read(client)));
        assertEquals("", Domain.fetcher(domain.getSid()).fetch(client).getAuthType());
        assertApiError(400, 21231, () -> AuthRegistrationsCredentialListMapping.creator(domain.getSid(), lists.get(0)).create(client));

        assertTrue(AuthRegistrationsCredentialListMapping.deleter(domain.getSid(), lists.get(0)).delete(client));
        assertApiError(404, 20404, () -> AuthRegistrationsCredentialListMapping.fetcher(domain.getSid(), lists.get(0)).fetch(client));
        assertApiError(404, 20404, () -> AuthRegistrationsCredentialListMapping.deleter(domain.getSid(), lists.get(0)).delete(client));
    }

    @Test
    void credentialLists_createFetchUpdateListAcrossPagesDelete() {
        List<String> sids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sids.add(newList("staff " + i).getSid());
        }
        CredentialList list = CredentialList.fetcher(sids.get(0)).fetch(client);
        assertEquals("staff 0", list.getFriendlyName());
        assertRecent(list.getDateCreated());
        String uri = "/2010-04-01/Accounts/" + acct + "/SIP/CredentialLists/" + list.getSid();
        assertEquals(uri + ".json", list.getUri());
        assertEquals(uri + "/Credentials.json", list.getSubresourceUris().get("credentials"));

        assertEquals("team", CredentialList.updater(list.getSid(), "team").update(client).getFriendlyName());
        assertEquals("team", CredentialList.fetcher(list.getSid()).fetch(client).getFriendlyName());

        assertEquals(sids, all(CredentialList.reader().pageSize(2).read(client)).stream().map(CredentialList::getSid).toList());

        CredentialList unicode = newList("Büro ☎ 東京");
        assertEquals("Büro ☎ 東京", unicode.getFriendlyName());
        assertEquals("Büro ☎ 東京", CredentialList.fetcher(unicode.getSid()).fetch(client).getFriendlyName());
        assertTrue(CredentialList.deleter(unicode.getSid()).delete(client));

        assertApiError(400, 21240, () -> CredentialList.creator("staff 1").create(client));
        assertApiError(400, 21240, () -> CredentialList.creator("").create(client));
        assertApiError(400, 21240, () -> CredentialList.updater(list.getSid(), "").update(client));

        assertTrue(CredentialList.deleter(list.getSid()).delete(client));
        assertApiError(404, 20404, () -> CredentialList.fetcher(list.getSid()).fetch(client));
    }

    @Test
    void credentials_createFetchUpdateListAcrossPagesDelete() {
        CredentialList list = newList("phones");
        List<String> sids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Credential c = Credential.creator(list.getSid(), "user" + i, PASSWORD + i).create(client);
            assertEquals("user" + i, c.getUsername());
            assertEquals(list.getSid(), c.getCredentialListSid());
            assertRecent(c.getDateCreated());
            sids.add(c.getSid());
        }
        Credential c = Credential.fetcher(list.getSid(), sids.get(2)).fetch(client);
        assertEquals("user2", c.getUsername());
        assertEquals("/2010-04-01/Accounts/" + acct + "/SIP/CredentialLists/" + list.getSid() + "/Credentials/" + c.getSid()
                + ".json", c.getUri());

        Credential updated = Credential.updater(list.getSid(), c.getSid()).setPassword("An0therStrongOne").update(client);
        assertEquals("user2", updated.getUsername());

        assertEquals(sids, all(Credential.reader(list.getSid()).pageSize(2).read(client)).stream().map(Credential::getSid).toList());

        assertApiError(400, 21243, () -> Credential.creator(list.getSid(), "weak", "password").create(client));
        assertApiError(400, 21243, () -> Credential.creator(list.getSid(), "user0", PASSWORD).create(client));
        assertApiError(400, 21243, () -> Credential.creator(list.getSid(), "nopass", "").create(client));
        assertApiError(400, 21243, () -> Credential.creator(list.getSid(), "", PASSWORD).create(client));
        assertApiError(400, 21243, () -> Credential.creator(list.getSid(), "u".repeat(33), PASSWORD).create(client));
        assertApiError(400, 21243, () -> Credential.updater(list.getSid(), c.getSid()).setPassword("alllowercase123").update(client));
        assertApiError(404, 20404, () -> Credential.creator("CL" + "2".repeat(32), "x", PASSWORD).create(client));

        assertTrue(Credential.deleter(list.getSid(), c.getSid()).delete(client));
        assertApiError(404, 20404, () -> Credential.fetcher(list.getSid(), c.getSid()).fetch(client));
        assertEquals(4, all(Credential.reader(list.getSid()).read(client)).size());
    }

    // ---- authentication and isolation ------------------------------------------------------

    @Test
    void ipAccessControlListsAndIpAddresses_createFetchUpdateListAcrossPagesDelete() {
        List<String> sids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sids.add(IpAccessControlList.creator("acl " + i).create(client).getSid());
        }
        IpAccessControlList acl = IpAccessControlList.fetcher(sids.get(0)).fetch(client);
        assertTrue(acl.getSid().startsWith("AL"));
        assertEquals(acct, acl.getAccountSid());
        assertRecent(acl.getDateCreated());
        String uri = "/2010-04-01/Accounts/" + acct + "/SIP/IpAccessControlLists/" + acl.getSid();
        assertEquals(uri + ".json", acl.getUri());
        assertEquals(uri + "/IpAddresses.json", acl.getSubresourceUris().get("ip_addresses"));
        assertEquals("office", IpAccessControlList.updater(acl.getSid(), "office").update(client).getFriendlyName());
        assertEquals(sids, all(IpAccessControlList.reader().pageSize(2).read(client)).stream()
                .map(IpAccessControlList::getSid).toList());

        IpAddress v4 = IpAddress.creator(acl.getSid(), "lan", "10.0.0.0").setCidrPrefixLength(8).create(client);
        assertTrue(v4.getSid().startsWith("IP"));
        assertEquals("10.0.0.0", v4.getIpAddress());
        assertEquals(8, v4.getCidrPrefixLength());
        assertEquals(acl.getSid(), v4.getIpAccessControlListSid());
        assertEquals(uri + "/IpAddresses/" + v4.getSid() + ".json", v4.getUri());
        assertRecent(v4.getDateUpdated());
        IpAddress host = IpAddress.creator(acl.getSid(), "host", "192.0.2.1").create(client);
        assertEquals(32, host.getCidrPrefixLength());
        IpAddress v6 = IpAddress.creator(acl.getSid(), "v6", "2001:db8::").setCidrPrefixLength(32).create(client);
        assertEquals(List.of(v4.getSid(), host.getSid(), v6.getSid()),
                all(IpAddress.reader(acl.getSid()).pageSize(2).read(client)).stream().map(IpAddress::getSid).toList());
        IpAddress moved = IpAddress.updater(acl.getSid(), host.getSid()).setIpAddress("192.0.2.0")
                .setCidrPrefixLength(24).update(client);
        assertEquals("192.0.2.0", moved.getIpAddress());
        assertEquals(24, IpAddress.fetcher(acl.getSid(), host.getSid()).fetch(client).getCidrPrefixLength());

        assertApiError(400, 400, () -> IpAccessControlList.creator("").create(client));
        assertApiError(400, 400, () -> IpAddress.creator(acl.getSid(), "bad", "10.0.0.*").create(client));
        assertApiError(400, 400, () -> IpAddress.creator(acl.getSid(), "bad", "10.0.0.1").setCidrPrefixLength(33)
                .create(client));
        assertApiError(404, 20404, () -> IpAddress.creator("AL" + "1".repeat(32), "x", "10.0.0.1").create(client));

        assertTrue(IpAddress.deleter(acl.getSid(), v6.getSid()).delete(client));
        assertApiError(404, 20404, () -> IpAddress.fetcher(acl.getSid(), v6.getSid()).fetch(client));
        assertTrue(IpAccessControlList.deleter(acl.getSid()).delete(client));
        assertApiError(404, 20404, () -> IpAccessControlList.fetcher(acl.getSid()).fetch(client));
        assertApiError(404, 20404, () -> IpAddress.fetcher(acl.getSid(), v4.getSid()).fetch(client));
    }

    @Test
    void ipAccessControlListMappings_onTrunksAndDomains_showInAuthType_andGoWithTheList() {
        Trunk trunk = Trunk.creator().setFriendlyName("pbx").create(client);
        Domain domain = Domain.creator("acl-" + acct.substring(2, 12) + ".example.com").create(client);
        List<String> acls = List.of(IpAccessControlList.creator("a").create(client).getSid(),
                IpAccessControlList.creator("b").create(client).getSid(),
                IpAccessControlList.creator("c").create(client).getSid());
        for (String al : acls) {
            var m = com.twilio.rest.trunking.v1.trunk.IpAccessControlList.creator(trunk.getSid(), al).create(client);
            assertEquals(al, m.getSid());
            assertEquals(trunk.getSid(), m.getTrunkSid());
            assertEquals(server.publicUrl() + "/v1/Trunks/" + trunk.getSid() + "/IpAccessControlLists/" + al,
                    m.getUrl().toString());
        }
        assertEquals(acls, all(com.twilio.rest.trunking.v1.trunk.IpAccessControlList.reader(trunk.getSid()).pageSize(2)
                .read(client)).stream().map(com.twilio.rest.trunking.v1.trunk.IpAccessControlList::getSid).toList());
        assertEquals("b", com.twilio.rest.trunking.v1.trunk.IpAccessControlList.fetcher(trunk.getSid(), acls.get(1))
                .fetch(client).getFriendlyName());
        Trunk withAcl = Trunk.fetcher(trunk.getSid()).fetch(client);
        assertEquals("IP_ACL", withAcl.getAuthType());
        assertEquals(List.of("IP_ACL"), withAcl.getAuthTypeSet());
        com.twilio.rest.trunking.v1.trunk.CredentialList.creator(trunk.getSid(), newList("creds").getSid()).create(client);
        assertEquals("IP_ACL,CREDENTIAL_LIST", Trunk.fetcher(trunk.getSid()).fetch(client).getAuthType());
        assertEquals(List.of("IP_ACL", "CREDENTIAL_LIST"), Trunk.fetcher(trunk.getSid()).fetch(client).getAuthTypeSet());
        assertApiError(400, 400, () -> com.twilio.rest.trunking.v1.trunk.IpAccessControlList
                .creator(trunk.getSid(), acls.get(0)).create(client));
        assertApiError(404, 20404, () -> com.twilio.rest.trunking.v1.trunk.IpAccessControlList
                .creator(trunk.getSid(), "AL" + "1".repeat(32)).create(client));
        assertTrue(com.twilio.rest.trunking.v1.trunk.IpAccessControlList.deleter(trunk.getSid(), acls.get(2)).delete(client));

        AuthCallsIpAccessControlListMapping calls = AuthCallsIpAccessControlListMapping.creator(domain.getSid(), acls.get(0))
                .create(client);
        assertEquals(acls.get(0), calls.getSid());
        assertEquals("a", calls.getFriendlyName());
        IpAccessControlListMapping legacy = IpAccessControlListMapping.creator(domain.getSid(), acls.get(1)).create(client);
        assertEquals(domain.getSid(), legacy.getDomainSid());
        assertEquals("/2010-04-01/Accounts/" + acct + "/SIP/Domains/" + domain.getSid() + "/IpAccessControlListMappings/"
                + acls.get(1) + ".json", legacy.getUri());
        assertEquals(acls.subList(0, 2), all(AuthCallsIpAccessControlListMapping.reader(domain.getSid()).pageSize(1)
                .read(client)).stream().map(AuthCallsIpAccessControlListMapping::getSid).toList());
        assertEquals(acls.subList(0, 2), all(IpAccessControlListMapping.reader(domain.getSid()).read(client)).stream()
                .map(IpAccessControlListMapping::getSid).toList());
        assertEquals("b", AuthCallsIpAccessControlListMapping.fetcher(domain.getSid(), acls.get(1)).fetch(client)
                .getFriendlyName());
        assertEquals("IP_ACL", Domain.fetcher(domain.getSid()).fetch(client).getAuthType());
        assertApiError(400, 21231, () -> IpAccessControlListMapping.creator(domain.getSid(), acls.get(0)).create(client));
        assertApiError(400, 21231, () -> AuthCallsIpAccessControlListMapping.creator(domain.getSid(), "").create(client));

        // deleting a mapped list removes its mappings, as for credential lists
        assertTrue(IpAccessControlList.deleter(acls.get(0)).delete(client));
        assertApiError(404, 20404, () -> AuthCallsIpAccessControlListMapping.fetcher(domain.getSid(), acls.get(0))
                .fetch(client));
        assertApiError(404, 20404, () -> com.twilio.rest.trunking.v1.trunk.IpAccessControlList
                .fetcher(trunk.getSid(), acls.get(0)).fetch(client));
        assertEquals("b", IpAccessControlListMapping.fetcher(domain.getSid(), acls.get(1)).fetch(client).getFriendlyName());
        assertTrue(AuthCallsIpAccessControlListMapping.deleter(domain.getSid(), acls.get(1)).delete(client));
        assertApiError(404, 20404, () -> IpAccessControlListMapping.fetcher(domain.getSid(), acls.get(1)).fetch(client));
        assertEquals("", Domain.fetcher(domain.getSid()).fetch(client).getAuthType());
        assertEquals(List.of(), all(AuthCallsIpAccessControlListMapping.reader(domain.getSid()).read(client)));
        assertEquals("IP_ACL,CREDENTIAL_LIST", Trunk.fetcher(trunk.getSid()).fetch(client).getAuthType());
    }

    @Test
    void wrongToken_isRejectedWith20003() {
        TwilioRestClient wrong = clientFor(acct, account.authToken() + "x", http);
        assertApiError(401, 20003, () -> Trunk.reader().firstPage(wrong));
        assertApiError(401, 20003, () -> CredentialList.creator("x").create(wrong));
        TwilioRestClient unknown = clientFor("AC" + "f".repeat(32), account.authToken(), http);
        assertApiError(401, 20003, () -> Domain.reader().firstPage(unknown));
    }

    @Test
    void otherAccountsResources_areNotFound() {
        CredentialList mine = newList("mine");
        Trunk myTrunk = Trunk.creator().create(client);
        Domain myDomain = Domain.creator("mine-" + acct.substring(2, 12) + ".example.com").create(client);

        NewAccount other = server.provisioning().accounts().create("other");
        TwilioRestClient otherClient = clientFor(other.account().sid().value(), other.authToken(), http);
        assertApiError(404, 20404, () -> CredentialList.fetcher(mine.getSid()).fetch(otherClient));
        assertApiError(404, 20404, () -> Trunk.fetcher(myTrunk.getSid()).fetch(otherClient));
        assertApiError(404, 20404, () -> Trunk.deleter(myTrunk.getSid()).delete(otherClient));
        assertApiError(404, 20404, () -> Domain.updater(myDomain.getSid()).setFriendlyName("x").update(otherClient));
        assertApiError(404, 20404, () -> Credential.creator(mine.getSid(), "x", PASSWORD).create(otherClient));
        // mapping someone else's list onto my own trunk
        Trunk otherTrunk = Trunk.creator().create(otherClient);
        assertApiError(404, 20404, () -> com.twilio.rest.trunking.v1.trunk.CredentialList
                .creator(otherTrunk.getSid(), mine.getSid()).create(otherClient));
        // the other account's credentials against my account's 2010 path
        assertApiError(404, 20404, () -> CredentialList.reader(acct).firstPage(otherClient));
        assertEquals(List.of(), all(Trunk.reader().read(otherClient)).stream()
                .filter(t -> t.getSid().equals(myTrunk.getSid())).toList());
    }

    // ---- paging URLs and getPage(url) ------------------------------------------------------

    @Test
    void getPage_refusesNonTwilioV1Urls_butNextPageFollowsThem() {
        for (int i = 0; i < 3; i++) {
            Trunk.creator().setFriendlyName("p" + i).create(client);
        }
        Page<Trunk> first = Trunk.reader().pageSize(2).firstPage(client);
        String next = first.getNextPageUrl(Domains.TRUNKING.toString());
        assertTrue(next.startsWith(server.publicUrl() + "/v1/Trunks?PageSize=2&Page=1&PageToken=PA"), next);
        // twilio-java 13.0.1 Reader#getPage(url) only accepts *.twilio.com URLs ...
        ApiException refused = assertThrows(ApiException.class, () -> Trunk.reader().getPage(next, client));
        assertTrue(refused.getMessage().contains("valid Twilio domain"), refused.getMessage());
        // ... while nextPage (what auto-paging uses) requests the absolute URL verbatim.
        assertEquals(1, Trunk.reader().nextPage(first, client).getRecords().size());
    }

    @Test
    void getPage_followsRelative2010Uris() {
        for (int i = 0; i < 3; i++) {
            newList("g" + i);
        }
        com.twilio.base.Reader<CredentialList> reader = CredentialList.reader().pageSize(2);
        Page<CredentialList> first = reader.firstPage(client);
        String next = first.getNextPageUrl(Domains.API.toString());
        assertTrue(next.startsWith("https://api.twilio.com/2010-04-01/Accounts/" + acct + "/SIP/CredentialLists.json?PageSize=2&Page=1"),
                next);
        Page<CredentialList> second = reader.getPage(next, client);
        assertEquals(List.of("g2"), second.getRecords().stream().map(CredentialList::getFriendlyName).toList());
        Page<CredentialList> back = reader.getPage(second.getPreviousPageUrl(Domains.API.toString()), client);
        assertEquals(List.of("g0", "g1"), back.getRecords().stream().map(CredentialList::getFriendlyName).toList());
    }

    @Test
    void getPage_acceptsV1UrlsWhenThePublicUrlIsTwilios() throws Exception {
        Supplier<SipauthServer> twilioNamed = () -> new SipauthServer(ServerConfig.builder().adminPort(0).sipEnabled(false)
                .publicUrl("https://trunking.twilio.com").build(), new MemoryStore());
        try (SipauthServer named = twilioNamed.get()) {
            named.start();
            NewAccount a = named.provisioning().accounts().create("named");
            LoopbackHttpClient loop = new LoopbackHttpClient("http://127.0.0.1:" + named.adminPort());
            TwilioRestClient c = clientFor(a.account().sid().value(), a.authToken(), loop);
            for (int i = 0; i < 3; i++) {
                Trunk.creator().setFriendlyName("n" + i).create(c);
            }
            Page<Trunk> first = Trunk.reader().pageSize(2).firstPage(c);
            String next = first.getNextPageUrl(Domains.TRUNKING.toString());
            assertTrue(next.startsWith("https://trunking.twilio.com/v1/Trunks?"), next);
            assertEquals(List.of("n2"), Trunk.reader().getPage(next, c).getRecords().stream().map(Trunk::getFriendlyName).toList());
            assertEquals(3, all(Trunk.reader().pageSize(1).read(c)).size());
        }
    }
}
