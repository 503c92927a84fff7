// The idempotency record kept by reference (the offline replay keeps each key's line offset, the writer its index
// in the batch): a table of key hashes whose matches are confirmed against the recorded event itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEvent, loadPolicyPack, MemoryLedgerState, type DecodedEvent } from '@app/policy';
import { RefTable } from '../src/memory-ledger-state';
import { line, shipment } from './support/events';

const pack = loadPolicyPack();

test('keys recorded by reference are found with their own digest; new keys are not, and cost no event lookup', () => {
  const events: DecodedEvent[] = [];
  let lookups = 0;
  const state = new MemoryLedgerState((ref) => {
    lookups++;
    return events[ref]!;
  });
  const n = 50_000;
  for (let i = 0; i < n; i++) {
    const d = decodeEvent(pack, line(shipment({ eventId: `nv-${i}`, publisher: i % 3 === 0 ? 'amd' : 'nvidia', items: [{ chip: 'A100', quantity: 1 + (i % 7) }] })));
    assert.ok(d.ok);
    events.push(d);
    assert.equal(state.seen(d.event.publisher, d.event.eventId), undefined);
    state.markSeen(d.event.publisher, d.event.eventId, i);
  }
  // ("nvidia", "nv-1") and ("nvidi", "anv-1") and the other publisher's id are different keys.
  assert.equal(state.seen('nvidi', 'anv-1'), undefined);
  assert.equal(state.seen('amd', 'nv-1'), undefined);
  assert.ok(lookups < 10, `new keys looked up ${lookups} recorded events`);
  for (const i of [0, 1, 2, 4_095, 4_096, 31_337, n - 1]) {
    const d = events[i]!;
    assert.equal(state.seen(d.event.publisher, d.event.eventId), d.digest());
  }
  // Keys that differ only in a last character with the same low 4 bits ("1", "A", "Q", "a", "q" are 0x31, 0x41,
  // 0x51, 0x61, 0x71) take the same slot of their group (see KeyHasher), and are still told apart.
  const lots = ['1', 'A', 'Q', 'a', 'q'].map((c, k) => {
    const d = decodeEvent(pack, line(shipment({ eventId: `lot-${c}`, publisher: 'amd', items: [{ chip: 'A100', quantity: 100 + k }] })));
    assert.ok(d.ok);
    return d;
  });
  for (const d of lots) {
    assert.equal(state.seen('amd', d.event.eventId), undefined);
    state.markSeen('amd', d.event.eventId, events.push(d) - 1);
  }
  for (const d of lots) assert.equal(state.seen('amd', d.event.eventId), d.digest());
  assert.equal(new Set(lots.map((d) => d.digest())).size, lots.length);
  assert.equal(state.seen('amd', 'lot-!'), undefined);
  // Digest strings (what the writer loads from the inbox) and references live side by side.
  state.markSeen('intel', 'x-1', 'f'.repeat(32));
  assert.equal(state.seen('intel', 'x-1'), 'f'.repeat(32));
});

test('keys whose hashes collide are told apart by the recorded events, also after the table grows', () => {
  const table = new RefTable();
  // Every reference under the same pair of hashes: only isKey can tell them apart.
  for (let ref = 0; ref < 3_000; ref++) table.insert(42, -7, ref * 10);
  for (const wanted of [0, 10, 14_990, 29_990]) assert.equal(table.find(42, -7, (ref) => ref === wanted), wanted);
  assert.equal(table.find(42, -7, () => false), undefined);
  assert.equal(table.find(42, -8, () => true), undefined, 'the second hash must match too');
  assert.equal(table.size, 3_000);
  assert.throws(() => table.insert(1, 1, -1), /non-negative integer/);
});

test('a table sized up front for fewer keys than come still finds every key, and one sized for more finds no ghosts', () => {
  for (const expected of [10, 1_000_000]) {
    const table = new RefTable(expected);
    for (let ref = 0; ref < 5_000; ref++) table.insert(ref * 7919, ref ^ 0x5bd1, ref);
    for (const ref of [0, 1, 2_047, 2_048, 4_999]) assert.equal(table.find(ref * 7919, ref ^ 0x5bd1, (r) => r === ref), ref, `expected ${expected}, ref ${ref}`);
    assert.equal(table.find(5_000 * 7919, 5_000 ^ 0x5bd1, () => true), undefined);
    assert.equal(table.size, 5_000);
  }
});

test('a key recorded by reference without a way back to its event is refused', () => {
  assert.throws(() => new MemoryLedgerState().markSeen('nvidia', 'nv-1', 3), /needs eventOfRef/);
});
