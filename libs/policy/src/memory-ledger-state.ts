// The ledger state held in memory: all of it for the offline replay, the part a batch needs for the service.
import type { AccountState, LedgerReadState, VeuGrant } from './ledger-state';

const NO_INSTALLED: ReadonlyMap<string, bigint> = new Map();

export class MemoryLedgerState implements LedgerReadState {
  private readonly accountsById = new Map<string, AccountState>();
  private readonly installedByDc = new Map<string, bigint>();
  private readonly installedByVeu = new Map<string, Map<string, bigint>>();
  private readonly veus = new Map<string, VeuGrant>();
  private readonly g2g = new Set<string>();
  // publisher -> eventId -> payload digest, or a number that digestOfRef turns into it (nested, so that no key
  // string is built per lookup)
  private readonly seenDigests = new Map<string, Map<string, string | number>>();

  // digestOfRef lets a caller keep a number per key (the offline replay: where the line is in its file) instead of
  // a 32-character digest, and compute the digest only when the key comes again.
  constructor(private readonly digestOfRef?: (ref: number) => string) {}

  account(id: string): AccountState | undefined {
    return this.accountsById.get(id);
  }

  installed(veuId: string, dataCenterId: string, country: string): bigint {
    return this.installedByDc.get(`${veuId}\u0000${dataCenterId}\u0000${country}`) ?? 0n;
  }

  installedByCountry(veuId: string): ReadonlyMap<string, bigint> {
    return this.installedByVeu.get(veuId) ?? NO_INSTALLED;
  }

  veu(id: string): VeuGrant | undefined {
    return this.veus.get(id);
  }

  hasG2g(country: string): boolean {
    return this.g2g.has(country);
  }

  seen(publisher: string, eventId: string): string | undefined {
    const byId = this.seenDigests.get(publisher);
    const record = byId?.get(eventId);
    if (typeof record !== 'number') return record;
    if (this.digestOfRef === undefined) throw new Error('invariant: a numeric idempotency record needs digestOfRef');
    const digest = this.digestOfRef(record);
    byId!.set(eventId, digest);
    return digest;
  }

  setAccount(id: string, state: AccountState): void {
    this.accountsById.set(id, state);
    // installed:ID:CC accounts also feed the per-VEU view that the UVEU ratio accounts are computed from.
    if (id.startsWith('installed:')) {
      const [, veuId, country] = id.split(':');
      let byCountry = this.installedByVeu.get(veuId!);
      if (byCountry === undefined) this.installedByVeu.set(veuId!, (byCountry = new Map()));
      byCountry.set(country!, state.usedTpp);
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

  markSeen(publisher: string, eventId: string, digest: string | number): void {
    let byId = this.seenDigests.get(publisher);
    if (byId === undefined) this.seenDigests.set(publisher, (byId = new Map()));
    byId.set(eventId, digest);
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
}
