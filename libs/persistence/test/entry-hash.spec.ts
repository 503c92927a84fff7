import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createHash } from 'node:crypto';
import { entryCanonicalJson, entryCanonicalJsonReference, entryHash, entryHashHex, GENESIS_HASH, utcMillisIsoFromMs, type HashedEntry } from '../src/entry-hash';

it('hashes the same canonical JSON as canonicalJson, with and without nulls and huge amounts', () => {
  const base: HashedEntry = {
    seq: 12n, accountId: 'country:AE', deltaTpp: 15_832_000n, balanceTpp: 123_456_789_012_345_678_901_234n, capTpp: 790_000_000n,
    eventPublisher: 'nvidia', eventId: 'nv-"quoted"\\x', eventType: 'chip.shipment', occurredAt: '2026-03-14T09:30:00.000Z',
    sourceTopic: 'chips.shipments.v1', sourcePartition: 3, sourceOffset: 9_007_199_254_740_993n, policyId: 'ai-diffusion-2025', policyVersion: '1',
  };
  const bare: HashedEntry = { ...base, capTpp: null, sourceTopic: null, sourcePartition: null, sourceOffset: null, deltaTpp: -5n };
  for (const e of [base, bare]) assert.equal(entryCanonicalJson(e), entryCanonicalJsonReference(e));
});

it('chains sha256(previous hash || canonical JSON as UTF-8), for non-ASCII text and entries longer than the scratch buffer', () => {
  const base: HashedEntry = {
    seq: 1n, accountId: 'consignee:AE:dc-é-😀', deltaTpp: 7n, balanceTpp: 7n, capTpp: null,
    eventPublisher: 'nvidia', eventId: 'nv-1', eventType: 'chip.shipment', occurredAt: '2026-03-14T09:30:00.000Z',
    sourceTopic: null, sourcePartition: null, sourceOffset: null, policyId: 'ai-diffusion-2025', policyVersion: '1',
  };
  const long: HashedEntry = { ...base, seq: 2n, eventId: 'ü'.repeat(3000) };
  let prev = GENESIS_HASH;
  for (const e of [base, long, { ...base, seq: 3n }]) {
    const expected = createHash('sha256').update(prev).update(Buffer.from(entryCanonicalJsonReference(e), 'utf8')).digest();
    const got = entryHash(prev, e);
    assert.equal(got.toString('hex'), expected.toString('hex'));
    prev = got;
  }
});

it('writes instants as toISOString does: random ones over ±20,000 years, day and year edges, out-of-range years', () => {
  const edges = [0, -1, 1, 86_399_999, 86_400_000, -62_167_219_200_000, -62_167_219_200_001, 253_402_300_799_999, 253_402_300_800_000, 8.64e15, -8.64e15];
  let seed = 12345;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const instants = [...edges];
  for (let i = 0; i < 20_000; i++) instants.push(Math.floor((random() - 0.5) * 1.26e15));
  // Runs of the same day, as the writer sees them, and a day revisited after another.
  for (let i = 0; i < 2_000; i++) instants.push(1_767_225_600_000 + i * 997, i % 2 === 0 ? 0 : 1_767_225_600_000);
  for (const ms of instants) assert.equal(utcMillisIsoFromMs(ms), new Date(ms).toISOString(), String(ms));
});

it('refuses a previous hash that is not hex, rather than hashing part of it', () => {
  const e: HashedEntry = {
    seq: 1n, accountId: 'country:AE', deltaTpp: 1n, balanceTpp: 1n, capTpp: null, eventPublisher: 'nvidia', eventId: 'nv-1',
    eventType: 'chip.shipment', occurredAt: '2026-03-14T09:30:00.000Z', sourceTopic: null, sourcePartition: null, sourceOffset: null,
    policyId: 'ai-diffusion-2025', policyVersion: '1',
  };
  assert.equal(entryHashHex('00'.repeat(32), e), entryHash(GENESIS_HASH, e).toString('hex'));
  assert.throws(() => entryHashHex('zz'.repeat(32), e), /not a hash in hex/);
  assert.throws(() => entryHashHex('0'.repeat(63), e), /not a hash in hex/);
});
