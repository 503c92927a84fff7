// Adversarial input against the running API: crafted cursors, out-of-range sequence numbers, impossible instants,
// oversized URLs, headers and bodies, bodies sent before a key; security headers on every answer; and live streams
// that end when their key is revoked, at most a configured number per key.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '@app/testing';
import { shipment, startApiFixture, type ApiFixture } from './support/api-fixture';

const REGULATOR = 'hardening-regulator';
const NVIDIA = 'hardening-nvidia';
const RECHECK_MS = 500;
const STREAMS_MAX = 3;
let f: ApiFixture;

before(async () => {
  f = await startApiFixture('api_hardening', { streamKeyRecheckIntervalMs: RECHECK_MS, streamsPerKeyMax: STREAMS_MAX });
  await f.addKey(REGULATOR, 'regulator');
  await f.addKey(NVIDIA, 'chipmaker', 'nvidia');
  await f.record([
    shipment({ country: 'AE', quantity: 10_000, at: '2026-01-05T00:00:00Z', eventId: 'h-1' }),
    shipment({ country: 'AE', quantity: 20_000, at: '2026-01-06T00:00:00Z', eventId: 'h-2' }),
  ]);
});

after(async () => {
  await f?.close();
});

const cursor = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');

function assertJsonError(res: { status: number; body: any; text: string }, status: number, code: string, what: string): void {
  assert.equal(res.status, status, `${what}: ${res.text.slice(0, 200)}`);
  assert.equal(res.body?.error?.code, code, what);
}

// A raw request (no fetch limits), for oversized heads and bodies.
function raw(path: string, headers: Record<string, string>, body?: Buffer): Promise<{ status: number; body: any; text: string; headers: http.IncomingHttpHeaders }> {
  const url = new URL(f.baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path, method: body ? 'POST' : 'GET', headers }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => {
        let parsed: unknown = null;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = null;
        }
        resolve({ status: res.statusCode ?? 0, body: parsed, text, headers: res.headers });
      });
    });
    req.on('error', reject);
    if (body) req.end(body);
    else req.end();
  });
}

describe('bad input is a 4xx in the JSON error shape, before any SQL', () => {
  it('refuses crafted cursors of every listing', async () => {
    const crafted = [
      `/accounts?sort=usedTpp&cursor=${cursor(['usedTpp', 'abc', 'country:AE'])}`,
      `/accounts?sort=usedTpp&cursor=${cursor(['usedTpp', '1e999', 'country:AE'])}`,
      `/accounts?sort=utilization&cursor=${cursor(['utilization', '1e400', 'country:AE'])}`,
      `/accounts?sort=lastOccurredAt&cursor=${cursor(['lastOccurredAt', '2026-13-01 00:00:00+00', 'country:AE'])}`,
      `/accounts?cursor=${cursor(['id', { a: 1 }, 'country:AE'])}`,
      `/accounts?cursor=${cursor(['id', 'country:AE'])}`,
      `/accounts/country:AE/entries?cursor=${cursor(['desc', '99999999999999999999'])}`,
      `/accounts/country:AE/entries?cursor=${cursor(['desc', 5])}`,
      `/accounts/country:AE/entries?order=asc&cursor=${cursor(['desc', '5'])}`,
      `/alerts?cursor=${cursor(['9223372036854775808'])}`,
      `/alerts?cursor=${cursor([null])}`,
      '/alerts?cursor=%E2%9C%93',
    ];
    for (const path of crafted) assertJsonError(await f.get(path, REGULATOR), 400, 'INVALID_REQUEST', path);
  });

  it('answers sequence numbers beyond the bigint range with 400 or 404, never 500', async () => {
    for (const seq of ['9999999999999999999', '9223372036854775808', '9223372036854775807', '123456789012345678901234567890']) {
      assertJsonError(await f.get(`/proof/entries/${seq}`, REGULATOR), 404, 'NOT_FOUND', seq);
    }
    assertJsonError(await f.get('/alerts/stream?since=99999999999999999999', REGULATOR), 400, 'INVALID_REQUEST', 'since');
    assertJsonError(await f.get('/alerts/stream?since=9223372036854775808', REGULATOR), 400, 'INVALID_REQUEST', 'since');
  });

  it('refuses impossible instants instead of rolling them over', async () => {
    for (const at of ['2026-02-30T00:00:00Z', '2026-01-01T24:00:00Z', '2025-02-29T12:00:00Z', '2026-01-01T00:60:00Z', '2026-01-01T00:00:00%2B25:00', '2026-01-01T00:00Z']) {
      assertJsonError(await f.get(`/accounts/country:AE/balance?at=${at}`, REGULATOR), 400, 'INVALID_REQUEST', at);
    }
    assertJsonError(await f.get('/alerts?from=2026-04-31T00:00:00Z', REGULATOR), 400, 'INVALID_REQUEST', 'from');
    assert.equal((await f.get('/accounts/country:AE/balance?at=2024-02-29T23:59:59.999Z', REGULATOR)).status, 200);
  });

  it('answers oversized URLs and headers in the JSON error shape', async () => {
    const longQuery = `/accounts?country=${'A'.repeat(100_000)}`;
    const huge = await raw(longQuery, { 'x-api-key': REGULATOR });
    assertJsonError(huge, 431, 'HEADERS_TOO_LARGE', '100 KB query string');
    assert.equal(huge.headers['x-content-type-options'], 'nosniff');
    assertJsonError(await raw(`/accounts?country=${'A'.repeat(10_000)}`, { 'x-api-key': REGULATOR }), 414, 'URI_TOO_LONG', '10 KB URL');
    assertJsonError(await raw('/accounts', { 'x-api-key': REGULATOR, 'x-filler': 'x'.repeat(20_000) }), 431, 'HEADERS_TOO_LARGE', '20 KB header');
  });
});

describe('authentication comes before any work on the body', () => {
  const deepJson = Buffer.from(`${'['.repeat(500_000)}${']'.repeat(500_000)}`);

  it('refuses a megabyte body without a key with 401, without parsing it', async () => {
    const started = process.hrtime.bigint();
    const res = await raw('/pre-clearance', { 'content-type': 'application/json', 'content-length': String(deepJson.length) }, deepJson);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assertJsonError(res, 401, 'UNAUTHENTICATED', 'unauthenticated body');
    assert.ok(ms < 2_000, `took ${ms} ms`);
    // The server is still responsive right after.
    assert.equal((await f.get('/me', REGULATOR)).status, 200);
  });

  it('limits pre-clearance bodies to a few KB and refuses bodies everywhere else', async () => {
    assertJsonError(await raw('/pre-clearance', { 'content-type': 'application/json', 'x-api-key': REGULATOR }, deepJson), 413, 'PAYLOAD_TOO_LARGE', 'large body');
    const small = Buffer.from('{"a":1}');
    for (const path of ['/accounts', '/me', '/alerts']) {
      const res = await raw(path, { 'content-type': 'application/json', 'x-api-key': REGULATOR, 'content-length': String(small.length) }, small);
      // POST to a GET route: refused for its body before routing.
      assertJsonError(res, 413, 'PAYLOAD_TOO_LARGE', path);
    }
  });
});

describe('security headers', () => {
  it('are on every answer: API, errors, the dashboard and the docs', async () => {
    for (const [path, key] of [
      ['/me', REGULATOR],
      ['/me', null],
      ['/nowhere', REGULATOR],
      ['/', null],
      ['/dashboard.js', null],
      ['/docs/openapi.json', null],
      ['/health/live', null],
    ] as const) {
      const res = await fetch(`${f.baseUrl}${path}`, { headers: key ? { 'x-api-key': key } : {} });
      await res.arrayBuffer();
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
      assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/, path);
      assert.doesNotMatch(res.headers.get('content-security-policy') ?? '', /script-src[^;]*unsafe-inline/, path);
      assert.equal(res.headers.get('x-frame-options'), 'DENY', path);
    }
  });
});

describe('live streams end when access ends', () => {
  // Opens a stream and returns a reader of everything received so far, and whether the server ended it.
  async function open(key: string): Promise<{ status: number; body: any; ended: () => boolean; text: () => string; close: () => void }> {
    const controller = new AbortController();
    const res = await fetch(`${f.baseUrl}/alerts/stream?key=${key}`, { signal: controller.signal });
    if (res.status !== 200) return { status: res.status, body: await res.json(), ended: () => true, text: () => '', close: () => undefined };
    let text = '';
    let ended = false;
    const reader = res.body!.getReader();
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          text += new TextDecoder().decode(value);
        }
      } catch {
        // aborted by close()
      }
      ended = true;
    })();
    return { status: 200, body: null, ended: () => ended, text: () => text, close: () => controller.abort() };
  }

  it('allows at most the configured number of streams per key, then 429 in the JSON shape', async () => {
    await f.addKey('hardening-streams', 'regulator');
    const streams = [];
    for (let i = 0; i < STREAMS_MAX; i++) streams.push(await open('hardening-streams'));
    assert.ok(streams.every((s) => s.status === 200));
    const refused = await open('hardening-streams');
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error.code, 'TOO_MANY_STREAMS');
    // Closing one frees its place.
    streams[0]!.close();
    await waitFor(async () => (await open('hardening-streams').then((s) => (s.close(), s.status))) === 200, { timeoutMs: 5_000, what: 'a freed stream slot' });
    streams.forEach((s) => s.close());
  });

  it("ends a revoked key's streams within the re-check interval", async () => {
    await f.addKey('hardening-revoked', 'chipmaker', 'nvidia');
    const stream = await open('hardening-revoked');
    assert.equal(stream.status, 200);
    await waitFor(async () => stream.text().includes('event: ready'), { timeoutMs: 5_000, what: 'ready' });
    const revokedAt = Date.now();
    await f.revokeKey('hardening-revoked');
    await waitFor(async () => stream.ended(), { timeoutMs: RECHECK_MS * 6, intervalMs: 20, what: 'the revoked stream to end' });
    assert.ok(Date.now() - revokedAt <= RECHECK_MS * 3, `ended after ${Date.now() - revokedAt} ms`);
    assert.match(stream.text(), /event: end\ndata: \{"reason":"the API key was revoked"\}/);
    // And the key no longer opens one, nor reads anything.
    assert.equal((await open('hardening-revoked')).status, 401);
    assert.equal((await f.get('/me', 'hardening-revoked')).status, 401);
  });
});
