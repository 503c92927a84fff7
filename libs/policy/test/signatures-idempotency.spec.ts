// Idempotency compares events without their `signature`: the same event signed again (say with a rotated key) is a
// duplicate, not a conflict, and the first recorded signature is the one kept; a changed payload is still a
// DUPLICATE_CONFLICT. The signature is checked first (it comes before idempotency in the contract's order).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEvent, loadPolicyPack } from '@app/policy';
import { line, shipment } from './support/events';
import { authenticity, codeOf, NVIDIA_KEY, registerKey, REGULATOR_KEY, signed, signedRun, testKey } from './support/signing';

const ROTATED = testKey('nvidia/2026-2', 0x12);
const setup = () => [signed(registerKey(NVIDIA_KEY), REGULATOR_KEY), signed(registerKey(ROTATED), REGULATOR_KEY)];

describe('idempotency without the signature', () => {
  test('the same event signed with another key of the publisher is a duplicate', () => {
    const event = shipment({ eventId: 'nv-77' });
    const run = signedRun(setup());
    assert.equal(codeOf(run.push(signed(event, NVIDIA_KEY))), 'recorded');
    assert.equal(codeOf(run.push(signed(event, ROTATED))), 'duplicate');
    assert.deepEqual(run.replayer.result().counts, { read: 4, recorded: 3, duplicates: 1, rejected: 0 });
  });

  test('the signed event after the same event unsigned (signatures optional) is a duplicate', () => {
    const event = shipment({ eventId: 'nv-78' });
    const run = signedRun(setup(), authenticity({ enforcement: 'optional' }));
    assert.equal(codeOf(run.push(event)), 'recorded');
    assert.equal(codeOf(run.push(signed(event, NVIDIA_KEY))), 'duplicate');
  });

  test('a changed payload under the same key, validly signed, is DUPLICATE_CONFLICT', () => {
    const run = signedRun(setup());
    run.push(signed(shipment({ eventId: 'nv-79', items: [{ chip: 'H100-SXM', quantity: 1 }] }), NVIDIA_KEY));
    assert.equal(codeOf(run.push(signed(shipment({ eventId: 'nv-79', items: [{ chip: 'H100-SXM', quantity: 2 }] }), NVIDIA_KEY))), 'DUPLICATE_CONFLICT');
  });

  test('a replay of a recorded key with a forged signature is BAD_SIGNATURE, not a duplicate', () => {
    const good = signed(shipment({ eventId: 'nv-80' }), NVIDIA_KEY);
    const run = signedRun(setup());
    run.push(good);
    const forged = { ...good, signature: signed(shipment({ eventId: 'nv-80' }), { ...ROTATED, keyId: NVIDIA_KEY.keyId })['signature'] };
    assert.equal(codeOf(run.push(forged)), 'BAD_SIGNATURE');
  });

  test('the digest the ledger compares leaves the signature out', () => {
    const pack = loadPolicyPack();
    const event = shipment({ eventId: 'nv-81' });
    const a = decodeEvent(pack, line(signed(event, NVIDIA_KEY)));
    const b = decodeEvent(pack, line(signed(event, ROTATED)));
    const c = decodeEvent(pack, line(event));
    assert.ok(a.ok && b.ok && c.ok);
    assert.equal(a.digest(), b.digest());
    assert.equal(a.digest(), c.digest());
  });
});
