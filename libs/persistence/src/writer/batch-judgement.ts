import type { BatchResult, ComplianceAlertV1, RecordResult } from '@app/contracts';
import { applyOutcome, decodeEvent, judge, type Authenticity, type DecodeResult, type MemoryLedgerState, type Movement, type PolicyPack } from '@app/policy';
import { entryHashHex, utcMillisIsoFromMs } from '../entry-hash';
import { BatchClockBook } from '../event-time-buckets';
import { StateNeeds } from '../ledger-state.loader';
import type { Head, InboxRow, PendingEntry, RecordedEffect, SourceRecord, TouchedAccount } from './batch-types';
import { storedCopyDiffers } from './copy-encoding';

type Decoded = Extract<DecodeResult, { ok: true }>;
type Recorded = Extract<ReturnType<typeof judge>, { status: 'recorded' }>;

// Decodes the records not marked yet (skipped) and lists what state judging them needs. `forced`: record index ->
// the message it is rejected with, unread (a record the database cannot store, see LedgerWriter.isolatePoison).
export function decodeRecords(
  pack: PolicyPack,
  records: readonly SourceRecord[],
  results: readonly RecordResult[],
  forced: ReadonlyMap<number, string>,
): { decoded: Array<DecodeResult | null>; needs: StateNeeds } {
  const decoded: Array<DecodeResult | null> = new Array(records.length).fill(null);
  const needs = new StateNeeds();
  for (let i = 0; i < records.length; i++) {
    if (results[i] !== undefined) continue;
    const r = records[i]!;
    const forcedMessage = forced.get(i);
    const d: DecodeResult =
      forcedMessage === undefined
        ? ((r.prepared as DecodeResult | undefined) ?? decodeEvent(pack, r.value, { topic: r.topic, key: r.key }))
        : { ok: false, code: 'MALFORMED', message: forcedMessage, publisher: null, eventId: null };
    decoded[i] = d;
    if (!d.ok) continue;
    needs.add(pack, d.event, d.occurredAtMs);
  }
  return { decoded, needs };
}

// A batch being judged, record by record, from the head it starts at: the entries (hashed in a chain) and inbox
// rows waiting for their COPY, and what the closing statements write (accounts, alerts, effects, head).
export class BatchJudgement {
  seq: bigint;
  prevHash: string;
  eventSeq: bigint;
  entries: PendingEntry[] = [];
  inboxRows: InboxRow[] = [];
  entryCount = 0;
  readonly touched = new Map<string, TouchedAccount>();
  readonly alerts: ComplianceAlertV1[] = [];
  readonly effects: RecordedEffect[] = [];
  recorded = 0;
  duplicates = 0;
  rejected = 0;
  skipped = 0;
  // What the batch adds to the two clocks' tables and the reporting delay (written with the closing statements).
  readonly clocks = new BatchClockBook();

  constructor(
    private readonly pack: PolicyPack,
    private readonly state: MemoryLedgerState,
    head: Head,
    // Signature enforcement and the regulator's trust anchors.
    private readonly authenticity: Authenticity,
    // results[i] belongs to records[i]; set as each is judged.
    readonly results: RecordResult[],
  ) {
    this.seq = head.seq;
    this.prevHash = head.hash;
    this.eventSeq = head.eventSeq;
  }

  head(): Head {
    return { seq: this.seq, hash: this.prevHash, eventSeq: this.eventSeq };
  }

  // The inbox rows and entries judged since the last call, handed over for their COPY.
  takeChunk(): { inboxRows: InboxRow[]; entries: PendingEntry[] } {
    const chunk = { inboxRows: this.inboxRows, entries: this.entries };
    if (this.inboxRows.length > 0 || this.entries.length > 0) {
      this.inboxRows = [];
      this.entries = [];
    }
    return chunk;
  }

  judgeRecord(i: number, r: SourceRecord, d: DecodeResult): void {
    if (!d.ok) {
      this.results[i] = { status: 'rejected', code: d.code, message: d.message, publisher: d.publisher, eventId: d.eventId };
      this.rejected++;
      return;
    }
    let outcome;
    try {
      outcome = judge(this.pack, this.state, d, this.authenticity);
    } catch (err) {
      // judge() is pure, so the state is untouched; a fault in it must not stall the partition behind one
      // record. The record goes to the DLQ as unjudgeable, with the fault in its message.
      this.results[i] = {
        status: 'rejected',
        code: 'MALFORMED',
        message: `the event could not be judged: ${(err as Error).message}`,
        publisher: d.event.publisher,
        eventId: d.event.eventId,
      };
      this.rejected++;
      return;
    }
    if (outcome.status === 'rejected') {
      this.results[i] = outcome;
      this.rejected++;
      return;
    }
    if (outcome.status === 'duplicate') {
      this.results[i] = { status: 'duplicate', publisher: outcome.publisher, eventId: outcome.eventId };
      this.duplicates++;
      return;
    }
    this.record(i, r, d, outcome);
  }

  result(pipelined: boolean): BatchResult {
    return {
      results: this.results,
      recorded: this.recorded,
      duplicates: this.duplicates,
      rejected: this.rejected,
      skipped: this.skipped,
      entries: this.entryCount,
      alerts: this.alerts,
      headSeq: this.seq,
      pipelined,
    };
  }

  private record(i: number, r: SourceRecord, d: Decoded, outcome: Recorded): void {
    applyOutcome(this.state, outcome, i);
    const ev = outcome.event;
    this.eventSeq += 1n;
    this.recorded++;
    // The instant decodeEvent read, in UTC with milliseconds (as utcMillisIso(ev.occurredAt) would write it).
    const occurredAt = utcMillisIsoFromMs(d.occurredAtMs);
    const inboxRow: InboxRow = {
      r,
      publisher: ev.publisher,
      eventId: ev.eventId,
      digest: storedCopyDiffers(r.value!) ? outcome.digest() : null,
      type: ev.type,
      occurredAt,
      recordedSeq: this.eventSeq,
      firstEntrySeq: null,
      entryCount: 0,
    };
    this.inboxRows.push(inboxRow);
    this.clocks.event(ev.publisher, d.occurredAtMs);
    for (const m of outcome.movements) this.addMovement(m, r, outcome, inboxRow, d.occurredAtMs);
    for (const effect of outcome.effects) this.effects.push({ effect, recordedSeq: this.eventSeq, occurredAt });
    for (const a of outcome.alerts) this.alerts.push(a);
    this.results[i] = {
      status: 'recorded',
      publisher: ev.publisher,
      eventId: ev.eventId,
      recordedSeq: this.eventSeq,
      entries: inboxRow.entryCount,
      alerts: outcome.alerts,
    };
  }

  private addMovement(m: Movement, r: SourceRecord, outcome: Recorded, inboxRow: InboxRow, atMs: number): void {
    if (m.usedBeforeTpp + m.deltaTpp !== m.usedAfterTpp) {
      throw new Error(`policy engine fault: movement on ${m.account} does not add up (${m.usedBeforeTpp} + ${m.deltaTpp} != ${m.usedAfterTpp})`);
    }
    const occurredAt = inboxRow.occurredAt;
    // An entry records a change of balance. Movements of 0 (a ratio account whose alert state changed as its
    // cap moved, an uncontrolled shipment) write no entry: the inbox has the event, the alerts table what it
    // raised, and the account row its new cap and threshold state.
    if (m.deltaTpp === 0n) {
      const prev = this.touched.get(m.account);
      this.touched.set(m.account, { movement: m, lastSeq: prev?.lastSeq ?? null, lastOccurredAt: occurredAt, atMs });
      return;
    }
    this.seq += 1n;
    if (inboxRow.entryCount === 0) inboxRow.firstEntrySeq = this.seq;
    inboxRow.entryCount++;
    this.entryCount++;
    const ev = outcome.event;
    const entry: PendingEntry = {
      seq: this.seq,
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
      prevHash: this.prevHash,
      hash: '',
    };
    entry.hash = entryHashHex(this.prevHash, entry);
    this.entries.push(entry);
    this.clocks.entry(this.seq, m.account, atMs, m.deltaTpp);
    this.prevHash = entry.hash;
    this.touched.set(m.account, { movement: m, lastSeq: this.seq, lastOccurredAt: occurredAt, atMs });
  }
}
