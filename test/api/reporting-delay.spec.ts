// Reporting delay per publisher (recorded_at - occurredAt) through the real writer and the API: the figures, who may
// read whose, and the Prometheus gauges.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '@app/testing';
import { shipment, startApiFixture, type ApiFixture } from './support/api-fixture';

const REGULATOR = 'delay-regulator-key';
const AMD = 'delay-amd-key';
const NVIDIA = 'delay-nvidia-key';
const AWS = 'delay-aws-key';
const HOUR = 3_600_000;

let f: ApiFixture;
let recordedMs: number;
let tenDaysAgoMs: number;

before(async () => {
  f = await startApiFixture('reporting_delay', { reportingDelayThresholdHours: 24 });
  await f.addKey(REGULATOR, 'regulator');
  await f.addKey(AMD, 'chipmaker', 'amd');
  await f.addKey(NVIDIA, 'chipmaker', 'nvidia');
  await f.addKey(AWS, 'cloud-provider', 'aws');
  const now = Date.now();
  const ago = (ms: number) => new Date(now - ms).toISOString();
  tenDaysAgoMs = now - 240 * HOUR;
  // amd: about 30 minutes, 2 hours, 3 hours, 30 hours and 10 days late; nvidia: about 5 minutes, twice. Each a little
  // under its round figure, and recorded within a minute, so that each falls in the bucket of that figure.
  const result = await f.record([
    shipment({ country: 'AE', quantity: 1, at: ago(30 * 60_000), publisher: 'amd' }),
    shipment({ country: 'AE', quantity: 1, at: ago(2 * HOUR), publisher: 'amd' }),
    shipment({ country: 'AE', quantity: 1, at: ago(3 * HOUR - 60_000), publisher: 'amd' }),
    shipment({ country: 'AE', quantity: 1, at: ago(30 * HOUR), publisher: 'amd' }),
    shipment({ country: 'AE', quantity: 1, at: ago(240 * HOUR), publisher: 'amd' }),
    shipment({ country: 'AE', quantity: 1, at: ago(5 * 60_000 - 1_000), publisher: 'nvidia' }),
    shipment({ country: 'AE', quantity: 1, at: ago(5 * 60_000 - 1_000), publisher: 'nvidia' }),
  ]);
  assert.equal(result.recorded, 7);
  const [row] = (await f.dataSource.query(`SELECT max(recorded_at) AS at FROM inbox`)) as Array<{ at: Date }>;
  recordedMs = row!.at.getTime();
});

after(async () => {
  await f?.close();
});

describe('reporting delay', () => {
  it('gives a regulator every publisher: p50, p99, max and the count over the threshold', async () => {
    const res = await f.get('/reporting-delays', REGULATOR);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.thresholdHours, 24);
    assert.deepEqual(res.body.publishers.map((p: any) => p.publisher), ['amd', 'nvidia']);
    const amd = res.body.publishers[0];
    assert.equal(amd.events, 5);
    // Nearest rank: p50 is the 3rd of 5 (3 hours, read to the hour), p99 the 5th (10 days: the maximum).
    assert.equal(amd.p50Ms, 3 * HOUR);
    // The maximum is exact: the recording moment minus the event time.
    assert.equal(amd.maxMs, recordedMs - tenDaysAgoMs);
    assert.equal(amd.p99Ms, amd.maxMs);
    // 30 hours and 10 days are over 24 hours; 3 hours is not.
    assert.equal(amd.overThreshold, 2);
    const nvidia = res.body.publishers[1];
    assert.equal(nvidia.events, 2);
    assert.equal(nvidia.overThreshold, 0);
    // A little under 5 minutes, read to the minute (the exact maximum when that is lower).
    assert.equal(nvidia.p50Ms, Math.min(5 * 60_000, nvidia.maxMs));
  });

  it('shows a company its own figures only, and refuses another publisher', async () => {
    const own = await f.get('/reporting-delays', AMD);
    assert.equal(own.status, 200);
    assert.deepEqual(own.body.publishers.map((p: any) => p.publisher), ['amd']);
    assert.equal((await f.get('/reporting-delays?publisher=amd', AMD)).body.publishers[0].events, 5);
    const other = await f.get('/reporting-delays?publisher=amd', NVIDIA);
    assert.equal(other.status, 403);
    assert.equal(other.body.error.code, 'FORBIDDEN');
    // A cloud provider that published nothing sees nothing of anyone else.
    const aws = await f.get('/reporting-delays', AWS);
    assert.equal(aws.status, 200);
    assert.deepEqual(aws.body.publishers, []);
    assert.equal((await f.get('/reporting-delays?publisher=nvidia', AWS)).status, 403);
    assert.equal((await f.get('/reporting-delays', null)).status, 401);
    assert.equal((await f.get('/reporting-delays?publisher=NOT%20A%20NAME', REGULATOR)).status, 400);
  });

  it('exports the figures as Prometheus gauges', async () => {
    // A scrape shows what the previous one read: scrape until the figures are there.
    const text = await waitFor(async () => {
      const res = await fetch(`${f.baseUrl}/metrics`, { headers: { 'x-api-key': REGULATOR } });
      const body = await res.text();
      return body.includes('ledger_reporting_delay_events{publisher="amd"} 5') ? body : null;
    }, { timeoutMs: 15_000, intervalMs: 250, what: 'the reporting delay gauges' });
    assert.match(text, /ledger_reporting_delay_over_threshold_events\{publisher="amd"\} 2\n/);
    assert.match(text, /ledger_reporting_delay_seconds\{publisher="amd",quantile="0.5"\} 10800\n/);
    assert.match(text, /ledger_reporting_delay_threshold_seconds 86400\n/);
    assert.match(text, /ledger_reporting_delay_events\{publisher="nvidia"\} 2\n/);
  });
});
