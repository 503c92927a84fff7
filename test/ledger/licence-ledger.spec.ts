// Medium: licences through the real writer on a real, migrated Postgres. The licence registry is kept in the
// licences table in the batch that issues or revokes; later batches load it (and the country:CC:licensed account a
// revocation moves) to judge shipments and revocations; the ledger ends where the offline replay of what it recorded
// ends; `ledger rejudge` agrees, and names a licence row changed behind the writer's back.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LedgerWriter, rejudgeLedger } from '@app/persistence';
import { loadPolicyPack, withLicenceSetting } from '@app/policy';
import { cli, createLedgerDatabase, sourceRecords, type LedgerDatabase } from '@app/testing';
import { ledgerAndReplaySnapshots } from './ledger-fixtures';

const pack = withLicenceSetting(loadPolicyPack(), 'registered-only');

const issue = (eventId: string, id: string, tpp: number, o: { exporter?: string; country?: string; validTo?: string } = {}) =>
  JSON.stringify({
    type: 'policy.license-issued', version: 1, eventId, publisher: 'regulator', occurredAt: '2026-01-01T00:00:00Z',
    license: {
      id, exporter: o.exporter ?? 'nvidia', consignee: { id: 'acme-ai', country: o.country ?? 'AE' },
      validFrom: '2026-01-01T00:00:00Z', validTo: o.validTo ?? '2026-12-31T23:59:59Z', tpp,
    },
  });
const revoke = (eventId: string, id: string) =>
  JSON.stringify({ type: 'policy.license-revoked', version: 1, eventId, publisher: 'regulator', occurredAt: '2026-06-01T00:00:00Z', license: { id } });
const ship = (eventId: string, ref: string | null, tpp: number, o: { publisher?: string; at?: string; country?: string } = {}) =>
  JSON.stringify({
    type: 'chip.shipment', version: 1, eventId, publisher: o.publisher ?? 'nvidia', occurredAt: o.at ?? '2026-03-01T00:00:00Z',
    consignee: { id: 'acme-ai', country: o.country ?? 'AE' }, authorization: ref === null ? { kind: 'LICENSE' } : { kind: 'LICENSE', ref },
    items: [{ tppPerUnit: tpp, quantity: 1 }],
  });

describe('licences in the ledger (Postgres)', () => {
  let db: LedgerDatabase;
  let writer: LedgerWriter;
  const account = async (id: string) =>
    ((await db.ds.query(`SELECT used_tpp::text AS used, cap_tpp::text AS cap FROM accounts WHERE id = $1`, [id])) as Array<{ used: string; cap: string | null }>)[0];

  before(async () => {
    db = await createLedgerDatabase('licence_ledger');
    writer = new LedgerWriter(db.ds, pack, { groupId: 'ledger' });
  });
  after(async () => {
    await db?.close();
  });

  it('keeps the registry, draws licensed shipments, and gives back on revocation across batches', async () => {
    // Batch 1: two licences approved.
    let r = await writer.processBatch(sourceRecords([issue('bis-1', 'D1', 6_000_000), issue('bis-2', 'D2', 3_000_000, { exporter: 'amd' })]));
    assert.equal(r.recorded, 2);
    // Batch 2, judged from the registry in Postgres: one shipment in force, one over the licence, and one for each
    // failed check; an unknown ref with registered-only.
    r = await writer.processBatch(
      sourceRecords([
        ship('s1', 'D1', 4_000_000),
        ship('s2', 'D1', 3_000_000),
        ship('s3', 'D1', 1_000_000, { publisher: 'amd' }),
        ship('s4', 'D1', 1_000_000, { at: '2027-01-01T00:00:00Z' }),
        ship('s5', 'NOPE', 1_000_000),
        ship('s6', null, 1_000_000),
      ]),
    );
    assert.equal(r.recorded, 6);
    const reasons = r.alerts.filter((a) => a.kind === 'UNAUTHORIZED').map((a) => a.reason);
    assert.equal(reasons.length, 4);
    assert.match(reasons[0]!, /other exporter/);
    assert.match(reasons[1]!, /expired/);
    assert.match(reasons[2]!, /unknown licence "NOPE"/);
    assert.ok(r.alerts.some((a) => a.kind === 'CAP_EXCEEDED' && a.account === 'license:D1' && a.usedTpp === 7_000_000n));
    assert.deepEqual(await account('license:D1'), { used: '7000000', cap: '6000000' });
    // Batch 3: revocations name only the licence; the writer loads it and its country's licensed account.
    r = await writer.processBatch(sourceRecords([revoke('bis-3', 'D2'), revoke('bis-4', 'D1'), revoke('bis-5', 'D404'), issue('bis-6', 'D1', 1)]));
    assert.equal(r.recorded, 2);
    assert.deepEqual(r.results.slice(2).map((x) => (x.status === 'rejected' ? x.code : x.status)), ['MALFORMED', 'MALFORMED']);
    // 9,000,000 approved; D2 gives back its 3,000,000 unshipped; D1 was over-shipped and gives back nothing.
    assert.deepEqual(await account('country:AE:licensed'), { used: '6000000', cap: '790000000' });
    // Batch 4: a shipment under the revoked licence.
    r = await writer.processBatch(sourceRecords([ship('s7', 'D2', 1_000_000, { publisher: 'amd' })]));
    assert.match(r.alerts[0]!.reason!, /licence "D2" was revoked/);

    const rows = (await db.ds.query(
      `SELECT id, exporter, consignee_id, consignee_country, valid_from, valid_to, tpp::text AS tpp, revoked, issued_seq::text AS issued, revoked_seq::text AS revoked_seq
         FROM licences ORDER BY id`,
    )) as Array<Record<string, unknown>>;
    assert.deepEqual(rows, [
      { id: 'D1', exporter: 'nvidia', consignee_id: 'acme-ai', consignee_country: 'AE', valid_from: '2026-01-01T00:00:00Z', valid_to: '2026-12-31T23:59:59Z', tpp: '6000000', revoked: true, issued: '1', revoked_seq: '10' },
      { id: 'D2', exporter: 'amd', consignee_id: 'acme-ai', consignee_country: 'AE', valid_from: '2026-01-01T00:00:00Z', valid_to: '2026-12-31T23:59:59Z', tpp: '3000000', revoked: true, issued: '2', revoked_seq: '9' },
    ]);
  });

  it('ends where the offline replay of what it recorded ends, and rejudge agrees', async () => {
    const { ledger, replay } = await ledgerAndReplaySnapshots(db.ds, pack);
    assert.deepEqual(ledger.accounts, replay.accounts);
    assert.deepEqual(ledger.alerts, replay.alerts);
    const report = await rejudgeLedger(db.ds, pack);
    assert.deepEqual(report.differences, []);
    // Through the CLI, with the ledger's setting from the environment; under the other setting the unknown refs differ.
    const out = await cli(['rejudge'], { DATABASE_URL: db.url, POLICY_LICENCES: 'registered-only' });
    assert.equal(out.code, 0, out.stdout);
    const lax = await rejudgeLedger(db.ds, withLicenceSetting(pack, 'verify-if-known'));
    assert.equal(lax.ok, false);
    assert.ok(lax.differences.some((d) => /alert .*: in the ledger, not raised when judged again/.test(d)), lax.differences.join('\n'));
  });

  it('rejudge names a licence changed behind the writer, and one missing', async () => {
    // An insider's rewrite (the writer's role may not change an approval nor remove a licence).
    await db.tamper(async (m) => {
      await m.query(`UPDATE licences SET tpp = tpp + 1 WHERE id = 'D1'`);
      await m.query(`CREATE TABLE licences_kept AS SELECT * FROM licences WHERE id = 'D2'`);
      await m.query(`DELETE FROM licences WHERE id = 'D2'`);
    });
    try {
      const report = await rejudgeLedger(db.ds, pack);
      assert.deepEqual(report.differences, [
        'licence D1: nvidia -> acme-ai in AE, 2026-01-01T00:00:00Z .. 2026-12-31T23:59:59Z, 6000001 TPP, revoked in the ledger, nvidia -> acme-ai in AE, 2026-01-01T00:00:00Z .. 2026-12-31T23:59:59Z, 6000000 TPP, revoked judged again',
        'licence D2: not in the ledger; judged again it is amd -> acme-ai in AE, 2026-01-01T00:00:00Z .. 2026-12-31T23:59:59Z, 3000000 TPP, revoked',
      ]);
    } finally {
      await db.tamper(async (m) => {
        await m.query(`UPDATE licences SET tpp = tpp - 1 WHERE id = 'D1'`);
        await m.query(`INSERT INTO licences SELECT * FROM licences_kept`);
        await m.query(`DROP TABLE licences_kept`);
      });
    }
  });

  it('a licence issued and revoked in one batch, and shipments in the batch between them, are judged as one at a time', async () => {
    const r = await writer.processBatch(
      sourceRecords([issue('bis-7', 'D7', 2_000_000, { country: 'SA' }), ship('s8', 'D7', 500_000, { country: 'SA' }), revoke('bis-8', 'D7'), ship('s9', 'D7', 500_000, { country: 'SA' })]),
    );
    assert.equal(r.recorded, 4);
    assert.deepEqual(await account('country:SA:licensed'), { used: '500000', cap: '790000000' });
    assert.deepEqual(await account('license:D7'), { used: '500000', cap: '2000000' });
    const [row] = (await db.ds.query(`SELECT revoked, revoked_seq IS NOT NULL AS has_seq FROM licences WHERE id = 'D7'`)) as Array<{ revoked: boolean; has_seq: boolean }>;
    assert.deepEqual(row, { revoked: true, has_seq: true });
    assert.deepEqual((await rejudgeLedger(db.ds, pack)).differences, []);
  });

  it('a batch judged while the one before it is still being written sees the licence that one issued', async () => {
    const first = writer.processBatch(sourceRecords([issue('bis-9', 'D9', 1_000_000, { country: 'IN' })]));
    const second = writer.processBatch(sourceRecords([ship('s10', 'D9', 600_000, { country: 'IN' })]));
    const [, r] = await Promise.all([first, second]);
    assert.deepEqual(r.alerts.map((a) => `${a.kind} ${a.account}`), ['THRESHOLD_CROSSED license:D9']);
    assert.deepEqual(await account('license:D9'), { used: '600000', cap: '1000000' });
    assert.deepEqual((await rejudgeLedger(db.ds, pack)).differences, []);
  });
});
