import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accountAccess, accountScope, canReadAlert, canReadAlertAmounts, canReadEntry, mayPreclear, ownsEvent } from '../src/auth/access-policy';
import { alertFor, entryFor, impactFor } from '../src/auth/access-views';
import type { Principal } from '../src/auth/principal';

const regulator: Principal = { keyId: 'k1', role: 'regulator', org: null };
const nvidia: Principal = { keyId: 'k2', role: 'chipmaker', org: 'nvidia' };
const aws: Principal = { keyId: 'k3', role: 'cloud-provider', org: 'aws' };
const orphan: Principal = { keyId: 'k4', role: 'chipmaker', org: null };
const noReporters = () => [] as string[];

describe('access rules', () => {
  it('gives a chipmaker country totals in aggregate and nothing else', () => {
    assert.equal(accountAccess(nvidia, 'country:AE'), 'aggregate');
    assert.equal(accountAccess(nvidia, 'lpp:acme:2026'), 'none');
    assert.equal(accountAccess(nvidia, 'nveu:g42'), 'none');
    assert.equal(accountAccess(nvidia, 'uveu:aws:outside-tier1'), 'none');
    // Ids this version cannot parse are for regulators only.
    assert.equal(accountAccess(nvidia, 'country:AE:licensed'), 'none');
    assert.equal(accountAccess(orphan, 'country:AE'), 'none');
    assert.deepEqual(accountScope(orphan), { all: false, kinds: [], veuId: null });
    assert.equal(accountAccess(regulator, 'country:AE:licensed'), 'full');
  });

  it("gives a cloud provider its own deployments' accounts in full and its shipment totals in aggregate", () => {
    assert.equal(accountAccess(aws, 'installed:aws:IN'), 'full');
    assert.equal(accountAccess(aws, 'uveu:aws:country:IN'), 'full');
    assert.equal(accountAccess(aws, 'uveu:aws:outside-us'), 'full');
    assert.equal(accountAccess(aws, 'uveu:aws:shipped'), 'aggregate');
    assert.equal(accountAccess(aws, 'nveu:aws'), 'aggregate');
    assert.equal(accountAccess(aws, 'installed:azure:IN'), 'none');
    assert.equal(accountAccess(aws, 'country:IN'), 'none');
  });

  it("shows an own entry only where its balance is the caller's to read", () => {
    assert.equal(canReadEntry(nvidia, { accountId: 'country:AE', publisher: 'nvidia' }), true);
    assert.equal(canReadEntry(nvidia, { accountId: 'country:AE', publisher: 'amd' }), false);
    assert.equal(canReadEntry(nvidia, { accountId: 'nveu:g42', publisher: 'nvidia' }), false);
    assert.equal(canReadEntry(aws, { accountId: 'installed:aws:IN', publisher: 'aws-sub' }), true);
    assert.equal(canReadEntry(aws, { accountId: 'nveu:aws', publisher: 'nvidia' }), false);
  });

  it('shows alerts the caller caused, and alerts on accounts it reads in full', () => {
    assert.equal(canReadAlert(nvidia, { account: 'country:AE', causedByPublisher: 'amd' }), false);
    assert.equal(canReadAlert(nvidia, { account: 'country:AE', causedByPublisher: 'nvidia' }), true);
    assert.equal(canReadAlert(nvidia, { account: 'lpp:acme:2026', causedByPublisher: 'nvidia' }), true);
    assert.equal(canReadAlertAmounts(nvidia, { account: 'lpp:acme:2026', causedByPublisher: 'nvidia' }), false);
    assert.equal(canReadAlert(aws, { account: 'uveu:aws:country:IN', causedByPublisher: 'aws' }), true);
    assert.equal(canReadAlert(aws, { account: 'nveu:aws', causedByPublisher: 'nvidia' }), false);
    assert.equal(canReadAlert(aws, { account: 'uveu:awsx:country:IN', causedByPublisher: 'awsx' }), false);
    assert.equal(ownsEvent(regulator, 'amd'), true);
    assert.equal(ownsEvent(orphan, 'amd'), false);
  });

  it('lets each role pre-clear only what it could publish itself', () => {
    const shipment = (publisher: string) => ({ type: 'chip.shipment', publisher, veuId: null });
    const deployment = (publisher: string, veuId: string) => ({ type: 'dc.deployment', publisher, veuId });
    assert.equal(mayPreclear(nvidia, shipment('nvidia'), noReporters), true);
    assert.equal(mayPreclear(nvidia, shipment('amd'), noReporters), false);
    assert.equal(mayPreclear(nvidia, deployment('nvidia', 'nvidia'), noReporters), false);
    assert.equal(mayPreclear(aws, shipment('aws'), noReporters), false);
    assert.equal(mayPreclear(aws, deployment('aws', 'aws'), noReporters), true);
    assert.equal(mayPreclear(aws, deployment('aws', 'azure'), noReporters), false);
    assert.equal(mayPreclear(aws, deployment('aws', 'azure'), (veu) => (veu === 'azure' ? ['aws'] : [])), true);
    assert.equal(mayPreclear(aws, deployment('azure', 'azure'), noReporters), false);
    assert.equal(mayPreclear(regulator, { type: 'policy.veu-granted', publisher: 'regulator', veuId: null }, noReporters), true);
  });

  it('withholds the amounts of accounts the caller may not read', () => {
    const alert = {
      type: 'compliance.alert' as const,
      version: 1 as const,
      alertId: 'a',
      kind: 'THRESHOLD_CROSSED' as const,
      severity: 'warning' as const,
      account: 'nveu:g42',
      threshold: 0.9,
      usedTpp: 100n,
      capTpp: 110n,
      utilization: 0.91,
      causedBy: { publisher: 'nvidia', eventId: 'e1' },
      policy: { id: 'p', version: '1' },
      at: '2026-01-01T00:00:00Z',
      reason: 'nveu:g42 reached 90% (100 of 110)',
    };
    const shown = alertFor(nvidia, alert);
    assert.deepEqual([shown.usedTpp, shown.capTpp, shown.utilization, 'reason' in shown], [null, null, null, false]);
    assert.equal(shown.threshold, 0.9);
    assert.equal(alertFor(regulator, alert).usedTpp, 100n);
    const impact = impactFor(nvidia, { account: 'nveu:g42', deltaTpp: 5n, usedBeforeTpp: 95n, usedAfterTpp: 100n, capTpp: 110n, utilizationBefore: 0.86, utilizationAfter: 0.91 });
    assert.deepEqual([impact.deltaTpp, impact.usedBeforeTpp, impact.usedAfterTpp, impact.capTpp, impact.utilizationAfter], [5n, null, null, null, null]);
    const entry = entryFor(nvidia, {
      seq: 7n,
      account: 'lpp:acme:2026',
      deltaTpp: 5n,
      balanceTpp: 100n,
      capTpp: 110n,
      event: { publisher: 'nvidia', eventId: 'e1', type: 'chip.shipment' },
      occurredAt: '2026-01-01T00:00:00Z',
      source: null,
      policy: { id: 'p', version: '1' },
      prevHash: 'aa',
      hash: 'bb',
      recordedAt: '2026-01-01T00:00:00Z',
    });
    assert.deepEqual([entry.deltaTpp, entry.balanceTpp, entry.capTpp, entry.hash], [5n, null, null, null]);
  });
});
