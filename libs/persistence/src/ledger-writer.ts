import { finished } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource, QueryRunner } from 'typeorm';
import { stringifyJson, type ComplianceAlertV1, type RejectionCode } from '@app/contracts';
import {
  accountView,
  applyOutcome,
  capsMovedBy,
  capSubjectOf,
  decodeEvent,
  judge,
  MemoryLedgerState,
  type Authenticity,
  type DecodedEvent,
  type DecodeResult,
  type Movement,
  type PolicyPack,
  type StateEffect,
} from '@app/policy';
import { accountColumns } from './account-id';
import { loadLedgerState, StateNeeds } from './ledger-state.loader';
import { writePublisherKeys } from './publisher-keys.store';
import { entryHashHex, utcMillisIsoFromMs, type HashedEntry } from './entry-hash';

// One consumed record. topic/partition/offset are null when the record does not come from Kafka (tests, tools);
// such records are judged the same way but leave no consumer offset behind.
export interface SourceRecord {
  topic: string | null;
  partition: number | null;
  offset: string | null;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, unknown>;
  // decodeEvent(pack, value, {topic, key}), when the caller computed it ahead (it is stateless); decoded here otherwise.
  prepared?: unknown;
}

export type RecordResult =
  | { status: 'recorded'; publisher: string; eventId: string; recordedSeq: bigint; entries: number; alerts: ComplianceAlertV1[] }
  | { status: 'duplicate'; publisher: string; eventId: string }
  | { status: 'rejected'; code: RejectionCode; message: string; publisher: string | null; eventId: string | null }
  // The record's offset is below the consumer offset stored in Postgres: an earlier batch applied it already.
  | { status: 'skipped' };

export interface BatchResult {
  // results[i] belongs to records[i].
  results: RecordResult[];
  recorded: number;
  duplicates: number;
  rejected: number;
  skipped: number;
  entries: number;
  alerts: ComplianceAlertV1[];
  headSeq: bigint;
  // Whether the batch was judged while the batch before it was still being written (see processBatch).
  pipelined: boolean;
}

export interface BatchHooks {
  // Runs inside the transaction after every write and before COMMIT. The ledger uses it to put rejections on the
  // DLQ: if the process dies before COMMIT, the batch is judged again and the DLQ gets the record again (a
  // duplicate, which is acceptable); if it dies after COMMIT, the DLQ already has it. Never lost.
  beforeCommit?: (result: BatchResult, records: readonly SourceRecord[]) => Promise<void>;
  // Called with true when the writer starts waiting for Postgres with nothing of its own to compute (the state
  // load, the last COPY, the closing statements and COMMIT), and with false when it resumes or the transaction
  // ends. The ledger decodes the next records in these windows.
  waitingForDatabase?: (waiting: boolean) => void;
}

export interface LedgerWriterOptions {
  // Consumer offsets are stored per Kafka consumer group.
  groupId: string;
  // Signature enforcement and the regulator's trust anchors (default: optional, none).
  authenticity?: Authenticity;
}

const NO_FORCED_REJECTIONS: ReadonlyMap<number, string> = new Map();

// A value that is set once, later; the first set wins.
class Later<T> {
  readonly promise: Promise<T>;
  private settle!: (value: T) => void;
  private isSet = false;
  constructor() {
    this.promise = new Promise<T>((resolve) => (this.settle = resolve));
  }
  set(value: T): void {
    if (this.isSet) return;
    this.isSet = true;
    this.settle(value);
  }
}

interface Head {
  seq: bigint;
  hash: string;
  eventSeq: bigint;
}

// What a batch leaves to the next one once it is judged: the ledger's head after it and its final state.
interface Carry {
  head: Head;
  state: MemoryLedgerState;
  // The consumer offsets it stores: topic\u0000partition -> next offset.
  offsets: Map<string, bigint>;
}

// A batch the writer is working on, as the next batch sees it. Each value is set once; when the batch ends, any not
// set yet is set to its "nothing to go on" value (locked, no carry, not committed).
interface Flight {
  // Its transaction holds the ledger's head lock, or the batch has ended.
  locked: Later<void>;
  // Its judgement, once made under the lock (null: the batch ended without one).
  carry: Later<Carry | null>;
  // Whether the transaction that made that judgement committed.
  committed: Later<boolean>;
  ended: boolean;
}

// Tells the next batch that this one leaves nothing to go on from (each value keeps its first setting).
function giveUp(flight: Flight): void {
  flight.locked.set();
  flight.carry.set(null);
  flight.committed.set(false);
}

// The batch before could not be taken over: this one is judged again the usual way, under the lock.
class PipelineBroken extends Error {}
const NOT_WATCHED = (): void => undefined;

// SQLSTATE class 22 (data exception) and 54 (program limit exceeded): the values cannot be stored, and
// retrying will not change that. Everything else (connection lost, serialization, ...) is transient.
function isDataError(err: unknown): boolean {
  const e = err as { code?: unknown; driverError?: { code?: unknown } };
  const code = typeof e?.code === 'string' ? e.code : typeof e?.driverError?.code === 'string' ? e.driverError.code : '';
  return code.startsWith('22') || code.startsWith('54');
}

// The inbox copy shows U+FFFD in place of an escaped U+0000 (JSON allows it in strings, but Postgres refuses it
// wherever it turns JSON text into text or jsonb, so one such payload would break a query over the inbox). The
// judgement and the entries come from the original bytes, and such an event keeps its digest in the inbox, since
// the stored copy would give another one.
const JSON_NUL_ESCAPE = /(?<!\\)((?:\\\\)*)\\u0000/gi;
function storablePayload(value: Buffer): string {
  const text = value.toString('utf8');
  return storedCopyDiffers(value) ? text.replace(JSON_NUL_ESCAPE, '$1\\ufffd') : text;
}

const BACKSLASH = 0x5c;
const NUL_ESCAPE = Buffer.from('\\u0000');
const NUL_ESCAPE_UPPER = Buffer.from('\\U0000');

// Whether the inbox copy of these bytes differs from them (see storablePayload); such events keep their digest.
function storedCopyDiffers(value: Buffer): boolean {
  return value.indexOf(BACKSLASH) !== -1 && (value.indexOf(NUL_ESCAPE) !== -1 || value.indexOf(NUL_ESCAPE_UPPER) !== -1);
}

// Postgres raises NOTIFY on this channel when a batch added alerts; the relay listens.
export const ALERTS_CHANNEL = 'ledger_alerts';

interface PendingEntry extends HashedEntry {
  // both in hex, as COPY writes bytea
  prevHash: string;
  hash: string;
}

interface TouchedAccount {
  movement: Movement;
  lastSeq: bigint | null;
  lastOccurredAt: string | null;
  atMs: number;
}

interface InboxRow {
  r: SourceRecord;
  publisher: string;
  eventId: string;
  // null: computed from the stored payload when needed (see the inbox-digest-on-demand migration)
  digest: string | null;
  type: string;
  occurredAt: string;
  recordedSeq: bigint;
  // The event's entries: firstEntrySeq .. firstEntrySeq + entryCount - 1 (see the inbox-entry-range migration).
  firstEntrySeq: bigint | null;
  entryCount: number;
}

// Events judged before their rows are handed to Postgres (see judgeAndWrite).
const WRITE_CHUNK_EVENTS_MAX = 1000;
const YIELD_EVERY_EVENTS = 50;

// A chunk's inbox rows and entries go to Postgres with COPY (text format): the cheapest way in for the server,
// measured about 1.5x faster than one INSERT ... SELECT FROM json_to_recordset statement with the same rows. Text
// fields are escaped as COPY's text format requires (backslash, tab, LF, CR); \N is NULL.
const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIAL_ALL = /[\\\t\n\r]/g;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const COPY_NULL = '\\N';

export function copyText(value: string): string {
  return COPY_SPECIAL.test(value) ? value.replace(COPY_SPECIAL_ALL, (c) => COPY_ESCAPES[c]!) : value;
}

function copyNullable(value: string | number | bigint | null): string {
  return value === null ? COPY_NULL : typeof value === 'string' ? copyText(value) : String(value);
}

// Whether the bytes hold one that COPY's text format escapes (backslash, tab, LF, CR).
function hasCopySpecialByte(value: Buffer): boolean {
  return value.indexOf(BACKSLASH) !== -1 || value.indexOf(0x09) !== -1 || value.indexOf(0x0a) !== -1 || value.indexOf(0x0d) !== -1;
}

// COPY data written straight into bytes: text as UTF-8, and an event's payload copied as the bytes that came when
// they need no escaping (most do not), instead of turning them into a string and back. Text is gathered into
// runs of a few KiB before it is encoded, since each encoding call has a fixed cost.
const TEXT_RUN_CHARS = 8192;
class CopyData {
  private buf: Buffer;
  private at = 0;
  private run = '';

  constructor(bytesHint: number) {
    this.buf = Buffer.allocUnsafe(Math.max(4096, bytesHint));
  }

  text(s: string): void {
    this.run += s;
    if (this.run.length >= TEXT_RUN_CHARS) this.encodeRun();
  }

  bytes(b: Buffer): void {
    this.encodeRun();
    this.room(b.length);
    this.at += b.copy(this.buf, this.at);
  }

  toBuffer(): Buffer {
    this.encodeRun();
    return this.buf.subarray(0, this.at);
  }

  private encodeRun(): void {
    if (this.run.length === 0) return;
    this.room(this.run.length * 3);
    this.at += this.buf.write(this.run, this.at, 'utf8');
    this.run = '';
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }
}

export const INBOX_COPY =
  'COPY inbox (publisher, event_id, digest, event_type, status, payload, occurred_at, source_topic, source_partition, source_offset, recorded_seq, ' +
  'first_entry_seq, entry_count) FROM STDIN';

export function inboxCopyData(rows: readonly InboxRow[]): Buffer {
  let bytes = 0;
  for (let i = 0; i < rows.length; i++) bytes += rows[i]!.r.value!.length + 160;
  const out = new CopyData(bytes);
  for (let i = 0; i < rows.length; i++) {
    const x = rows[i]!;
    const value = x.r.value!;
    out.text(`${copyText(x.publisher)}\t${copyText(x.eventId)}\t${x.digest ?? COPY_NULL}\t${copyText(x.type)}\trecorded\t`);
    if (hasCopySpecialByte(value)) out.text(copyText(storablePayload(value)));
    else out.bytes(value);
    out.text(
      `\t${x.occurredAt}\t${copyNullable(x.r.topic)}\t${copyNullable(x.r.partition)}\t${copyNullable(x.r.offset)}\t${x.recordedSeq}\t` +
        `${copyNullable(x.firstEntrySeq)}\t${x.entryCount}\n`,
    );
  }
  return out.toBuffer();
}

export const ENTRIES_COPY =
  'COPY ledger_entries (seq, account_id, delta_tpp, balance_tpp, cap_tpp, event_publisher, event_id, event_type, occurred_at, ' +
  'source_topic, source_partition, source_offset, policy_id, policy_version, prev_hash, hash) FROM STDIN';

// Amounts are written as digits and read as numeric: exact at any size. Hashes as bytea hex (\x...).
export function entriesCopyData(entries: readonly PendingEntry[]): Buffer {
  const out = new CopyData(entries.length * 480);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    out.text(
      `${e.seq}\t${copyText(e.accountId)}\t${e.deltaTpp}\t${e.balanceTpp}\t${e.capTpp === null ? COPY_NULL : e.capTpp}\t` +
        `${copyText(e.eventPublisher)}\t${copyText(e.eventId)}\t${copyText(e.eventType)}\t${e.occurredAt}\t${copyNullable(e.sourceTopic)}\t` +
        `${copyNullable(e.sourcePartition)}\t${copyNullable(e.sourceOffset)}\t${copyText(e.policyId)}\t${copyText(e.policyVersion)}\t` +
        `\\\\x${e.prevHash}\t\\\\x${e.hash}\n`,
    );
  }
  return out.toBuffer();
}

// Streams `data` into a COPY ... FROM STDIN on the transaction's own connection. A failure (a value Postgres
// cannot store, a lost connection) rejects with the server's error, SQLSTATE included.
async function copyIn(qr: QueryRunner, sql: string, data: Buffer): Promise<void> {
  if (data.length === 0) return;
  const client = (qr as unknown as { databaseConnection: PoolClient }).databaseConnection;
  const stream = client.query(copyFrom(sql));
  stream.end(data);
  await finished(stream);
}

// The next offset of each partition the records come from: topic\u0000partition -> the highest offset + 1.
function nextOffsets(records: readonly SourceRecord[]): Map<string, bigint> {
  const next = new Map<string, bigint>();
  for (const r of records) {
    if (r.topic === null || r.partition === null || r.offset === null) continue;
    const k = `${r.topic}\u0000${r.partition}`;
    const o = BigInt(r.offset) + 1n;
    const cur = next.get(k);
    if (cur === undefined || o > cur) next.set(k, o);
  }
  return next;
}

// Marks 'skipped' the records below the next offset `offsets` holds for their partition (topic\u0000partition): an
// earlier batch applied them already. Records come in runs of one partition, so the offset is looked up once a run.
function markSkipped(records: readonly SourceRecord[], results: RecordResult[], offsets: ReadonlyMap<string, bigint>): void {
  if (offsets.size === 0) return;
  let runTopic: string | null = null;
  let runPartition: number | null = null;
  let runNext: bigint | undefined;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (r.topic !== runTopic || r.partition !== runPartition) {
      runTopic = r.topic;
      runPartition = r.partition;
      runNext = r.topic !== null && r.partition !== null ? offsets.get(`${r.topic}\u0000${r.partition}`) : undefined;
    }
    if (runNext !== undefined && r.offset !== null && BigInt(r.offset) < runNext) results[i] = { status: 'skipped' };
  }
}

// Judges batches of raw events and appends their outcome to Postgres, one transaction per batch.
export class LedgerWriter {
  // The latest batch handed to processBatch, until it ends.
  private lastFlight: Flight | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly pack: PolicyPack,
    private readonly options: LedgerWriterOptions,
  ) {}

  // Batches may be handed over before the previous one has ended; each one is judged as if after the previous one.
  // While batch N writes its last rows and commits, batch N+1 is loaded on its own connection and judged from N's
  // final state (its outcome is carried over in memory, since Postgres shows it only once N commits). N+1 writes
  // nothing until N has committed and N+1 holds the head lock, and then only if the head is still the one N left: if
  // N failed or another writer came in between, N+1 is judged again from Postgres under the lock. So the ledger is
  // what one-at-a-time processing would make of the same batches, and the process judges one batch while Postgres
  // stores the other.
  async processBatch(records: readonly SourceRecord[], hooks: BatchHooks = {}): Promise<BatchResult> {
    const before = this.lastFlight;
    const flight: Flight = { locked: new Later(), carry: new Later(), committed: new Later(), ended: false };
    this.lastFlight = flight;
    try {
      if (before !== null && !before.ended) {
        try {
          return await this.runTransaction(records, hooks, NO_FORCED_REJECTIONS, flight, before);
        } catch (err) {
          if (!(err instanceof PipelineBroken)) throw err;
        }
      }
      return await this.runTransaction(records, hooks, NO_FORCED_REJECTIONS, flight, null);
    } catch (err) {
      if (!isDataError(err)) throw err;
      return this.isolatePoison(records, hooks);
    } finally {
      flight.ended = true;
      giveUp(flight);
      if (this.lastFlight === flight) this.lastFlight = null;
    }
  }

  // A record that the policy engine accepts but Postgres cannot store (a date outside its range, say) would fail
  // its batch forever and stall the partition. Its batch is replayed one record per transaction; the record
  // that fails alone is rejected to the DLQ, and the records around it are recorded as usual.
  private async isolatePoison(records: readonly SourceRecord[], hooks: BatchHooks): Promise<BatchResult> {
    const parts: BatchResult[] = [];
    for (const record of records) {
      try {
        parts.push(await this.runTransaction([record], hooks, NO_FORCED_REJECTIONS, null, null));
      } catch (err) {
        if (!isDataError(err)) throw err;
        const forced = new Map([[0, `the database cannot store this event: ${(err as Error).message}`]]);
        parts.push(await this.runTransaction([record], hooks, forced, null, null));
      }
    }
    return {
      results: parts.flatMap((p) => p.results),
      recorded: parts.reduce((n, p) => n + p.recorded, 0),
      duplicates: parts.reduce((n, p) => n + p.duplicates, 0),
      rejected: parts.reduce((n, p) => n + p.rejected, 0),
      skipped: parts.reduce((n, p) => n + p.skipped, 0),
      entries: parts.reduce((n, p) => n + p.entries, 0),
      alerts: parts.flatMap((p) => p.alerts),
      headSeq: parts.length > 0 ? parts[parts.length - 1]!.headSeq : 0n,
      pipelined: false,
    };
  }

  // One transaction. `flight`: the batch's place in the writer's order, told what this transaction does (null for
  // the one-record transactions that isolate a poison record). `before`: the batch still at work before this one,
  // to judge this one from (see processBatch); null to judge from Postgres under the lock.
  private async runTransaction(
    records: readonly SourceRecord[],
    hooks: BatchHooks,
    forced: ReadonlyMap<number, string>,
    flight: Flight | null,
    before: Flight | null,
  ): Promise<BatchResult> {
    const waiting = hooks.waitingForDatabase ?? NOT_WATCHED;
    if (before !== null) {
      // Postgres shows everything before `before` once it holds the lock; this batch's state is loaded after that.
      waiting(true);
      await before.locked.promise;
      waiting(false);
    }
    const qr = this.dataSource.createQueryRunner();
    await qr.connect();
    try {
      // READ COMMITTED, not REPEATABLE READ: every statement after the head lock must see what the previous
      // lock holder committed, and a snapshot taken before the lock wait would not.
      await qr.startTransaction('READ COMMITTED');
      const result = await this.judgeAndWrite(qr, records, forced, waiting, flight, before);
      if (hooks.beforeCommit) await hooks.beforeCommit(result, records);
      waiting(true);
      await qr.commitTransaction();
      flight?.committed.set(true);
      return result;
    } catch (err) {
      // The next batch has nothing to go on from, and must not wait (holding a connection) for what comes next here:
      // isolating a poison record needs connections of its own. A PipelineBroken attempt is followed by the usual
      // one, which says these itself.
      if (flight !== null && !(err instanceof PipelineBroken)) giveUp(flight);
      if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
      throw err;
    } finally {
      hooks.waitingForDatabase?.(false);
      await qr.release();
    }
  }

  // Takes the ledger's head lock (every writer does before it writes, so writers take turns) and reads the head.
  private async lockHead(qr: QueryRunner): Promise<Head> {
    const [head] = (await qr.query(
      `SELECT seq, encode(hash, 'hex') AS hash, event_seq FROM ledger_head WHERE id = 1 FOR UPDATE`,
    )) as Array<{ seq: string; hash: string; event_seq: string }>;
    if (head === undefined) throw new Error('ledger_head has no row: run `cli migrate` first');
    return { seq: BigInt(head.seq), hash: head.hash, eventSeq: BigInt(head.event_seq) };
  }

  private async judgeAndWrite(
    qr: QueryRunner,
    records: readonly SourceRecord[],
    forced: ReadonlyMap<number, string>,
    waiting: (waiting: boolean) => void,
    flight: Flight | null,
    before: Flight | null,
  ): Promise<BatchResult> {
    const pack = this.pack;
    // The head this batch starts from: read under the lock now, or the one `before` leaves.
    let head: Head | null = null;
    if (before === null) {
      head = await this.lockHead(qr);
      flight?.locked.set();
    }

    const stored = await this.loadOffsets(qr, records);
    const results: RecordResult[] = new Array(records.length);
    const decoded: Array<DecodeResult | null> = new Array(records.length).fill(null);
    const needs = new StateNeeds();

    markSkipped(records, results, stored);
    for (let i = 0; i < records.length; i++) {
      if (results[i] !== undefined) continue;
      const r = records[i]!;
      const forcedMessage = forced.get(i);
      const d: DecodeResult =
        forcedMessage === undefined ? ((r.prepared as DecodeResult | undefined) ?? decodeEvent(pack, r.value, { topic: r.topic, key: r.key })) : { ok: false, code: 'MALFORMED', message: forcedMessage, publisher: null, eventId: null };
      decoded[i] = d;
      if (!d.ok) continue;
      needs.add(pack, d.event, d.occurredAtMs);
    }

    // The batch's own events are marked seen by their index here; the digest is computed only if a key comes back.
    waiting(true);
    const state = await loadLedgerState((sql, params) => qr.query(sql, params), needs, (i) => decoded[i] as DecodedEvent);

    // Judged after `before`: its outcome replaces what Postgres showed of it, and nothing is written until `before`
    // has committed and this transaction holds the lock with the head `before` left.
    let gate: Promise<void> = Promise.resolve();
    let broken = false;
    if (before !== null) {
      const carry = await before.carry.promise;
      if (carry === null) throw new PipelineBroken('the batch before ended without a judgement to go on from');
      state.adopt(carry.state);
      head = carry.head;
      const expected = carry.head;
      // What `before` stores for a partition, Postgres may not show yet.
      markSkipped(records, results, carry.offsets);
      gate = (async () => {
        if (!(await before.committed.promise)) throw new PipelineBroken('the batch before did not commit');
        const now = await this.lockHead(qr);
        if (now.seq !== expected.seq || now.eventSeq !== expected.eventSeq || now.hash !== expected.hash) {
          throw new PipelineBroken('another writer committed between the batch before and this one');
        }
        flight?.locked.set();
      })();
      gate.catch(() => (broken = true));
    }
    waiting(false);
    let seq = head!.seq;
    let prevHash = head!.hash;
    let eventSeq = head!.eventSeq;

    let entries: PendingEntry[] = [];
    let entryCount = 0;
    const touched = new Map<string, TouchedAccount>();
    const alerts: ComplianceAlertV1[] = [];
    let inboxRows: InboxRow[] = [];
    const effects: Array<{ effect: StateEffect; recordedSeq: bigint; occurredAt: string }> = [];
    let recorded = 0;
    let duplicates = 0;
    let rejected = 0;
    let skipped = 0;

    // The batch is judged in chunks, and each chunk's inbox rows and entries go to Postgres as soon as the chunk is
    // judged, so that Postgres stores chunk k while this process judges chunk k+1 (one connection, one
    // transaction: the statements run one after the other, chained, and a failure skips the rest and is reported).
    let written: Promise<void> = gate;
    const flush = () => {
      if (inboxRows.length === 0 && entries.length === 0) return;
      // The documents are built now, while Postgres is busy with the previous chunk, so the statement goes out the
      // moment that one completes.
      const inboxData = inboxCopyData(inboxRows);
      const entriesData = entriesCopyData(entries);
      written = written.then(async () => {
        await copyIn(qr, INBOX_COPY, inboxData);
        await copyIn(qr, ENTRIES_COPY, entriesData);
      });
      written.catch(() => undefined);
      inboxRows = [];
      entries = [];
    };
    for (let i = 0; i < records.length; i++) {
      if (broken) break;
      if (results[i] !== undefined) {
        skipped++;
        continue;
      }
      if (inboxRows.length >= WRITE_CHUNK_EVENTS_MAX) flush();
      // Let the connection take in what Postgres answered and send what is queued: each COPY takes a few
      // exchanges, and Postgres would wait for this loop between them.
      if (i % YIELD_EVERY_EVENTS === 0 && i > 0) await new Promise((resolve) => setImmediate(resolve));
      const r = records[i]!;
      const d = decoded[i]!;
      if (!d.ok) {
        results[i] = { status: 'rejected', code: d.code, message: d.message, publisher: d.publisher, eventId: d.eventId };
        rejected++;
        continue;
      }
      let outcome;
      try {
        outcome = judge(pack, state, d, this.options.authenticity);
      } catch (err) {
        // judge() is pure, so the state is untouched; a fault in it must not stall the partition behind one
        // record. The record goes to the DLQ as unjudgeable, with the fault in its message.
        results[i] = {
          status: 'rejected',
          code: 'MALFORMED',
          message: `the event could not be judged: ${(err as Error).message}`,
          publisher: d.event.publisher,
          eventId: d.event.eventId,
        };
        rejected++;
        continue;
      }
      if (outcome.status === 'rejected') {
        results[i] = outcome;
        rejected++;
        continue;
      }
      if (outcome.status === 'duplicate') {
        results[i] = { status: 'duplicate', publisher: outcome.publisher, eventId: outcome.eventId };
        duplicates++;
        continue;
      }
      applyOutcome(state, outcome, i);
      const ev = outcome.event;
      eventSeq += 1n;
      recorded++;
      // The instant decodeEvent read, in UTC with milliseconds (as utcMillisIso(ev.occurredAt) would write it).
      const occurredAt = utcMillisIsoFromMs(d.occurredAtMs);
      const inboxRow: InboxRow = {
        r,
        publisher: ev.publisher,
        eventId: ev.eventId,
        digest: storedCopyDiffers(r.value!) ? outcome.digest() : null,
        type: ev.type,
        occurredAt,
        recordedSeq: eventSeq,
        firstEntrySeq: null,
        entryCount: 0,
      };
      inboxRows.push(inboxRow);
      let eventEntries = 0;
      for (const m of outcome.movements) {
        if (m.usedBeforeTpp + m.deltaTpp !== m.usedAfterTpp) {
          throw new Error(`policy engine fault: movement on ${m.account} does not add up (${m.usedBeforeTpp} + ${m.deltaTpp} != ${m.usedAfterTpp})`);
        }
        // An entry records a change of balance. Movements of 0 (a ratio account whose alert state changed as its
        // cap moved, an uncontrolled shipment) write no entry: the inbox has the event, the alerts table what it
        // raised, and the account row its new cap and threshold state.
        if (m.deltaTpp === 0n) {
          const prev = touched.get(m.account);
          touched.set(m.account, { movement: m, lastSeq: prev?.lastSeq ?? null, lastOccurredAt: occurredAt, atMs: d.occurredAtMs });
          continue;
        }
        seq += 1n;
        if (eventEntries === 0) inboxRow.firstEntrySeq = seq;
        eventEntries++;
        entryCount++;
        const entry: PendingEntry = {
          seq,
          accountId: m.account,
          deltaTpp: m.deltaTpp,
          balanceTpp: m.usedAfterTpp,
          capTpp: m.capTpp,
          eventPublisher: ev.publisher,
          eventId: ev.eventId,
          eventType: ev.type,
          occurredAt,
          sourceTopic: r.topic,
          sourcePartition: r.partition,
          sourceOffset: r.offset === null ? null : BigInt(r.offset),
          policyId: outcome.policy.id,
          policyVersion: outcome.policy.version,
          prevHash,
          hash: '',
        };
        entry.hash = entryHashHex(prevHash, entry);
        entries.push(entry);
        prevHash = entry.hash;
        touched.set(m.account, { movement: m, lastSeq: seq, lastOccurredAt: occurredAt, atMs: d.occurredAtMs });
      }
      for (const effect of outcome.effects) effects.push({ effect, recordedSeq: eventSeq, occurredAt });
      for (const a of outcome.alerts) alerts.push(a);
      inboxRow.entryCount = eventEntries;
      results[i] = { status: 'recorded', publisher: ev.publisher, eventId: ev.eventId, recordedSeq: eventSeq, entries: eventEntries, alerts: outcome.alerts };
    }

    flush();
    waiting(true);
    await gate;
    // Judged, under the lock: the next batch may go on from here.
    const offsets = nextOffsets(records);
    flight?.carry.set({ head: { seq, hash: prevHash, eventSeq }, state, offsets });
    await written;
    await this.writeAccounts(qr, state, touched, effects);
    await this.writeAlerts(qr, alerts);
    await this.writeEffects(qr, state, effects);
    await this.writeOffsets(qr, offsets);
    if (entryCount > 0 || recorded > 0) {
      await qr.query(`UPDATE ledger_head SET seq = $1, hash = decode($2, 'hex'), event_seq = $3 WHERE id = 1`, [
        seq.toString(),
        prevHash,
        eventSeq.toString(),
      ]);
    }
    waiting(false);
    return { results, recorded, duplicates, rejected, skipped, entries: entryCount, alerts, headSeq: seq, pipelined: before !== null };
  }

  private async loadOffsets(qr: QueryRunner, records: readonly SourceRecord[]): Promise<Map<string, bigint>> {
    const topics: string[] = [];
    const partitions: number[] = [];
    const seen = new Set<string>();
    for (const r of records) {
      if (r.topic === null || r.partition === null) continue;
      const k = `${r.topic}\u0000${r.partition}`;
      if (seen.has(k)) continue;
      seen.add(k);
      topics.push(r.topic);
      partitions.push(r.partition);
    }
    const out = new Map<string, bigint>();
    if (topics.length === 0) return out;
    const rows = (await qr.query(
      `SELECT o.topic, o.partition, o.next_offset FROM consumer_offsets o
         JOIN unnest($2::text[], $3::int[]) AS k(topic, partition) ON k.topic = o.topic AND k.partition = o.partition
        WHERE o.group_id = $1`,
      [this.options.groupId, topics, partitions],
    )) as Array<{ topic: string; partition: number; next_offset: string }>;
    for (const row of rows) out.set(`${row.topic}\u0000${row.partition}`, BigInt(row.next_offset));
    return out;
  }

  private async writeAccounts(
    qr: QueryRunner,
    state: MemoryLedgerState,
    touched: Map<string, TouchedAccount>,
    effects: Array<{ effect: StateEffect; recordedSeq: bigint; occurredAt: string }>,
  ): Promise<void> {
    const rows = new Map<string, { used: bigint; mask: number; lastSeq: bigint | null; lastOccurredAt: string | null; atMs: number }>();
    for (const [id, t] of touched) {
      const s = state.account(id);
      rows.set(id, {
        used: s?.usedTpp ?? t.movement.usedAfterTpp,
        mask: s?.disarmedMask ?? t.movement.disarmedMaskAfter,
        lastSeq: t.lastSeq,
        lastOccurredAt: t.lastOccurredAt,
        atMs: t.atMs,
      });
    }
    // Accounts whose cap an effect moved without a movement (capsMovedBy) keep their balance and show the new cap;
    // effects are read from the last, so each row is dated by the latest such event.
    const refreshed = new Set<string>();
    for (let k = effects.length - 1; k >= 0; k--) {
      const { effect, occurredAt } = effects[k]!;
      const subject = capSubjectOf(effect);
      if (subject === null) continue;
      const key = `${subject.kind}\u0000${subject.id}`;
      if (refreshed.has(key)) continue;
      refreshed.add(key);
      for (const id of capsMovedBy(state, effect)) {
        if (rows.has(id)) continue;
        const s = state.account(id)!;
        rows.set(id, { used: s.usedTpp, mask: s.disarmedMask, lastSeq: null, lastOccurredAt: null, atMs: Date.parse(occurredAt) });
      }
    }
    if (rows.size === 0) return;
    const ids: string[] = [];
    const kinds: string[] = [];
    const countries: Array<string | null> = [];
    const veus: Array<string | null> = [];
    const used: string[] = [];
    const caps: Array<string | null> = [];
    const utils: Array<number | null> = [];
    const masks: number[] = [];
    const lastSeqs: Array<string | null> = [];
    const lastOccurred: Array<string | null> = [];
    for (const [id, row] of rows) {
      const cols = accountColumns(id);
      const view = accountView(this.pack, state, id, row.atMs);
      ids.push(id);
      kinds.push(cols.kind);
      countries.push(cols.country);
      veus.push(cols.veuId);
      used.push(row.used.toString());
      caps.push(view.capTpp === null ? null : view.capTpp.toString());
      utils.push(view.utilization);
      masks.push(row.mask);
      lastSeqs.push(row.lastSeq === null ? null : row.lastSeq.toString());
      lastOccurred.push(row.lastOccurredAt);
    }
    await qr.query(
      `INSERT INTO accounts (id, kind, country, veu_id, used_tpp, cap_tpp, utilization, disarmed_mask, last_seq, last_occurred_at, updated_at)
       SELECT u.id, u.kind, u.country, u.veu_id, u.used_tpp, u.cap_tpp, u.utilization, u.disarmed_mask, u.last_seq, u.last_occurred_at, now()
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::numeric[], $6::numeric[], $7::float8[], $8::int[],
                     $9::bigint[], $10::timestamptz[])
           AS u(id, kind, country, veu_id, used_tpp, cap_tpp, utilization, disarmed_mask, last_seq, last_occurred_at)
       ON CONFLICT (id) DO UPDATE SET
         used_tpp = EXCLUDED.used_tpp,
         cap_tpp = EXCLUDED.cap_tpp,
         utilization = EXCLUDED.utilization,
         disarmed_mask = EXCLUDED.disarmed_mask,
         last_seq = COALESCE(EXCLUDED.last_seq, accounts.last_seq),
         last_occurred_at = COALESCE(EXCLUDED.last_occurred_at, accounts.last_occurred_at),
         updated_at = now()`,
      [ids, kinds, countries, veus, used, caps, utils, masks, lastSeqs, lastOccurred],
    );
  }

  private async writeAlerts(qr: QueryRunner, alerts: ComplianceAlertV1[]): Promise<void> {
    if (alerts.length === 0) return;
    // ORDER BY ord: the outbox seq (bigserial) must follow the order in which the alerts were raised.
    await qr.query(
      `INSERT INTO alerts (alert_id, account_id, kind, severity, threshold, payload, occurred_at)
       SELECT u.alert_id, u.account_id, u.kind, u.severity, u.threshold, u.payload::jsonb, u.occurred_at
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::text[], $7::timestamptz[])
           WITH ORDINALITY AS u(alert_id, account_id, kind, severity, threshold, payload, occurred_at, ord)
        ORDER BY u.ord`,
      [
        alerts.map((a) => a.alertId),
        alerts.map((a) => a.account),
        alerts.map((a) => a.kind),
        alerts.map((a) => a.severity),
        alerts.map((a) => a.threshold),
        alerts.map((a) => stringifyJson(a)),
        alerts.map((a) => a.at),
      ],
    );
    // Delivered at COMMIT, and only if the batch commits.
    await qr.query(`SELECT pg_notify($1, $2)`, [ALERTS_CHANNEL, String(alerts.length)]);
  }

  private async writeEffects(
    qr: QueryRunner,
    state: MemoryLedgerState,
    effects: Array<{ effect: StateEffect; recordedSeq: bigint; occurredAt: string }>,
  ): Promise<void> {
    if (effects.length === 0) return;
    // Only the final value of each key matters to the tables; the state already holds it.
    const veuSeq = new Map<string, bigint>();
    const g2g = new Map<string, string>();
    const installed = new Map<string, { veuId: string; dataCenterId: string; country: string }>();
    for (const { effect, recordedSeq, occurredAt } of effects) {
      switch (effect.kind) {
        case 'veu-granted':
          veuSeq.set(effect.grant.id, recordedSeq);
          break;
        case 'veu-revoked':
          veuSeq.set(effect.veuId, recordedSeq);
          break;
        case 'g2g-arranged':
          if (!g2g.has(effect.country)) g2g.set(effect.country, occurredAt);
          break;
        case 'installed-set':
          installed.set(`${effect.veuId}\u0000${effect.dataCenterId}\u0000${effect.country}`, effect);
          break;
      }
    }
    await writePublisherKeys((sql, params) => qr.query(sql, params), effects);
    const grants = [...veuSeq].flatMap(([id, s]) => {
      const g = state.veu(id);
      return g === undefined ? [] : [{ g, s }];
    });
    if (grants.length > 0) {
      await qr.query(
        `INSERT INTO veu_grants (id, kind, headquarters, country, active, updated_seq, reporters)
         SELECT u.id, u.kind, u.headquarters, u.country, u.active, u.updated_seq, ARRAY(SELECT json_array_elements_text(u.reporters))
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bool[], $6::bigint[], $7::json[])
             AS u(id, kind, headquarters, country, active, updated_seq, reporters)
         ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, headquarters = EXCLUDED.headquarters,
           country = EXCLUDED.country, active = EXCLUDED.active, updated_seq = EXCLUDED.updated_seq, reporters = EXCLUDED.reporters`,
        [
          grants.map((x) => x.g.id),
          grants.map((x) => x.g.kind),
          grants.map((x) => x.g.headquarters),
          grants.map((x) => x.g.country),
          grants.map((x) => x.g.active),
          grants.map((x) => x.s.toString()),
          grants.map((x) => JSON.stringify(x.g.reporters)),
        ],
      );
    }
    if (g2g.size > 0) {
      await qr.query(
        `INSERT INTO g2g_arrangements (country, arranged_at)
         SELECT * FROM unnest($1::text[], $2::timestamptz[]) ON CONFLICT (country) DO NOTHING`,
        [[...g2g.keys()], [...g2g.values()]],
      );
    }
    if (installed.size > 0) {
      const dcs = [...installed.values()];
      await qr.query(
        `INSERT INTO dc_installed (veu_id, data_center_id, country, installed_tpp)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[])
         ON CONFLICT (veu_id, data_center_id, country) DO UPDATE SET installed_tpp = EXCLUDED.installed_tpp`,
        [
          dcs.map((d) => d.veuId),
          dcs.map((d) => d.dataCenterId),
          dcs.map((d) => d.country),
          dcs.map((d) => state.installed(d.veuId, d.dataCenterId, d.country).toString()),
        ],
      );
    }
  }

  private async writeOffsets(qr: QueryRunner, next: ReadonlyMap<string, bigint>): Promise<void> {
    if (next.size === 0) return;
    const rows = [...next].map(([k, offset]) => {
      const [topic, partition] = k.split('\u0000');
      return { topic: topic!, partition: Number(partition), offset };
    });
    await qr.query(
      `INSERT INTO consumer_offsets (group_id, topic, partition, next_offset, updated_at)
       SELECT $1, u.topic, u.partition, u.next_offset, now() FROM unnest($2::text[], $3::int[], $4::bigint[]) AS u(topic, partition, next_offset)
       ON CONFLICT (group_id, topic, partition) DO UPDATE
         SET next_offset = GREATEST(consumer_offsets.next_offset, EXCLUDED.next_offset), updated_at = now()`,
      [this.options.groupId, rows.map((x) => x.topic), rows.map((x) => x.partition), rows.map((x) => x.offset.toString())],
    );
  }
}
