import 'reflect-metadata';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HealthModule, MetricsModule, MetricsRegistry } from '@app/observability';

async function serve(checks: Record<string, () => Promise<unknown>>) {
  @Module({ imports: [HealthModule.forRoot(checks), MetricsModule] })
  class TestModule {}
  const app = await NestFactory.create(TestModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();
  return { app, base };
}

describe('health and metrics endpoints', () => {
  it('is live and ready when every check answers', async () => {
    const { app, base } = await serve({ postgres: async () => 1, kafka: async () => ({}) });
    try {
      const live = await fetch(`${base}/health/live`);
      assert.equal(live.status, 200);
      const ready = await fetch(`${base}/health/ready`);
      assert.equal(ready.status, 200);
      assert.deepEqual(await ready.json(), { status: 'ok', checks: { postgres: 'up', kafka: 'up' } });
    } finally {
      await app.close();
    }
  });

  it('answers 503 naming the check that failed, while staying live', async () => {
    const { app, base } = await serve({
      postgres: async () => 1,
      kafka: async () => {
        throw new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
      },
    });
    try {
      const ready = await fetch(`${base}/health/ready`);
      assert.equal(ready.status, 503);
      assert.deepEqual(await ready.json(), {
        status: 'unavailable',
        checks: { postgres: 'up', kafka: 'down: Connection error: connect ECONNREFUSED 127.0.0.1:9092' },
      });
      assert.equal((await fetch(`${base}/health/live`)).status, 200);
    } finally {
      await app.close();
    }
  });

  it('serves the registry at /metrics in the Prometheus text format', async () => {
    const { app, base } = await serve({});
    try {
      app.get(MetricsRegistry).counter({ name: 'demo_total', help: 'Demo.' }).inc(4);
      const response = await fetch(`${base}/metrics`);
      assert.equal(response.status, 200);
      // Express may reorder the parameters; Prometheus reads the media type and the version.
      assert.match(String(response.headers.get('content-type')), /^text\/plain;.*\bversion=0\.0\.4\b/);
      const body = await response.text();
      assert.match(body, /^demo_total 4$/m);
      assert.match(body, /^process_resident_memory_bytes \d+$/m);
      // The process's CPU time so far: more than nothing (it started Nest), less than it has been alive on all cores.
      const cpu = Number(/^process_cpu_seconds_total (\S+)$/m.exec(body)?.[1]);
      assert.ok(cpu > 0 && cpu <= process.uptime() * 64, `process_cpu_seconds_total ${cpu}`);
    } finally {
      await app.close();
    }
  });
});
