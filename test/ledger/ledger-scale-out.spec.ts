// Large: two ledger instances in one consumer group, on real Kafka and Postgres. They share the input partitions
// (Kafka assigns each to one of them), both write the one hash-chained ledger, each with a batch in flight while it
// judges the next; the head lock and its check keep them in one order. The outcome must still be the replay of
// what they recorded, and the chain must verify. This checks the outcome; ledger-writer-pipeline.spec.ts forces the
// case the head check is for (another writer committing between two batches of one), which a feed this short
// rarely produces.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Admin } from 'kafkajs';
import { caughtUp, cli, createLedgerDatabase, generateFeed, inputEndOffsets, type LedgerDatabase, randomPort, serviceMetrics, type ServiceProcess, startAtEndOfTopics, startService, testKafka, uniqueName, waitFor } from '@app/testing';
import { ledgerAndReplaySnapshots, tagFeed } from './ledger-fixtures';

const CATCH_UP_TIMEOUT_MS = 120_000;

interface Instance {
  process: ServiceProcess;
  port: number;
}

// The partitions named in the instance's latest "joined the consumer group" log line (an empty list before it joins).
function latestAssignment(instance: Instance): number[] {
  for (let i = instance.process.log.length - 1; i >= 0; i--) {
    const line = instance.process.log[i]!;
    if (!line.includes('joined the consumer group')) continue;
    const assignment = (JSON.parse(line) as { assignment?: Record<string, number[]> }).assignment ?? {};
    return Object.values(assignment).flat();
  }
  return [];
}

// Batches the instance has stored so far (the histogram has no count line before the first).
async function batchesStored(instance: Instance): Promise<number> {
  return (await serviceMetrics(instance.port)).get('ledger_batch_size_count') ?? 0;
}

describe('ledger service scaled out to two instances', () => {
  const kafka = testKafka('ledger-scale-out');
  let admin: Admin;
  let db: LedgerDatabase;
  const instances: Instance[] = [];
  const groupId = uniqueName('ledger_scale');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-scale-out-'));

  before(async () => {
    admin = kafka.admin();
    await admin.connect();
    db = await createLedgerDatabase('ledger_scale');
    await startAtEndOfTopics(admin, db.ds, groupId);
  });

  after(async () => {
    for (const instance of instances) await instance.process.stop();
    await admin?.disconnect();
    await db?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('two instances share the partitions and together record exactly what the offline replay judges', { timeout: 360_000 }, async () => {
    const start = () => {
      const port = randomPort();
      const process = startService('ledger', { DATABASE_URL: db.urlAs('ledger_writer'), LEDGER_GROUP_ID: groupId, LEDGER_HTTP_PORT: String(port), LOG_LEVEL: 'info' });
      instances.push({ process, port });
    };
    start();
    await waitFor(async () => latestAssignment(instances[0]!).length > 0, { timeoutMs: 120_000, intervalMs: 200, what: 'the first instance to join' });
    start();
    // Both hold partitions once the group has rebalanced with its two members.
    await waitFor(async () => instances.every((i) => latestAssignment(i).length > 0) && latestAssignment(instances[0]!).length < 13, {
      timeoutMs: 120_000,
      intervalMs: 200,
      what: 'the group to share the partitions between the two instances',
    });
    // An instance joins the group during its start-up, before its HTTP server listens: wait until each answers.
    const before = await Promise.all(
      instances.map((i) => waitFor(() => batchesStored(i), { timeoutMs: 30_000, intervalMs: 100, what: `the instance on :${i.port} to serve /metrics` })),
    );

    const run = groupId.slice(-12);
    const lines = tagFeed(await generateFeed(4000, 31), run);
    const file = path.join(tmp, 'feed.ndjson');
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const published = await cli(['publish', file]);
    assert.equal(published.code, 0, published.stderr);
    const ends = await inputEndOffsets(admin);
    await waitFor(() => caughtUp(admin, db.ds, groupId, ends), { timeoutMs: CATCH_UP_TIMEOUT_MS, intervalMs: 250, what: 'the two instances to judge the feed' });

    const after = await Promise.all(instances.map(batchesStored));
    assert.ok(after.every((n, k) => n > before[k]!), `both instances stored batches: ${before.join(',')} -> ${after.join(',')}`);

    const { ledger, replay } = await ledgerAndReplaySnapshots(db.ds);
    assert.ok(ledger.alerts.length > 0, 'the feed raises alerts');
    assert.deepEqual(ledger.accounts, replay.accounts);
    assert.deepEqual(ledger.alerts, replay.alerts);
    const verify = await cli(['verify'], { DATABASE_URL: db.urlAs('ledger_reader') });
    assert.equal(verify.code, 0, verify.stdout);
    assert.equal(JSON.parse(verify.stdout).ok, true);
  });
});
