import { isDeepStrictEqual } from 'node:util';
import type { DataSource, QueryRunner } from 'typeorm';
import { stringifyJson } from '@app/contracts';
import { accountView, policyLabel, Replayer, type Authenticity, type PolicyPack } from '@app/policy';
import { comparePublisherKeys } from './publisher-keys.store';
import { licenceDifferences } from './licence-store';

// What `ledger rejudge` found: the events the ledger recorded, judged again in the order it recorded them with the
// same code as the services (the offline replay), against the entries, accounts, judging state and alerts the
// ledger stored.
export interface RejudgeReport {
  ok: boolean;
  // The pack, or the timeline (with its packs) the events were judged again under.
  policy: ReturnType<typeof policyLabel>;
  // Recorded events judged again, their entries, accounts and alerts compared.
  events: number;
  entries: number;
  accounts: number;
  alerts: number;
  // The first differences (at most differencesMax); differencesTotal counts them all.
  differences: string[];
  differencesTotal: number;
}

export interface RejudgeOptions {
  // Inbox rows read per round trip; the events are streamed, never loaded whole.
  pageSizeRows?: number;
  differencesMax?: number;
  // The signature rules to judge with (default: optional, no trust anchor): a signed regulator event needs the
  // anchors its signature was verified with.
  authenticity?: Authenticity;
}

// The differences found so far: the first differencesMax listed, all counted.
class Differences {
  readonly listed: string[] = [];
  total = 0;

  constructor(private readonly differencesMax: number) {}

  add(text: string): void {
    this.total++;
    if (this.listed.length < this.differencesMax) this.listed.push(text);
  }
}

type InboxPageRow = { seq: string; publisher: string; event_id: string; payload: string; first: string | null; n: number };
type EntryRow = { seq: string; account: string; delta: string; balance: string; cap: string | null; policy: string };

// `verify` shows that the entries add up and that nothing in the chain was changed; this shows that the entries, the
// balances, the alert state and the alerts are what the policy pack makes of the recorded events:
// - every recorded event is recorded again, with the same entries (account, movement, balance, cap and policy pack,
//   in order; an entry made under another pack shows as a difference);
// - every account has the same used TPP, cap (at its latest event, as the ledger stores it) and alert state;
// - the state later events are judged against (VEU grants, g2g arrangements, installed TPP per data center, the
//   licence registry) is the same;
// - the alerts are the same documents in the same order.
// One REPEATABLE READ snapshot, so a ledger that keeps writing is checked as of one instant.
// Events whose stored copy differs from the bytes that came (an escaped U+0000, see storablePayload in
// writer/copy-encoding.ts) are judged from the stored copy; such a character can only be in a field the judgement
// does not read.
export async function rejudgeLedger(dataSource: DataSource, pack: PolicyPack, opts: RejudgeOptions = {}): Promise<RejudgeReport> {
  const pageSizeRows = opts.pageSizeRows ?? 5_000;
  const diff = new Differences(opts.differencesMax ?? 100);
  const qr = dataSource.createQueryRunner();
  await qr.connect();
  try {
    await qr.startTransaction('REPEATABLE READ');
    await qr.query('SET TRANSACTION READ ONLY');
    const replayer = new Replayer(pack, { authenticity: opts.authenticity });
    const { events, entries } = await rejudgeEvents(qr, pack, replayer, pageSizeRows, diff);
    const accounts = await compareAccounts(qr, pack, replayer, diff);
    await compareGrantsAndG2g(qr, replayer, diff);
    await compareInstalled(qr, replayer, diff);
    await comparePublisherKeys((sql) => qr.query(sql), replayer.state, (text) => diff.add(text));
    const alerts = await compareAlerts(qr, replayer, diff);
    await qr.commitTransaction();
    return {
      ok: diff.total === 0,
      policy: policyLabel(pack),
      events,
      entries,
      accounts,
      alerts,
      differences: diff.listed,
      differencesTotal: diff.total,
    };
  } finally {
    if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
    await qr.release();
  }
}

// Judges the recorded events again, page by page in the order they were recorded, and compares each one's entries.
async function rejudgeEvents(
  qr: QueryRunner,
  pack: PolicyPack,
  replayer: Replayer,
  pageSizeRows: number,
  diff: Differences,
): Promise<{ events: number; entries: number }> {
  let events = 0;
  let entries = 0;
  let after = '0';
  for (;;) {
    const rows = (await qr.query(
      `SELECT recorded_seq::text AS seq, publisher, event_id, payload::text AS payload, first_entry_seq::text AS first, entry_count AS n
         FROM inbox WHERE status = 'recorded' AND recorded_seq > $1 ORDER BY recorded_seq LIMIT $2`,
      [after, pageSizeRows],
    )) as InboxPageRow[];
    const entryRows = await pageEntries(qr, rows);
    for (const row of rows) {
      events++;
      const key = `event ${row.publisher}/${row.event_id} (recorded as ${row.seq})`;
      const outcome = replayer.push(row.payload, events);
      if (outcome === null || outcome.status !== 'recorded') {
        const why = outcome === null ? 'a blank payload' : outcome.status === 'rejected' ? `${outcome.code}: ${outcome.message}` : 'a duplicate';
        diff.add(`${key}: recorded by the ledger, but judged again it is ${why}`);
        continue;
      }
      entries += row.n;
      compareEntries(outcome.policy, key, row, outcome.movements, entryRows, diff);
    }
    if (rows.length < pageSizeRows) break;
    after = rows[rows.length - 1]!.seq;
  }
  return { events, entries };
}

// The page's entries, by seq: each event's are first .. first + n - 1 (verify checks that they carry its key).
async function pageEntries(qr: QueryRunner, rows: readonly InboxPageRow[]): Promise<Map<string, EntryRow>> {
  let from: bigint | null = null;
  let to: bigint | null = null;
  for (const r of rows) {
    if (r.first === null) continue;
    const first = BigInt(r.first);
    const last = first + BigInt(r.n) - 1n;
    if (from === null || first < from) from = first;
    if (to === null || last > to) to = last;
  }
  const entryRows = new Map<string, EntryRow>();
  if (from !== null && to !== null) {
    const found = (await qr.query(
      `SELECT seq::text AS seq, account_id AS account, delta_tpp::text AS delta, balance_tpp::text AS balance, cap_tpp::text AS cap,
              policy_id || ' ' || policy_version AS policy
         FROM ledger_entries WHERE seq BETWEEN $1 AND $2`,
      [from.toString(), to.toString()],
    )) as EntryRow[];
    for (const e of found) entryRows.set(e.seq, e);
  }
  return entryRows;
}

// An event's entries: one per movement that changed a balance, in the order of the movements.
// `judgedBy`: the pack that judged the event again (under a timeline, the one in force at it).
function compareEntries(
  judgedBy: { id: string; version: string },
  key: string,
  row: InboxPageRow,
  movements: ReadonlyArray<{ account: string; deltaTpp: bigint; usedAfterTpp: bigint; capTpp: bigint | null }>,
  entryRows: ReadonlyMap<string, EntryRow>,
  diff: Differences,
): void {
  const expected = movements.filter((m) => m.deltaTpp !== 0n);
  if (expected.length !== row.n) {
    diff.add(`${key}: ${row.n} entries in the ledger, ${expected.length} judged again`);
    return;
  }
  for (let k = 0; k < row.n; k++) {
    const seq = (BigInt(row.first!) + BigInt(k)).toString();
    const e = entryRows.get(seq);
    const m = expected[k]!;
    const judged = `${m.account} ${m.deltaTpp} -> ${m.usedAfterTpp} (cap ${m.capTpp ?? 'none'}, policy ${judgedBy.id} ${judgedBy.version})`;
    const ledger = e === undefined ? 'no entry' : `${e.account} ${e.delta} -> ${e.balance} (cap ${e.cap ?? 'none'}, policy ${e.policy})`;
    if (ledger !== judged) diff.add(`${key}: entry ${seq} is ${ledger} in the ledger, ${judged} judged again`);
  }
}

// Every account's used TPP, cap (at its latest event, as the ledger stores it) and alert state. Returns the count of
// the ledger's accounts.
async function compareAccounts(qr: QueryRunner, pack: PolicyPack, replayer: Replayer, diff: Differences): Promise<number> {
  const stored = (await qr.query(
    `SELECT id, used_tpp::text AS used, cap_tpp::text AS cap, disarmed_mask AS mask, last_occurred_at AS at FROM accounts`,
  )) as Array<{ id: string; used: string; cap: string | null; mask: number; at: Date | null }>;
  const storedById = new Map(stored.map((a) => [a.id, a]));
  const replayedIds = new Set(replayer.state.accountIds());
  for (const id of [...new Set([...storedById.keys(), ...replayedIds])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const ledger = storedById.get(id);
    const replayed = replayer.state.account(id);
    if (ledger === undefined) {
      diff.add(`account ${id}: not in the ledger; judged again it holds ${replayed!.usedTpp} TPP`);
      continue;
    }
    if (replayed === undefined) {
      diff.add(`account ${id}: the ledger holds ${ledger.used} TPP; judged again the account does not exist`);
      continue;
    }
    const view = accountView(pack, replayer.state, id, ledger.at?.getTime() ?? 0);
    const cap = view.capTpp === null ? null : view.capTpp.toString();
    if (ledger.used !== replayed.usedTpp.toString()) diff.add(`account ${id}: used TPP ${ledger.used} in the ledger, ${replayed.usedTpp} judged again`);
    if (ledger.cap !== cap) diff.add(`account ${id}: cap ${ledger.cap ?? 'none'} in the ledger, ${cap ?? 'none'} judged again`);
    if (ledger.mask !== replayed.disarmedMask) diff.add(`account ${id}: alert state (disarmed mask) ${ledger.mask} in the ledger, ${replayed.disarmedMask} judged again`);
  }
  return stored.length;
}

// The state the next events are judged against: grants, g2g arrangements and the licence registry.
async function compareGrantsAndG2g(qr: QueryRunner, replayer: Replayer, diff: Differences): Promise<void> {
  const grants = (await qr.query(`SELECT id, kind, headquarters, country, active, reporters FROM veu_grants`)) as Array<{
    id: string;
    kind: string;
    headquarters: string | null;
    country: string | null;
    active: boolean;
    reporters: string[];
  }>;
  const replayedGrants = new Map(replayer.state.veuGrants().map((g) => [g.id, g]));
  for (const g of grants) {
    const r = replayedGrants.get(g.id);
    const ledger = `${g.kind} hq=${g.headquarters ?? '-'} country=${g.country ?? '-'} reporters=${g.reporters.join(',')} ${g.active ? 'active' : 'revoked'}`;
    const replayed = r === undefined ? 'no grant' : `${r.kind} hq=${r.headquarters ?? '-'} country=${r.country ?? '-'} reporters=${r.reporters.join(',')} ${r.active ? 'active' : 'revoked'}`;
    if (ledger !== replayed) diff.add(`VEU ${g.id}: ${ledger} in the ledger, ${replayed} judged again`);
    replayedGrants.delete(g.id);
  }
  for (const r of replayedGrants.values()) diff.add(`VEU ${r.id}: not in the ledger; judged again it is a ${r.active ? 'granted' : 'revoked'} ${r.kind}`);
  const g2g = new Set(((await qr.query(`SELECT country FROM g2g_arrangements`)) as Array<{ country: string }>).map((r) => r.country));
  for (const c of replayer.state.g2gCountries()) if (!g2g.delete(c)) diff.add(`g2g arrangement ${c}: not in the ledger, made when judged again`);
  for (const c of g2g) diff.add(`g2g arrangement ${c}: in the ledger, not made when judged again`);
  for (const d of await licenceDifferences((sql, params) => qr.query(sql, params), replayer.state.licences())) diff.add(d);
}

// Installed TPP per data center.
async function compareInstalled(qr: QueryRunner, replayer: Replayer, diff: Differences): Promise<void> {
  const installed = (await qr.query(`SELECT veu_id, data_center_id, country, installed_tpp::text AS tpp FROM dc_installed`)) as Array<{
    veu_id: string;
    data_center_id: string;
    country: string;
    tpp: string;
  }>;
  // Per data center for the rows the ledger has; per VEU and country in all, so a row missing from it shows too.
  const sums = new Map<string, bigint>();
  for (const row of installed) {
    const replayed = replayer.state.installed(row.veu_id, row.data_center_id, row.country);
    if (row.tpp !== replayed.toString()) {
      diff.add(`data center ${row.data_center_id} of ${row.veu_id} in ${row.country}: ${row.tpp} TPP installed in the ledger, ${replayed} judged again`);
    }
    const key = `${row.veu_id}\u0000${row.country}`;
    sums.set(key, (sums.get(key) ?? 0n) + BigInt(row.tpp));
  }
  // Every VEU that installed anything has an installed:ID:CC account, granted or not.
  const installers = new Set(installed.map((row) => row.veu_id));
  for (const id of replayer.state.accountIds()) if (id.startsWith('installed:')) installers.add(id.slice('installed:'.length, id.lastIndexOf(':')));
  for (const veuId of installers) {
    for (const [country, tpp] of replayer.state.installedByCountry(veuId)) {
      const sum = sums.get(`${veuId}\u0000${country}`) ?? 0n;
      if (tpp !== sum) diff.add(`installed TPP of ${veuId} in ${country}: ${sum} over the ledger's data centers, ${tpp} judged again`);
    }
  }
}

// The alerts: the same documents in the same order. Returns the count of the ledger's alerts.
async function compareAlerts(qr: QueryRunner, replayer: Replayer, diff: Differences): Promise<number> {
  const storedAlerts = (await qr.query(`SELECT alert_id, payload::text AS payload FROM alerts ORDER BY seq`)) as Array<{ alert_id: string; payload: string }>;
  const replayedAlerts = replayer.result().alerts;
  const replayedIndex = new Map(replayedAlerts.map((a, i) => [a.alertId, i]));
  const storedIndex = new Map(storedAlerts.map((a, i) => [a.alert_id, i]));
  for (let i = 0; i < storedAlerts.length; i++) {
    const a = storedAlerts[i]!;
    const j = replayedIndex.get(a.alert_id);
    if (j === undefined) {
      diff.add(`alert ${a.alert_id}: in the ledger, not raised when judged again`);
      continue;
    }
    if (!isDeepStrictEqual(JSON.parse(a.payload), JSON.parse(stringifyJson(replayedAlerts[j]!)))) {
      diff.add(`alert ${a.alert_id}: the ledger's document differs from the one raised when judged again`);
    }
  }
  for (const a of replayedAlerts) {
    if (!storedIndex.has(a.alertId)) diff.add(`alert ${a.alertId}: raised when judged again (${a.kind} on ${a.account}), not in the ledger`);
  }
  // The same alerts, but raised in another order (the outbox keeps the order they were raised in).
  if (storedAlerts.length === replayedAlerts.length && storedAlerts.every((a) => replayedIndex.has(a.alert_id))) {
    const at = storedAlerts.findIndex((a, i) => replayedAlerts[i]!.alertId !== a.alert_id);
    if (at !== -1) diff.add(`alerts: the same ${storedAlerts.length}, but in another order from the ${at + 1}th on`);
  }
  return storedAlerts.length;
}
