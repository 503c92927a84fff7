// /metrics on the API port, as Prometheus scrapes it with a regulator key (docs/operations.md): requests counted by
// route template and status class (never by the URL sent), latency as a histogram, open alert streams as a gauge;
// and no one else reads it, since it names every publisher's recorded events and reporting delays.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '@app/testing';
import { shipment, startApiFixture, type ApiFixture } from './support/api-fixture';

const KEY = 'metrics-regulator-key';
const CHIPMAKER_KEY = 'metrics-chipmaker-key';
const CLOUD_KEY = 'metrics-cloud-key';

let f: ApiFixture;

before(async () => {
  f = await startApiFixture('api_metrics');
  await f.addKey(KEY, 'regulator');
  await f.addKey(CHIPMAKER_KEY, 'chipmaker', 'amd');
  await f.addKey(CLOUD_KEY, 'cloud-provider', 'g42');
  const result = await f.record([shipment({ country: 'AE', quantity: 100, at: '2026-01-05T00:00:00Z' })]);
  assert.equal(result.recorded, 1);
});

after(async () => {
  await f?.close();
});

async function scrape(): Promise<string> {
  const res = await f.get('/metrics', KEY);
  assert.equal(res.status, 200, res.text);
  return res.text;
}

// The value of one series, or undefined when the scrape does not have it.
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  it("answers a regulator's key, as the x-api-key header or as Prometheus's bearer token, in the Prometheus text format", async () => {
    const ways: Array<Record<string, string>> = [{ 'x-api-key': KEY }, { authorization: `Bearer ${KEY}` }];
    for (const headers of ways) {
      const res = await fetch(`${f.baseUrl}/metrics`, { headers });
      assert.equal(res.status, 200);
      assert.match(String(res.headers.get('content-type')), /^text\/plain;.*\bversion=0\.0\.4\b/);
      const text = await res.text();
      assert.match(text, /^# TYPE api_http_requests_total counter$/m);
      assert.match(text, /^# TYPE api_http_request_duration_seconds histogram$/m);
      assert.match(text, /^process_resident_memory_bytes \d+$/m);
    }
  });

  it("refuses everyone else: it names every publisher's recorded events, which a company may not see", async () => {
    const refusals: Array<[Record<string, string>, number, string]> = [
      [{}, 401, 'UNAUTHENTICATED'],
      [{ 'x-api-key': CHIPMAKER_KEY }, 403, 'FORBIDDEN'],
      [{ 'x-api-key': CLOUD_KEY }, 403, 'FORBIDDEN'],
      [{ authorization: `Bearer ${CHIPMAKER_KEY}` }, 403, 'FORBIDDEN'],
      [{ authorization: 'Bearer not-a-key' }, 401, 'UNAUTHENTICATED'],
      [{ authorization: `Basic ${Buffer.from(`x:${KEY}`).toString('base64')}` }, 401, 'UNAUTHENTICATED'],
    ];
    for (const [headers, status, code] of refusals) {
      const res = await fetch(`${f.baseUrl}/metrics`, { headers });
      const text = await res.text();
      assert.equal(res.status, status, `${JSON.stringify(headers)}: ${text}`);
      assert.match(String(res.headers.get('content-type')), /^application\/json/);
      assert.equal(JSON.parse(text).error.code, code);
      assert.doesNotMatch(text, /ledger_reporting_delay|nvidia|api_http/);
    }
    // The regulator's scrape does show them (read for the scrape before), so the refusals above withhold something.
    await waitFor(async () => /^ledger_reporting_delay_events\{publisher="nvidia"\} 1$/m.test(await scrape()), { what: "nvidia's recorded events in the scrape" });
  });

  it('takes a bearer token on /metrics only: every other route wants the x-api-key header', async () => {
    const res = await fetch(`${f.baseUrl}/accounts/country:AE`, { headers: { authorization: `Bearer ${KEY}` } });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'UNAUTHENTICATED');
  });

  it('counts requests by route template and status class, with their latency', async () => {
    const ok = 'api_http_requests_total{method="GET",route="/accounts/:accountId",status_class="2xx"}';
    const unauthenticated = 'api_http_requests_total{method="GET",route="/accounts",status_class="4xx"}';
    const notFound = 'api_http_requests_total{method="GET",route="(not found)",status_class="4xx"}';
    const notJson = 'api_http_requests_total{method="POST",route="(before routing)",status_class="4xx"}';
    const before = await scrape();

    for (let i = 0; i < 3; i++) assert.equal((await f.get('/accounts/country:AE', KEY)).status, 200);
    assert.equal((await f.get('/accounts', null)).status, 401);
    assert.equal((await f.get('/no/such/path?x=1', KEY)).status, 404);
    assert.equal((await f.post('/pre-clearance', '{"type":', KEY)).status, 400);

    const text = await scrape();
    assert.equal((sample(text, ok) ?? 0) - (sample(before, ok) ?? 0), 3);
    assert.equal((sample(text, unauthenticated) ?? 0) - (sample(before, unauthenticated) ?? 0), 1);
    assert.equal((sample(text, notFound) ?? 0) - (sample(before, notFound) ?? 0), 1);
    assert.equal((sample(text, notJson) ?? 0) - (sample(before, notJson) ?? 0), 1);
    // The scrape before this one was counted too.
    assert.ok((sample(text, 'api_http_requests_total{method="GET",route="/metrics",status_class="2xx"}') ?? 0) >= 1);
    const latencyCount = sample(text, 'api_http_request_duration_seconds_count{method="GET",route="/accounts/:accountId",status_class="2xx"}');
    assert.ok(latencyCount !== undefined && latencyCount >= 3, `latency histogram: ${latencyCount}`);
    assert.match(text, /^api_http_request_duration_seconds_bucket\{method="GET",route="\/accounts\/:accountId",status_class="2xx",le="\+Inf"\} \d+$/m);
    // Bounded label values: what the client sent is not a label.
    assert.doesNotMatch(text, /country:AE|no\/such|x=1/);
  });

  it('shows the number of open alert streams', async () => {
    const controller = new AbortController();
    const res = await fetch(`${f.baseUrl}/alerts/stream?key=${KEY}`, { signal: controller.signal });
    assert.equal(res.status, 200);
    try {
      await waitFor(async () => sample(await scrape(), 'api_alert_stream_subscribers') === 1, { what: 'one stream subscriber' });
    } finally {
      controller.abort();
    }
    await waitFor(async () => sample(await scrape(), 'api_alert_stream_subscribers') === 0, { what: 'no stream subscribers' });
    const streams = await waitFor(
      async () => sample(await scrape(), 'api_http_requests_total{method="GET",route="/alerts/stream",status_class="2xx"}'),
      { what: 'the closed stream to be counted' },
    );
    assert.equal(streams, 1);
  });
});
