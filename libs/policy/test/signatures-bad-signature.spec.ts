// BAD_SIGNATURE: the signature does not verify the event's canonical form (RFC 8785, without `signature`) with the
// key its key id names. Any change to the signed content, or to the signature, is caught; changes that keep the
// canonical form (member order, whitespace, number spelling) are not changes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { shipment, type Json } from './support/events';
import { codeOf, NVIDIA_KEY, registerKey, REGULATOR_KEY, signed, signedRun, testKey } from './support/signing';

const setup = () => [signed(registerKey(NVIDIA_KEY), REGULATOR_KEY)];
const sig = (e: Json) => e['signature'] as { alg: string; keyId: string; value: string };

describe('BAD_SIGNATURE', () => {
  test('a field changed after signing', () => {
    const good = signed(shipment({ country: 'AE' }), NVIDIA_KEY);
    const run = signedRun(setup());
    assert.equal(codeOf(run.push({ ...good, consignee: { id: 'acme-ai', country: 'IN' } })), 'BAD_SIGNATURE');
    assert.equal(codeOf(run.push({ ...good, occurredAt: '2026-03-14T09:30:01Z' })), 'BAD_SIGNATURE');
    assert.equal(run.replayer.result().accounts.length, 0, 'nothing moved');
  });

  test('signed by another key than the one its key id names', () => {
    const other = testKey(NVIDIA_KEY.keyId, 0x77);
    const run = signedRun(setup());
    assert.equal(codeOf(run.push(signed(shipment(), other))), 'BAD_SIGNATURE');
  });

  test('any one character of the signature changed, the last one included (its unused bits too)', () => {
    const good = signed(shipment({ eventId: 'nv-sig' }), NVIDIA_KEY);
    const value = sig(good).value;
    const run = signedRun(setup());
    for (const i of [0, 40, 84, 85]) {
      const c = value[i]!;
      const swapped = c === 'A' ? 'B' : 'A';
      const forged = { ...good, signature: { ...sig(good), value: value.slice(0, i) + swapped + value.slice(i + 1) } };
      assert.equal(codeOf(run.push(forged)), 'BAD_SIGNATURE', `character ${i}`);
    }
    assert.equal(codeOf(run.push(good)), 'recorded');
  });

  test('member order, whitespace and number spelling are not part of what is signed', () => {
    const good = signed(shipment({ items: [{ chip: 'H100-SXM', quantity: 1000 }] }), NVIDIA_KEY);
    const reordered = Object.fromEntries(Object.entries(good).reverse());
    const text = JSON.stringify(reordered, null, 2).replace('"quantity": 1000', '"quantity": 1.0e3');
    const run = signedRun(setup());
    assert.equal(codeOf(run.push(text.replace(/\n/g, ' '))), 'recorded');
  });

  test('a signature that is not 86 base64url characters, or another algorithm, is MALFORMED (its shape)', () => {
    const good = signed(shipment(), NVIDIA_KEY);
    const run = signedRun(setup());
    assert.equal(codeOf(run.push({ ...good, signature: { ...sig(good), value: sig(good).value.slice(1) } })), 'MALFORMED');
    assert.equal(codeOf(run.push({ ...good, signature: { ...sig(good), alg: 'RS256' } })), 'MALFORMED');
    assert.equal(codeOf(run.push({ ...good, signature: { ...sig(good), keyId: 'nvidia' } })), 'MALFORMED');
    assert.equal(codeOf(run.push({ ...good, signature: { ...sig(good), extra: 1 } })), 'MALFORMED');
  });
});
