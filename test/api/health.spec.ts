// The API's probes as an orchestrator sees them: live while the process runs, ready only while its database
// answers; 503 (not ready) rather than 500 when it does not, like the ledger and the relay.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { INestApplication } from '@nestjs/common';
import { loadDatabaseSettings } from '@app/config';
import { uniqueName } from '@app/testing';
import { createApiApp } from '../../apps/api/src/api-app.factory';

describe('API health probes', () => {
  let app: INestApplication;
  let baseUrl: string;

  before(async () => {
    // A database that does not exist: the server answers, the ledger is not there.
    const url = new URL(loadDatabaseSettings().url);
    url.pathname = `/${uniqueName('no_such_db')}`;
    app = await createApiApp(
      { port: 0, database: { url: url.toString(), ssl: false, poolSizeMax: 2 }, policyPack: 'ai-diffusion-2025', policyTimeline: null, alertPollIntervalMs: 60_000, statementTimeoutMs: 2_000, reportingDelayThresholdHours: 72 },
      'fatal',
    );
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  after(async () => {
    await app?.close();
  });

  it('is live without a key even when its database is missing', async () => {
    const res = await fetch(`${baseUrl}/health/live`);
    assert.equal(res.status, 200);
  });

  it('is not ready (503, with a stable error code) while its database is missing', async () => {
    const res = await fetch(`${baseUrl}/health/ready`);
    assert.equal(res.status, 503);
    const body = (await res.json()) as { error: { code: string } };
    assert.equal(body.error.code, 'UNAVAILABLE');
  });
});
