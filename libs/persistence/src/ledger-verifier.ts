import type { KeyObject } from 'node:crypto';
import type { DataSource, QueryRunner } from 'typeorm';
import { verifyMerkleTree } from './merkle/tree-verifier';
import { verifyClockTables } from './event-time-buckets.verify';
import { GENESIS_HASH, LEDGER_ENTRY_COLUMNS, recomputeEntryHash, type LedgerEntryRow } from './entry-hash';

export interface VerifyReport {
  ok: boolean;
  entries: number;
  accounts: number;
  firstBrokenSeq?: string;
  problems: string[];
}

export interface VerifyOptions {
  // Entries read per round trip; the chain is streamed, never loaded whole.
  pageSizeRows?: number;
  // Problems listed in the report; the count of the rest is still given.
  problemsMax?: number;
  // The ledger's checkpoint public key: with it, every stored checkpoint's signature is checked too.
  ledgerKey?: KeyObject | null;
}

// The problems found so far: the first problemsMax listed, all counted, and the lowest seq of a broken entry.
class Problems {
  readonly listed: string[] = [];
  count = 0;
  firstBrokenSeq: bigint | undefined;

  constructor(private readonly problemsMax: number) {}

  add(seq: bigint | null, text: string): void {
    this.count++;
    if (seq !== null && (this.firstBrokenSeq === undefined || seq < this.firstBrokenSeq)) this.firstBrokenSeq = seq;
    if (this.listed.length < this.problemsMax) this.listed.push(text);
  }
}

// What the entries alone add up to: the chain's end and each account's balance.
interface ChainTotals {
  entries: number;
  balances: Map<string, bigint>;
  lastSeq: bigint;
  lastHash: Buffer;
}

// Recomputes the hash chain and every account balance from the entries alone, and compares them with the head
// row and the accounts table. It reads in one REPEATABLE READ snapshot, so a ledger that keeps writing meanwhile
// is checked as of one instant.
export async function verifyLedger(dataSource: DataSource, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const pageSizeRows = opts.pageSizeRows ?? 10_000;
  const problemsMax = opts.problemsMax ?? 100;
  const problems = new Problems(problemsMax);
  const qr = dataSource.createQueryRunner();
  await qr.connect();
  let entries = 0;
  let accountCount = 0;
  try {
    await qr.startTransaction('REPEATABLE READ');
    await qr.query('SET TRANSACTION READ ONLY');
    const chain = await checkChain(qr, pageSizeRows, problems);
    entries = chain.entries;
    await checkHead(qr, chain, problems);
    await checkInboxRanges(qr, problemsMax, problems);
    accountCount = await checkAccounts(qr, chain.balances, problems);
    for (const p of await verifyMerkleTree(qr, opts.ledgerKey ?? null, pageSizeRows)) problems.add(p.seq, p.text);
    for (const text of await verifyClockTables(qr, problemsMax)) problems.add(null, text);
    await qr.commitTransaction();
  } catch (err) {
    if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
    throw err;
  } finally {
    await qr.release();
  }
  const listed = problems.listed;
  if (problems.count > listed.length) listed.push(`... and ${problems.count - listed.length} more problems`);
  const report: VerifyReport = { ok: problems.count === 0, entries, accounts: accountCount, problems: listed };
  if (problems.firstBrokenSeq !== undefined) report.firstBrokenSeq = problems.firstBrokenSeq.toString();
  return report;
}

// Streams the entries in seq order, checking the seqs, the hash links, each entry's hash and its running balance.
async function checkChain(qr: QueryRunner, pageSizeRows: number, problems: Problems): Promise<ChainTotals> {
  const problem = (seq: bigint | null, text: string): void => problems.add(seq, text);
  let entries = 0;
  const balances = new Map<string, bigint>();
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1n;
  let after = '0';
  for (;;) {
    const rows = (await qr.query(
      `SELECT ${LEDGER_ENTRY_COLUMNS} FROM ledger_entries WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [after, pageSizeRows],
    )) as LedgerEntryRow[];
    if (rows.length === 0) break;
    for (const row of rows) {
      const seq = BigInt(row.seq);
      entries++;
      if (seq !== expectedSeq) problem(seq, `seq ${seq}: expected seq ${expectedSeq} (a gap or a reordering)`);
      expectedSeq = seq + 1n;
      if (!row.prev_hash.equals(prevHash)) problem(seq, `seq ${seq}: prev_hash does not match the hash of the entry before it`);
      const delta = BigInt(row.delta_tpp);
      const balance = (balances.get(row.account_id) ?? 0n) + delta;
      balances.set(row.account_id, balance);
      if (BigInt(row.balance_tpp) !== balance) {
        problem(seq, `seq ${seq}: balance_tpp of ${row.account_id} is ${row.balance_tpp}, the entries sum to ${balance}`);
      }
      if (!recomputeEntryHash(row).equals(row.hash)) problem(seq, `seq ${seq}: hash does not match the entry's contents`);
      prevHash = row.hash;
    }
    after = rows[rows.length - 1]!.seq;
  }
  return { entries, balances, lastSeq: expectedSeq - 1n, lastHash: prevHash };
}

async function checkHead(qr: QueryRunner, chain: ChainTotals, problems: Problems): Promise<void> {
  const [head] = (await qr.query(`SELECT seq, hash FROM ledger_head WHERE id = 1`)) as Array<{ seq: string; hash: Buffer }>;
  if (head === undefined) problems.add(null, 'ledger_head has no row');
  else {
    if (BigInt(head.seq) !== chain.lastSeq) problems.add(null, `ledger_head.seq is ${head.seq}, the last entry is ${chain.lastSeq}`);
    if (!head.hash.equals(chain.lastHash)) problems.add(null, 'ledger_head.hash is not the hash of the last entry');
  }
}

async function checkInboxRanges(qr: QueryRunner, problemsMax: number, problems: Problems): Promise<void> {
  // Each inbox row names its event's entries (first_entry_seq, entry_count): the range must hold exactly the
  // entries that carry the event's key, and an event with entries must have its inbox row. One pass over each
  // table, grouped by event key in Postgres.
  const ranges = (await qr.query(
    `SELECT coalesce(e.publisher, i.publisher) AS publisher, coalesce(e.event_id, i.event_id) AS event_id,
            e.first::text AS first, e.last::text AS last, e.n, i.first_entry_seq::text AS listed_first, i.entry_count AS listed_count
       FROM (SELECT event_publisher AS publisher, event_id, min(seq) AS first, max(seq) AS last, count(*)::int AS n
               FROM ledger_entries GROUP BY 1, 2) e
       FULL JOIN (SELECT publisher, event_id, first_entry_seq, entry_count FROM inbox WHERE entry_count > 0) i
         ON i.publisher = e.publisher AND i.event_id = e.event_id
      WHERE e.n IS NULL OR i.entry_count IS NULL OR e.first <> i.first_entry_seq OR e.n <> i.entry_count OR e.last - e.first + 1 <> e.n
      ORDER BY coalesce(e.first, i.first_entry_seq)
      LIMIT $1`,
    [problemsMax + 1],
  )) as Array<{ publisher: string; event_id: string; first: string | null; last: string | null; n: number | null; listed_first: string | null; listed_count: number | null }>;
  for (const r of ranges) {
    const listed = r.listed_first === null ? 'no entries' : `entries ${r.listed_first}..${BigInt(r.listed_first) + BigInt(r.listed_count! - 1)}`;
    let actual = 'it has none';
    if (r.first !== null) {
      const consecutive = BigInt(r.n!) === BigInt(r.last!) - BigInt(r.first) + 1n;
      actual = consecutive ? `its entries are ${r.first}..${r.last}` : `its ${r.n} entries are not consecutive (${r.first}..${r.last})`;
    }
    // Not a broken link of the chain (the hashes say that): firstBrokenSeq is left to them.
    problems.add(null, `event ${r.publisher}/${r.event_id}: the inbox lists ${listed}, ${actual}`);
  }
}

// Each account row's used TPP against its entries' sum, and an account row for every account with entries.
async function checkAccounts(qr: QueryRunner, balances: ReadonlyMap<string, bigint>, problems: Problems): Promise<number> {
  const accounts = (await qr.query(`SELECT id, used_tpp FROM accounts ORDER BY id`)) as Array<{ id: string; used_tpp: string }>;
  const listed = new Set<string>();
  for (const a of accounts) {
    listed.add(a.id);
    const sum = balances.get(a.id) ?? 0n;
    if (BigInt(a.used_tpp) !== sum) problems.add(null, `account ${a.id}: used_tpp is ${a.used_tpp}, its entries sum to ${sum}`);
  }
  for (const id of balances.keys()) if (!listed.has(id)) problems.add(null, `account ${id} has entries but no row in accounts`);
  return accounts.length;
}
