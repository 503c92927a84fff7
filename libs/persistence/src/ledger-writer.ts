import type { DataSource, QueryRunner } from 'typeorm';
import type { BatchResult, RecordResult } from '@app/contracts';
import { SIGNATURES_OPTIONAL, type DecodedEvent, type DecodeResult, type MemoryLedgerState, type PolicyPack } from '@app/policy';
import { loadLedgerState } from './ledger-state.loader';
import { writeAccounts } from './writer/account-rows';
import { writeAlerts } from './writer/alert-rows';
import { BatchJudgement, decodeRecords } from './writer/batch-judgement';
import type { BatchHooks, Head, LedgerWriterOptions, SourceRecord } from './writer/batch-types';
import { loadOffsets, markSkipped, nextOffsets, writeOffsets } from './writer/consumer-offsets';
import { ChunkedCopy } from './writer/copy-encoding';
import { writeEffects } from './writer/effect-rows';
import { lockHead, writeHead } from './writer/ledger-head';
import { giveUp, newFlight, PipelineBroken, takeOver, type Flight } from './writer/pipeline';
import { LedgerTree, type TreeAppend } from './merkle/ledger-tree';

export type { BatchResult, RecordResult } from '@app/contracts';
export type { BatchHooks, LedgerWriterOptions, SourceRecord } from './writer/batch-types';
export { copyText, ENTRIES_COPY, entriesCopyData, INBOX_COPY, inboxCopyData } from './writer/copy-encoding';
export { ALERTS_CHANNEL } from './writer/alert-rows';

// The writer's parts, in the order a batch meets them (all under ./writer):
//   consumer-offsets  the stored offsets: records an earlier batch applied are skipped
//   batch-judgement   decode, then judge record by record into chained entries and inbox rows
//   pipeline          judging batch N+1 from batch N's outcome while N is still being written
//   copy-encoding     the inbox rows and entries, chunk by chunk, into COPY
//   account-rows, alert-rows, effect-rows, ledger-head   the closing statements before COMMIT

const NO_FORCED_REJECTIONS: ReadonlyMap<number, string> = new Map();
const NOT_WATCHED = (): void => undefined;

// Events judged before their rows are handed to Postgres (see judgeRecords).
const WRITE_CHUNK_EVENTS_MAX = 1000;
const YIELD_EVERY_EVENTS = 50;

// SQLSTATE class 22 (data exception) and 54 (program limit exceeded): the values cannot be stored, and
// retrying will not change that. Everything else (connection lost, serialization, ...) is transient.
function isDataError(err: unknown): boolean {
  const e = err as { code?: unknown; driverError?: { code?: unknown } };
  const code = typeof e?.code === 'string' ? e.code : typeof e?.driverError?.code === 'string' ? e.driverError.code : '';
  return code.startsWith('22') || code.startsWith('54');
}

// The one-record results of an isolated batch, put back together as one batch's.
function joinResults(parts: readonly BatchResult[]): BatchResult {
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

// Judges batches of raw events and appends their outcome to Postgres, one transaction per batch.
export class LedgerWriter {
  // The latest batch handed to processBatch, until it ends.
  private lastFlight: Flight | null = null;
  // The RFC 9162 tree over the entries, appended in the batch transaction (see merkle/ledger-tree.ts).
  private readonly tree: LedgerTree;

  constructor(
    private readonly dataSource: DataSource,
    private readonly pack: PolicyPack,
    private readonly options: LedgerWriterOptions,
  ) {
    this.tree = new LedgerTree(options.checkpoints ?? null);
  }

  // Batches may be handed over before the previous one has ended; each one is judged as if after the previous one.
  // While batch N writes its last rows and commits, batch N+1 is loaded on its own connection and judged from N's
  // final state (its outcome is carried over in memory, since Postgres shows it only once N commits). N+1 writes
  // nothing until N has committed and N+1 holds the head lock, and then only if the head is still the one N left: if
  // N failed or another writer came in between, N+1 is judged again from Postgres under the lock. So the ledger is
  // what one-at-a-time processing would make of the same batches, and the process judges one batch while Postgres
  // stores the other.
  async processBatch<R extends SourceRecord>(records: readonly R[], hooks: BatchHooks<R> = {}): Promise<BatchResult> {
    const before = this.lastFlight;
    const flight = newFlight();
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
  private async isolatePoison<R extends SourceRecord>(records: readonly R[], hooks: BatchHooks<R>): Promise<BatchResult> {
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
    return joinResults(parts);
  }

  // One transaction. `flight`: the batch's place in the writer's order, told what this transaction does (null for
  // the one-record transactions that isolate a poison record). `before`: the batch still at work before this one,
  // to judge this one from (see processBatch); null to judge from Postgres under the lock.
  private async runTransaction<R extends SourceRecord>(
    records: readonly R[],
    hooks: BatchHooks<R>,
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
      // The tree may hold entries that will not be committed: the next batch reads its edge again.
      this.tree.reset();
      if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
      throw err;
    } finally {
      hooks.waitingForDatabase?.(false);
      await qr.release();
    }
  }

  private async judgeAndWrite(
    qr: QueryRunner,
    records: readonly SourceRecord[],
    forced: ReadonlyMap<number, string>,
    waiting: (waiting: boolean) => void,
    flight: Flight | null,
    before: Flight | null,
  ): Promise<BatchResult> {
    // The head this batch starts from: read under the lock now, or the one `before` leaves.
    let head: Head | null = null;
    if (before === null) {
      head = await lockHead(qr);
      await this.tree.syncTo(qr, head.seq);
      flight?.locked.set();
    }
    const stored = await loadOffsets(qr, this.options.groupId, records);
    const results: RecordResult[] = new Array(records.length);
    markSkipped(records, results, stored);
    const { decoded, needs } = decodeRecords(this.pack, records, results, forced);

    // The batch's own events are marked seen by their index here; the digest is computed only if a key comes back.
    waiting(true);
    const state = await loadLedgerState((sql, params) => qr.query(sql, params), needs, (i) => decoded[i] as DecodedEvent);
    let gate: Promise<void> = Promise.resolve();
    let broken = (): boolean => false;
    if (before !== null) {
      const taken = await takeOver(before, flight, state, records, results, () => lockHead(qr));
      ({ head, gate, broken } = taken);
      if (!this.tree.isAt(head!.seq)) throw new PipelineBroken('the Merkle tree is not where the batch before left it');
    }
    waiting(false);

    const batch = new BatchJudgement(this.pack, state, head!, this.options.authenticity ?? SIGNATURES_OPTIONAL, results);
    const copy = new ChunkedCopy(qr, gate);
    const entryHashes: string[] = [];
    await this.judgeRecords(batch, copy, records, decoded, broken, entryHashes);
    const hashStartedMs = performance.now();
    const appended = this.tree.append(entryHashes);
    const hashMs = performance.now() - hashStartedMs;
    waiting(true);
    await gate;
    // Judged, under the lock: the next batch may go on from here.
    const offsets = nextOffsets(records);
    flight?.carry.set({ head: batch.head(), state, offsets });
    await copy.written;
    const storeMs = await this.writeClosing(qr, state, batch, offsets, appended);
    waiting(false);
    const result = batch.result(before !== null);
    if (batch.entryCount > 0) result.merkleMs = { hash: hashMs, store: storeMs };
    return result;
  }

  // Judges the records in order, handing each chunk of rows to `copy` as soon as it is judged; stops early once the
  // pipelining gate has failed (the batch is judged again).
  private async judgeRecords(
    batch: BatchJudgement,
    copy: ChunkedCopy,
    records: readonly SourceRecord[],
    decoded: ReadonlyArray<DecodeResult | null>,
    broken: () => boolean,
    entryHashes: string[],
  ): Promise<void> {
    for (let i = 0; i < records.length; i++) {
      if (broken()) break;
      if (batch.results[i] !== undefined) {
        batch.skipped++;
        continue;
      }
      if (batch.inboxRows.length >= WRITE_CHUNK_EVENTS_MAX) this.send(copy, batch, entryHashes);
      // Let the connection take in what Postgres answered and send what is queued: each COPY takes a few
      // exchanges, and Postgres would wait for this loop between them.
      if (i % YIELD_EVERY_EVENTS === 0 && i > 0) await new Promise((resolve) => setImmediate(resolve));
      batch.judgeRecord(i, records[i]!, decoded[i]!);
    }
    this.send(copy, batch, entryHashes);
  }

  private send(copy: ChunkedCopy, batch: BatchJudgement, entryHashes: string[]): void {
    const chunk = batch.takeChunk();
    for (const e of chunk.entries) entryHashes.push(e.hash);
    copy.send(chunk.inboxRows, chunk.entries);
  }

  // The statements that close a batch once its entries are written: account rows, alerts, standing facts, consumer
  // offsets, the Merkle tree's new nodes (and a checkpoint when one is due), and the head. Returns the milliseconds
  // the tree's statements took.
  private async writeClosing(
    qr: QueryRunner,
    state: MemoryLedgerState,
    batch: BatchJudgement,
    offsets: ReadonlyMap<string, bigint>,
    appended: TreeAppend,
  ): Promise<number> {
    await writeAccounts(qr, this.pack, state, batch.touched, batch.effects);
    await writeAlerts(qr, batch.alerts);
    await writeEffects(qr, state, batch.effects);
    await writeOffsets(qr, this.options.groupId, offsets);
    const treeStartedMs = performance.now();
    if (batch.entryCount > 0) await this.tree.write(qr, appended, batch.head());
    const treeMs = performance.now() - treeStartedMs;
    await batch.clocks.write(qr);
    if (batch.entryCount > 0 || batch.recorded > 0) await writeHead(qr, batch.head());
    return treeMs;
  }
}
