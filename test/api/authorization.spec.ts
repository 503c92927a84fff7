// The authorization model against the running API: a role-by-route matrix generated from the OpenAPI document
// (every route x every role x own / another company's object, so a new route without a decision fails here), and
// the leaks an attacker with a competitor's key tried: reading around the scoping by pre-clearance, stepping
// as-of balances, alerts and event views naming other companies' events.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { canReadAlert } from '../../apps/api/src/auth/access-policy';
import { shipment, deployment, startApiFixture, type ApiFixture } from './support/api-fixture';
import { caseOf, COMPETITOR, KEYS, MATRIX, recordWorld, ROLE_NAMES, type Case, type Context, type RoleName } from './support/authorization-world';

let f: ApiFixture;
let ctx: Context;

before(async () => {
  f = await startApiFixture('api_authz', { checkpointsEveryEntries: 5 });
  await recordWorld(f);
  const rows: Array<{ event_publisher: string; event_id: string; seq: string }> = await f.dataSource.query(
    'SELECT DISTINCT ON (event_publisher, event_id) event_publisher, event_id, seq::text FROM ledger_entries ORDER BY event_publisher, event_id, seq',
  );
  const seqs = new Map(rows.map((r) => [`${r.event_publisher}/${r.event_id}`, r.seq]));
  const sizes: Array<{ tree_size: string }> = await f.dataSource.query('SELECT tree_size::text AS tree_size FROM checkpoints c ORDER BY c.tree_size');
  assert.ok(sizes.length >= 2, `checkpoints signed: ${sizes.length}`);
  ctx = {
    seqOf: (publisher, eventId) => seqs.get(`${publisher}/${eventId}`) ?? assert.fail(`no entry of ${publisher}/${eventId}`),
    checkpointSizes: sizes.map((r) => r.tree_size),
  };
});

after(async () => {
  await f?.close();
});

// Sends one matrix case; an event stream is opened, its status and type read, and closed.
async function send(c: Case, key: string | null): Promise<{ status: number; text: string; type: string }> {
  const controller = new AbortController();
  const headers: Record<string, string> = {};
  if (key) headers['x-api-key'] = key;
  if (c.body) headers['content-type'] = 'application/json';
  const res = await fetch(`${f.baseUrl}${c.path}`, { method: c.method, headers, body: c.body ? JSON.stringify(c.body) : undefined, signal: controller.signal });
  const type = res.headers.get('content-type') ?? '';
  const text = type.startsWith('text/event-stream') ? await firstChunks(res, controller) : await res.text();
  return { status: res.status, text, type };
}

async function firstChunks(res: Response, controller: AbortController): Promise<string> {
  const reader = res.body!.getReader();
  let text = '';
  const deadline = Date.now() + 3_000;
  while (!text.includes('event: ready') && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  controller.abort();
  return text;
}

describe('the role-by-route matrix, generated from the OpenAPI document', () => {
  it('has an authorization decision for every route the API documents, and none for a route it does not', async () => {
    const doc = (await f.get('/docs/openapi.json')).body;
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    assert.ok(documented.length >= 12, documented.join());
    assert.deepEqual(documented.filter((r) => !(r in MATRIX)), [], 'routes without an authorization decision in the matrix');
    assert.deepEqual(Object.keys(MATRIX).filter((r) => !documented.includes(r)), [], 'matrix rows for routes that no longer exist');
  });

  it('answers every route x role x (own, other company) as the model says, and never names the competitor', async () => {
    const doc = (await f.get('/docs/openapi.json')).body;
    const failures: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(ops)) {
        const route = `${method.toUpperCase()} ${path}`;
        for (const role of ROLE_NAMES) {
          for (const side of ['own', 'other'] as const) {
            const c = caseOf(route, role, side, ctx);
            const res = await send(c, KEYS[role]);
            const label = `${route} as ${role} on ${side}: ${c.method} ${c.path}`;
            if (res.status !== c.status) failures.push(`${label} -> ${res.status}, expected ${c.status}: ${res.text.slice(0, 200)}`);
            const competitor = COMPETITOR[role];
            if (res.status < 300 && competitor && competitor.test(res.text)) failures.push(`${label} names the competitor: ${res.text.slice(0, 300)}`);
            if (res.status >= 400 && !/^application\/json/.test(res.type)) failures.push(`${label} error is not JSON`);
          }
        }
        const anonymous = await send(caseOf(route, 'regulator', 'own', ctx), null);
        if (anonymous.status !== 401) failures.push(`${route} without a key -> ${anonymous.status}`);
      }
    }
    assert.deepEqual(failures, []);
  });
});

describe('what a chipmaker sees', () => {
  const nvidia = KEYS.chipmaker;

  it('reads a country only as its current total: no entries, past balances, series, forecast or dates', async () => {
    const ae = await f.get('/accounts/country:AE', nvidia);
    assert.equal(ae.status, 200);
    assert.equal(ae.body.access, 'aggregate');
    assert.equal(ae.body.usedTpp, 40_000 * 15_832);
    assert.equal(ae.body.lastOccurredAt, null);
    assert.equal(ae.body.lastSeq, null);
    assert.equal(ae.body.forecast.status, 'withheld');
    assert.equal(ae.body.forecast.windowTo, null);
    assert.deepEqual(ae.body.thresholds.map((t: any) => [t.crossed, t.lastCrossedAt, t.lastAlertId, t.timesCrossed]).slice(0, 2), [
      [true, null, null, null],
      [true, null, null, null],
    ]);
    for (const path of ['/accounts/country:AE/balance?at=2026-01-06T00:00:00Z', '/accounts/country:AE/balance-series', '/accounts/country:AE/entries']) {
      const res = await f.get(path, nvidia);
      assert.equal(res.status, 403, path);
      assert.equal(res.body.error.code, 'FORBIDDEN');
    }
    const list = await f.get('/accounts?kind=country&limit=500', nvidia);
    assert.ok(list.body.items.every((a: any) => a.lastOccurredAt === null && a.lastSeq === null && a.access === 'aggregate'));
    assert.equal((await f.get('/accounts?sort=lastOccurredAt', nvidia)).status, 403);
  });

  it('sees only the alerts its own events caused, with amounts only on accounts it may read', async () => {
    const alerts = (await f.get('/alerts?limit=500', nvidia)).body.items;
    assert.ok(alerts.length >= 2);
    assert.ok(alerts.every((a: any) => a.causedBy.publisher === 'nvidia'));
    const ae = alerts.find((a: any) => a.account === 'country:AE');
    assert.equal(ae.threshold, 0.75);
    assert.equal(ae.usedTpp, 40_000 * 15_832);
    const lpp = alerts.find((a: any) => a.account === 'lpp:acme-ai:2026');
    assert.deepEqual([lpp.kind, lpp.usedTpp, lpp.capTpp, lpp.utilization], ['THRESHOLD_CROSSED', null, null, null]);
  });

  it("sees its own NVEU shipment's entry without the NVEU's balance, and may not prove it", async () => {
    const event = await f.get('/events/nvidia/nv-g42-1', nvidia);
    assert.equal(event.status, 200);
    const entry = event.body.entries.find((e: any) => e.account === 'nveu:g42');
    assert.deepEqual([entry.deltaTpp, entry.balanceTpp, entry.capTpp, entry.hash], [1_000 * 15_832, null, null, null]);
    assert.equal((await f.get(`/proof/entries/${ctx.seqOf('nvidia', 'nv-g42-1')}`, nvidia)).status, 403);
    assert.equal((await f.get(`/proof/entries/${ctx.seqOf('nvidia', 'nv-g42-1')}/inclusion`, nvidia)).status, 403);
    // The event's inclusion proofs cover only the entries nvidia may read: its one entry is on nveu:g42.
    const proofs = await f.get('/proof/events/nvidia/nv-g42-1/inclusion', nvidia);
    assert.equal(proofs.status, 200, proofs.text);
    assert.deepEqual(proofs.body.proofs, []);
    assert.doesNotMatch(proofs.text, /nveu:g42/);
    assert.equal((await f.get('/proof/events/nvidia/nv-g42-1/inclusion', KEYS.regulator)).body.proofs.length, 1);
  });

  it('pre-clears its own shipments only, without the balances of NVEU or LPP accounts it cannot read', async () => {
    const nveu = await f.post('/pre-clearance', shipment({ country: 'AE', quantity: 100, at: '2026-03-01T00:00:00Z', kind: 'NVEU', ref: 'g42' }), nvidia);
    assert.equal(nveu.status, 200, nveu.text);
    const g42 = nveu.body.accounts.find((a: any) => a.account === 'nveu:g42');
    assert.deepEqual([g42.deltaTpp, g42.usedBeforeTpp, g42.usedAfterTpp, g42.capTpp, g42.utilizationBefore, g42.utilizationAfter], [1_583_200, null, null, null, null, null]);
    const lpp = await f.post('/pre-clearance', shipment({ country: 'SA', quantity: 500, at: '2026-03-01T00:00:00Z', kind: 'LPP', consignee: 'acme-ai' }), nvidia);
    assert.ok(lpp.body.accounts.every((a: any) => a.usedBeforeTpp === null && a.capTpp === null), lpp.text);
    assert.ok(lpp.body.alerts.length > 0 && lpp.body.alerts.every((a: any) => a.usedTpp === null));
    assert.doesNotMatch(nveu.text + lpp.text, /amd/);
    for (const other of [
      shipment({ country: 'AE', quantity: 1, at: '2026-03-01T00:00:00Z', publisher: 'amd' }),
      deployment({ veuId: 'nvidia', dc: 'x', country: 'US', quantity: 1, at: '2026-03-01T00:00:00Z', publisher: 'nvidia' }),
    ]) {
      assert.equal((await f.post('/pre-clearance', other, nvidia)).status, 403);
    }
  });
});

describe('what a cloud provider sees', () => {
  const aws = KEYS['cloud-provider'];

  it("may not pre-clear another provider's deployment, nor a shipment, even under its own name", async () => {
    for (const event of [
      deployment({ veuId: 'azure', dc: 'ams-1', country: 'NL', quantity: 1, at: '2026-03-01T00:00:00Z', publisher: 'aws' }),
      deployment({ veuId: 'azure', dc: 'ams-1', country: 'NL', quantity: 1, at: '2026-03-01T00:00:00Z', action: 'REMOVE', publisher: 'aws' }),
      shipment({ country: 'AE', quantity: 1, at: '2026-03-01T00:00:00Z', publisher: 'aws' }),
    ]) {
      const res = await f.post('/pre-clearance', event, aws);
      assert.equal(res.status, 403, res.text);
      assert.doesNotMatch(res.text, /usedTpp|balance/i);
    }
  });

  it('reads its NVEU/UVEU shipment totals in aggregate only: they sum chipmakers\' shipments to it', async () => {
    assert.equal((await f.get('/accounts/uveu:aws:shipped/entries', aws)).status, 403);
    assert.equal((await f.get('/accounts/installed:aws:IN/entries', aws)).status, 200);
  });
});

describe('listings select exactly what the model admits', () => {
  it('gives each role the alerts canReadAlert admits, no more and no fewer', async () => {
    const all = (await f.get('/alerts?limit=500', KEYS.regulator)).body.items;
    assert.ok(all.some((a: any) => a.causedBy.publisher === 'amd') && all.some((a: any) => a.causedBy.publisher === 'azure'));
    const principals: Record<Exclude<RoleName, 'regulator'>, { keyId: string; role: RoleName; org: string }> = {
      chipmaker: { keyId: 'x', role: 'chipmaker', org: 'nvidia' },
      'cloud-provider': { keyId: 'y', role: 'cloud-provider', org: 'aws' },
    };
    for (const [role, p] of Object.entries(principals)) {
      const expected = all.filter((a: any) => canReadAlert(p, { account: a.account, causedByPublisher: a.causedBy.publisher })).map((a: any) => a.alertId);
      const got = (await f.get('/alerts?limit=500', KEYS[role as RoleName])).body.items.map((a: any) => a.alertId);
      assert.deepEqual(got, expected, role);
      assert.ok(got.length > 0, role);
    }
  });
});
