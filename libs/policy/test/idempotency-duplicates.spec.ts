// (publisher, eventId) is the idempotency key: the same key with the same payload is a no-op counted as a duplicate
// (payload equality by canonical JSON: key order and whitespace do not matter); with a different payload it is
// rejected DUPLICATE_CONFLICT and changes nothing. A rejected event leaves no idempotency record.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { grantUveu, install, remove, shipment, tppItems, withField, type Json } from './support/events';
import { accountOf, replayLines } from './support/replay-lines';

// The same JSON document with its keys in reverse order at every level, and pretty-printed.
function reordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reordered);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Json).reverse().map(([k, v]) => [k, reordered(v)]));
  }
  return value;
}

describe('idempotency and duplicates', () => {
  test('the same line twice: counted as a duplicate, balances and alerts unchanged', () => {
    const ev = shipment({ eventId: 'nv-1', items: tppItems(400_000_000) });
    const once = replayLines([ev]).result;
    const twice = replayLines([ev, ev]).result;
    assert.deepEqual(twice.accounts, once.accounts);
    assert.deepEqual(twice.alerts, once.alerts);
    assert.deepEqual(twice.rejected, []);
    assert.deepEqual(twice.counts, { read: 2, recorded: 1, duplicates: 1, rejected: 0 });
  });

  test('key order and whitespace do not matter (lead interpretation 8)', () => {
    const ev = shipment({ eventId: 'nv-1', items: [{ chip: 'H100-SXM', quantity: 10 }, { tppPerUnit: 20000, label: 'asic', quantity: 4 }] });
    const run = replayLines([ev, JSON.stringify(reordered(ev), null, 2).replace(/\n/g, ' '), `  ${JSON.stringify(ev)}\t`]);
    assert.deepEqual(run.outcomes.map((o) => o!.status), ['recorded', 'duplicate', 'duplicate']);
    assert.equal(accountOf(run.result, 'country:AE')!.usedTpp, 238_320n);
  });

  test('a different payload under the same key is DUPLICATE_CONFLICT and changes nothing', () => {
    const ev = shipment({ eventId: 'nv-1', items: tppItems(1_000_000) });
    const run = replayLines([ev, withField(ev, 'consignee.country', 'SA'), withField(ev, 'items', tppItems(500_000_000)), ev]);
    assert.deepEqual(run.outcomes.map((o) => (o!.status === 'rejected' ? o!.code : o!.status)), ['recorded', 'DUPLICATE_CONFLICT', 'DUPLICATE_CONFLICT', 'duplicate']);
    assert.deepEqual(run.result.accounts.map((a) => [a.account, a.usedTpp]), [['country:AE', 1_000_000n]]);
    assert.deepEqual(run.result.alerts, []);
    assert.deepEqual(run.result.rejected.map((r) => [r.line, r.publisher, r.eventId, r.code]), [
      [2, 'nvidia', 'nv-1', 'DUPLICATE_CONFLICT'],
      [3, 'nvidia', 'nv-1', 'DUPLICATE_CONFLICT'],
    ]);
    assert.deepEqual(run.result.counts, { read: 4, recorded: 1, duplicates: 1, rejected: 2 });
  });

  test('an added optional field is a different payload', () => {
    const ev = shipment({ eventId: 'nv-1', items: [{ chip: 'H100-SXM', quantity: 10 }] });
    const run = replayLines([ev, withField(ev, 'items.0.label', 'same chips, labelled')]);
    assert.equal(run.result.rejected[0]!.code, 'DUPLICATE_CONFLICT');
  });

  test('the key is (publisher, eventId): the same eventId from another publisher is another event', () => {
    const run = replayLines([
      shipment({ eventId: 'x-1', publisher: 'nvidia', items: tppItems(1_000_000) }),
      shipment({ eventId: 'x-1', publisher: 'amd', items: tppItems(1_000_000) }),
    ]);
    assert.deepEqual(run.result.counts, { read: 2, recorded: 2, duplicates: 0, rejected: 0 });
    assert.equal(accountOf(run.result, 'country:AE')!.usedTpp, 2_000_000n);
  });

  test('event types share one key space per publisher', () => {
    const run = replayLines([
      install('aws', 'US', 1_000_000, { eventId: 'e-1', publisher: 'aws' }),
      shipment({ eventId: 'e-1', publisher: 'aws' }),
    ]);
    assert.equal(run.result.rejected[0]!.code, 'DUPLICATE_CONFLICT');
  });

  test('a rejected event leaves no record: the same key may be sent again, corrected', () => {
    const bad = shipment({ eventId: 'fix-1', items: [{ chip: 'H100-SXMM', quantity: 10 }] });
    const good = shipment({ eventId: 'fix-1', items: [{ chip: 'H100-SXM', quantity: 10 }] });
    const run = replayLines([bad, good, good]);
    assert.deepEqual(run.outcomes.map((o) => (o!.status === 'rejected' ? o!.code : o!.status)), ['UNKNOWN_CHIP', 'recorded', 'duplicate']);
    assert.equal(accountOf(run.result, 'country:AE')!.usedTpp, 158_320n);
  });

  test('a REMOVE rejected for the installed base may be retried once the chips are installed', () => {
    const rm = remove('aws', 'IN', 1_000_000, { eventId: 'rm-1' });
    const run = replayLines([rm, install('aws', 'IN', 1_000_000), rm]);
    assert.deepEqual(run.outcomes.map((o) => (o!.status === 'rejected' ? o!.code : o!.status)), ['NEGATIVE_INSTALLED_BASE', 'recorded', 'recorded']);
    assert.equal(accountOf(run.result, 'installed:aws:IN')!.usedTpp, 0n);
  });

  test('a duplicate policy event is a no-op too', () => {
    const grant = grantUveu('aws', 'US', { eventId: 'bis-1' });
    const run = replayLines([grant, grant, withField(grant, 'veu.headquarters', 'GB')]);
    assert.deepEqual(run.outcomes.map((o) => (o!.status === 'rejected' ? o!.code : o!.status)), ['recorded', 'duplicate', 'DUPLICATE_CONFLICT']);
  });

  test('a duplicate re-sent much later, after other events, still changes nothing', () => {
    const first = shipment({ eventId: 'early', items: tppItems(300_000_000) });
    const rest = [shipment({ items: tppItems(100_000_000) }), shipment({ items: tppItems(100_000_000) })];
    const without = replayLines([first, ...rest]).result;
    const withDup = replayLines([first, ...rest, first]).result;
    assert.deepEqual(withDup.accounts, without.accounts);
    assert.deepEqual(withDup.alerts, without.alerts);
  });
});
