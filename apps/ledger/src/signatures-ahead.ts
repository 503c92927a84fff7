// The ledger's side of verifying ahead: which public key each decoded event's signature should be tried with, and
// the verifications in flight per record, so that the batch waits for them before it is judged.
import type { ConsumedRecord } from '@app/messaging';
import { candidateKey, MemoryLedgerState, type Authenticity, type DecodedEvent, type DecodeResult } from '@app/policy';
import type { SignatureVerifierPool } from './signature-verifier.pool';

// How often the keys registered meanwhile (by another ledger instance, which consumes the policy topic) are read.
export const KEYS_REFRESH_INTERVAL_MS = 5_000;

export class SignaturesAhead {
  // Every key id ever registered, as far as this process knows, with its public key: a key id names one key
  // forever, so a verdict made with it stays right; whether the key is in force at the event is the judge's check.
  private readonly known = new MemoryLedgerState();
  private readonly inFlight = new WeakMap<ConsumedRecord, Promise<void>>();

  constructor(
    private readonly authenticity: Authenticity,
    private readonly pool: SignatureVerifierPool,
    private readonly onFailure: (err: unknown) => void,
  ) {}

  learnKeys(keys: ReadonlyArray<{ keyId: string; publicKey: string }>): void {
    for (const k of keys) if (this.known.publisherKey(k.keyId) === undefined) this.known.setPublisherKey({ ...k, revoked: false });
  }

  // Starts verifying the signatures of `records` (already decoded into r.prepared).
  start(records: readonly ConsumedRecord[]): void {
    const items: Array<{ decoded: DecodedEvent; publicKey: string }> = [];
    const owners: ConsumedRecord[] = [];
    for (const r of records) {
      const d = r.prepared as DecodeResult | undefined;
      if (d === undefined || !d.ok) continue;
      // A registration's key may sign the events right after it, in this very batch.
      if (d.event.type === 'policy.publisher-key-registered') this.learnKeys([d.event.key]);
      const signature = d.event.signature;
      if (signature === undefined) continue;
      const publicKey = candidateKey(this.authenticity, this.known, signature.keyId);
      if (publicKey === undefined) continue;
      items.push({ decoded: d, publicKey });
      owners.push(r);
    }
    if (items.length === 0) return;
    const done = this.pool.preverify(items).catch((err) => this.onFailure(err));
    for (const r of owners) this.inFlight.set(r, done);
  }

  // Resolves when every verification started for `records` has its verdict (or failed: the judge then verifies).
  async settled(records: readonly ConsumedRecord[]): Promise<void> {
    const waits = new Set<Promise<void>>();
    for (const r of records) {
      const p = this.inFlight.get(r);
      if (p !== undefined) waits.add(p);
    }
    await Promise.all(waits);
  }
}
