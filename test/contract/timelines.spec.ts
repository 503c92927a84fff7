// Contract suite (black box, through the built CLI): CONTRACTS.md "Policy over time" and REGULATION.md "The law over
// time". 10 H100-SXM = 158,320 TPP; 10 H200-SXM = 158,320 (TPP 15,832, DRAM 4,800 GB/s); 10 B200 = 360,000; 10
// GAUDI3 = 293,600 (29,360 since 2026-12). Pack ids inside us-actual are the product's choice, so the cases compare
// the packs named by alerts with each other rather than with fixed ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shipment, type Authorization } from './support/events';
import { replay, runCli, type ReplayResult } from './support/replay';

const US_ACTUAL = { timeline: 'us-actual' };
const ship = (eventId: string, at: string, country: string, chip: string, kind: Authorization['kind'] = 'LICENSE') =>
  shipment(eventId, { at, consignee: { id: `c-${country.toLowerCase()}`, country }, authorization: { kind }, items: [{ chip, quantity: 10 }] });
/** "KIND causedBy.eventId" of the authorization alerts (PROHIBITED_DESTINATION, UNAUTHORIZED), in the order raised. */
const authorizationAlerts = (r: ReplayResult) =>
  r.doc.alerts.filter((a) => a.kind === 'PROHIBITED_DESTINATION' || a.kind === 'UNAUTHORIZED').map((a) => `${a.kind} ${a.causedBy.eventId}`);
const packOf = (r: ReplayResult, eventId: string) => {
  const a = r.doc.alerts.find((x) => x.causedBy.eventId === eventId);
  assert.ok(a, `an alert caused by ${eventId}`);
  return `${a.policy.id}@${a.policy.version}`;
};

test('--pack ai-diffusion-2025: GAUDI3 is 29,360 TPP', async () => {
  for (const o of [{ pack: 'ai-diffusion-2025' }, {}]) {
    const r = await replay([ship('g-1', '2026-03-01T00:00:00Z', 'AE', 'GAUDI3')], o);
    assert.equal(r.used('country:AE'), 293_600, JSON.stringify(o));
    assert.deepEqual(r.doc.policy['id'], 'ai-diffusion-2025');
  }
});

test('--pack ai-diffusion-2025 otherwise unchanged: Tier 2 thresholds, Tier 3 on the January 2025 list (KH after 2026-02-03), NONE to Tier 2', async () => {
  const r = await replay(
    [
      shipment('big', { authorization: { kind: 'LICENSE' }, items: [{ tppPerUnit: 10_000, quantity: 71_100 }] }),
      ship('kh', '2026-03-01T00:00:00Z', 'KH', 'H100-SXM'),
      ship('br', '2024-06-01T00:00:00Z', 'BR', 'H100-SXM', 'NONE'),
    ],
    { pack: 'ai-diffusion-2025' },
  );
  assert.deepEqual(r.alertSummary(), [
    'THRESHOLD_CROSSED country:AE 0.5',
    'THRESHOLD_CROSSED country:AE 0.75',
    'THRESHOLD_CROSSED country:AE 0.9',
    'PROHIBITED_DESTINATION country:KH',
    'UNAUTHORIZED country:BR',
  ]);
  assert.deepEqual(r.account('country:AE'), { account: 'country:AE', usedTpp: 711_000_000, capTpp: 790_000_000, utilization: 0.9 });
  assert.ok(r.doc.alerts.every((a) => a.policy.id === 'ai-diffusion-2025'));
});

test("--timeline us-actual: the document's policy names the timeline", async () => {
  const r = await replay([ship('x', '2026-03-01T00:00:00Z', 'AE', 'H100-SXM')], US_ACTUAL);
  assert.ok(Object.values(r.doc.policy).includes('us-actual'), JSON.stringify(r.doc.policy));
});

test('2023-11-17 rule: presumption of denial for D:5 and Macau (CN, MO, KH), licence without caps for D:1/D:4 (AE), nothing elsewhere (BR)', async () => {
  const at = '2024-06-01T00:00:00Z';
  const r = await replay(
    [
      ship('cn', at, 'CN', 'H100-SXM'),
      ship('mo', at, 'MO', 'H100-SXM'),
      ship('ae-none', at, 'AE', 'H100-SXM', 'NONE'),
      ship('ae-lic', at, 'AE', 'H100-SXM'),
      ship('br-none', at, 'BR', 'H100-SXM', 'NONE'),
      ship('cn-h20', at, 'CN', 'H20', 'NONE'),
      ship('kh', at, 'KH', 'H100-SXM'),
    ],
    US_ACTUAL,
  );
  assert.deepEqual(authorizationAlerts(r), ['PROHIBITED_DESTINATION cn', 'PROHIBITED_DESTINATION mo', 'UNAUTHORIZED ae-none', 'PROHIBITED_DESTINATION kh']);
  // "no caps": the account is kept (accounts persist across packs) but nothing caps it in 2024.
  assert.deepEqual(r.account('country:AE'), { account: 'country:AE', usedTpp: 316_640, capTpp: null, utilization: null });
  assert.equal(r.used('country:BR'), 158_320);
  assert.equal(new Set(['cn', 'mo', 'ae-none', 'kh'].map((id) => packOf(r, id))).size, 1, 'one regime judged them all');
  assert.notEqual(r.doc.alerts[0]!.policy.id, 'ai-diffusion-2025');
  assert.ok(r.doc.alerts.every((a) => typeof a.policy.id === 'string' && typeof a.policy.version === 'string' && a.policy.version !== ''), 'each alert names a pack id and version');
});

// reading: us-actual starts at 2023-11-17 (REGULATION.md's first row) and "events before the first from are judged
// by the first pack", so the day before is judged like the day after.
test('before 2023-11-17: judged by the first pack of the timeline', async () => {
  const r = await replay([ship('cn-before', '2023-11-16T12:00:00Z', 'CN', 'H100-SXM'), ship('cn-after', '2023-11-17T12:00:00Z', 'CN', 'H100-SXM')], US_ACTUAL);
  assert.deepEqual(authorizationAlerts(r), ['PROHIBITED_DESTINATION cn-before', 'PROHIBITED_DESTINATION cn-after']);
  assert.equal(packOf(r, 'cn-before'), packOf(r, 'cn-after'));
});

// reading: "the regimes actually in force": the 2025 framework was rescinded (2025-05-13) before its compliance date
// (2025-05-15) and "never enforced", so us-actual keeps the 2023 rule from 2025-01-13 through 2026-01-14. BR
// (Tier 2 in the framework, in no D group) needs nothing then; the same file under --pack ai-diffusion-2025 is
// UNAUTHORIZED each time.
test('2025-01-13 .. 2025-05-15: the AI Diffusion framework never judges under us-actual', async () => {
  const dates = ['2025-01-12T12:00:00Z', '2025-01-14T12:00:00Z', '2025-03-01T12:00:00Z', '2025-05-12T12:00:00Z', '2025-05-14T12:00:00Z', '2025-05-16T12:00:00Z'];
  const lines = [ship('cn-2024', '2024-06-01T00:00:00Z', 'CN', 'H100-SXM'), ...dates.map((at, i) => ship(`br-${i}`, at, 'BR', 'H100-SXM', 'NONE')), ship('cn-2025', '2025-03-01T12:00:00Z', 'CN', 'H100-SXM')];
  const actual = await replay(lines, US_ACTUAL);
  assert.deepEqual(authorizationAlerts(actual), ['PROHIBITED_DESTINATION cn-2024', 'PROHIBITED_DESTINATION cn-2025']);
  assert.equal(packOf(actual, 'cn-2025'), packOf(actual, 'cn-2024'));
  assert.equal(actual.account('country:BR')?.capTpp, null);
  const framework = await replay(lines, { pack: 'ai-diffusion-2025' });
  assert.equal(authorizationAlerts(framework).filter((a) => a.startsWith('UNAUTHORIZED br-')).length, 6);
});

test('2026-01-15: China case-by-case below TPP 21,000 and DRAM 6,500 GB/s (licence still required); above, presumption of denial', async () => {
  const at = '2026-01-20T12:00:00Z';
  const r = await replay(
    [
      ship('h200-before', '2026-01-14T12:00:00Z', 'CN', 'H200-SXM'),
      ship('h200', at, 'CN', 'H200-SXM'),
      ship('mi325x', at, 'CN', 'MI325X'),
      ship('h200-mo', at, 'MO', 'H200-SXM'),
      ship('b200', at, 'CN', 'B200'),
      ship('gaudi3', at, 'CN', 'GAUDI3'),
      shipment('custom', { at, country: 'CN', authorization: { kind: 'LICENSE' }, items: [{ tppPerUnit: 25_000, quantity: 1 }] }),
      shipment('mixed', { at, country: 'CN', authorization: { kind: 'LICENSE' }, items: [{ chip: 'H200-SXM', quantity: 1 }, { chip: 'B200', quantity: 1 }] }),
      ship('h200-none', at, 'CN', 'H200-SXM', 'NONE'),
      ship('ae-none', at, 'AE', 'H100-SXM', 'NONE'),
    ],
    US_ACTUAL,
  );
  assert.deepEqual(authorizationAlerts(r), [
    'PROHIBITED_DESTINATION h200-before',
    'PROHIBITED_DESTINATION b200',
    'PROHIBITED_DESTINATION gaudi3',
    'PROHIBITED_DESTINATION custom',
    'PROHIBITED_DESTINATION mixed',
    'UNAUTHORIZED h200-none',
    'UNAUTHORIZED ae-none',
  ]);
  assert.notEqual(packOf(r, 'h200-before'), packOf(r, 'b200'), 'a new regime from 2026-01-15');
  assert.equal(r.doc.alerts.find((a) => a.causedBy.eventId === 'b200')!.at, at);
});

// reading: a timeline entry's `from` for a regime dated 2026-01-15 is 2026-01-15T00:00:00Z.
test('2026-01-15 boundary: the last second before is the 2023 rule, the first instant of the day the 2026 one', async () => {
  const r = await replay([ship('before', '2026-01-14T23:59:59Z', 'CN', 'H200-SXM'), ship('at', '2026-01-15T00:00:00Z', 'CN', 'H200-SXM')], US_ACTUAL);
  assert.deepEqual(authorizationAlerts(r), ['PROHIBITED_DESTINATION before']);
});

// reading: a custom item states no DRAM bandwidth, so it cannot show it is below 6,500 GB/s: presumption of denial.
test('2026-01-15: a custom item below 21,000 TPP with unknown DRAM bandwidth is presumption of denial', async () => {
  const r = await replay([shipment('custom', { at: '2026-03-01T00:00:00Z', country: 'CN', authorization: { kind: 'LICENSE' }, items: [{ tppPerUnit: 15_000, quantity: 1 }] })], US_ACTUAL);
  assert.deepEqual(authorizationAlerts(r), ['PROHIBITED_DESTINATION custom']);
});

test('2026-02-03: Cambodia leaves D:5; before, presumption of denial; after, a licensed shipment raises nothing', async () => {
  const r = await replay([ship('kh-before', '2026-01-20T12:00:00Z', 'KH', 'H100-SXM'), ship('kh-after', '2026-02-10T12:00:00Z', 'KH', 'H100-SXM')], US_ACTUAL);
  assert.deepEqual(authorizationAlerts(r), ['PROHIBITED_DESTINATION kh-before']);
  assert.equal(r.used('country:KH'), 316_640);
});

// reading: Cambodia is still in Country Group D:1, so after 2026-02-03 it needs a licence (without caps).
test('2026-02-03: Cambodia, still D:1, needs a licence: NONE with controlled TPP is UNAUTHORIZED', async () => {
  const r = await replay([ship('kh-none', '2026-02-10T12:00:00Z', 'KH', 'H100-SXM', 'NONE')], US_ACTUAL);
  assert.deepEqual(authorizationAlerts(r), ['UNAUTHORIZED kh-none']);
});

// reading: the 2023 rule has "no LPP", so an LPP claim to a destination that needs a licence does not hold.
test('2023 rule: LPP is no authorization (no LPP in that regime); to AE it is UNAUTHORIZED on country:AE', async () => {
  const r = await replay([ship('lpp', '2024-06-01T00:00:00Z', 'AE', 'H100-SXM', 'LPP')], US_ACTUAL);
  assert.deepEqual(authorizationAlerts(r), ['UNAUTHORIZED lpp']);
  assert.equal(r.used('country:AE'), 158_320);
});

test('accounts persist across packs: country:AE sums shipments judged by the 2023 and the 2026 regimes', async () => {
  const r = await replay([ship('a', '2024-06-01T00:00:00Z', 'AE', 'H100-SXM'), ship('b', '2026-03-01T00:00:00Z', 'AE', 'H100-SXM')], US_ACTUAL);
  assert.equal(r.used('country:AE'), 316_640);
  assert.deepEqual(r.doc.rejected, []);
});

// reading: an unknown pack or timeline id is a usage error (exit 2), not an empty result.
test('an unknown --pack or --timeline id is a usage error (exit 2)', async () => {
  const line = [ship('a', '2026-03-01T00:00:00Z', 'AE', 'H100-SXM')];
  assert.equal((await runCli(line, { pack: 'no-such-pack' })).status, 2);
  assert.equal((await runCli(line, { timeline: 'no-such-timeline' })).status, 2);
});

// The account ids are the ones the pack documents (docs/timelines.md: product:CHIP:us, product:CHIP:cn-mo); the
// numbers follow REGULATION.md: China and Macau at most 50% of the product's shipments to US end use.
test('2026-01-15: a product to China and Macau against 50% of its US shipments, with thresholds and CAP_EXCEEDED', async () => {
  const h200 = (eventId: string, at: string, country: string, quantity: number, kind: Authorization['kind']) =>
    shipment(eventId, { at, consignee: { id: `c-${country.toLowerCase()}`, country }, authorization: { kind }, items: [{ chip: 'H200-SXM', quantity }] });
  const r = await replay(
    [
      h200('us', '2026-02-01T00:00:00Z', 'US', 100, 'NONE'),
      h200('cn', '2026-02-02T00:00:00Z', 'CN', 40, 'LICENSE'),
      h200('mo', '2026-02-03T00:00:00Z', 'MO', 20, 'LICENSE'),
    ],
    US_ACTUAL,
  );
  // US 100 x 15,832 = 1,583,200, cap 791,600; CN 40 -> 633,280 (0.8); MO 20 more -> 949,920 (1.2).
  assert.deepEqual(r.alertSummary(), [
    'THRESHOLD_CROSSED product:H200-SXM:cn-mo 0.5',
    'THRESHOLD_CROSSED product:H200-SXM:cn-mo 0.75',
    'THRESHOLD_CROSSED product:H200-SXM:cn-mo 0.9',
    'THRESHOLD_CROSSED product:H200-SXM:cn-mo 1',
    'CAP_EXCEEDED product:H200-SXM:cn-mo',
  ]);
  assert.deepEqual(r.doc.alerts.map((a) => a.causedBy.eventId), ['cn', 'cn', 'mo', 'mo', 'mo']);
  assert.deepEqual(r.account('product:H200-SXM:cn-mo'), { account: 'product:H200-SXM:cn-mo', usedTpp: 949_920, capTpp: 791_600, utilization: 1.2 });
  assert.equal(r.used('product:H200-SXM:us'), 1_583_200);
  assert.equal(r.used('country:CN'), 633_280);
});

// reading: CONTRACTS.md "Cap-0 accounts raise no threshold or cap alerts" and "Pack-specific accounts ... follow the
// same account rules", so a product with no US shipments (cap 0) raises no CAP_EXCEEDED on its China account.
test('2026-01-15: the China account of a product with no US shipments has cap 0 and, as any cap-0 account, raises nothing', async () => {
  const r = await replay([ship('cn', '2026-02-02T00:00:00Z', 'CN', 'H200-SXM')], US_ACTUAL);
  assert.deepEqual(r.account('product:H200-SXM:cn-mo'), { account: 'product:H200-SXM:cn-mo', usedTpp: 158_320, capTpp: 0, utilization: null });
  assert.deepEqual(r.alertSummary(), []);
});
