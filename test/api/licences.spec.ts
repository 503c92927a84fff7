// Medium: the licence routes and pre-clearance under a licence, on a ledger filled through the real writer. A
// licence's page (approved, shipped, remaining, validity, shipments drawn, projected exhaustion), the per-country
// view (approved vs shipped vs cap), and who may see what: a regulator everything, a chipmaker its own licences
// only (another's is not found), a cloud provider none, no key nothing. Numbers are hand-checked (H100-SXM: 15,832).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { shipment, startApiFixture, type ApiFixture } from './support/api-fixture';

const licence = (eventId: string, id: string, exporter: string, tpp: number) => ({
  type: 'policy.license-issued', version: 1, eventId, publisher: 'regulator', occurredAt: '2026-01-01T00:00:00Z',
  license: { id, exporter, consignee: { id: 'acme-ai', country: 'AE' }, validFrom: '2026-01-01T00:00:00Z', validTo: '2030-12-31T23:59:59Z', tpp },
});

describe('licences API', () => {
  let f: ApiFixture;

  before(async () => {
    f = await startApiFixture('api_licences');
    await f.addKey('reg', 'regulator');
    await f.addKey('nv', 'chipmaker', 'nvidia');
    await f.addKey('amd', 'chipmaker', 'amd');
    await f.addKey('aws', 'cloud-provider', 'aws');
    await f.record([
      licence('bis-1', 'D1', 'nvidia', 1_583_200), // 100 H100s
      licence('bis-2', 'A1', 'amd', 10_000_000),
      licence('bis-3', 'R1', 'nvidia', 5_000_000),
      { type: 'policy.license-revoked', version: 1, eventId: 'bis-4', publisher: 'regulator', occurredAt: '2026-02-01T00:00:00Z', license: { id: 'R1' } },
    ]);
    await f.record([
      shipment({ country: 'AE', quantity: 40, at: '2026-03-01T00:00:00Z', ref: 'D1', eventId: 'nv-1' }), // 633,280
      shipment({ country: 'AE', quantity: 20, at: '2026-03-20T00:00:00Z', ref: 'D1', eventId: 'nv-2' }), // 316,640
    ]);
  });
  after(async () => {
    await f?.close();
  });

  it("a licence's page: approved, shipped, remaining, validity, the shipments drawn and the projected exhaustion", async () => {
    const r = await f.get('/licences/D1', 'nv');
    assert.equal(r.status, 200, r.text);
    const d = r.body;
    assert.deepEqual(
      { approved: d.approvedTpp, shipped: d.shippedTpp, remaining: d.remainingTpp, status: d.status, validFrom: d.validFrom, validTo: d.validTo, exporter: d.exporter },
      { approved: 1_583_200, shipped: 949_920, remaining: 633_280, status: 'in-force', validFrom: '2026-01-01T00:00:00Z', validTo: '2030-12-31T23:59:59Z', exporter: 'nvidia' },
    );
    assert.deepEqual(d.issuedBy, { publisher: 'regulator', eventId: 'bis-1' });
    assert.deepEqual(d.shipments.items.map((s: any) => [s.eventId, s.deltaTpp, s.shippedAfterTpp]), [['nv-2', 316_640, 949_920], ['nv-1', 633_280, 633_280]]);
    // 949,920 in the 30 days to 2026-03-20: 633,280 left at 31,664 a day is 20 days.
    assert.equal(d.forecast.status, 'projected');
    assert.equal(d.forecast.projectedExhaustionAt, '2026-04-09T00:00:00.000Z');
    assert.equal(d.expiresBeforeExhaustion, false);
    const page = await f.get('/licences/D1/shipments?limit=1', 'nv');
    assert.deepEqual(page.body.items.map((s: any) => s.eventId), ['nv-2']);
    const next = await f.get(`/licences/D1/shipments?limit=1&cursor=${page.body.nextCursor}`, 'nv');
    assert.deepEqual(next.body.items.map((s: any) => s.eventId), ['nv-1']);
    assert.equal(next.body.nextCursor, null);
  });

  it('a revoked licence shows as revoked, with what it drew', async () => {
    const r = await f.get('/licences/R1', 'reg');
    assert.equal(r.body.status, 'revoked');
    assert.deepEqual(r.body.revokedBy, { publisher: 'regulator', eventId: 'bis-4' });
    assert.equal(r.body.shippedTpp, 0);
  });

  it('per country: approved vs shipped vs cap, for the regulator; a chipmaker over its own licences', async () => {
    const reg = await f.get('/licences/countries', 'reg');
    assert.equal(reg.status, 200, reg.text);
    // country:AE:licensed: 1,583,200 + 10,000,000 + 5,000,000 approved, the revocation gave back R1's 5,000,000.
    assert.deepEqual(reg.body.items, [
      {
        country: 'AE', tier: 2, licences: 3, licencesInForce: 2, approvedTpp: 11_583_200, shippedUnderLicencesTpp: 949_920,
        countryShippedTpp: 949_920, capTpp: 790_000_000, approvedUtilization: 11_583_200 / 790_000_000, shippedUtilization: 949_920 / 790_000_000,
      },
    ]);
    const nv = await f.get('/licences/countries', 'nv');
    assert.equal(nv.body.items[0].approvedTpp, 1_583_200);
    assert.equal(nv.body.items[0].licences, 2);
    const amd = await f.get('/licences/countries', 'amd');
    assert.equal(amd.body.items[0].shippedUnderLicencesTpp, 0);
  });

  it('a chipmaker sees only its own licences; another chipmaker, a cloud provider and no key are refused', async () => {
    assert.deepEqual((await f.get('/licences', 'reg')).body.items.map((l: any) => l.id), ['A1', 'D1', 'R1']);
    assert.deepEqual((await f.get('/licences', 'nv')).body.items.map((l: any) => l.id), ['D1', 'R1']);
    assert.deepEqual((await f.get('/licences', 'amd')).body.items.map((l: any) => l.id), ['A1']);
    assert.equal((await f.get('/licences?exporter=nvidia', 'amd')).status, 403);
    // Another's licence is answered as one never issued.
    for (const path of ['/licences/D1', '/licences/D1/shipments']) {
      const r = await f.get(path, 'amd');
      assert.equal(r.status, 404, path);
      assert.equal(r.body.error.code, 'NOT_FOUND');
      assert.equal((await f.get(path.replace('D1', 'NOPE'), 'amd')).body.error.message, r.body.error.message.replace('D1', 'NOPE'));
    }
    for (const path of ['/licences', '/licences/countries', '/licences/D1', '/licences/D1/shipments']) {
      assert.equal((await f.get(path, 'aws')).status, 403, `cloud provider on ${path}`);
      assert.equal((await f.get(path, null)).status, 401, `no key on ${path}`);
    }
    // license:ID accounts are a regulator's through /accounts; a chipmaker reads its licences here.
    assert.equal((await f.get('/accounts/license:D1', 'nv')).status, 403);
    assert.equal((await f.get('/accounts/license:D1', 'reg')).body.usedTpp, 949_920);
    const listed = await f.get('/accounts?kind=license,country-licensed&sort=id&order=asc', 'reg');
    assert.deepEqual(listed.body.items.map((a: any) => [a.account, a.usedTpp, a.capTpp]), [
      ['country:AE:licensed', 11_583_200, 790_000_000],
      ['license:D1', 949_920, 1_583_200],
    ]);
    assert.equal((await f.get('/accounts?kind=license', 'nv')).status, 403);
  });

  it('pre-clearance: may I ship this under licence X? with the remaining TPP after it', async () => {
    const over = await f.post('/pre-clearance', shipment({ country: 'AE', quantity: 50, at: '2026-04-01T00:00:00Z', ref: 'D1' }), 'nv');
    assert.equal(over.status, 200, over.text);
    const l = over.body.licence;
    assert.deepEqual(
      { holds: l.holds, approved: l.approvedTpp, before: l.remainingBeforeTpp, after: l.remainingAfterTpp, shippedAfter: l.shippedAfterTpp, over: l.overShippedAfter },
      { holds: true, approved: 1_583_200, before: 633_280, after: 0, shippedAfter: 1_741_520, over: true },
    );
    assert.ok(over.body.alerts.some((a: any) => a.kind === 'CAP_EXCEEDED' && a.account === 'license:D1'));

    const fits = await f.post('/pre-clearance', shipment({ country: 'AE', quantity: 10, at: '2026-04-01T00:00:00Z', ref: 'D1' }), 'nv');
    assert.equal(fits.body.licence.remainingAfterTpp, 633_280 - 158_320);

    const expired = await f.post('/pre-clearance', shipment({ country: 'AE', quantity: 10, at: '2031-01-01T00:00:00Z', ref: 'D1' }), 'nv');
    assert.deepEqual([expired.body.licence.holds, expired.body.licence.check], [false, 'expired']);
    assert.equal(expired.body.licence.remainingAfterTpp, 633_280);

    // Another exporter's licence: it does not hold, and nothing of it is shown.
    const other = await f.post('/pre-clearance', shipment({ country: 'AE', quantity: 10, at: '2026-04-01T00:00:00Z', ref: 'A1' }), 'nv');
    assert.deepEqual(other.body.licence, { id: 'A1', issued: true, holds: false, check: 'other-exporter' });
    const unknown = await f.post('/pre-clearance', shipment({ country: 'AE', quantity: 10, at: '2026-04-01T00:00:00Z', ref: 'ZZ9' }), 'nv');
    assert.deepEqual(unknown.body.licence, { id: 'ZZ9', issued: false, holds: false, check: 'unknown', setting: 'verify-if-known' });
    // Nothing was recorded.
    assert.equal((await f.get('/licences/D1', 'nv')).body.shippedTpp, 949_920);
  });
});

describe('a licence with many shipments', () => {
  let f: ApiFixture;

  before(async () => {
    f = await startApiFixture('api_licence_pages');
    await f.addKey('nv', 'chipmaker', 'nvidia');
    await f.record([licence('bis-5', 'P1', 'nvidia', 200 * 15_832)]);
  });
  after(async () => {
    await f?.close();
  });

  it('pages through every shipment drawn against a licence once, newest first, across seqs of different lengths', async () => {
    const ids = Array.from({ length: 60 }, (_, i) => `nv-p1-${i}`);
    await f.record(ids.map((eventId, i) => shipment({ country: 'AE', quantity: 1, at: new Date(Date.parse('2026-04-01T00:00:00Z') + i * 60_000).toISOString(), ref: 'P1', eventId })));
    const seen: Array<{ seq: number; eventId: string }> = [];
    let cursor: string | null = null;
    do {
      const res = await f.get(`/licences/P1/shipments?limit=7${cursor === null ? '' : `&cursor=${cursor}`}`, 'nv');
      assert.equal(res.status, 200, res.text);
      seen.push(...res.body.items.map((s: any) => ({ seq: Number(s.seq), eventId: s.eventId })));
      cursor = res.body.nextCursor;
    } while (cursor !== null);
    assert.deepEqual(seen.map((s) => s.eventId), [...ids].reverse());
    assert.ok(seen[seen.length - 1]!.seq < 100 && seen[0]!.seq >= 100, `seqs ${seen[seen.length - 1]!.seq}..${seen[0]!.seq} cross 100`);
    const first = await f.get('/licences/P1', 'nv');
    assert.deepEqual(first.body.shipments.items.map((s: any) => s.eventId), [...ids].reverse().slice(0, 25));
  });
});
