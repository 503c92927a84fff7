import { ApiError } from './api-error';

// Keyset cursors are opaque to clients (base64url of a small JSON array) so the sort key can change without
// breaking them. They are input like any other: decoded and checked against the route's cursor schema (types,
// ranges, the listing's own sort and order) before any SQL runs, so a crafted cursor is a 400, never a failed cast.
export function encodeCursor(parts: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

export type CursorSchema<T> = (parts: readonly unknown[]) => T | null;

export function decodeCursor<T>(cursor: string, schema: CursorSchema<T>): T {
  let parts: unknown = null;
  if (/^[A-Za-z0-9_-]+$/.test(cursor)) {
    try {
      parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      parts = null;
    }
  }
  const value = Array.isArray(parts) ? schema(parts) : null;
  if (value === null) throw ApiError.invalid([{ field: 'cursor', message: 'is not a cursor returned by this endpoint for this query' }]);
  return value;
}
