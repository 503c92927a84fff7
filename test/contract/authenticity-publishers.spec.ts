// Contract suite (black box, through the built CLI): CONTRACTS.md "Input events", the publisher's right to send a
// deployment (its VEU, or a `reporters` entry of that VEU's grant in force) and the grant shapes (an NVEU's country
// and headquarters not Tier 3). Default deployment: 8 B200 (36,000 TPP each) installed in US, 288,000 TPP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, shipment, veuGranted, veuRevoked } from './support/events';
import { replay } from './support/replay';

const AWS_GRANT = veuGranted('g-aws', { kind: 'UVEU', id: 'aws', headquarters: 'US', reporters: ['aws-ops'] });

test('FORBIDDEN_PUBLISHER: a deployment is sent by its VEU or a reporter of its grant in force, nobody else', async () => {
  const r = await replay([
    AWS_GRANT,
    deployment('d-1'),
    deployment('d-2', { publisher: 'aws-ops' }),
    deployment('d-3', { publisher: 'azure' }),
  ]);
  assert.deepEqual(r.rejections(), [[4, 'FORBIDDEN_PUBLISHER']]);
  assert.equal(r.used('installed:aws:US'), 576_000);
  // 576,000 worldwide is below 1,000,000: no ratio account is evaluated, so nothing is raised.
  assert.deepEqual(r.alertSummary(), []);
});

test("FORBIDDEN_PUBLISHER: a revoked grant's reporters may not send; the VEU itself is recorded and UNAUTHORIZED", async () => {
  const r = await replay([
    AWS_GRANT,
    veuRevoked('r-aws', 'aws', '2026-03-01T00:00:00Z'),
    deployment('d-1', { publisher: 'aws-ops' }),
    deployment('d-2'),
  ]);
  assert.deepEqual(r.rejections(), [[3, 'FORBIDDEN_PUBLISHER']]);
  assert.deepEqual(r.alertSummary(), ['UNAUTHORIZED installed:aws:US']);
  assert.equal(r.doc.alerts[0]!.usedTpp, 288_000);
  assert.deepEqual(r.doc.alerts[0]!.causedBy, { publisher: 'aws', eventId: 'd-2' });
});

test("FORBIDDEN_PUBLISHER: a new grant without reporters drops the old grant's reporters", async () => {
  const r = await replay([
    AWS_GRANT,
    veuRevoked('r-aws', 'aws', '2026-03-01T00:00:00Z'),
    veuGranted('g-aws-2', { kind: 'UVEU', id: 'aws', headquarters: 'US' }, '2026-03-02T00:00:00Z'),
    deployment('d-1', { publisher: 'aws-ops' }),
    deployment('d-2'),
  ]);
  assert.deepEqual(r.rejections(), [[4, 'FORBIDDEN_PUBLISHER']]);
  assert.equal(r.used('installed:aws:US'), 288_000);
});

test("FORBIDDEN_PUBLISHER: a reporter of one VEU, or another VEU, may not report for a second VEU", async () => {
  const r = await replay([
    AWS_GRANT,
    veuGranted('g-gcp', { kind: 'UVEU', id: 'gcp', headquarters: 'US' }),
    deployment('d-1', { publisher: 'aws-ops', veu: { kind: 'UVEU', id: 'gcp' } }),
    deployment('d-2', { publisher: 'aws', veu: { kind: 'UVEU', id: 'gcp' } }),
    deployment('d-3', { veu: { kind: 'UVEU', id: 'gcp' } }),
  ]);
  assert.deepEqual(r.rejections(), [[3, 'FORBIDDEN_PUBLISHER'], [4, 'FORBIDDEN_PUBLISHER']]);
  assert.equal(r.used('installed:gcp:US'), 288_000);
});

test('MALFORMED: an NVEU grant with a Tier 3 headquarters (CN, or HK treated as China) or a Tier 3 country', async () => {
  const r = await replay([
    veuGranted('g-1', { kind: 'NVEU', id: 'g42', headquarters: 'CN', country: 'AE' }),
    veuGranted('g-2', { kind: 'NVEU', id: 'g43', headquarters: 'HK', country: 'AE' }),
    veuGranted('g-3', { kind: 'NVEU', id: 'g44', headquarters: 'AE', country: 'CN' }),
    veuGranted('g-4', { kind: 'NVEU', id: 'g45', headquarters: 'AE', country: 'AE' }),
    shipment('nv-1', { authorization: { kind: 'NVEU', ref: 'g42' } }),
    shipment('nv-2', { authorization: { kind: 'NVEU', ref: 'g45' } }),
  ]);
  assert.deepEqual(r.rejections(), [[1, 'MALFORMED'], [2, 'MALFORMED'], [3, 'MALFORMED']]);
  // g42 was never granted: its shipment is UNAUTHORIZED and drawn on country:AE; g45's goes to nveu:g45.
  assert.deepEqual(r.alertSummary(), ['UNAUTHORIZED country:AE']);
  assert.equal(r.used('country:AE'), 15_832_000);
  assert.equal(r.used('nveu:g45'), 15_832_000);
});

test('FORBIDDEN_PUBLISHER: for a VEU never granted, only the VEU itself may report (recorded, UNAUTHORIZED)', async () => {
  const r = await replay([deployment('d-1', { publisher: 'azure' }), deployment('d-2')]);
  assert.deepEqual(r.rejections(), [[1, 'FORBIDDEN_PUBLISHER']]);
  assert.deepEqual(r.alertSummary(), ['UNAUTHORIZED installed:aws:US']);
  assert.equal(r.used('installed:aws:US'), 288_000);
});
