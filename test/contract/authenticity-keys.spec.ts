// Contract suite (black box, through the built CLI): CONTRACTS.md "Authenticity", the key registry (registration,
// revocation, trust anchors) and where the signature sits in the order of checks ("Rejections": shape, signature,
// publisher's right, country codes, chip ids, idempotency, state).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyFromSeed, signed, type Event } from './support/keys';
import { keyRegistered, keyRevoked, shipment, veuGranted } from './support/events';
import { replay } from './support/replay';

const REG = keyFromSeed('regulator/root-1');
const REG_OTHER = keyFromSeed('regulator/extra');
const NV1 = keyFromSeed('nvidia/2026-1');
const NV2 = keyFromSeed('nvidia/2026-2');
const REQUIRED = { requireSignatures: true, trustedKeys: [REG] };
const reg = (e: Event) => signed(e, REG);
const SHIPPED = 15_832_000;
const registerNv1 = reg(keyRegistered('k1', NV1.keyId, NV1.publicKey));

test('trust anchors come from --trusted-keys: a signed regulator event verifies with it and is UNKNOWN_KEY without it', async () => {
  const lines = [registerNv1, signed(shipment('nv-1'), NV1)];
  const withAnchor = await replay(lines, REQUIRED);
  assert.deepEqual(withAnchor.doc.rejected, []);
  assert.equal(withAnchor.used('country:AE'), SHIPPED);
  const without = await replay(lines, { requireSignatures: true });
  // The registration is refused, so the shipment's key is not registered either.
  assert.deepEqual(without.rejections(), [[1, 'UNKNOWN_KEY'], [2, 'UNKNOWN_KEY']]);
});

test('UNKNOWN_KEY: a regulator event signed by a regulator key that is not a trust anchor', async () => {
  const r = await replay([signed(keyRegistered('k1', NV1.keyId, NV1.publicKey), REG_OTHER)], REQUIRED);
  assert.deepEqual(r.rejections(), [[1, 'UNKNOWN_KEY']]);
});

test('MALFORMED: registering a regulator/... key by event; it changes nothing', async () => {
  const r = await replay([reg(keyRegistered('r1', REG_OTHER.keyId, REG_OTHER.publicKey)), signed(keyRegistered('k1', NV1.keyId, NV1.publicKey), REG_OTHER)], REQUIRED);
  assert.deepEqual(r.rejections(), [[1, 'MALFORMED'], [2, 'UNKNOWN_KEY']]);
});

test('MALFORMED: re-registering a key id that was ever registered, even after revocation; the first key stays the key', async () => {
  const forged = { ...shipment('nv-2'), signature: signed(shipment('nv-2'), NV2)['signature'] };
  (forged.signature as { keyId: string }).keyId = NV1.keyId;
  const r = await replay([
    keyRegistered('k1', NV1.keyId, NV1.publicKey),
    keyRegistered('k1-again', NV1.keyId, NV2.publicKey),
    signed(shipment('nv-1'), NV1),
    forged,
    keyRevoked('k1-off', NV1.keyId),
    keyRegistered('k1-back', NV1.keyId, NV1.publicKey),
    signed(shipment('nv-3'), NV1),
  ]);
  assert.deepEqual(r.rejections(), [[2, 'MALFORMED'], [4, 'BAD_SIGNATURE'], [6, 'MALFORMED'], [7, 'UNKNOWN_KEY']]);
  assert.equal(r.used('country:AE'), SHIPPED);
});

test('the same registration event sent twice is a duplicate, not MALFORMED (the state check comes after idempotency)', async () => {
  const r = await replay([keyRegistered('k1', NV1.keyId, NV1.publicKey), keyRegistered('k1', NV1.keyId, NV1.publicKey)]);
  assert.deepEqual(r.doc.rejected, []);
  assert.deepEqual(r.doc.counts, { read: 2, recorded: 1, duplicates: 1, rejected: 0 });
});

test('MALFORMED: revoking a key id that is not registered; the key can still be registered afterwards', async () => {
  const r = await replay([keyRevoked('k1-off', NV1.keyId), keyRegistered('k1', NV1.keyId, NV1.publicKey), signed(shipment('nv-1'), NV1)]);
  assert.deepEqual(r.rejections(), [[1, 'MALFORMED']]);
  assert.equal(r.used('country:AE'), SHIPPED);
});

// reading: trust anchors are configuration, "never by events"; an anchor is not a registered key, so revoking it by
// event is "revoking one that is not registered" (MALFORMED), and it keeps verifying.
test('MALFORMED: revoking a trust anchor by event; the anchor keeps verifying', async () => {
  const r = await replay([reg(keyRevoked('anchor-off', REG.keyId)), registerNv1, signed(shipment('nv-1'), NV1)], REQUIRED);
  assert.deepEqual(r.rejections(), [[1, 'MALFORMED']]);
  assert.equal(r.used('country:AE'), SHIPPED);
});

test('FORBIDDEN_PUBLISHER: a chipmaker registering its own key, signed with a valid key of its own', async () => {
  const r = await replay([keyRegistered('k1', NV1.keyId, NV1.publicKey), signed(keyRegistered('nv-k2', NV2.keyId, NV2.publicKey, undefined, 'nvidia'), NV1)]);
  assert.deepEqual(r.rejections(), [[2, 'FORBIDDEN_PUBLISHER']]);
});

// reading: the registered key is "base64url of the 32 raw bytes"; anything else is a shape violation.
test('MALFORMED: a registered public key that is not 32 bytes of base64url', async () => {
  const short = Buffer.from(NV1.publicKey, 'base64url').subarray(0, 31).toString('base64url');
  const r = await replay([keyRegistered('k1', NV1.keyId, short), keyRegistered('k2', NV2.keyId, `${NV2.publicKey}=`)]);
  assert.deepEqual(r.rejections(), [[1, 'MALFORMED'], [2, 'MALFORMED']]);
});

test('order: required, an unsigned event with an unknown chip or an invalid country is UNSIGNED', async () => {
  const r = await replay(
    [shipment('nv-1', { items: [{ chip: 'H999', quantity: 1 }] }), shipment('nv-2', { country: 'XX' })],
    REQUIRED,
  );
  assert.deepEqual(r.rejections(), [[1, 'UNSIGNED'], [2, 'UNSIGNED']]);
});

test('order: required, an unsigned event with a shape violation is MALFORMED and one of an unknown type UNKNOWN_TYPE', async () => {
  const r = await replay([shipment('nv-1', { items: [{ chip: 'H100-SXM', quantity: 0 }] }), { ...shipment('nv-2'), type: 'chip.shipment-cancelled' }], REQUIRED);
  assert.deepEqual(r.rejections(), [[1, 'MALFORMED'], [2, 'UNKNOWN_TYPE']]);
});

test('order: a badly signed event with an unknown chip is BAD_SIGNATURE; well signed, UNKNOWN_CHIP', async () => {
  const bad = { ...signed(shipment('nv-1', { items: [{ chip: 'H999', quantity: 1 }] }), NV1), eventId: 'nv-1b' };
  const good = signed(shipment('nv-2', { items: [{ chip: 'H999', quantity: 1 }] }), NV1);
  const r = await replay([keyRegistered('k1', NV1.keyId, NV1.publicKey), bad, good]);
  assert.deepEqual(r.rejections(), [[2, 'BAD_SIGNATURE'], [3, 'UNKNOWN_CHIP']]);
});

test('order: a changed copy of a recorded event is BAD_SIGNATURE or UNKNOWN_KEY when so signed, DUPLICATE_CONFLICT when well signed', async () => {
  const changed = shipment('nv-1', { items: [{ chip: 'H100-SXM', quantity: 2 }] });
  const badlySigned = { ...signed(changed, NV1), items: [{ chip: 'H100-SXM', quantity: 3 }] };
  const r = await replay([
    keyRegistered('k1', NV1.keyId, NV1.publicKey),
    signed(shipment('nv-1'), NV1),
    badlySigned,
    signed(changed, NV2),
    signed(changed, NV1),
  ]);
  assert.deepEqual(r.rejections(), [[3, 'BAD_SIGNATURE'], [4, 'UNKNOWN_KEY'], [5, 'DUPLICATE_CONFLICT']]);
  assert.equal(r.used('country:AE'), SHIPPED);
});

test("order: a policy event from a chipmaker is UNSIGNED when required and unsigned, FORBIDDEN_PUBLISHER when signed by the chipmaker's key", async () => {
  const grant = veuGranted('nv-g', { kind: 'UVEU', id: 'nv-cloud', headquarters: 'US' }, undefined, 'nvidia');
  const r = await replay([registerNv1, grant, signed({ ...grant, eventId: 'nv-g2' }, NV1)], REQUIRED);
  assert.deepEqual(r.rejections(), [[2, 'UNSIGNED'], [3, 'FORBIDDEN_PUBLISHER']]);
});

test("UNKNOWN_KEY: a trust anchor verifies only the regulator's events (its publisher part is regulator)", async () => {
  const r = await replay([signed(shipment('nv-1'), REG)], REQUIRED);
  assert.deepEqual(r.rejections(), [[1, 'UNKNOWN_KEY']]);
});

// reading: keyId "<publisher>/<name>" (name 1-64 chars [A-Za-z0-9._-]), alg "Ed25519" and a 64-byte value in
// base64url without padding are the signature's shape, so breaking one is MALFORMED ("bad pattern"), checked
// before the signature itself.
test('MALFORMED: a signature whose keyId, alg or value breaks its shape', async () => {
  const good = signed(shipment('nv-1'), NV1);
  const sig = good['signature'] as Record<string, string>;
  const variants = [
    { ...sig, keyId: 'nvidia' },
    { ...sig, keyId: 'nvidia/bad name' },
    { ...sig, keyId: `nvidia/${'n'.repeat(65)}` },
    { ...sig, alg: 'RS256' },
    { ...sig, value: `${sig['value']}==` },
    { ...sig, value: sig['value']!.slice(0, 80) },
  ];
  const r = await replay([keyRegistered('k1', NV1.keyId, NV1.publicKey), ...variants.map((s, i) => ({ ...good, eventId: `nv-${i}`, signature: s }))]);
  assert.deepEqual(r.rejections(), variants.map((_, i) => [i + 2, 'MALFORMED']));
});
