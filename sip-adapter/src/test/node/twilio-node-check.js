// Manual compatibility check with twilio-node (not part of the Maven build).
//   mkdir /tmp/twnode && cd /tmp/twnode && npm install twilio@6.2.0
//   NODE_PATH=/tmp/twnode/node_modules node twilio-node-check.js http://127.0.0.1:PORT AC… TOKEN
// Exits non-zero on the first mismatch.
'use strict';
const assert = require('assert');
const twilio = require('twilio');

const [base, accountSid, authToken] = process.argv.slice(2);

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
    assert.strictEqual(e.status, status, `status of ${e.message}`);
    assert.strictEqual(e.code, code, `code of ${e.message}`);
    return;
  }
  assert.fail(`expected ${status}/${code}`);
}

(async () => {
  const client = twilio(accountSid, authToken, { httpClient: new LoopbackRequestClient(base) });
  const tag = Date.now().toString(36);
  const sip = client.api.v2010.account.sip;

  const list = await sip.credentialLists.create({ friendlyName: `node ${tag}` });
  const cred = await sip.credentialLists(list.sid).credentials.create({ username: 'alice', password: 'Str0ngPassw0rd' });
  assert.strictEqual(cred.username, 'alice');
  assert.ok(cred.dateCreated instanceof Date && !isNaN(cred.dateCreated), 'RFC 2822 date parsed');

  const trunk = await client.trunking.v1.trunks.create({ friendlyName: 'node', domainName: `trunk-${tag}.example.com` });
  assert.ok(trunk.dateCreated instanceof Date && !isNaN(trunk.dateCreated), 'ISO date parsed');
  const domain = await sip.domains.create({ domainName: `domain-${tag}.example.com`, sipRegistration: true });

  const tmap = await client.trunking.v1.trunks(trunk.sid).credentialsLists.create({ credentialListSid: list.sid });
  assert.strictEqual(tmap.sid, list.sid);
  const dmap = await sip.domains(domain.sid).auth.calls.credentialListMappings.create({ credentialListSid: list.sid });
  assert.strictEqual(dmap.friendlyName, `node ${tag}`);
  await sip.domains(domain.sid).auth.registrations.credentialListMappings.create({ credentialListSid: list.sid });

  assert.deepStrictEqual((await client.trunking.v1.trunks(trunk.sid).credentialsLists.list()).map((m) => m.sid), [list.sid]);
  assert.deepStrictEqual((await sip.domains(domain.sid).auth.calls.credentialListMappings.list()).map((m) => m.sid), [list.sid]);
  assert.deepStrictEqual((await sip.domains(domain.sid).credentialListMappings.list()).map((m) => m.sid), [list.sid]);
  assert.strictEqual((await client.trunking.v1.trunks(trunk.sid).fetch()).authType, 'CREDENTIAL_LIST');
  assert.strictEqual((await sip.domains(domain.sid).fetch()).authType, 'CREDENTIAL_LIST');

  // paging across pages in both envelopes
  for (let i = 0; i < 4; i++) {
    await sip.credentialLists(list.sid).credentials.create({ username: `u${i}`, password: `Str0ngPassw0rd${i}` });
    await client.trunking.v1.trunks.create({ friendlyName: `page ${i}` });
  }
  const creds = await sip.credentialLists(list.sid).credentials.list({ pageSize: 2 });
  assert.strictEqual(creds.length, 5);
  const trunks = await client.trunking.v1.trunks.list({ pageSize: 2 });
  assert.ok(trunks.length >= 5, `trunks ${trunks.length}`);

  await expectError(sip.credentialLists(list.sid).credentials.create({ username: 'weak', password: 'password' }), 400, 21243);
  await expectError(sip.domains(domain.sid).auth.calls.credentialListMappings.create({ credentialListSid: list.sid }), 400, 21231);
  await expectError(client.trunking.v1.trunks('TK00000000000000000000000000000000').fetch(), 404, 20404);
  const wrong = twilio(accountSid, authToken + 'x', { httpClient: new LoopbackRequestClient(base) });
  await expectError(wrong.trunking.v1.trunks.list(), 401, 20003);

  assert.strictEqual(await client.trunking.v1.trunks(trunk.sid).credentialsLists(list.sid).remove(), true);
  assert.strictEqual(await sip.domains(domain.sid).auth.calls.credentialListMappings(list.sid).remove(), true);
  assert.strictEqual(await sip.credentialLists(list.sid).remove(), true);
  console.log('twilio-node check passed');
})().catch((e) => { console.error(e); process.exit(1); });
