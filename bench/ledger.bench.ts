// `npm run bench`: the ledger's figures, measured in one run on real Kafka and Postgres, printed as JSON.
//   1. end-to-end throughput: a 200,000-event generated feed published as fast as possible into a running ledger,
//      events/s from the first publish to the last commit;
//   2. event-to-alert latency p50/p99 at a steady 1,000 events/s, from publishing an event to consuming its alert
//      on compliance.alerts.v1 (ledger + relay);
//   3. the raw kafkajs consume rate of the same input records with no work;
//   4. the Postgres COPY ingest rate of the same number of rows;
// and the ratios between them; then 5. the end-to-end run again with every event signed and signatures required
// (bench/signed-throughput.ts), against run 1 (signatures optional, unsigned events), and the CPU of one verification. Sizes can be lowered for a quick look: BENCH_EVENTS, BENCH_LATENCY_SECONDS; the
// ledger's transaction size set with BENCH_BATCH_SIZE_MAX, its instances with BENCH_LEDGERS; BENCH_LATENCY_CSV=FILE writes every latency sample;
// BENCH_NO_SYNC=1 leaves the throughput run's dirty pages to the kernel during the latency run (see below).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Partitioners, type Admin, type Kafka } from 'kafkajs';
import { INPUT_TOPICS, TOPICS } from '@app/contracts';
import { routeEvent } from '@app/messaging';
import {
  caughtUp,
  cli,
  createLedgerDatabase,
  generateFeed,
  randomPort,
  serviceMetrics,
  startAtEndOfTopics,
  startService,
  testKafka,
  uniqueName,
  waitFor,
  type LedgerDatabase,
  type ServiceProcess,
} from '@app/testing';
import { envInteger } from './bench-args';
import { benchPrerequisites } from './prerequisites';
import { batchFigures, cpuPerEvent, merkleShare } from './ledger-figures';
import { ProcessCpu, type CpuUse } from './process-cpu';
import { signaturesReport, signedThroughput } from './signed-throughput';

const EVENTS = envInteger('BENCH_EVENTS', { default: 200_000, min: 1, max: 10_000_000 });
const LATENCY_SECONDS = envInteger('BENCH_LATENCY_SECONDS', { default: 20, min: 1, max: 3_600 });
const LATENCY_RATE_PER_S = 1_000;
const BATCH_SIZE_MAX = envInteger('BENCH_BATCH_SIZE_MAX', { default: 10_000, min: 1, max: 100_000 });
// Ledger instances in the consumer group (they share the partitions; the head lock orders their writes).
const LEDGERS = envInteger('BENCH_LEDGERS', { default: 1, min: 1, max: 16 });
const CATCH_UP_TIMEOUT_MS = 600_000;

const execFileAsync = promisify(execFile);
const log = (text: string) => process.stderr.write(`bench: ${text}\n`);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

function parsesAsEvent(line: string): boolean {
  try {
    const doc = JSON.parse(line) as unknown;
    return typeof doc === 'object' && doc !== null && typeof (doc as { eventId?: unknown }).eventId === 'string';
  } catch {
    return false;
  }
}

async function endOffsets(admin: Admin): Promise<Map<string, { partition: number; offset: string }[]>> {
  const out = new Map<string, { partition: number; offset: string }[]>();
  for (const topic of INPUT_TOPICS) out.set(topic, (await admin.fetchTopicOffsets(topic)).map((o) => ({ partition: o.partition, offset: o.high })));
  return out;
}

async function throughput(
  db: LedgerDatabase,
  admin: Admin,
  groupId: string,
  file: string,
): Promise<{ eventsPerS: number; seconds: number; publishSeconds: number; publisherStartupS: number; cpu: CpuUse | null }> {
  const spawnedMs = Date.now();
  const cpu = ProcessCpu.start();
  const published = await cli(['publish', file]);
  if (published.code !== 0) throw new Error(`publish failed: ${published.stderr}`);
  const report = JSON.parse(published.stdout) as { seconds: number; startedAtMs: number };
  // Timed from the first publish, as the target is defined. The publisher's start-up (Node, reading and routing the
  // file, connecting) comes before it and is reported apart (publisherStartupS).
  const startMs = report.startedAtMs;
  log(`published ${EVENTS} events in ${report.seconds} s (${((startMs - spawnedMs) / 1000).toFixed(2)} s of start-up before the first send); waiting for the ledger`);
  await waitFor(() => caughtUp(admin, db.ds, groupId), { timeoutMs: CATCH_UP_TIMEOUT_MS, intervalMs: 200, what: 'the ledger to catch up' });
  const cpuUse = cpu?.stop() ?? null;
  const [{ last }] = (await db.ds.query(`SELECT max(updated_at) AS last FROM consumer_offsets WHERE group_id = $1`, [groupId])) as Array<{ last: Date }>;
  const seconds = (last.getTime() - startMs) / 1000;
  return { eventsPerS: EVENTS / seconds, seconds, publishSeconds: report.seconds, publisherStartupS: (startMs - spawnedMs) / 1000, cpu: cpuUse };
}

interface LatencyResult {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  // Where the time goes, p50/p99 of each stage: publish to the start of the ledger's batch transaction (Kafka, the
  // fetch, waiting for the batch before), that start to the relay sending the alert (judging, writing, COMMIT,
  // NOTIFY, the relay's query), and that send to the alert consumed (Kafka).
  stages: Record<string, { p50Ms: number; p99Ms: number }>;
}

async function latency(kafka: Kafka, admin: Admin, db: LedgerDatabase, lines: string[]): Promise<LatencyResult> {
  const group = uniqueName('bench_alerts');
  const ends = await admin.fetchTopicOffsets(TOPICS.alerts);
  await admin.setOffsets({ groupId: group, topic: TOPICS.alerts, partitions: ends.map((o) => ({ partition: o.partition, offset: o.high })) });
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const seen: Array<{ alertId: string; sentAt: number; relaySentAt: number; consumedAt: number }> = [];
  const consumer = kafka.consumer({ groupId: group, maxWaitTimeInMs: 50 });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPICS.alerts, fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const now = Date.now();
      const alert = JSON.parse(message.value!.toString('utf8')) as { alertId: string; causedBy: { publisher: string; eventId: string } };
      const at = sentAt.get(`${alert.causedBy.publisher}/${alert.causedBy.eventId}`);
      if (at !== undefined) {
        latencies.push(now - at);
        seen.push({ alertId: alert.alertId, sentAt: at, relaySentAt: Number(message.timestamp), consumedAt: now });
      }
    },
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const count = Math.min(lines.length, LATENCY_SECONDS * LATENCY_RATE_PER_S);
  const startMs = Date.now();
  let sent = 0;
  while (sent < count) {
    const due = Math.min(count, Math.floor(((Date.now() - startMs) / 1000) * LATENCY_RATE_PER_S) + 1);
    if (due > sent) {
      const chunk = lines.slice(sent, due).map((line) => routeEvent(line));
      const now = Date.now();
      for (const line of lines.slice(sent, due)) {
        const doc = JSON.parse(line) as { publisher?: string; eventId?: string };
        sentAt.set(`${doc.publisher}/${doc.eventId}`, now);
      }
      const byTopic = new Map<string, typeof chunk>();
      for (const r of chunk) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r]);
      await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, rs]) => ({ topic, messages: rs.map((r) => r.message) })) });
      sent = due;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  await producer.disconnect();
  // Let the last alerts arrive.
  await new Promise((r) => setTimeout(r, 3_000));
  await consumer.disconnect();
  latencies.sort((a, b) => a - b);
  // created_at is now() of the ledger's batch transaction: when the batch began, on this machine's clock.
  const rows = (await db.ds.query(`SELECT alert_id, (extract(epoch FROM created_at) * 1000)::float8 AS ms FROM alerts WHERE alert_id = ANY($1::text[])`, [
    seen.map((x) => x.alertId),
  ])) as Array<{ alert_id: string; ms: number }>;
  const batchStart = new Map(rows.map((r) => [r.alert_id, r.ms]));
  // BENCH_LATENCY_CSV=FILE writes every sample (ms since the phase began, and each stage) for a closer look.
  const csv = process.env['BENCH_LATENCY_CSV'];
  if (csv !== undefined) {
    const t0 = seen.reduce((m, x) => Math.min(m, x.sentAt), Infinity);
    const rowsCsv = seen.map((x) => {
      const b = batchStart.get(x.alertId) ?? NaN;
      return [x.sentAt - t0, x.consumedAt - x.sentAt, Math.round(b - x.sentAt), Math.round(x.relaySentAt - b), x.consumedAt - x.relaySentAt].join(',');
    });
    fs.writeFileSync(csv, `sentMs,totalMs,publishToBatchStartMs,batchStartToRelaySendMs,relaySendToConsumedMs\n${rowsCsv.join('\n')}\n`);
  }
  const stage = (f: (x: (typeof seen)[number], b: number) => number) => {
    const v = seen.filter((x) => batchStart.has(x.alertId)).map((x) => f(x, batchStart.get(x.alertId)!)).sort((a, b) => a - b);
    return { p50Ms: Math.round(percentile(v, 50)), p99Ms: Math.round(percentile(v, 99)) };
  };
  return {
    samples: latencies.length,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies[latencies.length - 1] ?? NaN,
    stages: {
      publishToBatchStart: stage((x, b) => b - x.sentAt),
      batchStartToRelaySend: stage((x, b) => x.relaySentAt - b),
      relaySendToConsumed: stage((x) => x.consumedAt - x.relaySentAt),
    },
  };
}

async function rawConsume(kafka: Kafka, admin: Admin, from: Map<string, { partition: number; offset: string }[]>, to: Map<string, { partition: number; offset: string }[]>): Promise<number> {
  const group = uniqueName('bench_raw');
  let expected = 0;
  for (const topic of INPUT_TOPICS) {
    await admin.setOffsets({ groupId: group, topic, partitions: from.get(topic)! });
    for (const end of to.get(topic)!) {
      const start = from.get(topic)!.find((o) => o.partition === end.partition)!;
      expected += Number(BigInt(end.offset) - BigInt(start.offset));
    }
  }
  let consumed = 0;
  let firstMs = 0;
  let lastMs = 0;
  const consumer = kafka.consumer({ groupId: group, maxBytesPerPartition: 4 * 1024 * 1024, maxBytes: 32 * 1024 * 1024, maxWaitTimeInMs: 100 });
  // Timed from joining the group (the first fetch follows at once) to the last batch: a small feed arrives in a
  // handful of fetches, so timing from the first batch would measure almost nothing.
  consumer.on(consumer.events.GROUP_JOIN, () => {
    if (firstMs === 0) firstMs = Date.now();
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [...INPUT_TOPICS], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      consumed += batch.messages.length;
      lastMs = Date.now();
    },
  });
  await waitFor(() => consumed >= expected, { timeoutMs: 300_000, intervalMs: 50, what: 'the raw consumer to read every record' });
  await consumer.disconnect();
  return consumed / Math.max(0.001, (lastMs - firstMs) / 1000);
}

async function copyIngest(url: string, rows: number): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    // Shaped like ledger_entries, without its trigger and hash work: the floor of what Postgres can ingest.
    await client.query(`CREATE UNLOGGED TABLE IF NOT EXISTS bench_copy (LIKE ledger_entries INCLUDING DEFAULTS)`);
    await client.query(`TRUNCATE bench_copy`);
    const hash = 'a'.repeat(64);
    function* lines(): Generator<string> {
      for (let i = 1; i <= rows; i++) {
        yield `${i}\tcountry:AE\t15832\t${i * 15832}\t790000000\tnvidia\tnv-${i}\tchip.shipment\t2026-03-14T09:30:00.000Z\tchips.shipments.v1\t0\t${i}\tai-diffusion-2025\t1\t\\\\x${hash}\t\\\\x${hash}\t2026-03-14T09:30:00.000Z\n`;
      }
    }
    const startMs = Date.now();
    const stream = client.query(copyFrom(`COPY bench_copy FROM STDIN`));
    await pipeline(Readable.from(lines()), stream);
    const seconds = (Date.now() - startMs) / 1000;
    await client.query(`DROP TABLE bench_copy`);
    return rows / seconds;
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  await benchPrerequisites({ kafka: true });
  const kafka = testKafka('ledger-bench');
  const admin = kafka.admin();
  await admin.connect();
  const db = await createLedgerDatabase('ledger_bench');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-bench-'));
  const ledgers: ServiceProcess[] = [];
  let relay: ServiceProcess | null = null;
  try {
    const groupId = uniqueName('ledger_bench');
    const run = groupId.slice(-12);
    log(`generating ${EVENTS} events`);
    const feed = (await generateFeed(EVENTS + LATENCY_SECONDS * LATENCY_RATE_PER_S, 7)).map((l) => l.replace(/"eventId":"([^"]*)"/, `"eventId":"$1-${run}"`));
    const throughputLines = feed.slice(0, EVENTS);
    const latencyLines = feed.slice(EVENTS).filter((l) => parsesAsEvent(l) && !l.includes('"type":"policy.'));
    const file = path.join(tmp, 'feed.ndjson');
    fs.writeFileSync(file, `${throughputLines.join('\n')}\n`);

    await startAtEndOfTopics(admin, db.ds, groupId);
    const before = await endOffsets(admin);
    const env = { DATABASE_URL: db.urlAs('ledger_writer'), LEDGER_GROUP_ID: groupId, LOG_LEVEL: 'error', LEDGER_BATCH_SIZE_MAX: String(BATCH_SIZE_MAX) };
    const ledgerPort = randomPort();
    for (let k = 0; k < LEDGERS; k++) ledgers.push(startService('ledger', { ...env, LEDGER_HTTP_PORT: String(k === 0 ? ledgerPort : randomPort()) }));
    // Each service as its own role, as in production: the relay may only mark alerts published.
    relay = startService('relay', { ...env, DATABASE_URL: db.urlAs('ledger_relay'), RELAY_HTTP_PORT: String(randomPort()) });
    await waitFor(() => fetch(`http://127.0.0.1:${ledgerPort}/health/ready`).then((r) => r.ok), { timeoutMs: 60_000, intervalMs: 200, what: 'the ledger to start' });

    // Earlier runs leave dirty pages and WAL behind; a checkpoint now keeps their flushing out of this measurement.
    await db.admin.query('CHECKPOINT').catch((err: Error) => log(`CHECKPOINT not allowed (${err.message}); measuring anyway`));
    log('1/5 end-to-end throughput');
    const e2e = await throughput(db, admin, groupId, file);
    // The feed's events the run recorded, to compare with the signed run's (before the latency run adds its own).
    const [{ recordedUnsigned }] = (await db.ds.query(`SELECT count(*)::int AS "recordedUnsigned" FROM inbox`)) as Array<{ recordedUnsigned: number }>;
    const batches = await batchFigures(ledgerPort);
    const after = await endOffsets(admin);
    await waitFor(async () => (await db.ds.query(`SELECT count(*)::int AS n FROM alerts WHERE published_at IS NULL`))[0].n === 0, {
      timeoutMs: 300_000,
      intervalMs: 200,
      what: 'the relay to drain the outbox',
    });

    // The throughput run leaves hundreds of MB of dirty pages (Postgres's tables and WAL, Kafka's logs) that the
    // kernel writes back over the next half minute; while it does, a COMMIT's WAL flush can wait 200-300 ms behind
    // it (measured on this machine). A steady 1,000 events/s has no such backlog, so it is flushed first.
    await db.admin.query('CHECKPOINT').catch((err: Error) => log(`CHECKPOINT not allowed (${err.message}); measuring anyway`));
    if (process.env['BENCH_NO_SYNC'] === undefined) await execFileAsync('sync', []).catch((err: Error) => log(`sync failed (${err.message}); measuring anyway`));
    log(`2/5 event-to-alert latency at ${LATENCY_RATE_PER_S} events/s for ${LATENCY_SECONDS} s`);
    const latencyCpu = ProcessCpu.start();
    const lat = await latency(kafka, admin, db, latencyLines);
    const latencyCpuUse = latencyCpu?.stop() ?? null;

    log('3/5 raw kafkajs consume rate');
    const raw = await rawConsume(kafka, admin, before, after);

    log('4/5 Postgres COPY ingest rate');
    const copy = await copyIngest(db.url, EVENTS);
    for (const ledger of ledgers.splice(0)) await ledger.stop();
    await relay?.stop();
    relay = null;

    log('5/5 end-to-end throughput with every event signed and signatures required');
    const signed = await signedThroughput(admin, throughputLines, tmp, BATCH_SIZE_MAX, throughput);

    const [{ entries }] = (await db.ds.query(`SELECT count(*)::int AS entries FROM ledger_entries`)) as Array<{ entries: number }>;
    const report = {
      ...benchReport({ entries, e2e, batches, lat, latencyCpuUse, raw, copy }),
      signatures: signaturesReport(e2e, signed, recordedUnsigned, (cpu) => cpuPerEvent(cpu, EVENTS, os.cpus().length, 20_000)),
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    for (const ledger of ledgers) await ledger.stop();
    await relay?.stop();
    await admin.disconnect();
    await db.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

interface BenchFigures {
  entries: number;
  e2e: Awaited<ReturnType<typeof throughput>>;
  batches: Awaited<ReturnType<typeof batchFigures>>;
  lat: Awaited<ReturnType<typeof latency>>;
  latencyCpuUse: CpuUse | null;
  raw: number;
  copy: number;
}

// The figures of one run, as the JSON document the bench prints.
function benchReport({ entries, e2e, batches, lat, latencyCpuUse, raw, copy }: BenchFigures): Record<string, unknown> {
  return {
    machine: { cpus: os.cpus().length, memoryGiB: round(os.totalmem() / 2 ** 30) },
    ledgerBatchSizeMax: BATCH_SIZE_MAX,
    endToEnd: {
      events: EVENTS,
      entries,
      ledgerInstances: LEDGERS,
      seconds: round(e2e.seconds, 2),
      eventsPerS: Math.round(e2e.eventsPerS),
      targetEventsPerS: 20_000,
      // How long the publisher took to hand the feed to Kafka, and its start-up before the first send (not timed).
      publishSeconds: round(e2e.publishSeconds, 2),
      publisherStartupS: round(e2e.publisherStartupS, 2),
      // CPU per process from the publisher's start to the ledger catching up, in busy cores (see bench/process-cpu.ts).
      cpu: e2e.cpu,
      // The same CPU per event, in microseconds, against what the machine has per event at the target rate (its
      // cores x 1,000,000 us / 20,000 events/s): a total at or above that budget cannot reach the target however the
      // work overlaps. The publisher's figure includes its start-up (reading and routing the file), before the timing.
      cpuPerEventUs: e2e.cpu === null ? null : cpuPerEvent(e2e.cpu, EVENTS, os.cpus().length, 20_000),
      // The first ledger's transactions in this run: how many, their mean size, and how many were judged while the
      // one before was still being stored.
      batches: batches === null ? null : { count: batches.count, meanSize: batches.meanSize, pipelined: batches.pipelined },
      // The Merkle tree's share, from the ledger's ledger_merkle_seconds_total (one ledger instance): hashing entries
      // into the tree is ledger CPU; storing its nodes and checkpoints is statement time, mostly Postgres's CPU. The
      // run is CPU-bound on the machine's cores, so their sum over all processes' CPU is what the tree costs end to end.
      merkleTree: LEDGERS === 1 ? merkleShare(batches, e2e.cpu, EVENTS) : null,
    },
    eventToAlertLatency: { ratePerS: LATENCY_RATE_PER_S, seconds: LATENCY_SECONDS, samples: lat.samples, p50Ms: lat.p50Ms, p99Ms: lat.p99Ms, maxMs: lat.maxMs, targetP99Ms: 250, stages: lat.stages, cpu: latencyCpuUse },
    rawKafkaConsume: { eventsPerS: Math.round(raw) },
    postgresCopyIngest: { rows: EVENTS, rowsPerS: Math.round(copy) },
    ratios: {
      endToEndVsRawConsume: round(e2e.eventsPerS / raw, 3),
      endToEndVsCopyIngest: round(e2e.eventsPerS / copy, 3),
    },
  };
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
