// What of a readable object a caller sees: the field-level half of the authorization model (access-policy.ts
// decides whether an object is visible at all). Withheld fields are null and named in `withheld`, so a client can
// tell "not shown to you" from "no value".
import type { ComplianceAlertV1 } from '@app/contracts';
import type { AccountSummary } from '../accounts/account.view';
import type { EntryView } from '../accounts/entry.view';
import type { AlertView } from '../alerts/alert.view';
import { accountAccess, canReadAlertAmounts, canReadEntry, hasAccountAccess } from './access-policy';
import type { Principal } from './principal';

type Nullable<T, K extends keyof T> = Omit<T, K> & { [P in K]: T[P] | null };

export type AlertShown<T extends ComplianceAlertV1 = AlertView> = Nullable<T, 'usedTpp' | 'capTpp' | 'utilization'> & { withheld?: string[] };

// An alert on an account the caller may not read keeps its kind and threshold (what the caller's event did) but
// not the account's amounts, nor the explanatory sentence, which may quote them.
export function alertFor<T extends ComplianceAlertV1>(p: Principal, alert: T): AlertShown<T> {
  if (canReadAlertAmounts(p, { account: alert.account, causedByPublisher: alert.causedBy.publisher })) return alert;
  const { reason: _reason, ...rest } = alert;
  const withheld = ['usedTpp', 'capTpp', 'utilization', 'reason'];
  return { ...rest, usedTpp: null, capTpp: null, utilization: null, withheld } as unknown as AlertShown<T>;
}

export type EntryShown = Nullable<EntryView, 'balanceTpp' | 'capTpp' | 'prevHash' | 'hash'> & { withheld?: string[] };

// The entries of the caller's own event: on an account it may not read, only what the event itself put there.
export function entryFor(p: Principal, entry: EntryView): EntryShown {
  if (canReadEntry(p, { accountId: entry.account, publisher: entry.event.publisher })) return entry;
  return {
    ...entry,
    balanceTpp: null,
    capTpp: null,
    prevHash: null,
    hash: null,
    withheld: ['balanceTpp', 'capTpp', 'prevHash', 'hash'],
  };
}

// A listed account: at aggregate level the time and ledger position of its latest entry are withheld (they date
// another company's latest event).
export function accountSummaryFor<T extends AccountSummary>(p: Principal, account: T): T & { access: 'full' | 'aggregate' } {
  if (hasAccountAccess(p, account.account, 'full')) return { ...account, access: 'full' };
  return { ...account, lastSeq: null, lastOccurredAt: null, access: 'aggregate' };
}

export interface ImpactFields {
  account: string;
  usedBeforeTpp: bigint | null;
  usedAfterTpp: bigint | null;
  capTpp: bigint | null;
  utilizationBefore: number | null;
  utilizationAfter: number | null;
}

// A pre-clearance movement on an account the caller may not read keeps only its own delta.
export function impactFor<T extends ImpactFields>(p: Principal, impact: T): T & { withheld?: string[] } {
  if (accountAccess(p, impact.account) !== 'none') return impact;
  return {
    ...impact,
    usedBeforeTpp: null,
    usedAfterTpp: null,
    capTpp: null,
    utilizationBefore: null,
    utilizationAfter: null,
    withheld: ['usedBeforeTpp', 'usedAfterTpp', 'capTpp', 'utilizationBefore', 'utilizationAfter'],
  };
}
