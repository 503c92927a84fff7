// A dc.deployment's publisher must be its VEU, or one of the `reporters` of that VEU's grant in force; anyone else is
// FORBIDDEN_PUBLISHER (CONTRACTS.md, "policy.*"), and the event changes nothing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, grantUveu, revoke, type Json } from './support/events';
import { codeOf, signedRun } from './support/signing';
import { authenticity } from './support/signing';

const optional = authenticity({ enforcement: 'optional' });
const withReporters = (grant: Json, reporters: string[]): Json => ({ ...grant, veu: { ...(grant['veu'] as Json), reporters } });

describe('who may report a VEU\'s deployments', () => {
  test('the VEU itself, granted or not', () => {
    const run = signedRun([], optional);
    assert.equal(codeOf(run.push(deployment({ veu: 'aws', publisher: 'aws' }))), 'recorded');
  });

  test('an unrelated publisher is FORBIDDEN_PUBLISHER and moves nothing', () => {
    const run = signedRun([grantUveu('aws')], optional);
    const outcome = run.push(deployment({ veu: 'aws', publisher: 'mallory' }));
    assert.equal(codeOf(outcome), 'FORBIDDEN_PUBLISHER');
    assert.match(outcome.status === 'rejected' ? outcome.message : '', /"mallory" may not report deployments of VEU "aws"/);
    assert.equal(run.replayer.result().accounts.length, 0);
  });

  test('a reporter named by the grant in force, and only while it is in force', () => {
    const run = signedRun([withReporters(grantUveu('aws'), ['aws-india', 'aws-gov'])], optional);
    assert.equal(codeOf(run.push(deployment({ veu: 'aws', publisher: 'aws-india' }))), 'recorded');
    assert.equal(codeOf(run.push(deployment({ veu: 'aws', publisher: 'aws-gov' }))), 'recorded');
    run.push(revoke('aws'));
    assert.equal(codeOf(run.push(deployment({ veu: 'aws', publisher: 'aws-india' }))), 'FORBIDDEN_PUBLISHER');
    assert.equal(codeOf(run.push(deployment({ veu: 'aws', publisher: 'aws' }))), 'recorded');
  });

  test('a new grant replaces the reporters of the earlier one', () => {
    const run = signedRun([withReporters(grantUveu('aws'), ['aws-india']), revoke('aws'), grantUveu('aws')], optional);
    assert.equal(codeOf(run.push(deployment({ veu: 'aws', publisher: 'aws-india' }))), 'FORBIDDEN_PUBLISHER');
  });

  test('reporters are publisher ids: anything else is MALFORMED', () => {
    const run = signedRun([], optional);
    assert.equal(codeOf(run.push(withReporters(grantUveu('aws'), ['AWS India']))), 'MALFORMED');
    assert.equal(codeOf(run.push(withReporters(grantUveu('aws'), Array.from({ length: 101 }, (_, i) => `r-${i}`)))), 'MALFORMED');
  });
});
