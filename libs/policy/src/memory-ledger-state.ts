// The ledger state held in memory: all of it for the offline replay, the part a batch needs for the service.
import type { DecodedEvent } from './decode-event';
import type { AccountState, LedgerReadState, LicenceRecord, PublisherKeyRecord, VeuGrant } from './ledger-state';

// A VEU's installed:ID:CC balances by country, and the same countries in ascending order (a UVEU's deployments
// read them in order each time, so they are kept sorted as they are added).
interface InstalledBase {
  byCountry: Map<string, bigint>;
  countries: string[];
}
const NO_INSTALLED: InstalledBase = { byCountry: new Map(), countries: [] };

export class MemoryLedgerState implements LedgerReadState {
  private readonly accountsById = new Map<string, AccountState>();
  private readonly installedByDc = new Map<string, bigint>();
  private readonly installedByVeu = new Map<string, InstalledBase>();
  private readonly veus = new Map<string, VeuGrant>();
  private readonly g2g = new Set<string>();
  private readonly licencesById = new Map<string, LicenceRecord>();
  private readonly publisherKeys = new Map<string, PublisherKeyRecord>();
  // publisher -> eventId -> payload digest (nested, so that no key string is built per lookup).
  private readonly seenDigests = new Map<string, Map<string, string>>();
  // Keys recorded by reference instead (see eventOfRef), in a table of key hashes.
  private readonly seenRefs: RefTable | null;
  private readonly keyHasher = new KeyHasher();
  // The state of the batch just before this one, whose events Postgres may not show yet (see adopt).
  private earlier: MemoryLedgerState | null = null;

  // eventOfRef lets a caller record a key with a number (the offline replay: where the line is in its file; the
  // writer: the event's place in its batch) that it can turn back into the decoded event. Such keys cost 16-32
  // bytes each, and the digest is computed only if the key comes again. `expectedRefs`, when the caller can
  // estimate it, sizes the table for that many keys at once (it still grows past them).
  constructor(
    private readonly eventOfRef?: (ref: number) => DecodedEvent,
    expectedRefs = 0,
  ) {
    this.seenRefs = eventOfRef === undefined ? null : new RefTable(expectedRefs);
  }

  account(id: string): AccountState | undefined {
    return this.accountsById.get(id);
  }

  installed(veuId: string, dataCenterId: string, country: string): bigint {
    return this.installedByDc.get(`${veuId}\u0000${dataCenterId}\u0000${country}`) ?? 0n;
  }

  installedByCountry(veuId: string): ReadonlyMap<string, bigint> {
    return (this.installedByVeu.get(veuId) ?? NO_INSTALLED).byCountry;
  }

  installedCountries(veuId: string): readonly string[] {
    return (this.installedByVeu.get(veuId) ?? NO_INSTALLED).countries;
  }

  veu(id: string): VeuGrant | undefined {
    return this.veus.get(id);
  }

  hasG2g(country: string): boolean {
    return this.g2g.has(country);
  }

  licence(id: string): LicenceRecord | undefined {
    return this.licencesById.get(id);
  }

  publisherKey(keyId: string): PublisherKeyRecord | undefined {
    return this.publisherKeys.get(keyId);
  }

  seen(publisher: string, eventId: string): string | undefined {
    const digest = this.seenOwn(publisher, eventId);
    return digest !== undefined || this.earlier === null ? digest : this.earlier.seenOwn(publisher, eventId);
  }

  private seenOwn(publisher: string, eventId: string): string | undefined {
    const digest = this.seenDigests.get(publisher)?.get(eventId);
    if (digest !== undefined || this.seenRefs === null || this.seenRefs.size === 0) return digest;
    // A hash match is confirmed against the event itself: two keys may share a hash, never a record.
    const key = this.keyHasher.of(publisher, eventId);
    this.wanted = key;
    this.match = undefined;
    this.seenRefs.find(key.h1, key.h2, this.isWanted);
    const match = this.match as DecodedEvent | undefined;
    this.match = undefined;
    return match?.digest();
  }

  // seenOwn's test of a candidate reference, made once per state rather than a closure per lookup.
  private wanted: KeyHasher | null = null;
  private match: DecodedEvent | undefined = undefined;
  private readonly isWanted = (ref: number): boolean => {
    const candidate = this.eventOfRef!(ref);
    if (candidate.event.publisher !== this.wanted!.publisher || candidate.event.eventId !== this.wanted!.eventId) return false;
    this.match = candidate;
    return true;
  };

  setAccount(id: string, state: AccountState): void {
    this.accountsById.set(id, state);
    // installed:ID:CC accounts also feed the per-VEU view that the UVEU ratio accounts are computed from.
    if (id.startsWith('installed:')) {
      const [, veuId, country] = id.split(':');
      let base = this.installedByVeu.get(veuId!);
      if (base === undefined) this.installedByVeu.set(veuId!, (base = { byCountry: new Map(), countries: [] }));
      if (!base.byCountry.has(country!)) insertSorted(base.countries, country!);
      base.byCountry.set(country!, state.usedTpp);
    }
  }

  setInstalled(veuId: string, dataCenterId: string, country: string, tpp: bigint): void {
    this.installedByDc.set(`${veuId}\u0000${dataCenterId}\u0000${country}`, tpp);
  }

  setVeu(grant: VeuGrant): void {
    this.veus.set(grant.id, grant);
  }

  setG2g(country: string): void {
    this.g2g.add(country);
  }

  setLicence(licence: LicenceRecord): void {
    this.licencesById.set(licence.id, licence);
  }

  setPublisherKey(record: PublisherKeyRecord): void {
    this.publisherKeys.set(record.keyId, record);
  }

  markSeen(publisher: string, eventId: string, digest: string | number): void {
    if (typeof digest === 'number') {
      if (this.seenRefs === null) throw new Error('invariant: a key recorded by reference needs eventOfRef');
      const key = this.keyHasher.of(publisher, eventId);
      this.seenRefs.insert(key.h1, key.h2, digest);
      return;
    }
    let byId = this.seenDigests.get(publisher);
    if (byId === undefined) this.seenDigests.set(publisher, (byId = new Map()));
    byId.set(eventId, digest);
  }

  // Takes over the final state of `earlier`, the batch judged just before this one, whose transaction may not have
  // committed when this one loaded its state from Postgres: its accounts, installed bases, grants and arrangements
  // replace the loaded ones, and the keys it recorded count as seen. Only its own keys: what came before it was
  // committed before this state was loaded (the writer loads it only once `earlier` holds the ledger's lock), so
  // its link to the batch before it is dropped, and a chain of batches never holds more than two states.
  // `earlier` must be done judging; its values are shared, not copied (the state replaces them, never mutates).
  adopt(earlier: MemoryLedgerState): void {
    for (const [id, s] of earlier.accountsById) this.setAccount(id, s);
    for (const [k, tpp] of earlier.installedByDc) this.installedByDc.set(k, tpp);
    for (const [id, g] of earlier.veus) this.veus.set(id, g);
    for (const c of earlier.g2g) this.g2g.add(c);
    for (const [id, l] of earlier.licencesById) this.licencesById.set(id, l);
    for (const [id, k] of earlier.publisherKeys) this.publisherKeys.set(id, k);
    earlier.earlier = null;
    this.earlier = earlier;
  }

  accountIds(): string[] {
    return [...this.accountsById.keys()];
  }

  veuGrants(): VeuGrant[] {
    return [...this.veus.values()];
  }

  g2gCountries(): string[] {
    return [...this.g2g];
  }

  licences(): LicenceRecord[] {
    return [...this.licencesById.values()];
  }

  publisherKeyRecords(): PublisherKeyRecord[] {
    return [...this.publisherKeys.values()];
  }
}

// Inserts `value` into an ascending array at its place (code-unit order, as Array.prototype.sort() orders strings).
function insertSorted(sorted: string[], value: string): void {
  let i = sorted.length;
  sorted.push(value);
  while (i > 0 && sorted[i - 1]! > value) {
    sorted[i] = sorted[i - 1]!;
    i--;
  }
  sorted[i] = value;
}

// Two 32-bit hashes of (publisher, eventId), seeded with the publisher's length so that ("ab", "c") and ("a", "bc")
// hash apart, each finished with murmur3's avalanche. h1 places the key in the table (RefTable), h2 covers the
// whole key. h1 leaves out the eventId's last character and puts its low 4 bits in its own low 4 bits: keys that
// differ only in their last character (nv-0000120 ... nv-0000129, as producers number their events) take
// neighbouring slots, so a feed's next keys are probed in a cache line just touched instead of one cache miss
// each in a table of tens of MB (that miss was 8% of the replay). The last key's hashes are kept: the judge asks
// seen() and then markSeen() for the same key.
class KeyHasher {
  h1 = 0;
  h2 = 0;
  publisher: string | null = null;
  eventId: string | null = null;

  of(publisher: string, eventId: string): this {
    if (publisher === this.publisher && eventId === this.eventId) return this;
    let a = 0x811c9dc5 ^ publisher.length;
    let b = 0x9747b28c ^ publisher.length;
    for (let i = 0; i < publisher.length; i++) {
      const c = publisher.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 13);
    }
    const last = eventId.length - 1;
    for (let i = 0; i < last; i++) {
      const c = eventId.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 13);
    }
    const c = last >= 0 ? eventId.charCodeAt(last) : 0;
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 13);
    this.h1 = (avalanche(a ^ eventId.length) & ~15) | (c & 15);
    this.h2 = avalanche(b ^ eventId.length);
    this.publisher = publisher;
    this.eventId = eventId;
    return this;
  }
}

function avalanche(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

// Open addressing with linear probing. A slot is 16 bytes in one buffer, so that a probe touches one cache line
// (the table outgrows the caches at a few hundred thousand keys): two 32-bit key hashes, then the reference plus
// one as a float64 (0: empty, so a new buffer needs no filling). The table doubles at half full; sized up front
// for the keys a caller expects, it is spared the doublings, each of which moves every key to a new buffer.
// Nothing here decides that two keys are equal: find() hands every reference whose hashes both match to `isKey`,
// which compares the keys themselves.
export class RefTable {
  private mask: number;
  private hashes: Int32Array; // slot i: [4i] h1, [4i + 1] h2
  private refs: Float64Array; // slot i: [2i + 1] reference + 1
  size = 0;

  constructor(expectedKeys = 0) {
    let capacity = 1024;
    // At most 2^24 slots (256 MiB) up front, whatever the estimate.
    while (capacity < 2 ** 24 && capacity < 2 * expectedKeys) capacity *= 2;
    this.mask = capacity - 1;
    this.hashes = new Int32Array(4 * capacity);
    this.refs = new Float64Array(this.hashes.buffer);
  }

  find(a: number, b: number, isKey: (ref: number) => boolean): number | undefined {
    for (let i = a & this.mask; ; i = (i + 1) & this.mask) {
      const stored = this.refs[2 * i + 1]!;
      if (stored === 0) return undefined;
      if (this.hashes[4 * i] === a && this.hashes[4 * i + 1] === b && isKey(stored - 1)) return stored - 1;
    }
  }

  insert(a: number, b: number, ref: number): void {
    // References are non-negative integers (file offsets, batch indexes) that stay exact plus one.
    if (!(Number.isSafeInteger(ref + 1) && ref >= 0)) throw new Error(`invariant: an idempotency reference is a non-negative integer (got ${ref})`);
    if ((this.size + 1) * 2 > this.mask + 1) this.grow();
    this.place(a, b, ref + 1);
    this.size++;
  }

  private place(a: number, b: number, stored: number): void {
    let i = a & this.mask;
    while (this.refs[2 * i + 1] !== 0) i = (i + 1) & this.mask;
    this.hashes[4 * i] = a;
    this.hashes[4 * i + 1] = b;
    this.refs[2 * i + 1] = stored;
  }

  private grow(): void {
    const { hashes, refs } = this;
    const capacity = (this.mask + 1) * 2;
    this.mask = capacity - 1;
    this.hashes = new Int32Array(4 * capacity);
    this.refs = new Float64Array(this.hashes.buffer);
    for (let i = 0; 2 * i + 1 < refs.length; i++) {
      const stored = refs[2 * i + 1]!;
      if (stored !== 0) this.place(hashes[4 * i]!, hashes[4 * i + 1]!, stored);
    }
  }
}
