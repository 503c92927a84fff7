// Signature enforcement (CONTRACTS.md, "Authenticity"): `required` refuses an unsigned event (UNSIGNED); `optional`
// judges it as before; a present signature is verified under either.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { shipment } from './support/events';
import { authenticity, codeOf, NVIDIA_KEY, registerKey, REGULATOR_KEY, signed, signedRun } from './support/signing';

const setup = () => [signed(registerKey(NVIDIA_KEY), REGULATOR_KEY)];

describe('required', () => {
  test('an unsigned event is UNSIGNED and changes nothing', () => {
    const run = signedRun(setup());
    const outcome = run.push(shipment({ items: [{ chip: 'H100-SXM', quantity: 1000 }] }));
    assert.equal(codeOf(outcome), 'UNSIGNED');
    assert.equal(run.replayer.result().accounts.length, 0, 'no account moved');
    assert.deepEqual(run.replayer.result().counts, { read: 2, recorded: 1, duplicates: 0, rejected: 1 });
  });

  test('a signed event with a registered key is recorded', () => {
    const run = signedRun(setup());
    assert.equal(codeOf(run.push(signed(shipment(), NVIDIA_KEY))), 'recorded');
    assert.equal(run.replayer.result().accounts.find((a) => a.account === 'country:AE')?.usedTpp, 15_832_000n);
  });

  test('an unsigned regulator event is UNSIGNED: the trust anchors sign the regulator\'s events too', () => {
    const run = signedRun([registerKey(NVIDIA_KEY)]);
    assert.equal(run.last(), 'UNSIGNED');
  });
});

describe('optional', () => {
  const optional = authenticity({ enforcement: 'optional' });

  test('an unsigned event is judged as before', () => {
    const run = signedRun([], optional);
    assert.equal(codeOf(run.push(shipment())), 'recorded');
  });

  test('a present signature is still verified: a tampered event is BAD_SIGNATURE, an unknown key UNKNOWN_KEY', () => {
    const run = signedRun(setup(), optional);
    const good = signed(shipment(), NVIDIA_KEY);
    assert.equal(codeOf(run.push({ ...good, items: [{ chip: 'H100-SXM', quantity: 1 }] })), 'BAD_SIGNATURE');
    assert.equal(codeOf(run.push(signed(shipment({ publisher: 'amd' }), { ...NVIDIA_KEY, keyId: 'amd/1' }))), 'UNKNOWN_KEY');
    assert.equal(codeOf(run.push(good)), 'recorded');
  });
});
