// Contract suite (black box, through the built CLI): CONTRACTS.md "Licences" (added 2026-12). Licence D1: nvidia to
// acme-ai in AE, valid 2026-01-01T00:00:00Z..2027-12-31T23:59:59Z, 15,832,000 TPP (1000 H100-SXM at 15,832).
// 100 H100 = 1,583,200; 500 = 7,916,000; 600 = 9,499,200. Tier 2 cap of country:AE (and country:AE:licensed) is
// 790,000,000 in pack ai-diffusion-2025.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { licenceIssued, licenceRevoked, shipment, type ShipmentFields } from './support/events';
import { replay } from './support/replay';

const TPP_D1 = 15_832_000;
const ISSUE_D1 = licenceIssued('lic-d1', { id: 'D1', tpp: TPP_D1 }, '2025-12-01T00:00:00Z');
const h100 = (quantity: number) => [{ chip: 'H100-SXM', quantity }];
const underD1 = (eventId: string, quantity: number, f: ShipmentFields = {}) =>
  shipment(eventId, { authorization: { kind: 'LICENSE', ref: 'D1' }, items: h100(quantity), ...f });

test('issue: country:CC:licensed sums the licence tpp at the issuing event, with the cap of country:CC', async () => {
  const r = await replay([ISSUE_D1]);
  assert.deepEqual(r.doc.rejected, []);
  assert.deepEqual(r.account('country:AE:licensed'), { account: 'country:AE:licensed', usedTpp: TPP_D1, capTpp: 790_000_000, utilization: TPP_D1 / 790_000_000 });
  assert.deepEqual(r.doc.alerts, []);
});

test('ship within: recorded on country:CC and license:ID (cap = the licence tpp), thresholds on license:ID', async () => {
  const r = await replay([ISSUE_D1, underD1('nv-1', 500)]);
  assert.deepEqual(r.doc.rejected, []);
  assert.equal(r.used('country:AE'), 7_916_000);
  assert.deepEqual(r.account('license:D1'), { account: 'license:D1', usedTpp: 7_916_000, capTpp: TPP_D1, utilization: 0.5 });
  assert.equal(r.used('country:AE:licensed'), TPP_D1, 'shipping does not move the approved total');
  assert.deepEqual(r.alertSummary(), ['THRESHOLD_CROSSED license:D1 0.5']);
  const [a] = r.doc.alerts;
  assert.equal(a!.severity, 'info');
  assert.deepEqual([a!.usedTpp, a!.capTpp, a!.utilization, a!.at], [7_916_000, TPP_D1, 0.5, '2026-03-14T09:30:00Z']);
  assert.deepEqual(a!.causedBy, { publisher: 'nvidia', eventId: 'nv-1' });
});

test('over-ship: thresholds 0.75, 0.9, 1.0 then CAP_EXCEEDED on license:ID; recorded, not dropped', async () => {
  const r = await replay([ISSUE_D1, underD1('nv-1', 500), underD1('nv-2', 600)]);
  assert.deepEqual(r.alertSummary(), [
    'THRESHOLD_CROSSED license:D1 0.5',
    'THRESHOLD_CROSSED license:D1 0.75',
    'THRESHOLD_CROSSED license:D1 0.9',
    'THRESHOLD_CROSSED license:D1 1',
    'CAP_EXCEEDED license:D1',
  ]);
  assert.deepEqual(r.doc.alerts.slice(1).map((a) => a.severity), ['warning', 'warning', 'critical', 'critical']);
  assert.ok(r.doc.alerts.slice(1).every((a) => a.usedTpp === 17_415_200 && a.capTpp === TPP_D1 && a.causedBy.eventId === 'nv-2'));
  assert.deepEqual(r.account('license:D1'), { account: 'license:D1', usedTpp: 17_415_200, capTpp: TPP_D1, utilization: 1.1 });
  assert.equal(r.used('country:AE'), 17_415_200);
});

test('revoke: country:CC:licensed moves down by the unshipped part; a later shipment under it is UNAUTHORIZED on country:CC', async () => {
  const r = await replay([ISSUE_D1, underD1('nv-1', 500), licenceRevoked('rev-d1', 'D1', '2026-04-01T00:00:00Z'), underD1('nv-2', 100, { at: '2026-04-02T00:00:00Z' })]);
  assert.deepEqual(r.doc.rejected, []);
  assert.equal(r.used('country:AE:licensed'), 7_916_000);
  assert.equal(r.used('license:D1'), 7_916_000, 'the shipment after the revocation is not on the licence');
  assert.equal(r.used('country:AE'), 9_499_200);
  assert.deepEqual(r.alertSummary(), ['THRESHOLD_CROSSED license:D1 0.5', 'UNAUTHORIZED country:AE']);
  assert.deepEqual([r.doc.alerts[1]!.usedTpp, r.doc.alerts[1]!.severity, r.doc.alerts[1]!.causedBy.eventId], [9_499_200, 'critical', 'nv-2']);
});

// reading: "moves down by what was not yet shipped (never below what was shipped)": over-shipped, nothing is unshipped,
// so the revocation moves country:CC:licensed by 0 (the licence's share stays its tpp, not the larger shipped amount).
test('revoke after over-shipping: nothing unshipped, country:CC:licensed does not move', async () => {
  const r = await replay([ISSUE_D1, underD1('nv-1', 1100), licenceRevoked('rev-d1', 'D1', '2026-04-01T00:00:00Z')]);
  assert.deepEqual(r.doc.rejected, []);
  assert.equal(r.used('country:AE:licensed'), TPP_D1);
});

test('in force: validFrom <= occurredAt <= validTo, both ends included; not yet valid and expired are UNAUTHORIZED', async () => {
  const r = await replay([
    ISSUE_D1,
    underD1('nv-early', 100, { at: '2025-12-31T23:59:59Z' }),
    underD1('nv-first', 100, { at: '2026-01-01T00:00:00Z' }),
    underD1('nv-last', 100, { at: '2027-12-31T23:59:59Z' }),
    underD1('nv-late', 100, { at: '2028-01-01T00:00:00Z' }),
  ]);
  assert.deepEqual(r.alertSummary(), ['UNAUTHORIZED country:AE', 'UNAUTHORIZED country:AE']);
  assert.deepEqual(r.doc.alerts.map((a) => [a.causedBy.eventId, a.usedTpp]), [['nv-early', 1_583_200], ['nv-late', 6_332_800]]);
  assert.equal(r.used('license:D1'), 3_166_400);
  assert.equal(r.used('country:AE'), 6_332_800);
});

test('UNAUTHORIZED: another exporter, another consignee id, another consignee country (recorded on that country)', async () => {
  const r = await replay([
    ISSUE_D1,
    underD1('amd-1', 100, { publisher: 'amd' }),
    underD1('nv-1', 100, { consignee: { id: 'acme-x', country: 'AE' } }),
    underD1('nv-2', 100, { consignee: { id: 'acme-ai', country: 'SA' } }),
  ]);
  assert.deepEqual(r.alertSummary(), ['UNAUTHORIZED country:AE', 'UNAUTHORIZED country:AE', 'UNAUTHORIZED country:SA']);
  assert.equal(r.used('country:AE'), 3_166_400);
  assert.equal(r.used('country:SA'), 1_583_200);
  assert.equal(r.used('license:D1'), 0);
});

test('a licence that does not hold raises nothing for uncontrolled chips (H20, 2,368 TPP, PD about 2.9)', async () => {
  const r = await replay([ISSUE_D1, underD1('nv-1', 0, { consignee: { id: 'acme-x', country: 'AE' }, items: [{ chip: 'H20', quantity: 100 }] })]);
  assert.deepEqual(r.doc.rejected, []);
  assert.equal(r.doc.counts.recorded, 2);
  assert.deepEqual(r.doc.alerts, []);
});

test('verify-if-known (default): a LICENSE ref naming no issued licence, or no ref, is judged as before', async () => {
  const r = await replay([
    shipment('nv-1', { authorization: { kind: 'LICENSE', ref: 'ZZZ' }, items: h100(100) }),
    shipment('nv-2', { authorization: { kind: 'LICENSE' }, items: h100(100) }),
    underD1('nv-3', 100),
    ISSUE_D1,
  ]);
  assert.deepEqual(r.doc.rejected, []);
  assert.deepEqual(r.doc.alerts, [], 'nv-3 came before D1 was issued: an unknown ref then');
  assert.equal(r.used('country:AE'), 4_749_600);
  assert.equal(r.used('license:D1'), 0);
});

test('MALFORMED: a second issue of an existing id (an exact duplicate is a no-op), and a revocation of an unknown id', async () => {
  const r = await replay([
    ISSUE_D1,
    licenceIssued('lic-d1-again', { id: 'D1', tpp: 99 }, '2025-12-02T00:00:00Z'),
    ISSUE_D1,
    licenceRevoked('rev-d9', 'D9'),
  ]);
  assert.deepEqual(r.rejections(), [[2, 'MALFORMED'], [4, 'MALFORMED']]);
  assert.deepEqual(r.doc.counts, { read: 4, recorded: 1, duplicates: 1, rejected: 2 });
  assert.equal(r.used('country:AE:licensed'), TPP_D1);
});

test('licence shape: tpp 1..10^15 integer, validTo after validFrom, only the regulator issues', async () => {
  const l = { id: 'X', tpp: 1 };
  const r = await replay([
    licenceIssued('l-0', { ...l, id: 'L0', tpp: 0 }),
    licenceIssued('l-big', { ...l, id: 'L1', tpp: 1e15 + 1 }),
    licenceIssued('l-frac', { ...l, id: 'L2', tpp: 1.5 }),
    licenceIssued('l-same', { ...l, id: 'L3', validFrom: '2026-01-01T00:00:00Z', validTo: '2026-01-01T00:00:00Z' }),
    licenceIssued('l-back', { ...l, id: 'L4', validFrom: '2026-01-02T00:00:00Z', validTo: '2026-01-01T00:00:00Z' }),
    licenceIssued('l-nv', { ...l, id: 'L5' }, undefined, 'nvidia'),
    licenceIssued('l-max', { ...l, id: 'L6', tpp: 1e15, consignee: { id: 'x', country: 'DE' } }),
  ]);
  assert.deepEqual(r.rejections(), [[1, 'MALFORMED'], [2, 'MALFORMED'], [3, 'MALFORMED'], [4, 'MALFORMED'], [5, 'MALFORMED'], [6, 'FORBIDDEN_PUBLISHER']]);
  // Tier 1: no cap on country:DE, so none on country:DE:licensed.
  assert.deepEqual(r.account('country:DE:licensed'), { account: 'country:DE:licensed', usedTpp: 1e15, capTpp: null, utilization: null });
});

test('Tier 3 consignee: the licence is recorded and raises PROHIBITED_DESTINATION on country:CC:licensed', async () => {
  const r = await replay([
    licenceIssued('lic-cn', { id: 'CN1', consignee: { id: 'hw', country: 'CN' }, tpp: 1_000_000 }),
    shipment('nv-1', { consignee: { id: 'hw', country: 'CN' }, authorization: { kind: 'LICENSE', ref: 'CN1' }, items: h100(10) }),
  ]);
  assert.deepEqual(r.doc.rejected, []);
  assert.deepEqual(r.alertSummary(), ['PROHIBITED_DESTINATION country:CN:licensed', 'PROHIBITED_DESTINATION country:CN']);
  assert.deepEqual([r.doc.alerts[0]!.usedTpp, r.doc.alerts[0]!.capTpp, r.doc.alerts[0]!.severity], [1_000_000, 0, 'critical']);
  assert.equal(r.used('country:CN'), 158_320);
});

test('g2g: country:CC:licensed has the cap of country:CC, doubled once CC has an arrangement', async () => {
  const { g2g } = await import('./support/events');
  const r = await replay([g2g('g2g-ae', 'AE'), ISSUE_D1]);
  assert.equal(r.account('country:AE:licensed')?.capTpp, 1_580_000_000);
});

// reading: country:CC:licensed is an account with a cap ("with the same cap as country:CC"); thresholds and
// CAP_EXCEEDED apply to every capped account, evaluated at each issuing event that moves it.
test('country:CC:licensed crosses thresholds and its cap as approvals add up', async () => {
  const r = await replay([
    licenceIssued('l-a', { id: 'A', tpp: 400_000_000 }),
    licenceIssued('l-b', { id: 'B', tpp: 400_000_000 }),
  ]);
  assert.deepEqual(r.alertSummary(), [
    'THRESHOLD_CROSSED country:AE:licensed 0.5',
    'THRESHOLD_CROSSED country:AE:licensed 0.75',
    'THRESHOLD_CROSSED country:AE:licensed 0.9',
    'THRESHOLD_CROSSED country:AE:licensed 1',
    'CAP_EXCEEDED country:AE:licensed',
  ]);
  assert.deepEqual(r.doc.alerts.map((a) => a.causedBy.eventId), ['l-a', 'l-b', 'l-b', 'l-b', 'l-b']);
});

test('a holding licence draws on both country:CC and license:ID, each with its own thresholds', async () => {
  const r = await replay([
    licenceIssued('lic-big', { id: 'BIG', tpp: 500_000_000 }, '2025-12-01T00:00:00Z'),
    shipment('nv-1', { authorization: { kind: 'LICENSE', ref: 'BIG' }, items: [{ tppPerUnit: 10_000, quantity: 40_000 }] }),
  ]);
  // 400,000,000: 0.506 of country:AE's 790,000,000, 0.8 of the licence's 500,000,000. Which account's alerts come
  // first is not in the contract, so they are compared as a set (country:AE:licensed's own are another case's).
  assert.deepEqual(r.alertSummary().filter((a) => !a.includes(':licensed')).sort(), [
    'THRESHOLD_CROSSED country:AE 0.5',
    'THRESHOLD_CROSSED license:BIG 0.5',
    'THRESHOLD_CROSSED license:BIG 0.75',
  ]);
  assert.deepEqual(r.account('license:BIG'), { account: 'license:BIG', usedTpp: 400_000_000, capTpp: 500_000_000, utilization: 0.8 });
  assert.equal(r.used('country:AE'), 400_000_000);
});

test('revocation with two licences for one country: country:CC:licensed drops by the unshipped part of the revoked one only', async () => {
  const r = await replay([
    licenceIssued('lic-a', { id: 'A', tpp: 10_000_000 }, '2025-12-01T00:00:00Z'),
    licenceIssued('lic-b', { id: 'B', tpp: 20_000_000 }, '2025-12-01T00:00:00Z'),
    shipment('nv-1', { authorization: { kind: 'LICENSE', ref: 'A' }, items: [{ tppPerUnit: 10_000, quantity: 400 }] }),
    licenceRevoked('rev-a', 'A', '2026-04-01T00:00:00Z'),
  ]);
  // 30,000,000 approved; A shipped 4,000,000 of 10,000,000; revoking A takes off 6,000,000.
  assert.equal(r.used('country:AE:licensed'), 24_000_000);
});

test('MALFORMED: issuing again an id that was revoked (it still exists)', async () => {
  const r = await replay([ISSUE_D1, licenceRevoked('rev-d1', 'D1'), licenceIssued('lic-d1-new', { id: 'D1', tpp: TPP_D1 }, '2026-02-01T00:00:00Z')]);
  assert.deepEqual(r.rejections(), [[3, 'MALFORMED']]);
  assert.equal(r.used('country:AE:licensed'), 0);
});

// The setting is exposed as `--licences registered-only` (ledger replay --help, docs/licences.md).
test('registered-only: a LICENSE shipment whose ref names no issued licence, or has no ref, is UNAUTHORIZED; a known one is checked as before', async () => {
  const r = await replay(
    [
      ISSUE_D1,
      shipment('nv-1', { authorization: { kind: 'LICENSE', ref: 'ZZZ' }, items: h100(100) }),
      shipment('nv-2', { authorization: { kind: 'LICENSE' }, items: h100(100) }),
      underD1('nv-3', 100),
      shipment('nv-4', { authorization: { kind: 'LICENSE', ref: 'ZZZ' }, items: [{ chip: 'H20', quantity: 100 }] }),
    ],
    { extraArgs: ['--licences', 'registered-only'] },
  );
  assert.deepEqual(r.doc.rejected, []);
  // nv-4 carries no controlled TPP, so nothing is raised for it.
  assert.deepEqual(r.alertSummary(), ['UNAUTHORIZED country:AE', 'UNAUTHORIZED country:AE']);
  assert.deepEqual(r.doc.alerts.map((a) => [a.causedBy.eventId, a.usedTpp]), [['nv-1', 1_583_200], ['nv-2', 3_166_400]]);
  assert.equal(r.used('country:AE'), 4_749_600);
  assert.equal(r.used('license:D1'), 1_583_200);
});
