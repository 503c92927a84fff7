// Medium: signed events through the real write path (LedgerWriter on a migrated Postgres): the key registry and a
// grant's reporters are kept in Postgres and read back by the next batch (and by a writer started afresh), a key
// revoked at event N stops verifying from N+1, the first recorded signature is the one kept, and a rejected event
// changes nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LedgerWriter, rejudgeLedger } from '@app/persistence';
import { loadPolicyPack, privateKeyObject, rawPublicKey, signEvent, type Authenticity } from '@app/policy';
import { createLedgerDatabase, sourceRecords as records, type LedgerDatabase } from '@app/testing';

const pack = loadPolicyPack();
const key = (keyId: string, seedByte: number) => {
  const privateKey = privateKeyObject(Buffer.alloc(32, seedByte).toString('base64url'));
  return { keyId, publicKey: rawPublicKey(privateKey), privateKey };
};
const REGULATOR = key('regulator/m-1', 0x31);
const NVIDIA = key('nvidia/m-1', 0x32);
const NVIDIA_NEXT = key('nvidia/m-2', 0x33);
const authenticity: Authenticity = { enforcement: 'required', trustAnchors: new Map([[REGULATOR.keyId, REGULATOR.publicKey]]) };

const sign = (event: Record<string, unknown>, k: typeof NVIDIA) => JSON.stringify(signEvent(event, k.keyId, k.privateKey));
const common = (type: string, eventId: string, publisher: string) => ({ type, version: 1, eventId, publisher, occurredAt: '2026-03-14T09:30:00Z' });
const register = (eventId: string, k: typeof NVIDIA) => sign({ ...common('policy.publisher-key-registered', eventId, 'regulator'), key: { keyId: k.keyId, publicKey: k.publicKey } }, REGULATOR);
const revoke = (eventId: string, keyId: string) => sign({ ...common('policy.publisher-key-revoked', eventId, 'regulator'), key: { keyId } }, REGULATOR);
const shipment = (eventId: string, quantity = 1) => ({
  ...common('chip.shipment', eventId, 'nvidia'),
  consignee: { id: 'acme-ai', country: 'AE' },
  authorization: { kind: 'LICENSE', ref: 'D1' },
  items: [{ chip: 'A100', quantity }],
});

describe('signed events in the ledger (Postgres)', () => {
  let db: LedgerDatabase;

  before(async () => {
    db = await createLedgerDatabase('ledger_signatures');
  });
  after(async () => {
    await db?.close();
  });

  const codes = (result: { results: Array<{ status: string; code?: string }> }) => result.results.map((r) => (r.status === 'rejected' ? r.code : r.status));

  it('keeps the key registry in Postgres: registered and used in one batch, revoked in the next, read back by a new writer', async () => {
    const writer = new LedgerWriter(db.ds, pack, { groupId: 'ledger', authenticity });
    const first = await writer.processBatch(records([register('k-1', NVIDIA), sign(shipment('s-1'), NVIDIA), JSON.stringify(shipment('s-unsigned'))]));
    assert.deepEqual(codes(first), ['recorded', 'recorded', 'UNSIGNED']);
    const rows = await db.ds.query(`SELECT key_id, public_key, registered_seq IS NOT NULL AS registered, revoked_seq FROM publisher_keys`);
    assert.deepEqual(rows, [{ key_id: NVIDIA.keyId, public_key: NVIDIA.publicKey, registered: true, revoked_seq: null }]);

    const fresh = new LedgerWriter(db.ds, pack, { groupId: 'ledger', authenticity });
    const second = await fresh.processBatch(records([sign(shipment('s-2'), NVIDIA), revoke('k-2', NVIDIA.keyId), sign(shipment('s-3'), NVIDIA), register('k-3', NVIDIA)]));
    assert.deepEqual(codes(second), ['recorded', 'recorded', 'UNKNOWN_KEY', 'MALFORMED']);
    const again = new LedgerWriter(db.ds, pack, { groupId: 'ledger', authenticity });
    assert.deepEqual(codes(await again.processBatch(records([sign(shipment('s-4'), NVIDIA), revoke('k-4', NVIDIA.keyId)]))), ['UNKNOWN_KEY', 'MALFORMED']);
    const [revoked] = await db.ds.query(`SELECT revoked_seq IS NOT NULL AS revoked FROM publisher_keys WHERE key_id = $1`, [NVIDIA.keyId]);
    assert.equal(revoked.revoked, true);
    const [{ n }] = await db.ds.query(`SELECT count(*)::int AS n FROM inbox WHERE event_id IN ('s-3', 's-4', 's-unsigned', 'k-3', 'k-4')`);
    assert.equal(n, 0, 'rejected events leave no idempotency record');
  });

  it('keeps the first recorded signature: the same event signed again with a rotated key is a duplicate', async () => {
    const writer = new LedgerWriter(db.ds, pack, { groupId: 'ledger', authenticity });
    await writer.processBatch(records([register('k-5', NVIDIA_NEXT)]));
    const original = sign(shipment('s-5'), NVIDIA_NEXT);
    assert.deepEqual(codes(await writer.processBatch(records([original]))), ['recorded']);
    const k6 = key('nvidia/m-3', 0x34);
    await writer.processBatch(records([register('k-6', k6)]));
    assert.deepEqual(codes(await writer.processBatch(records([sign(shipment('s-5'), k6), sign(shipment('s-5', 2), k6)]))), ['duplicate', 'DUPLICATE_CONFLICT']);
    const [row] = await db.ds.query(`SELECT payload::text AS payload FROM inbox WHERE publisher = 'nvidia' AND event_id = 's-5'`);
    assert.equal(JSON.parse(row.payload).signature.keyId, NVIDIA_NEXT.keyId, 'the stored event keeps its first signature');
  });

  it('keeps a grant\'s reporters: a reporter may send the VEU\'s deployments, others are FORBIDDEN_PUBLISHER', async () => {
    const optional = new LedgerWriter(db.ds, pack, { groupId: 'ledger' });
    const grant = JSON.stringify({ ...common('policy.veu-granted', 'g-1', 'regulator'), veu: { kind: 'UVEU', id: 'cloudy', headquarters: 'US', reporters: ['cloudy-in'] } });
    await optional.processBatch(records([grant]));
    const [stored] = await db.ds.query(`SELECT reporters FROM veu_grants WHERE id = 'cloudy'`);
    assert.deepEqual(stored.reporters, ['cloudy-in']);
    const deploy = (eventId: string, publisher: string) =>
      JSON.stringify({ ...common('dc.deployment', eventId, publisher), veu: { kind: 'UVEU', id: 'cloudy' }, dataCenter: { id: 'd1', country: 'IN' }, action: 'INSTALL', items: [{ chip: 'A100', quantity: 1 }] });
    const fresh = new LedgerWriter(db.ds, pack, { groupId: 'ledger' });
    assert.deepEqual(codes(await fresh.processBatch(records([deploy('d-1', 'cloudy-in'), deploy('d-2', 'mallory'), deploy('d-3', 'cloudy')]))), ['recorded', 'FORBIDDEN_PUBLISHER', 'recorded']);
  });

  it('judged again (`ledger rejudge`) with the same trust anchors, the signed ledger agrees; without them it does not', async () => {
    // Optional: this spec also recorded unsigned events with a writer that did not require signatures.
    const report = await rejudgeLedger(db.ds, pack, { authenticity: { ...authenticity, enforcement: 'optional' } });
    assert.deepEqual(report.differences, []);
    assert.equal(report.ok, true);
    const blind = await rejudgeLedger(db.ds, pack);
    assert.equal(blind.ok, false, 'the regulator\'s signed registrations need its anchors');
    assert.ok(blind.differences.some((d) => d.includes('publisher key nvidia/m-1')), blind.differences.join('\n'));
  });

  it('on Kafka, refuses an event on another topic or under another key than the contract\'s', async () => {
    const writer = new LedgerWriter(db.ds, pack, { groupId: 'ledger' });
    const ship = JSON.stringify({ ...shipment('w-1'), consignee: { id: 'acme-ai', country: 'CN' } });
    const misKeyed = { ...records([ship], 'chips.shipments.v1', 500)[0]!, key: Buffer.from('DE') };
    const misRouted = records([ship], 'policy.changes.v1', 600)[0]!;
    const result = await writer.processBatch([misKeyed, misRouted]);
    assert.deepEqual(codes(result), ['WRONG_KEY', 'WRONG_TOPIC']);
    assert.equal(result.recorded, 0);
  });
});
