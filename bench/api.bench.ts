// Benchmark of the read API: request throughput and latency percentiles of the account list and the balance on both
// clocks (event time `at`, recorded time `asRecordedAt`, and both together) with (by default) 1,000,000 ledger
// entries in the database and 100 requests in flight. A program, not a test:
//
//   npm run bench:api -- [--entries 1000000] [--late-percent 10] [--concurrency 100] [--requests 20000]
//                        [--database bench_api] [--drop]
//
// The ledger is filled through the real writer (LedgerWriter.processBatch: decode, judge, hash-chain, write) in
// large batches of generated shipments; --late-percent of them are reported late: dated up to 30 days before the
// events recorded around them, so the event-day buckets are corrected as they would be by real late reports.
// A database that already holds the requested number of entries is reused
// (filling a million entries takes minutes); --drop removes it at the end. The API runs as it is deployed (its
// built main.js in a child process, so the load generator does not share its event loop), and the bench's key is
// made with its create-api-key command. Target: p99 < 50 ms.
import { execFile } from 'node:child_process';
import * as http from 'node:http';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { ASSIGNED_COUNTRY_CODES, stringifyJson } from '@app/contracts';
import { loadDatabaseSettings, pgPoolConfig } from '@app/config';
import { createDataSource, LedgerWriter, type SourceRecord } from '@app/persistence';
import { loadPolicyPack, tierOf } from '@app/policy';
import { randomPort, ROOT, startService, waitFor, type ServiceProcess } from '@app/testing';
// Seeded, so that two runs fill the same ledger.
import { prng } from '@app/testing/feed-generator';
import { Client } from 'pg';
import { benchCheckpointSigning, inclusionProofPath, printTreeFigures, treeFigures } from './api-proofs';
import { benchArgs } from './bench-args';
import { benchPrerequisites } from './prerequisites';

const BENCH_KEY = 'bench-regulator-key';
const BATCH_EVENTS = 5_000;
const START_MS = Date.parse('2025-02-01T00:00:00Z');
const SPAN_MS = Date.parse('2027-12-01T00:00:00Z') - START_MS;
const P99_TARGET_MS = 50;

// The database `name` on the server of DATABASE_URL, as `role` (the ledger's least-privilege roles, as deployed),
// or as the server's superuser when DATABASE_URL names one of those roles (they may not create databases).
function databaseUrl(name: string, role?: 'ledger_owner' | 'ledger_writer' | 'ledger_reader'): string {
  const url = new URL(loadDatabaseSettings().url);
  url.pathname = `/${name}`;
  if (role !== undefined) url.username = role;
  else if (url.username.startsWith('ledger_')) url.username = 'postgres';
  if (role !== undefined || url.username === 'postgres') url.password = '';
  return url.toString();
}

async function onServer(sql: string): Promise<void> {
  const { max: _max, ...config } = pgPoolConfig({ database: { ...loadDatabaseSettings(), url: databaseUrl('postgres') } });
  const client = new Client(config);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function shipments(
  random: () => number,
  countries: readonly string[],
  n: number,
  keyOf: (i: number) => { eventId: string; occurredAt: string },
): SourceRecord[] {
  const records: SourceRecord[] = [];
  for (let i = 0; i < n; i++) {
    const lpp = random() < 0.2;
    const event = {
      type: 'chip.shipment',
      version: 1,
      ...keyOf(i),
      publisher: random() < 0.6 ? 'nvidia' : 'amd',
      consignee: { id: `consignee-${Math.floor(random() * 2000)}`, country: countries[Math.floor(random() * countries.length)]! },
      authorization: lpp ? { kind: 'LPP' } : { kind: 'LICENSE', ref: `L${i}` },
      items: [{ chip: 'H100-SXM', quantity: 1 + Math.floor(random() * 40) }],
    };
    records.push({ topic: null, partition: null, offset: null, key: null, value: Buffer.from(stringifyJson(event)) });
  }
  return records;
}

// Records `eventsPerSecond` new shipments while `work` runs, so the API is measured while the ledger moves (its
// listing cache is dropped at every batch, and the writer competes for the same CPUs and database).
async function whileRecording<T>(url: string, countries: readonly string[], eventsPerSecond: number, work: () => Promise<T>): Promise<{ result: T; recorded: number }> {
  const ds = createDataSource(url, { poolSizeMax: 1, applicationName: 'bench-live-writer' });
  await ds.initialize();
  const writer = new LedgerWriter(ds, loadPolicyPack(), { groupId: 'bench-live' });
  const random = prng(Date.now());
  const batchIntervalMs = 200;
  const perBatch = Math.max(1, Math.round((eventsPerSecond * batchIntervalMs) / 1000));
  let stop = false;
  let recorded = 0;
  const run = `${Date.now().toString(36)}`;
  const loop = (async () => {
    while (!stop) {
      const startedMs = Date.now();
      const result = await writer.processBatch(
        shipments(random, countries, perBatch, (i) => ({ eventId: `live-${run}-${recorded + i}`, occurredAt: new Date(START_MS + SPAN_MS).toISOString() })),
      );
      recorded += result.recorded;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, batchIntervalMs - (Date.now() - startedMs))));
    }
  })();
  try {
    return { result: await work(), recorded };
  } finally {
    stop = true;
    await loop;
    await ds.destroy();
  }
}

const LATE_MS_MAX = 30 * 86_400_000;

async function fill(name: string, entriesWanted: number, latePercent: number): Promise<string[]> {
  const pack = loadPolicyPack();
  const tier2 = [...ASSIGNED_COUNTRY_CODES].filter((cc) => tierOf(pack, cc, START_MS) === 2).sort();
  const url = databaseUrl(name, 'ledger_owner');
  const exists = await (async () => {
    try {
      await onServer(`create database ${name} owner ledger_owner`);
      return false;
    } catch {
      return true;
    }
  })();
  const ds = createDataSource(url, { poolSizeMax: 2, applicationName: 'bench-fill' });
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    await promisify(execFile)(process.execPath, [path.join(ROOT, 'dist/apps/api/src/create-api-key.js'), '--role', 'regulator', '--label', 'bench', '--key', BENCH_KEY], {
      env: { ...process.env, DATABASE_URL: url },
    });
    const [head] = (await ds.query('SELECT seq FROM ledger_head WHERE id = 1')) as Array<{ seq: string }>;
    let entries = Number(head!.seq);
    if (exists && entries >= entriesWanted) {
      process.stdout.write(`reusing database ${name}: ${entries.toLocaleString('en-US')} entries\n`);
      return tier2;
    }
    const writer = new LedgerWriter(ds, pack, { groupId: 'bench', checkpoints: benchCheckpointSigning(entriesWanted) });
    const random = prng(42);
    const startedMs = Date.now();
    let eventNo = entries;
    let late = 0;
    process.stdout.write(`filling ${name} through LedgerWriter.processBatch (${BATCH_EVENTS} events per batch)\n`);
    while (entries < entriesWanted) {
      const n = Math.min(BATCH_EVENTS, entriesWanted - entries);
      // Event time grows with the event number, so as-of queries over the span hit every part of history.
      const records = shipments(random, tier2, n, (i) => {
        let atMs = START_MS + Math.floor((SPAN_MS * (eventNo + i)) / entriesWanted);
        if (random() * 100 < latePercent) {
          atMs = Math.max(START_MS, atMs - Math.floor(random() * LATE_MS_MAX));
          late++;
        }
        return { eventId: `bench-${eventNo + i}`, occurredAt: new Date(atMs).toISOString() };
      });
      eventNo += n;
      const result = await writer.processBatch(records);
      if (result.rejected > 0) throw new Error(`generated events were rejected: ${JSON.stringify(result.results.find((r) => r.status === 'rejected'))}`);
      entries = Number(result.headSeq);
      if (entries % 100_000 < BATCH_EVENTS || entries >= entriesWanted) {
        const rate = Math.round((entries - Number(head!.seq)) / ((Date.now() - startedMs) / 1000));
        process.stdout.write(`  ${entries.toLocaleString('en-US')} entries (${rate.toLocaleString('en-US')} entries/s, ${late.toLocaleString('en-US')} events late)\n`);
      }
    }
    await ds.query('ANALYZE');
    return tier2;
  } finally {
    await ds.destroy();
  }
}

// ---- the API in a child process --------------------------------------------------------------------------------
async function startApi(url: string): Promise<{ api: ServiceProcess; port: number }> {
  const port = randomPort();
  const api = startService('api', {
    API_PORT: String(port),
    DATABASE_URL: url,
    DATABASE_POOL_SIZE_MAX: '20',
    POLICY_PACK: loadPolicyPack().id,
    API_ALERT_POLL_INTERVAL_MS: '500',
    API_STATEMENT_TIMEOUT_MS: '5000',
    // The bench records unsigned generated events; the API reads them, and pre-clearance is not measured.
    SIGNATURES: 'optional',
    LOG_LEVEL: 'error',
  });
  const ready = () => fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.ok);
  await Promise.race([
    waitFor(ready, { timeoutMs: 60_000, intervalMs: 200, what: 'the API to start' }),
    api.exited.then((code) => Promise.reject(new Error(`the API exited with ${code}: ${api.log.slice(-5).join('\n')}`))),
  ]);
  return { api, port };
}

// ---- load ----------------------------------------------------------------------------------------------------------
interface Result {
  name: string;
  requests: number;
  seconds: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function load(name: string, port: number, concurrency: number, requests: number, pathOf: (i: number) => string): Promise<Result> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const get = (path: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path, agent, headers: { 'x-api-key': BENCH_KEY } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
    });
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const startedNs = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= requests) return;
        const t0 = process.hrtime.bigint();
        const status = await get(pathOf(i)).catch(() => 0);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (status !== 200) errors++;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - startedNs) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    name,
    requests,
    seconds,
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1]!,
    errors,
  };
}

// The span of the ledger's recorded clock, and how many entries were recorded after an entry of the same account
// with a later event time (a late report, as the event-day buckets see it).
async function recordedSpan(database: ReturnType<typeof loadDatabaseSettings>): Promise<{ fromMs: number; toMs: number; late: number }> {
  const { max: _m, ...config } = pgPoolConfig({ database });
  const c = new Client(config);
  await c.connect();
  try {
    const [span] = (await c.query<{ first: Date; last: Date }>('SELECT min(recorded_at) AS first, max(recorded_at) AS last FROM recorded_batches')).rows;
    const [late] = (
      await c.query<{ n: string }>(
        `SELECT count(*) AS n FROM (SELECT occurred_at < max(occurred_at) OVER (PARTITION BY account_id ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS late
                                       FROM ledger_entries) x WHERE late`,
      )
    ).rows;
    return { fromMs: span!.first.getTime(), toMs: span!.last.getTime(), late: Number(late!.n) };
  } finally {
    await c.end();
  }
}

// The request paths of each scenario, drawn from one seeded stream.
function scenarioPaths(countries: readonly string[], recorded: { fromMs: number; toMs: number }) {
  const random = prng(7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const listPaths = [
    '/accounts?kind=country&sort=utilization&order=desc&limit=50',
    '/accounts?sort=usedTpp&limit=100',
    '/accounts?tier=2&utilizationAbove=0.5&limit=50',
    '/accounts?kind=lpp&sort=lastOccurredAt&limit=50',
    '/accounts?limit=200',
  ];
  const eventAt = () => new Date(START_MS + Math.floor(random() * SPAN_MS)).toISOString();
  // A moment of the ledger's own clock while it was being filled.
  const recordedAt = () => new Date(recorded.fromMs + Math.floor(random() * (recorded.toMs - recorded.fromMs + 1))).toISOString();
  return {
    list: (i: number) => listPaths[i % listPaths.length]!,
    event: () => `/accounts/country:${pick(countries)}/balance?at=${eventAt()}`,
    recorded: () => `/accounts/country:${pick(countries)}/balance?asRecordedAt=${recordedAt()}`,
    both: () => `/accounts/country:${pick(countries)}/balance?at=${eventAt()}&asRecordedAt=${recordedAt()}`,
  };
}

// The ledger's entry count (its head seq), read on a connection of its own.
async function ledgerHeadSeq(database: ReturnType<typeof loadDatabaseSettings>): Promise<string> {
  const { max: _m, ...config } = pgPoolConfig({ database });
  const c = new Client(config);
  await c.connect();
  try {
    const [{ count }] = (await c.query<{ count: string }>('SELECT seq AS count FROM ledger_head')).rows as [{ count: string }];
    return count;
  } finally {
    await c.end();
  }
}

function printResults(results: ReadonlyArray<Awaited<ReturnType<typeof load>>>): void {
  process.stdout.write('scenario           requests   req/s    p50 ms   p90 ms   p99 ms   max ms  errors  p99 < 50 ms\n');
  for (const r of results) {
    process.stdout.write(
      `${r.name.padEnd(18)} ${String(r.requests).padStart(8)} ${Math.round(r.requests / r.seconds).toString().padStart(7)} ` +
        `${r.p50.toFixed(1).padStart(8)} ${r.p90.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${r.max.toFixed(1).padStart(8)} ` +
        `${String(r.errors).padStart(7)}  ${r.p99 < P99_TARGET_MS ? 'yes' : 'NO'}\n`,
    );
  }
}

async function main(): Promise<void> {
  const { integers, booleans, strings } = benchArgs({
    usage: 'usage: npm run -s bench:api -- [--entries N] [--late-percent 0..100] [--concurrency N] [--requests N] [--database NAME] [--drop]',
    integers: {
      entries: { default: 1_000_000, min: 1, max: 100_000_000 },
      'late-percent': { default: 10, min: 0, max: 100 },
      concurrency: { default: 100, min: 1, max: 10_000 },
      requests: { default: 20_000, min: 1, max: 10_000_000 },
    },
    booleans: ['drop'],
    strings: { database: 'bench_api' },
  });
  const { entries, concurrency, requests } = integers as { entries: number; concurrency: number; requests: number };
  const name = strings['database']!;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    process.stderr.write(`--database must be a database name ([a-z_][a-z0-9_]*), not "${name}"\n`);
    process.exit(2);
  }

  await benchPrerequisites({ kafka: false });
  const countries = await fill(name, entries, integers['late-percent']!);
  const db = loadDatabaseSettings();
  const recorded = await recordedSpan({ ...db, url: databaseUrl(name) });
  const tree = await treeFigures(databaseUrl(name));
  const { api, port } = await startApi(databaseUrl(name, 'ledger_reader'));
  try {
    const paths = scenarioPaths(countries, recorded);
    // Warm-up: connections, query plans, the key cache.
    await load('warm-up', port, concurrency, 1_000, (i) => [paths.list(i), paths.event(), paths.recorded(), paths.both()][i % 4]!);

    const results = [
      await load('account list', port, concurrency, requests, paths.list),
      await load('balance at (event)', port, concurrency, requests, paths.event),
      await load('asRecordedAt', port, concurrency, requests, paths.recorded),
      await load('at + asRecorded', port, concurrency, requests, paths.both),
      await load('inclusion proof', port, concurrency, requests, inclusionProofPath(tree.covered, prng(11))),
    ];
    const live = await whileRecording(databaseUrl(name, 'ledger_writer'), countries, 1_000, () =>
      load('list, writing', port, concurrency, requests, paths.list),
    );
    results.push(live.result);
    const count = await ledgerHeadSeq({ ...db, url: databaseUrl(name) });
    process.stdout.write(`\nread API, ${Number(count).toLocaleString('en-US')} ledger entries, ${concurrency} requests in flight\n`);
    process.stdout.write(`("list, writing": the account list while the ledger records about 1,000 events/s; ${live.recorded} recorded)\n`);
    process.stdout.write(`(${recorded.late.toLocaleString('en-US')} of the account entries are dated before an entry recorded ahead of them)\n`);
    printResults(results);
    printTreeFigures(tree);
  } finally {
    await api.stop();
    if (booleans['drop']) await onServer(`drop database if exists ${name} with (force)`);
  }
}

main().catch((error: Error) => {
  process.stderr.write(`api.bench: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
