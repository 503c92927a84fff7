// Who is calling, and what each role may read. Pure functions over plain data so the access rules are stated in
// one place and tested without HTTP.
export const ROLES = ['regulator', 'chipmaker', 'cloud-provider'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  keyId: string;
  role: Role;
  // The organisation the key belongs to: a chipmaker's publisher name, or a cloud provider's VEU id (which is
  // also the publisher name it sends deployments under). null for regulators.
  org: string | null;
}

export const VEU_ACCOUNT_KINDS = [
  'nveu',
  'uveu-shipped',
  'installed',
  'uveu-outside-tier1',
  'uveu-country',
  'uveu-outside-us',
] as const;

// license:ID and country:CC:licensed (docs/licences.md): listed for regulators; a chipmaker reads its licences at /licences.
export const ACCOUNT_KINDS = ['country', 'lpp', ...VEU_ACCOUNT_KINDS, 'license', 'country-licensed'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

export interface AccountRef {
  id: string;
  kind: string;
  veuId: string | null;
}

// Which accounts a role may list: chipmakers see every country's utilization; cloud providers their own VEU's.
export type AccountScope = { all: true } | { all: false; kinds: readonly string[]; veuId: string | null };

export function accountScope(p: Principal): AccountScope {
  switch (p.role) {
    case 'regulator':
      return { all: true };
    case 'chipmaker':
      return { all: false, kinds: ['country'], veuId: null };
    case 'cloud-provider':
      return { all: false, kinds: VEU_ACCOUNT_KINDS, veuId: p.org };
  }
}

export function canSeeAccount(p: Principal, account: AccountRef): boolean {
  const scope = accountScope(p);
  if (scope.all) return true;
  if (!scope.kinds.includes(account.kind)) return false;
  return scope.veuId === null || account.veuId === scope.veuId;
}

// Entries name the events behind them (publisher and event id). A chipmaker may see a country's balance but not
// which other chipmakers shipped there, so entries of country accounts are for regulators only.
export function canSeeAccountEntries(p: Principal, account: AccountRef): boolean {
  if (p.role === 'regulator') return true;
  if (p.role === 'cloud-provider') return canSeeAccount(p, account);
  return false;
}

export function canSeeEvent(p: Principal, publisher: string): boolean {
  return p.role === 'regulator' || p.org === publisher;
}

// Pre-clearance is asked by the organisation that would send the event (or by a regulator on anyone's behalf).
export function canPreclear(p: Principal, publisher: string | null): boolean {
  return p.role === 'regulator' || (publisher !== null && p.org === publisher);
}

export interface AlertRef {
  account: string;
  causedByPublisher: string;
}

// The VEU id an account belongs to, read from its id (nveu:ID, uveu:ID:..., installed:ID:CC).
export function veuOfAccountId(accountId: string): string | null {
  const [prefix, id] = accountId.split(':');
  if ((prefix === 'nveu' || prefix === 'uveu' || prefix === 'installed') && id) return id;
  return null;
}

// Chipmakers see alerts caused by their own events and alerts on country accounts (whose utilization they may
// read anyway); cloud providers see alerts on their own VEU accounts.
export function canSeeAlert(p: Principal, alert: AlertRef): boolean {
  switch (p.role) {
    case 'regulator':
      return true;
    case 'chipmaker':
      return alert.causedByPublisher === p.org || alert.account.startsWith('country:');
    case 'cloud-provider':
      return veuOfAccountId(alert.account) === p.org;
  }
}
