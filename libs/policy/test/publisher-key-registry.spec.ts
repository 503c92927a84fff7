// The publisher-key registry (CONTRACTS.md, "Authenticity"): keys come from the regulator's
// policy.publisher-key-registered / -revoked events. A key id names one key forever: registering an id that was
// ever registered, or revoking one that is not registered, is MALFORMED (a state check after idempotency);
// registering a regulator/... key is MALFORMED (its keys are trust anchors from configuration).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { shipment } from './support/events';
import { authenticity, codeOf, NVIDIA_KEY, registerKey, REGULATOR_KEY, revokeKey, signed, signedRun, testKey } from './support/signing';

const reg = (k: { keyId: string; publicKey: string }, eventId?: string) => signed(registerKey(k, { eventId }), REGULATOR_KEY);
const rev = (keyId: string, eventId?: string) => signed(revokeKey(keyId, { eventId }), REGULATOR_KEY);

describe('registering keys', () => {
  test('a registered key verifies the events after it', () => {
    const run = signedRun([reg(NVIDIA_KEY)]);
    assert.equal(run.last(), 'recorded');
    assert.equal(codeOf(run.push(signed(shipment(), NVIDIA_KEY))), 'recorded');
  });

  test('registering a regulator/... key is MALFORMED, signed or not', () => {
    const rogue = testKey('regulator/2027', 0x44);
    const run = signedRun([reg(rogue)]);
    assert.equal(run.last(), 'MALFORMED');
    assert.equal(codeOf(run.push(registerKey(rogue))), 'MALFORMED', 'a shape check: before UNSIGNED');
  });

  test('registering an id that is registered, or was and is revoked, is MALFORMED, even with the same key', () => {
    const run = signedRun([reg(NVIDIA_KEY)]);
    assert.equal(codeOf(run.push(reg(NVIDIA_KEY))), 'MALFORMED');
    assert.equal(codeOf(run.push(reg(testKey(NVIDIA_KEY.keyId, 0x55)))), 'MALFORMED');
    run.push(rev(NVIDIA_KEY.keyId));
    assert.equal(codeOf(run.push(reg(NVIDIA_KEY))), 'MALFORMED', 'a revoked id is not given a second life');
    assert.equal(codeOf(run.push(signed(shipment(), NVIDIA_KEY))), 'UNKNOWN_KEY');
  });

  test('the same registration event again is a duplicate (idempotency comes before the state check)', () => {
    const first = reg(NVIDIA_KEY, 'bis-key-1');
    const run = signedRun([first]);
    assert.equal(codeOf(run.push(first)), 'duplicate');
  });

  test('only the regulator registers keys: FORBIDDEN_PUBLISHER from anyone else', () => {
    const run = signedRun([reg(NVIDIA_KEY)]);
    const self = signed(registerKey(testKey('nvidia/2026-9', 0x09), { publisher: 'nvidia' }), NVIDIA_KEY);
    assert.equal(codeOf(run.push(self)), 'FORBIDDEN_PUBLISHER');
  });

  test('a public key that is not 32 bytes of base64url is MALFORMED', () => {
    const run = signedRun();
    for (const publicKey of [NVIDIA_KEY.publicKey.slice(1), `${NVIDIA_KEY.publicKey}A`, `${NVIDIA_KEY.publicKey.slice(0, 42)}B`, NVIDIA_KEY.publicKey.replace(/.$/, '=')]) {
      assert.equal(codeOf(run.push(reg({ keyId: 'nvidia/x', publicKey }))), 'MALFORMED', publicKey);
    }
  });
});

describe('revoking keys', () => {
  test('revoking an id that was never registered is MALFORMED', () => {
    const run = signedRun([rev('nvidia/never')]);
    assert.equal(run.last(), 'MALFORMED');
  });

  test('revoking a revoked key is MALFORMED; the same revocation event again is a duplicate', () => {
    const revocation = rev(NVIDIA_KEY.keyId, 'bis-rev-1');
    const run = signedRun([reg(NVIDIA_KEY), revocation]);
    assert.equal(run.last(), 'recorded');
    assert.equal(codeOf(run.push(revocation)), 'duplicate');
    assert.equal(codeOf(run.push(rev(NVIDIA_KEY.keyId))), 'MALFORMED');
  });

  test('with signatures optional the registry still works: an unsigned registration counts', () => {
    const run = signedRun([registerKey(NVIDIA_KEY)], authenticity({ enforcement: 'optional' }));
    assert.equal(run.last(), 'recorded');
    assert.equal(codeOf(run.push(signed(shipment(), NVIDIA_KEY))), 'recorded');
  });
});
