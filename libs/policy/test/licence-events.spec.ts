// policy.license-issued / policy.license-revoked (CONTRACTS.md "Licences"): their shape, who may send them, and the
// state checks made after idempotency (a licence id names one licence forever; only an issued licence is revoked).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { issueLicence, revokeLicence, withField } from './support/events';
import { accountOf, movementOf, recorded, rejectionOf, replayLines } from './support/replay-lines';

describe('licence events: shape', () => {
  const rejected = (event: object) => rejectionOf(replayLines([event as never]).outcomes[0]);

  test('a well-formed issue is recorded and approves its TPP on country:CC:licensed', () => {
    const run = replayLines([issueLicence('D123456')]);
    assert.equal(movementOf(run.outcomes[0], 'country:AE:licensed')?.deltaTpp, 150_000_000n);
    assert.deepEqual(accountOf(run.result, 'country:AE:licensed'), {
      account: 'country:AE:licensed',
      usedTpp: 150_000_000n,
      capTpp: 790_000_000n,
      utilization: 150 / 790,
    });
  });

  test('tpp is an integer 1..10^15', () => {
    for (const tpp of [0, -5, 1.5, 1_000_000_000_000_001, '100']) {
      const r = rejected(withField(issueLicence('D1'), 'license.tpp', tpp));
      assert.equal(r.code, 'MALFORMED', `tpp ${tpp}`);
      assert.match(r.message, /\/license\/tpp/);
    }
    assert.equal(replayLines([issueLicence('D1', { tpp: 1_000_000_000_000_000 })]).result.counts.recorded, 1);
    assert.equal(replayLines([issueLicence('D1', { tpp: 1 })]).result.counts.recorded, 1);
  });

  test('validTo must be after validFrom, and both real instants', () => {
    const same = rejected(issueLicence('D1', { validFrom: '2026-01-01T00:00:00Z', validTo: '2026-01-01T00:00:00Z' }));
    assert.equal(same.code, 'MALFORMED');
    assert.match(same.message, /\/license\/validTo: must be after validFrom/);
    assert.equal(rejected(issueLicence('D1', { validFrom: '2026-06-01T00:00:00Z', validTo: '2026-01-01T00:00:00Z' })).code, 'MALFORMED');
    // The same instant written with another offset is not after it either.
    assert.equal(rejected(issueLicence('D1', { validFrom: '2026-01-01T02:00:00+02:00', validTo: '2026-01-01T00:00:00Z' })).code, 'MALFORMED');
    assert.match(rejected(issueLicence('D1', { validFrom: '2026-02-30T00:00:00Z' })).message, /\/license\/validFrom: not a valid RFC 3339/);
    assert.match(rejected(issueLicence('D1', { validTo: '2026-12-31' })).message, /\/license\/validTo/);
  });

  test('missing or extra fields, a bad id or exporter are MALFORMED', () => {
    assert.equal(rejected(withField(issueLicence('D1'), 'license.exporter', undefined)).code, 'MALFORMED');
    assert.equal(rejected(withField(issueLicence('D1'), 'license.extra', 1)).code, 'MALFORMED');
    assert.equal(rejected(withField(issueLicence('D1'), 'license.exporter', 'NVIDIA')).code, 'MALFORMED');
    // Licence ids become account ids (license:ID): no ':'.
    assert.equal(rejected(issueLicence('D:1')).code, 'MALFORMED');
    assert.equal(rejected(withField(revokeLicence('D1'), 'license.id', undefined)).code, 'MALFORMED');
  });

  test('only the regulator issues or revokes licences', () => {
    assert.equal(rejected(issueLicence('D1', { publisher: 'nvidia' })).code, 'FORBIDDEN_PUBLISHER');
    assert.equal(rejected(revokeLicence('D1', { publisher: 'nvidia' })).code, 'FORBIDDEN_PUBLISHER');
  });

  test('the consignee country is an assigned code', () => {
    assert.equal(rejected(issueLicence('D1', { country: 'XX' })).code, 'INVALID_COUNTRY');
  });
});

describe('licence events: state checks after idempotency', () => {
  test('a second issue of an existing id is MALFORMED and changes nothing', () => {
    const run = replayLines([issueLicence('D1', { tpp: 100_000_000 }), issueLicence('D1', { tpp: 200_000_000, country: 'SA' })]);
    const r = rejectionOf(run.outcomes[1]);
    assert.equal(r.code, 'MALFORMED');
    assert.match(r.message, /already issued/);
    assert.equal(accountOf(run.result, 'country:AE:licensed')?.usedTpp, 100_000_000n);
    assert.equal(accountOf(run.result, 'country:SA:licensed'), undefined);
  });

  test('a second issue of a revoked id is MALFORMED too', () => {
    const run = replayLines([issueLicence('D1'), revokeLicence('D1'), issueLicence('D1')]);
    assert.equal(rejectionOf(run.outcomes[2]).code, 'MALFORMED');
  });

  test('revoking an id never issued is MALFORMED', () => {
    const run = replayLines([revokeLicence('D404')]);
    const r = rejectionOf(run.outcomes[0]);
    assert.equal(r.code, 'MALFORMED');
    assert.match(r.message, /no licence "D404" was issued/);
    assert.equal(run.result.accounts.length, 0);
  });

  test('the same issue again is a duplicate, not a second issue; another payload under its key is DUPLICATE_CONFLICT', () => {
    const first = issueLicence('D1', { eventId: 'bis-1' });
    const run = replayLines([first, first, issueLicence('D1', { eventId: 'bis-1', tpp: 5 })]);
    assert.equal(run.outcomes[1]!.status, 'duplicate');
    assert.equal(rejectionOf(run.outcomes[2]).code, 'DUPLICATE_CONFLICT');
    assert.equal(accountOf(run.result, 'country:AE:licensed')?.usedTpp, 150_000_000n);
  });

  test('a rejected revocation can be sent again under its key once the licence exists', () => {
    const run = replayLines([revokeLicence('D1', { eventId: 'bis-9' }), issueLicence('D1'), revokeLicence('D1', { eventId: 'bis-9' })]);
    assert.equal(rejectionOf(run.outcomes[0]).code, 'MALFORMED');
    recorded(run.outcomes[2]);
    assert.equal(accountOf(run.result, 'country:AE:licensed')?.usedTpp, 0n);
  });
});
