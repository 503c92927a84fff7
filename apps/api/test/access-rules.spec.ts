import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canPreclear, canSeeAccount, canSeeAccountEntries, canSeeAlert, canSeeEvent, type Principal } from '../src/auth/principal';

const regulator: Principal = { keyId: 'k1', role: 'regulator', org: null };
const nvidia: Principal = { keyId: 'k2', role: 'chipmaker', org: 'nvidia' };
const aws: Principal = { keyId: 'k3', role: 'cloud-provider', org: 'aws' };
const account = (id: string, kind: string, veuId: string | null = null) => ({ id, kind, veuId });

describe('access rules', () => {
  it('lets a chipmaker see every country but no other account, and no entries', () => {
    assert.equal(canSeeAccount(nvidia, account('country:AE', 'country')), true);
    assert.equal(canSeeAccount(nvidia, account('lpp:acme:2026', 'lpp')), false);
    assert.equal(canSeeAccount(nvidia, account('nveu:g42', 'nveu', 'g42')), false);
    assert.equal(canSeeAccountEntries(nvidia, account('country:AE', 'country')), false);
  });

  it("lets a cloud provider see its own VEU's accounts and entries only", () => {
    assert.equal(canSeeAccount(aws, account('uveu:aws:outside-tier1', 'uveu-outside-tier1', 'aws')), true);
    assert.equal(canSeeAccountEntries(aws, account('installed:aws:IN', 'installed', 'aws')), true);
    assert.equal(canSeeAccount(aws, account('uveu:azure:outside-tier1', 'uveu-outside-tier1', 'azure')), false);
    assert.equal(canSeeAccount(aws, account('country:AE', 'country')), false);
  });

  it('limits events, pre-clearance and alerts to the organisation', () => {
    assert.equal(canSeeEvent(nvidia, 'nvidia'), true);
    assert.equal(canSeeEvent(nvidia, 'amd'), false);
    assert.equal(canSeeEvent(regulator, 'amd'), true);
    assert.equal(canPreclear(aws, 'aws'), true);
    assert.equal(canPreclear(aws, 'nvidia'), false);
    assert.equal(canPreclear(nvidia, null), false);
    assert.equal(canSeeAlert(nvidia, { account: 'lpp:acme:2026', causedByPublisher: 'nvidia' }), true);
    assert.equal(canSeeAlert(nvidia, { account: 'lpp:acme:2026', causedByPublisher: 'amd' }), false);
    assert.equal(canSeeAlert(nvidia, { account: 'country:AE', causedByPublisher: 'amd' }), true);
    assert.equal(canSeeAlert(aws, { account: 'uveu:aws:country:IN', causedByPublisher: 'aws' }), true);
    assert.equal(canSeeAlert(aws, { account: 'uveu:awsx:country:IN', causedByPublisher: 'awsx' }), false);
    assert.equal(canSeeAlert(aws, { account: 'country:IN', causedByPublisher: 'aws' }), false);
  });
});
