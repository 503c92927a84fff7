// The generated feed exercises licences: the regulator's issues and a revocation, shipments drawn on licences (some
// over the approval), and every failed check (revoked, not yet valid, expired, other exporter, other consignee), with
// unknown licence numbers that only registered-only refuses. Judged by the offline replay under both settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPolicyPack, Replayer, withLicenceSetting, type LicenceSetting } from '@app/policy';
import { generateFeed } from '../src/feed-generator';

const lines = [...generateFeed({ events: 5000, seed: 11, startMs: Date.parse('2025-01-15T00:00:00Z'), days: 880, invalidRate: 0.004 })];

function replay(setting: LicenceSetting) {
  const replayer = new Replayer(withLicenceSetting(loadPolicyPack(), setting));
  lines.forEach((l, i) => replayer.push(l, i + 1));
  const result = replayer.result();
  const reasons = result.alerts.filter((a) => a.kind === 'UNAUTHORIZED' && /licence/.test(a.reason ?? '')).map((a) => a.reason!);
  const checks = ['was revoked', 'is not yet valid', 'expired', 'other exporter', 'other consignee', 'unknown licence'];
  return { result, counts: Object.fromEntries(checks.map((c) => [c, reasons.filter((r) => r.includes(c)).length])) };
}

test('the feed issues licences, revokes one, and draws shipments on them, some over the approval', () => {
  assert.equal(lines.filter((l) => l.includes('"policy.license-issued"')).length, 8);
  assert.equal(lines.filter((l) => l.includes('"policy.license-revoked"')).length, 1);
  const { result } = replay('verify-if-known');
  const licences = result.accounts.filter((a) => a.account.startsWith('license:'));
  assert.ok(licences.length >= 6, `${licences.length} licences drawn`);
  assert.ok(licences.some((a) => a.capTpp !== null && a.usedTpp > a.capTpp), 'a licence is over-shipped');
  assert.ok(licences.some((a) => a.capTpp !== null && a.usedTpp < a.capTpp), 'a licence is within its approval');
  assert.ok(result.alerts.some((a) => a.kind === 'CAP_EXCEEDED' && a.account.startsWith('license:')));
  assert.ok(result.alerts.some((a) => a.kind === 'PROHIBITED_DESTINATION' && a.account === 'country:CN:licensed'));
  assert.ok(result.accounts.filter((a) => /^country:..:licensed$/.test(a.account)).length >= 6);
});

test('every licence check fails somewhere in the feed; unknown numbers are refused only under registered-only', () => {
  const lax = replay('verify-if-known').counts;
  for (const [check, n] of Object.entries(lax)) if (check !== 'unknown licence') assert.ok(n > 0, `${check}: ${n}`);
  assert.equal(lax['unknown licence'], 0);
  const strict = replay('registered-only').counts;
  assert.ok(strict['unknown licence']! > 100, `unknown: ${strict['unknown licence']}`);
  for (const check of ['was revoked', 'expired', 'other exporter', 'other consignee']) assert.equal(strict[check], lax[check]);
});
