import { parseInstant } from './instant';
import { parseSeq } from './sequence';

// The cursor schemas of the keyset listings (see cursor.ts): each returns the typed resume point, or null.

const ACCOUNT_ID = /^[a-z0-9-]{1,32}(:[A-Za-z0-9._-]{1,128}){1,3}$/;

// A sort key as Postgres writes it for `(expr)::text`, checked to cast back without error.
const SORT_KEY_CHECKS: Record<string, (key: string) => boolean> = {
  id: (key) => ACCOUNT_ID.test(key),
  utilization: (key) => /^-?\d{1,20}(\.\d{1,20})?(e[+-]?\d{1,3})?$/.test(key) && Math.abs(Number(key)) < 1e300,
  usedTpp: (key) => /^-?\d{1,40}$/.test(key),
  capTpp: (key) => /^-?\d{1,40}$/.test(key),
  lastOccurredAt: (key) => key === '-infinity' || pgTimestampIsReal(key),
};

// "2026-01-05 00:00:00+00" or "2026-01-05 00:00:00.123456+05:30", as timestamptz::text gives it.
function pgTimestampIsReal(key: string): boolean {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)([+-]\d{2})(:\d{2})?$/.exec(key);
  return m !== null && parseInstant(`${m[1]}T${m[2]}${m[3]}${m[4] ?? ':00'}`) !== null;
}

export function accountListCursor(sort: string): (parts: readonly unknown[]) => { sortKey: string; id: string } | null {
  return (parts) => {
    const [sortName, sortKey, id] = parts;
    if (parts.length !== 3 || sortName !== sort || typeof sortKey !== 'string' || typeof id !== 'string') return null;
    if (!ACCOUNT_ID.test(id) || !(SORT_KEY_CHECKS[sort]?.(sortKey) ?? false)) return null;
    return { sortKey, id };
  };
}

export function entryPageCursor(order: 'asc' | 'desc'): (parts: readonly unknown[]) => bigint | null {
  return (parts) => (parts.length === 2 && parts[0] === order && typeof parts[1] === 'string' ? parseSeq(parts[1]) : null);
}

export function alertPageCursor(parts: readonly unknown[]): bigint | null {
  return parts.length === 1 && typeof parts[0] === 'string' ? parseSeq(parts[0]) : null;
}
