// Large: the ledger and the relay as child processes answer the paths the compose health checks and the Kubernetes
// probes use (/health/live, /health/ready naming each dependency), serve /metrics, and stop cleanly on SIGTERM.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Admin } from 'kafkajs';
import { createLedgerDatabase, type LedgerDatabase, randomPort, type ServiceProcess, startAtEndOfTopics, startService, testKafka, uniqueName, waitFor } from '@app/testing';

const START_TIMEOUT_MS = 60_000;

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

describe('service health endpoints', () => {
  const kafka = testKafka('service-health');
  let admin: Admin;
  let db: LedgerDatabase;
  const groupId = uniqueName('service_health');
  const ledgerPort = randomPort();
  const relayPort = ledgerPort + 1;
  let ledger: ServiceProcess;
  let relay: ServiceProcess;

  before(async () => {
    admin = kafka.admin();
    await admin.connect();
    db = await createLedgerDatabase('service_health');
    // Start at the end of the shared input topics: this spec judges nothing, it only needs a running consumer.
    await startAtEndOfTopics(admin, db.ds, groupId);
    const env = { LEDGER_GROUP_ID: groupId, LOG_LEVEL: 'warn' };
    ledger = startService('ledger', { ...env, DATABASE_URL: db.urlAs('ledger_writer'), LEDGER_HTTP_PORT: String(ledgerPort) });
    relay = startService('relay', { ...env, DATABASE_URL: db.urlAs('ledger_relay'), RELAY_HTTP_PORT: String(relayPort) });
  });

  after(async () => {
    await ledger?.kill();
    await relay?.kill();
    await admin?.disconnect();
    await db?.close();
  });

  for (const [app, port, checks] of [
    ['ledger', () => ledgerPort, ['consumer', 'kafka', 'postgres']],
    ['relay', () => relayPort, ['kafka', 'postgres', 'relay']],
  ] as const) {
    it(`${app}: live, then ready with every dependency up, and /metrics`, async () => {
      const base = `http://127.0.0.1:${port()}`;
      const ready = await waitFor(
        async () => {
          const r = await getJson(`${base}/health/ready`);
          return r.status === 200 ? r : null;
        },
        { timeoutMs: START_TIMEOUT_MS, intervalMs: 200, what: `${app} to be ready` },
      );
      assert.deepEqual(ready.body, { status: 'ok', checks: Object.fromEntries(checks.map((c) => [c, 'up'])) });
      assert.deepEqual(await getJson(`${base}/health/live`), { status: 200, body: { status: 'ok' } });
      const metrics = await fetch(`${base}/metrics`);
      assert.equal(metrics.status, 200);
      assert.match(String(metrics.headers.get('content-type')), /^text\/plain;.*\bversion=0\.0\.4\b/);
      assert.match(await metrics.text(), new RegExp(`^# TYPE ${app}_\\w+ (counter|gauge|histogram)$`, 'm'));
    });
  }

  it('both stop on SIGTERM once closed, without an error (consumer, producers and the health admin disconnect)', async () => {
    await Promise.all([ledger.stop(), relay.stop()]);
    for (const service of [ledger, relay]) {
      // Nest closes the app, then raises the signal again, so a clean stop ends by SIGTERM rather than exit 0.
      assert.equal(service.child.signalCode, 'SIGTERM', service.log.slice(-20).join('\n'));
      const errors = service.log.filter((line) => /"level":"(error|fatal)"/.test(line));
      assert.deepEqual(errors, []);
    }
  });
});
