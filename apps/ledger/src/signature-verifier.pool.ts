// Ed25519 verification off the judging thread (about 100 us of a core per event): a pool of worker threads, one per
// core the machine gives the process (os.availableParallelism()), verifies each batch's signatures while the ledger
// waits for Postgres, before the batch is judged. The judgement only reads the verdicts, in order
// (DecodedEvent.preverify); an event whose key the pool could not know yet (registered in the same batch, or by
// another ledger instance since the last refresh) is verified by the judge itself.
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { VerifyBatch } from '@app/policy/signatures/verify-batch';
import type { DecodedEvent } from '@app/policy';

// Verifications per message to a worker: enough to make the message's cost small next to the work (~25 ms).
const VERIFICATIONS_PER_MESSAGE_MAX = 256;

interface WorkerSlot {
  worker: Worker;
  queued: number;
}

export class SignatureVerifierPool {
  private readonly slots: WorkerSlot[];
  private readonly waiting = new Map<number, { resolve: (v: Uint8Array) => void; reject: (e: unknown) => void; slot: WorkerSlot; size: number }>();
  private nextId = 0;
  private closed = false;

  constructor(readonly size: number = os.availableParallelism()) {
    const script = path.join(__dirname, 'signature-verifier.worker.js');
    this.slots = Array.from({ length: Math.max(1, size) }, () => {
      const slot: WorkerSlot = { worker: new Worker(script), queued: 0 };
      slot.worker.on('message', (m: { id: number; verdicts: Uint8Array }) => this.answered(m.id, m.verdicts));
      slot.worker.on('error', (err) => this.failAll(err));
      slot.worker.unref();
      return slot;
    });
  }

  // Verifies `events` (each with the public key its signature's key id names) and gives each its verdict. Resolves
  // once all are given; rejects if a worker failed (the events without a verdict are then verified by the judge).
  async preverify(items: ReadonlyArray<{ decoded: DecodedEvent; publicKey: string }>): Promise<void> {
    const work: Array<Promise<void>> = [];
    for (let at = 0; at < items.length; at += VERIFICATIONS_PER_MESSAGE_MAX) {
      const chunk = items.slice(at, at + VERIFICATIONS_PER_MESSAGE_MAX);
      const batch: VerifyBatch = {
        texts: chunk.map((x) => x.decoded.unsignedText()),
        signatures: chunk.map((x) => x.decoded.event.signature!.value),
        publicKeys: chunk.map((x) => x.publicKey),
      };
      work.push(this.send(batch).then((verdicts) => chunk.forEach((x, i) => x.decoded.preverify(x.publicKey, verdicts[i] === 1))));
    }
    await Promise.all(work);
  }

  private send(batch: VerifyBatch): Promise<Uint8Array> {
    if (this.closed) return Promise.reject(new Error('the signature verifier pool is closed'));
    // The least loaded worker, so that one slow batch does not hold up the others.
    let slot = this.slots[0]!;
    for (const s of this.slots) if (s.queued < slot.queued) slot = s;
    const id = this.nextId++;
    const size = batch.texts.length;
    // Idle workers do not keep the process alive; a worker with work does, until it answers.
    if (slot.queued === 0) slot.worker.ref();
    slot.queued += size;
    return new Promise<Uint8Array>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, slot, size });
      slot.worker.postMessage({ id, batch });
    });
  }

  private answered(id: number, verdicts: Uint8Array): void {
    const w = this.waiting.get(id);
    if (w === undefined) return;
    this.waiting.delete(id);
    w.slot.queued -= w.size;
    if (w.slot.queued === 0) w.slot.worker.unref();
    w.resolve(verdicts);
  }

  private failAll(err: unknown): void {
    for (const [id, w] of this.waiting) {
      this.waiting.delete(id);
      w.reject(err);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
