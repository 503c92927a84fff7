// Contract suite (black box, through the built CLI): CONTRACTS.md "Authenticity: signed events and publisher keys"
// (added 2026-12). Keys come from fixed seeds; signatures are made with the suite's own RFC 8785 form
// (support/jcs.ts). Every expected number is worked out from the contract by hand: an H100-SXM is 15,832 TPP,
// so the default shipment (1000 of them, LICENSE without ref, to AE) is 15,832,000 on country:AE with no alert.
import { test } from 'node:test';
import * as crypto from 'node:crypto';
import assert from 'node:assert/strict';
import { keyFromSeed, signed, signatureValue, type Event } from './support/keys';
import { deployment, keyRegistered, keyRevoked, shipment, veuGranted } from './support/events';
import { replay } from './support/replay';
import { scrambled } from './support/lines';

const REG = keyFromSeed('regulator/root-1');
const NV1 = keyFromSeed('nvidia/2026-1');
const NV2 = keyFromSeed('nvidia/2026-2');
const AMD1 = keyFromSeed('amd/2026-1');
const REQUIRED = { requireSignatures: true, trustedKeys: [REG] };
const reg = (e: Event) => signed(e, REG);
const SHIPPED = 15_832_000;

test('signed bytes are the JCS form: a line with other member order, spacing, escapes and number spelling verifies', async () => {
  const items = [{ tppPerUnit: 20_000, quantity: 4, label: 'custom "ASIC" – ünï ✓ / \u0007\n', dieAreaMm2: 814.5 }];
  const event = signed(shipment('nv-jcs', { items }), NV1);
  const line = scrambled(event, (n) => (n === 814.5 ? '8.145E2' : n === 4 ? '4.0' : String(n)));
  assert.deepEqual(JSON.parse(line), event, 'the scrambled line is the same JSON value');
  const r = await replay([reg(keyRegistered('k1', NV1.keyId, NV1.publicKey)), line], REQUIRED);
  assert.deepEqual(r.doc.rejected, []);
  assert.equal(r.doc.counts.recorded, 2);
  // 4 x 20,000 = 80,000 (controlled: 20,000 >= 4,800).
  assert.equal(r.used('country:AE'), 80_000);
});

test('optional (the offline default): an unsigned event is judged as before', async () => {
  const r = await replay([shipment('nv-1')]);
  assert.deepEqual(r.doc.rejected, []);
  assert.equal(r.used('country:AE'), SHIPPED);
});

test('UNSIGNED: with --require-signatures an unsigned event is rejected and changes nothing', async () => {
  const r = await replay([reg(keyRegistered('k1', NV1.keyId, NV1.publicKey)), shipment('nv-1'), keyRegistered('k2', NV2.keyId, NV2.publicKey)], REQUIRED);
  assert.deepEqual(r.rejections(), [[2, 'UNSIGNED'], [3, 'UNSIGNED']]);
  assert.deepEqual(r.doc.counts, { read: 3, recorded: 1, duplicates: 0, rejected: 2 });
  assert.equal(r.used('country:AE'), 0);
});

test('UNSIGNED leaves no idempotency record: the same key sent again, signed, is recorded', async () => {
  const r = await replay([reg(keyRegistered('k1', NV1.keyId, NV1.publicKey)), shipment('nv-1'), signed(shipment('nv-1'), NV1)], REQUIRED);
  assert.deepEqual(r.rejections(), [[2, 'UNSIGNED']]);
  assert.deepEqual(r.doc.counts, { read: 3, recorded: 2, duplicates: 0, rejected: 1 });
  assert.equal(r.used('country:AE'), SHIPPED);
});

test('UNKNOWN_KEY: a key never registered is refused even when signatures are optional (a present signature is always verified)', async () => {
  const r = await replay([signed(shipment('nv-1'), NV1)]);
  assert.deepEqual(r.rejections(), [[1, 'UNKNOWN_KEY']]);
  assert.equal(r.used('country:AE'), 0);
});

test("UNKNOWN_KEY: a registered key whose publisher part differs from the event's publisher", async () => {
  const r = await replay([
    keyRegistered('k1', NV1.keyId, NV1.publicKey),
    keyRegistered('k2', AMD1.keyId, AMD1.publicKey),
    signed(shipment('amd-1', { publisher: 'amd' }), NV1),
    signed(shipment('nv-1'), AMD1),
  ]);
  assert.deepEqual(r.rejections(), [[3, 'UNKNOWN_KEY'], [4, 'UNKNOWN_KEY']]);
  assert.equal(r.used('country:AE'), 0);
});

test('BAD_SIGNATURE: an event changed after signing, one signed over its line bytes, one signed by another key', async () => {
  const altered = { ...signed(shipment('nv-1'), NV1), items: [{ chip: 'H100-SXM', quantity: 1001 }] };
  // The builder's member order (type, version, eventId, ...) is not the canonical one, so these bytes differ from JCS.
  const unsignedBytes = shipment('nv-2');
  const raw = { ...unsignedBytes, signature: { alg: 'Ed25519', keyId: NV1.keyId, value: '' } };
  raw.signature.value = crypto.sign(null, Buffer.from(JSON.stringify(unsignedBytes)), NV1.privateKey).toString('base64url');
  const otherKey = { ...shipment('nv-3'), signature: { alg: 'Ed25519', keyId: NV1.keyId, value: signatureValue(shipment('nv-3'), NV2) } };
  const r = await replay([keyRegistered('k1', NV1.keyId, NV1.publicKey), altered, raw, otherKey, signed(shipment('nv-4'), NV1)]);
  assert.deepEqual(r.rejections(), [[2, 'BAD_SIGNATURE'], [3, 'BAD_SIGNATURE'], [4, 'BAD_SIGNATURE']]);
  assert.equal(r.used('country:AE'), SHIPPED, 'only nv-4 is recorded');
});

test('a key revoked at event N stops verifying from N+1; what it signed before stays recorded', async () => {
  const r = await replay(
    [
      reg(keyRegistered('k1', NV1.keyId, NV1.publicKey)),
      signed(shipment('nv-1'), NV1),
      reg(keyRevoked('k1-off', NV1.keyId)),
      signed(shipment('nv-2'), NV1),
    ],
    REQUIRED,
  );
  assert.deepEqual(r.rejections(), [[4, 'UNKNOWN_KEY']]);
  assert.equal(r.doc.counts.recorded, 3);
  assert.equal(r.used('country:AE'), SHIPPED);
});

// reading: the check order puts the signature before idempotency, and a revoked key verifies nothing after its
// revocation, so a copy of an earlier event still carrying the revoked key's signature is UNKNOWN_KEY, not a
// duplicate.
test('a copy, sent after the revocation, of an event signed by the revoked key is UNKNOWN_KEY', async () => {
  const s1 = signed(shipment('nv-1'), NV1);
  const r = await replay([keyRegistered('k1', NV1.keyId, NV1.publicKey), s1, keyRevoked('k1-off', NV1.keyId), s1]);
  assert.deepEqual(r.rejections(), [[4, 'UNKNOWN_KEY']]);
  assert.equal(r.doc.counts.duplicates, 0);
  assert.equal(r.used('country:AE'), SHIPPED);
});

test('rotation: the same event re-signed with the new key is a duplicate; a changed one is DUPLICATE_CONFLICT', async () => {
  const r = await replay(
    [
      reg(keyRegistered('k1', NV1.keyId, NV1.publicKey)),
      signed(shipment('nv-1'), NV1),
      reg(keyRegistered('k2', NV2.keyId, NV2.publicKey)),
      reg(keyRevoked('k1-off', NV1.keyId)),
      signed(shipment('nv-1'), NV2),
      signed(shipment('nv-1', { items: [{ chip: 'H100-SXM', quantity: 999 }] }), NV2),
    ],
    REQUIRED,
  );
  assert.deepEqual(r.rejections(), [[6, 'DUPLICATE_CONFLICT']]);
  assert.deepEqual(r.doc.counts, { read: 6, recorded: 4, duplicates: 1, rejected: 1 });
  assert.equal(r.used('country:AE'), SHIPPED);
});

test('idempotency ignores the signature: with signatures optional, an unsigned copy of a signed event is a duplicate', async () => {
  const r = await replay([keyRegistered('k1', NV1.keyId, NV1.publicKey), signed(shipment('nv-1'), NV1), shipment('nv-1')]);
  assert.deepEqual(r.doc.rejected, []);
  assert.deepEqual(r.doc.counts, { read: 3, recorded: 2, duplicates: 1, rejected: 0 });
  assert.equal(r.used('country:AE'), SHIPPED);
});

test('a signed reporter key: a deployment by a grant reporter, signed with its own key, is recorded', async () => {
  const OPS = keyFromSeed('aws-ops/1');
  const grant = reg(veuGranted('g', { kind: 'UVEU', id: 'aws', headquarters: 'US', reporters: ['aws-ops'] }));
  const AWS = keyFromSeed('aws/1');
  const r = await replay(
    [
      grant,
      reg(keyRegistered('k-ops', OPS.keyId, OPS.publicKey)),
      reg(keyRegistered('k-aws', AWS.keyId, AWS.publicKey)),
      signed(deployment('ops-1', { publisher: 'aws-ops' }), OPS),
      // The VEU's own key does not sign for its reporter: the key's publisher part must be the event's.
      signed(deployment('ops-2', { publisher: 'aws-ops' }), AWS),
    ],
    REQUIRED,
  );
  assert.deepEqual(r.rejections(), [[5, 'UNKNOWN_KEY']]);
  // 8 B200 x 36,000 = 288,000 installed in US by aws.
  assert.equal(r.used('installed:aws:US'), 288_000);
});

test('order: required, an unsigned exact copy of a recorded signed event is UNSIGNED (the signature is checked before idempotency)', async () => {
  const r = await replay([reg(keyRegistered('k1', NV1.keyId, NV1.publicKey)), signed(shipment('nv-1'), NV1), shipment('nv-1')], REQUIRED);
  assert.deepEqual(r.rejections(), [[3, 'UNSIGNED']]);
  assert.equal(r.doc.counts.duplicates, 0);
});
