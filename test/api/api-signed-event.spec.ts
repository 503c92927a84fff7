// The API returns a recorded event as its publisher sent it, signature (key id and value) included, so anyone holding
// the publisher's public key can check, without the ledger, that the publisher said exactly this.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { canonicalUnsignedJson } from '@app/contracts';
import { privateKeyObject, rawPublicKey, signEvent, verifyEd25519 } from '@app/policy';
import { shipment, startApiFixture, type ApiFixture } from './support/api-fixture';

const REGULATOR = 'test-regulator-key';
const privateKey = privateKeyObject(Buffer.alloc(32, 0x5a).toString('base64url'));
const publicKey = rawPublicKey(privateKey);

let f: ApiFixture;
before(async () => {
  f = await startApiFixture('api_signed_event');
  await f.addKey(REGULATOR, 'regulator');
});
after(async () => {
  await f?.close();
});

it('GET /events/:publisher/:eventId returns the event with its signature, which verifies without the ledger', async () => {
  const signed = signEvent(shipment({ country: 'AE', quantity: 7, eventId: 'nv-signed-1', at: '2026-03-01T00:00:00Z' }) as Record<string, unknown>, 'nvidia/api-1', privateKey);
  // The fixture's writer does not require signatures; the key is registered (unsigned, which that allows) first.
  const registration = {
    type: 'policy.publisher-key-registered', version: 1, eventId: 'key-api-1', publisher: 'regulator', occurredAt: '2026-01-01T00:00:00Z',
    key: { keyId: 'nvidia/api-1', publicKey },
  };
  const result = await f.record([registration, signed]);
  assert.equal(result.recorded, 2, result.results.map((r) => (r.status === "rejected" ? r.message : r.status)).join("; "));
  const res = await f.get('/events/nvidia/nv-signed-1', REGULATOR);
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.event.signature, signed.signature);
  assert.equal(res.body.event.signature.keyId, 'nvidia/api-1');
  assert.equal(verifyEd25519(canonicalUnsignedJson(res.body.event), res.body.event.signature.value, publicKey), true);
});
