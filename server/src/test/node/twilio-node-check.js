// Drives every admin API endpoint with the official twilio-node SDK against a running sipauth
// server. Run by TwilioNodeIT (SIPAUTH_TWILIO_NODE_MODULES=<node_modules dir> mvn verify) or by hand:
//   mkdir /tmp/twnode && cd /tmp/twnode && npm install twilio@6.2.0
//   NODE_PATH=/tmp/twnode/node_modules node twilio-node-check.js http://127.0.0.1:PORT AC… TOKEN
// The account should be empty (list results are compared exactly). Exits non-zero on the first
// mismatch; prints "twilio-node check passed" at the end.
'use strict';
const assert = require('assert');
const twilio = require('twilio');

const [base, accountSid, authToken] = process.argv.slice(2);

/** Sends the SDK's https://*.twilio.com requests to the server, keeping path and query. */
class LoopbackRequestClient extends twilio.RequestClient {
  constructor(target) { super(); this.target = new URL(target); }
  request(opts) {
    const url = new URL(opts.uri);
    url.protocol = this.target.protocol;
    url.host = this.target.host;
    return super.request({ ...opts, uri: url.toString() });
  }
}

async function expectError(promise, status, code) {
  try {
    await promise;
  } catch (e) {
    assert.strictEqual(e.constructor.name, 'RestException', `error type of ${e.message}`);
    assert.strictEqual(e.status, status, `status of ${e.message}`);
    assert.strictEqual(e.code, code, `code of ${e.message}`);
    return;
  }
  assert.fail(`expected ${status}/${code}`);
}

function assertRecent(date, what) {
  assert.ok(date instanceof Date && !isNaN(date), `${what} is a parsed Date: ${date}`);
  assert.ok(Math.abs(Date.now() - date.getTime()) < 5 * 60 * 1000, `${what} is recent: ${date}`);
}

const sids = (records) => records.map((r) => r.sid);

(async () => {
  const client = twilio(accountSid, authToken, { httpClient: new LoopbackRequestClient(base) });
  const tag = Date.now().toString(36);
  const sip = client.api.v2010.account.sip;
  const trunking = client.trunking.v1;

  // ---- credential lists (2010) --------------------------------------------------------------
  const list = await sip.credentialLists.create({ friendlyName: `node ${tag}` });
  assert.match(list.sid, /^CL[0-9a-f]{32}$/);
  assert.strictEqual(list.accountSid, accountSid);
  assertRecent(list.dateCreated, 'credential list dateCreated (RFC 2822)');
  assert.strictEqual(list.uri, `/2010-04-01/Accounts/${accountSid}/SIP/CredentialLists/${list.sid}.json`);
  assert.strictEqual((await sip.credentialLists(list.sid).update({ friendlyName: `staff ${tag}` })).friendlyName, `staff ${tag}`);
  assert.strictEqual((await sip.credentialLists(list.sid).fetch()).friendlyName, `staff ${tag}`);
  const moreLists = [];
  for (let i = 0; i < 3; i++) {
    moreLists.push((await sip.credentialLists.create({ friendlyName: `more ${i}` })).sid);
  }
  assert.deepStrictEqual(sids(await sip.credentialLists.list({ pageSize: 2 })), [list.sid, ...moreLists]);
  const listPage1 = await sip.credentialLists.page({ pageSize: 3 });
  assert.strictEqual(listPage1.instances.length, 3);
  const listPage2 = await listPage1.nextPage();
  assert.deepStrictEqual(sids(listPage2.instances), [moreLists[2]]);
  assert.strictEqual(await listPage2.nextPage(), undefined);
  assert.deepStrictEqual(sids((await listPage2.previousPage()).instances), sids(listPage1.instances));
  await expectError(sip.credentialLists.create({ friendlyName: 'more 0' }), 400, 21240);

  // ---- credentials ----------------------------------------------------------------------------
  const creds = sip.credentialLists(list.sid).credentials;
  const alice = await creds.create({ username: 'alice', password: 'Str0ngPassw0rd' });
  assert.strictEqual(alice.username, 'alice');
  assert.strictEqual(alice.credentialListSid, list.sid);
  assert.strictEqual(alice.password, undefined);
  assertRecent(alice.dateCreated, 'credential dateCreated');
  const credSids = [alice.sid];
  for (let i = 0; i < 4; i++) {
    credSids.push((await creds.create({ username: `u${i}`, password: `Str0ngPassw0rd${i}` })).sid);
  }
  assert.deepStrictEqual(sids(await creds.list({ pageSize: 2 })), credSids);
  assert.strictEqual((await creds(alice.sid).update({ password: 'An0therStrongOne' })).username, 'alice');
  assert.strictEqual((await creds(alice.sid).fetch()).username, 'alice');
  await expectError(creds.create({ username: 'weak', password: 'password' }), 400, 21243);
  await expectError(creds.create({ username: 'alice', password: 'Str0ngPassw0rd' }), 400, 21243);
  await expectError(creds(alice.sid).update({ password: 'alllowercase123' }), 400, 21243);
  assert.strictEqual(await creds(credSids[4]).remove(), true);
  await expectError(creds(credSids[4]).fetch(), 404, 20404);

  // ---- trunks (v1) and their credential lists -------------------------------------------------
  const trunk = await trunking.trunks.create({ friendlyName: 'node', domainName: `trunk-${tag}.example.com`, secure: true });
  assert.match(trunk.sid, /^TK[0-9a-f]{32}$/);
  assertRecent(trunk.dateCreated, 'trunk dateCreated (ISO-8601)');
  assert.strictEqual(trunk.authType, '');
  assert.deepStrictEqual(trunk.authTypeSet, []);
  assert.strictEqual(trunk.secure, true);
  const renamed = await trunking.trunks(trunk.sid).update({ friendlyName: 'renamed', transferMode: 'sip-only' });
  assert.strictEqual(renamed.friendlyName, 'renamed');
  assert.strictEqual((await trunking.trunks(trunk.sid).fetch()).transferMode, 'sip-only');
  const trunkSids = [trunk.sid];
  for (let i = 0; i < 4; i++) {
    trunkSids.push((await trunking.trunks.create({ friendlyName: `page ${i}` })).sid);
  }
  assert.deepStrictEqual(sids(await trunking.trunks.list({ pageSize: 2 })), trunkSids);
  const trunkPage1 = await trunking.trunks.page({ pageSize: 3 });
  const trunkPage2 = await trunkPage1.nextPage();
  assert.deepStrictEqual(sids(trunkPage2.instances), trunkSids.slice(3));
  assert.deepStrictEqual(sids((await trunkPage2.previousPage()).instances), trunkSids.slice(0, 3));

  const trunkLists = trunking.trunks(trunk.sid).credentialsLists; // sic: "credentialsLists"
  const tmap = await trunkLists.create({ credentialListSid: list.sid });
  assert.strictEqual(tmap.sid, list.sid);
  assert.strictEqual(tmap.trunkSid, trunk.sid);
  assert.strictEqual(tmap.friendlyName, `staff ${tag}`);
  for (const cl of moreLists) {
    await trunkLists.create({ credentialListSid: cl });
  }
  assert.deepStrictEqual(sids(await trunkLists.list({ pageSize: 2 })), [list.sid, ...moreLists]);
  assert.strictEqual((await trunkLists(moreLists[0]).fetch()).friendlyName, 'more 0');
  assert.strictEqual((await trunking.trunks(trunk.sid).fetch()).authType, 'CREDENTIAL_LIST');
  await expectError(trunkLists.create({ credentialListSid: list.sid }), 400, 400);
  await expectError(trunkLists.create({ credentialListSid: `CL${'1'.repeat(32)}` }), 404, 20404);
  assert.strictEqual(await trunkLists(moreLists[0]).remove(), true);
  await expectError(trunkLists(moreLists[0]).fetch(), 404, 20404);

  // ---- trunk origination URLs (v1) -------------------------------------------------------------
  const origination = trunking.trunks(trunk.sid).originationUrls;
  const ou = await origination.create({ weight: 20, priority: 10, enabled: true, friendlyName: 'primary',
    sipUrl: 'sip:pbx.example.net:5080;transport=tcp' });
  assert.match(ou.sid, /^OU[0-9a-f]{32}$/);
  assert.strictEqual(ou.accountSid, accountSid);
  assert.strictEqual(ou.trunkSid, trunk.sid);
  assert.strictEqual(ou.weight, 20);
  assert.strictEqual(ou.priority, 10);
  assert.strictEqual(ou.enabled, true);
  assert.strictEqual(ou.sipUrl, 'sip:pbx.example.net:5080;transport=tcp');
  assertRecent(ou.dateCreated, 'origination URL dateCreated (ISO-8601)');
  assert.ok(ou.url.endsWith(`/v1/Trunks/${trunk.sid}/OriginationUrls/${ou.sid}`), ou.url);
  const ouUpdated = await origination(ou.sid).update({ enabled: false, priority: 0, friendlyName: 'renamed' });
  assert.strictEqual(ouUpdated.enabled, false);
  assert.strictEqual(ouUpdated.priority, 0);
  assert.strictEqual(ouUpdated.weight, 20);
  assert.strictEqual((await origination(ou.sid).fetch()).friendlyName, 'renamed');
  const ouSids = [ou.sid];
  for (let i = 0; i < 3; i++) {
    ouSids.push((await origination.create({ weight: 1, priority: i, enabled: true, friendlyName: `backup ${i}`,
      sipUrl: `sip:192.0.2.${i + 1}` })).sid);
  }
  assert.deepStrictEqual(sids(await origination.list({ pageSize: 2 })), ouSids);
  const ouPage1 = await origination.page({ pageSize: 3 });
  assert.deepStrictEqual(sids((await ouPage1.nextPage()).instances), ouSids.slice(3));
  await expectError(origination.create({ weight: 0, priority: 1, enabled: true, friendlyName: 'x', sipUrl: 'sip:a.example' }), 400, 400);
  await expectError(origination.create({ weight: 1, priority: 1, enabled: true, friendlyName: 'x', sipUrl: 'tel:+15550001' }), 400, 400);
  assert.strictEqual(await origination(ou.sid).remove(), true);
  await expectError(origination(ou.sid).fetch(), 404, 20404);

  // ---- SIP domains and their three mapping families --------------------------------------------
  const domain = await sip.domains.create({ domainName: `domain-${tag}.example.com`, sipRegistration: true });
  assert.match(domain.sid, /^SD[0-9a-f]{32}$/);
  assertRecent(domain.dateCreated, 'domain dateCreated');
  assert.strictEqual(domain.sipRegistration, true);
  assert.strictEqual(domain.voiceMethod, 'POST');
  assert.strictEqual((await sip.domains(domain.sid).update({ friendlyName: 'office', voiceUrl: 'https://app.example.com/v' }))
    .voiceUrl, 'https://app.example.com/v');
  assert.strictEqual((await sip.domains(domain.sid).fetch()).friendlyName, 'office');
  const domainSids = [domain.sid];
  for (let i = 0; i < 2; i++) {
    domainSids.push((await sip.domains.create({ domainName: `d${i}-${tag}.example.com` })).sid);
  }
  assert.deepStrictEqual(sids(await sip.domains.list({ pageSize: 2 })), domainSids);
  await expectError(sip.domains.create({ domainName: `domain-${tag}.example.com` }), 400, 21231);

  const calls = sip.domains(domain.sid).auth.calls.credentialListMappings;
  const legacy = sip.domains(domain.sid).credentialListMappings;
  const registrations = sip.domains(domain.sid).auth.registrations.credentialListMappings;
  const dmap = await calls.create({ credentialListSid: list.sid });
  assert.strictEqual(dmap.friendlyName, `staff ${tag}`);
  assertRecent(dmap.dateCreated, 'mapping dateCreated');
  const lmap = await legacy.create({ credentialListSid: moreLists[0] });
  assert.strictEqual(lmap.domainSid, domain.sid);
  await calls.create({ credentialListSid: moreLists[1] });
  const callSids = [list.sid, moreLists[0], moreLists[1]];
  assert.deepStrictEqual(sids(await calls.list({ pageSize: 2 })), callSids);
  assert.deepStrictEqual(sids(await legacy.list({ pageSize: 2 })), callSids);
  assert.strictEqual((await calls(moreLists[0]).fetch()).sid, moreLists[0]);
  assert.strictEqual((await legacy(list.sid).fetch()).friendlyName, `staff ${tag}`);
  assert.strictEqual((await sip.domains(domain.sid).fetch()).authType, 'CREDENTIAL_LIST');
  await expectError(calls.create({ credentialListSid: list.sid }), 400, 21231);
  await expectError(legacy.create({ credentialListSid: moreLists[1] }), 400, 21231);

  for (const cl of [list.sid, moreLists[2]]) {
    await registrations.create({ credentialListSid: cl });
  }
  assert.deepStrictEqual(sids(await registrations.list({ pageSize: 1 })), [list.sid, moreLists[2]]);
  assert.strictEqual((await registrations(moreLists[2]).fetch()).friendlyName, 'more 2');
  await expectError(registrations.create({ credentialListSid: list.sid }), 400, 21231);
  assert.strictEqual(await registrations(moreLists[2]).remove(), true);
  await expectError(registrations(moreLists[2]).fetch(), 404, 20404);

  assert.strictEqual(await legacy(moreLists[1]).remove(), true);
  await expectError(calls(moreLists[1]).fetch(), 404, 20404);
  assert.strictEqual(await calls(moreLists[0]).remove(), true);
  assert.deepStrictEqual(sids(await legacy.list()), [list.sid]);

  // ---- IP access control lists, their addresses and their mappings ----------------------------
  const acls = sip.ipAccessControlLists;
  const acl = await acls.create({ friendlyName: `acl ${tag}` });
  assert.match(acl.sid, /^AL[0-9a-f]{32}$/);
  assertRecent(acl.dateCreated, 'IP access control list dateCreated');
  assert.strictEqual(acl.uri, `/2010-04-01/Accounts/${accountSid}/SIP/IpAccessControlLists/${acl.sid}.json`);
  assert.strictEqual((await acls(acl.sid).update({ friendlyName: 'office' })).friendlyName, 'office');
  assert.strictEqual((await acls(acl.sid).fetch()).friendlyName, 'office');
  const acl2 = (await acls.create({ friendlyName: 'second' })).sid;
  assert.deepStrictEqual(sids(await acls.list({ pageSize: 1 })), [acl.sid, acl2]);
  const ips = acls(acl.sid).ipAddresses;
  const lan = await ips.create({ friendlyName: 'lan', ipAddress: '10.0.0.0', cidrPrefixLength: 8 });
  assert.match(lan.sid, /^IP[0-9a-f]{32}$/);
  assert.strictEqual(lan.cidrPrefixLength, 8);
  assert.strictEqual(lan.ipAccessControlListSid, acl.sid);
  const host = await ips.create({ friendlyName: 'host', ipAddress: '2001:db8::1' });
  assert.strictEqual(host.cidrPrefixLength, 128);
  assert.strictEqual((await ips(host.sid).update({ cidrPrefixLength: 64 })).cidrPrefixLength, 64);
  assert.strictEqual((await ips(lan.sid).fetch()).ipAddress, '10.0.0.0');
  assert.deepStrictEqual(sids(await ips.list({ pageSize: 1 })), [lan.sid, host.sid]);
  await expectError(ips.create({ friendlyName: 'bad', ipAddress: '10.0.0.*' }), 400, 400);
  await expectError(acls.create({ friendlyName: '' }), 400, 400);

  const trunkAcls = trunking.trunks(trunk.sid).ipAccessControlLists;
  const tacl = await trunkAcls.create({ ipAccessControlListSid: acl.sid });
  assert.strictEqual(tacl.sid, acl.sid);
  assert.strictEqual(tacl.trunkSid, trunk.sid);
  assert.strictEqual(tacl.friendlyName, 'office');
  await trunkAcls.create({ ipAccessControlListSid: acl2 });
  assert.deepStrictEqual(sids(await trunkAcls.list({ pageSize: 1 })), [acl.sid, acl2]);
  assert.strictEqual((await trunkAcls(acl2).fetch()).friendlyName, 'second');
  assert.strictEqual((await trunking.trunks(trunk.sid).fetch()).authType, 'IP_ACL,CREDENTIAL_LIST');
  assert.deepStrictEqual((await trunking.trunks(trunk.sid).fetch()).authTypeSet, ['IP_ACL', 'CREDENTIAL_LIST']);
  await expectError(trunkAcls.create({ ipAccessControlListSid: acl.sid }), 400, 400);
  assert.strictEqual(await trunkAcls(acl2).remove(), true);

  const aclCalls = sip.domains(domain.sid).auth.calls.ipAccessControlListMappings;
  const aclLegacy = sip.domains(domain.sid).ipAccessControlListMappings;
  assert.strictEqual((await aclCalls.create({ ipAccessControlListSid: acl.sid })).friendlyName, 'office');
  assert.strictEqual((await aclLegacy.create({ ipAccessControlListSid: acl2 })).domainSid, domain.sid);
  assert.deepStrictEqual(sids(await aclCalls.list({ pageSize: 1 })), [acl.sid, acl2]);
  assert.deepStrictEqual(sids(await aclLegacy.list()), [acl.sid, acl2]);
  assert.strictEqual((await aclLegacy(acl.sid).fetch()).sid, acl.sid);
  assert.strictEqual((await aclCalls(acl2).fetch()).friendlyName, 'second');
  assert.strictEqual((await sip.domains(domain.sid).fetch()).authType, 'IP_ACL,CREDENTIAL_LIST');
  await expectError(aclLegacy.create({ ipAccessControlListSid: acl.sid }), 400, 21231);
  assert.strictEqual(await aclCalls(acl2).remove(), true);
  await expectError(aclLegacy(acl2).fetch(), 404, 20404);
  // deleting a mapped list removes its mappings
  assert.strictEqual(await ips(host.sid).remove(), true);
  assert.strictEqual(await acls(acl.sid).remove(), true);
  await expectError(aclCalls(acl.sid).fetch(), 404, 20404);
  await expectError(trunkAcls(acl.sid).fetch(), 404, 20404);
  assert.strictEqual((await sip.domains(domain.sid).fetch()).authType, 'CREDENTIAL_LIST');
  assert.strictEqual(await acls(acl2).remove(), true);

  // ---- errors: not found, authentication ---------------------------------------------------------
  await expectError(trunking.trunks('TK00000000000000000000000000000000').fetch(), 404, 20404);
  await expectError(trunking.trunks('TKnot-a-sid').fetch(), 404, 20404);
  await expectError(sip.domains(`SD${'0'.repeat(32)}`).fetch(), 404, 20404);
  const wrong = twilio(accountSid, authToken + 'x', { httpClient: new LoopbackRequestClient(base) });
  await expectError(wrong.trunking.v1.trunks.list(), 401, 20003);
  await expectError(wrong.api.v2010.account.sip.credentialLists.list(), 401, 20003);

  // ---- deletes -----------------------------------------------------------------------------------
  assert.strictEqual(await trunking.trunks(trunk.sid).remove(), true);
  await expectError(trunking.trunks(trunk.sid).fetch(), 404, 20404);
  await expectError(origination(ouSids[1]).fetch(), 404, 20404);
  assert.strictEqual(await sip.domains(domain.sid).remove(), true);
  await expectError(sip.domains(domain.sid).fetch(), 404, 20404);
  assert.strictEqual(await sip.credentialLists(list.sid).remove(), true);
  await expectError(sip.credentialLists(list.sid).fetch(), 404, 20404);
  await expectError(creds(alice.sid).fetch(), 404, 20404);
  console.log('twilio-node check passed');
})().catch((e) => { console.error(e); process.exit(1); });
