// Helpers of the ledger specs only (what benchmarks share is in @app/testing): telling a spec's own events apart on
// the shared topics, and the offline replay of the events in the order the ledger recorded them (the reference
// every spec compares with).
import assert from 'node:assert/strict';
import type { DataSource } from 'typeorm';
import { stringifyJson } from '@app/contracts';
import { verifyLedger } from '@app/persistence';
import { accountView, loadPolicyPack, Replayer, type PolicyPack } from '@app/policy';

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
