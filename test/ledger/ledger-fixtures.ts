// Helpers shared by the ledger specs: a migrated database of their own, the CLI as a child process, and the
// offline replay of the events in the order the ledger recorded them (the reference every spec compares with).
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { Admin } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { INPUT_TOPICS, stringifyJson } from '@app/contracts';
import { createDataSource, verifyLedger, type SourceRecord } from '@app/persistence';
import { accountView, loadPolicyPack, Replayer, type PolicyPack } from '@app/policy';
import { createTestDatabase, type TestDatabase } from '../support';
import { LEDGER_NODE_FLAGS } from '../../apps/ledger/src/node-flags';

const run = promisify(execFile);
export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const CLI = path.join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');

export interface LedgerDatabase extends TestDatabase {
  ds: DataSource;
  close(): Promise<void>;
}

export async function createLedgerDatabase(prefix: string): Promise<LedgerDatabase> {
  const db = await createTestDatabase(prefix);
  const ds = createDataSource(db.url, { poolSizeMax: 4, applicationName: 'ledger-test' });
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  return {
    ...db,
    ds,
    close: async () => {
      await ds.destroy().catch(() => undefined);
      await db.drop();
    },
  };
}

export async function cli(args: string[], env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...env },
      maxBuffer: 512 * 1024 * 1024,
    });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}

// The lines as records for LedgerWriter.processBatch: from partition 0 of `topic` at consecutive offsets from
// `firstOffset`, or, with no topic, from outside Kafka (no offsets stored).
export function sourceRecords(lines: readonly string[], topic: string | null = null, firstOffset = 0): SourceRecord[] {
  return lines.map((line, i) => ({
    topic,
    partition: topic === null ? null : 0,
    offset: topic === null ? null : String(firstOffset + i),
    key: null,
    value: Buffer.from(line),
  }));
}

export async function generateFeed(events: number, seed: number): Promise<string[]> {
  const { stdout, code, stderr } = await cli(['generate', '--events', String(events), '--seed', String(seed)]);
  if (code !== 0) throw new Error(`generate failed (${code}): ${stderr}`);
  return stdout.split('\n').filter((l) => l.trim() !== '');
}

// ---- this run's events ----------------------------------------------------------------------------------------

// Every spec's ledger consumes the shared input topics, so it also records what other specs publish meanwhile (the
// test runner runs two spec files at once). A spec tells its own events apart by a suffix on their event ids that no
// other run uses; the same suffix on data-center ids keeps its installed bases apart, so that a REMOVE is judged
// against its own INSTALLs only and no other spec can turn it into NEGATIVE_INSTALLED_BASE (or save it from that).
// Licence ids and the LICENSE refs that name them get it too: a licence id names one licence forever, so another
// run's issue of the same id would be refused, and its shipments judged against another run's licence.
export function tagFeed(lines: readonly string[], run: string): string[] {
  return lines.map((line) =>
    line
      .replace(/"eventId":"([^"]*)"/, `"eventId":"$1-${run}"`)
      .replace(/"dataCenter":\{"id":"([^"]*)"/, `"dataCenter":{"id":"$1-${run}"`)
      .replace(/"license":\{"id":"([^"]*)"/, `"license":{"id":"$1-${run}"`)
      .replace(/"authorization":\{"kind":"LICENSE","ref":"([^"]*)"/, `"authorization":{"kind":"LICENSE","ref":"$1-${run}"`),
  );
}

// How many of the events tagged `run` the ledger recorded.
export async function countRecorded(ds: DataSource, run: string): Promise<number> {
  const [row] = (await ds.query(`SELECT count(*)::int AS n FROM inbox WHERE right(event_id, char_length($1)) = $1`, [`-${run}`])) as Array<{ n: number }>;
  return row!.n;
}

// The ids of the alerts caused by events tagged `run`; `unpublished` keeps those the relay has not published yet.
export async function alertIdsCausedBy(ds: DataSource, run: string, { unpublished = false } = {}): Promise<string[]> {
  const rows = (await ds.query(
    `SELECT alert_id FROM alerts WHERE right(payload->'causedBy'->>'eventId', char_length($1)) = $1 ${unpublished ? 'AND published_at IS NULL' : ''}`,
    [`-${run}`],
  )) as Array<{ alert_id: string }>;
  return rows.map((r) => r.alert_id);
}

// ---- the ledger against the offline replay --------------------------------------------------------------------

// Anything that runs SQL: a DataSource, or the EntityManager of a transaction.
type Queryable = Pick<DataSource, 'query'>;

export interface LedgerSnapshot {
  accounts: Array<{ id: string; usedTpp: string; capTpp: string | null; disarmedMask: number }>;
  alerts: unknown[];
}

// What the ledger holds: accounts and alerts, in comparable form.
export async function ledgerSnapshot(ds: Queryable): Promise<LedgerSnapshot> {
  const accounts = (await ds.query(`SELECT id, used_tpp, cap_tpp, disarmed_mask FROM accounts ORDER BY id COLLATE "C"`)) as Array<{
    id: string;
    used_tpp: string;
    cap_tpp: string | null;
    disarmed_mask: number;
  }>;
  const alerts = (await ds.query(`SELECT payload::text AS payload FROM alerts ORDER BY seq`)) as Array<{ payload: string }>;
  return {
    accounts: accounts.map((a) => ({ id: a.id, usedTpp: a.used_tpp, capTpp: a.cap_tpp, disarmedMask: a.disarmed_mask })),
    alerts: alerts.map((a) => JSON.parse(a.payload) as unknown),
  };
}

// The offline replay of the events the ledger recorded, in the order it recorded them. Caps are compared at each
// account's latest event, which is what the ledger stores.
export async function replaySnapshot(ds: Queryable, pack: PolicyPack = loadPolicyPack()): Promise<LedgerSnapshot> {
  const events = (await ds.query(`SELECT payload::text AS payload FROM inbox ORDER BY recorded_seq`)) as Array<{ payload: string }>;
  const replayer = new Replayer(pack);
  events.forEach((e, i) => replayer.push(e.payload, i + 1));
  const lastAt = (await ds.query(`SELECT id, last_occurred_at FROM accounts`)) as Array<{ id: string; last_occurred_at: Date | null }>;
  const atById = new Map(lastAt.map((r) => [r.id, r.last_occurred_at?.getTime() ?? 0]));
  const ids = replayer.state.accountIds().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    accounts: ids.map((id) => {
      const s = replayer.state.account(id)!;
      const view = accountView(pack, replayer.state, id, atById.get(id) ?? 0);
      return { id, usedTpp: s.usedTpp.toString(), capTpp: view.capTpp === null ? null : view.capTpp.toString(), disarmedMask: s.disarmedMask };
    }),
    alerts: replayer.result().alerts.map((a) => JSON.parse(stringifyJson(a)) as unknown),
  };
}

// The ledger's accounts and alerts are the offline replay's of what it recorded, and `verify` finds the hash chain
// and the balances consistent. For a database only the spec writes to (see ledgerAndReplaySnapshots otherwise).
export async function assertLedgerAgreesWithReplay(ds: DataSource): Promise<void> {
  const ledger = await ledgerSnapshot(ds);
  const replay = await replaySnapshot(ds);
  assert.deepEqual(ledger.accounts, replay.accounts);
  assert.deepEqual(ledger.alerts, replay.alerts);
  const report = await verifyLedger(ds);
  assert.deepEqual(report.problems, []);
  assert.equal(report.ok, true);
}

// Both snapshots read in one REPEATABLE READ transaction, so they describe the same moment even while the ledger goes
// on recording other specs' events.
export async function ledgerAndReplaySnapshots(ds: DataSource, pack: PolicyPack = loadPolicyPack()): Promise<{ ledger: LedgerSnapshot; replay: LedgerSnapshot }> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction('REPEATABLE READ');
    const ledger = await ledgerSnapshot(runner.manager);
    const replay = await replaySnapshot(runner.manager, pack);
    await runner.commitTransaction();
    return { ledger, replay };
  } finally {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    await runner.release();
  }
}

export async function countRows(ds: DataSource, table: string): Promise<number> {
  const [row] = (await ds.query(`SELECT count(*)::int AS n FROM ${table}`)) as Array<{ n: number }>;
  return row!.n;
}

// ---- services as child processes ------------------------------------------------------------------------------

export interface ServiceProcess {
  child: ChildProcess;
  log: string[];
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
  kill(): Promise<number | null>;
}

// LEDGER_NODE_ARGS / RELAY_NODE_ARGS add Node.js flags for one run (a CPU profile of the ledger in the benchmark,
// say: LEDGER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof').
function extraNodeArgs(app: 'ledger' | 'relay'): string[] {
  return (process.env[`${app.toUpperCase()}_NODE_ARGS`] ?? '').split(' ').filter((a) => a !== '');
}

export function startService(app: 'ledger' | 'relay', env: Record<string, string>): ServiceProcess {
  // Made before the service starts: a missing directory must not leave a started service behind.
  const logDir = process.env['SERVICE_LOG_DIR'];
  if (logDir !== undefined) fs.mkdirSync(logDir, { recursive: true });
  const entry = path.join(ROOT, 'dist', 'apps', app, 'src', 'main.js');
  const child = spawn(process.execPath, [...(app === 'ledger' ? LEDGER_NODE_FLAGS : []), ...extraNodeArgs(app), entry], { env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  // SERVICE_LOG_DIR=DIR also writes each service's output to DIR/<app>-<pid>.log (with LEDGER_NODE_ARGS='--trace-gc',
  // say), for a look at a benchmark or a failed spec afterwards.
  const file = logDir !== undefined ? fs.createWriteStream(path.join(logDir, `${app}-${child.pid}.log`)) : null;
  // 'close', not 'exit': output can still arrive after the process exited, and a write after end() would throw.
  if (file !== null) child.once('close', () => file.end());
  const keep = (chunk: Buffer) => {
    file?.write(chunk);
    for (const line of chunk.toString('utf8').split('\n')) if (line !== '') log.push(line);
    if (log.length > 5000) log.splice(0, log.length - 5000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    log,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    },
  };
}

// A service's figures from its /metrics, by metric name (unlabelled series only); a metric not shown yet is absent.
export async function serviceMetrics(port: number): Promise<Map<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const out = new Map<string, number>();
  for (const m of text.matchAll(/^([a-zA-Z_:][a-zA-Z0-9_:]*) (\S+)$/gm)) out.set(m[1]!, Number(m[2]));
  return out;
}

// An HTTP port for a service under test, below the range the OS takes ephemeral ports from for outgoing connections
// (Linux: 32768 and up; macOS and Windows: 49152 and up). A port from that range can be held by one of the many
// Kafka and Postgres client sockets open during a test run, and the service would then fail to listen and exit.
export function randomPort(): number {
  return 20_000 + Math.floor(Math.random() * 12_000);
}

// ---- Kafka ----------------------------------------------------------------------------------------------------

// Makes a fresh ledger database start at the current end of the (shared) input topics, as if it had consumed
// everything before: the ledger resumes from Postgres, so the spec sees only the events published after this.
export async function startAtEndOfTopics(admin: Admin, ds: DataSource, groupId: string): Promise<void> {
  for (const topic of INPUT_TOPICS) {
    const offsets = await admin.fetchTopicOffsets(topic);
    for (const o of offsets) {
      await ds.query(`INSERT INTO consumer_offsets (group_id, topic, partition, next_offset) VALUES ($1, $2, $3, $4)`, [
        groupId,
        topic,
        o.partition,
        o.high,
      ]);
    }
  }
}

// The end of every input partition now, keyed "topic/partition". Taken right after a spec published its events, it
// is what the ledger must reach to have judged them all, whatever other specs publish afterwards.
export async function inputEndOffsets(admin: Admin): Promise<Map<string, bigint>> {
  const ends = new Map<string, bigint>();
  for (const topic of INPUT_TOPICS) {
    for (const o of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}/${o.partition}`, BigInt(o.high));
  }
  return ends;
}

// True once the ledger has stored offsets at (or past) `ends` on every input partition (by default, the current end).
export async function caughtUp(admin: Admin, ds: DataSource, groupId: string, ends?: ReadonlyMap<string, bigint>): Promise<boolean> {
  const target = ends ?? (await inputEndOffsets(admin));
  const rows = (await ds.query(`SELECT topic, partition, next_offset FROM consumer_offsets WHERE group_id = $1`, [groupId])) as Array<{
    topic: string;
    partition: number;
    next_offset: string;
  }>;
  const stored = new Map(rows.map((r) => [`${r.topic}/${r.partition}`, BigInt(r.next_offset)]));
  for (const [partition, end] of target) if ((stored.get(partition) ?? 0n) < end) return false;
  return true;
}
