// dc.deployment: INSTALL adds and REMOVE subtracts the controlled TPP of the items on installed:ID:CC; installed TPP
// is tracked per (VEU, data center) and a REMOVE may not take a data center below 0 (NEGATIVE_INSTALLED_BASE).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, grantNveu, grantUveu, install, remove, tppItems } from './support/events';
import { accountIdsOf, accountOf, movementOf, replayLines } from './support/replay-lines';

describe('deployments and the installed base', () => {
  test('INSTALL adds to installed:ID:CC (uncapped), REMOVE subtracts', () => {
    const run = replayLines([
      grantUveu('aws', 'US'),
      deployment({ veu: 'aws', dc: 'bom-1', country: 'IN', items: [{ chip: 'B200', quantity: 512 }] }),
      deployment({ veu: 'aws', dc: 'bom-1', country: 'IN', action: 'REMOVE', items: [{ chip: 'B200', quantity: 12 }] }),
    ]);
    assert.deepEqual(accountOf(run.result, 'installed:aws:IN'), { account: 'installed:aws:IN', usedTpp: 18_000_000n, capTpp: null, utilization: null });
    assert.deepEqual(
      (({ account, deltaTpp, usedBeforeTpp, usedAfterTpp, capTpp }) => ({ account, deltaTpp, usedBeforeTpp, usedAfterTpp, capTpp }))(movementOf(run.outcomes[2], 'installed:aws:IN')!),
      { account: 'installed:aws:IN', deltaTpp: -432_000n, usedBeforeTpp: 18_432_000n, usedAfterTpp: 18_000_000n, capTpp: null },
    );
  });

  test('a REMOVE may take a data center exactly to 0, not below', () => {
    const run = replayLines([install('aws', 'IN', 5_000_000), remove('aws', 'IN', 5_000_000), remove('aws', 'IN', 1600)]);
    assert.deepEqual(run.outcomes.map((o) => (o!.status === 'rejected' ? o!.code : o!.status)), ['recorded', 'recorded', 'NEGATIVE_INSTALLED_BASE']);
    assert.equal(accountOf(run.result, 'installed:aws:IN')!.usedTpp, 0n);
  });

  test('the installed base is per data center: another data center’s chips cannot be removed here', () => {
    const run = replayLines([
      install('aws', 'IN', 5_000_000, { dc: 'bom-1' }),
      install('aws', 'IN', 1_000_000, { dc: 'hyd-1' }),
      remove('aws', 'IN', 2_000_000, { dc: 'hyd-1' }),
      remove('aws', 'IN', 2_000_000, { dc: 'bom-1' }),
    ]);
    assert.deepEqual(run.outcomes.map((o) => (o!.status === 'rejected' ? o!.code : o!.status)), ['recorded', 'recorded', 'NEGATIVE_INSTALLED_BASE', 'recorded']);
    assert.equal(accountOf(run.result, 'installed:aws:IN')!.usedTpp, 4_000_000n);
    assert.equal(run.result.rejected[0]!.line, 3);
  });

  test('the installed base is per VEU: the same data-center id of another VEU is separate', () => {
    const run = replayLines([install('aws', 'IN', 5_000_000, { dc: 'dc-1' }), remove('gcp', 'IN', 1_000_000, { dc: 'dc-1' })]);
    assert.equal(run.result.rejected[0]!.code, 'NEGATIVE_INSTALLED_BASE');
  });

  test('a data center is identified by (VEU, data-center id, country): the same id in another country is another site', () => {
    const run = replayLines([
      install('aws', 'IN', 5_000_000, { dc: 'dc-1' }),
      remove('aws', 'SA', 1_000_000, { dc: 'dc-1' }),
      install('aws', 'SA', 1_000_000, { dc: 'dc-1' }),
      remove('aws', 'SA', 1_000_000, { dc: 'dc-1' }),
    ]);
    assert.deepEqual(run.outcomes.map((o) => (o!.status === 'rejected' ? o!.code : o!.status)), ['recorded', 'NEGATIVE_INSTALLED_BASE', 'recorded', 'recorded']);
    assert.equal(accountOf(run.result, 'installed:aws:IN')!.usedTpp, 5_000_000n);
    assert.equal(accountOf(run.result, 'installed:aws:SA')!.usedTpp, 0n);
  });

  test('a rejected REMOVE changes nothing', () => {
    const base = [grantUveu('aws', 'US'), install('aws', 'US', 10_000_000), install('aws', 'IN', 500_000)];
    const run = replayLines([...base, remove('aws', 'IN', 600_000)]);
    const clean = replayLines(base);
    assert.equal(run.result.rejected[0]!.code, 'NEGATIVE_INSTALLED_BASE');
    assert.deepEqual(run.result.accounts, clean.result.accounts);
    assert.deepEqual(run.result.alerts, clean.result.alerts);
  });

  test('uncontrolled chips are recorded but move nothing; removing them from an empty data center is fine', () => {
    const run = replayLines([
      deployment({ veu: 'aws', country: 'IN', items: [{ chip: 'H20', quantity: 1000 }] }),
      deployment({ veu: 'aws', country: 'IN', action: 'REMOVE', items: [{ chip: 'H20', quantity: 1000 }] }),
      deployment({ veu: 'aws', country: 'IN', action: 'REMOVE', items: [{ chip: 'H20', quantity: 1000 }] }),
    ]);
    assert.deepEqual(run.result.counts, { read: 3, recorded: 3, duplicates: 0, rejected: 0 });
    assert.equal(accountOf(run.result, 'installed:aws:IN')!.usedTpp, 0n);
  });

  test('a mixed REMOVE subtracts only the controlled part', () => {
    const run = replayLines([
      deployment({ veu: 'aws', dc: 'd', country: 'IN', items: [{ chip: 'A100', quantity: 10 }] }),
      deployment({ veu: 'aws', dc: 'd', country: 'IN', action: 'REMOVE', items: [{ chip: 'A100', quantity: 10 }, { chip: 'H20', quantity: 50 }] }),
    ]);
    assert.equal(run.result.counts.recorded, 2);
    assert.equal(accountOf(run.result, 'installed:aws:IN')!.usedTpp, 0n);
  });

  test('deployments never touch country, LPP or NVEU accounts', () => {
    const run = replayLines([
      grantNveu('g42', 'AE'),
      deployment({ veuKind: 'NVEU', veu: 'g42', country: 'AE', items: tppItems(900_000_000) }),
    ]);
    assert.deepEqual(accountIdsOf(run.result), ['installed:g42:AE']);
    assert.deepEqual(run.result.alerts, []);
  });

  test('a VEU’s installs in several countries have one installed account per country', () => {
    const run = replayLines([
      install('aws', 'US', 1_000_000, { dc: 'iad-1' }),
      install('aws', 'US', 2_000_000, { dc: 'pdx-1' }),
      install('aws', 'DE', 3_000_000, { dc: 'fra-1' }),
    ]);
    assert.deepEqual(run.result.accounts.map((a) => [a.account, a.usedTpp]), [
      ['installed:aws:DE', 3_000_000n],
      ['installed:aws:US', 3_000_000n],
    ]);
  });
});
