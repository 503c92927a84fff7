// The API's authorization model, in one place (docs/api.md states it as a table). Every route, the pre-clearance
// and the live alert stream ask these functions; nothing else decides who may read what. Pure functions over
// plain data, so the rules are tested without HTTP.
//
// The commercial rule: a company sees its own events and the accounts they draw on, never another company's
// event ids, sizes, timing or counterparties, directly or by difference. Accounts are therefore read at one of
// three levels:
//   full       the account, its entries and its history (as-of balances, series): regulators on every account,
//              a cloud provider on its own VEU's installed and ratio accounts (only its own deployments, or its
//              designated reporters', move them);
//   aggregate  the current total, cap, utilization and which thresholds are crossed, nothing that dates or sizes
//              a single entry (no entries, no as-of, no series, no forecast, no latest-entry time or seq): a
//              chipmaker on country allocations, a cloud provider on its own NVEU / UVEU-shipped accounts (they
//              sum chipmakers' shipments to it);
//   none       everything else, including account ids this version cannot parse.
import { parseAccountId } from '@app/policy';
import { ApiError } from '../common/api-error';
import type { Principal } from './principal';

export type AccountAccess = 'full' | 'aggregate' | 'none';

// What a route does, as the unit an authorization decision is made for. Every route names one (see
// authorize.decorator.ts); the guard refuses a route that names none.
export const PERMISSIONS = [
  'me.read',
  'account.list',
  'account.read',
  'account.history',
  'event.read',
  'entry.proof',
  'event.proof',
  'proof.head',
  'checkpoint.read',
  'reporting-delay.read',
  'alert.list',
  'alert.stream',
  'pre-clearance.evaluate',
  'licence.list',
  'licence.read',
  'metrics.read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const RANK: Record<AccountAccess, number> = { none: 0, aggregate: 1, full: 2 };

export function accountAccess(p: Principal, accountId: string): AccountAccess {
  if (p.role === 'regulator') return 'full';
  const parsed = parseAccountId(accountId);
  if (parsed === null || p.org === null) return 'none';
  if (p.role === 'chipmaker') return parsed.kind === 'country' ? 'aggregate' : 'none';
  if (parsed.veuId !== p.org) return 'none';
  return parsed.kind === 'nveu' || parsed.kind === 'uveu-shipped' ? 'aggregate' : 'full';
}

export function hasAccountAccess(p: Principal, accountId: string, needed: AccountAccess): boolean {
  return RANK[accountAccess(p, accountId)] >= RANK[needed];
}

// The events an organisation published are its own; a regulator reads every event.
export function ownsEvent(p: Principal, publisher: string): boolean {
  return p.role === 'regulator' || (p.org !== null && p.org === publisher);
}

export interface EntryRef {
  accountId: string;
  publisher: string;
}

// An entry (its amounts, event key and hash) is readable on a fully readable account, or when it is the caller's
// own event on an account it may at least read in aggregate. An own entry on an account the caller may not read
// is not: its balance is another company's business, and its hash commits to that balance (a hash over a small
// integer range can be searched).
export function canReadEntry(p: Principal, e: EntryRef): boolean {
  if (hasAccountAccess(p, e.accountId, 'full')) return true;
  return ownsEvent(p, e.publisher) && hasAccountAccess(p, e.accountId, 'aggregate');
}

export interface AlertRef {
  account: string;
  causedByPublisher: string;
}

// Alerts name their causing event and the balance after it: a caller sees those its own events caused, and every
// alert on accounts it reads in full. Alerts on aggregate accounts caused by others would date and size
// competitors' events, so they are not shown (the account's crossed thresholds are).
export function canReadAlert(p: Principal, a: AlertRef): boolean {
  return ownsEvent(p, a.causedByPublisher) || hasAccountAccess(p, a.account, 'full');
}

// Whether an alert's amounts (usedTpp, capTpp, utilization) may be shown with it.
export function canReadAlertAmounts(p: Principal, a: AlertRef): boolean {
  return hasAccountAccess(p, a.account, 'aggregate');
}

// Which accounts a role lists (the SQL form of accountAccess >= aggregate).
export type AccountScope = { all: true } | { all: false; kinds: readonly string[]; veuId: string | null };

export function accountScope(p: Principal): AccountScope {
  // A company key without an organisation reads nothing (create-api-key refuses to make one).
  if (p.role !== 'regulator' && p.org === null) return { all: false, kinds: [], veuId: null };
  switch (p.role) {
    case 'regulator':
      return { all: true };
    case 'chipmaker':
      return { all: false, kinds: ['country'], veuId: null };
    case 'cloud-provider':
      return { all: false, kinds: ['nveu', 'uveu-shipped', 'installed', 'uveu-outside-tier1', 'uveu-country', 'uveu-outside-us'], veuId: p.org };
  }
}

export interface ProspectiveEvent {
  type: string;
  publisher: string;
  veuId: string | null;
}

// A caller may pre-clear only what it could publish itself: a regulator anything; a chipmaker shipments under its
// own publisher name; a cloud provider deployments under its own publisher name, for its own VEU or for a VEU
// whose grant in force names it as a reporter (`reportersOf` reads the grant from the judged state).
export function mayPreclear(p: Principal, e: ProspectiveEvent, reportersOf: (veuId: string) => readonly string[]): boolean {
  if (p.role === 'regulator') return true;
  if (p.org === null || e.publisher !== p.org) return false;
  if (p.role === 'chipmaker') return e.type === 'chip.shipment';
  if (e.type !== 'dc.deployment' || e.veuId === null) return false;
  return e.veuId === p.org || reportersOf(e.veuId).includes(p.org);
}

// Licences (docs/licences.md): a regulator reads every licence; a chipmaker only those issued to it (its publisher
// name is the licence's exporter), and another's is answered as not found, so that a key cannot learn which licence
// numbers exist; a cloud provider, or a company key without an organisation, none.
export type LicenceScope = { exporter: string | null } | null;

export function licenceScope(p: Principal): LicenceScope {
  if (p.role === 'regulator') return { exporter: null };
  return p.role === 'chipmaker' && p.org !== null ? { exporter: p.org } : null;
}

export function canReadLicence(p: Principal, exporter: string): boolean {
  const scope = licenceScope(p);
  return scope !== null && (scope.exporter === null || scope.exporter === exporter);
}

export function requireLicenceScope(p: Principal): { exporter: string | null } {
  const scope = licenceScope(p);
  if (scope === null) throw ApiError.forbidden(`${who(p)} may not read licences`);
  return scope;
}

// The API's Prometheus figures include every publisher's recorded events and reporting delays, which only a
// regulator may see across publishers (GET /reporting-delays shows a company its own alone); request counts by
// route would tell a competitor how others use the API. So /metrics is the regulator's.
export function requireMetricsAccess(p: Principal): void {
  if (p.role !== 'regulator') throw ApiError.forbidden(`${who(p)} may not read the API's metrics (regulator keys only)`);
}

function who(p: Principal): string {
  return p.org === null ? `a ${p.role} key` : `a ${p.role} key (${p.org})`;
}

// Immich-style guard clauses for services: throw the 403 or return.
export function requireAccountAccess(p: Principal, accountId: string, needed: AccountAccess): void {
  if (hasAccountAccess(p, accountId, needed)) return;
  const what = needed === 'full' ? 'the entries and history of' : 'account';
  const why =
    needed === 'full' && hasAccountAccess(p, accountId, 'aggregate')
      ? ' (only its current total: entries and past balances would date and size other companies\' events)'
      : '';
  throw ApiError.forbidden(`${who(p)} may not read ${what} ${accountId}${why}`);
}

export function requireEventAccess(p: Principal, publisher: string): void {
  if (!ownsEvent(p, publisher)) throw ApiError.forbidden(`${who(p)} may read only the events its organisation published`);
}

export function requireEntryAccess(p: Principal, seq: bigint, e: EntryRef): void {
  if (!canReadEntry(p, e)) throw ApiError.forbidden(`${who(p)} may not read ledger entry ${seq}`);
}
