import type { RecordResult } from '@app/contracts';
import type { MemoryLedgerState } from '@app/policy';
import type { Head, SourceRecord } from './batch-types';
import { markSkipped } from './consumer-offsets';

// How the writer judges batch N+1 while batch N is still being written (see LedgerWriter.processBatch): each batch
// in flight publishes, once each, that it holds the head lock, what it judged, and whether it committed; the next
// batch goes on from that judgement and checks, under the lock, that nothing came in between.

// A value that is set once, later; the first set wins.
export class Later<T> {
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

// What a batch leaves to the next one once it is judged: the ledger's head after it and its final state.
export interface Carry {
  head: Head;
  state: MemoryLedgerState;
  // The consumer offsets it stores: topic\u0000partition -> next offset.
  offsets: Map<string, bigint>;
}

// A batch the writer is working on, as the next batch sees it. Each value is set once; when the batch ends, any not
// set yet is set to its "nothing to go on" value (locked, no carry, not committed).
export interface Flight {
  // Its transaction holds the ledger's head lock, or the batch has ended.
  locked: Later<void>;
  // Its judgement, once made under the lock (null: the batch ended without one).
  carry: Later<Carry | null>;
  // Whether the transaction that made that judgement committed.
  committed: Later<boolean>;
  ended: boolean;
}

export function newFlight(): Flight {
  return { locked: new Later(), carry: new Later(), committed: new Later(), ended: false };
}

// Tells the next batch that this one leaves nothing to go on from (each value keeps its first setting).
export function giveUp(flight: Flight): void {
  flight.locked.set();
  flight.carry.set(null);
  flight.committed.set(false);
}

// The batch before could not be taken over: this one is judged again the usual way, under the lock.
export class PipelineBroken extends Error {}

// A batch judged after `before`, from its carry.
export interface TakeOver {
  // The head `before` leaves, which this batch starts from.
  head: Head;
  // Settles once `before` committed and this transaction holds the lock with that head; fails with PipelineBroken
  // otherwise. Nothing may be written before it settles.
  gate: Promise<void>;
  // Whether the gate has failed already (the judging can stop early).
  broken(): boolean;
}

// Judges this batch after `before`: its outcome replaces what Postgres showed of it in `state`, and nothing is
// written until `before` has committed and this transaction holds the lock with the head `before` left.
export async function takeOver(
  before: Flight,
  flight: Flight | null,
  state: MemoryLedgerState,
  records: readonly SourceRecord[],
  results: RecordResult[],
  lockHead: () => Promise<Head>,
): Promise<TakeOver> {
  const carry = await before.carry.promise;
  if (carry === null) throw new PipelineBroken('the batch before ended without a judgement to go on from');
  state.adopt(carry.state);
  const expected = carry.head;
  // What `before` stores for a partition, Postgres may not show yet.
  markSkipped(records, results, carry.offsets);
  let broken = false;
  const gate = (async () => {
    if (!(await before.committed.promise)) throw new PipelineBroken('the batch before did not commit');
    const now = await lockHead();
    if (now.seq !== expected.seq || now.eventSeq !== expected.eventSeq || now.hash !== expected.hash) {
      throw new PipelineBroken('another writer committed between the batch before and this one');
    }
    flight?.locked.set();
  })();
  gate.catch(() => (broken = true));
  return { head: carry.head, gate, broken: () => broken };
}
