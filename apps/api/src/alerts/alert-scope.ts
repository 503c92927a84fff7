import { canReadAlert } from '../auth/access-policy';
import type { Principal } from '../auth/principal';
import type { AlertFilter } from './alert-list.query';
import type { AlertView } from './alert.view';

// The same visibility rule as canReadAlert (auth/access-policy.ts), written as SQL for listings: alerts the
// caller's own events caused, and alerts on the accounts it reads in full. Parameters are appended to `params`;
// the returned text is a boolean expression over the alerts table. test/api/authorization.spec.ts checks that
// it selects exactly what canReadAlert admits.
export function alertScopeSql(p: Principal, params: unknown[]): string | null {
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  switch (p.role) {
    case 'regulator':
      return null;
    case 'chipmaker':
      return `payload->'causedBy'->>'publisher' = ${param(p.org)}`;
    case 'cloud-provider': {
      const org = param(p.org);
      return (
        `(payload->'causedBy'->>'publisher' = ${org} OR starts_with(account_id, 'installed:' || ${org} || ':')` +
        ` OR account_id = 'uveu:' || ${org} || ':outside-tier1' OR account_id = 'uveu:' || ${org} || ':outside-us'` +
        ` OR starts_with(account_id, 'uveu:' || ${org} || ':country:'))`
      );
    }
  }
}

export function alertFilterSql(f: AlertFilter, params: unknown[]): string[] {
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const where: string[] = [];
  if (f.kinds) where.push(`kind = ANY(${param(f.kinds)})`);
  if (f.severities) where.push(`severity = ANY(${param(f.severities)})`);
  if (f.account) where.push(`account_id = ${param(f.account)}`);
  if (f.from) where.push(`occurred_at >= ${param(f.from)}`);
  if (f.to) where.push(`occurred_at <= ${param(f.to)}`);
  return where;
}

export function alertMatches(p: Principal, f: AlertFilter, a: AlertView): boolean {
  if (!canReadAlert(p, { account: a.account, causedByPublisher: a.causedBy.publisher })) return false;
  if (f.kinds && !f.kinds.includes(a.kind)) return false;
  if (f.severities && !f.severities.includes(a.severity)) return false;
  if (f.account && f.account !== a.account) return false;
  const atMs = Date.parse(a.at);
  if (f.from && atMs < f.from.getTime()) return false;
  if (f.to && atMs > f.to.getTime()) return false;
  return true;
}
