// An NVEU grant's `country` and its optional `headquarters` may not be Tier 3 (CONTRACTS.md, "policy.*"): a grant
// that breaks either is MALFORMED, checked after INVALID_COUNTRY.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { grantNveu } from './support/events';
import { replayLines } from './support/replay-lines';

const codeOf = (event: Record<string, unknown>): string => {
  const o = replayLines([event]).outcomes[0]!;
  return o.status === 'rejected' ? o.code : o.status;
};

describe('NVEU headquarters', () => {
  test('headquartered in a Tier 3 country: MALFORMED', () => {
    assert.equal(codeOf(grantNveu('g42', 'AE', { headquarters: 'CN' })), 'MALFORMED');
    assert.equal(codeOf(grantNveu('g42', 'AE', { headquarters: 'IR' })), 'MALFORMED');
  });

  test('headquartered in Tier 1 or Tier 2, or not said: recorded', () => {
    assert.equal(codeOf(grantNveu('g42', 'AE', { headquarters: 'AE' })), 'recorded');
    assert.equal(codeOf(grantNveu('g42', 'AE', { headquarters: 'US' })), 'recorded');
    assert.equal(codeOf(grantNveu('g42', 'AE')), 'recorded');
  });

  test('an unassigned headquarters code is INVALID_COUNTRY, which comes first', () => {
    assert.equal(codeOf(grantNveu('g42', 'AE', { headquarters: 'XX' })), 'INVALID_COUNTRY');
  });
});
