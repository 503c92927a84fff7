// The regulator API against a real ledger: a fresh Postgres database with the real migrations, filled through the
// real ledger path (LedgerWriter.processBatch), queried over HTTP the way clients do.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeEvent, loadPolicyPack } from '@app/policy';
import { waitFor } from '@app/testing';
import { deployment, shipment, startApiFixture, veuGrant, type ApiFixture } from './support/api-fixture';

const REGULATOR = 'test-regulator-key';
const NVIDIA = 'test-nvidia-key';
const AWS = 'test-aws-key';
const H100 = 15_832n;

let f: ApiFixture;
const aeShipments = [
  shipment({ country: 'AE', quantity: 10_000, at: '2026-01-05T00:00:00Z', eventId: 'nv-ae-1' }),
  shipment({ country: 'AE', quantity: 15_000, at: '2026-02-01T00:00:00Z', eventId: 'nv-ae-2' }),
  shipment({ country: 'AE', quantity: 10_000, at: '2026-02-20T00:00:00Z', eventId: 'nv-ae-3' }),
];

before(async () => {
  f = await startApiFixture('api_spec');
  await f.addKey(REGULATOR, 'regulator');
  await f.addKey(NVIDIA, 'chipmaker', 'nvidia');
  await f.addKey(AWS, 'cloud-provider', 'aws');
  const result = await f.record([
    ...aeShipments,
    shipment({ country: 'SA', quantity: 1_000, at: '2026-01-10T00:00:00Z', publisher: 'amd', chip: 'H100-SXM', eventId: 'amd-sa-1' }),
    shipment({ country: 'SA', quantity: 100, at: '2026-01-11T00:00:00Z', kind: 'LPP', consignee: 'acme-ai', eventId: 'nv-lpp-1' }),
    shipment({ country: 'GB', quantity: 5_000, at: '2026-01-12T00:00:00Z', eventId: 'nv-gb-1' }),
    shipment({ country: 'CN', quantity: 10, at: '2026-01-15T00:00:00Z', eventId: 'nv-cn-1' }),
    veuGrant({ id: 'aws', kind: 'UVEU', headquarters: 'US', at: '2026-01-01T00:00:00Z' }),
    veuGrant({ id: 'azure', kind: 'UVEU', headquarters: 'US', at: '2026-01-01T00:00:00Z' }),
    deployment({ veuId: 'aws', dc: 'iad-1', country: 'US', quantity: 40_000, at: '2026-01-20T00:00:00Z' }),
    deployment({ veuId: 'aws', dc: 'bom-1', country: 'IN', quantity: 3_000, at: '2026-01-21T00:00:00Z' }),
    deployment({ veuId: 'azure', dc: 'ams-1', country: 'NL', quantity: 100, at: '2026-01-22T00:00:00Z' }),
  ]);
  assert.equal(result.rejected, 0, JSON.stringify(result.results.filter((r) => r.status === 'rejected')));
});

after(async () => {
  await f?.close();
});

// Each path, read with this key, is refused with this status and the error shape's code.
async function assertRefused(key: string, status: number, code: string, paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    const res = await f.get(path, key);
    assert.equal(res.status, status, path);
    assert.equal(res.body.error.code, code, path);
  }
}

describe('authentication and roles', () => {
  it('answers 401 without a key, with an unknown key, and for ?key= outside the stream', async () => {
    for (const [path, key] of [
      ['/accounts', null],
      ['/accounts', 'not-a-key'],
      [`/accounts?key=${REGULATOR}`, null],
    ] as const) {
      const res = await f.get(path, key);
      assert.equal(res.status, 401, path);
      assert.equal(res.body.error.code, 'UNAUTHENTICATED');
    }
  });

  it("lets a chipmaker read country totals but nothing else (see authorization.spec.ts for what's withheld)", async () => {
    const list = await f.get('/accounts?limit=500', NVIDIA);
    assert.equal(list.status, 200);
    assert.ok(list.body.items.length >= 4);
    assert.ok(list.body.items.every((a: any) => a.kind === 'country'));
    assert.equal((await f.get('/accounts/country:SA', NVIDIA)).status, 200);
    await assertRefused(NVIDIA, 403, 'FORBIDDEN', [
      '/accounts?kind=lpp',
      '/accounts/uveu:aws:outside-tier1',
      '/accounts/lpp:acme-ai:2026',
      // Entries and past balances date and size other chipmakers' shipments.
      '/accounts/country:AE/entries',
      '/accounts/country:AE/balance?at=2026-02-01T00:00:00Z',
      '/events/amd/amd-sa-1',
    ]);
    assert.equal((await f.get('/events/nvidia/nv-ae-1', NVIDIA)).status, 200);
  });

  it("lets a cloud provider read its own VEU's accounts and deployments only", async () => {
    const list = await f.get('/accounts?limit=500', AWS);
    assert.equal(list.status, 200);
    const ids = list.body.items.map((a: any) => a.account).sort();
    assert.ok(ids.includes('installed:aws:IN'));
    assert.ok(ids.includes('uveu:aws:outside-tier1'));
    assert.ok(ids.every((id: string) => id.includes(':aws:') || id === 'nveu:aws'), ids.join());
    assert.equal((await f.get('/accounts/installed:aws:IN/entries', AWS)).status, 200);
    assert.equal((await f.get('/accounts/uveu:azure:outside-tier1', AWS)).status, 403);
    assert.equal((await f.get('/accounts/country:AE', AWS)).status, 403);
    assert.equal((await f.get('/accounts?veu=azure', AWS)).status, 403);
    assert.equal((await f.get('/events/nvidia/nv-ae-1', AWS)).status, 403);
    const alerts = await f.get('/alerts?limit=500', AWS);
    assert.ok(alerts.body.items.length > 0);
    assert.ok(alerts.body.items.every((a: any) => a.account.includes(':aws:')));
  });

  it('lets a regulator read everything', async () => {
    for (const path of ['/accounts/lpp:acme-ai:2026', '/accounts/country:AE/entries', '/events/amd/amd-sa-1', '/accounts/uveu:azure:outside-tier1']) {
      assert.equal((await f.get(path, REGULATOR)).status, 200, path);
    }
  });
});

describe('accounts', () => {
  it('ranks countries by utilization with exact amounts', async () => {
    const res = await f.get('/accounts?kind=country&sort=utilization&order=desc', REGULATOR);
    assert.equal(res.status, 200);
    const [first] = res.body.items;
    assert.equal(first.account, 'country:AE');
    // Amounts are JSON integers, digit for digit.
    assert.match(res.text, /"usedTpp":554120000,"capTpp":790000000/);
    assert.equal(first.tier, 2);
  });

  it('filters by tier, country, VEU, kind and utilization', async () => {
    const ids = async (q: string) => (await f.get(`/accounts?${q}`, REGULATOR)).body.items.map((a: any) => a.account).sort();
    assert.deepEqual(await ids('tier=3'), ['country:CN']);
    assert.deepEqual(await ids('tier=1&kind=country'), ['country:GB']);
    assert.deepEqual(await ids('country=AE'), ['country:AE']);
    assert.deepEqual(await ids('kind=country&utilizationAbove=0.5'), ['country:AE']);
    assert.deepEqual(await ids('kind=uveu-country&veu=aws'), ['uveu:aws:country:IN']);
    assert.ok((await ids('veu=aws')).every((id: string) => id.includes('aws')));
  });

  it('pages through a listing with a keyset cursor without gaps or repeats', async () => {
    const all = (await f.get('/accounts?limit=500&sort=usedTpp', REGULATOR)).body.items.map((a: any) => a.account);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 50; page++) {
      const res: { body: any } = await f.get(`/accounts?limit=3&sort=usedTpp${cursor ? `&cursor=${cursor}` : ''}`, REGULATOR);
      assert.ok(res.body.items.length <= 3);
      seen.push(...res.body.items.map((a: any) => a.account));
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    assert.deepEqual(seen, all);
    assert.ok(all.length > 6);
  });

  it('shows an account with its cap, crossed thresholds and projected exhaustion date', async () => {
    const res = await f.get('/accounts/country:AE', REGULATOR);
    assert.equal(res.status, 200);
    const a = res.body;
    assert.equal(a.capTpp, 790_000_000);
    assert.equal(a.usedTpp, Number(35_000n * H100));
    assert.deepEqual(
      a.thresholds.map((t: any) => [t.threshold, t.crossed]),
      [[0.5, true], [0.75, false], [0.9, false], [1, false]],
    );
    // Trailing 30 days before the latest entry (2026-02-20): the 2026-02-01 and 2026-02-20 shipments.
    const windowDelta = 25_000n * H100;
    const remaining = 790_000_000n - 35_000n * H100;
    const windowMs = 30n * 86_400_000n;
    const expectedMs = BigInt(Date.parse('2026-02-20T00:00:00Z')) + (remaining * windowMs + windowDelta - 1n) / windowDelta;
    assert.equal(a.forecast.status, 'projected');
    assert.equal(a.forecast.windowDeltaTpp, Number(windowDelta));
    assert.equal(a.forecast.projectedExhaustionAt, new Date(Number(expectedMs)).toISOString());
  });

  it('gives no exhaustion date to an uncapped account', async () => {
    const gb = (await f.get('/accounts/country:GB', REGULATOR)).body;
    assert.equal(gb.capTpp, null);
    assert.equal(gb.forecast.status, 'uncapped');
    assert.equal(gb.forecast.projectedExhaustionAt, null);
  });

  it('answers 404 for an account that does not exist', async () => {
    const res = await f.get('/accounts/country:FR', REGULATOR);
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'NOT_FOUND');
  });
});

describe('history', () => {
  it("pages an account's entries by seq", async () => {
    const first = await f.get('/accounts/country:AE/entries?order=asc&limit=2', REGULATOR);
    assert.equal(first.status, 200);
    assert.deepEqual(first.body.items.map((e: any) => e.event.eventId), ['nv-ae-1', 'nv-ae-2']);
    const second = await f.get(`/accounts/country:AE/entries?order=asc&limit=2&cursor=${first.body.nextCursor}`, REGULATOR);
    assert.deepEqual(second.body.items.map((e: any) => e.event.eventId), ['nv-ae-3']);
    assert.equal(second.body.nextCursor, null);
    assert.equal(second.body.items[0].balanceTpp, Number(35_000n * H100));
  });

  it('answers the balance as of any past instant', async () => {
    const at = async (instant: string) => (await f.get(`/accounts/country:AE/balance?at=${instant}`, REGULATOR)).body;
    assert.equal((await at('2025-12-31T00:00:00Z')).balanceTpp, 0);
    assert.equal((await at('2025-12-31T00:00:00Z')).entry, null);
    assert.equal((await at('2026-01-31T23:59:59Z')).balanceTpp, Number(10_000n * H100));
    // An entry at exactly the instant counts.
    const feb1 = await at('2026-02-01T00:00:00Z');
    assert.equal(feb1.balanceTpp, Number(25_000n * H100));
    assert.equal(feb1.entry.event.eventId, 'nv-ae-2');
    // The same instant written with another zone offset.
    assert.equal((await at('2026-02-01T05:00:00%2B05:00')).balanceTpp, Number(25_000n * H100));
    assert.equal((await at('2026-02-01T04:59:59%2B05:00')).balanceTpp, Number(10_000n * H100));
    assert.equal((await at('2030-01-01T00:00:00Z')).balanceTpp, Number(35_000n * H100));
  });

  it('samples the balance over time', async () => {
    const res = await f.get('/accounts/country:AE/balance-series?points=3', REGULATOR);
    assert.equal(res.status, 200);
    assert.equal(res.body.from, '2026-01-05T00:00:00.000Z');
    assert.equal(res.body.to, '2026-02-20T00:00:00.000Z');
    assert.deepEqual(
      res.body.points.map((p: any) => p.balanceTpp),
      [Number(10_000n * H100), Number(10_000n * H100), Number(35_000n * H100)],
    );
  });
});

describe('alerts', () => {
  it('filters by kind, severity, account and time', async () => {
    const threshold = await f.get('/alerts?kind=THRESHOLD_CROSSED&account=country:AE', REGULATOR);
    assert.deepEqual(threshold.body.items.map((a: any) => [a.threshold, a.causedBy.eventId]), [[0.5, 'nv-ae-2']]);
    const critical = await f.get('/alerts?severity=critical&limit=500', REGULATOR);
    assert.ok(critical.body.items.some((a: any) => a.kind === 'PROHIBITED_DESTINATION' && a.account === 'country:CN'));
    assert.ok(critical.body.items.every((a: any) => a.severity === 'critical'));
    const jan = await f.get('/alerts?from=2026-01-21T00:00:00Z&to=2026-01-21T23:59:59Z&limit=500', REGULATOR);
    assert.ok(jan.body.items.length > 0);
    assert.ok(jan.body.items.every((a: any) => a.at.startsWith('2026-01-21')));
  });

  it('pages newest first', async () => {
    const all = (await f.get('/alerts?limit=500', REGULATOR)).body.items.map((a: any) => a.alertId);
    const first = await f.get('/alerts?limit=2', REGULATOR);
    const second = await f.get(`/alerts?limit=2&cursor=${first.body.nextCursor}`, REGULATOR);
    assert.deepEqual([...first.body.items, ...second.body.items].map((a: any) => a.alertId), all.slice(0, 4));
  });
});

describe('events and proof', () => {
  it('shows what one shipment did', async () => {
    const res = await f.get('/events/nvidia/nv-ae-2', REGULATOR);
    assert.equal(res.status, 200);
    assert.equal(res.body.type, 'chip.shipment');
    assert.equal(res.body.event.consignee.country, 'AE');
    // The digest is not stored for an ordinary event; the API computes it from the stored payload, and it is the
    // one the ledger compares a repeated key with.
    const decoded = decodeEvent(loadPolicyPack(), JSON.stringify(res.body.event));
    assert.ok(decoded.ok);
    assert.equal(res.body.digest, decoded.digest());
    assert.deepEqual(res.body.entries.map((e: any) => [e.account, e.deltaTpp]), [['country:AE', Number(15_000n * H100)]]);
    assert.deepEqual(res.body.alerts.map((a: any) => [a.kind, a.threshold]), [['THRESHOLD_CROSSED', 0.5]]);
    assert.equal((await f.get('/events/nvidia/never-sent', REGULATOR)).status, 404);
  });

  it('proves an entry is in the hash chain and shows the head', async () => {
    const head = await f.get('/proof/head', NVIDIA);
    assert.equal(head.status, 200);
    assert.match(head.body.hash, /^[0-9a-f]{64}$/);
    for (const seq of [1, 2, head.body.seq]) {
      const proof = await f.get(`/proof/entries/${seq}`, REGULATOR);
      assert.equal(proof.status, 200);
      assert.equal(proof.body.verified, true, JSON.stringify(proof.body.checks));
      assert.ok(proof.body.checks.length >= 4);
    }
    const last = await f.get(`/proof/entries/${head.body.seq}`, REGULATOR);
    assert.equal(last.body.entry.hash, head.body.hash);
    assert.equal((await f.get(`/proof/entries/${head.body.seq + 1}`, REGULATOR)).status, 404);
  });
});

describe('pre-clearance', () => {
  const counts = async () =>
    (
      await f.dataSource.query(
        `SELECT (SELECT count(*) FROM ledger_entries) AS entries, (SELECT count(*) FROM inbox) AS inbox,
                (SELECT count(*) FROM alerts) AS alerts, (SELECT seq FROM ledger_head) AS head,
                (SELECT used_tpp FROM accounts WHERE id = 'country:AE') AS ae`,
      )
    )[0];

  it('says what a shipment would do, and records nothing', async () => {
    const before = await counts();
    const prospective = shipment({ country: 'AE', quantity: 15_000, at: '2026-03-01T00:00:00Z', eventId: 'nv-ae-prospective' });
    const res = await f.post('/pre-clearance', prospective, NVIDIA);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.outcome, 'would-record');
    assert.equal(res.body.recorded, false);
    const ae = res.body.accounts.find((a: any) => a.account === 'country:AE');
    assert.equal(ae.usedAfterTpp, Number(50_000n * H100));
    assert.ok(ae.utilizationAfter > 1);
    assert.deepEqual(
      res.body.alerts.filter((a: any) => a.account === 'country:AE').map((a: any) => [a.kind, a.threshold]),
      [
        ['THRESHOLD_CROSSED', 0.75],
        ['THRESHOLD_CROSSED', 0.9],
        ['THRESHOLD_CROSSED', 1],
        ['CAP_EXCEEDED', null],
      ],
    );
    assert.deepEqual(await counts(), before);
    assert.equal((await f.get('/events/nvidia/nv-ae-prospective', REGULATOR)).status, 404);
  });

  it('returns the rejection the ledger would give, and recognises a duplicate', async () => {
    const bad = await f.post('/pre-clearance', { ...(shipment({ country: 'AE', quantity: 1, at: '2026-03-01T00:00:00Z' }) as any), items: [{ chip: 'H999', quantity: 1 }] }, NVIDIA);
    assert.equal(bad.status, 200);
    assert.equal(bad.body.outcome, 'rejected');
    assert.equal(bad.body.rejection.code, 'UNKNOWN_CHIP');
    const dup = await f.post('/pre-clearance', aeShipments[0], NVIDIA);
    assert.equal(dup.body.outcome, 'duplicate');
    const conflict = await f.post('/pre-clearance', { ...(aeShipments[0] as any), items: [{ chip: 'B200', quantity: 1 }] }, NVIDIA);
    assert.equal(conflict.body.rejection.code, 'DUPLICATE_CONFLICT');
  });

  it("refuses to pre-clear another organisation's event", async () => {
    const res = await f.post('/pre-clearance', shipment({ country: 'AE', quantity: 1, at: '2026-03-01T00:00:00Z', publisher: 'amd' }), NVIDIA);
    assert.equal(res.status, 403);
  });
});

describe('input validation', () => {
  it('answers 400 with the error shape, naming every bad parameter', async () => {
    const res = await f.get('/accounts?limit=501&tier=4&sort=size&colour=red', REGULATOR);
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'INVALID_REQUEST');
    assert.deepEqual(res.body.error.details.map((d: any) => d.field).sort(), ['colour', 'limit', 'sort', 'tier']);
    await assertRefused(REGULATOR, 400, 'INVALID_REQUEST', [
      '/accounts/country:AE/balance',
      '/accounts/country:AE/balance?at=yesterday',
      '/accounts/country:AE/balance?at=2026-01-01T00:00:00',
      '/accounts?cursor=garbage',
      '/alerts?kind=FIRE',
      '/alerts?limit=0',
      '/accounts/country:AE/entries?limit=100000',
      '/accounts/country:AE/balance-series?points=10000',
      '/proof/entries/abc',
      '/accounts/not%20an%20id',
    ]);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const res = await f.post('/pre-clearance', '{"type":', REGULATOR);
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'INVALID_REQUEST');
    const text = await f.post('/pre-clearance', 'hello', REGULATOR, 'text/plain');
    assert.equal(text.status, 400);
  });
});

describe('live alert stream', () => {
  it('delivers a newly recorded alert over SSE with ?key=', async () => {
    const controller = new AbortController();
    const res = await fetch(`${f.baseUrl}/alerts/stream?key=${AWS}`, { signal: controller.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const readUntil = (pattern: RegExp) =>
      waitFor(
        async () => {
          if (pattern.test(buffer)) return true;
          const { value, done } = await reader.read();
          if (done) throw new Error('stream ended');
          buffer += decoder.decode(value, { stream: true });
          return pattern.test(buffer);
        },
        { timeoutMs: 10_000, intervalMs: 1, what: `SSE data matching ${pattern}` },
      );
    try {
      await readUntil(/event: ready/);
      // Another VEU's alert must not reach aws; aws's own must.
      await f.record([
        deployment({ veuId: 'azure', dc: 'sin-1', country: 'SG', quantity: 50_000, at: '2026-02-01T00:00:00Z' }),
        deployment({ veuId: 'aws', dc: 'sin-1', country: 'SG', quantity: 20_000, at: '2026-02-02T00:00:00Z' }),
      ]);
      await readUntil(/"account":"uveu:aws:[^"]+"/);
      assert.doesNotMatch(buffer, /azure/);
      assert.match(buffer, /event: alert\ndata: \{/);
    } finally {
      controller.abort();
    }
  });
});
