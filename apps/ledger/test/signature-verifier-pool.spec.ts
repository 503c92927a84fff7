// The verifier pool: worker threads, one per core by default, give each event the verdict the judge would reach
// itself, and the judge then uses it instead of verifying on its own thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as os from 'node:os';
import { decodeEvent, loadPolicyPack, privateKeyObject, rawPublicKey, signEvent, type DecodedEvent } from '@app/policy';
import { SignatureVerifierPool } from '../src/signature-verifier.pool';

const pack = loadPolicyPack();
const privateKey = privateKeyObject(Buffer.alloc(32, 0x42).toString('base64url'));
const publicKey = rawPublicKey(privateKey);
const event = (i: number) => ({
  type: 'chip.shipment', version: 1, eventId: `nv-${i}`, publisher: 'nvidia', occurredAt: '2026-03-14T09:30:00Z',
  consignee: { id: 'acme-ai', country: 'AE' }, authorization: { kind: 'LICENSE' }, items: [{ chip: 'A100', quantity: 1 + i }],
});

test('sized to the cores by default; verdicts agree with verifying in place, for good and forged events alike', async () => {
  const pool = new SignatureVerifierPool();
  try {
    assert.equal(pool.size, os.availableParallelism());
    const decoded: DecodedEvent[] = [];
    for (let i = 0; i < 600; i++) {
      const signed = signEvent(event(i), 'nvidia/1', privateKey);
      // Every third event is changed after signing.
      const sent = i % 3 === 0 ? { ...signed, items: [{ chip: 'A100', quantity: 9999 }] } : signed;
      const d = decodeEvent(pack, JSON.stringify(sent));
      assert.ok(d.ok);
      decoded.push(d);
    }
    await pool.preverify(decoded.map((d) => ({ decoded: d, publicKey })));
    const fresh = decoded.map((d) => decodeEvent(pack, JSON.stringify(d.event)) as DecodedEvent);
    decoded.forEach((d, i) => {
      assert.equal(d.signatureVerifies(publicKey), i % 3 !== 0, `event ${i}`);
      assert.equal(d.signatureVerifies(publicKey), fresh[i]!.signatureVerifies(publicKey), `event ${i} verified in place`);
    });
  } finally {
    await pool.close();
  }
});

test('a verdict is used only for the key it was made with', async () => {
  const pool = new SignatureVerifierPool(1);
  try {
    const d = decodeEvent(pack, JSON.stringify(signEvent(event(1), 'nvidia/1', privateKey)));
    assert.ok(d.ok);
    const other = rawPublicKey(privateKeyObject(Buffer.alloc(32, 0x43).toString('base64url')));
    await pool.preverify([{ decoded: d, publicKey: other }]);
    assert.equal(d.signatureVerifies(other), false);
    assert.equal(d.signatureVerifies(publicKey), true, 'verified again with the key asked for');
  } finally {
    await pool.close();
  }
});
