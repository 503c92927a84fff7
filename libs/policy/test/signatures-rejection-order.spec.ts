// Where the 2026-12 codes sit in the contract's order: size, JSON, a string type (MALFORMED); a known type
// (UNKNOWN_TYPE); the topic and key (WRONG_TOPIC, WRONG_KEY; Kafka only); the rest of the shape (MALFORMED); the
// signature (UNSIGNED, UNKNOWN_KEY, BAD_SIGNATURE); the publisher's right (FORBIDDEN_PUBLISHER); country codes
// (INVALID_COUNTRY); chip ids (UNKNOWN_CHIP); idempotency (DUPLICATE_CONFLICT); state checks.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEvent, loadPolicyPack } from '@app/policy';
import { deployment, g2g, grantUveu, line, shipment, withField } from './support/events';
import { AWS_KEY, codeOf, NVIDIA_KEY, registerKey, REGULATOR_KEY, signed, signedRun } from './support/signing';

const pack = loadPolicyPack();
const setup = () => [signed(registerKey(NVIDIA_KEY), REGULATOR_KEY), signed(registerKey(AWS_KEY), REGULATOR_KEY)];
const route = (topic: string, key: string | null) => ({ topic, key: key === null ? null : Buffer.from(key) });
const decodedCode = (event: unknown, topic: string, key: string | null): string => {
  const d = decodeEvent(pack, typeof event === 'string' ? event : line(event as never), route(topic, key));
  return d.ok ? (d.deferred?.code ?? 'ok') : d.code;
};

describe('topic and key (Kafka only)', () => {
  test('an event type on another topic than its own is WRONG_TOPIC', () => {
    assert.equal(decodedCode(grantUveu('aws'), 'chips.shipments.v1', 'aws'), 'WRONG_TOPIC');
    assert.equal(decodedCode(shipment(), 'policy.changes.v1', 'AE'), 'WRONG_TOPIC');
    assert.equal(decodedCode(deployment(), 'chips.shipments.v1', 'IN'), 'WRONG_TOPIC');
    assert.equal(decodedCode(shipment({ country: 'AE' }), 'chips.shipments.v1', 'AE'), 'ok');
  });

  test('a shipment keyed other than by its destination, a deployment other than by its VEU: WRONG_KEY', () => {
    assert.equal(decodedCode(shipment({ country: 'CN' }), 'chips.shipments.v1', 'DE'), 'WRONG_KEY');
    assert.equal(decodedCode(shipment({ country: 'CN' }), 'chips.shipments.v1', null), 'WRONG_KEY');
    assert.equal(decodedCode(deployment({ veu: 'aws' }), 'dc.deployments.v1', 'IN'), 'WRONG_KEY');
    assert.equal(decodedCode(deployment({ veu: 'aws' }), 'dc.deployments.v1', 'aws'), 'ok');
  });

  test('policy keys are informational: not checked', () => {
    assert.equal(decodedCode(grantUveu('aws'), 'policy.changes.v1', 'anything'), 'ok');
    assert.equal(decodedCode(g2g('AE'), 'policy.changes.v1', null), 'ok');
  });

  test('UNKNOWN_TYPE before WRONG_TOPIC; WRONG_TOPIC and WRONG_KEY before the rest of the shape', () => {
    assert.equal(decodedCode({ ...shipment(), type: 'chip.gift' }, 'policy.changes.v1', 'AE'), 'UNKNOWN_TYPE');
    assert.equal(decodedCode(withField(grantUveu('aws'), 'version', 2), 'chips.shipments.v1', 'aws'), 'WRONG_TOPIC');
    assert.equal(decodedCode(withField(shipment({ country: 'AE' }), 'version', 2), 'chips.shipments.v1', 'DE'), 'WRONG_KEY');
    // A key field that is missing cannot be compared: the shape check names it.
    assert.equal(decodedCode(withField(shipment(), 'consignee', undefined), 'chips.shipments.v1', 'DE'), 'MALFORMED');
  });

  test('without a topic (the offline replay) neither is checked', () => {
    const d = decodeEvent(pack, line(shipment({ country: 'CN' })));
    assert.equal(d.ok, true);
  });
});

describe('the signature in the order', () => {
  test('the shape before the signature: an unsigned malformed event is MALFORMED', () => {
    const run = signedRun(setup());
    assert.equal(codeOf(run.push(withField(shipment(), 'items.0.quantity', 0))), 'MALFORMED');
    assert.equal(codeOf(run.push({ ...shipment(), type: 'chip.gift' })), 'UNKNOWN_TYPE');
  });

  test('the signature before the publisher\'s right', () => {
    const run = signedRun(setup());
    // A policy event from a chipmaker: unsigned, UNSIGNED; signed with its own key, FORBIDDEN_PUBLISHER.
    assert.equal(codeOf(run.push(grantUveu('aws', 'US', { publisher: 'nvidia' }))), 'UNSIGNED');
    assert.equal(codeOf(run.push(signed(grantUveu('aws', 'US', { publisher: 'nvidia' }), NVIDIA_KEY))), 'FORBIDDEN_PUBLISHER');
    // A deployment for aws from nvidia: a bad signature is reported before the right to send it.
    const forged = { ...signed(deployment({ veu: 'aws', publisher: 'nvidia' }), NVIDIA_KEY), action: 'REMOVE' };
    assert.equal(codeOf(run.push(forged)), 'BAD_SIGNATURE');
    assert.equal(codeOf(run.push(signed(deployment({ veu: 'aws', publisher: 'nvidia' }), NVIDIA_KEY))), 'FORBIDDEN_PUBLISHER');
  });

  test('the publisher\'s right before country codes and chip ids', () => {
    const run = signedRun(setup());
    assert.equal(codeOf(run.push(signed(deployment({ veu: 'aws', publisher: 'nvidia', country: 'XX' }), NVIDIA_KEY))), 'FORBIDDEN_PUBLISHER');
    assert.equal(codeOf(run.push(signed(deployment({ veu: 'aws', publisher: 'nvidia', items: [{ chip: 'Z9', quantity: 1 }] }), NVIDIA_KEY))), 'FORBIDDEN_PUBLISHER');
    assert.equal(codeOf(run.push(signed(deployment({ veu: 'aws', country: 'XX' }), AWS_KEY))), 'INVALID_COUNTRY');
  });

  test('the signature before country codes, chip ids and idempotency', () => {
    const run = signedRun(setup());
    assert.equal(codeOf(run.push(shipment({ country: 'XX' }))), 'UNSIGNED');
    assert.equal(codeOf(run.push(signed(shipment({ items: [{ chip: 'Z9', quantity: 1 }] }), { ...AWS_KEY, keyId: 'nvidia/none' }))), 'UNKNOWN_KEY');
    const first = signed(shipment({ eventId: 'nv-dup' }), NVIDIA_KEY);
    run.push(first);
    assert.equal(codeOf(run.push({ ...first, items: [{ chip: 'A100', quantity: 1 }] })), 'BAD_SIGNATURE', 'not DUPLICATE_CONFLICT');
  });
});
