// UNKNOWN_KEY: the key is not registered at that point of the stream, was revoked, is not a trust anchor, or its
// publisher part differs from the event's publisher.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { grantUveu, shipment } from './support/events';
import { AWS_KEY, codeOf, NVIDIA_KEY, registerKey, REGULATOR_KEY, revokeKey, signed, signedRun, testKey } from './support/signing';

describe('UNKNOWN_KEY', () => {
  test('a key that was never registered', () => {
    const run = signedRun();
    const outcome = run.push(signed(shipment(), NVIDIA_KEY));
    assert.equal(codeOf(outcome), 'UNKNOWN_KEY');
    assert.match(outcome.status === 'rejected' ? outcome.message : '', /not registered/);
  });

  test('a key registered later in the stream does not verify the events before its registration', () => {
    const ship = signed(shipment({ eventId: 'nv-1' }), NVIDIA_KEY);
    const run = signedRun([ship, signed(registerKey(NVIDIA_KEY), REGULATOR_KEY), ship]);
    assert.deepEqual(run.outcomes.map(codeOf), ['UNKNOWN_KEY', 'recorded', 'recorded']);
  });

  test('another publisher\'s key, even registered: the key id\'s publisher part must be the event\'s publisher', () => {
    const run = signedRun([signed(registerKey(AWS_KEY), REGULATOR_KEY)]);
    // nvidia's event signed with aws's registered key.
    const forged = { ...shipment(), signature: signed({ ...shipment(), publisher: 'aws' }, AWS_KEY)['signature'] };
    const outcome = run.push(forged);
    assert.equal(codeOf(outcome), 'UNKNOWN_KEY');
    assert.match(outcome.status === 'rejected' ? outcome.message : '', /belongs to publisher "aws"/);
  });

  test('a regulator key that is not a trust anchor; a registered key named regulator/... is impossible', () => {
    const rogue = testKey('regulator/rogue', 0x66);
    const run = signedRun();
    assert.equal(codeOf(run.push(signed(grantUveu('aws'), rogue))), 'UNKNOWN_KEY');
    assert.equal(codeOf(run.push(signed(grantUveu('aws'), REGULATOR_KEY))), 'recorded');
  });

  test('a revoked key: recorded up to its revocation, UNKNOWN_KEY from the next event on', () => {
    const run = signedRun([signed(registerKey(NVIDIA_KEY), REGULATOR_KEY)]);
    assert.equal(codeOf(run.push(signed(shipment({ eventId: 'before' }), NVIDIA_KEY))), 'recorded');
    assert.equal(codeOf(run.push(signed(revokeKey(NVIDIA_KEY.keyId), REGULATOR_KEY))), 'recorded');
    const after = run.push(signed(shipment({ eventId: 'after' }), NVIDIA_KEY));
    assert.equal(codeOf(after), 'UNKNOWN_KEY');
    assert.match(after.status === 'rejected' ? after.message : '', /revoked/);
    // The event signed before the revocation stays recorded. Sent again, it is judged at its new place in the stream,
    // where the signature check (before idempotency) finds the key revoked.
    assert.equal(codeOf(run.push(signed(shipment({ eventId: 'before' }), NVIDIA_KEY))), 'UNKNOWN_KEY');
    assert.equal(run.replayer.result().accounts.find((a) => a.account === 'country:AE')?.usedTpp, 15_832_000n, 'the first shipment still counts, once');
  });

  test('a rotated key: the new one verifies after its registration, the old one until its revocation', () => {
    const next = testKey('nvidia/2026-2', 0x22);
    const run = signedRun([signed(registerKey(NVIDIA_KEY), REGULATOR_KEY), signed(registerKey(next), REGULATOR_KEY)]);
    assert.equal(codeOf(run.push(signed(shipment(), NVIDIA_KEY))), 'recorded');
    assert.equal(codeOf(run.push(signed(shipment(), next))), 'recorded');
    run.push(signed(revokeKey(NVIDIA_KEY.keyId), REGULATOR_KEY));
    assert.equal(codeOf(run.push(signed(shipment(), NVIDIA_KEY))), 'UNKNOWN_KEY');
    assert.equal(codeOf(run.push(signed(shipment(), next))), 'recorded');
  });
});
