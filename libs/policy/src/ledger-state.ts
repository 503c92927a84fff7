// What the judge reads from and writes to: the ledger's state, as plain data. The offline replay keeps all of it
// in memory (MemoryLedgerState); the ledger service loads the part a batch needs from PostgreSQL into the same
// class (see requirementsOf in judging/requirements.ts), judges, and writes the outcomes back in one transaction.
import type { InputEventV1, VeuKind } from '@app/contracts';
import type { LicenceRecord } from './licences/licence-record';

export type { LicenceRecord };

export interface AccountState {
  usedTpp: bigint;
  // Bit i set = threshold i of the pack is disarmed (it fired and has not re-armed). 0 = all armed.
  disarmedMask: number;
}

export interface VeuGrant {
  id: string;
  kind: VeuKind;
  headquarters: string | null;
  country: string | null;
  // true while granted; a revoked VEU keeps its record so that its history stays explainable.
  active: boolean;
  // Publishers besides the VEU itself that may report its deployments while this grant is in force.
  reporters: readonly string[];
}

// A publisher key as the registry holds it: registered once under its id, and revoked at most once.
export interface PublisherKeyRecord {
  keyId: string;
  // The 32 raw bytes of the Ed25519 public key, base64url.
  publicKey: string;
  revoked: boolean;
}

export interface LedgerReadState {
  account(id: string): AccountState | undefined;
  // Installed TPP of one data center of one VEU (keyed by VEU id, data-center id and country).
  installed(veuId: string, dataCenterId: string, country: string): bigint;
  // installed:ID:CC balances of one VEU, country -> TPP (the source of the UVEU ratio accounts).
  installedByCountry(veuId: string): ReadonlyMap<string, bigint>;
  // The keys of installedByCountry(veuId), in ascending code-unit order (the order of the UVEU country movements).
  installedCountries(veuId: string): readonly string[];
  veu(id: string): VeuGrant | undefined;
  hasG2g(country: string): boolean;
  // The licence issued under this id (revoked ones included), or undefined when none was.
  licence(id: string): LicenceRecord | undefined;
  // The registry's record of a publisher key id (registered at some point, perhaps revoked since).
  publisherKey(keyId: string): PublisherKeyRecord | undefined;
  // Digest of the payload recorded under (publisher, eventId), or undefined when the key is new.
  seen(publisher: string, eventId: string): string | undefined;
}

export interface Movement {
  account: string;
  deltaTpp: bigint;
  usedBeforeTpp: bigint;
  usedAfterTpp: bigint;
  // The cap in force for this event (null = uncapped), as shown: floor(limit x worldwide) for ratio accounts.
  capTpp: bigint | null;
  disarmedMaskAfter: number;
}

export type StateEffect =
  | { kind: 'veu-granted'; grant: VeuGrant }
  | { kind: 'veu-revoked'; veuId: string }
  | { kind: 'g2g-arranged'; country: string }
  | { kind: 'licence-issued'; licence: LicenceRecord }
  | { kind: 'licence-revoked'; licenceId: string }
  | { kind: 'installed-set'; veuId: string; dataCenterId: string; country: string; installedTpp: bigint }
  | { kind: 'publisher-key-registered'; key: PublisherKeyRecord }
  | { kind: 'publisher-key-revoked'; keyId: string };

export type { InputEventV1 };
